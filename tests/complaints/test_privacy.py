"""The complainant's identity is seen only by the handler and the region's supervisors, every
view is logged, and everyone else sees it masked."""

import pytest
from django.contrib.auth.models import AnonymousUser

from complaints.models import IdentityView
from complaints.privacy import (
    complaints_visible_to,
    identity_of,
    log_identity_views,
    mask_email,
    mask_name,
    mask_phone,
    may_see_identity,
)
from complaints.services.decisions import complaint_accept
from portal.roles import Role
from portal.services import user_assign_role
from tests.factories import UserFactory

from .test_register import file_complaint

pytestmark = pytest.mark.django_db


def supervisor(username, region):
    return user_assign_role(
        user=UserFactory(username=username), role=Role.SUPERVISOR, actor=None, region=region
    )


@pytest.fixture
def complaint(agency_a):
    return file_complaint(agency_a).complaint


@pytest.fixture
def handler(city_a):
    return supervisor("handler_a", city_a)


@pytest.fixture
def other_city_supervisor(city_b):
    return supervisor("city_b_supervisor", city_b)


def test_the_regions_supervisors_and_the_handler_may_see_the_identity(
    complaint, city_supervisor, handler, province
):
    province_supervisor = supervisor("province_supervisor", province)
    assert may_see_identity(city_supervisor, complaint)
    assert may_see_identity(province_supervisor, complaint)
    complaint = complaint_accept(complaint=complaint, actor=city_supervisor, handler=handler)
    assert complaint.handler == handler and may_see_identity(handler, complaint)


@pytest.mark.parametrize(
    "who", ["sysadmin", "outsider_b", "inspector_a", "legal_office_a", "other_city_supervisor"]
)
def test_nobody_else_may_see_it_not_even_the_system_administrator(request, who, complaint):
    """The agency complained about, another city and the administrator see it masked."""
    assert not may_see_identity(request.getfixturevalue(who), complaint)
    assert not may_see_identity(AnonymousUser(), complaint)


def test_an_anonymous_complaint_has_no_identity_to_see(agency_a, city_supervisor):
    complaint = file_complaint(agency_a, anonymous=True, complainant_name="李四").complaint
    assert complaint.complainant_name == "" and complaint.phone == "" and complaint.email == ""
    assert not may_see_identity(city_supervisor, complaint)


def test_an_unmasked_read_is_logged_with_who_and_where(complaint, city_supervisor):
    seen = identity_of(city_supervisor, complaint, where="detail")
    assert seen == {
        "name": "张三",
        "phone": "13800000000",
        "email": "zhangsan@example.com",
        "masked": False,
    }
    (view,) = IdentityView.objects.all()
    assert (view.complaint, view.user, view.where) == (complaint, city_supervisor, "detail")
    identity_of(city_supervisor, complaint, where="api")
    assert IdentityView.objects.count() == 2


def test_everyone_else_reads_it_masked_and_nothing_is_logged(complaint, sysadmin, outsider_b):
    for user in (sysadmin, outsider_b):
        assert identity_of(user, complaint, where="detail") == {
            "name": "张*",
            "phone": "138****0000",
            "email": "z***@example.com",
            "masked": True,
        }
    assert not IdentityView.objects.exists()


def test_a_bulk_read_logs_one_row_per_complaint(agency_a, city_supervisor):
    complaints = [file_complaint(agency_a).complaint for _ in range(3)]
    log_identity_views(city_supervisor, complaints, where="export")
    assert IdentityView.objects.filter(where="export", user=city_supervisor).count() == 3


def test_masks():
    assert mask_name("欧阳修文") == "欧***"
    assert mask_name("张") == "张*"
    assert mask_name("") == ""
    assert mask_phone("13912345678") == "139****5678"
    assert mask_phone("0431-88881234") == "043****1234"
    assert mask_phone("12345") == "*****"
    assert mask_phone("") == ""
    assert mask_email("wang.wei@example.com") == "w***@example.com"
    assert mask_email("not-an-address") == ""


def test_the_register_is_visible_by_region(
    complaint, agency_b, city_supervisor, other_city_supervisor, sysadmin, inspector_a
):
    """Supervisors see their region's register, the administrator all (masked), agency staff
    none of it (they see only requests addressed to them)."""
    elsewhere = file_complaint(agency_b).complaint
    assert list(complaints_visible_to(city_supervisor)) == [complaint]
    assert list(complaints_visible_to(other_city_supervisor)) == [elsewhere]
    assert set(complaints_visible_to(sysadmin)) == {complaint, elsewhere}
    assert not complaints_visible_to(inspector_a).exists()
    assert not complaints_visible_to(AnonymousUser()).exists()
