"""Writes held to the end of a block of a service's transaction.

A service whose transaction takes a contended lock at its end (the complaint register's number)
wants every other contended write there too, after its slow work: inside `deferring()`, helpers
that support it (the dashboard's tallies, `reporting.services.tallies`) queue their writes with
`at_end` instead of writing at once, and the block's end runs them, still inside the
transaction. A block left by an exception drops them: its transaction is being rolled back.
Blocks nest; only the outermost one runs what was queued. One thread, one transaction at a
time, as Django's connections are per thread.
"""

import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

_local = threading.local()


def _state():
    if not hasattr(_local, "depth"):
        _local.depth, _local.ends = 0, []
    return _local


def active() -> bool:
    """Is a `deferring()` block open in this thread?"""
    return _state().depth > 0


def at_end(finish: Callable[[bool], None]) -> None:
    """Call `finish(True)` when the outermost block ends, `finish(False)` if it fails; once per
    block however often it is asked."""
    state = _state()
    if finish not in state.ends:
        state.ends.append(finish)


@contextmanager
def deferring() -> Iterator[None]:
    state = _state()
    state.depth += 1
    try:
        yield
    except BaseException:
        state.depth -= 1
        if state.depth == 0:
            _finish(state, keep=False)
        raise
    state.depth -= 1
    if state.depth == 0:
        _finish(state, keep=True)


def _finish(state, *, keep: bool) -> None:
    ends, state.ends = state.ends, []
    for finish in ends:
        finish(keep)
