"""R23: an unqualified department is ordered to rectify by a deadline, reminded before it,
escalated once it passes, and the order is closed with evidence.

Closing is one step by the supervisor (our choice): the department hands in what it did (a
report, photos) and the supervisor who answers for the order judges it sufficient, attaches it
and closes. One accountable actor and no half-closed state; the department's own account is the
closing note and file, kept with the order's history.
"""

from collections import defaultdict
from datetime import date

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import transaction
from django.utils import timezone
from django.utils.timezone import localdate
from django.utils.translation import gettext as _

from portal.recipients import agency_staff_emails, supervisor_emails
from portal.text import clean_text
from portal.uploads import MIB, check_file
from workdays.deadlines import add_working_days

from ..models import AgencyResult, CycleEvent, Grade, RectificationOrder
from .permissions import cycle_can_manage

REMIND_WORKING_DAYS = 5  # the department is reminded from this many working days before the due
EVIDENCE_LIMITS = {"document": 20 * MIB, "image": 10 * MIB}
TEXT_MAX = 4000


@transaction.atomic
def rectification_order(*, result: AgencyResult, requirements: str, due: date, actor):
    """R23: order the unqualified department to rectify by `due` (a date after today); one order
    per result."""
    result = (
        AgencyResult.objects.select_for_update(of=("self",))
        .select_related("cycle__region", "agency")
        .get(pk=result.pk)
    )
    if not cycle_can_manage(actor, result.cycle):
        raise PermissionDenied(_("只有本地区的政府法制监督人员可以责令整改。"))
    if result.grade != Grade.UNQUALIFIED:
        raise ValidationError(_("只有考核不合格的单位才能责令整改。"), code="not_unqualified")
    if RectificationOrder.objects.filter(result=result).exists():
        raise ValidationError(_("已对该单位下达过整改通知，不能重复下达。"), code="duplicate")
    if not isinstance(due, date) or due <= localdate():
        raise ValidationError({"due": _("整改期限应晚于今天。")}, code="due_past")
    requirements = clean_text(
        requirements, label=_("整改要求"), max_length=TEXT_MAX, field="requirements"
    )
    order = RectificationOrder(result=result, requirements=requirements, due=due, ordered_by=actor)
    order.full_clean(exclude=["result"], validate_unique=False)
    order._history_user = actor
    order.save()
    CycleEvent.objects.create(
        cycle=result.cycle,
        kind=CycleEvent.Kind.RECTIFICATION_ORDERED,
        actor=actor,
        agency=result.agency,
        note=_("整改期限 %(due)s。") % {"due": f"{due:%Y-%m-%d}"},
    )
    return order


@transaction.atomic
def rectification_close(*, order: RectificationOrder, note: str, file, actor):
    """R23: the supervisor closes the order with the department's evidence: what was done
    (`note`) and a document or photo proving it (checked by its content)."""
    order = (
        RectificationOrder.objects.select_for_update(of=("self",))
        .select_related("result__cycle__region", "result__agency")
        .get(pk=order.pk)
    )
    if not cycle_can_manage(actor, order.result.cycle):
        raise PermissionDenied(_("只有本地区的政府法制监督人员可以确认整改完成。"))
    if order.status == RectificationOrder.Status.CLOSED:
        raise ValidationError(_("该整改通知已经完成，不能重复办理。"), code="closed")
    note = clean_text(note, label=_("整改情况"), max_length=TEXT_MAX, field="note")
    if not file:
        raise ValidationError({"file": _("请上传整改证明材料。")}, code="no_file")
    try:
        checked = check_file(file, limits=EVIDENCE_LIMITS)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}, code="bad_file") from None
    order.status = RectificationOrder.Status.CLOSED
    order.closing_note, order.closed_by, order.closed_at = note, actor, timezone.now()
    order.closing_file.save(f"evidence.{checked.extension}", checked.upload, save=False)
    order.full_clean(exclude=["result"], validate_unique=False)
    order._history_user = actor
    order.save()
    CycleEvent.objects.create(
        cycle=order.result.cycle,
        kind=CycleEvent.Kind.RECTIFICATION_CLOSED,
        actor=actor,
        agency=order.result.agency,
        note=note[:500],
    )
    return order


def _order_line(order: RectificationOrder) -> str:
    return _("- %(agency)s（%(year)s 年度考核不合格）：整改期限 %(due)s") % {
        "agency": order.result.agency,
        "year": order.result.cycle.year,
        "due": f"{order.due:%Y-%m-%d}",
    }


@transaction.atomic
def rectification_sweep(*, today: date | None = None) -> dict[str, int]:
    """R23's daily job: remind each department whose order falls due within
    REMIND_WORKING_DAYS working days (at most once a day), and escalate each order past its due
    date once: it becomes overdue and the supervisors of the region above the cycle's are told.
    Idempotent; the mail is sent inside the transaction, so a failed send is retried next run."""
    today = today or localdate()
    horizon = add_working_days(start=today, days=REMIND_WORKING_DAYS).deadline
    base = RectificationOrder.objects.select_related(
        "result__agency", "result__cycle__region__parent"
    ).select_for_update(skip_locked=True, of=("self",))
    to_remind = list(
        base.filter(status=RectificationOrder.Status.OPEN, due__gte=today, due__lte=horizon)
        .exclude(reminded_on=today)
        .order_by("due", "pk")
    )
    to_escalate = list(
        base.filter(status=RectificationOrder.Status.OPEN, due__lt=today).order_by("due", "pk")
    )
    events, messages = [], []
    for order in to_remind:
        order.reminded_on = today
        events.append(_event(order, CycleEvent.Kind.RECTIFICATION_REMINDED, today))
    for order in to_escalate:
        order.status, order.escalated_on = RectificationOrder.Status.OVERDUE, today
        events.append(_event(order, CycleEvent.Kind.RECTIFICATION_ESCALATED, today))
    RectificationOrder.objects.bulk_update(to_remind, ["reminded_on"])
    RectificationOrder.objects.bulk_update(to_escalate, ["status", "escalated_on"])
    RectificationOrder.history.bulk_history_create(to_remind + to_escalate)
    CycleEvent.objects.bulk_create(events)

    staff = agency_staff_emails({o.result.agency_id for o in to_remind})
    for order in to_remind:
        if staff.get(order.result.agency_id):
            subject = _("整改期限即将届满：%(agency)s") % {"agency": order.result.agency}
            body = _("请在整改期限内完成整改并向政府法制监督部门提交整改情况：\n%(line)s\n%(req)s")
            body %= {"line": _order_line(order), "req": order.requirements}
            messages.append(
                (subject, body, settings.DEFAULT_FROM_EMAIL, staff[order.result.agency_id])
            )

    by_path = defaultdict(list)
    for order in to_escalate:
        region = order.result.cycle.region
        by_path[(region.parent or region).path].append(order)
    supervisors = supervisor_emails(set(by_path))
    for path, orders in by_path.items():
        if supervisors.get(path):
            subject = _("整改逾期上报（%(count)s 个单位）") % {"count": len(orders)}
            body = _("以下考核不合格单位已超过整改期限仍未完成整改：\n%(lines)s")
            body %= {"lines": "\n".join(_order_line(o) for o in orders)}
            messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, supervisors[path]))
    if messages:
        send_mass_mail(messages, fail_silently=False)
    return {"reminded": len(to_remind), "escalated": len(to_escalate), "emails": len(messages)}


def _event(order: RectificationOrder, kind, today: date) -> CycleEvent:
    return CycleEvent(
        cycle=order.result.cycle,
        kind=kind,
        agency=order.result.agency,
        note=_("整改期限 %(due)s，%(today)s 处理。")
        % {"due": f"{order.due:%Y-%m-%d}", "today": f"{today:%Y-%m-%d}"},
    )
