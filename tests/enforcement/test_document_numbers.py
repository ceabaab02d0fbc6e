"""R9: a disclosed decision shows its document number and the legal basis it applied; case and
document numbers take the official form with the agency's abbreviation and the year in 〔〕
(松市监罚〔2026〕5号), configurable per agency, each series unique and gapless.
"""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from enforcement.models import Decision, DecisionDisclosure, DocumentCounter, DocumentNumbering
from enforcement.services.numbering import format_number
from portal.roles import Role
from portal.services import user_assign_role
from tests.conftest import client_for
from tests.factories import AgencyFactory, OfficerFactory, RegionFactory, UserFactory

from .staff_factories import make_published
from .test_cases import open_case
from .test_fines import case_in_decision, draft_decision, issue

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year


@pytest.fixture
def numbering_a(agency_a) -> DocumentNumbering:
    return DocumentNumbering.objects.create(agency=agency_a, abbreviation="甲市监")


def issued(agency, item, officers, staff, office, **fields) -> Decision:
    case = case_in_decision(agency, item, officers, staff)
    return issue(draft_decision(case, staff, **fields), staff, office)


def test_a_case_is_numbered_in_the_agencys_official_form(
    numbering_a, agency_a, item_a, officers_a, inspector_a
):
    """R9: 立案编号 is the agency's abbreviation, 立, the year in 〔〕 and the sequence."""
    first = open_case(agency_a, item_a, officers_a, inspector_a)
    second = open_case(agency_a, item_a, officers_a, inspector_a)
    assert first.number == f"甲市监立〔{YEAR}〕1号"
    assert second.number == f"甲市监立〔{YEAR}〕2号"
    first.refresh_from_db()
    assert first.number == f"甲市监立〔{YEAR}〕1号"
    assert first.number in first.timeline.get().note


def test_an_issued_penalty_takes_its_own_series_and_keeps_the_basis_it_applied(
    numbering_a, agency_a, item_a, officers_a, inspector_a, legal_office_a
):
    """R9: a penalty decision is numbered in the 罚 series (not the cases'), when issued, and
    records the legal bases and articles of its item as published."""
    decision = issued(agency_a, item_a, officers_a, inspector_a, legal_office_a)
    assert decision.case.number == f"甲市监立〔{YEAR}〕1号"
    assert decision.number == f"甲市监罚〔{YEAR}〕1号"
    decision.refresh_from_db()
    basis = item_a.bases.select_related("basis").get()
    assert decision.legal_bases == [
        {
            "title": basis.basis.title,
            "document_number": basis.basis.document_number,
            "articles": "第一百二十四条",
        }
    ]
    assert issued(agency_a, item_a, officers_a, inspector_a, legal_office_a).number == (
        f"甲市监罚〔{YEAR}〕2号"
    )


def test_a_draft_has_no_number_until_it_is_issued(
    numbering_a, agency_a, item_a, officers_a, inspector_a
):
    """R9: the document number is taken when the decision is issued, not when drafted."""
    case = case_in_decision(agency_a, item_a, officers_a, inspector_a)
    assert draft_decision(case, inspector_a).number == ""
    assert not DocumentCounter.objects.filter(word="罚").exists()


def test_the_disclosure_shows_the_document_number_and_the_legal_basis(
    numbering_a, agency_a, item_a, officers_a, inspector_a, legal_office_a, public_client
):
    """R9: the public reads the decision's number and the legal basis it applied, on the
    disclosure page, in the list and in the API."""
    decision = issued(agency_a, item_a, officers_a, inspector_a, legal_office_a)
    disclosure = DecisionDisclosure.objects.get(decision=decision)
    number = f"甲市监罚〔{YEAR}〕1号"
    assert disclosure.document_number == number
    title = item_a.bases.get().basis.title
    page = public_client.get(disclosure.get_absolute_url()).content.decode()
    assert number in page
    assert f"《{title}》" in page and "第一百二十四条" in page
    assert number in public_client.get(reverse("disclosures:list")).content.decode()
    api = public_client.get(reverse("api:disclosure-detail", args=[disclosure.pk])).json()
    assert api["document_number"] == number
    assert api["legal_bases"][0]["title"] == title
    assert api["legal_bases"][0]["articles"] == "第一百二十四条"


def test_the_case_page_shows_the_case_and_decision_numbers(
    numbering_a, agency_a, item_a, officers_a, inspector_a, legal_office_a
):
    """R9: staff read both numbers and the applied basis on the case page."""
    decision = issued(agency_a, item_a, officers_a, inspector_a, legal_office_a)
    html = client_for(inspector_a).get(decision.case.get_absolute_url()).content.decode()
    assert f"甲市监立〔{YEAR}〕1号" in html and f"甲市监罚〔{YEAR}〕1号" in html
    assert "第一百二十四条" in html


def test_each_agency_has_its_own_characters_and_series(
    agency_a, agency_b, item_a, officers_a, inspector_a, legal_office_a, outsider_b, sysadmin
):
    """R9: the abbreviation and each kind's character are the agency's own; series do not
    mix between agencies."""
    DocumentNumbering.objects.create(
        agency=agency_a, abbreviation="甲市监", case_word="立案", penalty_word="处罚"
    )
    DocumentNumbering.objects.create(agency=agency_b, abbreviation="丙环")
    office_b = UserFactory(username="legal_b")
    user_assign_role(user=office_b, role=Role.LEGAL_OFFICE, actor=None, agency=agency_b)
    item_b = make_published(agency_b, outsider_b, office_b, sysadmin)
    officers_b = [OfficerFactory(agency=agency_b) for _ in range(2)]
    a = issued(agency_a, item_a, officers_a, inspector_a, legal_office_a)
    b = issued(agency_b, item_b, officers_b, outsider_b, office_b)
    assert (a.case.number, a.number) == (f"甲市监立案〔{YEAR}〕1号", f"甲市监处罚〔{YEAR}〕1号")
    assert (b.case.number, b.number) == (f"丙环立〔{YEAR}〕1号", f"丙环罚〔{YEAR}〕1号")


def test_an_agency_without_an_abbreviation_is_numbered_with_its_name(
    agency_a, item_a, officers_a, inspector_a
):
    """R9: numbering never stops a case: until the agency sets its abbreviation, its name
    stands in its place."""
    assert open_case(agency_a, item_a, officers_a, inspector_a).number == (
        f"甲市市场监督管理局立〔{YEAR}〕1号"
    )


def test_a_licensing_decision_takes_the_licensing_character(
    numbering_a, agency_a, inspector_a, legal_office_a, city_supervisor, officers_a
):
    """R9: a decision other than a penalty is numbered after its item's category (许)."""
    item = make_published(
        agency_a,
        inspector_a,
        legal_office_a,
        city_supervisor,
        code="330217002000",
        name="食品经营许可",
        category="licensing",
    )
    decision = issued(agency_a, item, officers_a, inspector_a, legal_office_a, kind="other")
    assert decision.number == f"甲市监许〔{YEAR}〕1号"


def test_a_rolled_back_issue_gives_its_number_back(
    numbering_a, agency_a, item_a, officers_a, inspector_a, legal_office_a
):
    """R9: the series is gapless: an issue whose transaction fails leaves no hole."""
    case = case_in_decision(agency_a, item_a, officers_a, inspector_a)
    decision = draft_decision(case, inspector_a)
    with pytest.raises(RuntimeError), transaction.atomic():
        assert issue(decision, inspector_a, legal_office_a).number == f"甲市监罚〔{YEAR}〕1号"
        raise RuntimeError("the surrounding work failed")
    assert issue(decision, inspector_a, legal_office_a).number == f"甲市监罚〔{YEAR}〕1号"


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("abbreviation", "甲市监1"),
        ("abbreviation", "甲〔市〕监"),
        ("abbreviation", "甲 市监"),
        ("penalty_word", "罚1"),
        ("case_word", ""),
    ],
)
def test_an_abbreviation_or_character_that_would_blur_the_number_is_refused(agency_a, field, value):
    """R9: digits, brackets or blanks in the abbreviation or a character would make numbers
    ambiguous; the configuration is refused in Chinese."""
    numbering = DocumentNumbering(agency=agency_a, abbreviation="甲市监")
    setattr(numbering, field, value)
    with pytest.raises(ValidationError) as refused:
        numbering.full_clean()
    assert field in refused.value.error_dict


def test_two_agencies_cannot_share_an_abbreviation(numbering_a, agency_b):
    """R9: numbers of two agencies must never collide."""
    with pytest.raises(ValidationError, match="已被其他单位使用"):
        DocumentNumbering(agency=agency_b, abbreviation="甲市监").full_clean()


def test_the_number_reads_as_an_official_one():
    assert format_number("松市监", "罚", 2026, 5) == "松市监罚〔2026〕5号"


def test_a_decision_issued_before_numbering_shows_no_number(public_client, agency_a):
    """R9: disclosures written before numbers existed still open, without a number."""
    from .test_disclosure_pages import disclose

    disclosure = disclose(agency_a)
    response = public_client.get(disclosure.get_absolute_url())
    assert response.status_code == 200
    assert "决定书文号" not in response.content.decode()


# --- under concurrency (PostgreSQL's row lock on the counter) ----------------------------------

THREADS = 12


@pytest.mark.postgres("real concurrent connections")
def test_concurrent_openings_get_unique_gapless_numbers(transactional_db, bundled_calendar):
    """R9: twelve connections opening cases of one agency at the same moment get 1..12 of its
    series, no number twice, none skipped."""
    region = RegionFactory(name="并发市", code="230100")
    agency = AgencyFactory(name="并发市市场监督管理局", region=region)
    DocumentNumbering.objects.create(agency=agency, abbreviation="并市监")
    staff = user_assign_role(
        user=UserFactory(username="staff"), role=Role.AGENCY_STAFF, actor=None, agency=agency
    )
    office = user_assign_role(
        user=UserFactory(username="office"), role=Role.LEGAL_OFFICE, actor=None, agency=agency
    )
    supervisor = user_assign_role(
        user=UserFactory(username="supervisor"), role=Role.SUPERVISOR, actor=None, region=region
    )
    item = make_published(agency, staff, office, supervisor)
    officers = [OfficerFactory(agency=agency) for _ in range(2)]
    barrier = threading.Barrier(THREADS)
    numbers, errors = [], []
    lock = threading.Lock()

    def worker() -> None:
        try:
            barrier.wait(timeout=30)
            case = open_case(agency, item, officers, staff)
            with lock:
                numbers.append(case.number)
        except Exception as error:  # noqa: BLE001 - every failure is reported by the test
            with lock:
                errors.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sorted(numbers) == sorted(f"并市监立〔{YEAR}〕{n}号" for n in range(1, THREADS + 1))
    assert DocumentCounter.objects.get(agency=agency, word="立").last == THREADS


def test_the_staff_api_gives_the_numbers_and_the_applied_basis(
    numbering_a, agency_a, item_a, officers_a, inspector_a, legal_office_a
):
    """R9: the staff API reads the case's number, the decision's and its applied bases."""
    decision = issued(agency_a, item_a, officers_a, inspector_a, legal_office_a)
    client = client_for(inspector_a)
    case = client.get(reverse("api:staff-case-detail", args=[decision.case_id])).json()
    assert case["number"] == f"甲市监立〔{YEAR}〕1号"
    body = client.get(reverse("api:staff-case-decision", args=[decision.case_id])).json()
    assert body["number"] == f"甲市监罚〔{YEAR}〕1号"
    assert body["legal_bases"][0]["articles"] == "第一百二十四条"
