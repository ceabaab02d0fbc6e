"""Records for the figures' and the dashboard's tests, written straight to the tables (the
services that write them are tested in their own apps): complaints registered and decided at
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
    Complaint.objects.filter(pk=made.pk).update(registered_at=registered)
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


def fine(of_case, bank, actor, *, issued, amount, paid=None) -> Decision:
    """An issued fine of `amount` yuan, and a payment of `paid` if given."""
    decision = Decision.objects.create(
        case=of_case,
        kind=Decision.Kind.FINE,
        fine_amount=Decimal(amount),
        collecting_bank=bank,
        explanation="说明",
        draft="草稿",
        status=Decision.Status.ISSUED,
        issued_at=issued,
        issued_by=actor,
    )
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
