"""R14: departments publish their complaint channels too, and every channel prints as a
supervision card (监督卡) with QR codes for filing and tracking."""

import html
import re

import pytest
import segno
from django.db import IntegrityError
from django.urls import reverse

from complaints.models import ComplaintChannel
from complaints.services.channels import channel_for, complaint_channel_save
from tests.conftest import client_for

from .test_tracking_page import filed

pytestmark = pytest.mark.django_db

CHANNELS = reverse("complaints:channels")


def channel(region, agency=None, **extra) -> ComplaintChannel:
    fields = {
        "office": "投诉举报中心",
        "scope": "对行政执法行为的投诉举报",
        "hotline": "0431-12345",
        "handling_days": 60,
    }
    return complaint_channel_save(
        channel=ComplaintChannel(region=region, agency=agency, **(fields | extra)), actor=None
    )


@pytest.fixture
def government_and_department(city_a, agency_a):
    government = channel(city_a, office="甲市司法局行政执法监督科")
    department = channel(
        city_a, agency_a, office="甲市市场监督管理局法规科", hotline="0431-12315", handling_days=15
    )
    return government, department


def test_a_department_publishes_its_own_channel_beside_its_government(
    public_client, government_and_department
):
    page = public_client.get(CHANNELS).content.decode()
    assert "甲市司法局行政执法监督科" in page
    assert "甲市市场监督管理局法规科" in page and "0431-12315" in page
    assert page.index("甲市司法局行政执法监督科") < page.index("甲市市场监督管理局法规科")


def test_the_register_keeps_the_governments_handling_period(government_and_department, agency_a):
    """A department's channel says where to reach it; the register's periods stay its
    government's."""
    complaint = filed(agency_a).complaint
    assert channel_for(complaint).handling_days == 60
    assert channel_for(complaint).agency is None


def test_one_channel_per_department_and_per_government(government_and_department, city_a, agency_a):
    with pytest.raises(IntegrityError):
        ComplaintChannel.objects.create(region=city_a, office="另一个", scope="x", hotline="1")


def test_a_department_channel_must_name_the_departments_own_region(city_b, agency_a):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        channel(city_b, agency_a)
    assert "该部门所在的行政区划" in str(refused.value)
    assert not ComplaintChannel.objects.exists()


def _codes(page: str) -> list[str]:
    return [
        html.unescape(url) for url in re.findall(r'<span class="card-url">([^<]+)</span>', page)
    ]


def test_every_channel_prints_as_a_card_with_codes_for_filing_and_tracking(
    public_client, government_and_department, agency_a, city_a
):
    _government, department = government_and_department
    response = public_client.get(reverse("complaints:channel-card", args=[department.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "行政执法监督卡" in page and "甲市市场监督管理局" in page and "0431-12315" in page
    filing, tracking = _codes(page)
    assert filing == f"http://testserver/complaints/file/?region={city_a.code}&agency={agency_a.pk}"
    assert tracking == "http://testserver/complaints/track/"
    assert page.count("<svg") == 2 and "网上投诉的二维码" in page


def test_the_cards_code_is_the_url_it_prints(public_client, government_and_department):
    """What a phone reads from the code is the address printed under it."""
    government, _department = government_and_department
    page = public_client.get(reverse("complaints:channel-card", args=[government.pk]))
    filing = _codes(page.content.decode())[0]
    expected = segno.make(filing, error="m").svg_inline(scale=4, title="x", omitsize=True)
    path = re.search(r' d="([^"]+)"', expected).group(1)
    assert path in page.content.decode()


def test_the_filing_page_from_a_card_has_the_department_chosen(
    public_client, government_and_department, agency_a, city_a
):
    page = public_client.get(
        reverse("complaints:file"), {"region": city_a.code, "agency": agency_a.pk}
    ).content.decode()
    assert re.search(rf'<option value="{agency_a.pk}" selected>', page)


def test_an_unpublished_channel_has_no_card(public_client, city_a):
    hidden = channel(city_a, published=False)
    assert (
        public_client.get(reverse("complaints:channel-card", args=[hidden.pk])).status_code == 404
    )


def test_a_supervisor_keeps_the_channels_of_its_regions_departments_in_the_admin(
    city_supervisor, government_and_department, agency_b
):
    client = client_for(city_supervisor)
    page = client.get(reverse("admin:complaints_complaintchannel_add")).content.decode()
    assert "甲市市场监督管理局" in page
    assert agency_b.name not in page  # another city's department is not offered
