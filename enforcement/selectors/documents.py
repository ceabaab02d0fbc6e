"""Printable documents of a case (issue 14): the decision in the official format (行政处罚决定书)
and the case file's cover and index (案卷目录). Scoped like the case page: a case the reader may
not read is a 404."""

from dataclasses import dataclass

from django.http import Http404
from django.utils.translation import gettext as _

from ..models import Case, Decision, Stage
from ..remedy_rights import REMEDY_RIGHTS
from ..services.disclosures import document_name
from ..services.numbering import applied_bases
from .cases import case_for, decision_of


@dataclass
class DecisionDocument:
    case: Case
    decision: Decision
    title: str
    parties: list
    officers: list
    bases: list
    # Not issued yet: printed as a draft, without a number, date or seal.
    draft: bool
    remedies: tuple = REMEDY_RIGHTS

    @property
    def filename(self) -> str:
        return f"{self.decision.number or f'{self.title}-{self.case.pk}'}.pdf"


def decision_document(*, user, pk: int) -> DecisionDocument:
    """The decision of case `pk` as a document (404 if the case is out of reach or has none)."""
    case = case_for(user=user, pk=pk)
    decision = decision_of(case=case)
    if decision is None:
        raise Http404(_("本案尚未拟定执法决定。"))
    issued = decision.status == Decision.Status.ISSUED
    return DecisionDocument(
        case=case,
        decision=decision,
        title=str(document_name(decision, case.power_item.category)),
        parties=list(case.parties.all()),
        officers=[assignment.officer for assignment in case.case_officers.all()],
        # An issued decision prints the bases it fixed when issued; a draft, those it would apply.
        bases=decision.legal_bases if issued and decision.legal_bases else applied_bases(case),
        draft=not issued,
    )


def case_file(*, user, pk: int) -> dict:
    """The case file's cover and index: the case, its parties and officers, every current record
    in stage order, and the decision if there is one."""
    case = case_for(user=user, pk=pk)
    order = {stage.value: index for index, stage in enumerate(Stage)}
    records = sorted(
        (record for record in case.records.all() if record.is_current),
        key=lambda record: (order.get(record.stage, len(order)), record.recorded_at, record.pk),
    )
    decision = decision_of(case=case)
    return {
        "case": case,
        "parties": list(case.parties.all()),
        "officers": [assignment.officer for assignment in case.case_officers.all()],
        "records": records,
        "decision": decision,
        "decision_title": (
            str(document_name(decision, case.power_item.category)) if decision else ""
        ),
    }
