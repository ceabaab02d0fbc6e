"""Shared by the to-do tests: a little of everything a to-do list counts, in city A (the city,
its county) and in city B (out of city A's scope), made through the services where the state
matters and as bare rows where only the list reads it."""

import itertools
from datetime import date, timedelta

from django.utils import timezone
from django.utils.timezone import localdate

from accountability.services.clues import clue_assign
from complaints.models import Complaint
from enforcement.models import BasisChange, Case, Dispute, LegalBasis, RemedyOutcome, RevisionTask
from enforcement.services import power_items as items
from portal.services import user_assign_role
from tests.accountability.conftest import register
from tests.complaints.staff_pages import asked, registered
from tests.enforcement.staff_factories import make_draft, make_published
from tests.factories import UserFactory

_serial = itertools.count(1)

# The most each role's page may cost (the workspace also lists the role's agencies and, for
# supervisors, the R13 outcomes; the admin's index its app list).
BUDGET = {
    "inspector_a": 40,
    "legal_office_a": 42,
    "city_supervisor": 50,
    "sysadmin": 50,
}


def persona(username, role, **where):
    return user_assign_role(
        user=UserFactory(username=username, name=username), role=role, actor=None, **where
    )


def a_case(agency, item, opened_by, stage, *, closed=False) -> Case:
    return Case.objects.create(
        agency=agency,
        power_item=item,
        item_code=item.code,
        item_name=item.name,
        source=Case.Source.INSPECTION,
        summary="案由",
        opened_by=opened_by,
        stage=stage,
        closed_at=timezone.now() if closed else None,
    )


def an_outcome(case, recorded_by) -> RemedyOutcome:
    return RemedyOutcome.objects.create(
        case=case,
        kind=RemedyOutcome.Kind.RECONSIDERATION,
        body="人民政府",
        reference=f"复决〔2026〕{next(_serial)}号",
        decided_on=localdate(),
        outcome="revoked",
        summary="理由",
        recorded_by=recorded_by,
        needs_screening=True,
    )


def a_dispute(raised_by, other, user, status) -> Dispute:
    return Dispute.objects.create(
        raised_by=raised_by,
        other=other,
        kind=Dispute.Kind.BOTH_CLAIM,
        matter=f"争议事项 {next(_serial)}",
        statement="本单位主张管辖。",
        status=status,
        raised_by_user=user,
    )


def due(complaint, on: date) -> Complaint:
    Complaint.objects.filter(pk=complaint.pk).update(due_on=on)
    return complaint


def build(*, scale: int, a, b) -> None:
    """`scale` copies of each thing on each side. `a`, `b`: dicts of the side's personas and
    agencies (agency, county_agency, staff, legal_office, supervisor, other_agency)."""
    today = localdate()
    basis = LegalBasis.objects.create(
        title=f"食品安全法 {next(_serial)}", issuer="全国人大常委会", level="law",
        published_on=date(2021, 4, 29),
    )  # fmt: skip
    change = BasisChange.objects.create(
        kind="amended", basis=basis, published_on=today, summary="修改",
        recorded_by=a["supervisor"],
    )  # fmt: skip
    for side in (a, b):
        agency, staff, legal, supervisor = (
            side["agency"], side["staff"], side["legal_office"], side["supervisor"],
        )  # fmt: skip
        published = make_published(agency, staff, legal, supervisor, code=f"P-{next(_serial)}")
        for _n in range(scale):
            returned = make_draft(agency, staff, code=f"R-{next(_serial)}")
            items.power_item_submit(item=returned, actor=staff)
            items.power_item_return(item=returned, actor=legal, reason="依据不全")
            submitted = make_draft(agency, staff, code=f"S-{next(_serial)}")
            items.power_item_submit(item=submitted, actor=staff)
            passed = make_draft(agency, staff, code=f"L-{next(_serial)}")
            items.power_item_submit(item=passed, actor=staff)
            items.power_item_pass(item=passed, actor=legal)
            RevisionTask.objects.create(
                change=change, item=returned, agency=agency, due_on=today + timedelta(days=20)
            )
            for stage in ("initiation", "investigation", "decision", "service"):
                a_case(agency, published, staff, stage)
            a_case(agency, published, staff, "archiving", closed=True)
            an_outcome(a_case(side["county_agency"], published, staff, "service"), staff)
            a_dispute(agency, side["other_agency"], staff, Dispute.Status.RAISED)
            a_dispute(side["other_agency"], agency, staff, Dispute.Status.ANSWERED)
            registered(agency)
            due(registered(agency), today - timedelta(days=2))
            due(registered(agency), today)
            asked(agency, supervisor)
            clue = register(supervisor, agency)
            register(supervisor, side["county_agency"])
            handler = side.get("handler")
            if handler is not None:
                clue_assign(clue=clue, handler=handler, actor=supervisor)
