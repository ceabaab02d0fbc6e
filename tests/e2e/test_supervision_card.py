"""R14: the public opens a department's supervision card (监督卡) from the channels page; its QR
codes lead to filing (with the department chosen) and to tracking."""

import re

import pytest
from playwright.sync_api import expect

from complaints.models import ComplaintChannel
from complaints.services.channels import complaint_channel_save

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def department_channel(agency_a):
    return complaint_channel_save(
        channel=ComplaintChannel(
            region=agency_a.region,
            agency=agency_a,
            office="甲市市场监督管理局法规科",
            scope="对本局行政执法行为的投诉举报",
            hotline="0431-12315",
        ),
        actor=None,
    )


@pytest.mark.parametrize("width", [1280, 390])
def test_the_public_prints_a_departments_card_and_follows_its_filing_code(
    page, shoot, department_channel, agency_a, width
):
    page.set_viewport_size({"width": width, "height": 900})
    page.goto("/complaints/channels/")
    page.get_by_role("link", name=re.compile("打印监督卡")).click()
    card = page.get_by_role("article")
    expect(card.get_by_role("heading", name="行政执法监督卡")).to_be_visible()
    expect(card).to_contain_text("0431-12315")
    assert card.locator("svg").count() == 2
    assert page.evaluate("document.documentElement.scrollWidth") <= width  # nothing runs off
    shoot(page, f"supervision-card-{width}")
    filing = card.locator(".card-url").first.inner_text()
    page.goto(filing)
    expect(page.locator("#id_agency")).to_have_value(str(agency_a.pk))
