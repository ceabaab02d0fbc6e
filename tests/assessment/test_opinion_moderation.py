"""R20: a comment is shown and its opinion counted only once a supervisor of the agency's region
approves it; each is decided once, and the decision is a row of the cycle's timeline."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from assessment.models import CycleEvent, PublicOpinion
from assessment.services.opinions import opinion_moderate
from tests.conftest import client_for


def pending(agency, n=1, **extra):
    return [
        PublicOpinion.objects.create(
            agency=agency,
            period=2026,
            source=PublicOpinion.Source.CARD,
            lawful=4,
            civil=4,
            efficient=4,
            comment=f"意见 {agency.pk}-{i}",
            device_key=f"{agency.pk:032d}{i:032d}",
            **extra,
        )
        for i in range(n)
    ]


def test_approving_a_comment_counts_it_and_writes_the_cycles_timeline(
    evaluated_2026, agency_a, city_supervisor
):
    (opinion,) = pending(agency_a)
    opinion_moderate(opinion=opinion, approve=True, actor=city_supervisor)
    opinion.refresh_from_db()
    assert opinion.moderation == PublicOpinion.Moderation.APPROVED
    assert opinion.moderated_by == city_supervisor and opinion.moderated_at
    event = CycleEvent.objects.get(kind=CycleEvent.Kind.OPINION_MODERATED)
    assert (event.cycle, event.agency, event.actor) == (evaluated_2026, agency_a, city_supervisor)
    assert "已通过" in event.note


def test_rejecting_keeps_it_hidden_and_uncounted(agency_a, city_supervisor):
    (opinion,) = pending(agency_a)
    opinion_moderate(opinion=opinion, approve=False, actor=city_supervisor)
    opinion.refresh_from_db()
    assert opinion.moderation == PublicOpinion.Moderation.REJECTED
    assert not CycleEvent.objects.exists()  # no cycle of 2026 exists here


def test_an_opinion_is_moderated_only_once(evaluated_2026, agency_a, city_supervisor):
    (opinion,) = pending(agency_a)
    opinion_moderate(opinion=opinion, approve=False, actor=city_supervisor)
    with pytest.raises(ValidationError) as refused:
        opinion_moderate(opinion=opinion, approve=True, actor=city_supervisor)
    assert "已经审核过" in str(refused.value)
    opinion.refresh_from_db()
    assert opinion.moderation == PublicOpinion.Moderation.REJECTED
    assert CycleEvent.objects.filter(kind=CycleEvent.Kind.OPINION_MODERATED).count() == 1


def test_city_a_supervisor_cannot_moderate_agency_bs_opinion(agency_b, city_supervisor):
    (opinion,) = pending(agency_b)
    with pytest.raises(PermissionDenied):
        opinion_moderate(opinion=opinion, approve=True, actor=city_supervisor)
    opinion.refresh_from_db()
    assert opinion.moderation == PublicOpinion.Moderation.PENDING
    response = client_for(city_supervisor).post(
        reverse("assessment:opinion-moderate", args=[opinion.pk]), {"decision": "approve"}
    )
    assert response.status_code == 404
    opinion.refresh_from_db()
    assert opinion.moderation == PublicOpinion.Moderation.PENDING


def test_agency_staff_cannot_moderate_their_own_agencys_comments(agency_a, inspector_a):
    (opinion,) = pending(agency_a)
    with pytest.raises(PermissionDenied):
        opinion_moderate(opinion=opinion, approve=True, actor=inspector_a)
    response = client_for(inspector_a).post(
        reverse("assessment:opinion-moderate", args=[opinion.pk]), {"decision": "approve"}
    )
    assert response.status_code == 403
    opinion.refresh_from_db()
    assert opinion.moderation == PublicOpinion.Moderation.PENDING


def test_the_queue_shows_the_region_and_below_only(
    agency_a, county_agency_a, agency_b, city_supervisor
):
    mine = pending(agency_a) + pending(county_agency_a)
    pending(agency_b)
    PublicOpinion.objects.create(
        agency=agency_a,
        period=2026,
        source="hotline",
        lawful=3,
        civil=3,
        efficient=3,
        source_note="工单 9",
        moderation=PublicOpinion.Moderation.APPROVED,
    )
    rows = client_for(city_supervisor).get(reverse("assessment:opinion-queue")).context["rows"]
    assert [row.pk for row in rows] == [opinion.pk for opinion in mine]


def test_the_queues_buttons_approve_and_a_second_post_is_refused(
    evaluated_2026, agency_a, city_supervisor
):
    (opinion,) = pending(agency_a)
    client = client_for(city_supervisor)
    url = reverse("assessment:opinion-moderate", args=[opinion.pk])
    assert url in client.get(reverse("assessment:opinion-queue")).content.decode()
    assert client.post(url, {"decision": "approve"}).status_code == 302
    again = client.post(url, {"decision": "reject"})
    assert again.status_code == 400
    assert "已经审核过" in again.content.decode()
    opinion.refresh_from_db()
    assert opinion.moderation == PublicOpinion.Moderation.APPROVED


def test_a_decision_that_is_neither_approve_nor_reject_is_refused(agency_a, city_supervisor):
    (opinion,) = pending(agency_a)
    response = client_for(city_supervisor).post(
        reverse("assessment:opinion-moderate", args=[opinion.pk]), {"decision": "maybe"}
    )
    assert response.status_code == 400
    assert "请选择通过或不通过" in response.content.decode()
    opinion.refresh_from_db()
    assert opinion.moderation == PublicOpinion.Moderation.PENDING


def test_the_queue_costs_the_same_queries_with_more_comments(
    agency_a, county_agency_a, city_supervisor, django_assert_max_num_queries
):
    client = client_for(city_supervisor)
    url = reverse("assessment:opinion-queue")
    pending(agency_a, 1)
    client.get(url)
    PublicOpinion.objects.all().delete()
    pending(agency_a, 10)
    pending(county_agency_a, 10)
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert len(response.context["rows"]) == 20


def test_the_workspace_leads_supervisors_to_the_queue_and_no_one_else(city_supervisor, inspector_a):
    queue = reverse("assessment:opinion-queue")
    supervisor_page = client_for(city_supervisor).get(reverse("portal:workspace"))
    assert f'href="{queue}"' in supervisor_page.content.decode()
    inspector_page = client_for(inspector_a).get(reverse("portal:workspace"))
    assert f'href="{queue}"' not in inspector_page.content.decode()
