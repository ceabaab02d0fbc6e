"""The legal-basis register kept by supervisors, and recording a change of basis or of functions
(R2): the register's pages, the refusals, and the revision tasks a change opens."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.timezone import localdate

from enforcement.models import BasisChange, LegalBasis, PowerItem, PowerItemBasis, RevisionTask
from enforcement.services.bases import (
    basis_change_record,
    legal_basis_create,
    legal_basis_update,
)
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

LIST = reverse("enforcement:basis_list")
NEW = reverse("enforcement:basis_create")
CHANGE = reverse("enforcement:change_record")


def make_basis(actor, title="中华人民共和国食品安全法", **extra) -> LegalBasis:
    fields = {
        "title": title,
        "issuer": "全国人民代表大会常务委员会",
        "document_number": extra.pop("document_number", f"主席令{title}"),
        "level": LegalBasis.Level.LAW,
        "published_on": date(2021, 4, 29),
        "effective_on": date(2021, 4, 29),
    }
    return legal_basis_create(actor=actor, **(fields | extra))


def make_item(agency, code, basis=None, status=PowerItem.Status.DRAFT) -> PowerItem:
    item = PowerItem.objects.create(
        agency=agency, code=code, name=f"事项{code}", category="penalty", level="city",
        status=status,
    )  # fmt: skip
    if basis is not None:
        PowerItemBasis.objects.create(item=item, basis=basis, articles="第一条")
    return item


def form_data(**extra) -> dict:
    return {
        "title": "食品经营许可管理办法",
        "issuer": "国家市场监督管理总局",
        "document_number": "总局令第78号",
        "level": "rule",
        "published_on": "2023-06-15",
        "effective_on": "2023-12-01",
        "status": "in_force",
    } | extra


def test_a_supervisor_registers_a_basis_through_the_page(city_supervisor):
    """R2: supervisors keep the register; the new basis is saved with its history."""
    response = client_for(city_supervisor).post(NEW, form_data())
    assert response.status_code == 302
    basis = LegalBasis.objects.get()
    assert basis.title == "食品经营许可管理办法" and basis.effective_on == date(2023, 12, 1)
    assert basis.history.get().history_user == city_supervisor


def test_a_publication_date_in_the_future_is_refused_in_chinese(city_supervisor):
    """Bad input: a basis date in the future gets a clear message and changes nothing."""
    tomorrow = (localdate() + timedelta(days=1)).isoformat()
    response = client_for(city_supervisor).post(NEW, form_data(published_on=tomorrow))
    assert response.status_code == 400
    assert "公布日期不能晚于今天" in response.content.decode()
    assert not LegalBasis.objects.exists()


def test_an_effective_date_before_publication_is_refused_in_chinese(city_supervisor):
    response = client_for(city_supervisor).post(NEW, form_data(effective_on="2023-01-01"))
    assert "施行日期不能早于公布日期" in response.content.decode()
    assert not LegalBasis.objects.exists()


def test_the_service_refuses_the_same_dates_and_leaves_the_basis_unchanged(city_supervisor):
    basis = make_basis(city_supervisor)
    with pytest.raises(ValidationError, match="施行日期不能早于公布日期"):
        legal_basis_update(basis=basis, actor=city_supervisor, effective_on=date(2020, 1, 1))
    basis.refresh_from_db()
    assert basis.effective_on == date(2021, 4, 29)


def test_a_supervisor_edits_a_basis(city_supervisor):
    basis = make_basis(city_supervisor, title="食品经营许可管理办法", **{"level": "rule"})
    url = reverse("enforcement:basis_edit", args=[basis.pk])
    response = client_for(city_supervisor).post(url, form_data(issuer="市场监管总局"))
    assert response.status_code == 302
    basis.refresh_from_db()
    assert basis.issuer == "市场监管总局"


def test_staff_cannot_register_a_basis(inspector_a):
    with pytest.raises(ValidationError, match="只有政府法制监督人员"):
        make_basis(inspector_a)
    assert not LegalBasis.objects.exists()


def test_script_in_a_title_is_refused_with_its_reason(city_supervisor):
    with pytest.raises(ValidationError) as refused:
        make_basis(city_supervisor, title="<script>alert(1)</script>条例")
    assert "不能包含网页代码" in str(refused.value)
    assert not LegalBasis.objects.exists()


def test_the_register_is_searchable_and_escapes_script(city_supervisor):
    """Script that reached a row around the service (an old row, a bulk load) is shown as
    text, never run."""
    scripted = make_basis(city_supervisor, title="条例")
    LegalBasis.objects.filter(pk=scripted.pk).update(title="<script>alert(1)</script>条例")
    make_basis(city_supervisor, title="中华人民共和国广告法")
    body = client_for(city_supervisor).get(LIST, {"q": "script"}).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;条例" in body
    assert "<script>alert(1)" not in body
    assert "广告法" not in body


def test_the_register_costs_the_same_queries_with_more_bases(
    city_supervisor, django_assert_max_num_queries
):
    client = client_for(city_supervisor)
    make_basis(city_supervisor, title="甲法")
    client.get(LIST)
    with django_assert_max_num_queries(8):
        assert client.get(LIST).status_code == 200
    for n in range(30):
        make_basis(city_supervisor, title=f"乙法{n}")
    with django_assert_max_num_queries(8):
        assert client.get(LIST).status_code == 200


@pytest.mark.parametrize("url", [LIST, NEW, CHANGE])
def test_staff_outsiders_and_the_public_are_refused(url, inspector_a, outsider_b, public_client):
    assert client_for(inspector_a).get(url).status_code == 403
    assert client_for(outsider_b).get(url).status_code == 403
    response = public_client.get(url)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_amending_a_basis_opens_a_task_on_every_item_citing_it(city_supervisor, agency_a, agency_b):
    """R2: every affected item gets a revision task due one month after publication (Civil Code
    Art. 202, moved to a working day by Art. 203); the basis is marked amended."""
    basis = make_basis(city_supervisor)
    other = make_basis(city_supervisor, title="中华人民共和国广告法")
    cited_a = make_item(agency_a, "A-1", basis)
    cited_b = make_item(agency_b, "B-1", basis)
    make_item(agency_a, "A-2", other)
    make_item(agency_a, "A-3", basis, status=PowerItem.Status.WITHDRAWN)
    # 2026-01-31 + 1 month → 2026-02-28 (February has no 31st): a Saturday, but made a
    # working day (调休) after the 2026 Spring Festival, so the period ends on it.
    from workdays.deadlines import add_months

    expected = add_months(start=date(2026, 1, 31), months=1)
    assert expected.deadline == date(2026, 2, 28)
    change = basis_change_record(
        kind=BasisChange.Kind.AMENDED,
        basis=basis,
        published_on=date(2026, 1, 31),
        summary="第三十五条修改",
        actor=city_supervisor,
    )
    tasks = RevisionTask.objects.filter(change=change)
    assert {t.item_id for t in tasks} == {cited_a.pk, cited_b.pk}
    assert {(t.due_on, t.due_provisional) for t in tasks} == {
        (expected.deadline, expected.provisional)
    }
    basis.refresh_from_db()
    assert basis.status == LegalBasis.Status.AMENDED
    assert basis.history.first().history_user == city_supervisor


def test_a_due_date_on_a_rest_day_moves_to_the_next_working_day(city_supervisor, agency_a):
    """R2 with Art. 203: 2026-04-04 + 1 month = 2026-05-04, inside the May Day holiday
    (2026-05-01..05), so the task is due on the first working day after it."""
    basis = make_basis(city_supervisor)
    make_item(agency_a, "A-1", basis)
    basis_change_record(
        kind="interpreted", basis=basis, published_on=date(2026, 4, 4), summary="解释",
        actor=city_supervisor,
    )  # fmt: skip
    task = RevisionTask.objects.get()
    assert task.due_on == date(2026, 5, 6)
    assert task.due_provisional is False


def test_repealing_marks_the_basis_repealed(city_supervisor):
    basis = make_basis(city_supervisor)
    basis_change_record(
        kind="repealed", basis=basis, published_on=date(2026, 3, 1), summary="废止",
        actor=city_supervisor,
    )  # fmt: skip
    basis.refresh_from_db()
    assert basis.status == LegalBasis.Status.REPEALED


def test_a_functions_change_opens_tasks_on_all_the_agencys_items(
    city_supervisor, agency_a, county_agency_a
):
    """R2: an agency merged, renamed or whose approvals were cancelled revises its whole list."""
    mine = [make_item(agency_a, f"A-{n}") for n in range(3)]
    make_item(county_agency_a, "C-1")
    change = basis_change_record(
        kind="functions_changed", agency=agency_a, published_on=date(2026, 6, 1),
        summary="机构合并", actor=city_supervisor,
    )  # fmt: skip
    assert {t.item_id for t in change.revision_tasks.all()} == {i.pk for i in mine}


def test_a_functions_change_of_an_agency_outside_the_region_is_refused(city_supervisor, agency_b):
    """Forged ids: a supervisor cannot open tasks on another city's agency."""
    with pytest.raises(ValidationError, match="不在您的监督范围内"):
        basis_change_record(
            kind="functions_changed", agency=agency_b, published_on=date(2026, 6, 1),
            summary="合并", actor=city_supervisor,
        )  # fmt: skip
    assert not BasisChange.objects.exists()


def test_the_change_page_refuses_another_citys_agency(city_supervisor, agency_b):
    response = client_for(city_supervisor).post(
        CHANGE,
        {"kind": "functions_changed", "agency": agency_b.pk, "published_on": "2026-06-01",
         "summary": "合并"},
    )  # fmt: skip
    assert response.status_code == 400
    assert not BasisChange.objects.exists()


def test_the_change_page_says_which_field_is_missing(city_supervisor):
    response = client_for(city_supervisor).post(
        CHANGE, {"kind": "amended", "published_on": "2026-06-01", "summary": "修改"}
    )
    assert "请选择发生变化的执法依据" in response.content.decode()
    assert not BasisChange.objects.exists()


def test_a_change_in_the_future_is_refused(city_supervisor):
    basis = make_basis(city_supervisor)
    with pytest.raises(ValidationError, match="公布日期不能晚于今天"):
        basis_change_record(
            kind="amended", basis=basis, published_on=localdate() + timedelta(days=3),
            summary="修改", actor=city_supervisor,
        )  # fmt: skip
    assert not BasisChange.objects.exists()
    basis.refresh_from_db()
    assert basis.status == LegalBasis.Status.IN_FORCE


def test_recording_through_the_page_opens_the_tasks(city_supervisor, agency_a):
    basis = make_basis(city_supervisor)
    make_item(agency_a, "A-1", basis)
    response = client_for(city_supervisor).post(
        CHANGE,
        {"kind": "amended", "basis": basis.pk, "published_on": "2026-06-01", "summary": "修改"},
    )
    assert response.status_code == 302
    assert RevisionTask.objects.count() == 1


@pytest.mark.parametrize("model", ["legalbasis", "basischange", "revisiontask", "delegation"])
def test_the_admin_shows_the_registers_read_only(model, sysadmin, city_supervisor):
    """Writes go through the services (tasks opened, history kept), so the admin only shows."""
    make_basis(city_supervisor)
    client = client_for(sysadmin)
    assert client.get(reverse(f"admin:enforcement_{model}_changelist")).status_code == 200
    assert client.get(reverse(f"admin:enforcement_{model}_add")).status_code == 403
