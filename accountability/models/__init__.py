"""Accountability (责任追究): one module a topic."""

from .clues import Clue, ClueCounter, ClueEvent

__all__ = ["Clue", "ClueCounter", "ClueEvent"]
