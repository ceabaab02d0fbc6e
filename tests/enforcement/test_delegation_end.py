"""R4: a delegation that ends, cleared by a supervisor or expired at its end date, leaves every
public page at once: the published copies that name it are refreshed, with an entry in each
item's public history. Expiry is a daily job with the same effects as clearing, including the
withdrawal of the certificates of officers who enforce only under it."""

from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.timezone import localdate

from enforcement.models import Agency, Delegation, Officer, PowerItemEvent, PublishedPowerItem
from enforcement.services import power_items as services
from enforcement.services.delegations import (
    delegation_clear,
    delegation_create,
    delegations_expire,
)
from enforcement.tasks import expire_delegations
from tests.factories import AgencyFactory, OfficerFactory

from .staff_factories import make_draft

pytestmark = pytest.mark.django_db

TODAY = localdate()


@pytest.fixture
def organisation(city_a):
    return AgencyFactory(name="甲市食品安全检查中心", region=city_a, kind=Agency.Kind.DELEGATED)


def delegated_and_published(agency, organisation, staff, legal, supervisor, *, ends_on=None):
    """A delegation and an item published under it, through the services."""
    item = make_draft(agency, staff, name="食品经营者日常监督检查", category="inspection")
    delegation = delegation_create(
        delegating_agency=agency, delegated_organisation=organisation,
        basis="《中华人民共和国行政处罚法》第二十条", starts_on=date(2025, 1, 1),
        ends_on=ends_on, actor=supervisor, items=[item],
    )  # fmt: skip
    services.power_item_submit(item=item, actor=staff)
    services.power_item_pass(item=item, actor=legal)
    services.power_item_publish(item=item, actor=supervisor)
    item.refresh_from_db()
    return delegation, item


def _public_pages(client, item, agency) -> str:
    copy = PublishedPowerItem.objects.get(item=item)
    pages = [
        reverse("enforcement:public-item", args=[copy.pk]),
        reverse("enforcement:public-agency", args=[agency.pk]),
        reverse("enforcement:public-index") + "?q=监督检查",
    ]
    return "".join(client.get(url).content.decode() for url in pages)


def test_clearing_takes_the_organisation_off_every_public_page_at_once(
    agency_a,
    organisation,
    inspector_a,
    legal_office_a,
    city_supervisor,
    public_client,
    django_capture_on_commit_callbacks,
):
    """R4: no republication needed; the public history says why."""
    delegation, item = delegated_and_published(
        agency_a, organisation, inspector_a, legal_office_a, city_supervisor
    )
    assert "甲市食品安全检查中心" in _public_pages(public_client, item, agency_a)  # now cached
    with django_capture_on_commit_callbacks(execute=True):
        delegation_clear(
            delegation=delegation, reason="受委托组织不具备法定条件", actor=city_supervisor
        )
    html = _public_pages(public_client, item, agency_a)
    assert "甲市食品安全检查中心" not in html
    assert "委托执法已清理：受委托组织不具备法定条件" in html  # the item's public history
    copy = PublishedPowerItem.objects.get(item=item)
    assert (copy.delegation, copy.named_delegation) == (None, None)
    event = item.timeline.last()
    assert (event.kind, event.public, event.actor) == (
        PowerItemEvent.Kind.DELEGATION_ENDED,
        True,
        city_supervisor,
    )
    item.refresh_from_db()
    assert (item.delegation, item.has_unpublished_changes) == (None, False)


def test_a_published_copy_naming_it_is_refreshed_even_while_a_revision_dropped_it(
    agency_a, organisation, inspector_a, legal_office_a, city_supervisor
):
    """R4: the working copy no longer names the delegation, the public one still did."""
    delegation, item = delegated_and_published(
        agency_a, organisation, inspector_a, legal_office_a, city_supervisor
    )
    services.power_item_update(item=item, actor=inspector_a, data={"delegation": None})
    delegation_clear(delegation=delegation, reason="超出委托范围", actor=city_supervisor)
    assert PublishedPowerItem.objects.get(item=item).delegation is None
    assert item.timeline.filter(kind=PowerItemEvent.Kind.DELEGATION_ENDED, public=True).exists()


def test_a_delegation_past_its_end_date_expires_with_the_effects_of_clearing(
    agency_a,
    organisation,
    inspector_a,
    legal_office_a,
    city_supervisor,
    public_client,
    django_capture_on_commit_callbacks,
):
    """R4: the day after its last day, the daily job ends it: off the public pages, in the
    items' public history, and the certificates of officers enforcing only under it withdrawn
    (with the reason and the date, in their history)."""
    last_day = TODAY - timedelta(days=1)
    delegation, item = delegated_and_published(
        agency_a, organisation, inspector_a, legal_office_a, city_supervisor, ends_on=last_day
    )
    officer = OfficerFactory(agency=organisation)
    assert "甲市食品安全检查中心" in _public_pages(public_client, item, agency_a)
    with django_capture_on_commit_callbacks(execute=True):
        assert delegations_expire(today=TODAY) == 1
    delegation.refresh_from_db()
    assert delegation.status == Delegation.Status.EXPIRED
    html = _public_pages(public_client, item, agency_a)
    assert "甲市食品安全检查中心" not in html
    assert f"委托期限已于 {last_day:%Y-%m-%d} 届满" in html
    officer.refresh_from_db()
    assert officer.certificate_status == Officer.CertificateStatus.WITHDRAWN
    assert officer.status_date == TODAY and "期限届满" in officer.status_reason
    assert officer.history.first().certificate_status == Officer.CertificateStatus.WITHDRAWN
    assert delegations_expire(today=TODAY) == 0  # idempotent
    assert item.timeline.filter(kind=PowerItemEvent.Kind.DELEGATION_ENDED).count() == 1


def test_a_delegation_is_in_force_through_its_last_day(agency_a, organisation, city_supervisor):
    delegation = delegation_create(
        delegating_agency=agency_a, delegated_organisation=organisation, basis="委托书",
        starts_on=date(2025, 1, 1), ends_on=TODAY, actor=city_supervisor,
    )  # fmt: skip
    officer = OfficerFactory(agency=organisation)
    assert delegations_expire(today=TODAY) == 0
    delegation.refresh_from_db(), officer.refresh_from_db()
    assert delegation.status == Delegation.Status.ACTIVE
    assert officer.certificate_status == Officer.CertificateStatus.VALID


def test_officers_still_delegated_elsewhere_keep_their_certificates_on_expiry(
    agency_a, county_agency_a, organisation, city_supervisor
):
    delegation_create(
        delegating_agency=agency_a, delegated_organisation=organisation, basis="委托书",
        starts_on=date(2025, 1, 1), ends_on=TODAY - timedelta(days=5), actor=city_supervisor,
    )  # fmt: skip
    delegation_create(
        delegating_agency=county_agency_a, delegated_organisation=organisation, basis="另一委托",
        starts_on=date(2025, 1, 1), actor=city_supervisor,
    )  # fmt: skip
    officer = OfficerFactory(agency=organisation)
    assert delegations_expire(today=TODAY) == 1
    officer.refresh_from_db()
    assert officer.certificate_status == Officer.CertificateStatus.VALID


def test_two_lapsed_delegations_of_one_organisation_end_both_and_its_certificates(
    agency_a, county_agency_a, organisation, city_supervisor
):
    """A delegation past its end is no 'other delegation' that keeps the certificates."""
    for agency in (agency_a, county_agency_a):
        delegation_create(
            delegating_agency=agency, delegated_organisation=organisation, basis="委托书",
            starts_on=date(2025, 1, 1), ends_on=TODAY - timedelta(days=2), actor=city_supervisor,
        )  # fmt: skip
    officer = OfficerFactory(agency=organisation)
    assert delegations_expire(today=TODAY) == 2
    officer.refresh_from_db()
    assert officer.certificate_status == Officer.CertificateStatus.WITHDRAWN


def test_an_expired_delegation_is_not_cleared_again(agency_a, organisation, city_supervisor):
    delegation = delegation_create(
        delegating_agency=agency_a, delegated_organisation=organisation, basis="委托书",
        starts_on=date(2025, 1, 1), ends_on=TODAY - timedelta(days=1), actor=city_supervisor,
    )  # fmt: skip
    delegations_expire(today=TODAY)
    with pytest.raises(ValidationError, match="已到期终止"):
        delegation_clear(delegation=delegation, reason="理由", actor=city_supervisor)


def test_the_daily_job_is_a_registered_task_on_the_beat_schedule(
    agency_a, organisation, city_supervisor
):
    """R4: the beat entry names the task by its dotted name; a typo would fail silently."""
    from portal.celery import app

    names = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "enforcement.tasks.expire_delegations" in names
    assert "enforcement.tasks.expire_delegations" in app.tasks
    delegation_create(
        delegating_agency=agency_a, delegated_organisation=organisation, basis="委托书",
        starts_on=date(2025, 1, 1), ends_on=TODAY - timedelta(days=1), actor=city_supervisor,
    )  # fmt: skip
    assert expire_delegations.apply().get() == 1
    assert Delegation.objects.get().status == Delegation.Status.EXPIRED
