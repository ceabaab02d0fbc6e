"""R12: the cooperation pages and API: referrals list (filters), sending (also from a clue's
page), receiving, a referral's page with its receipt and outcome forms, notices, exports with
downloads checked against who asks; list query counts that do not grow with the data."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accountability.models import Clue, CooperationExport, Referral
from accountability.services.cooperation import (
    cooperation_export,
    notice_circulate,
    referral_record_receipt,
)
from tests.conftest import client_for

from .test_cooperation_referrals import receive, send

TODAY = timezone.localdate


def day(offset=0):
    return (TODAY() - timedelta(days=offset)).isoformat()


def test_a_supervisor_sends_a_referral_from_a_clue_s_page(city_supervisor, clue):
    """R12: the clue's page offers the referral; the form takes the clue and its unit."""
    client = client_for(city_supervisor)
    page = client.get(reverse("accountability:clue-detail", args=[clue.pk])).content.decode()
    link = reverse("accountability:referral-send") + f"?clue={clue.pk}"
    assert link in page
    assert client.get(link).status_code == 200
    response = client.post(
        reverse("accountability:referral-send"),
        {
            "clue": clue.pk,
            "body_kind": "supervision",
            "body_name": "甲市监察委员会",
            "subject": "涉嫌违纪",
            "summary": "详见线索。",
            "sent_on": day(1),
        },
    )
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert referral.clue == clue and referral.agency == clue.agency
    page = client.get(reverse("accountability:clue-detail", args=[clue.pk])).content.decode()
    assert reverse("accountability:referral-detail", args=[referral.pk]) in page


def test_receiving_through_the_page_registers_a_clue(city_supervisor, agency_a):
    """R12: the incoming form makes the referral and its clue; a bad date changes nothing."""
    client = client_for(city_supervisor)
    data = {
        "agency": agency_a.pk,
        "body_kind": "audit",
        "body_name": "甲市审计局",
        "subject": "罚没收入",
        "summary": "未按规定上缴。",
        "received_on": day(1),
    }
    bad = client.post(
        reverse("accountability:referral-receive"), data | {"received_on": "2026-13-40"}
    )
    assert bad.status_code == 400 and "有效的日期" in bad.content.decode()
    future = client.post(
        reverse("accountability:referral-receive"), data | {"received_on": day(-3)}
    )
    assert future.status_code == 400 and "不能晚于今天" in future.content.decode()
    assert not Clue.objects.exists()
    assert client.post(reverse("accountability:referral-receive"), data).status_code == 302
    assert Referral.objects.get().clue.source == Clue.Source.AUDIT


def test_the_detail_page_refuses_an_outcome_before_the_receipt(city_supervisor, agency_a):
    """R12: no outcome form before the receipt; a forged post is refused in Chinese."""
    referral = send(city_supervisor, agency_a)
    client = client_for(city_supervisor)
    url = reverse("accountability:referral-detail", args=[referral.pk])
    page = client.get(url).content.decode()
    assert 'id="receipt"' in page and 'id="outcome"' not in page
    forged = client.post(
        reverse("accountability:referral-outcome", args=[referral.pk]),
        {"outcome": "警告。", "outcome_on": day()},
    )
    assert forged.status_code == 400 and "尚未登记回执" in forged.content.decode()
    done = client.post(
        reverse("accountability:referral-receipt", args=[referral.pk]),
        {"receipt_number": "回执 8 号", "receipt_on": day()},
    )
    assert done.status_code == 302
    page = client.get(url).content.decode()
    assert 'id="receipt"' not in page and 'id="outcome"' in page


def test_city_b_reads_none_of_city_a_s_referrals(city_supervisor, city_b_supervisor, agency_a):
    """R12: out of region is 404, on the page, the API and the forms."""
    referral = send(city_supervisor, agency_a)
    client = client_for(city_b_supervisor)
    for name in ("accountability:referral-detail", "api:accountability-referral"):
        assert client.get(reverse(name, args=[referral.pk])).status_code == 404
    receipt = client.post(
        reverse("accountability:referral-receipt", args=[referral.pk]),
        {"receipt_number": "x", "receipt_on": day()},
    )
    assert receipt.status_code == 404
    assert (
        referral.subject not in client.get(reverse("accountability:referral-list")).content.decode()
    )
    assert client.get(reverse("api:accountability-referrals")).json()["count"] == 0


def test_the_list_filters_by_direction_body_and_status(city_supervisor, agency_a):
    """R12: the filters; an unknown value is a 400 in Chinese."""
    send(city_supervisor, agency_a, subject="移出的事项")
    receive(city_supervisor, agency_a, subject="移入的事项")
    client = client_for(city_supervisor)
    url = reverse("accountability:referral-list")
    page = client.get(url, {"direction": "incoming"}).content.decode()
    assert "移入的事项" in page and "移出的事项" not in page
    page = client.get(url, {"body_kind": "supervision", "status": "sent"}).content.decode()
    assert "移出的事项" in page and "移入的事项" not in page
    assert client.get(url, {"direction": "sideways"}).status_code == 400
    api = client.get(reverse("api:accountability-referrals"), {"direction": "sideways"})
    assert api.status_code == 400
    assert api.json()["direction"] == ["筛选条件无效。"]
    rows = client.get(reverse("api:accountability-referrals"), {"direction": "incoming"}).json()
    assert [r["subject"] for r in rows["results"]] == ["移入的事项"]


def test_a_notice_is_circulated_from_its_page(city_supervisor, sysadmin):
    """R12: the supervisor's form; script refused; the administrator reads but cannot post."""
    client = client_for(city_supervisor)
    url = reverse("accountability:notice-list")
    data = {"title": "季度通报", "bodies": "甲市监察委员会", "body": "内容。", "sent_on": day()}
    bad = client.post(url, data | {"body": "<script>x</script>"})
    assert bad.status_code == 400
    assert client.post(url, data).status_code == 302
    assert "季度通报" in client_for(sysadmin).get(url).content.decode()
    assert client_for(sysadmin).post(url, data).status_code == 403


def test_exports_are_made_listed_and_downloaded_only_in_region(
    city_supervisor, city_b_supervisor, city_a
):
    """R12: the button makes one export; the download checks who asks."""
    client = client_for(city_supervisor)
    url = reverse("accountability:export-list")
    made = client.post(url, {"period_start": day(30), "period_end": day()})
    assert made.status_code == 302
    export = CooperationExport.objects.get()
    assert export.region == city_a
    bad = client.post(url, {"period_start": day(), "period_end": day(3)})
    assert bad.status_code == 400 and "截止日期不能早于起始日期" in bad.content.decode()
    download = reverse("accountability:export-download", args=[export.pk, "csv"])
    assert download in client.get(url).content.decode()
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"\xef\xbb\xbf")
    assert client_for(city_b_supervisor).get(download).status_code == 404
    assert (
        client.get(reverse("accountability:export-download", args=[export.pk, "xml"])).status_code
        == 404
    )


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.parametrize(
    "name",
    [
        "accountability:referral-list",
        "api:accountability-referrals",
        "accountability:notice-list",
        "accountability:export-list",
    ],
)
def test_list_query_counts_do_not_grow(
    name, city_supervisor, agency_a, clue, django_assert_max_num_queries
):
    """R12: every cooperation list reads a constant number of queries."""
    client = client_for(city_supervisor)
    url = reverse(name)

    def grow(n):
        for i in range(n):
            referral = send(city_supervisor, None, clue=clue, subject=f"事项 {i}")
            referral_record_receipt(
                referral=referral,
                receipt_number=f"回执{i}",
                receipt_on=TODAY(),
                actor=city_supervisor,
            )
            receive(city_supervisor, agency_a)
            notice_circulate(
                title=f"通报 {i}",
                body="内容",
                bodies="监察委",
                sent_on=TODAY(),
                actor=city_supervisor,
            )
            cooperation_export(
                region=city_supervisor.region,
                period_start=TODAY() - timedelta(days=40 + i),
                period_end=TODAY(),
            )

    grow(1)
    few = _count(client, url)
    grow(5)
    with django_assert_max_num_queries(few):
        client.get(url)


def test_the_api_reads_one_referral(city_supervisor, agency_a, inspector_a):
    """R12: the detail endpoint; agency staff are refused."""
    referral = receive(city_supervisor, agency_a)
    url = reverse("api:accountability-referral", args=[referral.pk])
    body = client_for(city_supervisor).get(url).json()
    assert body["clue_number"] == referral.clue.number and body["direction"] == "incoming"
    assert client_for(inspector_a).get(url).status_code == 403
