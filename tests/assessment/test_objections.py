"""R21: the officer's objection to a published result — only the officer, once, until the end
of the due day (Asia/Shanghai) — decided with reasons by a supervisor in scope."""

from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from assessment.models import CycleEvent, Grade, Objection
from assessment.services.objections import objection_decide, objection_file

from .officer_world import officer_with_login, pending_objection, published, result_for

DUE = date(2026, 10, 10)  # a 调休 Saturday, a working day


@pytest.fixture
def officer(agency_a):
    return officer_with_login(agency_a)


@pytest.fixture
def result(cycle_2026, officer):
    return published(cycle_2026, officer, due=DUE, total="58")


def _now(monkeypatch, day, hour, minute=0):
    moment = datetime.combine(day, time(hour, minute), timezone.get_default_timezone())
    monkeypatch.setattr(timezone, "now", lambda: moment)


def test_the_officer_objects_on_the_last_day_late_in_the_evening(result, officer, monkeypatch):
    """R21: the period runs to the end of the due day in Asia/Shanghai (23:59 there is 15:59
    UTC)."""
    _now(monkeypatch, DUE, 23, 59)
    objection = objection_file(result=result, reason="案卷评查分数计算有误。", actor=officer.user)
    assert objection.status == Objection.Status.PENDING
    assert result.cycle.events.filter(kind=CycleEvent.Kind.OBJECTION_FILED).exists()


def test_an_objection_after_the_due_day_is_refused(result, officer, monkeypatch):
    _now(monkeypatch, date(2026, 10, 11), 0, 1)
    with pytest.raises(ValidationError, match="异议期限已于 2026-10-10 届满"):
        objection_file(result=result, reason="理由", actor=officer.user)
    assert not Objection.objects.exists()


def test_a_second_objection_is_refused(result, officer, monkeypatch):
    _now(monkeypatch, date(2026, 10, 9), 9)
    objection_file(result=result, reason="第一次。", actor=officer.user)
    with pytest.raises(ValidationError, match="只能提出一次"):
        objection_file(result=result, reason="第二次。", actor=officer.user)
    assert Objection.objects.count() == 1


@pytest.mark.parametrize("who", ["inspector_a", "legal_office_a", "city_supervisor", "outsider_b"])
def test_nobody_but_the_officer_may_object(result, monkeypatch, request, who):
    _now(monkeypatch, date(2026, 10, 9), 9)
    with pytest.raises(PermissionDenied, match="本人"):
        objection_file(result=result, reason="理由", actor=request.getfixturevalue(who))
    assert not Objection.objects.exists()


def test_an_unpublished_result_cannot_be_objected_to(cycle_2026, agency_a):
    me = officer_with_login(agency_a, username="officer_b", name="钱执法")
    draft = result_for(cycle_2026, me)
    with pytest.raises(ValidationError, match="尚未公布"):
        objection_file(result=draft, reason="理由", actor=me.user)


@pytest.mark.parametrize("reason", ["", "   ", "=cmd|' /C calc'!A0", "<script>x</script>"])
def test_an_objection_needs_a_clean_reason(result, officer, monkeypatch, reason):
    _now(monkeypatch, date(2026, 10, 9), 9)
    with pytest.raises(ValidationError):
        objection_file(result=result, reason=reason, actor=officer.user)
    assert not Objection.objects.exists()


def test_upheld_with_a_revised_total_regrades_the_result_and_keeps_the_old(
    result, officer, city_supervisor
):
    """R21: 58 (不合格) revised to 72.5 (合格); the history keeps 58."""
    objection = pending_objection(result, officer.user)
    objection_decide(
        objection=objection,
        upheld=True,
        reason="复核案卷评查分数，原计算遗漏一件案卷。",
        revised_total="72.5",
        actor=city_supervisor,
    )
    result.refresh_from_db()
    assert (result.total, result.grade) == (Decimal("72.5"), Grade.QUALIFIED)
    assert Decimal("58") in set(result.history.values_list("total", flat=True))
    objection.refresh_from_db()
    assert objection.status == Objection.Status.UPHELD and objection.decided_by == city_supervisor
    event = result.cycle.events.get(kind=CycleEvent.Kind.OBJECTION_DECIDED)
    assert "72.5" in event.note


def test_a_rejection_keeps_the_result(result, officer, city_supervisor):
    objection = pending_objection(result, officer.user)
    objection_decide(objection=objection, upheld=False, reason="计算无误。", actor=city_supervisor)
    result.refresh_from_db()
    assert result.total == Decimal("58")


@pytest.mark.parametrize(
    "upheld, reason, revised, message",
    [
        (True, "", None, "处理理由"),
        (False, "   ", None, "处理理由"),
        (False, "理由", "70", "异议不成立时不能修改总分"),
        (True, "理由", "101", "0 至 100"),
        (True, "理由", "abc", "0 至 100"),
        ("yes", "理由", None, "是否成立"),
    ],
)
def test_a_decision_without_reasons_or_with_a_bad_total_is_refused(
    result, officer, city_supervisor, upheld, reason, revised, message
):
    objection = pending_objection(result, officer.user)
    with pytest.raises(ValidationError, match=message):
        objection_decide(
            objection=objection,
            upheld=upheld,
            reason=reason,
            revised_total=revised,
            actor=city_supervisor,
        )
    objection.refresh_from_db()
    assert objection.status == Objection.Status.PENDING


def test_a_decision_is_taken_once_and_only_by_a_supervisor_in_scope(
    result, officer, city_supervisor, legal_office_a, outsider_b
):
    objection = pending_objection(result, officer.user)
    for actor in (legal_office_a, outsider_b):
        with pytest.raises(PermissionDenied):
            objection_decide(objection=objection, upheld=False, reason="理由", actor=actor)
    objection_decide(objection=objection, upheld=False, reason="理由", actor=city_supervisor)
    with pytest.raises(ValidationError, match="已经处理"):
        objection_decide(objection=objection, upheld=True, reason="理由", actor=city_supervisor)


# --- the pages and the API -----------------------------------------------------------------------

from django.urls import reverse  # noqa: E402

from tests.conftest import client_for  # noqa: E402


def test_the_officer_sees_my_results_with_the_composition_due_date_and_form(
    result, officer, monkeypatch
):
    """R21: 我的考核结果 — how the score was reached, the grade, the due date, the form."""
    _now(monkeypatch, date(2026, 10, 9), 9)
    page = client_for(officer.user).get(reverse("assessment:my-officer-results"))
    text = page.content.decode()
    assert page.status_code == 200
    for expected in (
        "我的考核结果",
        "日常考核得分",
        "专项考核得分",
        "不合格",
        "2026-10-10",
        "提出异议",
    ):
        assert expected in text


def test_the_officer_objects_from_the_page_and_a_late_one_is_refused(result, officer, monkeypatch):
    client = client_for(officer.user)
    url = reverse("assessment:objection-file", args=[result.pk])
    _now(monkeypatch, date(2026, 10, 11), 8)
    late = client.post(url, {"reason": "分数有误。"})
    assert late.status_code == 400 and "届满" in late.content.decode()
    _now(monkeypatch, date(2026, 10, 10), 8)
    assert client.post(url, {"reason": "分数有误。"}).status_code == 302
    assert Objection.objects.get().filed_by == officer.user


def test_someone_elses_result_cannot_be_objected_to_from_the_page(result, inspector_a, monkeypatch):
    _now(monkeypatch, date(2026, 10, 9), 9)
    response = client_for(inspector_a).post(
        reverse("assessment:objection-file", args=[result.pk]), {"reason": "理由"}
    )
    assert response.status_code == 404
    assert not Objection.objects.exists()


def test_the_officer_objects_through_the_api(result, officer, monkeypatch):
    _now(monkeypatch, date(2026, 10, 9), 9)
    client = client_for(officer.user)
    url = reverse("api:assessment-objections")
    created = client.post(
        url, {"result": result.pk, "reason": "分数有误。"}, content_type="application/json"
    )
    assert created.status_code == 201 and created.json()["status"] == "pending"
    again = client.post(
        url, {"result": result.pk, "reason": "再次。"}, content_type="application/json"
    )
    assert again.status_code == 400 and "只能提出一次" in str(again.json())
    mine = client.get(url).json()
    assert [row["id"] for row in mine["results"]] == [created.json()["id"]]


@pytest.mark.parametrize(
    "body",
    [
        {"result": "RESULT", "reason": "理由"},
        {"result": True, "reason": "理由"},
        {"result": 1.5, "reason": "理由"},
        {"result": "PK", "reason": 123},
        {"result": "PK", "reason": ["理由"]},
        {"result": "PK"},
        {"result": "PK", "reason": "=cmd|' /C calc'!A0"},
    ],
)
def test_json_of_the_wrong_type_is_refused_in_chinese(result, officer, monkeypatch, body):
    _now(monkeypatch, date(2026, 10, 9), 9)
    body = {
        k: (str(result.pk) if v == "RESULT" else result.pk if v == "PK" else v)
        for k, v in body.items()
    }
    response = client_for(officer.user).post(
        reverse("api:assessment-objections"), body, content_type="application/json"
    )
    assert response.status_code == 400
    text = str(response.json())
    assert any("\u4e00" <= ch <= "\u9fff" for ch in text), text
    assert "valid" not in text and "required" not in text
    assert not Objection.objects.exists()


def test_a_forged_or_foreign_result_id_is_a_404_through_the_api(
    result, inspector_a, officer, agency_a
):
    colleague = officer_with_login(agency_a, username="officer_colleague", name="吴执法")
    for user, pk in ((officer.user, 999999), (colleague.user, result.pk)):
        response = client_for(user).post(
            reverse("api:assessment-objections"),
            {"result": pk, "reason": "理由"},
            content_type="application/json",
        )
        assert response.status_code == 404
        assert "考核结果" in response.json()["detail"]
    stranger = client_for(inspector_a).post(
        reverse("api:assessment-objections"),
        {"result": result.pk, "reason": "理由"},
        content_type="application/json",
    )
    assert stranger.status_code == 403 and "本人" in stranger.json()["detail"]
    assert not Objection.objects.exists()


def _pending(cycle, agency, count, start=0):
    for n in range(start, start + count):
        me = officer_with_login(agency, username=f"officer_q{n}", name=f"周{n}")
        pending_objection(published(cycle, me, due=DUE), me.user)


def test_the_queue_shows_pending_objections_in_constant_queries(
    cycle_2026, agency_a, city_supervisor, django_assert_max_num_queries
):
    """R21: the supervisor's queue; its queries do not grow with the objections."""
    _pending(cycle_2026, agency_a, 2)
    client = client_for(city_supervisor)
    url = reverse("assessment:officer-queue")
    with django_assert_max_num_queries(12):
        assert client.get(url).status_code == 200
    _pending(cycle_2026, agency_a, 12, start=2)
    with django_assert_max_num_queries(12):
        page = client.get(url)
    assert page.content.decode().count("/assessment/objections/") == 14
    api = reverse("api:assessment-objections")
    with django_assert_max_num_queries(10):
        assert client.get(api, {"status": "pending"}).json()["count"] == 14
    assert client.get(api, {"status": "odd"}).status_code == 400


def test_outsider_b_sees_no_objection_of_agency_a(result, officer, outsider_b):
    objection = pending_objection(result, officer.user)
    client = client_for(outsider_b)
    assert client.get(reverse("assessment:objection", args=[objection.pk])).status_code == 403
    assert client.get(reverse("api:assessment-objections")).json()["count"] == 0
    assert client.get(reverse("assessment:officer-queue")).status_code == 403


def test_the_supervisor_decides_from_the_page_and_reasons_are_required(
    result, officer, city_supervisor
):
    objection = pending_objection(result, officer.user)
    client = client_for(city_supervisor)
    url = reverse("assessment:objection", args=[objection.pk])
    refused = client.post(url, {"upheld": "yes", "reason": "", "revised_total": "70"})
    assert refused.status_code == 400
    done = client.post(url, {"upheld": "yes", "reason": "复核改分。", "revised_total": "70"})
    assert done.status_code == 302
    result.refresh_from_db()
    assert result.total == Decimal("70")


def test_the_objection_page_of_another_region_is_a_404(
    cycle_2026, city_b, city_supervisor, agency_b
):
    elsewhere = cycle_2026.__class__.objects.create(
        region=city_b, year=2026, opened_by=city_supervisor
    )
    me = officer_with_login(agency_b, username="officer_far")
    objection = pending_objection(published(elsewhere, me, due=DUE), me.user)
    response = client_for(city_supervisor).get(reverse("assessment:objection", args=[objection.pk]))
    assert response.status_code == 404


def test_the_due_day_ends_at_midnight_in_shanghai_whatever_the_servers_zone(
    result, officer, monkeypatch, settings
):
    """R21: 00:30 on 11 October in Shanghai is still 10 October in UTC: refused all the same."""
    from datetime import UTC

    settings.TIME_ZONE = "UTC"
    moment = datetime(2026, 10, 10, 16, 30, tzinfo=UTC)
    monkeypatch.setattr(timezone, "now", lambda: moment)
    with pytest.raises(ValidationError, match="届满"):
        objection_file(result=result, reason="理由", actor=officer.user)
    monkeypatch.setattr(timezone, "now", lambda: datetime(2026, 10, 10, 15, 30, tzinfo=UTC))
    objection_file(result=result, reason="理由", actor=officer.user)
