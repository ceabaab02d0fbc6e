"""The public due-date calculator page: /workdays/calculator/."""

import re

import pytest
from django.urls import reverse

from tests.conftest import client_for

pytestmark = pytest.mark.django_db

URL = "/workdays/calculator/"


def text_of(response) -> str:
    """The page's visible text, whitespace collapsed, so assertions read like what a user sees."""
    html = response.content.decode()
    body = html[html.index("<main") :]
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", body))


def result_rows(response) -> list[list[str]]:
    html = response.content.decode()
    table = re.search(r'<table class="list skipped">.*?</table>', html, re.S)
    if table is None:
        return []
    rows = re.findall(r"<tr><td>(.*?)</td><td>(.*?)</td><td>(.*?)</td></tr>", table.group(0))
    return [list(row) for row in rows]


def test_the_home_page_section_links_here():
    assert reverse("workdays:calculator") == URL


def test_the_empty_page_shows_the_form_and_no_result(public_client):
    response = public_client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert 'method="get"' in html
    assert 'name="start"' in html and 'type="date"' in html
    assert 'name="count"' in html
    assert 'value="working_days"' in html and 'value="months"' in html
    assert 'id="result"' not in html
    assert 'role="alert"' not in html


def test_it_shows_the_deadline_and_every_skipped_day_with_its_reason(public_client):
    """Arts. 201, 203: one working day after 30 September 2026 is 8 October; 1–7 October are
    National Day and are listed as such."""
    response = public_client.get(URL, {"start": "2026-09-30", "count": "1", "unit": "working_days"})
    text = text_of(response)
    assert "期限届满日 2026-10-08 （星期四）" in text
    assert "跳过的休息日（7 天）" in text
    weekdays = ["星期四", "星期五", "星期六", "星期日", "星期一", "星期二", "星期三"]
    assert result_rows(response) == [
        [f"2026-10-0{day}", weekdays[day - 1], "国庆节"] for day in range(1, 8)
    ]
    assert "暂定结果" not in text


def test_it_names_weekends_and_counts_months(public_client):
    """Arts. 202–203: 14 October + 1 month falls on Saturday 14 November → Monday 16 November."""
    response = public_client.get(URL, {"start": "2026-10-14", "count": "1", "unit": "months"})
    assert "期限届满日 2026-11-16 （星期一）" in text_of(response)
    assert "1 个月" in text_of(response)
    assert result_rows(response) == [
        ["2026-11-14", "星期六", "周末"],
        ["2026-11-15", "星期日", "周末"],
    ]


def test_a_month_end_on_a_working_saturday_skips_nothing(public_client):
    """Art. 202: 31 January + 1 month → 28 February 2026, a 调休 working Saturday."""
    response = public_client.get(URL, {"start": "2026-01-31", "count": "1", "unit": "months"})
    text = text_of(response)
    assert "期限届满日 2026-02-28 （星期六）" in text
    assert "计算中没有跳过任何休息日。" in text
    assert result_rows(response) == []


def test_a_provisional_result_carries_a_clear_warning(public_client):
    """2027's schedule is not loaded: the fallback is used and the page says so."""
    response = public_client.get(URL, {"start": "2026-12-31", "count": "1", "unit": "working_days"})
    text = text_of(response)
    assert "期限届满日 2027-01-04 （星期一）" in text
    assert "暂定结果" in text
    assert "尚未载入国务院公布的节假日安排" in text
    assert 'class="warning"' in response.content.decode()
    assert result_rows(response)[0] == ["2027-01-01", "星期五", "元旦"]


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"start": "", "count": "5", "unit": "working_days"}, "请填写开始日期。"),
        ({"start": "2026/11/24", "count": "5", "unit": "working_days"},
         "开始日期格式不正确，应为 YYYY-MM-DD。"),
        ({"start": "2026-02-30", "count": "5", "unit": "working_days"},
         "开始日期 2026-02-30 不存在。"),
        ({"start": "2026-11-24", "count": "", "unit": "working_days"}, "请填写期间的长度。"),
        ({"start": "2026-11-24", "count": "abc", "unit": "working_days"}, "期间的长度须为整数。"),
        ({"start": "2026-11-24", "count": "-3", "unit": "working_days"}, "期间的长度须至少为 1。"),
        ({"start": "2026-11-24", "count": "1001", "unit": "working_days"},
         "工作日数须为 1 至 1000 之间的整数。"),
        ({"start": "2026-11-24", "count": "121", "unit": "months"},
         "月数须为 1 至 120 之间的整数。"),
        ({"start": "2026-11-24", "count": "5", "unit": "years"}, "请选择按工作日还是按月计算。"),
        ({"start": "2026-11-24", "count": "5"}, "请选择按工作日还是按月计算。"),
        ({"start": "9999-01-01", "count": "5", "unit": "months"},
         "开始日期须在 1900-01-01 至 2200-12-31 之间。"),
    ],
)  # fmt: skip
def test_bad_input_is_explained_on_the_page(public_client, query, message):
    response = public_client.get(URL, query)
    assert response.status_code == 400
    assert message in text_of(response)
    assert 'id="result"' not in response.content.decode()


def test_the_page_keeps_what_the_user_typed_after_an_error(public_client):
    response = public_client.get(URL, {"start": "2026-02-30", "count": "7", "unit": "months"})
    html = response.content.decode()
    assert 'value="2026-02-30"' in html
    assert 'value="7"' in html
    assert re.search(r'value="months"[^>]*checked', html)


def test_the_page_follows_the_language_of_the_request(public_client):
    response = public_client.get(
        URL, {"start": "2026-10-14", "count": "1", "unit": "months"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert '<html lang="en">' in response.content.decode()
    assert "2026-11-16" in text_of(response)


@pytest.mark.parametrize(
    "who", ["inspector_a", "legal_office_a", "city_supervisor", "outsider_b", None]
)
def test_everyone_may_use_the_page(request, who, django_assert_max_num_queries):
    client = client_for(request.getfixturevalue(who) if who else None)
    # Two for the calendar; a signed-in user adds the session, the user and its role.
    with django_assert_max_num_queries(2 if who is None else 5):
        response = client.get(URL, {"start": "2026-09-30", "count": "1", "unit": "working_days"})
    assert response.status_code == 200
    assert "期限届满日 2026-10-08" in text_of(response)


def test_a_form_sent_without_a_start_date_says_so(public_client):
    response = public_client.get(URL, {"count": "5", "unit": "working_days"})
    assert "请填写开始日期。" in text_of(response)
