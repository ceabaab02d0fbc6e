"""The hook that recomputes stored deadlines when a year's holiday schedule is loaded or changed.

A deadline computed for a year without a loaded schedule is provisional (Monday–Friday minus the
fixed-date holidays). Apps that store deadlines register a recomputer here, usually in their
AppConfig.ready():

    from workdays import recompute
    recompute.register("complaints.acknowledge_by", recompute_acknowledge_by)

where `recompute_acknowledge_by(year: int) -> int` recomputes that app's open deadlines falling in
(or computed across) `year` and returns how many it changed. Recomputers must be idempotent:
the task may run more than once for the same change.

The registry is filled at import time by code, identically in every process; it holds no
state that differs between web and worker processes.
"""

import logging
from collections.abc import Callable

logger = logging.getLogger(__name__)

Recomputer = Callable[[int], int]

_registry: dict[str, Recomputer] = {}


def register(name: str, func: Recomputer) -> None:
    """Register (or replace, so that re-importing is harmless) the recomputer called `name`."""
    _registry[name] = func


def unregister(name: str) -> None:
    _registry.pop(name, None)


def registered() -> dict[str, Recomputer]:
    return dict(_registry)


def recompute_year(year: int) -> dict[str, int]:
    """Run every recomputer for `year`; returns how many deadlines each one changed.

    One failing recomputer must not stop the others: it is logged and re-raised at the end, so
    that the task is retried (the others are idempotent and simply find nothing to do).
    """
    counts: dict[str, int] = {}
    failures: list[Exception] = []
    for name, func in sorted(_registry.items()):
        try:
            counts[name] = func(year)
        except Exception as exc:  # noqa: BLE001 - isolate one app's bug from the others
            logger.exception("Recomputing deadlines of %s for %s failed", name, year)
            failures.append(exc)
    if failures:
        raise failures[0]
    logger.info("Recomputed deadlines for %s: %s", year, counts)
    return counts
