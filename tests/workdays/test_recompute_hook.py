"""The recompute hook: apps that store deadlines register a recomputer, called per changed year."""

from datetime import date

import pytest

from workdays import recompute
from workdays.tasks import recompute_deadlines


@pytest.fixture
def registry(monkeypatch):
    """Each test starts from an empty registry: the apps' own recomputers are tested with them."""
    monkeypatch.setattr(recompute, "_registry", {})


def test_every_registered_recomputer_is_called_with_the_year(registry):
    seen = []
    recompute.register("a", lambda year: seen.append(("a", year)) or 2)
    recompute.register("b", lambda year: seen.append(("b", year)) or 0)
    counts = recompute_deadlines.apply(args=[2027]).get()
    assert counts["a"] == 2 and counts["b"] == 0
    assert sorted(seen) == [("a", 2027), ("b", 2027)]


def test_registering_the_same_name_again_replaces_it(registry):
    """Re-importing an app's module must not make it recompute twice."""
    recompute.register("a", lambda year: 1)
    recompute.register("a", lambda year: 5)
    assert recompute.recompute_year(2027)["a"] == 5


def test_one_failing_recomputer_does_not_stop_the_others_but_fails_the_task(registry):
    """The task is retried on failure; recomputers are idempotent, so the others may rerun."""
    seen = []

    def broken(year):
        raise RuntimeError("boom")

    recompute.register("a_broken", broken)
    recompute.register("b_fine", lambda year: seen.append(year) or 1)
    with pytest.raises(RuntimeError, match="boom"):
        recompute.recompute_year(2027)
    assert seen == [2027]


@pytest.mark.django_db
def test_the_daily_sweep_recomputes_every_open_deadline_from_last_year_on(
    registry, recomputed, monkeypatch
):
    """A lost broker must not leave deadlines provisional for good, nor a change of the fallback
    rules leave stored deadlines on the old ones: the sweep catches up. A recomputer reaches
    every deadline on or after the year it is given, so one call from last year covers 2026 and
    the years not loaded (2027 on). (It called each loaded year before issue 11, which missed
    deadlines stored in a year not loaded under older fallback rules.)"""
    from workdays import tasks

    monkeypatch.setattr(tasks, "localdate", lambda: date(2026, 11, 24))
    result = tasks.sweep_provisional_deadlines.apply().get()
    assert recomputed == [2025]
    assert result == {2025: {"tests.fake": 1}}
