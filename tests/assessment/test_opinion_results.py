"""R20: the results of public opinion per agency: counts by source and the three ratings'
averages over the counted (approved) opinions, and the approved comments, for the staff per
cycle and for the public without any identity."""

from decimal import Decimal

import pytest
from django.urls import reverse

from assessment.models import PublicOpinion
from assessment.selectors.opinions import opinion_summary
from tests.conftest import client_for

APPROVED = PublicOpinion.Moderation.APPROVED
PENDING = PublicOpinion.Moderation.PENDING
REJECTED = PublicOpinion.Moderation.REJECTED


def opinion(agency, source="card", ratings=(4, 4, 4), moderation=APPROVED, comment="", **extra):
    opinion.n = getattr(opinion, "n", 0) + 1
    values = {
        "agency": agency,
        "period": extra.pop("period", 2026),
        "source": source,
        "lawful": ratings[0],
        "civil": ratings[1],
        "efficient": ratings[2],
        "moderation": moderation,
        "comment": comment,
    }
    if source == "card":
        values["device_key"] = f"{opinion.n:064d}"
    else:
        values["source_note"] = f"工单 {opinion.n}"
    return PublicOpinion.objects.create(**values, **extra)


@pytest.fixture
def opinions_a(agency_a, city_supervisor):
    return [
        opinion(agency_a, ratings=(5, 4, 3)),
        opinion(agency_a, ratings=(3, 4, 4), comment="执法文明规范。"),
        opinion(agency_a, "hotline", ratings=(4, 5, 2), entered_by=city_supervisor),
        opinion(
            agency_a, "symposium", ratings=(1, 1, 1), moderation=PENDING, comment="尚未审核的留言"
        ),
        opinion(agency_a, ratings=(1, 1, 1), moderation=REJECTED, comment="不文明的留言"),
        opinion(agency_a, ratings=(2, 2, 2), period=2025),
    ]


def test_the_summary_counts_approved_opinions_by_source_and_averages_them(
    opinions_a, agency_a, county_agency_a, django_assert_num_queries
):
    with django_assert_num_queries(2):
        summary = opinion_summary(agency_ids=[agency_a.pk, county_agency_a.pk], period=2026)
    mine = summary[agency_a.pk]
    assert mine["counts"] == {"card": 2, "hotline": 1, "symposium": 0, "questionnaire": 0}
    assert (mine["counted"], mine["pending"]) == (3, 1)
    assert mine["averages"] == {
        "lawful": Decimal("4.00"),
        "civil": Decimal("4.33"),
        "efficient": Decimal("3.00"),
    }
    assert [c["comment"] for c in mine["comments"]] == ["执法文明规范。"]
    assert summary[county_agency_a.pk]["counted"] == 0
    assert summary[county_agency_a.pk]["averages"]["lawful"] is None


def test_the_summary_costs_two_queries_for_many_agencies(
    agency_a, county_agency_a, agency_b, django_assert_num_queries
):
    for agency in (agency_a, county_agency_a, agency_b):
        for _ in range(3):
            opinion(agency, comment="好")
    with django_assert_num_queries(2):
        summary = opinion_summary(
            agency_ids=[agency_a.pk, county_agency_a.pk, agency_b.pk], period=2026
        )
    assert [summary[a.pk]["counted"] for a in (agency_a, county_agency_a, agency_b)] == [3, 3, 3]


def test_the_cycle_page_lists_each_evaluated_agencys_figures(
    opinions_a, evaluated_2026, agency_a, county_agency_a, city_supervisor
):
    response = client_for(city_supervisor).get(
        reverse("assessment:opinion-cycle-results", args=[evaluated_2026.pk])
    )
    rows = {agency.pk: figures for agency, figures in response.context["rows"]}
    assert set(rows) == {agency_a.pk, county_agency_a.pk}
    assert rows[agency_a.pk]["counted"] == 3
    assert "4.33" in response.content.decode()


def test_the_cycle_page_costs_the_same_queries_with_more_agencies_and_opinions(
    evaluated_2026, agency_a, city_supervisor, city_a, django_assert_max_num_queries
):
    from assessment.models import Assignment
    from tests.factories import AgencyFactory

    client = client_for(city_supervisor)
    url = reverse("assessment:opinion-cycle-results", args=[evaluated_2026.pk])
    client.get(url)
    for i in range(6):
        agency = AgencyFactory(name=f"甲市第{i}局", region=city_a)
        Assignment.objects.create(
            cycle=evaluated_2026,
            agency=agency,
            role="local",
            evaluator=agency_a,
            weight=100,
        )
        for _ in range(3):
            opinion(agency)
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert len(response.context["rows"]) == 8


def test_the_agency_page_shows_approved_comments_only(
    opinions_a, evaluated_2026, agency_a, city_supervisor
):
    response = client_for(city_supervisor).get(
        reverse("assessment:opinion-cycle-agency", args=[evaluated_2026.pk, agency_a.pk])
    )
    page = response.content.decode()
    assert "执法文明规范。" in page
    assert "不文明的留言" not in page and "尚未审核的留言" not in page


def test_agency_staff_read_their_own_agency_only(
    opinions_a, evaluated_2026, agency_a, county_agency_a, inspector_a
):
    client = client_for(inspector_a)
    rows = client.get(
        reverse("assessment:opinion-cycle-results", args=[evaluated_2026.pk])
    ).context["rows"]
    assert [agency.pk for agency, _figures in rows] == [agency_a.pk]
    county = reverse(
        "assessment:opinion-cycle-agency", args=[evaluated_2026.pk, county_agency_a.pk]
    )
    assert client.get(county).status_code == 404


def test_the_public_page_shows_approved_comments_and_no_identities(
    opinions_a, agency_a, public_client
):
    response = public_client.get(
        reverse("assessment:opinion-public-results", args=[agency_a.pk]), {"period": "2026"}
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "执法文明规范。" in page
    assert "不文明的留言" not in page and "尚未审核的留言" not in page
    assert "city_supervisor" not in page and "工单" not in page
    assert opinions_a[0].device_key not in page


# --- the API -------------------------------------------------------------------------------


def test_the_public_api_gives_counted_opinions_only(opinions_a, agency_a, public_client):
    response = public_client.get(
        reverse("api:assessment-opinion-summary"), {"agency": agency_a.pk, "period": 2026}
    )
    assert response.status_code == 200
    (row,) = response.json()
    assert row["counted"] == 3
    assert row["counts"]["card"] == 2
    assert row["averages"]["civil"] == "4.33"
    assert [c["comment"] for c in row["comments"]] == ["执法文明规范。"]
    text = response.content.decode()
    assert "device" not in text and "pending" not in text and "工单" not in text
    assert opinions_a[0].device_key not in text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({}, "请指明单位编号"),
        ({"agency": "abc"}, "半角数字"),
        ({"agency": "999999"}, "没有编号为 999999 的单位"),
        ({"agency": "1", "period": "20x6"}, "评议年度"),
        ({"agency": ",".join(str(i) for i in range(1, 60))}, "最多查询 50 个单位"),
    ],
)
def test_the_public_api_refuses_bad_parameters_in_chinese(agency_a, public_client, query, message):
    response = public_client.get(reverse("api:assessment-opinion-summary"), query)
    assert response.status_code == 400
    assert message in response.content.decode()


def test_the_public_api_costs_the_same_queries_for_more_agencies(
    agency_a, county_agency_a, agency_b, public_client, django_assert_max_num_queries
):
    for agency in (agency_a, county_agency_a, agency_b):
        for _ in range(4):
            opinion(agency, comment="好")
    ids = ",".join(str(a.pk) for a in (agency_a, county_agency_a, agency_b))
    with django_assert_max_num_queries(3):
        response = public_client.get(
            reverse("api:assessment-opinion-summary"), {"agency": ids, "period": 2026}
        )
    assert [row["counted"] for row in response.json()] == [4, 4, 4]
