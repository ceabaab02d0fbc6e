"""R8, R10: jurisdiction disputes. An agency raises one against another; the other states its
view; the establishment office (机构编制部门) of the government over both gives its opinion; then
a supervisor whose region covers both records the binding decision with its reasons, which is
refused until the opinion is recorded.

The government over both is that of the nearest region containing both agencies' regions (the
coordinating region); its establishment office is the agency flagged `is_establishment_office`
in that region, or in the nearest region above it that has one.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.scoping import can_act_for, can_supervise
from portal.text import clean_text

from ..models import Agency, Dispute, DisputeEvent


def _codes(path: str) -> list[str]:
    return [code for code in path.strip("/").split("/") if code]


def coordinating_codes(dispute: Dispute) -> list[str]:
    """The region codes from the province down to the nearest region containing both agencies
    (needs both agencies' regions)."""
    common = []
    for mine, theirs in zip(
        _codes(dispute.raised_by.region.path), _codes(dispute.other.region.path), strict=False
    ):
        if mine != theirs:
            break
        common.append(mine)
    return common


def establishment_office_for(dispute: Dispute) -> Agency | None:
    """R8: the establishment office that gives its opinion on `dispute` (None when no region
    from the coordinating one up has registered one)."""
    if not hasattr(dispute, "_establishment_office"):  # once per request, not once per check
        codes = coordinating_codes(dispute)
        offices = {
            office.region.code: office
            for office in Agency.objects.filter(
                is_establishment_office=True, region__code__in=codes
            ).select_related("region")
        }
        found = next((offices[code] for code in reversed(codes) if code in offices), None)
        dispute._establishment_office = found
    return dispute._establishment_office


# --- who may do what: the services check first, the pages ask before they read a body -------


def _may_answer(actor, dispute: Dispute) -> None:
    if not can_act_for(actor, dispute.other):
        raise PermissionDenied(_("只有对方单位可以陈述意见。"))


def _may_give_opinion(actor, dispute: Dispute) -> None:
    office = establishment_office_for(dispute)
    if office is None or not can_act_for(actor, office):
        raise PermissionDenied(_("只有协调该争议的人民政府的机构编制部门可以提出意见（R8）。"))


def _may_decide(actor, dispute: Dispute) -> None:
    if not (can_supervise(actor, dispute.raised_by) and can_supervise(actor, dispute.other)):
        raise PermissionDenied(_("只有同时管辖双方单位的政府法制监督人员可以作出协调决定。"))


_MAY = {"answer": _may_answer, "opinion": _may_give_opinion, "decide": _may_decide}


def dispute_check_permission(*, actor, action: str, dispute: Dispute) -> None:
    """PermissionDenied unless `actor` may take `action` ("answer", "opinion", "decide") on
    `dispute`: what the services below check first, asked by the pages before they read a
    request's body."""
    _MAY[action](actor, dispute)


def may(actor, action: str, dispute: Dispute) -> bool:
    try:
        dispute_check_permission(actor=actor, action=action, dispute=dispute)
    except PermissionDenied:
        return False
    return True


def _save(dispute: Dispute, actor, kind: str, note: str) -> Dispute:
    dispute.full_clean()
    dispute._history_user = actor
    dispute.save()
    dispute.timeline.create(kind=kind, actor=actor, note=note)
    return dispute


@transaction.atomic
def dispute_raise(
    *, raised_by: Agency, other: Agency, kind: str, matter: str, statement: str, actor
) -> Dispute:
    """An agency's staff raise a dispute with another agency over a matter."""
    if not can_act_for(actor, raised_by):
        raise PermissionDenied(_("只能以本单位名义提出管辖争议。"))
    if other.pk == raised_by.pk:
        raise ValidationError({"other": _("管辖争议须在两个不同的单位之间提出。")})
    if kind not in Dispute.Kind.values:
        raise ValidationError({"kind": _("请选择争议类型。")})
    dispute = Dispute(
        raised_by=raised_by,
        other=other,
        kind=kind,
        matter=clean_text(matter, field="matter", label=_("争议事项"), max_length=300),
        statement=clean_text(statement, field="statement", label=_("意见和依据"), max_length=5000),
        raised_by_user=actor,
    )
    return _save(dispute, actor, DisputeEvent.Kind.RAISED, dispute.matter)


def _locked(dispute: Dispute) -> Dispute:
    return (
        Dispute.objects.select_for_update(of=("self",))
        .select_related("raised_by__region", "other__region")
        .get(pk=dispute.pk)
    )


@transaction.atomic
def dispute_answer(*, dispute: Dispute, actor, answer: str) -> Dispute:
    """The other agency states its view, once."""
    dispute = _locked(dispute)
    _may_answer(actor, dispute)
    if dispute.status != Dispute.Status.RAISED:
        raise ValidationError(_("对方单位已经陈述过意见，或争议已经决定。"), code="answered")
    dispute.answer = clean_text(answer, field="answer", label=_("意见和依据"), max_length=5000)
    dispute.status = Dispute.Status.ANSWERED
    return _save(dispute, actor, DisputeEvent.Kind.ANSWERED, dispute.answer)


@transaction.atomic
def dispute_give_opinion(*, dispute: Dispute, actor, opinion: str) -> Dispute:
    """R8: the establishment office of the coordinating government gives its opinion, once,
    before the decision."""
    dispute = _locked(dispute)
    _may_give_opinion(actor, dispute)
    if dispute.status == Dispute.Status.DECIDED:
        raise ValidationError(_("该争议已经作出决定。"), code="decided")
    if dispute.opinion:
        raise ValidationError(_("机构编制部门已经提出过意见。"), code="opinion_given")
    dispute.opinion = clean_text(
        opinion, field="opinion", label=_("机构编制部门意见"), max_length=5000
    )
    dispute.opinion_office = establishment_office_for(dispute)
    dispute.opinion_by, dispute.opinion_at = actor, timezone.now()
    note = f"{dispute.opinion_office}：{dispute.opinion}"
    return _save(dispute, actor, DisputeEvent.Kind.OPINION, note)


@transaction.atomic
def dispute_decide(*, dispute: Dispute, actor, responsible: Agency, decision: str) -> Dispute:
    """A supervisor whose region covers both agencies records the binding decision: which
    agency has jurisdiction, and why; only once the establishment office's opinion is recorded
    (R8). A decided dispute is final."""
    dispute = _locked(dispute)
    _may_decide(actor, dispute)
    if dispute.status == Dispute.Status.DECIDED:
        raise ValidationError(_("该争议已经作出决定。"), code="decided")
    if not dispute.opinion:
        raise ValidationError(
            _("机构编制部门尚未就该争议提出意见，暂不能作出协调决定（R8）。"),
            code="opinion_required",
        )
    if not can_supervise(actor, responsible):
        raise ValidationError({"responsible": _("决定的管辖单位须在本辖区内。")})
    dispute.responsible = responsible
    dispute.decision = clean_text(
        decision, field="decision", label=_("协调决定及理由"), max_length=5000
    )
    dispute.status = Dispute.Status.DECIDED
    dispute.decided_by, dispute.decided_at = actor, timezone.now()
    note = _("由%(agency)s管辖：%(reasons)s（已听取%(office)s的意见）") % {
        "agency": responsible,
        "reasons": dispute.decision,
        "office": dispute.opinion_office or _("机构编制部门"),
    }
    return _save(dispute, actor, DisputeEvent.Kind.DECIDED, note)
