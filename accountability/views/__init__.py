"""Pages of the accountability app, one module a topic."""
