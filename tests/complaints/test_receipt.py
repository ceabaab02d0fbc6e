"""The complaint's printable receipt (回执): number, filing date and the date by which the
complainant is told whether it is accepted (R16), after filing and again from tracking.

The access code is never in a URL. On the receipt answering the filing it is printed only if the
complainant ticks the box (a paper receipt is seen by others; number and code open the complaint);
from tracking it cannot be printed at all, since the portal keeps no code to print.
"""

import re

import pytest

from complaints.models import Complaint

from .test_filing_page import access_code_in, file_on_page
from .test_tracking_page import filed, track

pytestmark = pytest.mark.django_db

RECEIPT = "/complaints/track/receipt/"


def _receipt_section(html: str) -> str:
    return html[
        html.index('<section class="receipt"') : html.index(
            "</section>", html.index('<section class="receipt"')
        )
    ]


def _long_date(day) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def test_the_filing_answer_holds_a_receipt_with_number_and_both_dates(
    public_client, agency_a, bundled_calendar
):
    html = file_on_page(public_client, agency_a).content.decode()
    complaint = Complaint.objects.get()
    receipt = _receipt_section(html)
    assert "投诉举报回执" in receipt
    assert complaint.number in receipt
    assert agency_a.name in receipt and complaint.region.name in receipt
    assert (
        f'<time datetime="{complaint.received_on:%Y-%m-%d}">{_long_date(complaint.received_on)}'
        in receipt
    )
    acknowledge = re.search(r'id="receipt-acknowledge-by">(.*?)</dd>', receipt, re.S).group(1)
    assert _long_date(complaint.acknowledge_by) in acknowledge
    assert "5 个工作日" in acknowledge
    # How to follow it, by the tracking page's full address (the code is not in it).
    assert "http://testserver/complaints/track/" in receipt


def test_the_access_code_is_on_the_receipt_only_behind_the_complainants_choice(
    public_client, agency_a, bundled_calendar
):
    html = file_on_page(public_client, agency_a).content.decode()
    code = access_code_in(html)
    receipt = _receipt_section(html)
    # Printed by default: "not on the receipt"; the code sits in the block the box reveals.
    assert "未印在回执上" in receipt
    printed = re.search(r'<div class="receipt-code-print">(.*?)</div>', receipt, re.S).group(1)
    assert code in printed
    assert receipt.count(code) == 1
    assert '<input type="checkbox" id="print-access-code">' in html
    assert "在回执上印出查询码" in html


def test_the_stylesheet_prints_the_code_only_when_the_box_is_ticked():
    """The choice is made by CSS alone (no script, no request): hidden unless #print-access-code
    is checked; navigation, the footer and the page around the receipt are not printed."""
    from pathlib import Path

    css = (Path(__file__).resolve().parents[2] / "static/portal/portal.css").read_text()
    assert ".receipt .receipt-code-print { display: none; }" in css
    assert "body:has(#print-access-code:checked) .receipt .receipt-code-print" in css
    print_rules = css[css.rindex("@media print") :]
    for hidden in (".masthead", ".footer", ".no-print", "nav"):
        assert hidden in print_rules.split("{")[1]


def test_the_print_button_needs_no_inline_script(public_client, agency_a, bundled_calendar):
    html = file_on_page(public_client, agency_a).content.decode()
    assert "data-print hidden" in html
    assert re.search(r'<script src="/static/portal/print[.\w]*js" defer></script>', html)
    assert "onclick" not in html and "<script>" not in html


def test_a_tracked_complaint_prints_its_receipt_without_the_code(public_client, agency_a):
    receipt = filed(agency_a)
    complaint = receipt.complaint
    track(public_client, receipt.number, receipt.access_code)
    result = public_client.get("/complaints/track/result/").content.decode()
    assert f'href="{RECEIPT}"' in result
    response = public_client.get(RECEIPT)
    html = response.content.decode()
    assert response.status_code == 200
    assert response["Cache-Control"].startswith("max-age=0")  # never stored by a cache
    section = _receipt_section(html)
    assert complaint.number in section
    assert _long_date(complaint.received_on) in section
    assert _long_date(complaint.acknowledge_by) in section
    assert receipt.access_code not in html
    assert "未印在回执上" in section
    assert "print-access-code" not in html  # nothing to choose: no code is kept


def test_without_a_proved_code_the_receipt_is_not_shown(public_client, agency_a):
    filed(agency_a)
    response = public_client.get(RECEIPT)
    assert response.status_code == 302 and response["Location"] == "/complaints/track/"
    follow = public_client.get(RECEIPT, follow=True).content.decode()
    assert "请输入登记号和查询码查询办理情况。" in follow


def test_a_browser_that_tracked_one_complaint_prints_only_that_ones_receipt(
    public_client, agency_a
):
    mine, other = filed(agency_a), filed(agency_a, phone="13900000001")
    track(public_client, mine.number, mine.access_code)
    html = public_client.get(RECEIPT).content.decode()
    assert mine.number in html and other.number not in html


def test_the_receipt_page_runs_a_bounded_number_of_queries(
    public_client, agency_a, django_assert_max_num_queries
):
    receipt = filed(agency_a)
    track(public_client, receipt.number, receipt.access_code)
    # The session read, the complaint with its names, the session saved (in a savepoint, as every
    # request saves it): whatever the complaint's history.
    with django_assert_max_num_queries(5):
        response = public_client.get(RECEIPT)
    assert response.status_code == 200


def test_the_receipt_refuses_a_post(public_client):
    assert public_client.post(RECEIPT).status_code == 405
