"""Forms of the enforcement pages, one module a topic: powers (the list items and delegations),
cases, disputes, fines, levels, remedies."""
