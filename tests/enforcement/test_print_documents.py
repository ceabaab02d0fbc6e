"""Issue 14: the case's printable documents. The decision prints in the official format (the
issuing agency as heading, its number, the party, facts, basis, decision, the remedies with
their deadlines, the date and the seal's place), as a page laid out for A4 and as a PDF; the case
file prints its cover and index. Each is scoped like the case: out of reach is a 404."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone

from enforcement.models import DocumentNumbering
from enforcement.services.cases import case_record_correct
from tests.conftest import client_for

from .test_cases import COMPANY, PDF, add_record, open_case, upload
from .test_fines import case_in_decision, draft_decision, issue

pytestmark = pytest.mark.django_db

YEAR = timezone.localdate().year
DOCUMENTS = ["cases:decision-print", "cases:decision-pdf", "cases:file-print"]


@pytest.fixture
def issued(agency_a, item_a, officers_a, inspector_a, legal_office_a):
    DocumentNumbering.objects.create(agency=agency_a, abbreviation="甲市监")
    case = case_in_decision(agency_a, item_a, officers_a, inspector_a)
    return issue(
        draft_decision(case, inspector_a, amount=Decimal("12345.5")), inspector_a, legal_office_a
    )


def test_the_owner_prints_the_decision_with_its_number_party_and_date(issued, inspector_a):
    response = client_for(inspector_a).get(reverse("cases:decision-print", args=[issued.case_id]))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"甲市监罚〔{YEAR}〕1号" in page
    assert "行政处罚决定书" in page
    assert issued.case.agency.name in page
    assert COMPANY.name in page and COMPANY.identifier in page
    assert "12,345.50 元" in page
    on = timezone.localtime(issued.issued_at)
    assert f"{on.year}年{on.month}月{on.day}日" in page
    # The remedies with their deadlines, and the place of the seal.
    assert "六十日内" in page and "六个月内" in page
    assert "（印章）" in page
    assert "不具法律效力" not in page


def test_a_draft_prints_marked_as_one_without_a_number_or_seal(
    agency_a, item_a, officers_a, inspector_a
):
    case = case_in_decision(agency_a, item_a, officers_a, inspector_a)
    draft_decision(case, inspector_a)
    page = client_for(inspector_a).get(reverse("cases:decision-print", args=[case.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert "尚未作出，不具法律效力" in text
    assert "文号于作出决定时编定" in text
    assert "（印章）" not in text


def test_the_supervisor_over_the_agency_prints_it_too(issued, city_supervisor):
    response = client_for(city_supervisor).get(
        reverse("cases:decision-print", args=[issued.case_id])
    )
    assert response.status_code == 200


@pytest.mark.parametrize("name", DOCUMENTS)
def test_an_outsider_gets_a_404(issued, outsider_b, name):
    response = client_for(outsider_b).get(reverse(name, args=[issued.case_id]))
    assert response.status_code == 404


@pytest.mark.parametrize("name", DOCUMENTS)
def test_the_public_is_sent_to_log_in(issued, public_client, name):
    response = public_client.get(reverse(name, args=[issued.case_id]))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_a_case_without_a_decision_has_no_decision_document(
    agency_a, item_a, officers_a, inspector_a
):
    case = open_case(agency_a, item_a, officers_a, inspector_a)
    response = client_for(inspector_a).get(reverse("cases:decision-print", args=[case.pk]))
    assert response.status_code == 404


def test_the_pdf_is_the_decision_with_its_number(issued, inspector_a):
    from pypdf import PdfReader

    response = client_for(inspector_a).get(reverse("cases:decision-pdf", args=[issued.case_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    reader = PdfReader(BytesIO(response.content))
    compact = "".join("".join(page.extract_text() for page in reader.pages).split())
    assert f"甲市监罚〔{YEAR}〕1号" in compact
    assert "12,345.50元" in compact
    assert COMPANY.name in compact
    # Navigation and the page's tools are not in the document.
    assert "退出登录" not in compact and "下载PDF" not in compact


def test_the_case_file_lists_its_documents_in_stage_order(issued, inspector_a):
    case = issued.case
    page = client_for(inspector_a).get(reverse("cases:file-print", args=[case.pk]))
    text = page.content.decode()
    assert page.status_code == 200
    assert f"甲市监立〔{YEAR}〕1号" in text
    assert text.count("data-record=") == case.records.count()
    assert f"甲市监罚〔{YEAR}〕1号" in text


def test_a_corrected_record_is_listed_once_in_its_latest_version(
    agency_a, item_a, officers_a, inspector_a
):
    case = open_case(agency_a, item_a, officers_a, inspector_a)
    record = add_record(case, inspector_a)
    case_record_correct(
        record=record,
        actor=inspector_a,
        title="现场检查笔录（更正）",
        file=upload("更正.pdf", PDF),
        reason="笔误",
    )
    text = client_for(inspector_a).get(reverse("cases:file-print", args=[case.pk])).content
    assert text.decode().count("data-record=") == 1
    assert "现场检查笔录（更正）" in text.decode()
