"""Forms of evaluation pages."""
