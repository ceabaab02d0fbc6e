"""R7: the discretion report's tally per agency, item and year of issue. Every service of the demo
province keeps it equal to a recount from the decisions; a fine moved to another year takes its
smallest or largest amount with it (a difference could not undo a minimum); a tier whose range
changes moves its fines between within and outside; a deleted case leaves no count behind; a
draft saved again costs no tally query; concurrent issues in one group all count."""

from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from enforcement.models import CollectingBank, Decision
from reporting.models import DiscretionTally
from reporting.services.discretion import discretion_compute
from tests.concurrency import at_once
from tests.enforcement.staff_factories import make_draft, make_tiers

from .figure_world import at, case, issued_decision

pytestmark = pytest.mark.django_db

COUNTED = (
    "item_code",
    "item_name",
    "penalties",
    "penalties_with_tier",
    "others",
    "others_with_tier",
    "fines_within",
    "fines_below",
    "fines_above",
    "fine_min",
    "fine_max",
)


def kept() -> dict:
    return {
        (row["agency_id"], row["item_id"], row["year"]): {name: row[name] for name in COUNTED}
        for row in DiscretionTally.objects.values("agency_id", "item_id", "year", *COUNTED)
    }


@pytest.fixture
def bank(agency_a):
    return CollectingBank.objects.create(
        region=agency_a.region, name="工商银行", account_name="财政", account_number="1"
    )


@pytest.fixture
def item(agency_a, inspector_a):
    return make_draft(agency_a, inspector_a)


def issued(agency, item, actor, bank, *, when, kind="fine", amount=None, tier=None) -> Decision:
    """A decision of `kind` issued at `when` in a new case of the item."""
    return issued_decision(
        case(agency, item, actor, opened=when),
        actor,
        issued=when,
        kind=kind,
        amount=amount,
        bank=bank if kind == "fine" else None,
        tier=tier,
    )


def test_every_service_of_the_demo_province_keeps_the_tally_equal_to_a_recount(settings, tmp_path):
    settings.DEBUG = True
    settings.MEDIA_ROOT = tmp_path
    call_command("load_demo_data", verbosity=0)
    counted = kept()
    assert counted == discretion_compute()
    issued_now = Decision.objects.filter(status=Decision.Status.ISSUED)
    total = sum(row["penalties"] + row["others"] for row in counted.values())
    assert total == issued_now.count() > 0


def test_a_fine_moved_to_another_year_takes_its_amount_with_it(agency_a, item, inspector_a, bank):
    tiers = make_tiers(item)
    low = issued(agency_a, item, inspector_a, bank, when=at(2026, 3, 1, 9), amount="3000")
    issued(agency_a, item, inspector_a, bank, when=at(2026, 4, 1, 9), amount="20000", tier=tiers[1])
    row = DiscretionTally.objects.get(agency=agency_a, item=item, year=2026)
    assert (row.penalties, row.penalties_with_tier, row.fines_within) == (2, 1, 1)
    assert (row.fine_min, row.fine_max) == (Decimal("3000.00"), Decimal("20000.00"))
    # Issued on New Year's Eve in Beijing time (still 2025 in UTC): 2025's report, not 2026's.
    low.issued_at = at(2025, 12, 31, 23, 30)
    low.save(update_fields=["issued_at"])
    row.refresh_from_db()
    assert (row.penalties, row.fine_min, row.fine_max) == (
        1,
        Decimal("20000.00"),
        Decimal("20000.00"),
    )
    last_year = DiscretionTally.objects.get(agency=agency_a, item=item, year=2025)
    assert (last_year.penalties, last_year.fine_min) == (1, Decimal("3000.00"))
    assert kept() == discretion_compute()


def test_a_tier_whose_range_changes_moves_its_fines(agency_a, item, inspector_a, bank):
    tiers = make_tiers(item)
    issued(agency_a, item, inspector_a, bank, when=at(2026, 5, 1, 9), amount="20000", tier=tiers[1])
    tiers[1].fine_max = Decimal("10000")
    tiers[1].save()
    row = DiscretionTally.objects.get(agency=agency_a, item=item, year=2026)
    assert (row.fines_within, row.fines_above) == (0, 1)
    assert kept() == discretion_compute()


def test_a_deleted_case_leaves_no_count(agency_a, item, inspector_a, bank):
    gone = issued(agency_a, item, inspector_a, bank, when=at(2026, 6, 1, 9), kind="warning")
    assert DiscretionTally.objects.get(agency=agency_a, item=item, year=2026).penalties == 1
    gone.case.delete()
    assert not DiscretionTally.objects.exists()


def test_a_draft_saved_again_sends_no_tally_query(agency_a, item, inspector_a):
    draft = Decision.objects.create(
        case=case(agency_a, item, inspector_a, opened=at(2026, 7, 1, 9)),
        kind="warning",
        explanation="说明",
        draft="草稿",
    )
    draft = Decision.objects.get(pk=draft.pk)
    draft.draft, draft.kind = "第二稿", "confiscation"
    with CaptureQueriesContext(connection) as queries:
        draft.save(update_fields=["draft", "kind"])
    assert not any("discretiontally" in query["sql"] for query in queries)
    assert not any("tally_item" in query["sql"] for query in queries)


@pytest.mark.postgres("row locks between concurrent transactions")
@pytest.mark.django_db(transaction=True)
def test_fines_issued_at_the_same_moment_all_count(agency_a, item, inspector_a, bank):
    """Six fines of one item issued at once (in six months of one year): each recounts the group
    under its row's lock, so the last to commit counts them all, and the smallest and largest
    are right."""
    issuers = 6
    cases = [case(agency_a, item, inspector_a, opened=at(2026, 8, 1, 9)) for _ in range(issuers)]

    def issue(n):
        with transaction.atomic():  # as a service issues: uncommitted while it recounts
            # each in its own month: the monthly tallies' rows (locked by their upsert) do not
            # line the issues up, only the discretion tally's row does
            amount = 1000 * (n + 1)
            issued_decision(
                cases[n], inspector_a, issued=at(2026, n + 1, 2, 9), amount=amount, bank=bank
            )

    assert at_once(issuers, issue) == []
    row = DiscretionTally.objects.get(agency=agency_a, item=item, year=2026)
    assert (row.penalties, row.fine_min, row.fine_max) == (
        issuers,
        Decimal("1000.00"),
        Decimal(f"{issuers * 1000}.00"),
    )
