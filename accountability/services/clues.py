"""R26: clues are registered with a number, handled by someone outside the unit concerned, and
closed only with a finding; a clue past its time limit escalates once and the unit that sat on it
is traced by a new clue. R13: a screened remedy outcome can become a clue (see `intake`).

Everything is checked before anything is written; a refusal changes nothing.
"""

from collections import defaultdict
from datetime import date

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.core.mail import send_mass_mail
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.timezone import localdate
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from enforcement.models import Agency, Officer
from portal.recipients import supervisor_emails
from portal.roles import Role, role_of
from portal.scoping import can_act_for, can_supervise
from portal.text import clean_text
from workdays.deadlines import add_working_days

from ..models import Clue, ClueCounter, ClueEvent, Proceeding

EARLIEST_DATE = date(2000, 1, 1)
# The source object each internal source must link to (external sources link to none).
SOURCE_OBJECT = {
    Clue.Source.COMPLAINT: "complaint",
    Clue.Source.INSPECTION: "inspection",
    Clue.Source.FILE_REVIEW: "file_review",
    Clue.Source.REMEDY: "remedy_outcome",
}
SOURCE_LABEL = {
    "complaint": gettext_lazy("投诉"),
    "inspection": gettext_lazy("检查记录"),
    "file_review": gettext_lazy("案卷评查"),
    "remedy_outcome": gettext_lazy("复议诉讼结果"),
}


def supervises(user, agency: Agency) -> bool:
    """A supervisor (not an administrator) whose region covers the agency."""
    return role_of(user) == Role.SUPERVISOR and can_supervise(user, agency)


def clue_working_days() -> int:
    """R26: the time limit in working days (setting ACCOUNTABILITY_CLUE_WORKING_DAYS)."""
    days = settings.ACCOUNTABILITY_CLUE_WORKING_DAYS
    if type(days) is not int or not 1 <= days <= 365:  # noqa: E721 - True is an int too
        raise ImproperlyConfigured(
            "ACCOUNTABILITY_CLUE_WORKING_DAYS must be a whole number from 1 to 365."
        )
    return days


def clue_deadline(received_on: date):
    return add_working_days(start=received_on, days=clue_working_days())


def take_number(*, region, year: int) -> int:
    """The next number of `region`'s clues for `year`, unique and gapless: the upsert's row lock
    is held until the transaction ends and a rollback gives the number back."""
    table = ClueCounter._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (region_id, year, last) VALUES (%s, %s, 1) "  # noqa: S608
            f"ON CONFLICT (region_id, year) DO UPDATE SET last = {table}.last + 1 RETURNING last",
            [region.pk, year],
        )
        return cursor.fetchone()[0]


def _source_agency(name: str, obj):
    if name == "inspection":
        return obj.agency_id
    if name in ("file_review", "remedy_outcome"):
        return obj.case.agency_id
    return obj.agency_id  # complaint


def _check_sources(source, agency, links: dict, external: dict) -> None:
    if source not in Clue.Source.values or source in (Clue.Source.OVERDUE, Clue.Source.REVERSE):
        raise ValidationError({"source": _("请选择有效的线索来源。")})
    wanted = SOURCE_OBJECT.get(source)
    for name, obj in links.items():
        if obj is None:
            continue
        if name != wanted:
            raise ValidationError({name: _("所关联的记录与线索来源不符。")})
        if _source_agency(name, obj) != agency.pk:
            raise ValidationError(
                {
                    name: _("%(what)s涉及的单位与线索涉及的单位不一致。")
                    % {"what": SOURCE_LABEL[name]}
                }
            )
        if Clue.objects.filter(**{name: obj}).exists():
            raise ValidationError(
                {name: _("该%(what)s已经登记为问责线索。") % {"what": SOURCE_LABEL[name]}},
                code="registered",
            )
    if wanted and links.get(wanted) is None:
        raise ValidationError({wanted: _("请指明来源%(what)s。") % {"what": SOURCE_LABEL[wanted]}})
    if source in Clue.EXTERNAL and not external["external_body"]:
        raise ValidationError({"external_body": _("请填写移送或来源机关。")})


def _check_date(value, *, field: str, label, required: bool = True):
    if value is None and not required:
        return None
    if not isinstance(value, date) or hasattr(value, "hour"):
        raise ValidationError({field: _("%(label)s不是有效的日期。") % {"label": label}})
    if value > localdate():
        raise ValidationError({field: _("%(label)s不能晚于今天。") % {"label": label}})
    if value < EARLIEST_DATE:
        raise ValidationError({field: _("%(label)s不能早于 2000 年。") % {"label": label}})
    return value


def _write(*, region, agency, source, summary, received_on, actor, officers=(), **fields) -> Clue:
    """Number and save a checked clue (the lock on the counter taken last)."""
    due = clue_deadline(received_on)
    year = localdate().year  # the register of the year the clue is registered in
    clue = Clue(
        region=region,
        agency=agency,
        source=source,
        summary=summary,
        received_on=received_on,
        registered_by=actor,
        year=year,
        sequence=0,
        number="-",
        due_on=due.deadline,
        due_provisional=due.provisional,
        **fields,
    )
    clue.sequence = take_number(region=region, year=year)
    clue.number = f"ZJ-{region.code}-{year}-{clue.sequence:04d}"
    clue.full_clean(exclude=["officers"])
    clue._history_user = actor
    clue.save()
    if officers:
        clue.officers.set(officers)
    return clue


@transaction.atomic
def clue_register(
    *,
    region,
    agency: Agency,
    source: str,
    summary: str,
    received_on: date,
    actor,
    officers=(),
    complaint=None,
    inspection=None,
    file_review=None,
    remedy_outcome=None,
    external_body: str = "",
    external_reference: str = "",
    external_date=None,
) -> Clue:
    """R26: a supervisor whose region covers the agency registers a clue, numbered in `region`'s
    register (the supervisor's own region or one above the agency's)."""
    if not supervises(actor, agency):
        raise PermissionDenied(_("只有管辖该单位的政府法制监督人员可以登记问责线索。"))
    if region is None or not agency.region.is_within(region) or not region.is_within(actor.region):
        raise ValidationError({"region": _("登记地区须在您的辖区内，且涵盖涉及单位。")})
    summary = clean_text(summary, field="summary", label=_("线索摘要"), max_length=5000)
    received_on = _check_date(received_on, field="received_on", label=_("收到日期"))
    external = {
        "external_body": clean_text(
            external_body,
            field="external_body",
            label=_("移送或来源机关"),
            max_length=100,
            required=False,
        ),
        "external_reference": clean_text(
            external_reference,
            field="external_reference",
            label=_("来文文号"),
            max_length=100,
            required=False,
        ),
        "external_date": _check_date(
            external_date, field="external_date", label=_("来文日期"), required=False
        ),
    }
    links = {
        "complaint": complaint,
        "inspection": inspection,
        "file_review": file_review,
        "remedy_outcome": remedy_outcome,
    }
    _check_sources(source, agency, links, external)
    officers = list(officers)
    if any(not isinstance(o, Officer) or o.agency_id != agency.pk for o in officers):
        raise ValidationError({"officers": _("涉及人员须是涉及单位的执法人员。")})
    clue = _write(
        region=region,
        agency=agency,
        source=source,
        summary=summary,
        received_on=received_on,
        actor=actor,
        officers=officers,
        **links,
        **external,
    )
    clue.timeline.create(
        kind=ClueEvent.Kind.REGISTERED,
        actor=actor,
        note=_("来源：%(source)s；办理期限 %(due)s。")
        % {"source": clue.get_source_display(), "due": f"{clue.due_on:%Y-%m-%d}"},
    )
    return clue


def may_handle(user, clue: Clue) -> bool:
    """The clue's handler, or a supervisor over the unit concerned."""
    return clue.handler_id == user.pk or supervises(user, clue.agency)


def conflicted(user, agency: Agency) -> bool:
    """A user who belongs to the unit concerned may not handle its clue: its staff and legal
    office, and, when the unit is a government's legal office (its supervisory responsibility
    is in question), the supervisors of that government, who work in it."""
    if user.agency_id == agency.pk or can_act_for(user, agency):
        return True
    return agency.is_legal_office and user.region_id == agency.region_id


@transaction.atomic
def clue_assign(*, clue: Clue, handler, actor) -> Clue:
    """R24, R26: a supervisor over the unit names a handler: a supervisor in scope who does not
    belong to the unit concerned (a conflict of interest is refused)."""
    clue = Clue.objects.select_for_update().select_related("agency__region").get(pk=clue.pk)
    if not supervises(actor, clue.agency):
        raise PermissionDenied(_("只有管辖该单位的政府法制监督人员可以指定承办人。"))
    if clue.status == Clue.Status.CLOSED:
        raise ValidationError(_("该线索已办结，不能再指定承办人。"), code="closed")
    if handler is None or not getattr(handler, "is_active", False):
        raise ValidationError({"handler": _("请选择承办人。")})
    if conflicted(handler, clue.agency):
        raise ValidationError(
            {"handler": _("承办人属于被追究单位，存在利害关系，应当回避。")}, code="conflict"
        )
    if not supervises(handler, clue.agency):
        raise ValidationError(
            {"handler": _("承办人须是管辖该单位的政府法制监督人员。")}, code="scope"
        )
    if clue.handler_id == handler.pk:
        raise ValidationError({"handler": _("该线索已由此人承办。")}, code="same")
    clue.handler, clue.assigned_at = handler, timezone.now()
    clue.status = Clue.Status.HANDLING
    clue.full_clean(exclude=["officers"])
    clue._history_user = actor
    clue.save()
    clue.timeline.create(
        kind=ClueEvent.Kind.ASSIGNED,
        actor=actor,
        note=_("承办人：%(name)s") % {"name": handler.get_full_name() or handler.get_username()},
    )
    return clue


@transaction.atomic
def clue_close(*, clue: Clue, finding: str, reasons: str, actor) -> Clue:
    """R26: the handler or a supervisor over the unit closes a clue, once, with a finding and its
    reasons; no clue closes without one."""
    clue = Clue.objects.select_for_update().select_related("agency__region").get(pk=clue.pk)
    if not may_handle(actor, clue):
        raise PermissionDenied(_("只有承办人或管辖该单位的政府法制监督人员可以办结线索。"))
    if clue.status == Clue.Status.CLOSED:
        raise ValidationError(_("该线索已经办结。"), code="closed")
    if finding not in Clue.Finding.values:
        raise ValidationError({"finding": _("请选择认定结论，线索须有认定结论才能办结。")})
    clue.reasons = clean_text(reasons, field="reasons", label=_("认定理由"), max_length=5000)
    clue.finding = finding
    clue.status = Clue.Status.CLOSED
    clue.closed_at, clue.closed_by = timezone.now(), actor
    clue.full_clean(exclude=["officers"])
    clue._history_user = actor
    clue.save()
    clue.timeline.create(
        kind=ClueEvent.Kind.CLOSED,
        actor=actor,
        note=f"{clue.get_finding_display()}：{clue.reasons}",
    )
    return clue


@transaction.atomic
def clues_sweep(*, today: date | None = None) -> dict[str, int]:
    """R26 (beat): a clue past its deadline without a finding escalates exactly once to the
    supervisors of the region above, and the unit that sat on it is traced by a new clue."""
    today = today or localdate()
    # A clue whose case is open runs on the case's step limits (R24), swept by their own job.
    pks = list(
        Clue.objects.filter(escalated_on__isnull=True, due_on__lt=today)
        .exclude(status=Clue.Status.CLOSED)
        .exclude(Exists(Proceeding.objects.filter(clue=OuterRef("pk"))))
        .select_for_update(skip_locked=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    if not pks:
        return {"escalated": 0, "traced": 0, "emails": 0}
    Clue.objects.filter(pk__in=pks).update(escalated_on=today)
    overdue = list(
        Clue.objects.filter(pk__in=pks).select_related("region__parent", "agency").order_by("pk")
    )
    events, traced = [], 0
    for clue in overdue:
        line = _("%(number)s（涉及单位：%(agency)s）办理期限 %(due)s，逾期未作出认定。") % {
            "number": clue.number,
            "agency": clue.agency,
            "due": f"{clue.due_on:%Y-%m-%d}",
        }
        events.append(ClueEvent(clue=clue, kind=ClueEvent.Kind.ESCALATED, note=line))
        if not Clue.objects.filter(traced_from=clue, trace_check="").exists():
            trace = _write(
                region=clue.region,
                agency=clue.agency,
                source=Clue.Source.OVERDUE,
                summary=_("倒查：%(line)s") % {"line": line},
                received_on=today,
                actor=clue.registered_by,
                traced_from=clue,
            )
            events.append(ClueEvent(clue=trace, kind=ClueEvent.Kind.TRACED, note=line))
            traced += 1
    ClueEvent.objects.bulk_create(events)

    by_path = defaultdict(list)
    for clue in overdue:
        by_path[(clue.region.parent or clue.region).path].append(clue)
    supervisors = supervisor_emails(set(by_path))
    messages = []
    for path, clues in by_path.items():
        if supervisors.get(path):
            subject = _("问责线索逾期上报（%(count)s 条）") % {"count": len(clues)}
            body = _("以下问责线索已超过办理期限仍未作出认定，已对相关单位倒查立线索：\n%(lines)s")
            body %= {
                "lines": "\n".join(f"{c.number} {c.agency} {c.due_on:%Y-%m-%d}" for c in clues)
            }
            messages.append((subject, body, settings.DEFAULT_FROM_EMAIL, supervisors[path]))
    if messages:
        transaction.on_commit(lambda: send_mass_mail(messages, fail_silently=False))
    return {"escalated": len(overdue), "traced": traced, "emails": len(messages)}
