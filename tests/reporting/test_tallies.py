"""The monthly tallies behind the dashboard and the yearly report (R11, R31): every save a service
makes keeps them equal to a recount from the sources, in the service's own transaction; a change
that moves a row to another month moves its count; filings at once all count; the rebuild is
idempotent; a save that changes nothing counted costs nothing; a deferred block writes its
tally rows at its end, and drops them when it fails."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from complaints.models import Complaint
from complaints.services.register import complaint_register
from enforcement.models import Case, CollectingBank, Decision, FinePayment, PublishedPowerItem
from enforcement.models.cases import WAITING_STAGES
from portal.deferred import deferring
from reporting.models import AgencyTally, MonthTally
from reporting.services.tallies import (
    MONTHS,
    NOW,
    columns,
    tallies_compute,
    tallies_rebuild,
)
from tests.concurrency import at_once
from tests.enforcement.staff_factories import make_draft

from .figure_world import at, case, complaint, fine, legal_review

pytestmark = pytest.mark.django_db


def kept(table=MONTHS) -> dict:
    """A tally table, without its all-zero rows, as {(agency id, month): {column: value}}."""
    names = columns(table)
    monthly = table == MONTHS
    rows = {}
    model = MonthTally if monthly else AgencyTally
    for row in model.objects.values("agency_id", *(["month"] if monthly else []), *names):
        values = {name: row[name] for name in names if row[name]}
        if values:
            rows[(row["agency_id"], row.get("month"))] = values
    return rows


def recounted(table=MONTHS) -> dict:
    rows = {}
    for key, values in tallies_compute(table=table).items():
        values = {name: value for name, value in values.items() if value}
        if values:
            rows[key] = values
    return rows


def test_every_service_of_the_demo_province_keeps_the_tallies_equal_to_a_recount(
    settings, tmp_path
):
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo_data", verbosity=0)
    counted = kept()
    assert counted == recounted()
    now = kept(NOW)
    assert now == recounted(NOW)
    published = sum(v.get("published_items", 0) for v in now.values())
    assert published == PublishedPowerItem.objects.count() > 0
    waiting = sum(
        v.get(f"cases_{stage.value}", 0) for v in now.values() for stage in WAITING_STAGES
    )
    assert waiting == Case.objects.filter(stage__in=WAITING_STAGES).count() > 0
    totals = {name: sum(v.get(name, 0) for v in counted.values()) for name in columns()}
    # The demo runs complaints, cases, decisions and disclosures through their services.
    assert totals["complaints_received"] == Complaint.objects.count() > 0
    assert totals["cases_opened"] == Case.objects.count() > 0
    issued = Decision.objects.filter(status=Decision.Status.ISSUED)
    assert totals["decisions_issued"] == issued.count() > 0
    assert totals["decisions_disclosed"] == issued.filter(disclosure__isnull=False).count() > 0


def test_moving_an_acknowledgement_deadline_to_another_month_moves_its_count(agency_a):
    made = complaint(agency_a, registered=at(2026, 3, 30, 10), ack_by=date(2026, 3, 31))
    march, april = date(2026, 3, 1), date(2026, 4, 1)
    row = MonthTally.objects.get(agency=agency_a, month=march)
    assert (row.complaints_received, row.ack_undecided) == (1, 1)
    made.acknowledge_by = date(2026, 4, 2)
    made.save(update_fields=["acknowledge_by"])
    assert MonthTally.objects.get(agency=agency_a, month=march).ack_undecided == 0
    assert MonthTally.objects.get(agency=agency_a, month=april).ack_undecided == 1
    assert kept() == recounted()


def test_a_decided_complaint_moves_from_undecided_to_on_time_or_late(agency_a):
    on_time = complaint(agency_a, registered=at(2026, 5, 4, 9), ack_by=date(2026, 5, 11))
    late = complaint(agency_a, registered=at(2026, 5, 4, 9), ack_by=date(2026, 5, 11))
    on_time.decided_at, on_time.status = at(2026, 5, 11, 23, 59), Complaint.Status.ACCEPTED
    on_time.save()
    late.decided_at, late.status = at(2026, 5, 12, 0, 1), Complaint.Status.REFUSED
    late.refusal_reason = "other"
    late.save()
    row = MonthTally.objects.get(agency=agency_a, month=date(2026, 5, 1))
    assert (row.ack_on_time, row.ack_late, row.ack_undecided) == (1, 1, 0)
    assert (row.status_registered, row.status_accepted, row.status_refused) == (0, 1, 1)


def test_a_deleted_payment_is_no_longer_collected(agency_a, inspector_a, city_supervisor):
    bank = CollectingBank.objects.create(
        region=agency_a.region, name="工商银行", account_name="财政", account_number="1"
    )
    item = make_draft(agency_a, inspector_a)
    issued = fine(
        case(agency_a, item, inspector_a, opened=at(2026, 2, 1, 9)),
        bank,
        city_supervisor,
        issued=at(2026, 2, 20, 9),
        amount="5000",
        paid="2000",
    )
    row = MonthTally.objects.get(agency=agency_a, month=date(2026, 2, 1))
    assert (row.fines_issued, row.fines_decided, row.fines_collected) == (
        1,
        Decimal("5000.00"),
        Decimal("2000.00"),
    )
    FinePayment.objects.filter(decision=issued).get().delete()
    row.refresh_from_db()
    assert row.fines_collected == Decimal("0.00")
    assert kept() == recounted()


def test_a_legal_review_counts_in_the_month_it_was_written(agency_a, inspector_a, legal_office_a):
    item = make_draft(agency_a, inspector_a)
    reviewed = case(agency_a, item, inspector_a, opened=at(2026, 1, 5, 9))
    legal_review(reviewed, legal_office_a, when=at(2026, 1, 31, 23, 30), conclusion="agree")
    legal_review(reviewed, legal_office_a, when=at(2026, 2, 1, 0, 30), conclusion="revise")
    january = MonthTally.objects.get(agency=agency_a, month=date(2026, 1, 1))
    february = MonthTally.objects.get(agency=agency_a, month=date(2026, 2, 1))
    assert (january.reviews, january.reviews_passed) == (1, 1)
    assert (february.reviews, february.reviews_passed) == (1, 0)


def test_a_save_that_changes_nothing_counted_sends_no_tally_query(agency_a):
    made = complaint(agency_a, registered=at(2026, 3, 2, 10))
    made = Complaint.objects.get(pk=made.pk)
    made.place = "南门"
    with CaptureQueriesContext(connection) as queries:
        made.save(update_fields=["place"])
    assert queries[0]["sql"].startswith('UPDATE "complaints_complaint"')
    assert not any("reporting_monthtally" in query["sql"] for query in queries)


def test_the_rebuild_writes_what_the_upkeep_kept_and_can_run_again(agency_a, county_agency_a):
    for agency in (agency_a, county_agency_a):
        complaint(agency, registered=at(2026, 7, 1, 0, 5), decided=at(2026, 7, 2, 9))
    before = kept()
    MonthTally.objects.all().delete()
    assert tallies_rebuild() == 2
    assert kept() == before
    call_command("tallies_rebuild", verbosity=0)
    assert kept() == before


@pytest.mark.postgres("row locks between concurrent transactions")
@pytest.mark.django_db(transaction=True)
def test_complaints_filed_at_the_same_moment_all_count(agency_a):
    """Eight citizens file against one agency at once: each filing adds its count to the month's
    row by an atomic upsert, so none is lost whatever order they commit in."""
    filers = 8

    def file(n):
        complaint_register(
            agency=agency_a,
            category="uncivil",
            description=f"第{n}位投诉人：执法人员态度恶劣，出言不逊。",
            occurred_on=date.today() - timedelta(days=1),
            anonymous=True,
        )

    assert at_once(filers, file) == []
    assert sum(row["complaints_received"] for row in kept().values()) == filers
    assert kept() == recounted()


def test_a_deferred_block_writes_its_tallies_at_its_end_and_drops_them_on_failure(agency_a):
    with deferring():
        complaint(agency_a, registered=at(2026, 8, 3, 10))
        assert not MonthTally.objects.filter(month=date(2026, 8, 1)).exists()
    assert MonthTally.objects.get(month=date(2026, 8, 1)).complaints_received == 1
    with pytest.raises(RuntimeError), transaction.atomic(), deferring():
        complaint(agency_a, registered=at(2026, 8, 4, 10))
        raise RuntimeError("the service failed")
    assert MonthTally.objects.get(month=date(2026, 8, 1)).complaints_received == 1
    complaint(agency_a, registered=at(2026, 8, 5, 10))  # nothing left over from the failed block
    assert MonthTally.objects.get(month=date(2026, 8, 1)).complaints_received == 2
    assert kept() == recounted()


def test_a_new_complaint_counts_from_its_own_values_without_reading_them_back(
    agency_a, monkeypatch
):
    """An insert only adds its own row: its count comes from the values written (no grouped
    read), and equals the recount in every state a new row can be written in, at a month's
    edge in local time too."""
    edges = [at(2026, 4, 1, 0, 30), at(2026, 3, 31, 23, 30), at(2026, 6, 15, 12)]
    decided = [None, at(2026, 4, 8, 23, 59), at(2026, 4, 9, 0, 1)]
    states = [
        {"status": Complaint.Status.REGISTERED},
        {"status": Complaint.Status.ACCEPTED, "handling_started_on": date(2026, 4, 2)},
        {"status": Complaint.Status.CLOSED, "result": "substantiated"},
        {"status": Complaint.Status.CLOSED, "result": "partly"},
        {"status": Complaint.Status.CLOSED, "result": "unsubstantiated"},
        {"status": Complaint.Status.REFUSED, "refusal_reason": "other"},
    ]
    n = 0
    for registered in edges:
        monkeypatch.setattr("django.utils.timezone.now", lambda registered=registered: registered)
        for decided_at in decided:
            for state in states:
                n += 1
                with CaptureQueriesContext(connection) as queries:
                    Complaint.objects.create(
                        region=agency_a.region,
                        year=2026,
                        sequence=n,
                        number=f"OWN-{n}",
                        received_on=registered.date(),
                        agency=agency_a,
                        occurred_on=date(2026, 3, 1),
                        category="slow",
                        description="测试投诉",
                        anonymous=True,
                        acknowledge_by=date(2026, 4, 8),
                        decided_at=decided_at,
                        fingerprint=f"own{n}",
                        **state,
                    )
                assert not any("tally_agency" in query["sql"] for query in queries)
    monkeypatch.undo()
    assert sum(row.get("complaints_received", 0) for row in kept().values()) == n
    assert kept() == recounted()
    assert kept(NOW) == recounted(NOW)
