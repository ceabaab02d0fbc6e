"""R6: opening an enforcement case and keeping its full-process record.

A case is opened under one of the agency's published power items, with its parties and at least
two officers of the agency holding valid certificates. It moves through the five stages in
order, one at a time, and only once the stage it leaves holds a record. Records are added, never
replaced: a correction is a new version naming the record it supersedes and why.
"""

from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import uploads
from portal.scoping import can_act_for
from portal.text import clean_text

from ..models import (
    Agency,
    Case,
    CaseEvent,
    CaseOfficer,
    CaseRecord,
    Decision,
    Officer,
    Party,
    PowerItem,
    PublishedPowerItem,
    Stage,
)
from ..validators import validate_credit_code, validate_resident_id
from .numbering import case_number_take

MIN_OFFICERS = 2  # enforcement needs at least two officers holding certificates
CENT = Decimal("0.01")


@dataclass(frozen=True)
class PartyInput:
    kind: str
    name: str
    identifier: str
    address: str = ""


def record_limits(kind: str) -> dict[str, int]:
    """The file kinds each record type accepts, and their largest sizes (settings)."""
    mib = uploads.MIB
    if kind == CaseRecord.Kind.DOCUMENT:
        return {
            "document": settings.CASE_MAX_DOCUMENT_MB * mib,
            "image": settings.CASE_MAX_IMAGE_MB * mib,
        }
    return {
        "image": settings.CASE_MAX_IMAGE_MB * mib,
        "video": settings.CASE_MAX_VIDEO_MB * mib,
        "audio": settings.CASE_MAX_AUDIO_MB * mib,
    }


def _require_actor(actor, agency: Agency) -> None:
    if not can_act_for(actor, agency):
        raise PermissionDenied(_("只有本单位的执法人员可以办理本单位的案件。"))


def _checked_party(party: PartyInput) -> Party:
    if party.kind not in Party.Kind.values:
        raise ValidationError({"parties": _("请选择当事人类型。")})
    identifier = (party.identifier or "").strip().upper()
    try:
        if party.kind == Party.Kind.CITIZEN:
            validate_resident_id(identifier)
        else:
            validate_credit_code(identifier)
    except ValidationError as error:
        raise ValidationError({"parties": f"{party.name}：{error.messages[0]}"}) from None
    return Party(
        kind=party.kind,
        name=clean_text(party.name, label=_("当事人名称或姓名"), max_length=100),
        identifier=identifier,
        address=clean_text(party.address, label=_("地址"), max_length=200, required=False),
    )


def _checked_officers(agency: Agency, officers) -> list[Officer]:
    officers = list({officer.pk: officer for officer in officers}.values())
    if len(officers) < MIN_OFFICERS:
        raise ValidationError({"officers": _("执法人员不得少于两人。")}, code="too_few_officers")
    for officer in officers:
        if officer.agency_id != agency.pk:
            raise ValidationError(
                {"officers": _("%(officer)s不是本单位的执法人员。") % {"officer": officer}}
            )
        if not officer.may_enforce:
            raise ValidationError(
                {
                    "officers": _("%(officer)s的执法证件已%(status)s，不能承办案件。")
                    % {"officer": officer, "status": officer.get_certificate_status_display()}
                },
                code="certificate_not_valid",
            )
    return officers


@transaction.atomic
def case_open(
    *,
    agency: Agency,
    power_item: PowerItem,
    source: str,
    summary: str,
    parties: list[PartyInput],
    officers,
    actor,
) -> Case:
    """R6, stage 1 (立案): a case under one of the agency's published items."""
    _require_actor(actor, agency)
    # Read (and lock) the item as it is now, not as the caller's copy remembers it: an item
    # withdrawn meanwhile must not be opened under, nor withdrawn while a case is being opened.
    power_item = PowerItem.objects.select_for_update().filter(pk=power_item.pk).first()
    published = PublishedPowerItem.objects.filter(item=power_item).first() if power_item else None
    if published is None or power_item.agency_id != agency.pk:
        raise ValidationError({"power_item": _("只能在本单位已公布的权责事项下立案。")})
    if source not in Case.Source.values:
        raise ValidationError({"source": _("请选择案件来源。")})
    if not parties:
        raise ValidationError({"parties": _("请至少填写一名当事人。")})
    checked_parties = [_checked_party(party) for party in parties]
    checked_officers = _checked_officers(agency, officers)
    # Officers are locked so that a certificate withdrawn at this moment cannot slip through.
    locked = Officer.objects.select_for_update().filter(pk__in=[o.pk for o in checked_officers])
    _checked_officers(agency, locked)
    case = Case(
        agency=agency,
        power_item=power_item,
        item_code=published.code,
        item_name=published.name,
        source=source,
        summary=clean_text(summary, label=_("案由"), max_length=2000),
        opened_by=actor,
    )
    case.full_clean()
    case.number = case_number_take(case=case)  # R9: last, the counter stays locked briefly
    case._history_user = actor
    case.save()
    for party in checked_parties:  # one by one, so that each party's history is kept
        party.case = case
        party._history_user = actor
        party.save()
    CaseOfficer.objects.bulk_create(CaseOfficer(case=case, officer=o) for o in checked_officers)
    case.timeline.create(
        kind=CaseEvent.Kind.OPENED, actor=actor, note=f"{case.number}：{case.summary}"
    )
    return case


def _locked_case(case: Case, actor) -> Case:
    case = Case.objects.select_for_update().select_related("agency").get(pk=case.pk)
    _require_actor(actor, case.agency)
    return case


def _open_case(case: Case, actor) -> Case:
    """The case locked for a change of its record, which ends when it is closed (结案)."""
    case = _locked_case(case, actor)
    if case.closed_at is not None:
        raise ValidationError(_("案件已结案，案卷不能再添加或更正记录。"), code="closed")
    return case


@transaction.atomic
def case_advance(*, case: Case, actor, note: str = "") -> Case:
    """R6: on to the next stage, never skipping one, once the current stage holds a record."""
    case = _locked_case(case, actor)
    note = (note or "").strip()
    following = case.next_stage
    if following is None:
        raise ValidationError(_("案件已结案归档，没有下一阶段。"), code="last_stage")
    if (
        case.stage == Stage.DECISION
        and not Decision.objects.filter(case=case, status=Decision.Status.ISSUED).exists()
    ):
        # R5, R6: a case leaves review-and-decision with its decision issued (a major one only
        # after the legal review agreed), never with one drafted or awaiting review.
        raise ValidationError(
            _("执法决定作出后，案件才能进入“送达执行”阶段。"), code="decision_not_issued"
        )
    if not case.records.filter(stage=case.stage).exists():
        raise ValidationError(
            _("“%(stage)s”阶段还没有任何记录，不能进入下一阶段。")
            % {"stage": case.get_stage_display()},
            code="stage_without_record",
        )
    left = case.get_stage_display()
    case.stage, case.stage_changed_at = following, timezone.now()
    case._history_user = actor
    case.save(update_fields=["stage", "stage_changed_at"])
    case.timeline.create(
        kind=CaseEvent.Kind.STAGE_ADVANCED,
        actor=actor,
        note=_("%(left)s → %(entered)s") % {"left": left, "entered": following.label}
        + (f"：{note}" if note else ""),
    )
    return case


def _stored(checked, **fields) -> CaseRecord:
    record = CaseRecord(
        original_name=checked.original_name,
        extension=checked.extension,
        content_type=checked.content_type,
        size=checked.size,
        sha256=checked.sha256,
        **fields,
    )
    record.file.save(checked.original_name, checked.upload, save=False)
    return record


def _saved(record: CaseRecord, *, actor, event: str, note: str) -> CaseRecord:
    """Insert the record whose file is already in storage, with its timeline step; if anything
    fails, the file is deleted too (the transaction takes the rows back)."""
    try:
        record.full_clean()
        record.save()
        record.case.timeline.create(kind=event, actor=actor, note=note)
    except BaseException:
        record.file.delete(save=False)
        raise
    return record


def _checked_recorder(case: Case, recorded_by: Officer) -> Officer:
    if not case.case_officers.filter(officer=recorded_by).exists():
        raise ValidationError({"recorded_by": _("记录人须为本案的承办执法人员。")})
    return recorded_by


def _checked_time(recorded_at: datetime) -> datetime:
    if not isinstance(recorded_at, datetime):
        raise ValidationError({"recorded_at": _("记录时间不是有效的时间。")})
    if timezone.is_naive(recorded_at):  # a time without zone is local time
        recorded_at = timezone.make_aware(recorded_at)
    if recorded_at > timezone.now():
        raise ValidationError({"recorded_at": _("记录时间不能晚于现在。")})
    return recorded_at


@transaction.atomic
def case_record_add(
    *,
    case: Case,
    actor,
    kind: str,
    title: str,
    file,
    recorded_by: Officer,
    recorded_at: datetime,
    recorded_place: str,
    evidence_type: str = "",
) -> CaseRecord:
    """R6: a document or audio-video record of the case's current stage, its file checked by
    content and stored with its SHA-256 and size."""
    case = _open_case(case, actor)
    if kind not in CaseRecord.Kind.values:
        raise ValidationError({"kind": _("请选择记录类型。")})
    checked = uploads.check_file(file, limits=record_limits(kind))
    record = _stored(
        checked,
        case=case,
        stage=case.stage,
        kind=kind,
        evidence_type=evidence_type,
        title=clean_text(title, label=_("名称"), max_length=200),
        recorded_by=_checked_recorder(case, recorded_by),
        recorded_at=_checked_time(recorded_at),
        recorded_place=clean_text(recorded_place, label=_("记录地点"), max_length=200),
        entered_by=actor,
    )
    return _saved(
        record,
        actor=actor,
        event=CaseEvent.Kind.RECORD_ADDED,
        note=f"{case.get_stage_display()}：{record.title}（SHA-256 {record.sha256[:12]}…）",
    )


@transaction.atomic
def case_record_correct(
    *, record: CaseRecord, actor, file, reason: str, title: str = ""
) -> CaseRecord:
    """R6: a correction is a new version with its reason; the record it corrects is kept."""
    case = _open_case(record.case, actor)
    record = CaseRecord.objects.select_for_update().get(pk=record.pk)
    if CaseRecord.objects.filter(supersedes=record).exists():
        raise ValidationError(_("该记录已有更正版本，请更正最新版本。"), code="not_latest")
    checked = uploads.check_file(file, limits=record_limits(record.kind))
    correction = _stored(
        checked,
        case=case,
        stage=record.stage,
        kind=record.kind,
        evidence_type=record.evidence_type,
        title=clean_text(title or record.title, label=_("名称"), max_length=200),
        recorded_by=record.recorded_by,
        recorded_at=record.recorded_at,
        recorded_place=record.recorded_place,
        entered_by=actor,
        version=record.version + 1,
        supersedes=record,
        correction_reason=clean_text(reason, label=_("更正理由"), max_length=500),
    )
    return _saved(
        correction,
        actor=actor,
        event=CaseEvent.Kind.RECORD_CORRECTED,
        note=_("%(title)s 更正为第 %(version)s 版：%(reason)s")
        % {
            "title": record.title,
            "version": correction.version,
            "reason": correction.correction_reason,
        },
    )


def _require_fine_paid(case: Case) -> None:
    """R30: a fine decision is closed only once the payments entered from the bank's receipts
    add up to the fine."""
    decision = Decision.objects.filter(case=case).first()
    if decision is None or decision.kind != Decision.Kind.FINE:
        return
    paid = decision.payments.aggregate(total=Sum("amount"))["total"] or Decimal(0)
    paid = paid.quantize(CENT)  # SQLite sums decimals without their places
    if paid == decision.fine_amount:
        return
    values = {"amount": decision.fine_amount, "paid": paid}
    if paid < decision.fine_amount:
        message = _("罚款 %(amount)s 元尚未缴清（已缴 %(paid)s 元），缴清后才能结案（R30）。")
    else:
        message = _("已缴金额 %(paid)s 元与罚款金额 %(amount)s 元不符，请核对缴款记录后再结案。")
    raise ValidationError(message % values, code="fine_not_paid")


@transaction.atomic
def case_close(*, case: Case, actor) -> Case:
    """R6: close (结案) a case in its archiving stage once that stage holds a current record and
    a fine, if any, is paid in full; only a closed case's file can be reviewed (案卷评查)."""
    case = _locked_case(case, actor)
    if case.closed_at is not None:
        raise ValidationError(
            _("本案已于 %(date)s 结案。")
            % {"date": f"{timezone.localtime(case.closed_at):%Y-%m-%d}"},
            code="closed",
        )
    if case.stage != Stage.ARCHIVING:
        raise ValidationError(_("案件进入“结案归档”阶段后才能结案。"), code="stage")
    if not case.records.filter(stage=Stage.ARCHIVING, superseded_by__isnull=True).exists():
        raise ValidationError(
            _("“结案归档”阶段还没有归档记录，不能结案。"), code="stage_without_record"
        )
    _require_fine_paid(case)
    case.closed_at = timezone.now()
    case._history_user = actor
    case.save(update_fields=["closed_at"])
    case.timeline.create(kind=CaseEvent.Kind.CLOSED, actor=actor, note=_("案件已结案。"))
    return case
