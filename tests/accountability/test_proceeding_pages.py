"""R24, R25, R28: the accountability case's pages: the register (scoped, filtered, constant query
count), the handler's queue, opening a case from the clue's page, the case's page for supervisors
over the unit and the administrator (not the unit's staff, not another city), and the handler's
forms (investigation, evidence with its protected download, shares, report)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountability.models import Proceeding, ProceedingEvidence, Report
from accountability.services.proceedings import proceeding_open
from tests.conftest import client_for
from tests.enforcement.test_cases import PDF

from .conftest import register
from .proceeding_fixtures import handling

pytestmark = pytest.mark.django_db


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


def test_the_register_lists_the_region_s_cases_and_filters(
    proceeding, city_supervisor, sysadmin, city_b_supervisor
):
    """R24: supervisors over the unit and the administrator read the register; another city's
    supervisor does not see A's case; a bad filter is a 400."""
    url = reverse("accountability:case-list")
    page = client_for(city_supervisor).get(url)
    assert proceeding.number in page.content.decode()
    assert proceeding.number in client_for(sysadmin).get(url).content.decode()
    assert proceeding.number not in client_for(city_b_supervisor).get(url).content.decode()
    assert proceeding.number not in (
        client_for(city_supervisor).get(url, {"step": "closed"}).content.decode()
    )
    assert client_for(city_supervisor).get(url, {"step": "x"}).status_code == 400


def test_the_register_and_the_queue_keep_their_query_count(
    city_supervisor, colleague, agency_a, django_assert_max_num_queries
):
    """R24: the register's and the queue's queries do not grow with the cases."""

    def one():
        clue = handling(register(city_supervisor, agency_a), city_supervisor, colleague)
        proceeding_open(clue=clue, actor=city_supervisor)

    one()
    register_url, queue_url = (
        reverse("accountability:case-list"),
        reverse("accountability:case-queue"),
    )
    supervisor, handler = client_for(city_supervisor), client_for(colleague)
    few = _count(supervisor, register_url)
    few_queue = _count(handler, queue_url)
    for _ in range(5):
        one()
    with django_assert_max_num_queries(few):
        supervisor.get(register_url)
    with django_assert_max_num_queries(few_queue):
        page = handler.get(queue_url)
    assert page.content.decode().count('href="/accountability/cases/') >= 6


def test_the_case_page_is_the_supervisors_not_the_unit_s(
    proceeding,
    city_supervisor,
    colleague,
    sysadmin,
    inspector_a,
    legal_office_a,
    outsider_b,
    city_b_supervisor,
):
    """R24: the unit's staff and legal office do not read the file of the case against them;
    another city's supervisor gets a 404; the administrator reads it without the forms."""
    url = reverse("accountability:case-detail", args=[proceeding.pk])
    handler_page = client_for(colleague).get(url)
    assert handler_page.status_code == 200
    assert "保存调查情况" in handler_page.content.decode()
    supervisor_page = client_for(city_supervisor).get(url).content.decode()
    assert proceeding.number in supervisor_page and "保存调查情况" not in supervisor_page
    admin_page = client_for(sysadmin).get(url)
    assert admin_page.status_code == 200 and "保存调查情况" not in admin_page.content.decode()
    for user in (inspector_a, legal_office_a, outsider_b):
        assert client_for(user).get(url).status_code == 403
    assert client_for(city_b_supervisor).get(url).status_code == 404


def test_the_case_page_keeps_its_query_count(
    case_proceeding, colleague, django_assert_max_num_queries
):
    """R24: the page with its shares, accused and timeline in a bounded number of queries."""
    client = client_for(colleague)
    with django_assert_max_num_queries(30):
        page = client.get(reverse("accountability:case-detail", args=[case_proceeding.pk]))
    assert "按办案环节划分责任" in page.content.decode()


def test_a_case_is_opened_from_the_clue_s_page(handling_clue, city_supervisor, officer_a):
    """R24: the clue's page offers to open the case; the form opens it with the officers chosen."""
    clue_page = client_for(city_supervisor).get(
        reverse("accountability:clue-detail", args=[handling_clue.pk])
    )
    open_url = reverse("accountability:case-open", args=[handling_clue.pk])
    assert open_url in clue_page.content.decode()
    client = client_for(city_supervisor)
    assert client.get(open_url).status_code == 200
    response = client.post(open_url, {"officers": [officer_a.pk], "include_unit": "on"})
    proceeding = Proceeding.objects.get(clue=handling_clue)
    assert response.status_code == 302 and response["Location"] == proceeding.get_absolute_url()
    assert proceeding.accused.count() == 2
    # Asking again leads to the case.
    assert client.get(open_url)["Location"] == proceeding.get_absolute_url()


def test_opening_a_clue_without_handler_shows_the_refusal(clue, city_supervisor):
    """R24: refused in Chinese, nothing opened."""
    url = reverse("accountability:case-open", args=[clue.pk])
    response = client_for(city_supervisor).post(url, {"include_unit": "on"})
    assert response.status_code == 400
    assert "线索须已指定承办人" in response.content.decode()
    assert not Proceeding.objects.exists()


def test_the_handler_investigates_and_attaches_evidence_others_download(
    proceeding, colleague, city_supervisor, inspector_a, city_b_supervisor
):
    """R24: the handler's investigation and evidence; the evidence is downloaded only by those
    who read the case."""
    client = client_for(colleague)
    url = reverse("accountability:case-investigate", args=[proceeding.pk])
    assert client.post(url, {"investigation": "调取执法记录仪视频。"}).status_code == 302
    proceeding.refresh_from_db()
    assert proceeding.investigation == "调取执法记录仪视频。"
    upload = SimpleUploadedFile("询问笔录.pdf", PDF, content_type="application/pdf")
    evidence_url = reverse("accountability:case-evidence", args=[proceeding.pk])
    assert (
        client.post(evidence_url, {"description": "询问笔录", "upload": upload}).status_code == 302
    )
    evidence = ProceedingEvidence.objects.get()
    assert evidence.original_name == "询问笔录.pdf" and "询问笔录" not in evidence.file.name
    download = reverse("accountability:case-evidence-download", args=[proceeding.pk, evidence.pk])
    response = client_for(city_supervisor).get(download)
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    assert client_for(inspector_a).get(download).status_code == 403
    assert client_for(city_b_supervisor).get(download).status_code == 404


def test_an_executable_renamed_to_pdf_is_refused_and_nothing_kept(proceeding, colleague):
    """R24: evidence is checked by its content."""
    upload = SimpleUploadedFile("笔录.pdf", b"MZ\x90\x00" + b"\x00" * 100)
    response = client_for(colleague).post(
        reverse("accountability:case-evidence", args=[proceeding.pk]),
        {"description": "笔录", "upload": upload},
    )
    assert response.status_code == 400
    assert "不是可接受的" in response.content.decode()
    assert not ProceedingEvidence.objects.exists()


def test_only_the_handler_acts_on_the_page(proceeding, city_supervisor):
    """R24: another supervisor over the unit reads but may not investigate (403, nothing)."""
    response = client_for(city_supervisor).post(
        reverse("accountability:case-investigate", args=[proceeding.pk]), {"investigation": "x"}
    )
    assert response.status_code == 403
    proceeding.refresh_from_db()
    assert proceeding.investigation == ""


def test_the_shares_are_confirmed_through_the_form(case_proceeding, colleague):
    """R25: a change without a reason is refused on the form; with it, confirmed."""
    shares = list(case_proceeding.shares.order_by("pk"))
    data = {f"percent_{s.pk}": s.proposed_percent for s in shares}
    data[f"percent_{shares[0].pk}"] += 5
    data[f"percent_{shares[1].pk}"] -= 5
    url = reverse("accountability:case-shares", args=[case_proceeding.pk])
    refused = client_for(colleague).post(url, data)
    assert refused.status_code == 400 and "须写明理由" in refused.content.decode()
    data[f"reason_{shares[0].pk}"] = "立案时未核实线索。"
    data[f"reason_{shares[1].pk}"] = "调查取证由他人主导。"
    assert client_for(colleague).post(url, data).status_code == 302
    assert not case_proceeding.shares.filter(percent__isnull=True).exists()


def test_the_report_form_submits_and_shows_the_band_table(proceeding, colleague):
    """R24, R28: the report page shows the region's table; an outside-band proposal without
    its reason is refused on the form; the report moves the case to notice."""
    url = reverse("accountability:case-report", args=[proceeding.pk])
    page = client_for(colleague).get(url)
    assert page.status_code == 200 and "处理档次表" in page.content.decode()
    accused = list(proceeding.accused.order_by("pk"))
    data = {
        "facts": "未出示执法证件。",
        "fault": "ordinary",
        "conduct": "检查时未出示证件。",
        "consequence": "minor",
        "impact": "slight",
    }
    for one in accused:
        data[f"responsible_{one.pk}"] = "yes"
        data[f"kind_{one.pk}"] = "rectification" if one.is_unit else "withdrawal"
    refused = client_for(colleague).post(url, data)
    assert refused.status_code == 400 and "须写明理由" in refused.content.decode()
    assert not Report.objects.exists()
    data[f"justification_{accused[0].pk}"] = "多次违规。"
    assert client_for(colleague).post(url, data).status_code == 302
    proceeding.refresh_from_db()
    assert proceeding.step == Proceeding.Step.NOTICE
    detail = client_for(colleague).get(proceeding.get_absolute_url()).content.decode()
    assert "多次违规。" in detail
