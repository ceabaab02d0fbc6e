"""R25: responsibility divided along the enforcement case's own record. When the clue concerns a
case, the portal lays out who did each step of it and proposes each one's share; the handler
confirms the shares or changes them, a change with its reason.

Who did each step, read from the record (nothing is typed in):
- discovery of the clue and opening (线索发现与立案): the case's `opened_by`;
- investigation and evidence (调查取证): the officers who recorded the investigation stage's
  records (`CaseRecord.recorded_by`), through their login account when they have one, else the
  user who entered the record;
- the handling officer's proposal (承办人员提出处理意见): who saved the draft decision
  (`CaseEvent` DECISION_SAVED);
- internal review (内部审核): who submitted the draft for legal review after the unit's own check
  (`CaseEvent` DECISION_SUBMITTED, the record's only internal sign-off; absent for a decision that
  needed no legal review);
- legal review (法制审核): the legal office's reviewer (`CaseEvent` REVIEWED);
- decision (作出决定): who issued it (`CaseEvent` DECISION_ISSUED).
"""

from collections import defaultdict

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from enforcement.models import CaseEvent, CaseRecord, Officer, Stage
from portal.text import clean_text

from ..models import Proceeding, ProceedingEvent, ResponsibilityShare

Share = ResponsibilityShare.Stage

# LOCAL DEFAULT (not the policy's): the weight of each step in the proposed division, in percent
# of the whole when every step has someone. A step nobody did gives its weight to the others in
# proportion; within a step the weight is divided equally. The handler confirms or changes it.
STAGE_WEIGHTS = {
    Share.DISCOVERY: 10,
    Share.INVESTIGATION: 25,
    Share.PROPOSAL: 20,
    Share.INTERNAL_REVIEW: 10,
    Share.LEGAL_REVIEW: 15,
    Share.DECISION: 20,
}
EVENT_STAGE = {
    CaseEvent.Kind.DECISION_SAVED: Share.PROPOSAL,
    CaseEvent.Kind.DECISION_SUBMITTED: Share.INTERNAL_REVIEW,
    CaseEvent.Kind.REVIEWED: Share.LEGAL_REVIEW,
    CaseEvent.Kind.DECISION_ISSUED: Share.DECISION,
}


def _locked(proceeding: Proceeding) -> Proceeding:
    return (
        Proceeding.objects.select_for_update(of=("self",))
        .select_related("enforcement_case__opened_by")
        .get(pk=proceeding.pk)
    )


def _actors(case) -> dict[str, dict]:
    """stage -> {user id: {"person", "officer", "at", "note"}}, from the case's record."""
    found: dict[str, dict] = defaultdict(dict)
    found[Share.DISCOVERY][case.opened_by_id] = {
        "person": case.opened_by,
        "officer": None,
        "at": case.opened_at,
        "note": _("立案（%(source)s）") % {"source": case.get_source_display()},
    }
    records = (
        CaseRecord.objects.filter(case=case, stage=Stage.INVESTIGATION)
        .select_related("recorded_by__user", "entered_by")
        .order_by("recorded_at", "pk")
    )
    for record in records:
        officer = record.recorded_by
        person = officer.user or record.entered_by
        entry = found[Share.INVESTIGATION].setdefault(
            person.pk, {"person": person, "officer": officer, "at": None, "titles": []}
        )
        if entry["officer"] is not None and entry["officer"].pk != officer.pk:
            entry["officer"] = None  # one login entered several officers' records
        entry["at"] = record.recorded_at
        entry["titles"].append(record.title)
    for entry in found[Share.INVESTIGATION].values():
        titles = entry.pop("titles")
        entry["note"] = _("调查取证记录 %(count)s 份：%(titles)s") % {
            "count": len(titles),
            "titles": "、".join(titles),
        }
    events = (
        CaseEvent.objects.filter(case=case, kind__in=EVENT_STAGE)
        .select_related("actor")
        .order_by("at", "pk")
    )
    for event in events:
        stage = EVENT_STAGE[event.kind]
        found[stage][event.actor_id] = {
            "person": event.actor,
            "officer": None,
            "at": event.at,
            "note": f"{event.get_kind_display()}：{event.note}"[:200],
        }
    return found


def proposed_percents(people_per_stage: dict[str, int]) -> dict[str, list[int]]:
    """R25: each stage's weight (STAGE_WEIGHTS, a local default) shared among the stages that
    have someone and, within a stage, equally; whole percents summing to 100 (largest
    remainders first, then the order of the steps)."""
    present = {s: n for s, n in people_per_stage.items() if n}
    if not present:
        return {}
    total = sum(STAGE_WEIGHTS[s] for s in present)
    exact = [
        (s, i, 100 * STAGE_WEIGHTS[s] / total / present[s])
        for s in STAGE_WEIGHTS
        if s in present
        for i in range(present[s])
    ]
    floors = {(s, i): int(x) for s, i, x in exact}
    left = 100 - sum(floors.values())
    by_remainder = sorted(exact, key=lambda e: -(e[2] - int(e[2])))
    for s, i, _x in by_remainder[:left]:
        floors[(s, i)] += 1
    result: dict[str, list[int]] = {}
    for (s, _i), value in floors.items():
        result.setdefault(s, []).append(value)
    return result


@transaction.atomic
def shares_propose(*, proceeding: Proceeding) -> list[ResponsibilityShare]:
    """R25: lay out who did each step of the enforcement case and propose each one's share.
    Done when the case is opened; again only while no share is confirmed."""
    proceeding = _locked(proceeding)
    case = proceeding.enforcement_case
    if case is None:
        raise ValidationError(_("该问责案件不涉及执法案件，无需按办案环节划分责任。"))
    if proceeding.shares.filter(percent__isnull=False).exists():
        raise ValidationError(_("责任划分已经确认，不能重新生成建议。"), code="confirmed")
    actors = _actors(case)
    percents = proposed_percents({s: len(actors.get(s, {})) for s in STAGE_WEIGHTS})
    officers = {
        o.user_id: o
        for o in Officer.objects.filter(
            user_id__in={uid for stage in actors.values() for uid in stage}
        )
    }
    rows = []
    for stage in STAGE_WEIGHTS:
        for entry, percent in zip(
            actors.get(stage, {}).values(), percents.get(stage, []), strict=True
        ):
            rows.append(
                ResponsibilityShare(
                    proceeding=proceeding,
                    stage=stage,
                    person=entry["person"],
                    officer=entry["officer"] or officers.get(entry["person"].pk),
                    acted_at=entry["at"],
                    source_note=entry["note"][:200],
                    proposed_percent=percent,
                )
            )
    proceeding.shares.all().delete()
    for row in rows:
        row.full_clean(exclude=["proceeding"])
    return ResponsibilityShare.objects.bulk_create(rows)


@transaction.atomic
def shares_confirm(
    *, proceeding: Proceeding, percents: dict, reasons: dict, actor
) -> list[ResponsibilityShare]:
    """R25: the handler confirms each share or changes it with a reason; the shares must add up
    to 100. A refusal changes nothing."""
    proceeding = _locked(proceeding)
    if proceeding.handler_id != getattr(actor, "pk", None):
        raise PermissionDenied(_("只有承办人可以确认责任划分。"))
    if proceeding.step != Proceeding.Step.HANDLING:
        raise ValidationError(_("调查报告提交后不能再修改责任划分。"), code="step")
    shares = list(proceeding.shares.select_for_update().order_by("pk"))
    if not shares:
        raise ValidationError(_("该案件没有需要确认的责任划分。"), code="no_shares")
    given = {str(k): v for k, v in (percents or {}).items()}
    reasons = {str(k): v for k, v in (reasons or {}).items()}
    if set(given) != {str(s.pk) for s in shares}:
        raise ValidationError(_("请为每一个环节的经办人确认责任比例。"), code="incomplete")
    errors, values = {}, {}
    for share in shares:
        value = given[str(share.pk)]
        if type(value) is not int or not 0 <= value <= 100:  # noqa: E721 - True is an int too
            errors[f"percent_{share.pk}"] = _("责任比例应为 0 到 100 的整数。")
            continue
        changed = value != share.proposed_percent
        try:
            reason = clean_text(
                reasons.get(str(share.pk), ""),
                field=f"reason_{share.pk}",
                label=_("调整理由"),
                max_length=2000,
                required=changed,
            )
        except ValidationError as exc:
            if changed and not (reasons.get(str(share.pk)) or "").strip():
                errors[f"reason_{share.pk}"] = _("调整建议的责任比例须写明理由（R25）。")
            else:
                errors.update(exc.message_dict)
            continue
        values[share.pk] = (value, reason)
    if errors:
        raise ValidationError(errors)
    total = sum(v for v, _r in values.values())
    if total != 100:
        raise ValidationError(
            _("各环节责任比例之和应为 100%%，现为 %(total)s%%。") % {"total": total},
            code="sum",
        )
    now = timezone.now()
    lines = []
    for share in shares:
        share.percent, share.reason = values[share.pk]
        share.confirmed_by, share.confirmed_at = actor, now
        share.full_clean(exclude=["proceeding", "person", "officer"])
        share._history_user = actor
        share.save()
        line = f"{share.get_stage_display()} {share.person}：{share.percent}%"
        if share.percent != share.proposed_percent:
            line += _("（建议 %(p)s%%，理由：%(r)s）") % {
                "p": share.proposed_percent,
                "r": share.reason,
            }
        lines.append(line)
    ProceedingEvent.objects.create(
        proceeding=proceeding,
        kind=ProceedingEvent.Kind.SHARES_CONFIRMED,
        actor=actor,
        note="\n".join(lines),
    )
    return shares
