"""R2: a new law (立) has no item citing it yet; it reaches the agencies of the enforcement
domains it governs, each with a revision task due one month after the law's publication,
reminded and escalated like the others, done when the agency publishes an item citing the law
(or closed by a supervisor with a reason). And every change is dated between its basis's
publication and today."""

from datetime import date, timedelta

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.timezone import localdate

from enforcement.models import Agency, BasisChange, EnforcementDomain, LegalBasis, RevisionTask
from enforcement.services import power_items
from enforcement.services.bases import basis_change_record, legal_basis_create, legal_basis_update
from enforcement.services.power_items import BasisLink
from enforcement.services.revisions import revision_task_close, revision_tasks_sweep
from tests.conftest import client_for
from tests.factories import AgencyFactory
from workdays.deadlines import add_months

from .staff_factories import item_data

pytestmark = pytest.mark.django_db

TASKS = reverse("enforcement:revision_task_list")
CHANGE = reverse("enforcement:change_record")
PUBLISHED = date(2026, 11, 20)


@pytest.fixture
def market(agency_a, county_agency_a):
    domain = EnforcementDomain.objects.create(name="市场监管")
    agency_a.domains.add(domain)
    county_agency_a.domains.add(domain)
    return domain


@pytest.fixture
def environment(agency_b):
    domain = EnforcementDomain.objects.create(name="生态环境")
    agency_b.domains.add(domain)
    return domain


@pytest.fixture
def new_law(city_supervisor, market):
    return legal_basis_create(
        actor=city_supervisor,
        title="测试省食品小作坊管理条例",
        issuer="测试省人民代表大会常务委员会",
        document_number="测试省人大常委会公告第31号",
        level=LegalBasis.Level.LOCAL_REGULATION,
        published_on=PUBLISHED,
        effective_on=date(2027, 3, 1),
        domains=[market],
    )


def enact(basis, actor, published_on=None) -> BasisChange:
    return basis_change_record(
        kind=BasisChange.Kind.ENACTED,
        basis=basis,
        published_on=published_on,
        summary="新制定",
        actor=actor,
    )


def test_a_new_law_opens_a_task_for_each_agency_of_its_domains(
    new_law, city_supervisor, agency_a, county_agency_a, agency_b, environment, city_a
):
    """R2: the enactment reaches every agency of the law's domains (not another domain's, nor a
    delegated organisation, which has no list of its own), due one month after publication."""
    organisation = AgencyFactory(region=city_a, kind=Agency.Kind.DELEGATED)
    organisation.domains.add(new_law.domains.get())
    change = enact(new_law, city_supervisor)
    tasks = RevisionTask.objects.filter(change=change)
    assert {t.agency_id for t in tasks} == {agency_a.pk, county_agency_a.pk}
    due = add_months(start=PUBLISHED, months=1)
    assert {(t.item_id, t.due_on, t.due_provisional) for t in tasks} == {
        (None, due.deadline, due.provisional)
    }
    assert change.published_on == PUBLISHED  # an enactment is dated by its law


def test_an_enactment_is_recorded_once(new_law, city_supervisor):
    enact(new_law, city_supervisor)
    with pytest.raises(ValidationError, match="制定已经登记"):
        enact(new_law, city_supervisor)
    assert RevisionTask.objects.count() == 2


def test_an_enactment_dated_otherwise_than_its_law_is_refused_naming_both_dates(
    new_law, city_supervisor
):
    with pytest.raises(ValidationError) as refused:
        enact(new_law, city_supervisor, published_on=PUBLISHED + timedelta(days=3))
    assert "2026-11-20" in str(refused.value) and "2026-11-23" in str(refused.value)
    assert not BasisChange.objects.exists() and not RevisionTask.objects.exists()


def test_a_domain_added_after_the_enactment_reaches_its_agencies_once(
    new_law, city_supervisor, agency_a, agency_b, environment
):
    """R2: idempotent, one task per agency and change."""
    change = enact(new_law, city_supervisor)
    legal_basis_update(
        basis=new_law, actor=city_supervisor, domains=[*new_law.domains.all(), environment]
    )
    legal_basis_update(basis=new_law, actor=city_supervisor, domains=new_law.domains.all())
    assert change.revision_tasks.filter(agency=agency_b).count() == 1
    assert change.revision_tasks.filter(agency=agency_a).count() == 1


def test_publishing_an_item_citing_the_law_closes_the_agencys_task(
    new_law, city_supervisor, agency_a, county_agency_a, inspector_a, legal_office_a
):
    """R2: the agency added or adjusted an item under the new law and published it."""
    change = enact(new_law, city_supervisor)
    other = legal_basis_create(
        actor=city_supervisor, title="另一部法", issuer="某机关", level="law",
        published_on=date(2020, 1, 1),
    )  # fmt: skip
    unrelated = power_items.power_item_create(
        agency=agency_a, actor=inspector_a, data=item_data(code="U-1"),
        bases=[BasisLink(basis=other)],
    )  # fmt: skip
    citing = power_items.power_item_create(
        agency=agency_a, actor=inspector_a, data=item_data(code="N-1"),
        bases=[BasisLink(basis=new_law, articles="第十条")],
    )  # fmt: skip
    for item in (unrelated, citing):
        power_items.power_item_submit(item=item, actor=inspector_a)
        power_items.power_item_pass(item=item, actor=legal_office_a)
    power_items.power_item_publish(item=unrelated, actor=city_supervisor)
    task = change.revision_tasks.get(agency=agency_a)
    assert task.status == RevisionTask.Status.OPEN
    power_items.power_item_publish(item=citing, actor=city_supervisor)
    task.refresh_from_db()
    assert task.status == RevisionTask.Status.CLOSED and "N-1" in task.closing_note
    assert change.revision_tasks.get(agency=county_agency_a).status == RevisionTask.Status.OPEN


def test_a_new_laws_task_is_reminded_and_escalated_like_the_others(
    new_law, city_supervisor, agency_a, inspector_a
):
    """R2: the daily sweep reminds the agency's staff, then escalates to the supervisors."""
    change = enact(new_law, city_supervisor)
    task = change.revision_tasks.get(agency=agency_a)
    result = revision_tasks_sweep(today=task.due_on - timedelta(days=1))
    assert result["reminded"] >= 1
    reminder = next(m for m in mail.outbox if inspector_a.email in m.to)
    assert agency_a.name in reminder.subject and "增补或调整" in reminder.body
    mail.outbox.clear()
    result = revision_tasks_sweep(today=task.due_on + timedelta(days=1))
    assert result["escalated"] >= 1
    escalation = next(m for m in mail.outbox if "逾期" in m.subject)
    assert city_supervisor.email in escalation.to and agency_a.name in escalation.body


def test_a_supervisor_closes_a_new_laws_task_with_a_reason(
    new_law, city_supervisor, agency_a, inspector_a
):
    change = enact(new_law, city_supervisor)
    task = change.revision_tasks.get(agency=agency_a)
    url = reverse("enforcement:revision_task_close", args=[task.pk])
    assert client_for(inspector_a).post(url, {"reason": "无关"}).status_code == 403
    response = client_for(city_supervisor).post(url, {"reason": ""})
    assert response.status_code == 400 and "必须写明理由" in response.content.decode()
    response = client_for(city_supervisor).post(url, {"reason": "本级无食品小作坊登记职责"})
    assert response.status_code == 302
    task.refresh_from_db()
    assert (task.status, task.closing_note, task.closed_by) == (
        RevisionTask.Status.CLOSED,
        "本级无食品小作坊登记职责",
        city_supervisor,
    )


def test_an_items_task_is_not_closed_by_hand(city_supervisor, agency_a, inspector_a):
    """R2: an item's task closes only with its republication or an approved withdrawal."""
    basis = legal_basis_create(
        actor=city_supervisor, title="某法", issuer="某机关", level="law",
        published_on=date(2020, 1, 1),
    )  # fmt: skip
    power_items.power_item_create(
        agency=agency_a, actor=inspector_a, data=item_data(), bases=[BasisLink(basis=basis)]
    )
    change = basis_change_record(
        kind="amended", basis=basis, published_on=date(2026, 11, 2), summary="修改",
        actor=city_supervisor,
    )  # fmt: skip
    task = change.revision_tasks.get()
    with pytest.raises(ValidationError, match="不能直接关闭"):
        revision_task_close(task=task, actor=city_supervisor, reason="不需要")
    url = reverse("enforcement:revision_task_close", args=[task.pk])
    response = client_for(city_supervisor).post(url, {"reason": "不需要"})
    assert response.status_code == 400 and "不能直接关闭" in response.content.decode()
    task.refresh_from_db()
    assert task.status == RevisionTask.Status.OPEN


def test_another_citys_supervisor_cannot_close_it(new_law, city_supervisor, agency_a, city_b):
    from portal.roles import Role
    from tests.conftest import _persona

    supervisor_b = _persona("supervisor_b", Role.SUPERVISOR, region=city_b)
    task = enact(new_law, city_supervisor).revision_tasks.get(agency=agency_a)
    url = reverse("enforcement:revision_task_close", args=[task.pk])
    assert client_for(supervisor_b).post(url, {"reason": "伪造"}).status_code == 404
    task.refresh_from_db()
    assert task.status == RevisionTask.Status.OPEN


def test_staff_see_their_new_law_tasks_at_a_fixed_cost(
    new_law, city_supervisor, agency_a, inspector_a, django_assert_max_num_queries, market
):
    enact(new_law, city_supervisor)
    client = client_for(inspector_a)
    client.get(TASKS)
    with django_assert_max_num_queries(12) as few:
        html = client.get(TASKS).content.decode()
    assert "测试省食品小作坊管理条例" in html and "增补或调整本单位的事项" in html
    for n in range(8):
        law = legal_basis_create(
            actor=city_supervisor, title=f"新法{n}", issuer="某机关", level="law",
            published_on=PUBLISHED, domains=[market],
        )  # fmt: skip
        enact(law, city_supervisor)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(TASKS).status_code == 200


def test_a_supervisor_registers_domains_and_an_enactment_through_the_pages(
    city_supervisor, agency_a, county_agency_a, market
):
    """R2 through the pages: the register takes the domains; an enactment needs no date."""
    client = client_for(city_supervisor)
    response = client.post(
        reverse("enforcement:basis_create"),
        {"title": "新法", "issuer": "某机关", "document_number": "1号", "level": "law",
         "published_on": "2026-11-20", "effective_on": "", "status": "in_force",
         "domains": [market.pk]},
    )  # fmt: skip
    assert response.status_code == 302
    basis = LegalBasis.objects.get(title="新法")
    assert list(basis.domains.all()) == [market]
    assert "市场监管" in client.get(reverse("enforcement:basis_list")).content.decode()
    response = client.post(CHANGE, {"kind": "enacted", "basis": basis.pk, "summary": "新制定"})
    assert response.status_code == 302
    assert {t.agency for t in RevisionTask.objects.all()} == {agency_a, county_agency_a}


def test_an_amendment_still_needs_its_date_on_the_page(city_supervisor, new_law):
    response = client_for(city_supervisor).post(
        CHANGE, {"kind": "amended", "basis": new_law.pk, "summary": "修改"}
    )
    assert response.status_code == 400 and "请填写变化的公布日期" in response.content.decode()
    assert not BasisChange.objects.exists()


# --- the dates of a change -------------------------------------------------------------------


def test_a_change_dated_before_its_basis_is_refused_naming_the_dates(city_supervisor, new_law):
    """R2: a basis cannot be amended before it exists; nothing is recorded, no task opened."""
    with pytest.raises(ValidationError) as refused:
        basis_change_record(
            kind="amended", basis=new_law, published_on=date(2026, 11, 1), summary="修改",
            actor=city_supervisor,
        )  # fmt: skip
    message = str(refused.value)
    assert "2026-11-01" in message and "2026-11-20" in message and "早于" in message
    assert not BasisChange.objects.exists() and not RevisionTask.objects.exists()
    new_law.refresh_from_db()
    assert new_law.status == LegalBasis.Status.IN_FORCE


def test_a_change_dated_after_today_is_refused_naming_the_dates(city_supervisor, new_law):
    tomorrow = localdate() + timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        basis_change_record(
            kind="repealed", basis=new_law, published_on=tomorrow, summary="废止",
            actor=city_supervisor,
        )  # fmt: skip
    message = str(refused.value)
    assert f"{tomorrow:%Y-%m-%d}" in message and f"{localdate():%Y-%m-%d}" in message
    assert not BasisChange.objects.exists()
    new_law.refresh_from_db()
    assert new_law.status == LegalBasis.Status.IN_FORCE


def test_the_page_refuses_a_change_before_its_basis_in_chinese(city_supervisor, new_law):
    response = client_for(city_supervisor).post(
        CHANGE,
        {"kind": "interpreted", "basis": new_law.pk, "published_on": "2020-01-01",
         "summary": "解释"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "早于" in response.content.decode() and "2026-11-20" in response.content.decode()
    assert not BasisChange.objects.exists()


def test_a_basis_cannot_be_moved_after_its_recorded_changes(city_supervisor, new_law):
    basis_change_record(
        kind="interpreted", basis=new_law, published_on=date(2026, 11, 25), summary="解释",
        actor=city_supervisor,
    )  # fmt: skip
    with pytest.raises(ValidationError, match="2026-11-25"):
        legal_basis_update(basis=new_law, actor=city_supervisor, published_on=date(2026, 11, 30))
    new_law.refresh_from_db()
    assert new_law.published_on == PUBLISHED
