"""One scoping helper decides which agencies each persona may see and act for."""

import pytest

from portal import scoping
from portal.roles import Role
from portal.services import user_assign_role


def names(qs):
    return set(qs.values_list("name", flat=True))


def test_an_inspector_sees_only_their_own_agency(inspector_a, agencies):
    assert names(scoping.visible_agencies(inspector_a)) == {"甲市市场监督管理局"}


def test_a_city_supervisor_sees_the_city_and_its_counties_but_not_another_city(
    city_supervisor, agencies
):
    assert names(scoping.visible_agencies(city_supervisor)) == {
        "甲市市场监督管理局",
        "乙县市场监督管理局",
        "甲市司法局",
    }


def test_the_outsider_from_agency_b_sees_nothing_of_city_a(outsider_b, agencies):
    assert names(scoping.visible_agencies(outsider_b)) == {"丙市生态环境局"}


def test_the_public_sees_no_protected_agency(agencies):
    from django.contrib.auth.models import AnonymousUser

    assert not scoping.visible_agencies(AnonymousUser()).exists()


def test_a_system_administrator_sees_every_agency(sysadmin, agencies):
    assert scoping.visible_agencies(sysadmin).count() == len(agencies)


def test_only_staff_of_the_agency_may_act_for_it(
    inspector_a, legal_office_a, city_supervisor, outsider_b, agency_a
):
    assert scoping.can_act_for(inspector_a, agency_a)
    assert scoping.can_act_for(legal_office_a, agency_a)
    assert not scoping.can_act_for(outsider_b, agency_a)
    assert not scoping.can_act_for(city_supervisor, agency_a)


def test_only_the_legal_office_reviews_for_its_agency(inspector_a, legal_office_a, agency_a):
    assert scoping.can_review_for(legal_office_a, agency_a)
    assert not scoping.can_review_for(inspector_a, agency_a)


def test_a_supervisor_supervises_below_its_region_only(city_supervisor, county_agency_a, agency_b):
    assert scoping.can_supervise(city_supervisor, county_agency_a)
    assert not scoping.can_supervise(city_supervisor, agency_b)


def test_moving_an_inspector_to_another_agency_takes_the_old_agency_away(
    inspector_a, agency_a, agency_b
):
    user_assign_role(user=inspector_a, role=Role.AGENCY_STAFF, agency=agency_b, actor=None)
    inspector_a = type(inspector_a).objects.get(pk=inspector_a.pk)  # fresh permission cache
    assert names(scoping.visible_agencies(inspector_a)) == {"丙市生态环境局"}
    assert not scoping.can_act_for(inspector_a, agency_a)


def test_a_role_change_is_in_the_users_history_with_who_made_it(inspector_a, sysadmin, agency_b):
    user_assign_role(user=inspector_a, role=Role.AGENCY_STAFF, agency=agency_b, actor=sysadmin)
    latest = inspector_a.history.first()
    assert latest.agency_id == agency_b.pk
    assert latest.history_user == sysadmin


def test_agency_staff_without_an_agency_is_refused(db):
    from django.core.exceptions import ValidationError

    from tests.factories import UserFactory

    with pytest.raises(ValidationError, match="必须指定所在单位"):
        user_assign_role(user=UserFactory(), role=Role.AGENCY_STAFF, actor=None)


def test_scoping_costs_the_same_number_of_queries_for_many_agencies(
    inspector_a, city_supervisor, city_a, django_assert_max_num_queries
):
    from tests.factories import AgencyFactory

    AgencyFactory.create_batch(30, region=city_a)
    for user in (inspector_a, city_supervisor):
        user = type(user).objects.get(pk=user.pk)
        with django_assert_max_num_queries(3):
            list(scoping.visible_agencies(user))
