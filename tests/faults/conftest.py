"""Shared by the fault tests: what was sent, counted at the point of sending."""

import pytest

from complaints.sms import LogBackend


@pytest.fixture(autouse=True)
def sms_outbox(monkeypatch):
    monkeypatch.setattr(LogBackend, "outbox", [])
    return LogBackend.outbox


@pytest.fixture
def generous_filing_limits(settings):
    """The fault tests file many complaints from one test address and phone."""
    settings.COMPLAINT_FILE_RATE_IP = "1000/h"
    settings.COMPLAINT_FILE_RATE_PHONE = "1000/h"
