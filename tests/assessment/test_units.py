"""R19: each department evaluates its internal units, the handling units of its power list:
derived when the cycle opens or is refreshed, points entered by the department's own staff, the
grade computed from the cycle's thresholds, never typed."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessment.models import CycleEvent, Grade, UnitEvaluation
from assessment.services.cycles import assignments_derive, cycle_close
from assessment.services.units import unit_evaluate
from enforcement.models import PowerItem
from tests.enforcement.staff_factories import make_draft

from .cycle_helpers import open_cycle

pytestmark = pytest.mark.django_db


@pytest.fixture
def items(agency_a, inspector_a):
    make_draft(agency_a, inspector_a, code="330217001001", handling_unit="食品安全监督管理科")
    make_draft(agency_a, inspector_a, code="330217001002", handling_unit="食品安全监督管理科")
    make_draft(agency_a, inspector_a, code="330217001003", handling_unit="价格监督检查科")
    make_draft(agency_a, inspector_a, code="330217001004", handling_unit="  ")
    gone = make_draft(agency_a, inspector_a, code="330217001005", handling_unit="已撤销科")
    PowerItem.objects.filter(pk=gone.pk).update(status=PowerItem.Status.WITHDRAWN)


def _units(cycle, agency):
    return list(cycle.unit_evaluations.filter(agency=agency).values_list("unit", flat=True))


def test_the_units_are_the_distinct_handling_units_of_the_power_list(
    items, city_a, city_supervisor, agency_a
):
    cycle = open_cycle(city_a, city_supervisor)
    assert _units(cycle, agency_a) == ["价格监督检查科", "食品安全监督管理科"]


def test_the_refresh_adds_new_units_and_keeps_entered_points(
    items, city_a, city_supervisor, agency_a, inspector_a
):
    cycle = open_cycle(city_a, city_supervisor)
    food = cycle.unit_evaluations.get(unit="食品安全监督管理科")
    unit_evaluate(unit_evaluation=food, points="88", comment="", actor=inspector_a)
    make_draft(agency_a, inspector_a, code="330217001009", handling_unit="广告监督管理科")
    assignments_derive(cycle=cycle, actor=city_supervisor)
    assert len(_units(cycle, agency_a)) == 3
    food.refresh_from_db()
    assert food.points == Decimal("88")


def test_the_department_enters_points_and_the_grade_is_computed(
    items, city_a, city_supervisor, agency_a, inspector_a
):
    """R22 grades by the cycle's thresholds (90 excellent, 60 qualified by default)."""
    cycle = open_cycle(city_a, city_supervisor)
    row = cycle.unit_evaluations.get(unit="价格监督检查科")
    for points, grade in (
        ("95", Grade.EXCELLENT),
        ("60", Grade.QUALIFIED),
        ("59.5", Grade.UNQUALIFIED),
    ):
        row = unit_evaluate(
            unit_evaluation=row, points=points, comment="按期完成。", actor=inspector_a
        )
        assert row.grade == grade
    assert row.evaluated_by == inspector_a
    assert cycle.events.filter(kind=CycleEvent.Kind.UNITS_EVALUATED, agency=agency_a).count() == 3


@pytest.mark.parametrize("persona", ["city_supervisor", "outsider_b", "sysadmin"])
def test_only_the_departments_own_staff_evaluate_its_units(
    request, items, city_a, city_supervisor, persona
):
    cycle = open_cycle(city_a, city_supervisor)
    row = cycle.unit_evaluations.first()
    with pytest.raises(PermissionDenied):
        unit_evaluate(
            unit_evaluation=row, points="80", comment="", actor=request.getfixturevalue(persona)
        )
    row.refresh_from_db()
    assert row.points is None


@pytest.mark.parametrize(
    "points, comment, message",
    [
        ("-1", "", "0 至 100"),
        ("101", "", "0 至 100"),
        ("abc", "", "0 至 100"),
        ("Infinity", "", "0 至 100"),
        ("80.123", "", "两位小数"),
        ("80", "<script>x</script>", "网页代码"),
        ("80", "@SUM(A1)", "公式"),
        ("80", "好\x08", "控制字符"),
    ],
)
def test_bad_unit_points_are_refused_and_nothing_changes(
    items, city_a, city_supervisor, legal_office_a, points, comment, message
):
    cycle = open_cycle(city_a, city_supervisor)
    row = cycle.unit_evaluations.first()
    with pytest.raises(ValidationError, match=message):
        unit_evaluate(unit_evaluation=row, points=points, comment=comment, actor=legal_office_a)
    row.refresh_from_db()
    assert (row.points, row.grade) == (None, "")
    assert not cycle.events.filter(kind=CycleEvent.Kind.UNITS_EVALUATED).exists()


def test_no_unit_is_evaluated_in_a_closed_cycle(items, city_a, city_supervisor, inspector_a):
    cycle = open_cycle(city_a, city_supervisor)
    cycle_close(cycle=cycle, actor=city_supervisor)
    with pytest.raises(ValidationError, match="已结束"):
        unit_evaluate(
            unit_evaluation=cycle.unit_evaluations.first(), points="80", actor=inspector_a
        )


def test_the_units_page_lists_and_saves(
    items, city_a, city_supervisor, agency_a, inspector_a, client
):
    cycle = open_cycle(city_a, city_supervisor)
    client.force_login(inspector_a)
    url = f"/assessment/cycles/{cycle.pk}/units/{agency_a.pk}/"
    page = client.get(url).content.decode()
    assert "价格监督检查科" in page and "<form" in page
    row = cycle.unit_evaluations.get(unit="价格监督检查科")
    post = f"/assessment/cycles/{cycle.pk}/units/evaluations/{row.pk}/"
    bad = client.post(post, {f"u{row.pk}-points": "150"})
    assert bad.status_code == 400 and "0 至 100" in bad.content.decode()
    assert (
        client.post(post, {f"u{row.pk}-points": "91", f"u{row.pk}-comment": "好"}).status_code
        == 302
    )
    row.refresh_from_db()
    assert row.grade == Grade.EXCELLENT


def test_the_supervisor_reads_the_units_without_a_form(
    items, city_a, city_supervisor, agency_a, client
):
    cycle = open_cycle(city_a, city_supervisor)
    client.force_login(city_supervisor)
    page = client.get(f"/assessment/cycles/{cycle.pk}/units/{agency_a.pk}/").content.decode()
    assert "价格监督检查科" in page and "unit-evaluate" not in page and "evaluations/" not in page


def test_outsider_b_cannot_read_city_as_units(
    items, city_a, city_supervisor, agency_a, outsider_b, client
):
    cycle = open_cycle(city_a, city_supervisor)
    client.force_login(outsider_b)
    assert client.get(f"/assessment/cycles/{cycle.pk}/units/{agency_a.pk}/").status_code == 404
    row = cycle.unit_evaluations.first()
    post = f"/assessment/cycles/{cycle.pk}/units/evaluations/{row.pk}/"
    assert client.post(post, {f"u{row.pk}-points": "80"}).status_code == 404
    assert UnitEvaluation.objects.filter(points__isnull=False).count() == 0


def test_the_units_page_does_not_grow_its_queries(
    items, city_a, city_supervisor, agency_a, inspector_a, client, django_assert_max_num_queries
):
    cycle = open_cycle(city_a, city_supervisor)
    client.force_login(inspector_a)
    url = f"/assessment/cycles/{cycle.pk}/units/{agency_a.pk}/"
    for n in range(10):
        make_draft(agency_a, inspector_a, code=f"33021700201{n}", handling_unit=f"第{n}科")
    assignments_derive(cycle=cycle, actor=city_supervisor)
    for row in cycle.unit_evaluations.all():
        unit_evaluate(unit_evaluation=row, points="70", actor=inspector_a)
    with django_assert_max_num_queries(14):
        assert client.get(url).status_code == 200
