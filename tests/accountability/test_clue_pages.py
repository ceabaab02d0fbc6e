"""R26, R13: the clue pages: the register (scoped, filtered, constant query count), the new clue
form prefilled from an inspection, the clue's page, assigning and closing through forms, the
handler's queue, and the one-action buttons on the complaint's and the case's pages."""

import pytest
from django.urls import reverse
from django.utils import timezone

from accountability.models import Clue
from accountability.services.clues import clue_assign
from tests.conftest import client_for

from .conftest import register

pytestmark = pytest.mark.django_db


def test_the_register_lists_the_region_s_clues_and_filters(
    city_supervisor, agency_a, agency_b, city_b_supervisor
):
    mine = register(city_supervisor, agency_a)
    other = register(city_b_supervisor, agency_b)
    page = client_for(city_supervisor).get(reverse("accountability:clue-list"))
    assert page.status_code == 200
    assert mine.number in page.content.decode() and other.number not in page.content.decode()
    filtered = client_for(city_supervisor).get(
        reverse("accountability:clue-list"), {"status": "closed"}
    )
    assert mine.number not in filtered.content.decode()
    bad = client_for(city_supervisor).get(reverse("accountability:clue-list"), {"status": "x"})
    assert bad.status_code == 400


def test_the_register_s_query_count_does_not_grow(
    city_supervisor, agency_a, colleague, django_assert_max_num_queries
):
    def count():
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as ctx:
            client.get(reverse("accountability:clue-list"))
        return len(ctx)

    client = client_for(city_supervisor)
    clue_assign(clue=register(city_supervisor, agency_a), handler=colleague, actor=city_supervisor)
    few = count()
    for _ in range(6):
        clue_assign(
            clue=register(city_supervisor, agency_a), handler=colleague, actor=city_supervisor
        )
    with django_assert_max_num_queries(few):
        client.get(reverse("accountability:clue-list"))


def test_an_officer_of_agency_b_reading_a_s_clue_gets_404_and_staff_403(
    clue, outsider_b, inspector_a, city_b_supervisor
):
    url = reverse("accountability:clue-detail", args=[clue.pk])
    assert client_for(outsider_b).get(url).status_code == 403
    assert client_for(inspector_a).get(url).status_code == 403
    assert client_for(city_b_supervisor).get(url).status_code == 404
    forged = reverse("accountability:clue-detail", args=[clue.pk + 999])
    assert client_for(city_b_supervisor).get(forged).status_code == 404


def test_a_supervisor_registers_through_the_form(city_supervisor, agency_a):
    response = client_for(city_supervisor).post(
        reverse("accountability:clue-new"),
        {
            "agency": agency_a.pk,
            "source": "media",
            "summary": "媒体报道执法人员粗暴执法。",
            "received_on": f"{timezone.localdate():%Y-%m-%d}",
            "external_body": "甲市日报",
        },
    )
    clue = Clue.objects.get()
    assert response.status_code == 302 and response.url.endswith(f"/clues/{clue.pk}/")


@pytest.mark.parametrize(
    ("summary", "days", "message"),
    [("<script>alert(1)</script>", 0, "网页代码"), ("来信反映问题。", 1, "不能晚于今天")],
)
def test_the_form_refuses_a_future_date_and_script_and_writes_nothing(
    city_supervisor, agency_a, summary, days, message
):
    received = timezone.localdate() + timezone.timedelta(days=days)
    response = client_for(city_supervisor).post(
        reverse("accountability:clue-new"),
        {
            "agency": agency_a.pk,
            "source": "report",
            "summary": summary,
            "received_on": f"{received:%Y-%m-%d}",
            "external_body": "来信",
        },
    )
    assert response.status_code == 400 and not Clue.objects.exists()
    assert message in response.content.decode()


def test_the_form_is_prefilled_from_an_inspection(city_supervisor, agency_a, city_a):
    from assessment.models import Cycle, Inspection

    cycle = Cycle.objects.create(region=city_a, year=2026, opened_by=city_supervisor)
    inspection = Inspection.objects.create(
        cycle=cycle,
        agency=agency_a,
        kind=Inspection.Kind.SPECIAL,
        held_on=timezone.localdate(),
        place="执法大队",
        inspectors="王五",
        findings="案卷缺少听证告知书。",
        recorded_by=city_supervisor,
    )
    detail = client_for(city_supervisor).get(
        reverse("assessment:inspection-detail", args=[inspection.pk])
    )
    link = f"{reverse('accountability:clue-new')}?inspection={inspection.pk}"
    assert link in detail.content.decode()
    form = client_for(city_supervisor).get(link).context["form"]
    assert form.initial["source"] == "inspection" and form.initial["agency"] == agency_a.pk
    forged = client_for(city_supervisor).get(f"{reverse('accountability:clue-new')}?inspection=x")
    assert forged.status_code == 200


def test_assign_and_close_through_the_clue_page(clue, city_supervisor, colleague):
    client = client_for(city_supervisor)
    client.post(reverse("accountability:clue-assign", args=[clue.pk]), {"handler": colleague.pk})
    clue.refresh_from_db()
    assert clue.handler == colleague
    queue = client_for(colleague).get(reverse("accountability:clue-queue"))
    assert clue.number in queue.content.decode()
    empty = client_for(colleague).post(
        reverse("accountability:clue-close", args=[clue.pk]), {"finding": "", "reasons": "理由"}
    )
    assert empty.status_code == 400 and "须有认定结论" in empty.content.decode()
    done = client_for(colleague).post(
        reverse("accountability:clue-close", args=[clue.pk]),
        {"finding": "responsible", "reasons": "未履行告知义务。"},
    )
    assert done.status_code == 302
    clue.refresh_from_db()
    assert clue.status == Clue.Status.CLOSED


def test_the_complaint_page_offers_referral_as_a_clue(substantiated, city_supervisor):
    """R26: the complaint's staff page posts the referral to accountability."""
    client = client_for(city_supervisor)
    page = client.get(reverse("complaints:staff-detail", args=[substantiated.pk]))
    url = reverse("accountability:complaint-clue", args=[substantiated.pk])
    assert url in page.content.decode() and "移送责任追究并登记线索" in page.content.decode()
    response = client.post(url, {"refer-note": "投诉属实，移送问责。"})
    clue = Clue.objects.get(complaint=substantiated)
    assert response.status_code == 302 and response.url.endswith(f"/clues/{clue.pk}/")
    again = client.post(url, {"refer-note": "再次移送。"})
    assert again.status_code == 400 and Clue.objects.count() == 1


def test_the_case_page_offers_screening_into_a_clue(flagged, city_supervisor):
    """R13: one button beside the screening form."""
    client = client_for(city_supervisor)
    page = client.get(flagged.case.get_absolute_url())
    url = reverse("accountability:remedy-clue", args=[flagged.pk])
    assert url in page.content.decode()
    response = client.post(url, {f"screen-{flagged.pk}-note": "需追究承办人责任。"})
    assert response.status_code == 302
    assert Clue.objects.get().remedy_outcome_id == flagged.pk


def test_the_workspace_links_the_clue_pages(city_supervisor, inspector_a):
    page = client_for(city_supervisor).get(reverse("portal:workspace")).content.decode()
    assert reverse("accountability:clue-list") in page
    assert reverse("accountability:clue-queue") in page
    staff = client_for(inspector_a).get(reverse("portal:workspace")).content.decode()
    assert reverse("accountability:clue-list") not in staff


def test_the_overdue_filter_shows_only_clues_past_their_deadline(city_supervisor, agency_a):
    """R26: the register picks out the clues sitting past their time limit."""
    late = register(
        city_supervisor, agency_a, received_on=timezone.localdate() - timezone.timedelta(days=120)
    )
    fresh = register(city_supervisor, agency_a)
    page = client_for(city_supervisor).get(reverse("accountability:clue-list"), {"overdue": "on"})
    text = page.content.decode()
    assert late.number in text and fresh.number not in text
    assert 'data-overdue="1"' in text
