"""Tasks of the departments' results."""
