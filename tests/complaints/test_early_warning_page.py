"""R16, R17: the early-warning page: overdue complaints red, those due within two working days
yellow, the most urgent first, saying which deadline and who handles it."""

import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils.timezone import localdate

from complaints.models import Complaint
from complaints.selectors.staff import early_warnings
from tests.conftest import client_for

from .staff_pages import in_handling, registered

pytestmark = pytest.mark.django_db

WARNINGS = reverse("complaints:staff-warnings")


def due(complaint, on):
    Complaint.objects.filter(pk=complaint.pk).update(due_on=on)
    complaint.refresh_from_db()
    return complaint


def rows_of(html: str) -> list[str]:
    return re.findall(r'<tr class="[^"]*" data-level="[^"]+">.*?</tr>', html, re.S)


def test_overdue_is_red_due_soon_is_yellow_most_urgent_first(city_supervisor, agency_a):
    today = localdate()
    late = due(registered(agency_a), today - timedelta(days=3))
    soon = due(in_handling(agency_a, city_supervisor), today)
    later = due(registered(agency_a), today - timedelta(days=1))
    calm = due(registered(agency_a), today + timedelta(days=30))
    html = client_for(city_supervisor).get(WARNINGS).content.decode()
    rows = rows_of(html)
    assert [re.search(r"\d{6}-\d{4}-\d{6}", r).group(0) for r in rows] == [
        late.number,
        later.number,
        soon.number,
    ]
    assert calm.number not in html
    assert 'data-level="red"' in rows[0] and "受理告知期限" in rows[0]
    assert re.search(r"<td>3</td>", rows[0])
    assert 'data-level="yellow"' in rows[2] and "办理期限" in rows[2]
    assert str(city_supervisor) in rows[2]


def test_the_selector_colours_by_the_day_it_is_given(city_supervisor, agency_a):
    """A fixed `today`: the same deadline is yellow on the day, red the day after."""
    complaint = due(registered(agency_a), date(2026, 3, 10))
    on_the_day = early_warnings(user=city_supervisor, today=date(2026, 3, 10))
    day_after = early_warnings(user=city_supervisor, today=date(2026, 3, 11))
    long_before = early_warnings(user=city_supervisor, today=date(2026, 2, 1))
    assert [(w.complaint, w.overdue) for w in on_the_day] == [(complaint, False)]
    assert [(w.complaint, w.overdue) for w in day_after] == [(complaint, True)]
    assert long_before == []


def test_decided_and_closed_complaints_raise_no_warning(city_supervisor, agency_a):
    complaint = due(registered(agency_a), localdate() - timedelta(days=5))
    Complaint.objects.filter(pk=complaint.pk).update(
        status=Complaint.Status.REFUSED, refusal_reason="duplicate", due_on=None
    )
    html = client_for(city_supervisor).get(WARNINGS).content.decode()
    assert complaint.number not in html and "目前没有" in html


def test_another_city_warnings_are_not_shown(city_supervisor, agency_b):
    complaint = due(registered(agency_b), localdate() - timedelta(days=5))
    assert complaint.number not in client_for(city_supervisor).get(WARNINGS).content.decode()


@pytest.mark.parametrize("count", [3, 10])
def test_the_warning_page_queries_do_not_grow_with_rows(
    city_supervisor, agency_a, count, django_assert_max_num_queries
):
    for i in range(count):
        complaint = in_handling(agency_a, city_supervisor) if i % 2 else registered(agency_a)
        due(complaint, localdate() - timedelta(days=i))
    client = client_for(city_supervisor)
    with django_assert_max_num_queries(11):
        response = client.get(WARNINGS)
    html = response.content.decode()
    assert len(rows_of(html)) == count
    red = sum(1 for i in range(count) if i > 0)  # due today is yellow, earlier days red
    assert f"红色 {red} 件，黄色 {count - red} 件" in html
