"""R11, R31: the supervisors' figures, shared by the dashboard, its export and the yearly report:
who may ask for which filters, what each figure counts, and a query count that does not grow with
the data."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from enforcement.models import CollectingBank
from reporting.selectors.figures import QUERIES, Filters, display, figures_for, filters_for
from tests.enforcement.staff_factories import make_draft

from .figure_world import (
    at,
    case,
    clue,
    complaint,
    evaluated,
    fine,
    legal_review,
    proceeding,
    revision,
)

pytestmark = pytest.mark.django_db

TODAY = date(2026, 6, 15)


def year_2026(user, **kwargs) -> Filters:
    return filters_for(user=user, start=date(2026, 1, 1), end=date(2026, 12, 31), **kwargs)


# --- filters ------------------------------------------------------------------------------------


def test_a_supervisor_defaults_to_their_region_and_the_current_year(city_supervisor, city_a):
    filters = filters_for(user=city_supervisor)
    year = timezone.localdate().year
    assert filters == Filters(
        region=city_a, agency=None, start=date(year, 1, 1), end=date(year, 12, 31)
    )


def test_a_supervisor_may_narrow_to_a_county_or_an_agency_below(
    city_supervisor, county_a, county_agency_a
):
    assert filters_for(user=city_supervisor, region=county_a.pk).region == county_a
    filters = filters_for(user=city_supervisor, agency=county_agency_a)
    assert filters.agency == county_agency_a
    assert list(filters.agencies().values_list("pk", flat=True)) == [county_agency_a.pk]


def test_a_region_or_agency_outside_the_supervisors_region_is_refused(
    city_supervisor, city_b, agency_b, province
):
    """Scope (portal/scoping.py): city A's supervisor sees city A and below, not city B, not the
    province above."""
    for asked in ({"region": city_b.pk}, {"agency": agency_b.pk}, {"region": province}):
        with pytest.raises(PermissionDenied):
            filters_for(user=city_supervisor, **asked)
    with pytest.raises(PermissionDenied):
        filters_for(user=city_supervisor, region=987654)


def test_an_agency_outside_the_chosen_region_is_a_bad_combination(
    city_supervisor, county_a, agency_a
):
    with pytest.raises(ValidationError) as refused:
        filters_for(user=city_supervisor, region=county_a, agency=agency_a)
    assert "所选单位不在所选区划内" in str(refused.value)


def test_a_period_ending_before_it_starts_or_longer_than_five_years_is_refused(city_supervisor):
    with pytest.raises(ValidationError, match="截止月份不能早于起始月份"):
        filters_for(user=city_supervisor, start=date(2026, 5, 1), end=date(2026, 4, 30))
    with pytest.raises(ValidationError, match="最长为五年"):
        filters_for(user=city_supervisor, start=date(2016, 1, 1), end=date(2026, 1, 1))


def test_a_period_is_whole_months(city_supervisor):
    """The figures are kept per month: a date inside a month stands for the whole month."""
    filters = filters_for(user=city_supervisor, start=date(2026, 2, 10), end=date(2026, 2, 10))
    assert (filters.start, filters.end) == (date(2026, 2, 1), date(2026, 2, 28))
    leap = filters_for(user=city_supervisor, start=date(2028, 2, 29), end=date(2028, 2, 1))
    assert (leap.start, leap.end) == (date(2028, 2, 1), date(2028, 2, 29))


def test_one_date_alone_keeps_its_years_other_end(city_supervisor):
    assert filters_for(user=city_supervisor, start=date(2026, 3, 1)).end == date(2026, 12, 31)
    assert filters_for(user=city_supervisor, end=date(2026, 3, 31)).start == date(2026, 1, 1)


def test_agency_staff_and_the_legal_office_are_refused(inspector_a, legal_office_a):
    for user in (inspector_a, legal_office_a):
        with pytest.raises(PermissionDenied):
            filters_for(user=user)


def test_the_administrator_sees_from_the_top_region(sysadmin, province, city_b):
    assert filters_for(user=sysadmin).region == province
    assert filters_for(user=sysadmin, region=city_b).region == city_b


# --- complaints ---------------------------------------------------------------------------------


@pytest.fixture
def complaints_2026(agency_a, county_agency_a, agency_b):
    """In city A: one acknowledged on time, one late, one still undecided past its deadline, one
    not yet due; one of 2025; one in city B."""
    complaint(
        agency_a, registered=at(2026, 3, 2, 9), ack_by=date(2026, 3, 9), decided=at(2026, 3, 9, 17)
    )
    complaint(
        county_agency_a,
        registered=at(2026, 3, 2, 9),
        ack_by=date(2026, 3, 9),
        decided=at(2026, 3, 10, 8),
        status="refused",
    )
    complaint(agency_a, registered=at(2026, 5, 6, 9), ack_by=date(2026, 5, 13))
    complaint(agency_a, registered=at(2026, 6, 14, 9), ack_by=date(2026, 6, 19))
    complaint(
        agency_a,
        registered=at(2025, 12, 31, 23),
        ack_by=date(2026, 1, 8),
        decided=at(2026, 1, 7, 10),
    )
    complaint(agency_b, registered=at(2026, 3, 2, 9), ack_by=date(2026, 3, 9))


def test_open_overdue_complaints_count_as_late_in_the_on_time_rate(
    city_supervisor, complaints_2026
):
    """R16: an undecided complaint past its deadline is late, not left out; one whose deadline
    is still ahead is not due yet."""
    figures = figures_for(filters=year_2026(city_supervisor), today=TODAY).complaints
    assert figures.received == 4  # 2025's and city B's are not
    assert (figures.ack_due, figures.ack_on_time, figures.ack_late) == (4, 2, 2)
    assert figures.open_overdue == 1
    assert figures.on_time_rate == Decimal("50.0")
    by_status = {code: n for code, _label, n in figures.by_status}
    assert by_status == {
        "registered": 2,
        "accepted": 1,
        "handling": 0,
        "closed": 0,
        "refused": 1,
        "transferred": 0,
    }
    assert figures.accepted == 1


def test_the_agency_filter_counts_that_agency_only(
    city_supervisor, county_agency_a, complaints_2026
):
    filters = year_2026(city_supervisor, agency=county_agency_a)
    figures = figures_for(filters=filters, today=TODAY).complaints
    assert (figures.received, figures.ack_due, figures.ack_on_time) == (1, 1, 0)


def test_a_complaint_registered_late_on_new_years_eve_counts_in_that_year_in_shanghai(
    city_supervisor, agency_a
):
    complaint(agency_a, registered=at(2025, 12, 31, 23, 30))
    filters = filters_for(user=city_supervisor, start=date(2025, 12, 1), end=date(2025, 12, 31))
    assert figures_for(filters=filters, today=TODAY).complaints.received == 1


# --- list, fines, disclosure, trend ------------------------------------------------------------


def test_fines_decided_against_collected_and_every_issued_decision_to_disclose(
    city_supervisor, inspector_a, agency_a, province
):
    bank = CollectingBank.objects.get(region=province)
    item = make_draft(agency_a, inspector_a)
    fine(
        case(agency_a, item, inspector_a, opened=at(2026, 2, 1, 9)),
        bank,
        inspector_a,
        issued=at(2026, 2, 20, 10),
        amount="12000.00",
        paid="5000.00",
    )
    fine(
        case(agency_a, item, inspector_a, opened=at(2026, 3, 1, 9)),
        bank,
        inspector_a,
        issued=at(2026, 3, 20, 10),
        amount="3000.00",
    )
    figures = figures_for(filters=year_2026(city_supervisor), today=TODAY)
    assert figures.fines.decisions == 2
    assert figures.fines.decided == Decimal("15000.00")
    assert figures.fines.collected == Decimal("5000.00")
    assert figures.fines.outstanding == Decimal("10000.00")
    assert figures.fines.collection_rate == Decimal("33.3")
    # Written straight to the table, so without their disclosure: both owed, none published.
    assert (figures.disclosure.required, figures.disclosure.disclosed) == (2, 0)
    assert display(figures.fines.decided) == "15,000.00"


def test_the_monthly_trend_has_a_column_for_every_month_of_the_period(
    city_supervisor, inspector_a, agency_a, complaints_2026
):
    item = make_draft(agency_a, inspector_a)
    case(agency_a, item, inspector_a, opened=at(2026, 3, 31, 23, 30))
    filters = filters_for(user=city_supervisor, start=date(2026, 2, 10), end=date(2026, 5, 31))
    trend = figures_for(filters=filters, today=TODAY).trend
    assert [(m.month, c, k) for m, c, k in trend.months] == [
        (2, 0, 0),
        (3, 2, 1),
        (4, 0, 0),
        (5, 1, 0),
    ]
    assert trend.table().rows[1] == ("2026-03", 2, 1)


def test_list_coverage_and_revisions_on_time(
    city_supervisor, inspector_a, agency_a, county_agency_a, city_a_legal_office
):
    revision(agency_a, inspector_a, due=date(2026, 3, 31), closed=at(2026, 3, 31, 18))
    revision(agency_a, inspector_a, due=date(2026, 3, 31), closed=at(2026, 4, 1, 9))
    revision(agency_a, inspector_a, due=date(2026, 5, 31))
    revision(county_agency_a, inspector_a, due=date(2026, 7, 31))
    power = figures_for(filters=year_2026(city_supervisor), today=TODAY).power_list
    assert (power.subjects, power.with_list, power.coverage) == (3, 0, Decimal("0.0"))
    assert (power.tasks_due, power.done_on_time, power.done_late, power.overdue) == (4, 1, 1, 1)
    assert power.not_yet_due == 1
    assert power.on_time_rate == Decimal("33.3")


def test_legal_reviews_awaiting_passed_and_failed(
    city_supervisor, inspector_a, legal_office_a, agency_a
):
    item = make_draft(agency_a, inspector_a)
    first = case(agency_a, item, inspector_a, opened=at(2026, 2, 1, 9))
    second = case(agency_a, item, inspector_a, opened=at(2026, 2, 2, 9))
    legal_review(first, legal_office_a, when=at(2026, 2, 10, 9), conclusion="revise")
    legal_review(first, legal_office_a, when=at(2026, 2, 20, 9), conclusion="agree")
    legal_review(second, legal_office_a, when=at(2025, 12, 20, 9), conclusion="disagree")
    reviews = figures_for(filters=year_2026(city_supervisor), today=TODAY).legal_reviews
    assert (reviews.awaiting, reviews.reviews, reviews.passed, reviews.failed) == (2, 2, 1, 1)


def test_evaluation_progress_and_grades(
    city_supervisor, agency_a, county_agency_a, agency_b, city_a_legal_office, city_a, city_b
):
    """Progress: an evaluation counts as done once every indicator of its cycle is scored."""
    evaluated(city_a, agency_a, city_a_legal_office, city_supervisor, year=2026, grade="excellent")
    evaluated(
        city_a, county_agency_a, city_a_legal_office, city_supervisor, year=2026, scored=False
    )
    evaluated(city_b, agency_b, city_a_legal_office, city_supervisor, year=2026, grade="qualified")
    evaluation = figures_for(filters=year_2026(city_supervisor), today=TODAY).evaluation
    assert (evaluation.cycles, evaluation.open_cycles) == (1, 1)
    assert (evaluation.assignments, evaluation.scored, evaluation.progress) == (
        2,
        1,
        Decimal("50.0"),
    )
    assert {code: n for code, _label, n in evaluation.grades} == {
        "excellent": 1,
        "qualified": 0,
        "unqualified": 0,
    }


def test_clues_by_step_follow_the_case_once_opened(city_supervisor, agency_a, agency_b):
    clue(agency_a, city_supervisor, registered=at(2026, 3, 1, 9), due=date(2026, 4, 1))
    clue(
        agency_a,
        city_supervisor,
        registered=at(2026, 3, 2, 9),
        due=date(2026, 4, 1),
        status="handling",
    )
    opened = clue(
        agency_a,
        city_supervisor,
        registered=at(2026, 3, 3, 9),
        due=date(2026, 4, 1),
        status="closed",
    )
    proceeding(opened, city_supervisor, step="notice", due=date(2026, 7, 1))
    clue(agency_b, city_supervisor, registered=at(2026, 3, 1, 9), due=date(2026, 4, 1))
    accountability = figures_for(filters=year_2026(city_supervisor), today=TODAY).accountability
    steps = {code: n for code, _label, n in accountability.steps}
    assert accountability.clues == 3
    assert (steps["clue_registered"], steps["clue_handling"], steps["case_notice"]) == (1, 1, 1)
    assert steps["clue_closed"] == 0


# --- shape and cost -----------------------------------------------------------------------------


def test_every_section_has_a_chinese_title_and_labelled_rows(city_supervisor):
    figures = figures_for(filters=year_2026(city_supervisor), today=TODAY)
    assert len(figures.sections()) == 9
    for section in figures.sections():
        assert str(section.title)
        table = section.table()
        assert table.headers and table.rows
        for label, *values in table.rows:
            assert isinstance(label, str) and label
            assert all(v is None or isinstance(v, int | Decimal) for v in values)


def test_the_query_count_does_not_grow_with_the_data(
    city_supervisor, inspector_a, agency_a, county_agency_a
):
    filters = year_2026(city_supervisor)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            figures_for(filters=filters, today=TODAY)
        return len(queries)

    empty = count()
    item = make_draft(agency_a, inspector_a)
    for month in range(1, 7):
        for agency in (agency_a, county_agency_a):
            complaint(agency, registered=at(2026, month, 3, 9), decided=at(2026, month, 4, 9))
            case(agency, item, inspector_a, opened=at(2026, month, 5, 9))
            revision(agency, inspector_a, due=date(2026, month, 20))
    assert empty == count() == QUERIES
