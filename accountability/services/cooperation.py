"""R12: cooperation with supervision commissions (监察) and audit bodies (审计): referrals sent and
received, their receipts (回执) and outcomes, notices (通报), and the periodic export of shared
information (共享信息). Everything is checked before anything is written; a refusal changes
nothing."""

import csv
import io
import json
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.timezone import localdate
from django.utils.translation import gettext as _

from enforcement.models import Agency, Region
from portal.roles import Role, role_of
from portal.text import clean_text

from ..models import BodyKind, Clue, CooperationExport, CooperationNotice, Referral, ReferralEvent
from .clues import _check_date, clue_register, supervises

EXPORT_FORMAT = "cooperation-export/1"
# The CSV has one row per record; `record` says which kind (docs/cooperation-export.md).
CSV_COLUMNS = [
    "record",
    "id",
    "number",
    "direction",
    "body_kind",
    "body_name",
    "agency",
    "subject",
    "status",
    "finding",
    "dated_on",
    "receipt_number",
    "receipt_on",
    "outcome",
    "outcome_on",
]
BODY_SOURCE = {BodyKind.SUPERVISION: Clue.Source.SUPERVISION, BodyKind.AUDIT: Clue.Source.AUDIT}


def _in_region(actor, region: Region) -> bool:
    role = role_of(actor)
    if role == Role.SYSADMIN:
        return True
    return role == Role.SUPERVISOR and bool(actor.region_id) and region.is_within(actor.region)


def _require_supervisor(actor, agency: Agency) -> None:
    if not supervises(actor, agency):
        raise PermissionDenied(_("只有管辖该单位的政府法制监督人员可以办理移送事项。"))


def _texts(*, body_kind, body_name, subject, summary, reference) -> dict:
    if body_kind not in BodyKind.values:
        raise ValidationError({"body_kind": _("请选择监察委员会或审计机关。")})
    return {
        "body_kind": body_kind,
        "body_name": clean_text(body_name, label=_("机关名称"), max_length=100, field="body_name"),
        "subject": clean_text(subject, label=_("事由"), max_length=200, field="subject"),
        "summary": clean_text(summary, label=_("内容摘要"), max_length=5000, field="summary"),
        "reference": clean_text(
            reference, label=_("文号"), max_length=100, required=False, field="reference"
        ),
    }


def _save(referral: Referral, actor, kind, note: str) -> Referral:
    referral.full_clean()
    referral._history_user = actor
    referral.save()
    ReferralEvent.objects.create(referral=referral, kind=kind, actor=actor, note=note)
    return referral


@transaction.atomic
def referral_send(
    *,
    agency: Agency,
    body_kind: str,
    body_name: str,
    subject: str,
    summary: str,
    sent_on: date,
    actor,
    clue: Clue | None = None,
    reference: str = "",
) -> Referral:
    """R12: a supervisor over the unit refers a matter (from a clue or standalone) to the
    supervision commission or audit body; it is complete only once its receipt is recorded."""
    if clue is not None:
        clue = Clue.objects.select_related("agency__region").get(pk=clue.pk)
        agency = clue.agency
    if not isinstance(agency, Agency):
        raise ValidationError({"agency": _("请选择涉及单位。")})
    _require_supervisor(actor, agency)
    fields = _texts(
        body_kind=body_kind,
        body_name=body_name,
        subject=subject,
        summary=summary,
        reference=reference,
    )
    sent_on = _check_date(sent_on, field="sent_on", label=_("移送日期"))
    referral = Referral(
        direction=Referral.Direction.OUTGOING,
        status=Referral.Status.SENT,
        region=actor.region if actor.region_id else agency.region,
        agency=agency,
        clue=clue,
        sent_on=sent_on,
        recorded_by=actor,
        **fields,
    )
    note = _("移送%(body)s：%(subject)s") % {
        "body": referral.body_name,
        "subject": referral.subject,
    }
    return _save(referral, actor, ReferralEvent.Kind.SENT, note)


@transaction.atomic
def referral_receive(
    *,
    agency: Agency,
    body_kind: str,
    body_name: str,
    subject: str,
    summary: str,
    received_on: date,
    actor,
    reference: str = "",
    sent_on: date | None = None,
) -> Referral:
    """R12: a matter referred by the supervision commission or audit body is recorded and, in the
    same transaction, registered as a clue (source 监察机关移送 / 审计移送, R26)."""
    if not isinstance(agency, Agency):
        raise ValidationError({"agency": _("请选择涉及单位。")})
    _require_supervisor(actor, agency)
    fields = _texts(
        body_kind=body_kind,
        body_name=body_name,
        subject=subject,
        summary=summary,
        reference=reference,
    )
    received_on = _check_date(received_on, field="received_on", label=_("收到日期"))
    sent_on = _check_date(sent_on, field="sent_on", label=_("来文日期"), required=False)
    if sent_on and sent_on > received_on:
        raise ValidationError({"sent_on": _("来文日期不能晚于收到日期。")})
    region = actor.region if actor.region_id else agency.region
    clue = clue_register(
        region=region,
        agency=agency,
        source=BODY_SOURCE[body_kind],
        summary=f"{fields['subject']}：{fields['summary']}"[:5000],
        received_on=received_on,
        actor=actor,
        external_body=fields["body_name"],
        external_reference=fields["reference"],
        external_date=sent_on,
    )
    referral = Referral(
        direction=Referral.Direction.INCOMING,
        status=Referral.Status.RECEIVED,
        region=region,
        agency=agency,
        clue=clue,
        sent_on=sent_on,
        received_on=received_on,
        recorded_by=actor,
        **fields,
    )
    note = _("收到%(body)s来函，登记为线索 %(number)s。") % {
        "body": referral.body_name,
        "number": clue.number,
    }
    return _save(referral, actor, ReferralEvent.Kind.RECEIVED, note)


def _locked(referral: Referral, actor) -> Referral:
    referral = (
        Referral.objects.select_for_update()
        .select_related("agency__region", "region")
        .get(pk=referral.pk)
    )
    if not (_in_region(actor, referral.region) and supervises(actor, referral.agency)):
        raise PermissionDenied(_("只有管辖该移送事项的政府法制监督人员可以办理。"))
    return referral


@transaction.atomic
def referral_record_receipt(
    *, referral: Referral, receipt_number: str, receipt_on: date, actor
) -> Referral:
    """R12: the receiving body's receipt (回执) of an outgoing referral, recorded once."""
    referral = _locked(referral, actor)
    if referral.direction != Referral.Direction.OUTGOING:
        raise ValidationError(_("只有移出的事项需要登记回执。"), code="incoming")
    if referral.receipt_on:
        raise ValidationError(_("该移送事项已经登记过回执。"), code="twice")
    number = clean_text(receipt_number, label=_("回执编号"), max_length=100, field="receipt_number")
    receipt_on = _check_date(receipt_on, field="receipt_on", label=_("回执日期"))
    if receipt_on < referral.sent_on:
        raise ValidationError({"receipt_on": _("回执日期不能早于移送日期。")})
    referral.receipt_number, referral.receipt_on = number, receipt_on
    referral.status = Referral.Status.RECEIPTED
    note = _("回执 %(number)s（%(on)s）") % {"number": number, "on": f"{receipt_on:%Y-%m-%d}"}
    return _save(referral, actor, ReferralEvent.Kind.RECEIPT, note)


@transaction.atomic
def referral_record_outcome(
    *, referral: Referral, outcome: str, outcome_on: date, actor
) -> Referral:
    """R12: the outcome of a referral, once; an outgoing one only after its receipt."""
    referral = _locked(referral, actor)
    if referral.outcome_on:
        raise ValidationError(_("该移送事项已经登记过处理结果。"), code="twice")
    if referral.direction == Referral.Direction.OUTGOING and not referral.receipt_on:
        raise ValidationError(_("尚未登记回执，不能登记处理结果。"), code="no_receipt")
    text = clean_text(outcome, label=_("处理结果"), max_length=5000, field="outcome")
    outcome_on = _check_date(outcome_on, field="outcome_on", label=_("结果日期"))
    earliest = referral.receipt_on or referral.received_on
    if outcome_on < earliest:
        raise ValidationError({"outcome_on": _("结果日期不能早于回执或收到日期。")})
    referral.outcome, referral.outcome_on = text, outcome_on
    referral.status = Referral.Status.CONCLUDED
    return _save(referral, actor, ReferralEvent.Kind.OUTCOME, text)


@transaction.atomic
def notice_circulate(
    *, title: str, body: str, bodies: str, sent_on: date, actor
) -> CooperationNotice:
    """R12: a supervisor circulates a notice (通报) to supervision and audit bodies."""
    if role_of(actor) != Role.SUPERVISOR or not actor.region_id:
        raise PermissionDenied(_("只有政府法制监督人员可以发出通报。"))
    notice = CooperationNotice(
        title=clean_text(title, label=_("标题"), max_length=200, field="title"),
        body=clean_text(body, label=_("通报内容"), max_length=10000, field="body"),
        bodies=clean_text(bodies, label=_("通报机关"), max_length=500, field="bodies"),
        sent_on=_check_date(sent_on, field="sent_on", label=_("通报日期")),
        region=actor.region,
        sent_by=actor,
    )
    notice.full_clean()
    notice._history_user = actor
    notice.save()
    return notice


def _cell(value) -> str:
    """A CSV cell a spreadsheet shows as text: one that starts like a formula gets a quote."""
    text = "" if value is None else str(value)
    if text[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + text
    return text


def _iso(value):
    return value.isoformat() if value else None


def export_content(*, region: Region, period_start: date, period_end: date) -> dict:
    """The shared information of `region` (and below) for the period, as the JSON document of
    docs/cooperation-export.md: names of agencies and bodies only, no complainant's identity."""
    path = region.path
    clues = (
        Clue.objects.filter(
            region__path__startswith=path,
            registered_at__date__gte=period_start,
            registered_at__date__lte=period_end,
        )
        .select_related("agency")
        .order_by("pk")
    )
    referrals = (
        Referral.objects.filter(region__path__startswith=path)
        .filter(
            _within("sent_on", period_start, period_end)
            | _within("received_on", period_start, period_end)
        )
        .select_related("agency", "clue")
        .order_by("pk")
    )
    notices = CooperationNotice.objects.filter(
        region__path__startswith=path, sent_on__gte=period_start, sent_on__lte=period_end
    ).order_by("pk")
    return {
        "format": EXPORT_FORMAT,
        "region": {"code": region.code, "name": region.name},
        "period": {"start": period_start.isoformat(), "end": period_end.isoformat()},
        "clues": [
            {
                "number": c.number,
                "agency": c.agency.name,
                "source": c.source,
                "received_on": _iso(c.received_on),
                "status": c.status,
                "finding": c.finding,
            }
            for c in clues
        ],
        "referrals": [
            {
                "id": r.pk,
                "direction": r.direction,
                "body_kind": r.body_kind,
                "body_name": r.body_name,
                "agency": r.agency.name,
                "subject": r.subject,
                "clue": r.clue.number if r.clue else None,
                "status": r.status,
                "dated_on": _iso(r.dated_on),
                "receipt_number": r.receipt_number,
                "receipt_on": _iso(r.receipt_on),
                "outcome": r.outcome,
                "outcome_on": _iso(r.outcome_on),
            }
            for r in referrals
        ],
        "notices": [
            {
                "id": n.pk,
                "title": n.title,
                "bodies": n.bodies,
                "sent_on": _iso(n.sent_on),
            }
            for n in notices
        ],
    }


def _within(field, start, end) -> Q:
    return Q(**{f"{field}__gte": start, f"{field}__lte": end})


def export_csv(document: dict) -> bytes:
    """The same records as CSV, UTF-8 with a BOM (Excel), every cell neutralised."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for c in document["clues"]:
        row = {
            "record": "clue",
            "number": c["number"],
            "agency": c["agency"],
            "status": c["status"],
            "finding": c["finding"],
            "dated_on": c["received_on"],
            "subject": c["source"],
        }
        writer.writerow([_cell(row.get(col)) for col in CSV_COLUMNS])
    for r in document["referrals"]:
        row = {"record": "referral", **r, "number": r["clue"]}
        writer.writerow([_cell(row.get(col)) for col in CSV_COLUMNS])
    for n in document["notices"]:
        row = {
            "record": "notice",
            "id": n["id"],
            "body_name": n["bodies"],
            "subject": n["title"],
            "dated_on": n["sent_on"],
        }
        writer.writerow([_cell(row.get(col)) for col in CSV_COLUMNS])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


@transaction.atomic
def cooperation_export(
    *, region: Region, period_start: date, period_end: date, actor=None
) -> CooperationExport:
    """R12: the region's shared information for the period, stored once (a second call for the
    same region and period returns the first export)."""
    if actor is not None and not _in_region(actor, region):
        raise PermissionDenied(_("只能导出本人管辖地区的共享信息。"))
    for name, value in (("period_start", period_start), ("period_end", period_end)):
        if not isinstance(value, date) or hasattr(value, "hour"):
            raise ValidationError({name: _("请填写有效的日期。")})
    if period_end < period_start:
        raise ValidationError({"period_end": _("截止日期不能早于起始日期。")})
    if period_end > localdate():
        raise ValidationError({"period_end": _("截止日期不能晚于今天。")})
    existing = CooperationExport.objects.filter(
        region=region, period_start=period_start, period_end=period_end
    ).first()
    if existing:
        return existing
    document = export_content(region=region, period_start=period_start, period_end=period_end)
    stem = f"shared-{region.code}-{period_start:%Y%m%d}-{period_end:%Y%m%d}"
    export = CooperationExport(
        region=region, period_start=period_start, period_end=period_end, created_by=actor
    )
    payload = json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
    export.json_file.save(f"{stem}.json", ContentFile(payload), save=False)
    export.csv_file.save(f"{stem}.csv", ContentFile(export_csv(document)), save=False)
    try:
        with transaction.atomic():
            export.save()
    except IntegrityError:
        # Another run made this period's export meanwhile: keep theirs, drop our files.
        export.json_file.delete(save=False)
        export.csv_file.delete(save=False)
        return CooperationExport.objects.get(
            region=region, period_start=period_start, period_end=period_end
        )
    return export


def cooperation_export_last_month(*, today: date | None = None) -> int:
    """R12 (beat): last month's export for every region that has a supervisor; idempotent."""
    from django.contrib.auth import get_user_model

    today = today or localdate()
    end = today.replace(day=1) - timedelta(days=1)
    start = end.replace(day=1)
    region_ids = (
        get_user_model()
        .objects.filter(groups__name=Role.SUPERVISOR.value, is_active=True, region__isnull=False)
        .values_list("region_id", flat=True)
        .distinct()
    )
    made = 0
    for region in Region.objects.filter(pk__in=set(region_ids)).order_by("pk"):
        if not CooperationExport.objects.filter(
            region=region, period_start=start, period_end=end
        ).exists():
            cooperation_export(region=region, period_start=start, period_end=end)
            made += 1
    return made
