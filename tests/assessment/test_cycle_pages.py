"""The cycle pages (R19, R20): the list scoped to who asks, the open form, the detail with its
local choices, assignments, problems, scheme and timeline; refusals in Chinese, nothing changes."""

import pytest

from assessment.models import Cycle
from tests.conftest import client_for
from tests.factories import AgencyFactory

from .cycle_helpers import open_cycle, province_office, vertical_agency

pytestmark = pytest.mark.django_db


@pytest.fixture
def cycle_a(city_a, city_supervisor, agency_a):
    return open_cycle(city_a, city_supervisor)


def test_the_supervisor_opens_a_cycle_through_the_form(city_a, city_supervisor, agency_a):
    client = client_for(city_supervisor)
    assert client.get("/assessment/cycles/new/").status_code == 200
    response = client.post(
        "/assessment/cycles/new/", {"region": city_a.pk, "year": "2026", "excellent_from": "88"}
    )
    cycle = Cycle.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{cycle.pk}/")
    assert cycle.excellent_from == 88


@pytest.mark.parametrize("year", ["1999", "abc"])
def test_a_bad_year_is_refused_on_the_form(city_a, city_supervisor, year):
    response = client_for(city_supervisor).post(
        "/assessment/cycles/new/", {"region": city_a.pk, "year": year}
    )
    assert response.status_code == 400
    assert "考核年度应为" in response.content.decode()
    assert not Cycle.objects.exists()


def test_a_second_cycle_the_same_year_is_refused_on_the_form(cycle_a, city_a, city_supervisor):
    response = client_for(city_supervisor).post(
        "/assessment/cycles/new/", {"region": city_a.pk, "year": "2026"}
    )
    assert response.status_code == 400
    assert "不能重复开启" in response.content.decode()
    assert Cycle.objects.count() == 1


def test_a_region_outside_the_supervisors_scope_is_not_offered(city_b, city_supervisor):
    response = client_for(city_supervisor).post(
        "/assessment/cycles/new/", {"region": city_b.pk, "year": "2026"}
    )
    assert response.status_code == 400
    assert not Cycle.objects.exists()


def test_the_detail_shows_the_local_choices_assignments_scheme_and_timeline(
    province, city_a, city_supervisor, agency_a, city_a_legal_office
):
    tax = vertical_agency(city_a, province_office(province))
    cycle = open_cycle(city_a, city_supervisor)
    page = client_for(city_supervisor).get(f"/assessment/cycles/{cycle.pk}/").content.decode()
    assert "本地选择" in page and "优秀分数线（本地选择）" in page
    assert agency_a.name in page and city_a_legal_office.name in page and tax.name in page
    assert "上级主管部门评议" in page and "录入意见" in page
    assert "权责清单编制与动态调整" in page
    assert "开启考核" in page and "生成评议关系" in page


def test_agency_staff_read_their_cycle_without_the_supervisors_buttons(cycle_a, inspector_a):
    page = client_for(inspector_a).get(f"/assessment/cycles/{cycle_a.pk}/")
    assert page.status_code == 200
    text = page.content.decode()
    assert "结束本年度评议考核" not in text and "新增指标" not in text


def test_outsider_b_cannot_read_city_as_cycle(cycle_a, outsider_b):
    client = client_for(outsider_b)
    for url in ("", "indicators/versions/"):
        assert client.get(f"/assessment/cycles/{cycle_a.pk}/{url}").status_code == 404
    assert client.post(f"/assessment/cycles/{cycle_a.pk}/close/").status_code == 404
    cycle_a.refresh_from_db()
    assert cycle_a.status == Cycle.Status.OPEN


def test_the_list_is_scoped(cycle_a, city_b, inspector_a, outsider_b, city_supervisor, sysadmin):
    from portal.roles import Role
    from portal.services import user_assign_role
    from tests.factories import UserFactory

    supervisor_b = user_assign_role(
        user=UserFactory(username="sv_b"), role=Role.SUPERVISOR, actor=None, region=city_b
    )
    AgencyFactory(name="丙市司法局", region=city_b, is_legal_office=True)
    cycle_b = open_cycle(city_b, supervisor_b)
    for user, seen, unseen in (
        (inspector_a, cycle_a, cycle_b),
        (city_supervisor, cycle_a, cycle_b),
        (outsider_b, cycle_b, cycle_a),
    ):
        page = client_for(user).get("/assessment/cycles/").content.decode()
        assert f"/assessment/cycles/{seen.pk}/" in page
        assert f"/assessment/cycles/{unseen.pk}/" not in page
    page = client_for(sysadmin).get("/assessment/cycles/").content.decode()
    assert f"/{cycle_a.pk}/" in page and f"/{cycle_b.pk}/" in page


def test_closing_twice_through_the_page_says_so(cycle_a, city_supervisor):
    client = client_for(city_supervisor)
    client.post(f"/assessment/cycles/{cycle_a.pk}/close/")
    response = client.post(f"/assessment/cycles/{cycle_a.pk}/close/", follow=True)
    assert "不能重复结束" in response.content.decode()
    assert cycle_a.events.filter(kind="closed").count() == 1


def test_the_refresh_button_adds_a_new_agency(cycle_a, city_a, city_supervisor):
    newcomer = AgencyFactory(name="甲市交通运输局", region=city_a)
    response = client_for(city_supervisor).post(f"/assessment/cycles/{cycle_a.pk}/refresh/")
    assert response.status_code == 302
    assert cycle_a.assignments.filter(agency=newcomer).exists()


def test_the_opinion_page_records_the_local_governments_opinion(province, city_a, city_supervisor):
    tax = vertical_agency(city_a, province_office(province))
    cycle = open_cycle(city_a, city_supervisor)
    assignment = cycle.assignments.get(agency=tax)
    url = f"/assessment/cycles/{cycle.pk}/assignments/{assignment.pk}/opinion/"
    client = client_for(city_supervisor)
    assert client.get(url).status_code == 200
    bad = client.post(url, {"opinion": "<script>x</script>"})
    assert bad.status_code == 400 and "网页代码" in bad.content.decode()
    assert client.post(url, {"opinion": "配合良好。"}).status_code == 302
    page = client.get(f"/assessment/cycles/{cycle.pk}/").content.decode()
    assert "配合良好。" in page


def test_the_workspace_links_to_the_cycles(inspector_a, city_supervisor):
    for user in (inspector_a, city_supervisor):
        assert "/assessment/cycles/" in client_for(user).get("/workspace/").content.decode()


def _cycles(n, province, supervisor):
    from enforcement.models import Region
    from tests.factories import RegionFactory

    for i in range(n):
        region = RegionFactory(
            name=f"县{i}", code=f"2201{50 + i}", level=Region.Level.COUNTY, parent=supervisor.region
        )
        Cycle.objects.create(region=region, year=2026, opened_by=supervisor)


def test_the_list_does_not_grow_its_queries(
    cycle_a, province, city_supervisor, inspector_a, django_assert_max_num_queries
):
    _cycles(15, province, city_supervisor)
    for user in (city_supervisor, inspector_a):
        client = client_for(user)
        with django_assert_max_num_queries(10):
            assert client.get("/assessment/cycles/").status_code == 200


def test_the_detail_does_not_grow_its_queries(
    cycle_a, city_a, city_supervisor, django_assert_max_num_queries
):
    above = province_office(city_a.parent)
    for n in range(12):
        AgencyFactory(name=f"甲市第{n}局", region=city_a)
        vertical_agency(city_a, above, name=f"甲市垂直管理第{n}局")
    client = client_for(city_supervisor)
    client.post(f"/assessment/cycles/{cycle_a.pk}/refresh/")
    with django_assert_max_num_queries(20):
        assert client.get(f"/assessment/cycles/{cycle_a.pk}/").status_code == 200
