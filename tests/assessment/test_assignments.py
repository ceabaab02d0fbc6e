"""R19, who evaluates whom, derived from the agencies' management and never typed: a local
department by its government through the legal office; a vertically managed one by the
department above, hearing the local government; a dual-managed one by both, weighted; the legal
office by the legal office of the region above; an agency without an evaluator is a problem."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from assessment.models import Assignment, CycleEvent
from assessment.selectors.cycles import problems
from assessment.services.cycles import (
    assignment_record_local_opinion,
    assignments_derive,
    cycle_close,
)
from enforcement.models import Agency
from tests.factories import AgencyFactory

from .cycle_helpers import open_cycle, province_office, vertical_agency

pytestmark = pytest.mark.django_db


def _roles(cycle, agency):
    return {(a.role, a.evaluator_id, a.weight) for a in cycle.assignments.filter(agency=agency)}


def test_a_local_department_is_evaluated_by_its_governments_legal_office(
    city_a, city_supervisor, agency_a, city_a_legal_office
):
    """R19: the government evaluates its departments through its legal office, weight 100."""
    cycle = open_cycle(city_a, city_supervisor)
    assert _roles(cycle, agency_a) == {(Assignment.Role.LOCAL, city_a_legal_office.pk, 100)}


def test_the_government_itself_is_not_evaluated_in_its_cycle(city_a, city_supervisor):
    """R19: the government evaluates; it is not one of the evaluated agencies."""
    government = AgencyFactory(name="甲市人民政府", region=city_a, kind=Agency.Kind.GOVERNMENT)
    cycle = open_cycle(city_a, city_supervisor)
    assert not cycle.assignments.filter(agency=government).exists()
    assert government not in [p.agency for p in problems(cycle)]


def test_agencies_of_other_regions_are_not_in_the_cycle(
    city_a, city_supervisor, agency_a, county_agency_a, agency_b
):
    cycle = open_cycle(city_a, city_supervisor)
    evaluated = set(cycle.assignments.values_list("agency_id", flat=True))
    assert agency_a.pk in evaluated
    assert not evaluated & {county_agency_a.pk, agency_b.pk}


def test_a_vertically_managed_department_is_evaluated_by_the_department_above(
    province, city_a, city_supervisor
):
    """R19: vertical management: the department above, weight 100, no local assignment."""
    above = province_office(province)
    tax = vertical_agency(city_a, above)
    cycle = open_cycle(city_a, city_supervisor)
    assert _roles(cycle, tax) == {(Assignment.Role.VERTICAL, above.pk, 100)}


def test_a_dual_managed_department_is_evaluated_by_both_weighted_by_the_local_choice(
    province, city_a, city_supervisor, city_a_legal_office
):
    """R19: dual management: both, the vertical weight being the cycle's local choice."""
    above = province_office(province)
    dual = vertical_agency(city_a, above, management=Agency.Management.DUAL, name="甲市气象局")
    cycle = open_cycle(city_a, city_supervisor, dual_vertical_weight=60)
    assert _roles(cycle, dual) == {
        (Assignment.Role.VERTICAL, above.pk, 60),
        (Assignment.Role.LOCAL, city_a_legal_office.pk, 40),
    }


def test_the_legal_office_is_evaluated_by_the_legal_office_of_the_region_above(
    province, city_a, city_supervisor, city_a_legal_office
):
    """R19: the legal office does not evaluate itself: the province's legal office does."""
    province_legal = AgencyFactory(name="测试省司法厅", region=province, is_legal_office=True)
    cycle = open_cycle(city_a, city_supervisor)
    assert _roles(cycle, city_a_legal_office) == {(Assignment.Role.LOCAL, province_legal.pk, 100)}


def test_an_agency_without_an_evaluator_is_listed_as_a_problem_not_skipped(
    county_a, city_supervisor, county_agency_a, client
):
    """R19: the county has no legal office registered: its department cannot be evaluated, and
    the cycle's page says so."""
    cycle = open_cycle(county_a, city_supervisor)
    assert not cycle.assignments.exists()
    found = problems(cycle)
    assert [p.agency for p in found] == [county_agency_a]
    assert "未登记政府法制部门" in found[0].problem
    assert "待处理问题 1 个" in cycle.events.get(kind=CycleEvent.Kind.ASSIGNMENTS_DERIVED).note
    client.force_login(city_supervisor)
    page = client.get(f"/assessment/cycles/{cycle.pk}/").content.decode()
    assert "待处理问题" in page and county_agency_a.name in page


def test_the_refresh_adds_new_agencies_and_keeps_what_exists(
    city_a, city_supervisor, agency_a, city_a_legal_office
):
    """R19: derivation is idempotent; the refresh adds agencies created since, keeps the rest
    (and so their scores and opinions)."""
    cycle = open_cycle(city_a, city_supervisor)
    kept = cycle.assignments.get(agency=agency_a)
    newcomer = AgencyFactory(name="甲市应急管理局", region=city_a)
    assignments_derive(cycle=cycle, actor=city_supervisor)
    assignments_derive(cycle=cycle, actor=city_supervisor)
    assert cycle.assignments.get(agency=agency_a).pk == kept.pk
    assert cycle.assignments.filter(agency=newcomer).count() == 1
    assert cycle.events.filter(kind=CycleEvent.Kind.ASSIGNMENTS_DERIVED).count() == 3


def test_only_the_supervisor_refreshes(city_a, city_supervisor, inspector_a):
    cycle = open_cycle(city_a, city_supervisor)
    with pytest.raises(PermissionDenied):
        assignments_derive(cycle=cycle, actor=inspector_a)


def test_the_local_governments_opinion_is_recorded_on_the_vertical_assignment(
    province, city_a, city_supervisor
):
    """R19: a vertically managed department is evaluated above, hearing the local government."""
    tax = vertical_agency(city_a, province_office(province))
    cycle = open_cycle(city_a, city_supervisor)
    assignment = cycle.assignments.get(agency=tax)
    assignment = assignment_record_local_opinion(
        assignment=assignment, opinion="该局依法履职，配合属地工作良好。", actor=city_supervisor
    )
    assert assignment.local_opinion_by == city_supervisor
    event = cycle.events.get(kind=CycleEvent.Kind.LOCAL_OPINION)
    assert event.agency == tax


def test_the_local_legal_offices_staff_may_record_the_opinion(
    province, city_a, city_supervisor, city_a_legal_office
):
    from portal.roles import Role
    from portal.services import user_assign_role
    from tests.factories import UserFactory

    staff = user_assign_role(
        user=UserFactory(username="sfj"), role=Role.AGENCY_STAFF, actor=None,
        agency=city_a_legal_office,
    )  # fmt: skip
    tax = vertical_agency(city_a, province_office(province))
    cycle = open_cycle(city_a, city_supervisor)
    assignment_record_local_opinion(
        assignment=cycle.assignments.get(agency=tax), opinion="同意。", actor=staff
    )


@pytest.mark.parametrize(
    "opinion, message",
    [
        ("", "请填写"),
        ("<script>alert(1)</script>", "网页代码"),
        ("=HYPERLINK(1)", "公式"),
        ("同意\x1b", "控制字符"),
    ],
)
def test_a_bad_opinion_is_refused_and_nothing_changes(
    province, city_a, city_supervisor, opinion, message
):
    tax = vertical_agency(city_a, province_office(province))
    cycle = open_cycle(city_a, city_supervisor)
    assignment = cycle.assignments.get(agency=tax)
    with pytest.raises(ValidationError, match=message):
        assignment_record_local_opinion(
            assignment=assignment, opinion=opinion, actor=city_supervisor
        )
    assignment.refresh_from_db()
    assert assignment.local_opinion == ""
    assert not cycle.events.filter(kind=CycleEvent.Kind.LOCAL_OPINION).exists()


def test_no_opinion_on_a_local_assignment_nor_by_the_department_itself(
    province, city_a, city_supervisor, agency_a, inspector_a
):
    cycle = open_cycle(city_a, city_supervisor)
    local = cycle.assignments.get(agency=agency_a)
    with pytest.raises(ValidationError, match="只有上级主管部门评议"):
        assignment_record_local_opinion(assignment=local, opinion="好。", actor=city_supervisor)
    with pytest.raises(PermissionDenied):
        assignment_record_local_opinion(assignment=local, opinion="好。", actor=inspector_a)


def test_no_opinion_once_the_cycle_is_closed(province, city_a, city_supervisor):
    tax = vertical_agency(city_a, province_office(province))
    cycle = open_cycle(city_a, city_supervisor)
    cycle_close(cycle=cycle, actor=city_supervisor)
    with pytest.raises(ValidationError, match="已结束"):
        assignment_record_local_opinion(
            assignment=cycle.assignments.get(agency=tax), opinion="好。", actor=city_supervisor
        )


def test_the_refresh_follows_a_change_of_management(
    province, city_a, city_supervisor, agency_a, city_a_legal_office
):
    """R19: an agency that became dual-managed gets the vertical evaluation and the weights of
    the local choice; back to local management, the unscored vertical one goes."""
    above = province_office(province)
    cycle = open_cycle(city_a, city_supervisor, dual_vertical_weight=40)
    Agency.objects.filter(pk=agency_a.pk).update(
        management=Agency.Management.DUAL, supervising_agency=above
    )
    assignments_derive(cycle=cycle, actor=city_supervisor)
    assert _roles(cycle, agency_a) == {
        (Assignment.Role.VERTICAL, above.pk, 40),
        (Assignment.Role.LOCAL, city_a_legal_office.pk, 60),
    }
    Agency.objects.filter(pk=agency_a.pk).update(
        management=Agency.Management.LOCAL, supervising_agency=None
    )
    assignments_derive(cycle=cycle, actor=city_supervisor)
    assert _roles(cycle, agency_a) == {(Assignment.Role.LOCAL, city_a_legal_office.pk, 100)}


def test_a_scored_assignment_is_never_removed_by_a_refresh(
    province, city_a, city_supervisor, agency_a
):
    from decimal import Decimal

    from assessment.models import Score

    above = province_office(province)
    Agency.objects.filter(pk=agency_a.pk).update(
        management=Agency.Management.DUAL, supervising_agency=above
    )
    cycle = open_cycle(city_a, city_supervisor)
    vertical = cycle.assignments.get(agency=agency_a, role=Assignment.Role.VERTICAL)
    Score.objects.create(
        assignment=vertical,
        indicator=cycle.indicators.first(),
        points=Decimal("5"),
        evidence="检查记录。",
        scored_by=city_supervisor,
    )
    Agency.objects.filter(pk=agency_a.pk).update(
        management=Agency.Management.LOCAL, supervising_agency=None
    )
    assignments_derive(cycle=cycle, actor=city_supervisor)
    assert cycle.assignments.filter(pk=vertical.pk).exists()
    assert agency_a in [p.agency for p in problems(cycle)]
