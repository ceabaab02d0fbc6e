"""R22: criticism-education or off-post training for an unqualified final result, its
completion, and where a result was used (job level, rotation, training, reward, sanction)."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from assessment.models import CycleEvent, Measure, ResultUse
from assessment.services.consequences import measure_complete, measure_order, result_use_record
from tests.factories import OfficerFactory

from .officer_world import officer_with_login, published

DUE = date(2026, 10, 10)


@pytest.fixture
def unqualified(cycle_2026, agency_a):
    return published(cycle_2026, OfficerFactory(agency=agency_a), due=DUE, total="50", final=True)


def test_the_agency_orders_training_for_an_unqualified_officer_and_records_its_completion(
    unqualified, legal_office_a
):
    measure = measure_order(
        result=unqualified,
        kind=Measure.Kind.TRAINING,
        note="离岗培训一个月。",
        actor=legal_office_a,
    )
    today = timezone.localdate()
    measure_complete(
        measure=measure, completed_on=today, note="已完成培训并考试合格。", actor=legal_office_a
    )
    measure.refresh_from_db()
    assert measure.completed_on == today and measure.completed_by == legal_office_a
    kinds = set(unqualified.cycle.events.values_list("kind", flat=True))
    assert {CycleEvent.Kind.MEASURE_ORDERED, CycleEvent.Kind.MEASURE_COMPLETED} <= kinds
    with pytest.raises(ValidationError, match="已确认完成"):
        measure_complete(measure=measure, completed_on=today, note="再次。", actor=legal_office_a)


def test_no_measure_for_a_qualified_or_not_yet_final_result(cycle_2026, agency_a, city_supervisor):
    qualified = published(
        cycle_2026, OfficerFactory(agency=agency_a), due=DUE, total="80", final=True
    )
    pending = published(cycle_2026, OfficerFactory(agency=agency_a), due=DUE, total="40")
    for result in (qualified, pending):
        with pytest.raises(ValidationError, match="已确定为不合格"):
            measure_order(result=result, kind="criticism", note="批评教育。", actor=city_supervisor)
    assert not Measure.objects.exists()


def test_bad_measures_are_refused(unqualified, city_supervisor, outsider_b):
    with pytest.raises(PermissionDenied):
        measure_order(result=unqualified, kind="criticism", note="批评。", actor=outsider_b)
    with pytest.raises(ValidationError):
        measure_order(result=unqualified, kind="dismissal", note="批评。", actor=city_supervisor)
    with pytest.raises(ValidationError):
        measure_order(result=unqualified, kind="criticism", note="", actor=city_supervisor)
    measure = measure_order(
        result=unqualified, kind="criticism", note="批评。", actor=city_supervisor
    )
    tomorrow = timezone.localdate() + timedelta(days=1)
    for day in (tomorrow, date(2020, 1, 1), "2026-01-01"):
        with pytest.raises(ValidationError):
            measure_complete(
                measure=measure, completed_on=day, note="完成。", actor=city_supervisor
            )
    with pytest.raises(ValidationError):
        measure_complete(
            measure=measure, completed_on=timezone.localdate(), note=" ", actor=city_supervisor
        )


def test_a_final_result_use_is_recorded_by_the_agency(unqualified, inspector_a, outsider_b):
    use = result_use_record(
        result=unqualified, kind=ResultUse.Kind.ROTATION, note="轮岗至综合科。", actor=inspector_a
    )
    assert use.recorded_by == inspector_a
    assert unqualified.cycle.events.filter(kind=CycleEvent.Kind.RESULT_USED).exists()
    with pytest.raises(PermissionDenied):
        result_use_record(result=unqualified, kind="reward", note="奖励。", actor=outsider_b)
    with pytest.raises(ValidationError):
        result_use_record(result=unqualified, kind="promotion", note="晋升。", actor=inspector_a)


def test_an_unfinished_result_cannot_be_used_and_nobody_records_their_own(cycle_2026, agency_a):
    me = officer_with_login(agency_a)
    mine = published(cycle_2026, me, due=DUE, total="95")
    colleague = published(cycle_2026, OfficerFactory(agency=agency_a), due=DUE, total="95")
    with pytest.raises(PermissionDenied):
        result_use_record(result=mine, kind="reward", note="奖励。", actor=me.user)
    with pytest.raises(ValidationError, match="确定后"):
        result_use_record(result=colleague, kind="reward", note="奖励。", actor=me.user)


# --- the pages -----------------------------------------------------------------------------------

from django.urls import reverse  # noqa: E402

from tests.conftest import client_for  # noqa: E402


def test_the_result_page_orders_a_measure_and_records_a_use(unqualified, legal_office_a):
    client = client_for(legal_office_a)
    page = client.get(reverse("assessment:officer-result", args=[unqualified.pk]))
    assert page.status_code == 200 and "批评教育或离岗培训" in page.content.decode()
    url = reverse("assessment:measure-order", args=[unqualified.pk])
    assert client.post(url, {"kind": "criticism", "note": ""}).status_code == 400
    assert client.post(url, {"kind": "criticism", "note": "谈话提醒。"}).status_code == 302
    measure = Measure.objects.get()
    done = client.post(
        reverse("assessment:measure-complete", args=[measure.pk]),
        {"completed_on": "2020-01-01", "note": "完成。"},
    )
    assert done.status_code == 400 and "完成日期" in done.content.decode()
    use = client.post(
        reverse("assessment:result-use-record", args=[unqualified.pk]),
        {"kind": "training", "note": "参加执法培训。"},
    )
    assert use.status_code == 302 and ResultUse.objects.count() == 1


def test_the_result_sheet_prints_with_its_own_print_css(unqualified, city_supervisor):
    page = client_for(city_supervisor).get(
        reverse("assessment:officer-result-sheet", args=[unqualified.pk])
    )
    text = page.content.decode()
    assert page.status_code == 200
    assert "assessment/officers.css" in text and "评议考核结果单" in text
    assert "不得评为优秀" not in text or unqualified.barred_from_excellent


def test_the_officer_prints_their_own_sheet_but_not_a_colleagues(cycle_2026, agency_a):
    me = officer_with_login(agency_a)
    mine = published(cycle_2026, me, due=DUE, total="80")
    colleague = published(cycle_2026, OfficerFactory(agency=agency_a), due=DUE, total="80")
    client = client_for(me.user)
    assert client.get(reverse("assessment:officer-result-sheet", args=[mine.pk])).status_code == 200
    other = client.get(reverse("assessment:officer-result-sheet", args=[colleague.pk]))
    assert other.status_code == 404


def test_my_results_page_does_not_grow_with_the_years(
    agency_a, city_a, city_supervisor, django_assert_max_num_queries
):
    from assessment.models import Cycle

    me = officer_with_login(agency_a)
    client = client_for(me.user)
    url = reverse("assessment:my-officer-results")
    published(
        Cycle.objects.create(region=city_a, year=2020, opened_by=city_supervisor), me, due=DUE
    )
    with django_assert_max_num_queries(10):
        assert client.get(url).status_code == 200
    for year in (2021, 2022, 2023, 2024):
        cycle = Cycle.objects.create(region=city_a, year=year, opened_by=city_supervisor)
        published(cycle, me, due=DUE)
    with django_assert_max_num_queries(10):
        page = client.get(url)
    assert page.content.decode().count("日常考核得分") == 5
