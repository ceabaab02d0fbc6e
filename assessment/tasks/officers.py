"""Tasks of the officers' evaluation."""
