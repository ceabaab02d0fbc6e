"""Records for the figures' and the dashboard's tests, written with the models' save() (the
services that write them are tested in their own apps; save() keeps the monthly tallies as the
services' saves do): complaints registered and decided at
chosen instants, cases opened, revision tasks due, fines issued and paid."""

import itertools
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from complaints.models import Complaint
from enforcement.models import BasisChange, Case, Decision, FinePayment, RevisionTask

SH = ZoneInfo("Asia/Shanghai")
_serial = itertools.count(1)


def at(*args) -> datetime:
    return datetime(*args, tzinfo=SH)


def complaint(agency, *, registered, ack_by=None, decided=None, status=None, result=""):
    """A complaint against `agency` registered at `registered`; undecided unless `decided`."""
    n = next(_serial)
    made = Complaint.objects.create(
        region=agency.region,
        year=registered.year,
        sequence=n,
        number=f"FW-{n}",
        received_on=registered.date(),
        agency=agency,
        occurred_on=registered.date(),
        category="slow",
        description="测试投诉",
        anonymous=True,
        acknowledge_by=ack_by or registered.date(),
        due_on=None if decided else (ack_by or registered.date()),
        decided_at=decided,
        handling_started_on=decided.date() if decided and status != "refused" else None,
        result=result,
        status=status or (Complaint.Status.ACCEPTED if decided else Complaint.Status.REGISTERED),
        refusal_reason="other" if status == "refused" else "",
        fingerprint=f"fw{n}",
    )
    made.registered_at = registered  # auto_now_add: set after, through save() like any change
    made.save(update_fields=["registered_at"])
    return made


def case(agency, item, actor, *, opened) -> Case:
    return Case.objects.create(
        agency=agency,
        power_item=item,
        item_code=item.code,
        item_name=item.name,
        source=Case.Source.INSPECTION,
        summary="销售过期食品。",
        opened_by=actor,
        opened_at=opened,
    )


def issued_decision(of_case, actor, *, issued, kind="fine", amount=None, bank=None, tier=None):
    """An issued decision of `kind`: a fine of `amount` yuan paid to `bank`, under `tier` if
    given."""
    return Decision.objects.create(
        case=of_case,
        kind=kind,
        fine_amount=Decimal(amount) if amount else None,
        collecting_bank=bank,
        tier=tier,
        explanation="说明",
        draft="草稿",
        status=Decision.Status.ISSUED,
        issued_at=issued,
        issued_by=actor,
    )


def fine(of_case, bank, actor, *, issued, amount, paid=None) -> Decision:
    """An issued fine of `amount` yuan, and a payment of `paid` if given."""
    decision = issued_decision(of_case, actor, issued=issued, amount=amount, bank=bank)
    if paid:
        FinePayment.objects.create(
            decision=decision,
            bank=bank,
            receipt_number=f"R{next(_serial)}",
            amount=Decimal(paid),
            paid_on=issued.date(),
            recorded_by=actor,
        )
    return decision


def revision(agency, actor, *, due: date, closed=None) -> RevisionTask:
    change = BasisChange.objects.create(
        kind=BasisChange.Kind.FUNCTIONS_CHANGED,
        agency=agency,
        published_on=due,
        summary="职能调整",
        recorded_by=actor,
    )
    return RevisionTask.objects.create(
        change=change,
        agency=agency,
        due_on=due,
        status=RevisionTask.Status.CLOSED if closed else RevisionTask.Status.OPEN,
        closed_at=closed,
    )


def legal_review(of_case, actor, *, when, conclusion, status="in_review"):
    """A legal review of the case's decision (made if needed, left in `status`), dated `when`."""
    from enforcement.models import LegalReview

    decision, _made = Decision.objects.get_or_create(
        case=of_case,
        defaults={
            "kind": "warning",
            "explanation": "说明",
            "draft": "草稿",
            "status": status,
            "is_major": True,
            "review_required": True,
        },
    )
    review = LegalReview.objects.create(
        decision=decision,
        reviewer=actor,
        draft_version=1,
        subject_lawful=True,
        facts_proven=True,
        basis_correct=True,
        discretion_proper=True,
        procedure_lawful=True,
        conclusion=conclusion,
        reasons="理由",
    )
    review.at = when  # auto_now_add: set after, through save() like any change
    review.save(update_fields=["at"])
    return review


def clue(agency, actor, *, registered, due: date, status="registered"):
    from accountability.models import Clue

    n = next(_serial)
    made = Clue.objects.create(
        number=f"QW-{n}",
        region=agency.region,
        year=registered.year,
        sequence=n,
        agency=agency,
        source=Clue.Source.REPORT,
        summary="线索",
        received_on=registered.date(),
        registered_by=actor,
        status=status,
        due_on=due,
        finding="responsible" if status == "closed" else "",
        reasons="理由" if status == "closed" else "",
    )
    Clue.objects.filter(pk=made.pk).update(registered_at=registered)
    return made


def proceeding(of_clue, actor, *, step="handling", due: date | None = None):
    from accountability.models import Proceeding

    return Proceeding.objects.create(
        clue=of_clue,
        number=f"AJ-{next(_serial)}",
        agency=of_clue.agency,
        handler=actor,
        step=step,
        step_started_on=of_clue.received_on,
        step_due_on=due,
        opened_by=actor,
    )


def evaluated(cycle_region, agency, evaluator, actor, *, year, grade=None, scored=True):
    """A cycle of `year` (made once a region) evaluating `agency` on two indicators, scored or
    half scored, with a result of `grade` if given."""
    from assessment.models import AgencyResult, Assignment, Cycle, Indicator, Score

    cycle, _made = Cycle.objects.get_or_create(
        region=cycle_region, year=year, defaults={"opened_by": actor}
    )
    indicators = [
        Indicator.objects.get_or_create(
            cycle=cycle,
            code=f"I{n}",
            defaults={
                "name": f"指标{n}",
                "category": Indicator.Category.ENFORCEMENT,
                "max_points": Decimal(50),
                "guidance": "标准",
                "order": n,
            },
        )[0]
        for n in (1, 2)
    ]
    assignment = Assignment.objects.create(
        cycle=cycle, agency=agency, evaluator=evaluator, role=Assignment.Role.LOCAL, weight=100
    )
    for indicator in indicators if scored else indicators[:1]:
        Score.objects.create(
            assignment=assignment,
            indicator=indicator,
            points=Decimal(40),
            evidence="记录",
            scored_by=actor,
        )
    result = None
    if grade:
        result = AgencyResult.objects.create(
            cycle=cycle,
            agency=agency,
            total=Decimal(80),
            grade=grade,
            computed_at=at(year, 12, 1, 9),
        )
    return cycle, result
