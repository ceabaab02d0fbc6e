"""R14: every government's complaint channels are published and reachable from the home page."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from complaints.models import ComplaintChannel
from complaints.services.channels import complaint_channel_save
from tests.conftest import client_for
from tests.factories import RegionFactory

URL = "/complaints/channels/"


def _channel(region, **extra) -> ComplaintChannel:
    fields = {
        "office": f"{region.name}司法局行政执法监督科",
        "scope": "本级政府所属行政执法部门的违法或不当执法行为。",
        "hotline": "0431-12345",
        "email": "zfjd@example.gov.cn",
        "postal_address": f"{region.name}人民大街1号",
    }
    return complaint_channel_save(
        channel=ComplaintChannel(region=region, **(fields | extra)), actor=None
    )


def test_the_public_reads_each_governments_channels_from_the_home_page(public_client, city_a):
    _channel(city_a)
    home = public_client.get("/").content.decode()
    assert f'href="{URL}"' in home
    page = public_client.get(URL).content.decode()
    for text in (
        "甲市",
        "甲市司法局行政执法监督科",
        "0431-12345",
        "zfjd@example.gov.cn",
        "人民大街1号",
    ):
        assert text in page


def test_an_unpublished_channel_is_not_shown(public_client, city_a, city_b):
    _channel(city_a)
    _channel(city_b, published=False)
    page = public_client.get(URL).content.decode()
    assert "甲市司法局" in page and "丙市司法局" not in page


def test_a_channel_with_no_way_to_reach_it_is_refused(city_a):
    with pytest.raises(ValidationError, match="至少填写"):
        _channel(city_a, hotline="", email="", postal_address="")
    assert not ComplaintChannel.objects.exists()


def test_script_in_a_channel_is_shown_as_text(public_client, city_a):
    _channel(city_a, office="<script>alert(1)</script>")
    page = public_client.get(URL).content.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page


def test_the_page_costs_the_same_queries_for_many_governments(
    public_client, province, django_assert_max_num_queries
):
    for n in range(30):
        _channel(RegionFactory(code=f"{230100 + n * 100}", level="city", parent=province))
    with django_assert_max_num_queries(2):
        assert public_client.get(URL).status_code == 200


@pytest.mark.parametrize("who", ["inspector_a", "legal_office_a", "city_supervisor", "outsider_b"])
def test_every_persona_reads_the_public_page(request, who, city_a):
    _channel(city_a)
    assert client_for(request.getfixturevalue(who)).get(URL).status_code == 200


def test_a_city_supervisor_keeps_its_citys_channel_with_history(city_supervisor, city_a):
    channel = _channel(city_a)
    url = reverse("admin:complaints_complaintchannel_change", args=[channel.pk])
    data = {
        "region": city_a.pk,
        "office": channel.office,
        "scope": channel.scope,
        "hotline": "0431-99999",
        "email": channel.email,
        "postal_address": channel.postal_address,
        "postcode": "",
        "office_hours": "",
        "published": "on",
        "handling_days": 45,
        "extension_days": 30,
        "agency_response_working_days": 10,
    }
    assert client_for(city_supervisor).post(url, data).status_code == 302
    channel.refresh_from_db()
    assert channel.hotline == "0431-99999"
    assert channel.handling_days == 45
    assert channel.history.first().history_user == city_supervisor


def test_a_city_supervisor_cannot_change_another_citys_channel(city_supervisor, city_b):
    channel = _channel(city_b)
    url = reverse("admin:complaints_complaintchannel_change", args=[channel.pk])
    client_for(city_supervisor).post(url, {"region": city_b.pk, "office": "改", "hotline": "1"})
    channel.refresh_from_db()
    assert channel.office == "丙市司法局行政执法监督科"
    listing = client_for(city_supervisor).get(
        reverse("admin:complaints_complaintchannel_changelist")
    )
    assert "丙市" not in listing.content.decode()


@pytest.mark.parametrize("who", ["inspector_a", "legal_office_a", "outsider_b", None])
def test_staff_and_the_public_are_kept_out_of_the_channel_admin(request, who, city_a):
    channel = _channel(city_a)
    client = client_for(request.getfixturevalue(who) if who else None)
    url = reverse("admin:complaints_complaintchannel_change", args=[channel.pk])
    response = client.get(url)
    assert response.status_code == 302 and "/admin/login/" in response["Location"]
