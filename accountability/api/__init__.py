"""The accountability API (DRF), one module a topic."""
