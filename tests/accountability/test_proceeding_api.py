"""R24, R25, R28: the accountability cases through the API: the list (scoped, filtered by step,
constant query count), one case with the persons concerned, the shares, the report and the
step's limit, and the handler's report (refused outside the band without justification, for
anyone but the handler, and for a case out of scope)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accountability.models import Proceeding, Report
from accountability.services.proceedings import proceeding_open
from tests.conftest import client_for

from .conftest import register
from .proceeding_fixtures import handling

pytestmark = pytest.mark.django_db
LIST = reverse("api:accountability-cases")


def test_the_list_is_scoped_and_filtered(proceeding, city_supervisor, sysadmin, city_b_supervisor):
    """R24: the region's cases for its supervisors and the administrator; nobody else's."""
    numbers = [r["number"] for r in client_for(city_supervisor).get(LIST).json()["results"]]
    assert numbers == [proceeding.number]
    assert client_for(sysadmin).get(LIST).json()["count"] == 1
    assert client_for(city_b_supervisor).get(LIST).json()["count"] == 0
    assert client_for(city_supervisor).get(LIST, {"step": "notice"}).json()["count"] == 0
    bad = client_for(city_supervisor).get(LIST, {"step": "x"})
    assert bad.status_code == 400 and "没有这个环节" in bad.content.decode()


def test_agency_staff_read_no_case(proceeding, inspector_a):
    """R24: the unit's staff do not read the cases against it."""
    assert client_for(inspector_a).get(LIST).status_code == 403
    url = reverse("api:accountability-case", args=[proceeding.pk])
    assert client_for(inspector_a).get(url).status_code == 403


def test_the_list_s_query_count_does_not_grow(
    city_supervisor, colleague, agency_a, django_assert_max_num_queries
):
    """R24: constant queries whatever the number of cases."""

    def one():
        clue = handling(register(city_supervisor, agency_a), city_supervisor, colleague)
        proceeding_open(clue=clue, actor=city_supervisor)

    client = client_for(city_supervisor)
    one()
    with CaptureQueriesContext(connection) as ctx:
        client.get(LIST)
    for _ in range(5):
        one()
    with django_assert_max_num_queries(len(ctx)):
        assert client.get(LIST).json()["count"] == 6


def test_the_detail_shows_the_shares_and_the_step(
    case_proceeding, city_supervisor, city_b_supervisor, django_assert_max_num_queries
):
    """R24, R25: the case with its persons concerned, shares and limit; another city's: 404."""
    url = reverse("api:accountability-case", args=[case_proceeding.pk])
    client = client_for(city_supervisor)
    with django_assert_max_num_queries(15):
        data = client.get(url).json()
    assert data["step"] == "handling" and data["step_due_on"]
    assert {s["stage"] for s in data["shares"]} >= {"discovery", "legal_review", "decision"}
    assert sum(s["proposed_percent"] for s in data["shares"]) == 100
    assert len(data["accused"]) == 3 and data["report"] is None
    assert client_for(city_b_supervisor).get(url).status_code == 404


def _body(proceeding, kind="criticism", justification=""):
    return {
        "facts": "未出示执法证件。",
        "fault": "ordinary",
        "conduct": "检查时未出示证件。",
        "consequence": "minor",
        "impact": "slight",
        "good_faith": False,
        "proposals": [
            {
                "accused": a.pk,
                "responsible": True,
                "kind": "rectification" if a.is_unit else kind,
                "justification": justification,
            }
            for a in proceeding.accused.all()
        ],
    }


def test_the_handler_reports_through_the_api(proceeding, colleague, city_supervisor):
    """R24, R28: outside the band without justification: 400 in Chinese, nothing kept; the
    supervisor who is not the handler: 403; the handler's report: 201 and the notice step."""
    url = reverse("api:accountability-case-report", args=[proceeding.pk])
    client = client_for(colleague)
    refused = client.post(url, _body(proceeding, "withdrawal"), content_type="application/json")
    assert refused.status_code == 400 and "须写明理由" in refused.content.decode()
    assert not Report.objects.exists()
    other = client_for(city_supervisor).post(
        url, _body(proceeding), content_type="application/json"
    )
    assert other.status_code == 403
    done = client.post(
        url, _body(proceeding, "withdrawal", "屡教不改。"), content_type="application/json"
    )
    assert done.status_code == 201
    assert done.json()["step"] == "notice" and done.json()["report"]["fault"] == "ordinary"
    assert Proceeding.objects.get(pk=proceeding.pk).step == Proceeding.Step.NOTICE


@pytest.mark.parametrize(
    "change",
    [
        {"fault": "evil"},
        {"facts": 5},
        {"proposals": [{"accused": "x", "responsible": True}]},
        {"good_faith": "maybe"},
    ],
)
def test_bad_report_bodies_are_refused(proceeding, colleague, change):
    """R24: a wrong type or value is a 400 and nothing is kept."""
    url = reverse("api:accountability-case-report", args=[proceeding.pk])
    response = client_for(colleague).post(
        url, _body(proceeding) | change, content_type="application/json"
    )
    assert response.status_code == 400
    assert not Report.objects.exists()
