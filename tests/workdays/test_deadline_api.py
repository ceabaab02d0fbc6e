"""The public deadline API: GET /api/v1/workdays/deadline/?start=…&working_days=N | &months=N."""

import pytest
from django.urls import reverse

from tests.conftest import client_for

pytestmark = pytest.mark.django_db

URL = "/api/v1/workdays/deadline/"


def test_the_url_is_the_documented_one():
    assert reverse("api:workdays:deadline") == URL


def test_it_returns_the_deadline_the_skipped_days_and_their_reasons(public_client):
    """Arts. 201, 203 and the 2026 schedule: one working day after 30 September is 8 October."""
    response = public_client.get(URL, {"start": "2026-09-30", "working_days": "1"})
    assert response.status_code == 200
    assert response.json() == {
        "deadline": "2026-10-08",
        "provisional": False,
        "skipped": [{"date": f"2026-10-0{day}", "reason": "国庆节"} for day in range(1, 8)],
        "worked": [],
    }


def test_it_counts_months_and_moves_a_weekend_end_to_monday(public_client):
    """Arts. 202–203: 14 October + 1 month is Saturday 14 November, so Monday 16 November."""
    response = public_client.get(URL, {"start": "2026-10-14", "months": "1"})
    assert response.json() == {
        "deadline": "2026-11-16",
        "provisional": False,
        "skipped": [
            {"date": "2026-11-14", "reason": "周末"},
            {"date": "2026-11-15", "reason": "周末"},
        ],
        "worked": [],
    }


def test_it_marks_a_deadline_in_an_unloaded_year_provisional(public_client):
    """2027's schedule is not loaded: fallback rules (1 January is 元旦), provisional."""
    body = public_client.get(URL, {"start": "2026-12-31", "working_days": "1"}).json()
    assert body["deadline"] == "2027-01-04"
    assert body["provisional"] is True
    assert body["skipped"][0] == {"date": "2027-01-01", "reason": "元旦"}


BAD_QUERIES = [
    ({"working_days": "5"}, "start", "请填写开始日期。"),
    ({"start": "", "working_days": "5"}, "start", "请填写开始日期。"),
    (
        {"start": "2026/11/24", "working_days": "5"},
        "start",
        "开始日期格式不正确，应为 YYYY-MM-DD。",
    ),
    (
        {"start": "24-11-2026", "working_days": "5"},
        "start",
        "开始日期格式不正确，应为 YYYY-MM-DD。",
    ),
    ({"start": "tomorrow", "months": "1"}, "start", "开始日期格式不正确，应为 YYYY-MM-DD。"),
    ({"start": "2026-02-30", "working_days": "5"}, "start", "开始日期 2026-02-30 不存在。"),
    ({"start": "2026-13-01", "months": "1"}, "start", "开始日期 2026-13-01 不存在。"),
    (
        {"start": "9999-12-31", "months": "120"},
        "non_field_errors",
        "开始日期须在 1900-01-01 至 2200-12-31 之间。",
    ),
    (
        {"start": "2026-11-24", "working_days": "-1"},
        "working_days",
        "工作日数须为 1 至 1000 之间的整数。",
    ),
    (
        {"start": "2026-11-24", "working_days": "0"},
        "working_days",
        "工作日数须为 1 至 1000 之间的整数。",
    ),
    (
        {"start": "2026-11-24", "working_days": "1001"},
        "working_days",
        "工作日数须为 1 至 1000 之间的整数。",
    ),
    (
        {"start": "2026-11-24", "working_days": "99999999999999999999999"},
        "working_days",
        "工作日数须为 1 至 1000 之间的整数。",
    ),
    (
        {"start": "2026-11-24", "working_days": "five"},
        "working_days",
        "工作日数须为 1 至 1000 之间的整数。",
    ),
    (
        {"start": "2026-11-24", "working_days": "1.5"},
        "working_days",
        "工作日数须为 1 至 1000 之间的整数。",
    ),
    ({"start": "2026-11-24", "months": "-2"}, "months", "月数须为 1 至 120 之间的整数。"),
    ({"start": "2026-11-24", "months": "121"}, "months", "月数须为 1 至 120 之间的整数。"),
    (
        {"start": "2026-11-24", "working_days": "5", "months": "1"},
        "non_field_errors",
        "请填写工作日数或月数，二者只能选其一。",
    ),
    ({"start": "2026-11-24"}, "non_field_errors", "请填写工作日数或月数，二者只能选其一。"),
    (
        {"start": "2026-11-24", "working_days": "", "months": ""},
        "non_field_errors",
        "请填写工作日数或月数，二者只能选其一。",
    ),
]


@pytest.mark.parametrize(("query", "field", "message"), BAD_QUERIES)
def test_a_bad_query_is_a_400_with_a_chinese_message(public_client, query, field, message):
    response = public_client.get(URL, query)
    assert response.status_code == 400
    assert message in response.json()[field]


def test_a_bad_query_answers_in_the_language_asked_for(public_client):
    """LocaleMiddleware picks the request's language; Chinese is the default. (The English
    catalogue is compiled separately, so only the Chinese text is pinned here.)"""
    response = public_client.get(
        URL, {"start": "2026-02-30", "working_days": "1"}, HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.status_code == 400
    assert response["Content-Language"] == "zh-hans"
    assert response.json() == {"start": ["开始日期 2026-02-30 不存在。"]}
    english = public_client.get(
        URL, {"start": "2026-02-30", "working_days": "1"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert english.status_code == 400
    assert english["Content-Language"] == "en"


def test_it_needs_two_queries_whatever_the_period(public_client, django_assert_max_num_queries):
    with django_assert_max_num_queries(2):
        response = public_client.get(URL, {"start": "2020-01-01", "working_days": "1000"})
    assert response.status_code == 200
    with django_assert_max_num_queries(2):
        assert public_client.get(URL, {"start": "2020-01-31", "months": "120"}).status_code == 200


@pytest.mark.parametrize(
    "who", ["inspector_a", "legal_office_a", "city_supervisor", "outsider_b", None]
)
def test_everyone_may_use_it_signed_in_or_not(request, who):
    client = client_for(request.getfixturevalue(who) if who else None)
    response = client.get(URL, {"start": "2026-01-31", "months": "1"})
    assert response.status_code == 200
    assert response.json()["deadline"] == "2026-02-28"


def test_it_only_answers_get(public_client):
    assert public_client.post(URL, {"start": "2026-01-31", "months": "1"}).status_code == 405


def test_it_is_documented_in_the_openapi_schema(public_client):
    schema = public_client.get("/api/v1/schema/", {"format": "json"}).json()
    operation = schema["paths"][URL]["get"]
    parameters = {p["name"]: p for p in operation["parameters"]}
    assert parameters["start"]["required"] is True
    assert parameters["start"]["schema"]["format"] == "date"
    assert parameters["working_days"]["schema"]["type"] == "integer"
    assert parameters["months"]["schema"]["type"] == "integer"
    ok = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
    deadline = schema["components"]["schemas"][ok.rsplit("/", 1)[-1]]
    # "worked" was added by issue 11 (the 调休上班日 counted); the three older keys are kept.
    assert set(deadline["properties"]) == {"deadline", "provisional", "skipped", "worked"}
    assert "400" in operation["responses"]
    assert operation.get("security") in (None, [], [{}])
