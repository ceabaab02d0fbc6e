"""R9: an issued decision is disclosed at once, once, redacted; nothing else is disclosed.

The disclosure is a snapshot: title, item, kind and its label, fine, the parties (citizens'
names masked, organisations' kept, no identifiers or addresses), the redacted text and the
local date of issue, written in the portal's language by `decision_issue` itself.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone, translation

from enforcement.models import CaseEvent, Decision, DecisionDisclosure
from enforcement.services import decisions as decision_services
from enforcement.services.cases import PartyInput
from enforcement.services.disclosures import disclosure_publish

from .test_cases import COMPANY, COMPANY_CODE
from .test_decisions import case_in_decision_stage

pytestmark = pytest.mark.django_db

CITIZEN_NAME = "王小明"
CITIZEN_ID = "11010519491231002X"
CITIZEN_ADDRESS = "甲市人民大街100号3单元"
CITIZEN_PHONE = "13812345678"
COMPANY_NAME = COMPANY.name
SECRETS = (CITIZEN_NAME, CITIZEN_ID, CITIZEN_ADDRESS, CITIZEN_PHONE)
CITIZEN = PartyInput(
    kind="citizen", name=CITIZEN_NAME, identifier=CITIZEN_ID, address=CITIZEN_ADDRESS
)
DRAFT = (
    f"当事人：{CITIZEN_NAME}，身份证号码：{CITIZEN_ID}，住址：{CITIZEN_ADDRESS}，"
    f"联系电话：{CITIZEN_PHONE}。\n当事人：{COMPANY_NAME}（统一社会信用代码：{COMPANY_CODE}）。\n"
    f"经查，{CITIZEN_NAME}在{COMPANY_NAME}经营场所销售超过保质期的食品。决定罚款五千元。"
)


def drafted(agency, item, officers, actor, *, parties=(CITIZEN, COMPANY), **fields) -> Decision:
    """A decision drafted in a case with a citizen and a firm as parties (not yet issued)."""
    case = case_in_decision_stage(agency, item, officers, actor, party=parties[0])
    for party in parties[1:]:
        case.parties.create(
            kind=party.kind, name=party.name, identifier=party.identifier, address=party.address
        )
    values = {"kind": "fine", "fine_amount": Decimal("5000"), "draft": DRAFT}
    return decision_services.decision_save(
        case=case, actor=actor, explanation="当事人销售超过保质期的食品。", **(values | fields)
    )


def issued(agency, item, officers, actor, **fields) -> Decision:
    """A decision issued through the service, as staff issue it (and so disclosed)."""
    decision = drafted(agency, item, officers, actor, **fields)
    return decision_services.decision_issue(decision=decision, actor=actor)


@pytest.fixture
def decision(agency_a, item_a, officers_a, inspector_a) -> Decision:
    return issued(agency_a, item_a, officers_a, inspector_a)


def test_issuing_a_decision_discloses_it_at_once_and_once(decision, inspector_a):
    """R9, public by default: the issue itself writes the disclosure and a DISCLOSED step; a
    second publication returns the same snapshot and writes nothing."""
    disclosure = DecisionDisclosure.objects.get()
    assert disclosure.decision == decision
    assert disclosure_publish(decision=decision, actor=inspector_a) == disclosure
    assert DecisionDisclosure.objects.count() == 1
    steps = decision.case.timeline.filter(kind=CaseEvent.Kind.DISCLOSED)
    assert [(s.actor, s.note) for s in steps] == [(inspector_a, disclosure.title)]
    kinds = list(decision.case.timeline.values_list("kind", flat=True))
    assert kinds.index(CaseEvent.Kind.DECISION_ISSUED) < kinds.index(CaseEvent.Kind.DISCLOSED)


def test_the_snapshot_holds_the_decisions_public_facts(decision, agency_a, item_a):
    """R9: title, item, kind and label, fine, local date of issue."""
    disclosure = decision.disclosure
    assert disclosure.agency == agency_a
    assert disclosure.title == f"甲市市场监督管理局行政处罚决定书（{item_a.name}）"
    assert (disclosure.item_code, disclosure.item_name) == (item_a.code, item_a.name)
    assert (disclosure.kind, disclosure.kind_label) == ("fine", "罚款")
    assert disclosure.fine_amount == Decimal("5000")
    assert disclosure.decided_on == timezone.localdate(decision.issued_at)
    assert disclosure.remedy_note == ""


def test_the_snapshot_is_redacted(decision):
    """R9: the citizen's name masked, the firm's name kept; no identity number, phone or
    address anywhere in the snapshot."""
    disclosure = decision.disclosure
    assert disclosure.parties == f"王**、{COMPANY_NAME}"
    assert "王**" in disclosure.text and COMPANY_NAME in disclosure.text
    assert COMPANY_CODE in disclosure.text  # an organisation's code is public
    snapshot = " ".join(
        str(getattr(disclosure, f.attname)) for f in DecisionDisclosure._meta.concrete_fields
    )
    for secret in SECRETS:
        assert secret not in snapshot, secret
    assert "〔已隐去〕" in disclosure.text


def test_a_decision_not_issued_has_no_disclosure(agency_a, item_a, officers_a, inspector_a):
    """R9 discloses decisions, not drafts: a draft cannot be published either."""
    draft = drafted(agency_a, item_a, officers_a, inspector_a)
    with pytest.raises(ValidationError, match="决定尚未作出，不能公示。"):
        disclosure_publish(decision=draft, actor=inspector_a)
    assert not DecisionDisclosure.objects.exists()
    assert not draft.case.timeline.filter(kind=CaseEvent.Kind.DISCLOSED).exists()


def test_a_refused_issue_discloses_nothing(agency_a, item_a, officers_a, inspector_a):
    """A major decision refused for want of legal review (R5) is neither issued nor disclosed."""
    draft = drafted(agency_a, item_a, officers_a, inspector_a, fine_amount=Decimal("200000"))
    with pytest.raises(ValidationError, match="R5"):
        decision_services.decision_issue(decision=draft, actor=inspector_a)
    assert not DecisionDisclosure.objects.exists()


def test_the_outsider_cannot_disclose_another_agencys_decision(decision, outsider_b):
    with pytest.raises(PermissionDenied):
        disclosure_publish(decision=decision, actor=outsider_b)
    assert DecisionDisclosure.objects.count() == 1


def test_the_snapshot_is_in_chinese_whatever_the_issuers_language(
    agency_a, item_a, officers_a, inspector_a
):
    with translation.override("en"):
        decision = issued(
            agency_a, item_a, officers_a, inspector_a, kind="warning", fine_amount=None
        )
    disclosure = decision.disclosure
    assert disclosure.kind_label == "警告" and "行政处罚决定书" in disclosure.title
    assert disclosure.fine_amount is None


def test_a_decision_that_is_no_penalty_has_a_fitting_title(
    agency_a, item_a, officers_a, inspector_a
):
    decision = issued(agency_a, item_a, officers_a, inspector_a, kind="other", fine_amount=None)
    disclosure = decision.disclosure
    assert disclosure.title == f"甲市市场监督管理局行政执法决定书（{item_a.name}）"
    assert disclosure.kind_label == "其他"


def test_the_decision_date_is_the_local_date_of_issue(
    agency_a, item_a, officers_a, inspector_a, monkeypatch
):
    """Issued at 01:30 in China, 17:30 the day before in UTC: the local date is the date."""
    draft = drafted(agency_a, item_a, officers_a, inspector_a)
    moment = datetime.datetime(2025, 3, 1, 17, 30, tzinfo=datetime.UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    decision = decision_services.decision_issue(decision=draft, actor=inspector_a)
    assert decision.disclosure.decided_on == datetime.date(2025, 3, 2)


def test_a_long_item_name_keeps_the_title_within_its_column(
    agency_a, item_a, officers_a, inspector_a
):
    from enforcement.models import Case

    decision = drafted(agency_a, item_a, officers_a, inspector_a)
    Case.objects.filter(pk=decision.case_id).update(item_name="长" * 200)
    decision = decision_services.decision_issue(decision=decision, actor=inspector_a)
    title = decision.disclosure.title
    assert len(title) <= 300 and title.startswith("甲市市场监督管理局行政处罚决定书（长")
