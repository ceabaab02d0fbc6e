"""R24: an accountability case is opened from a clue in handling, by a supervisor over the unit
concerned; its handler is the clue's, who must not belong to that unit (回避). The handler
investigates and attaches evidence while the case is in its handling step.

Everything is checked before anything is written; a refusal changes nothing.
"""

import uuid

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.timezone import localdate
from django.utils.translation import gettext as _

from enforcement.models import Case, Officer
from portal.text import clean_text
from portal.uploads import MIB, check_file

from ..models import Accused, Clue, ClueEvent, Proceeding, ProceedingEvent, ProceedingEvidence
from .clues import conflicted, supervises
from .responsibility import shares_propose
from .steps import step_enter

Step = Proceeding.Step
EVIDENCE_LIMITS = {"document": 20 * MIB, "image": 10 * MIB}
EVIDENCE_MAX = 50  # files a case may hold


def locked_proceeding(proceeding: Proceeding) -> Proceeding:
    """The case's row locked for a change, with what the checks read."""
    return (
        Proceeding.objects.select_for_update(of=("self",))
        .select_related("agency__region", "clue", "handler")
        .get(pk=proceeding.pk)
    )


def require_handler(proceeding: Proceeding, actor, message: str) -> None:
    if proceeding.handler_id != getattr(actor, "pk", None):
        raise PermissionDenied(message)


def require_step(proceeding: Proceeding, step: str, message: str) -> None:
    if proceeding.step != step:
        raise ValidationError(message, code="step")


def case_number(clue: Clue) -> str:
    """The clue's number with the case's prefix: ZJ-… (线索) becomes WZ-… (问责)."""
    rest = clue.number.removeprefix("ZJ-")
    return f"WZ-{rest}"


def _enforcement_case(clue: Clue, chosen: Case | None) -> Case | None:
    if chosen is None:
        source = clue.file_review or clue.remedy_outcome
        return source.case if source is not None else None
    if not isinstance(chosen, Case) or chosen.agency_id != clue.agency_id:
        raise ValidationError({"enforcement_case": _("所涉及的执法案件须是被追究单位办理的案件。")})
    return chosen


@transaction.atomic
def proceeding_open(
    *, clue: Clue, actor, enforcement_case: Case | None = None, officers=(), include_unit=True
) -> Proceeding:
    """R24: a supervisor over the unit opens the case of a clue in handling, with the clue's
    handler; the persons concerned are the officers named (by default the clue's) and, unless
    left out, the unit itself. R25: when the clue concerns an enforcement case (its file review's
    or its remedy outcome's, unless another of the unit's cases is named), the shares of
    responsibility are proposed from that case's record at once."""
    clue = (
        Clue.objects.select_for_update(of=("self",))
        .select_related("agency__region", "handler", "file_review__case", "remedy_outcome__case")
        .get(pk=clue.pk)
    )
    if not supervises(actor, clue.agency):
        raise PermissionDenied(_("只有管辖被追究单位的政府法制监督人员可以立案。"))
    if Proceeding.objects.filter(clue=clue).exists():
        raise ValidationError(_("该线索已经立案，每条线索只能立一个问责案件。"), code="opened")
    if clue.status != Clue.Status.HANDLING or clue.handler is None:
        raise ValidationError(_("线索须已指定承办人、处于办理中才能立案。"), code="not_handling")
    handler = clue.handler
    if conflicted(handler, clue.agency):
        raise ValidationError(
            _("承办人属于被追究单位，存在利害关系，应当回避；请先为线索另行指定承办人。"),
            code="conflict",
        )
    case = _enforcement_case(clue, enforcement_case)
    officers = list(officers) or list(clue.officers.all())
    if any(not isinstance(o, Officer) or o.agency_id != clue.agency_id for o in officers):
        raise ValidationError({"officers": _("被追究人员须是被追究单位的执法人员。")})
    if not officers and not include_unit:
        raise ValidationError(_("请至少指明一个被追究对象（人员或单位）。"), code="nobody")
    proceeding = Proceeding(
        clue=clue,
        number=case_number(clue),
        agency=clue.agency,
        enforcement_case=case,
        handler=handler,
        opened_by=actor,
        step_started_on=localdate(),
    )
    names = [o.name for o in officers] + ([clue.agency.name] if include_unit else [])
    step_enter(
        proceeding=proceeding,
        step=Step.HANDLING,
        actor=actor,
        kind=ProceedingEvent.Kind.OPENED,
        note=_("线索 %(clue)s；承办人：%(handler)s；被追究对象：%(names)s")
        % {
            "clue": clue.number,
            "handler": handler.get_full_name() or handler.get_username(),
            "names": "、".join(dict.fromkeys(names)),
        },
    )
    accused = [Accused(proceeding=proceeding, officer=o) for o in dict.fromkeys(officers)]
    if include_unit:
        accused.append(Accused(proceeding=proceeding, agency=clue.agency))
    Accused.objects.bulk_create(accused)
    clue.timeline.create(
        kind=ClueEvent.Kind.CASE_OPENED,
        actor=actor,
        note=_("问责案件 %(number)s；此后按案件各环节时限办理。") % {"number": proceeding.number},
    )
    if case is not None:
        shares_propose(proceeding=proceeding)
    return proceeding


@transaction.atomic
def proceeding_investigate(*, proceeding: Proceeding, investigation: str, actor) -> Proceeding:
    """R24: the handler records what the investigation found (replacing the earlier text; the
    history keeps every version)."""
    proceeding = locked_proceeding(proceeding)
    require_handler(proceeding, actor, _("只有承办人可以记录调查情况。"))
    require_step(proceeding, Step.HANDLING, _("调查报告提交后不能再修改调查情况。"))
    proceeding.investigation = clean_text(
        investigation, field="investigation", label=_("调查情况"), max_length=20000
    )
    proceeding.full_clean()
    proceeding._history_user = actor
    proceeding.save()
    ProceedingEvent.objects.create(
        proceeding=proceeding,
        kind=ProceedingEvent.Kind.INVESTIGATED,
        actor=actor,
        note=proceeding.investigation[:500],
    )
    return proceeding


@transaction.atomic
def evidence_add(*, proceeding: Proceeding, upload, description: str, actor) -> ProceedingEvidence:
    """R24: the handler attaches evidence (a PDF or Word document, or a photo), checked by its
    content, kept through the storage API under a random name."""
    proceeding = locked_proceeding(proceeding)
    require_handler(proceeding, actor, _("只有承办人可以添加证据材料。"))
    require_step(proceeding, Step.HANDLING, _("调查报告提交后不能再添加证据材料。"))
    description = clean_text(description, field="description", label=_("证据说明"), max_length=200)
    if not upload:
        raise ValidationError({"upload": _("请选择证据文件。")}, code="no_file")
    if proceeding.evidence.count() >= EVIDENCE_MAX:
        raise ValidationError(
            {"upload": _("每个案件最多 %(count)s 份证据材料。") % {"count": EVIDENCE_MAX}}
        )
    try:
        checked = check_file(upload, limits=EVIDENCE_LIMITS)
    except ValidationError as exc:
        raise ValidationError({"upload": exc.messages}, code="bad_file") from None
    evidence = ProceedingEvidence(
        proceeding=proceeding,
        description=description,
        original_name=checked.original_name,
        size=checked.size,
        sha256=checked.sha256,
        uploaded_by=actor,
    )
    evidence.file.save(f"{uuid.uuid4().hex}.{checked.extension}", checked.upload, save=False)
    evidence.full_clean()
    evidence.save()
    ProceedingEvent.objects.create(
        proceeding=proceeding,
        kind=ProceedingEvent.Kind.EVIDENCE,
        actor=actor,
        note=f"{description}（{checked.original_name}）",
    )
    return evidence
