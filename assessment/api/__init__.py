"""The evaluation API (/api/v1/assessment/): scoped staff endpoints and the public results."""
