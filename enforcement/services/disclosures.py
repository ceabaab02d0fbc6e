"""R9: an issued decision is disclosed to the public at once, redacted.

Disclosure is public by default: `decision_issue` calls `disclosure_publish` in its own
transaction, so a decision is never issued without its disclosure. The disclosure is a snapshot
in the portal's source language, whoever issues it and in whatever language they read the site.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone, translation
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from portal.public_cache import public_cache_invalidate
from portal.scoping import can_act_for

from ..models import Case, CaseEvent, Decision, DecisionDisclosure
from ..models.powers import Category
from ..redaction import public_parties, redact_text

PENALTY_KINDS = (
    Decision.Kind.WARNING,
    Decision.Kind.FINE,
    Decision.Kind.CONFISCATION,
    Decision.Kind.STOP_PRODUCTION,
    Decision.Kind.REVOCATION,
)


def document_name(decision: Decision, category: str) -> str:
    """The kind of document: a penalty is a 行政处罚决定书; any other decision is named after
    its item's category (a licence, a coercive measure ...), else 行政执法决定书."""
    if decision.kind in PENALTY_KINDS:
        return _("行政处罚决定书")
    return {
        Category.PENALTY: _("行政执法决定书"),
        Category.LICENSING: _("行政许可决定书"),
        Category.COERCION: _("行政强制决定书"),
        Category.LEVY: _("行政征收决定书"),
        Category.PAYMENT: _("行政给付决定书"),
        Category.INSPECTION: _("行政检查处理决定书"),
        Category.CONFIRMATION: _("行政确认决定书"),
        Category.REWARD: _("行政奖励决定书"),
        Category.ADJUDICATION: _("行政裁决书"),
    }.get(category, _("行政执法决定书"))


def _title(decision: Decision, case: Case) -> str:
    max_length = DecisionDisclosure._meta.get_field("title").max_length
    head = f"{case.agency.name}{document_name(decision, case.power_item.category)}"
    item = Truncator(case.item_name).chars(max(max_length - len(head) - 2, 1))
    return f"{head}（{item}）"


def _snapshot(decision: Decision) -> DecisionDisclosure:
    case = decision.case
    parties = list(case.parties.all())
    max_parties = DecisionDisclosure._meta.get_field("parties").max_length
    return DecisionDisclosure(
        decision=decision,
        agency=case.agency,
        title=_title(decision, case),
        document_number=decision.number or "",
        legal_bases=list(decision.legal_bases or []),
        item_code=case.item_code,
        item_name=case.item_name,
        kind=decision.kind,
        kind_label=str(Decision.Kind(decision.kind).label),
        fine_amount=decision.fine_amount,
        parties=Truncator(public_parties(parties)).chars(max_parties),
        text=redact_text(decision.draft, parties),
        decided_on=timezone.localdate(decision.issued_at),
    )


@transaction.atomic
def disclosure_publish(*, decision: Decision, actor) -> DecisionDisclosure:
    """R9: the public, redacted snapshot of an issued decision; a second call returns the first
    snapshot unchanged."""
    decision = (
        Decision.objects.select_for_update(of=("self",))
        .select_related("case__agency", "case__power_item")
        .get(pk=decision.pk)
    )
    if not can_act_for(actor, decision.case.agency):
        raise PermissionDenied(_("只有本单位的执法人员可以公示本单位的决定。"))
    if decision.status != Decision.Status.ISSUED:
        raise ValidationError(_("决定尚未作出，不能公示。"), code="not_issued")
    existing = DecisionDisclosure.objects.filter(decision=decision).first()
    if existing is not None:
        return existing
    with translation.override(settings.LANGUAGE_CODE):
        disclosure = _snapshot(decision)
        disclosure.full_clean()
        disclosure.save()
        decision.case.timeline.create(
            kind=CaseEvent.Kind.DISCLOSED, actor=actor, note=disclosure.title
        )
    public_cache_invalidate()
    return disclosure
