"""R32: training sessions with typical cases (以案释法: 情境模拟, 案例研讨, 庭审观摩): who records
them, what they may use and who may attend; attendance counts in the officers' evaluation, and
an officer's sanction counts against them (R24)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accountability.models import Sanction, TrainingSession
from accountability.services.training import training_record
from accountability.services.typical import typical_approve, typical_submit
from assessment.models import Cycle, OfficerResult
from assessment.services.officers import officer_batch_queries, officer_results_compute
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


def test_the_record_page_offers_published_cases_and_the_regions_officers(
    published, trainee, agency_b, city_supervisor
):
    """R32: the form lists published cases and the region's officers; a future date is refused
    with the reason and nothing is recorded."""
    foreign = OfficerFactory(agency=agency_b, name="外市人员")
    client = client_for(city_supervisor)
    url = reverse("accountability:training-new")
    page = client.get(url)
    assert published.title in page.text and "钱学法" in page.text and "外市人员" not in page.text
    data = {
        "kind": "hearing",
        "title": "庭审观摩",
        "held_on": (timezone.localdate() + timedelta(days=1)).isoformat(),
        "cases": [published.pk],
        "attendees": [trainee.pk],
    }
    refused = client.post(url, data)
    assert refused.status_code == 400 and "不能晚于今天" in refused.text
    outside = client.post(url, data | {"attendees": [foreign.pk]})
    assert outside.status_code == 400 and "本地区执法部门" in outside.text
    assert not TrainingSession.objects.exists()
    done = client.post(url, data | {"held_on": timezone.localdate().isoformat()})
    session = TrainingSession.objects.get()
    assert done.status_code == 302 and done["Location"].endswith(f"/training/{session.pk}/")


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
