"""Pages of evaluation: parse, check permission, call a service or a selector, render."""
