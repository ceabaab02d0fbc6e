"""R32: training sessions with typical cases (以案释法: 情境模拟, 案例研讨, 庭审观摩): who records
them, what they may use and who may attend; attendance counts in the officers' evaluation, and
an officer's sanction counts against them (R24)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accountability.forms.typical import certificate_numbers
from accountability.models import Sanction, TrainingSession
from accountability.services.training import MAX_ATTENDEES, training_record
from accountability.services.typical import typical_approve, typical_submit
from assessment.models import Cycle, OfficerResult
from assessment.services.officers import officer_batch_queries, officer_results_compute
from enforcement.models import Officer
from tests.conftest import client_for
from tests.factories import OfficerFactory

from .test_typical_cases import decided, draft


@pytest.fixture
def published(city_supervisor, colleague, agency_a):
    typical = draft(decided(city_supervisor, agency_a), city_supervisor)
    typical = typical_submit(typical=typical, actor=city_supervisor)
    return typical_approve(typical=typical, actor=colleague)


@pytest.fixture
def trainee(agency_a):
    return OfficerFactory(agency=agency_a, name="钱学法")


def record(actor, cases=(), attendees=(), **overrides):
    """training_record with defaults; `overrides` replace any argument, the cases too."""
    fields = {
        "region": actor.region,
        "kind": TrainingSession.Kind.SEMINAR,
        "title": "以案释法：程序违法的代价",
        "held_on": timezone.localdate(),
        "cases": cases,
        "attendees": attendees,
        "actor": actor,
    }
    return training_record(**(fields | overrides))


def test_a_supervisor_records_a_session_with_its_cases_and_attendees(
    published, trainee, county_agency_a, city_supervisor
):
    """R32: the session keeps its kind, date, the typical cases used and the attendees, who may
    come from the region's counties too."""
    county_officer = OfficerFactory(agency=county_agency_a)
    session = record(city_supervisor, [published], [trainee, county_officer])
    assert session.get_kind_display() == "案例研讨"
    assert list(session.cases.all()) == [published]
    assert set(session.attendees.all()) == {trainee, county_officer}
    assert session.recorded_by == city_supervisor and session.history.count() == 1


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"held_on": timezone.localdate() + timedelta(days=1)}, "不能晚于今天"),
        ({"held_on": "2026-01-01"}, "不是有效的日期"),
        ({"kind": "lecture"}, "培训形式"),
        ({"title": "  "}, "请填写主题"),
        ({"cases": []}, "请选择培训使用的典型案例"),
        ({"attendees": []}, "请选择参训的执法人员"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_recorded(
    published, trainee, city_supervisor, change, message
):
    """R32: a session in the future, of an unknown kind, without cases or attendees is refused."""
    with pytest.raises(ValidationError, match=message):
        record(city_supervisor, **({"cases": [published], "attendees": [trainee]} | change))
    assert not TrainingSession.objects.exists()


def test_only_published_typical_cases_are_used(city_supervisor, agency_a, trainee):
    """R32: a draft typical case is not yet a teaching case."""
    unpublished = draft(decided(city_supervisor, agency_a), city_supervisor)
    with pytest.raises(ValidationError, match="只能使用已发布的典型案例"):
        record(city_supervisor, [unpublished], [trainee])
    assert not TrainingSession.objects.exists()


def test_attendees_come_from_the_region(published, city_supervisor, agency_b):
    """R32: a city's session is attended by that city's officers, not another city's."""
    with pytest.raises(ValidationError, match="本地区执法部门"):
        record(city_supervisor, [published], [OfficerFactory(agency=agency_b)])
    assert not TrainingSession.objects.exists()


def test_only_a_supervisor_of_the_region_or_above_records(
    published, trainee, city_a, city_b_supervisor, inspector_a, province_supervisor
):
    """R32: another city's supervisor and agency staff may not; the province's may."""
    for actor in (city_b_supervisor, inspector_a):
        with pytest.raises(PermissionDenied):
            record(actor, [published], [trainee], region=city_a)
    assert not TrainingSession.objects.exists()
    assert record(province_supervisor, [published], [trainee], region=city_a).region == city_a


# --- the officers' evaluation --------------------------------------------------------------------


@pytest.fixture
def cycle(city_a, city_supervisor):
    return Cycle.objects.create(
        region=city_a, year=timezone.localdate().year, opened_by=city_supervisor
    )


def _everyday(officer) -> Decimal:
    return OfficerResult.objects.get(officer=officer).everyday_score


def test_training_attendance_raises_the_officers_evaluation(
    published, trainee, agency_a, city_supervisor, cycle
):
    """R32: each session attended in the year adds the formula's training bonus (2 points, at
    most 6): base 80 + 2 × 2 = 84; a session of last year does not count."""
    absent = OfficerFactory(agency=agency_a, name="孙未训")
    record(city_supervisor, [published], [trainee], title="第一次")
    record(city_supervisor, [published], [trainee], title="第二次")
    last_year = date(timezone.localdate().year - 1, 12, 31)
    record(city_supervisor, [published], [trainee], title="去年", held_on=last_year)
    officer_results_compute(cycle=cycle, actor=city_supervisor)
    result = OfficerResult.objects.get(officer=trainee)
    assert result.trainings_attended == 2
    assert _everyday(trainee) == Decimal("84") > _everyday(absent) == Decimal("80")


def test_an_officer_sanction_lowers_the_evaluation_and_a_revoked_one_does_not(
    city_supervisor, agency_a, cycle
):
    """R24, R32: a sanction holding the officer responsible that counts in the year takes the
    formula's penalty (10 points); one revoked on review, or counting in another year, does not."""
    year = timezone.localdate().year
    sanctioned = OfficerFactory(agency=agency_a, name="周受罚")
    revoked = OfficerFactory(agency=agency_a, name="吴复核")
    later = OfficerFactory(agency=agency_a, name="郑明年")
    decided(city_supervisor, agency_a, officer=sanctioned)
    decided(city_supervisor, agency_a, officer=revoked, revoked=True)
    decided(city_supervisor, agency_a, officer=later, counts_in_year=year + 1)
    officer_results_compute(cycle=cycle, actor=city_supervisor)
    assert OfficerResult.objects.get(officer=sanctioned).sanctions == 1
    assert _everyday(sanctioned) == Decimal("70")
    assert _everyday(revoked) == _everyday(later) == Decimal("80")
    assert Sanction.objects.count() == 3


def test_the_accountability_figures_are_one_grouped_query_each(
    published, trainee, city_supervisor, agency_a, django_assert_num_queries
):
    """R32 (scale): attendance and sanctions are read once for a batch of officers, grouped."""
    officers = [trainee, *OfficerFactory.create_batch(20, agency=agency_a)]
    record(city_supervisor, [published], officers)
    queries = officer_batch_queries([o.pk for o in officers], timezone.localdate().year)
    with django_assert_num_queries(1):
        trainings = {row["officer_id"]: row["trainings"] for row in queries["trainings"]}
    with django_assert_num_queries(1):
        sanctions = list(queries["sanctions"])
    assert trainings == {o.pk: 1 for o in officers} and sanctions == []


# --- the pages -----------------------------------------------------------------------------------


def _page_data(published, numbers, **extra):
    return {
        "kind": "hearing",
        "title": "庭审观摩",
        "held_on": timezone.localdate().isoformat(),
        "cases": [published.pk],
        "attendees": numbers,
    } | extra


def test_certificate_numbers_are_read_one_a_line_or_separated():
    """R32: a sign-in sheet pasted as it comes: lines, commas (full-width too), 、 and spaces."""
    text = " 22000001\r\n22000002，22000003、２２０００００４ ; 22000005\t22000006,\n\n"
    assert certificate_numbers(text) == [f"2200000{n}" for n in range(1, 7)]
    assert certificate_numbers("  \n ，") == []


def test_the_record_page_takes_the_attendees_certificate_numbers(
    published, trainee, county_agency_a, city_supervisor
):
    """R32: the page lists no officers; their certificate numbers, separated as a sign-in sheet
    has them, become the session's attendees, the region's counties' officers too."""
    county_officer = OfficerFactory(agency=county_agency_a, name="县执法员")
    client = client_for(city_supervisor)
    url = reverse("accountability:training-new")
    page = client.get(url)
    assert page.status_code == 200 and published.title in page.text
    assert "钱学法" not in page.text and trainee.certificate_number not in page.text
    numbers = f"{trainee.certificate_number}\n{county_officer.certificate_number}"
    done = client.post(url, _page_data(published, numbers))
    session = TrainingSession.objects.get()
    assert done.status_code == 302 and done["Location"].endswith(f"/training/{session.pk}/")
    assert set(session.attendees.all()) == {trainee, county_officer}


def test_unknown_repeated_and_foreign_numbers_are_refused_and_nothing_is_recorded(
    published, trainee, agency_b, city_supervisor
):
    """R32: unknown numbers are listed in one message, a repeated number is named, and so is an
    officer of another city (the service's rule: the region's officers attend); nothing is
    recorded and the numbers typed are shown again."""
    foreign = OfficerFactory(agency=agency_b, name="外市人员")
    client = client_for(city_supervisor)
    url = reverse("accountability:training-new")
    typed = f"{trainee.certificate_number}, 99000001, 99000002, {trainee.certificate_number}"
    refused = client.post(url, _page_data(published, typed))
    assert refused.status_code == 400
    assert "以下 2 个执法证号查无此人，请核对后重新填写：99000001、99000002。" in refused.text
    assert f"以下执法证号重复填写：{trainee.certificate_number}。" in refused.text
    assert typed in refused.text
    outside = client.post(url, _page_data(published, foreign.certificate_number))
    assert outside.status_code == 400 and "本地区执法部门" in outside.text
    assert f"以下执法证号不是：{foreign.certificate_number}" in outside.text
    empty = client.post(url, _page_data(published, " ，\n"))
    assert empty.status_code == 400 and "请填写参训人员的执法证号" in empty.text
    assert not TrainingSession.objects.exists()


def test_a_chosen_agency_accepts_only_its_officers_numbers(
    published, trainee, agency_a, county_agency_a, agency_b, city_supervisor
):
    """R32: the agency, chosen from the region's (a long list written in Python), catches a
    mistyped number of another agency; another city's agency is no choice."""
    county_officer = OfficerFactory(agency=county_agency_a)
    client = client_for(city_supervisor)
    url = reverse("accountability:training-new")
    page = client.get(url)
    assert f'<option value="{agency_a.pk}">' in page.text
    assert f'<option value="{agency_b.pk}">' not in page.text
    numbers = f"{trainee.certificate_number} {county_officer.certificate_number}"
    refused = client.post(url, _page_data(published, numbers, agency=agency_a.pk))
    assert refused.status_code == 400
    assert f"以下执法证号不是{agency_a.name}的执法人员：{county_officer.certificate_number}。" in (
        refused.text
    )
    other = client.post(url, _page_data(published, numbers, agency=agency_b.pk))
    assert other.status_code == 400 and "请选择本地区的执法部门" in other.text
    assert not TrainingSession.objects.exists()
    done = client.post(url, _page_data(published, trainee.certificate_number, agency=agency_a.pk))
    assert done.status_code == 302
    assert list(TrainingSession.objects.get().attendees.all()) == [trainee]


def test_more_numbers_than_a_session_takes_are_refused_before_any_lookup(
    published, city_supervisor
):
    """R32: at most 2,000 attendees; more numbers are refused without reading the officers."""
    client = client_for(city_supervisor)
    url = reverse("accountability:training-new")
    client.get(url)
    typed = "\n".join(f"9{n:07d}" for n in range(MAX_ATTENDEES + 1))
    with CaptureQueriesContext(connection) as queries:
        refused = client.post(url, _page_data(published, typed))
    assert refused.status_code == 400 and "参训人员不能超过 2000 人" in refused.text
    assert not [q for q in queries.captured_queries if "enforcement_officer" in q["sql"]]
    assert not TrainingSession.objects.exists()


def _queries(client, method, url, data=None) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data)
    assert response.status_code in (200, 302), response.status_code
    return len(queries)


def test_the_record_page_costs_the_same_for_few_or_many_officers(
    published, trainee, agency_a, city_supervisor, django_assert_max_num_queries
):
    """R32 (scale): the page reads no officers, so it costs the same queries for a region of 3
    officers and of 60; recording 30 attendees costs what recording 2 does."""
    client = client_for(city_supervisor)
    url = reverse("accountability:training-new")
    client.get(url)
    few = _queries(client, "get", url)
    OfficerFactory.create_batch(60, agency=agency_a)
    with django_assert_max_num_queries(6):
        many = _queries(client, "get", url)
    assert few == many
    officers = list(Officer.objects.filter(agency=agency_a).order_by("pk"))
    two = _queries(
        client,
        "post",
        url,
        _page_data(published, " ".join(o.certificate_number for o in officers[:2])),
    )
    thirty = _queries(
        client,
        "post",
        url,
        _page_data(published, " ".join(o.certificate_number for o in officers[2:32])),
    )
    assert two == thirty
    assert TrainingSession.objects.count() == 2


def test_the_sessions_list_reads_in_constant_queries(
    published, trainee, city_supervisor, city_b_supervisor, django_assert_max_num_queries
):
    """R32: the list costs the same for many sessions; another city's supervisor sees none."""
    for n in range(5):
        record(city_supervisor, [published], [trainee], title=f"第 {n} 期")
    client = client_for(city_supervisor)
    client.get(reverse("accountability:training-list"))
    with django_assert_max_num_queries(7):
        page = client.get(reverse("accountability:training-list"))
    assert page.text.count("第 ") >= 5
    other = client_for(city_b_supervisor).get(reverse("accountability:training-list"))
    assert "第 0 期" not in other.text
    session = TrainingSession.objects.first()
    detail = client_for(city_b_supervisor).get(
        reverse("accountability:training-detail", args=[session.pk])
    )
    assert detail.status_code == 404
