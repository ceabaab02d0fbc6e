"""Reads of the accountability app that depend on who asks, one module a topic."""
