"""Fixtures of the working-day calendar's tests."""

import pytest

from portal.celery import app as celery_app
from workdays import recompute


@pytest.fixture
def recomputed(monkeypatch):
    """A fake app that stores deadlines: records every year it is asked to recompute.

    Tasks run in-process here even when a broker is configured, so the hook is observable.
    """
    monkeypatch.setitem(celery_app.conf, "task_always_eager", True)
    calls: list[int] = []

    def fake_recomputer(year: int) -> int:
        calls.append(year)
        return 1

    recompute.register("tests.fake", fake_recomputer)
    yield calls
    recompute.unregister("tests.fake")


def csv_2027(encoding: str = "utf-8") -> bytes:
    """A 2027 schedule in the shape the State Council publishes (test data, not the real one)."""
    text = (
        "日期,类型,名称\n"
        "2027-01-01,假日,元旦\n"
        "2027-01-02,假日,元旦\n"
        "2027-01-03,假日,元旦\n"
        "2027-02-06,假日,春节\n"
        "2027-02-07,假日,春节\n"
        "2027-02-08,假日,春节\n"
        "2027-02-09,假日,春节\n"
        "2027-02-10,假日,春节\n"
        "2027-02-11,假日,春节\n"
        "2027-02-12,假日,春节\n"
        "2027-02-13,假日,春节\n"
        "2027-02-20,上班,春节\n"
    )
    return text.encode(encoding)
