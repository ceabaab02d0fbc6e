"""Writes of evaluation (R19–R23): one module a topic, each function atomic, taking actor=."""
