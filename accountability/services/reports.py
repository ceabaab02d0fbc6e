"""R24, R28: the handler's report ends the handling step: the facts found, the circumstances that
weigh (fault, conduct, consequences, social impact, mitigating and aggravating circumstances, good
faith within the law, R29), and for each person or unit concerned whether they are responsible
and the sanction proposed, checked against the band of the region's table (R28). A proposal
outside the band carries a written justification, which the decision's reviewer sees. With an
enforcement case, the shares of responsibility (R25) are confirmed first.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from portal.text import clean_text

from ..models import (
    Consequence,
    Fault,
    Impact,
    Proceeding,
    ProceedingEvent,
    Proposal,
    Report,
    SanctionKind,
)
from .proceedings import locked_proceeding, require_handler, require_step
from .proportionality import band_for, in_band, on_scale
from .steps import step_enter

Step = Proceeding.Step


def _choice(value, choices, field: str, message: str) -> str:
    if value not in choices.values:
        raise ValidationError({field: message})
    return value


def _proposals(proceeding, proposals: dict, band) -> list[Proposal]:
    """Each one concerned has exactly one proposal: the kind on their scale, and a written
    justification when it lies outside the band."""
    accused = {a.pk: a for a in proceeding.accused.select_related("officer", "agency")}
    given = {}
    for key, value in (proposals or {}).items():
        try:
            given[int(key)] = value
        except (TypeError, ValueError):
            raise ValidationError({"proposals": _("处理建议所指的被追究对象不存在。")}) from None
    if set(given) != set(accused):
        raise ValidationError(
            {"proposals": _("请对每一个被追究对象（人员和单位）分别提出处理建议。")}
        )
    rows, errors = [], {}
    for pk, one in accused.items():
        try:
            responsible, kind, justification = given[pk]
        except (TypeError, ValueError):
            errors[f"kind_{pk}"] = _("处理建议的格式不正确。")
            continue
        unit = one.is_unit
        kind = (kind or "").strip() if isinstance(kind, str) else kind
        low, high = band.bounds(unit=unit)
        if not isinstance(responsible, bool):
            errors[f"responsible_{pk}"] = _("请说明是否认定负有责任。")
            continue
        if not responsible:
            if kind:
                errors[f"kind_{pk}"] = _("认定不负有责任的，不应提出处理建议。")
                continue
            kind = ""
        elif not isinstance(kind, str) or not on_scale(kind, unit=unit):
            errors[f"kind_{pk}"] = (
                _("请为单位选择适用于单位的处理（责令限期整改、通报批评、取消评优评先资格）。")
                if unit
                else _("请为执法人员选择适用于人员的处理。")
            )
            continue
        outside = responsible and not in_band(kind, band, unit=unit)
        try:
            justification = clean_text(
                justification if isinstance(justification, str) else "",
                field=f"justification_{pk}",
                label=_("超出档次的理由"),
                max_length=5000,
                required=False,
            )
        except ValidationError as exc:
            errors.update(exc.message_dict)
            continue
        if outside and not justification:
            errors[f"justification_{pk}"] = _(
                "%(who)s的建议处理超出了建议档次（%(low)s至%(high)s），须写明理由（R28）。"
            ) % {"who": one, "low": _label(low), "high": _label(high)}
            continue
        rows.append(
            Proposal(
                accused=one,
                responsible=responsible,
                kind=kind,
                band_low=low,
                band_high=high,
                justification=justification if outside else "",
            )
        )
    if errors:
        raise ValidationError(errors)
    return rows


def _label(kind: str) -> str:
    return str(SanctionKind(kind).label)


@transaction.atomic
def report_submit(
    *,
    proceeding: Proceeding,
    facts: str,
    fault: str,
    conduct: str,
    consequence: str,
    impact: str,
    mitigating: str,
    aggravating: str,
    good_faith: bool,
    proposals: dict,
    actor,
) -> Report:
    """R24, R28: the handler submits the report; the case moves to the notice step (its limit
    counted from today in the region's working days)."""
    proceeding = locked_proceeding(proceeding)
    require_handler(proceeding, actor, _("只有承办人可以提交调查报告。"))
    require_step(proceeding, Step.HANDLING, _("该案件已经提交调查报告。"))
    if Report.objects.filter(proceeding=proceeding).exists():
        raise ValidationError(_("该案件已经提交调查报告。"), code="reported")
    if proceeding.enforcement_case_id and proceeding.shares.filter(percent__isnull=True).exists():
        raise ValidationError(
            _("请先确认按执法案件办理环节划分的责任比例（R25），再提交调查报告。"),
            code="shares",
        )
    report = Report(
        proceeding=proceeding,
        facts=clean_text(facts, field="facts", label=_("查明的事实"), max_length=20000),
        fault=_choice(fault, Fault, "fault", _("请选择主观过错。")),
        conduct=clean_text(conduct, field="conduct", label=_("行为情节"), max_length=5000),
        consequence=_choice(consequence, Consequence, "consequence", _("请选择危害后果。")),
        impact=_choice(impact, Impact, "impact", _("请选择社会影响。")),
        mitigating=clean_text(
            mitigating,
            field="mitigating",
            label=_("从轻、减轻情节"),
            max_length=5000,
            required=False,
        ),
        aggravating=clean_text(
            aggravating,
            field="aggravating",
            label=_("从重、加重情节"),
            max_length=5000,
            required=False,
        ),
        good_faith=good_faith is True,
        submitted_by=actor,
    )
    if not isinstance(good_faith, bool):
        raise ValidationError({"good_faith": _("请说明是否属于依法履职、担当作为中出现的失误。")})
    band = band_for(
        region=proceeding.agency.region,
        fault=report.fault,
        consequence=report.consequence,
        impact=report.impact,
        mitigating=bool(report.mitigating),
        aggravating=bool(report.aggravating),
        good_faith=report.good_faith,
    )
    rows = _proposals(proceeding, proposals, band)
    report.full_clean()
    report._history_user = actor
    report.save()
    for row in rows:
        row.report = report
        row.full_clean()
    Proposal.objects.bulk_create(rows)
    outside = sum(1 for row in rows if row.justification)
    step_enter(
        proceeding=proceeding,
        step=Step.NOTICE,
        actor=actor,
        kind=ProceedingEvent.Kind.REPORTED,
        note=_(
            "主观过错：%(fault)s；危害后果：%(consequence)s；社会影响：%(impact)s；"
            "处理建议 %(count)s 项，其中超出建议档次 %(outside)s 项。"
        )
        % {
            "fault": report.get_fault_display(),
            "consequence": report.get_consequence_display(),
            "impact": report.get_impact_display(),
            "count": len(rows),
            "outside": outside,
        },
    )
    return report
