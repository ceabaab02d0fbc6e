"""Reads of evaluation, scoped to who asks (portal.scoping)."""
