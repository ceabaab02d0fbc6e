"""R4: the catalogue of delegated enforcement, and clearing a delegation that fails the legal
conditions: it ends, its items lose it, and officers enforcing only under it lose certificates."""

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.timezone import localdate

from enforcement.models import Agency, Delegation, Officer, PowerItem
from enforcement.services.delegations import delegation_clear, delegation_create
from tests.conftest import client_for
from tests.factories import AgencyFactory, OfficerFactory

pytestmark = pytest.mark.django_db

LIST = reverse("enforcement:delegation_list")


@pytest.fixture
def organisation(city_a):
    return AgencyFactory(name="甲市食品安全检查中心", region=city_a, kind=Agency.Kind.DELEGATED)


@pytest.fixture
def delegation(agency_a, organisation, city_supervisor):
    item = PowerItem.objects.create(
        agency=agency_a, code="A-1", name="食品经营者日常监督检查", category="inspection",
        level="city",
    )  # fmt: skip
    return delegation_create(
        delegating_agency=agency_a, delegated_organisation=organisation,
        basis="《中华人民共和国行政处罚法》第二十条", starts_on=date(2025, 1, 1),
        actor=city_supervisor, items=[item],
    )  # fmt: skip


def test_staff_of_the_delegating_agency_enter_a_delegation_with_its_items(
    agency_a, organisation, inspector_a
):
    """R4: the catalogue names the delegated organisation, the basis, the period, the items."""
    item = PowerItem.objects.create(
        agency=agency_a, code="A-9", name="检查", category="inspection", level="city"
    )
    d = delegation_create(
        delegating_agency=agency_a, delegated_organisation=organisation, basis="依据",
        starts_on=date(2025, 1, 1), ends_on=date(2027, 12, 31), actor=inspector_a, items=[item],
    )  # fmt: skip
    item.refresh_from_db()
    assert item.delegation == d and d.status == Delegation.Status.ACTIVE
    assert d.history.get().history_user == inspector_a
    assert item.timeline.get().actor == inspector_a


def test_the_delegated_organisation_must_be_of_the_delegated_kind(agency_a, agency_b, inspector_a):
    with pytest.raises(ValidationError, match="受委托组织"):
        delegation_create(
            delegating_agency=agency_a, delegated_organisation=agency_b, basis="依据",
            starts_on=date(2025, 1, 1), actor=inspector_a,
        )  # fmt: skip
    assert not Delegation.objects.exists()


def test_an_outsider_cannot_delegate_for_another_agency(agency_a, organisation, outsider_b):
    """Forged ids: agency B's staff cannot enter a delegation in agency A's name."""
    with pytest.raises(ValidationError, match="无权"):
        delegation_create(
            delegating_agency=agency_a, delegated_organisation=organisation, basis="依据",
            starts_on=date(2025, 1, 1), actor=outsider_b,
        )  # fmt: skip
    assert not Delegation.objects.exists()


def test_items_of_another_agency_cannot_be_delegated(agency_a, agency_b, organisation, inspector_a):
    foreign = PowerItem.objects.create(
        agency=agency_b, code="B-1", name="检查", category="inspection", level="city"
    )
    with pytest.raises(ValidationError, match="只能委托本单位的事项"):
        delegation_create(
            delegating_agency=agency_a, delegated_organisation=organisation, basis="依据",
            starts_on=date(2025, 1, 1), actor=inspector_a, items=[foreign],
        )  # fmt: skip
    foreign.refresh_from_db()
    assert foreign.delegation is None and not Delegation.objects.exists()


def test_clearing_ends_the_delegation_and_withdraws_certificates_with_the_reason(
    delegation, organisation, city_supervisor
):
    """R4: each officer's certificate is withdrawn with the reason and the date, in history;
    items return to the delegating agency alone, with a note in their timeline."""
    officers = [OfficerFactory(agency=organisation) for _ in range(2)]
    reason = "受委托组织不具备法定条件"
    delegation_clear(delegation=delegation, reason=reason, actor=city_supervisor)
    delegation.refresh_from_db()
    assert delegation.status == Delegation.Status.CLEARED
    assert delegation.cleared_by == city_supervisor and delegation.cleared_at is not None
    for officer in officers:
        officer.refresh_from_db()
        assert officer.certificate_status == Officer.CertificateStatus.WITHDRAWN
        assert officer.status_reason == "受委托组织不具备法定条件"
        assert officer.status_date == localdate()
        assert officer.history.first().history_user == city_supervisor
    item = PowerItem.objects.get(code="A-1")
    assert item.delegation is None and item.has_unpublished_changes
    assert "受委托组织不具备法定条件" in item.timeline.last().note


def test_officers_who_still_enforce_under_another_delegation_keep_their_certificates(
    delegation, organisation, county_agency_a, city_supervisor
):
    delegation_create(
        delegating_agency=county_agency_a, delegated_organisation=organisation, basis="依据",
        starts_on=date(2025, 1, 1), actor=city_supervisor,
    )  # fmt: skip
    officer = OfficerFactory(agency=organisation)
    delegation_clear(delegation=delegation, reason="超出委托范围", actor=city_supervisor)
    officer.refresh_from_db()
    assert officer.certificate_status == Officer.CertificateStatus.VALID


def test_a_clearing_without_a_reason_is_refused(delegation, organisation, city_supervisor):
    officer = OfficerFactory(agency=organisation)
    with pytest.raises(ValidationError, match="请填写清理原因"):
        delegation_clear(delegation=delegation, reason="  ", actor=city_supervisor)
    delegation.refresh_from_db(), officer.refresh_from_db()
    assert delegation.status == Delegation.Status.ACTIVE
    assert officer.certificate_status == Officer.CertificateStatus.VALID


def test_staff_cannot_clear_a_delegation(delegation, inspector_a):
    """Only the supervisor clears (R4); the delegating agency's staff cannot."""
    with pytest.raises(ValidationError, match="监督范围"):
        delegation_clear(delegation=delegation, reason="理由", actor=inspector_a)
    delegation.refresh_from_db()
    assert delegation.status == Delegation.Status.ACTIVE


def test_the_supervisor_clears_through_the_page(delegation, organisation, city_supervisor):
    officer = OfficerFactory(agency=organisation)
    client = client_for(city_supervisor)
    body = client.get(LIST).content.decode()
    assert "甲市食品安全检查中心" in body and "清理该委托" in body
    url = reverse("enforcement:delegation_clear", args=[delegation.pk])
    response = client.post(url, {"reason": "<script>alert(1)</script>不符合条件"})
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.certificate_status == Officer.CertificateStatus.WITHDRAWN
    body = client.get(LIST).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;不符合条件" in body
    assert "<script>alert(1)" not in body


def test_the_page_refuses_a_clearing_without_reason(delegation, city_supervisor):
    url = reverse("enforcement:delegation_clear", args=[delegation.pk])
    response = client_for(city_supervisor).post(url, {"reason": ""})
    assert response.status_code == 400 and "请填写清理原因" in response.content.decode()
    delegation.refresh_from_db()
    assert delegation.status == Delegation.Status.ACTIVE


def test_another_regions_supervisor_cannot_see_or_clear_it(delegation, agency_b):
    """Forged ids: a delegation outside the supervisor's region is as if it did not exist."""
    from portal.roles import Role
    from tests.conftest import _persona

    supervisor_b = _persona("supervisor_b", Role.SUPERVISOR, region=agency_b.region)
    client = client_for(supervisor_b)
    assert "甲市食品安全检查中心" not in client.get(LIST).content.decode()
    url = reverse("enforcement:delegation_clear", args=[delegation.pk])
    assert client.post(url, {"reason": "理由"}).status_code == 404
    delegation.refresh_from_db()
    assert delegation.status == Delegation.Status.ACTIVE


def test_staff_outsiders_and_the_public_are_refused(
    delegation, inspector_a, outsider_b, public_client
):
    url = reverse("enforcement:delegation_clear", args=[delegation.pk])
    for client in (client_for(inspector_a), client_for(outsider_b)):
        assert client.get(LIST).status_code == 403
        assert client.post(url, {"reason": "理由"}).status_code == 403
    for target in (LIST, url):
        response = public_client.post(target, {"reason": "理由"})
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    delegation.refresh_from_db()
    assert delegation.status == Delegation.Status.ACTIVE


def test_the_list_costs_the_same_queries_with_more_delegations(
    delegation, agency_a, city_supervisor, django_assert_max_num_queries
):
    client = client_for(city_supervisor)
    client.get(LIST)
    with django_assert_max_num_queries(10) as ctx:
        client.get(LIST)
    few = len(ctx.captured_queries)
    for n in range(15):
        organisation = AgencyFactory(region=agency_a.region, kind=Agency.Kind.DELEGATED)
        delegation_create(
            delegating_agency=agency_a, delegated_organisation=organisation, basis=f"依据{n}",
            starts_on=date(2025, 1, 1), actor=city_supervisor,
        )  # fmt: skip
    with django_assert_max_num_queries(few):
        assert client.get(LIST).status_code == 200


NEW = reverse("enforcement:delegation_create")


def test_the_supervisor_enters_a_delegation_with_its_items_by_code(
    agency_a, organisation, city_supervisor
):
    """R4: the catalogue entry names the organisation, the basis, the period and the items."""
    for code in ("A-1", "A-2", "A-3"):
        PowerItem.objects.create(
            agency=agency_a, code=code, name="检查", category="inspection", level="city"
        )
    response = client_for(city_supervisor).post(
        NEW,
        {"delegating_agency": agency_a.pk, "delegated_organisation": organisation.pk,
         "basis": "《中华人民共和国行政处罚法》第二十条", "starts_on": "2025-01-01",
         "ends_on": "", "item_codes": "A-1，A-3"},
    )  # fmt: skip
    assert response.status_code == 302
    delegation = Delegation.objects.get()
    assert sorted(delegation.items.values_list("code", flat=True)) == ["A-1", "A-3"]


def test_unknown_item_codes_are_named_and_nothing_is_saved(agency_a, organisation, city_supervisor):
    response = client_for(city_supervisor).post(
        NEW,
        {"delegating_agency": agency_a.pk, "delegated_organisation": organisation.pk,
         "basis": "依据", "starts_on": "2025-01-01", "item_codes": "NOPE-1"},
    )  # fmt: skip
    assert "委托机关没有这些事项：NOPE-1" in response.content.decode()
    assert not Delegation.objects.exists()


def test_a_forged_agency_of_another_city_is_refused(agency_b, organisation, city_supervisor):
    """Forged ids: agency B is not among the supervisor's choices; nothing is saved."""
    response = client_for(city_supervisor).post(
        NEW,
        {"delegating_agency": agency_b.pk, "delegated_organisation": organisation.pk,
         "basis": "依据", "starts_on": "2025-01-01"},
    )  # fmt: skip
    assert response.status_code == 400
    assert not Delegation.objects.exists()


def test_the_delegation_form_is_refused_to_staff_and_the_public(
    inspector_a, outsider_b, public_client
):
    assert client_for(inspector_a).get(NEW).status_code == 403
    assert client_for(outsider_b).get(NEW).status_code == 403
    assert public_client.get(NEW).status_code == 302
