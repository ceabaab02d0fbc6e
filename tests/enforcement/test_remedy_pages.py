"""The case page's reconsideration and litigation section (R13): staff of the agency, its legal
office and a supervisor over it record outcomes; unfavourable ones carry a flag and a supervisor
screens them; every refusal is shown in Chinese and changes nothing."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from enforcement.models import CaseEvent, RemedyOutcome
from enforcement.services.remedies import remedy_screen
from portal.roles import Role
from portal.services import user_assign_role
from tests.conftest import client_for
from tests.factories import UserFactory

from .test_cases import open_case
from .test_closing import to_stage
from .test_remedies import record

pytestmark = pytest.mark.django_db


@pytest.fixture
def decided(agency_a, item_a, officers_a, inspector_a):
    return to_stage(open_case(agency_a, item_a, officers_a, inspector_a), inspector_a, "service")


@pytest.fixture
def flagged(decided, inspector_a) -> RemedyOutcome:
    return record(decided, inspector_a, outcome="revoked")


@pytest.fixture
def other_city_supervisor(city_b):
    user = UserFactory(username="city_b_supervisor", name="city_b_supervisor")
    return user_assign_role(user=user, role=Role.SUPERVISOR, region=city_b, actor=None)


def form(**overrides) -> dict:
    data = {
        "remedy-kind": "reconsideration",
        "remedy-body": "甲市人民政府",
        "remedy-reference": "甲府复决〔2025〕12号",
        "remedy-decided_on": f"{timezone.localdate():%Y-%m-%d}",
        "remedy-outcome": "revoked",
        "remedy-summary": "认定事实不清，证据不足。",
    }
    return data | overrides


def add_url(case) -> str:
    return reverse("cases:remedy-add", args=[case.pk])


def screen_url(outcome) -> str:
    return reverse("cases:remedy-screen", args=[outcome.pk])


def nothing_recorded() -> bool:
    return not RemedyOutcome.objects.exists()


# --- recording ----------------------------------------------------------------------------------


def test_staff_record_an_unfavourable_outcome_and_it_is_flagged(decided, inspector_a):
    """R13: recorded from the case page; the table shows the flag and that it awaits screening."""
    client = client_for(inspector_a)
    page = client.get(decided.get_absolute_url()).content.decode()
    assert 'id="remedies"' in page and f'action="{add_url(decided)}"' in page
    response = client.post(add_url(decided), form())
    assert response.status_code == 302 and response.url.endswith("#remedies")
    outcome = RemedyOutcome.objects.get()
    assert outcome.needs_screening and outcome.recorded_by == inspector_a
    page = client.get(decided.get_absolute_url()).content.decode()
    assert 'data-flag="unfavourable"' in page and 'data-screening="awaiting"' in page
    assert "甲府复决〔2025〕12号" in page
    assert screen_url(outcome) not in page  # staff do not screen


def test_an_upheld_outcome_carries_no_flag(decided, legal_office_a):
    client = client_for(legal_office_a)
    assert client.post(add_url(decided), form(**{"remedy-outcome": "upheld"})).status_code == 302
    page = client.get(decided.get_absolute_url()).content.decode()
    assert 'data-flag="unfavourable"' not in page and "不需要" in page


def test_a_supervisor_records_an_outcome_too(decided, city_supervisor):
    client = client_for(city_supervisor)
    assert f'action="{add_url(decided)}"' in client.get(decided.get_absolute_url()).content.decode()
    assert client.post(add_url(decided), form()).status_code == 302
    assert RemedyOutcome.objects.get().recorded_by == city_supervisor


def test_there_is_no_section_before_the_decision_is_issued(
    agency_a, item_a, officers_a, inspector_a
):
    case = open_case(agency_a, item_a, officers_a, inspector_a)
    client = client_for(inspector_a)
    assert 'id="remedies"' not in client.get(case.get_absolute_url()).content.decode()
    response = client.post(add_url(case), form())
    assert response.status_code == 400
    assert "执法决定尚未作出，不能录入复议、诉讼结果" in response.content.decode()
    assert nothing_recorded()


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize("bad", ["2025/03/01", "2025-02-30", "明天", ""])
def test_a_malformed_date_is_refused(decided, inspector_a, bad):
    response = client_for(inspector_a).post(add_url(decided), form(**{"remedy-decided_on": bad}))
    assert response.status_code == 400
    page = response.content.decode()
    assert "作出日期格式不正确" in page or "请填写作出日期" in page
    assert nothing_recorded()


def test_a_future_date_is_refused(decided, inspector_a):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    response = client_for(inspector_a).post(
        add_url(decided), form(**{"remedy-decided_on": f"{tomorrow:%Y-%m-%d}"})
    )
    assert response.status_code == 400 and "作出日期不能晚于今天。" in response.content.decode()
    assert nothing_recorded()


def test_a_repeated_reference_is_refused(decided, inspector_a):
    client = client_for(inspector_a)
    assert client.post(add_url(decided), form()).status_code == 302
    response = client.post(add_url(decided), form(**{"remedy-outcome": "upheld"}))
    assert response.status_code == 400
    assert "的行政复议结果已经录入，不能重复录入" in response.content.decode()
    assert RemedyOutcome.objects.count() == 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("remedy-kind", "appeal", "请选择救济途径"),
        ("remedy-outcome", "quashed", "请选择复议或诉讼结果"),
        ("remedy-summary", "   ", "请填写主要理由"),
        ("remedy-body", "", "请填写复议机关或人民法院"),
    ],
)
def test_missing_or_unknown_fields_are_refused(decided, inspector_a, field, value, message):
    response = client_for(inspector_a).post(add_url(decided), form(**{field: value}))
    assert response.status_code == 400 and message in response.content.decode()
    assert nothing_recorded()


# --- screening ----------------------------------------------------------------------------------


def test_the_supervisor_screens_from_the_case_page(flagged, city_supervisor):
    """R13: the screening form sits under the flagged outcome; once screened it is gone."""
    client = client_for(city_supervisor)
    page = client.get(flagged.case.get_absolute_url()).content.decode()
    assert f'action="{screen_url(flagged)}"' in page
    response = client.post(
        screen_url(flagged), {f"screen-{flagged.pk}-note": "取证不足，建议问责。"}
    )
    assert response.status_code == 302
    flagged.refresh_from_db()
    assert flagged.screened_by == city_supervisor
    page = client.get(flagged.case.get_absolute_url()).content.decode()
    assert "已筛查" in page and "取证不足，建议问责。" in page
    assert f'action="{screen_url(flagged)}"' not in page


def test_a_screening_without_a_note_is_refused(flagged, city_supervisor):
    response = client_for(city_supervisor).post(
        screen_url(flagged), {f"screen-{flagged.pk}-note": "  "}
    )
    assert response.status_code == 400 and "请填写筛查意见" in response.content.decode()
    flagged.refresh_from_db()
    assert flagged.screened_at is None


def test_a_second_screening_is_refused_and_said_on_the_page(flagged, city_supervisor):
    remedy_screen(outcome=flagged, actor=city_supervisor, note="不予问责。")
    response = client_for(city_supervisor).post(
        screen_url(flagged), {f"screen-{flagged.pk}-note": "改为问责。"}
    )
    assert response.status_code == 400 and "由 city_supervisor 筛查" in response.content.decode()
    flagged.refresh_from_db()
    assert flagged.screening_note == "不予问责。"


def test_an_upheld_outcome_cannot_be_screened_by_a_forged_post(
    decided, inspector_a, city_supervisor
):
    upheld = record(decided, inspector_a, outcome="upheld")
    response = client_for(city_supervisor).post(
        screen_url(upheld), {f"screen-{upheld.pk}-note": "x"}
    )
    assert response.status_code == 400 and "不需要问责筛查" in response.content.decode()
    upheld.refresh_from_db()
    assert upheld.screened_at is None


# --- who may do what ----------------------------------------------------------------------------


def test_the_inspector_may_record_but_not_screen(flagged, inspector_a, legal_office_a):
    for user in (inspector_a, legal_office_a):
        response = client_for(user).post(screen_url(flagged), {f"screen-{flagged.pk}-note": "x"})
        assert response.status_code == 403
    flagged.refresh_from_db()
    assert flagged.screened_at is None


def test_the_outsider_is_refused_everywhere(flagged, outsider_b):
    client = client_for(outsider_b)
    case = flagged.case
    assert client.get(case.get_absolute_url()).status_code == 404
    assert client.post(add_url(case), form(**{"remedy-reference": "新文号"})).status_code == 404
    assert client.post(screen_url(flagged), {f"screen-{flagged.pk}-note": "x"}).status_code == 403
    assert RemedyOutcome.objects.count() == 1
    flagged.refresh_from_db()
    assert flagged.screened_at is None


def test_another_citys_supervisor_sees_nothing(flagged, other_city_supervisor):
    client = client_for(other_city_supervisor)
    assert client.post(add_url(flagged.case), form(**{"remedy-reference": "新"})).status_code == 404
    assert client.post(screen_url(flagged), {f"screen-{flagged.pk}-note": "x"}).status_code == 404
    assert RemedyOutcome.objects.count() == 1


def test_the_administrator_reads_but_neither_records_nor_screens(flagged, sysadmin):
    client = client_for(sysadmin)
    page = client.get(flagged.case.get_absolute_url()).content.decode()
    assert 'data-flag="unfavourable"' in page
    assert add_url(flagged.case) not in page and screen_url(flagged) not in page
    assert client.post(add_url(flagged.case), form(**{"remedy-reference": "新"})).status_code == 403
    assert client.post(screen_url(flagged), {f"screen-{flagged.pk}-note": "x"}).status_code == 403


def test_the_public_is_sent_to_log_in(flagged, public_client):
    for url in (add_url(flagged.case), screen_url(flagged)):
        response = public_client.post(url, {})
        assert response.status_code == 302 and "/accounts/login/" in response.url
    assert RemedyOutcome.objects.count() == 1


def test_forged_ids_are_not_found(flagged, city_supervisor, inspector_a):
    assert (
        client_for(inspector_a).post(reverse("cases:remedy-add", args=[999999]), form()).status_code
        == 404
    )
    missing = reverse("cases:remedy-screen", args=[999999])
    assert client_for(city_supervisor).post(missing, {"screen-999999-note": "x"}).status_code == 404


def test_the_writes_are_posts(flagged, city_supervisor):
    client = client_for(city_supervisor)
    assert client.get(add_url(flagged.case)).status_code == 405
    assert client.get(screen_url(flagged)).status_code == 405


def test_the_timeline_shows_the_record_and_the_screening(flagged, city_supervisor):
    remedy_screen(outcome=flagged, actor=city_supervisor, note="不予问责。")
    page = client_for(city_supervisor).get(flagged.case.get_absolute_url()).content.decode()
    assert str(CaseEvent.Kind.REMEDY_RECORDED.label) in page
    assert str(CaseEvent.Kind.SCREENED.label) in page


# --- query counts --------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 6])
@pytest.mark.parametrize("who", ["city_supervisor", "inspector_a"])
def test_the_case_page_stays_constant_in_queries(
    request, count, who, decided, inspector_a, django_assert_max_num_queries
):
    for n in range(count):
        record(decided, inspector_a, reference=f"甲府复决〔2025〕{n}号")
    client = client_for(request.getfixturevalue(who))
    with django_assert_max_num_queries(20):
        response = client.get(decided.get_absolute_url())
    assert response.content.decode().count('data-flag="unfavourable"') == count


# --- the admin (read-only, scoped) ---------------------------------------------------------------


def test_the_admin_lists_outcomes_read_only_within_the_region(
    flagged, city_supervisor, other_city_supervisor
):
    changelist = reverse("admin:enforcement_remedyoutcome_changelist")
    change = reverse("admin:enforcement_remedyoutcome_change", args=[flagged.pk])
    client = client_for(city_supervisor)
    assert flagged.reference in client.get(changelist).content.decode()
    assert client.get(reverse("admin:enforcement_remedyoutcome_add")).status_code == 403
    assert client.post(change, {"screening_note": "x"}).status_code == 403
    other = client_for(other_city_supervisor)
    assert flagged.reference not in other.get(changelist).content.decode()
    assert other.get(change).status_code in (302, 403, 404)
    flagged.refresh_from_db()
    assert flagged.screened_at is None
