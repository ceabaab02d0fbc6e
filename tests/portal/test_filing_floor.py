"""The intake benchmark's floor (`bench/filing_floor.py`) writes what the portal's filing writes.

`intake_peers` reads the API's throughput against the floor's, so the floor must do the same
database work: the same rows in the same tables with the same values, under the same register.
The floor runs on its own psycopg2 connection, so the test database is committed to.
"""

from datetime import date

import pytest
from django.conf import settings

from complaints.models import Complaint, ComplaintEvent, Notification, RegisterCounter
from complaints.services.register import register_number
from reporting.models import MonthTally

from ..factories import AgencyFactory, RegionFactory

pytestmark = pytest.mark.postgres("the floor writes with raw PostgreSQL statements")

BODY = {
    "category": "slow",
    "occurred_on": "2026-11-01",
    "complainant_name": "张三",
    "email": "",
    "anonymous": False,
}
# What differs between two filings by design: keys, instants, the complaint's own text and
# number, the access code, and the acknowledgement date (the floor reads no calendar).
OWN = {"id", "sequence", "number", "access_code_hash", "registered_at", "fingerprint"}
OWN |= {"description", "phone", "acknowledge_by", "due_on", "acknowledge_provisional"}


class _Broker:
    def __init__(self):
        self.pushed = []

    def lpush(self, key, value):
        self.pushed.append((key, value))


@pytest.fixture
def floor(transactional_db, bundled_calendar, monkeypatch):
    monkeypatch.syspath_prepend(str(settings.BASE_DIR / "bench"))
    import filing_floor

    broker = _Broker()
    monkeypatch.setattr(filing_floor, "_state", {})
    monkeypatch.setenv("CELERY_BROKER_URL", "redis://127.0.0.1:6379/15")  # never connected to
    filing_floor._connections()  # the test database, on the floor's own connection
    filing_floor._state["redis"] = broker
    yield filing_floor, broker
    filing_floor._state["db"].close()


@pytest.fixture
def agency(transactional_db):
    return AgencyFactory(name="底线市市场监督管理局", region=RegionFactory(name="底线市"))


def _columns(rows, skip=frozenset()) -> dict:
    return {k: v for k, v in rows.values().get().items() if k not in OWN | skip}


def _rows(complaint: Complaint) -> dict:
    event = complaint.timeline.get()
    notice = Notification.objects.get(complaint=complaint)
    return {
        "complaint": _columns(Complaint.objects.filter(pk=complaint.pk)),
        "history": _columns(complaint.history.all(), {"history_id", "history_date"}),
        "event": (
            event.kind,
            event.public,
            event.actor_id,
            event.note.replace(complaint.number, "N"),
        ),
        "notice": (  # sent or not: the portal's tests deliver in process
            notice.channel,
            notice.recipients == [complaint.phone],
            notice.subject,
            notice.key.split(":", 1)[1],
            notice.body.replace(complaint.number, "N").replace(
                f"{complaint.acknowledge_by:%Y-%m-%d}", "D"
            ),
        ),
    }


def test_the_floor_writes_the_rows_the_portal_writes(floor, agency, client):
    filing_floor, broker = floor
    answer = client.post(
        "/api/v1/complaints/",
        BODY
        | {
            "agency": agency.pk,
            "description": "门口摊位被罚款，未出具文书。",
            "phone": "13900000001",
        },
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    receipt = filing_floor.file(
        BODY
        | {
            "agency": agency.pk,
            "description": "门口摊位被罚款，未出具文书（二）。",
            "phone": "13900000002",
        }
    )

    portal = Complaint.objects.get(number=answer.json()["number"])
    floor_complaint = Complaint.objects.get(number=receipt["number"])
    assert _rows(floor_complaint) == _rows(portal)
    assert (portal.sequence, floor_complaint.sequence) == (1, 2)  # one register, gapless
    assert RegisterCounter.objects.get(region=agency.region).last == 2
    assert floor_complaint.occurred_on == date(2026, 11, 1)
    tally = MonthTally.objects.get(agency=agency)
    assert (tally.complaints_received, tally.status_registered, tally.ack_undecided) == (2, 2, 2)
    assert ComplaintEvent.objects.count() == 2
    assert [key for key, _value in broker.pushed] == [filing_floor.QUEUE]


def test_the_floor_that_numbers_last_writes_the_same_rows(floor, agency):
    filing_floor, _broker = floor
    first = filing_floor.file(
        BODY | {"agency": agency.pk, "description": "一", "phone": "13900000003"}
    )
    last = filing_floor.file(
        BODY | {"agency": agency.pk, "description": "二", "phone": "13900000004"}, number_last=True
    )

    numbered_first = Complaint.objects.get(number=first["number"])
    numbered_last = Complaint.objects.get(number=last["number"])
    assert numbered_last.sequence == numbered_first.sequence + 1
    assert last["number"] == register_number(
        region_code=agency.region.code, year=numbered_last.year, sequence=numbered_last.sequence
    )
    assert _rows(numbered_last) == _rows(numbered_first)
    assert numbered_last.history.get().number == last["number"]
    assert last["number"] in numbered_last.timeline.get().note
    assert not Complaint.objects.filter(number__startswith="pending-").exists()
