"""The pages of case-file review (案卷评查, R20, R21): the checklist form of a closed case, with
how many current records each stage holds beside completeness; the list of reviews in scope with
each agency's count and average; the closed cases still unreviewed."""

import pytest
from django.urls import reverse
from django.utils import timezone

from enforcement.models import CHECKLIST, CaseFileReview
from enforcement.services.file_reviews import case_file_review_record
from portal.roles import Role
from portal.services import user_assign_role
from tests.conftest import client_for
from tests.factories import UserFactory

from .test_closing import archived, closed
from .test_file_reviews import SCORES

pytestmark = pytest.mark.django_db


@pytest.fixture
def closed_case(agency_a, item_a, officers_a, inspector_a):
    return closed(agency_a, item_a, officers_a, inspector_a)


@pytest.fixture
def other_city_supervisor(city_b):
    user = UserFactory(username="city_b_supervisor", name="city_b_supervisor")
    return user_assign_role(user=user, role=Role.SUPERVISOR, region=city_b, actor=None)


def form(findings="卷内目录齐全，证据链完整。", **overrides) -> dict:
    return {name: str(value) for name, value in (SCORES | overrides).items()} | {
        "findings": findings
    }


def url(case) -> str:
    return reverse("cases:file-review", args=[case.pk])


LIST = reverse("cases:file-reviews")


def review(case, actor, **scores) -> CaseFileReview:
    return case_file_review_record(case=case, actor=actor, findings="评查意见", **(SCORES | scores))


# --- the form ------------------------------------------------------------------------------------


def test_the_supervisor_reviews_a_closed_case_through_the_form(closed_case, city_supervisor):
    """案卷评查: the form lists the checklist with its points and each stage's records."""
    client = client_for(city_supervisor)
    page = client.get(url(closed_case)).content.decode()
    for _name, label, points in CHECKLIST:
        assert f"{label}（满分 {points} 分）" in page
    assert "各阶段现有记录（件）：立案 1，调查取证 1，审查决定 1，送达执行 1，结案归档 1" in page
    response = client.post(url(closed_case), form())
    assert response.status_code == 302 and response.url.endswith("#file-reviews")
    saved = CaseFileReview.objects.get()
    assert saved.total == 86 and saved.reviewer == city_supervisor
    page = client.get(closed_case.get_absolute_url()).content.decode()
    assert 'id="file-reviews"' in page and "<strong>86</strong>" in page


@pytest.mark.parametrize(("name", "points"), [(n, p) for n, _label, p in CHECKLIST])
def test_a_score_above_its_points_is_refused(closed_case, city_supervisor, name, points):
    response = client_for(city_supervisor).post(url(closed_case), form(**{name: points + 1}))
    assert response.status_code == 400
    assert f"的得分须为 0 至 {points} 之间的整数。" in response.content.decode()
    assert not CaseFileReview.objects.exists()


@pytest.mark.parametrize("bad", ["-1", "七", "2.5", ""])
def test_a_score_that_is_not_a_whole_number_is_refused(closed_case, city_supervisor, bad):
    response = client_for(city_supervisor).post(url(closed_case), form(evidence=bad))
    page = response.content.decode()
    assert response.status_code == 400
    assert (
        "“证据确实充分”的得分须为 0 至 15 之间的整数。" in page
        or "请填写“证据确实充分”的得分" in page
    )
    assert not CaseFileReview.objects.exists()


def test_findings_are_required(closed_case, city_supervisor):
    response = client_for(city_supervisor).post(url(closed_case), form(findings="  "))
    assert response.status_code == 400 and "请填写评查意见" in response.content.decode()
    assert not CaseFileReview.objects.exists()


def test_a_second_review_by_the_same_supervisor_is_refused(closed_case, city_supervisor):
    client = client_for(city_supervisor)
    assert client.post(url(closed_case), form()).status_code == 302
    response = client.post(url(closed_case), form())
    assert response.status_code == 400 and "您已评查过本案卷" in response.content.decode()
    assert CaseFileReview.objects.count() == 1


def test_an_open_case_has_no_form_and_a_forged_post_is_refused(
    agency_a, item_a, officers_a, inspector_a, city_supervisor
):
    case = archived(agency_a, item_a, officers_a, inspector_a)
    client = client_for(city_supervisor)
    page = client.get(url(case)).content.decode()
    assert "案件结案后才能进行案卷评查" in page and 'id="file-review-form"' not in page
    assert url(case) not in client.get(case.get_absolute_url()).content.decode()
    response = client.post(url(case), form())
    assert response.status_code == 400 and "案件结案后才能进行案卷评查" in response.content.decode()
    assert not CaseFileReview.objects.exists()


def test_the_case_page_links_supervisors_to_the_review(closed_case, city_supervisor, inspector_a):
    assert (
        url(closed_case)
        in client_for(city_supervisor).get(closed_case.get_absolute_url()).content.decode()
    )
    page = client_for(inspector_a).get(closed_case.get_absolute_url()).content.decode()
    assert 'id="file-reviews"' in page and url(closed_case) not in page


# --- who may do what ----------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["inspector_a", "legal_office_a", "outsider_b", "sysadmin"])
def test_only_supervisors_open_the_form(request, closed_case, who):
    """Staff (of the agency or not) and the administrator are refused; nothing is saved."""
    client = client_for(request.getfixturevalue(who))
    assert client.get(url(closed_case)).status_code == 403
    assert client.post(url(closed_case), form()).status_code == 403
    assert not CaseFileReview.objects.exists()


def test_another_citys_supervisor_does_not_find_the_case(closed_case, other_city_supervisor):
    client = client_for(other_city_supervisor)
    assert client.get(url(closed_case)).status_code == 404
    assert client.post(url(closed_case), form()).status_code == 404
    assert closed_case.get_absolute_url() not in client.get(LIST).content.decode()
    assert not CaseFileReview.objects.exists()


def test_a_forged_case_id_is_not_found(city_supervisor):
    missing = reverse("cases:file-review", args=[999999])
    assert client_for(city_supervisor).post(missing, form()).status_code == 404


def test_the_public_is_sent_to_log_in(closed_case, public_client):
    for target in (url(closed_case), LIST):
        response = public_client.get(target)
        assert response.status_code == 302 and "/accounts/login/" in response.url


# --- the list ------------------------------------------------------------------------------------


def test_the_list_shows_reviews_scores_and_unreviewed_cases(
    closed_case, agency_a, item_a, officers_a, inspector_a, city_supervisor
):
    waiting = closed(agency_a, item_a, officers_a, inspector_a, summary="待评查")
    review(closed_case, city_supervisor)
    page = client_for(city_supervisor).get(LIST).content.decode()
    scores = page[page.index('id="scores"') : page.index('id="unreviewed"')]
    assert f'data-agency="{agency_a.pk}"' in scores and "86.0" in scores
    unreviewed = page[page.index('id="unreviewed"') : page.index('id="reviews"')]
    assert waiting.get_absolute_url() in unreviewed and url(waiting) in unreviewed
    assert closed_case.get_absolute_url() not in unreviewed
    reviews = page[page.index('id="reviews"') :]
    assert closed_case.get_absolute_url() in reviews


def test_the_counts_stop_at_the_cap_and_say_more_than(
    monkeypatch, closed_case, agency_a, item_a, officers_a, inspector_a, city_supervisor
):
    """The unreviewed cases and the reviews are counted up to the cap (the same cost at any
    size): past it the headings say "more than"."""
    for n in range(2):
        review(
            closed(agency_a, item_a, officers_a, inspector_a, summary=f"评过 {n}"), city_supervisor
        )
        closed(agency_a, item_a, officers_a, inspector_a, summary=f"待评 {n}")
    client = client_for(city_supervisor)
    page = client.get(LIST).content.decode()  # closed_case is unreviewed too
    assert "已结案未评查的案件（3 件）" in page and "评查记录（2 份）" in page
    monkeypatch.setattr("portal.pagination.COUNT_CAP", 1)
    page = client.get(LIST).content.decode()
    assert "已结案未评查的案件（超过 1 件）" in page and "评查记录（超过 1 份）" in page


def test_the_list_takes_a_year_and_ignores_a_bad_one(closed_case, city_supervisor):
    review(closed_case, city_supervisor)
    client = client_for(city_supervisor)
    year = timezone.localdate().year
    assert "86.0" not in client.get(LIST, {"year": year - 1}).content.decode()
    for bad in ("abc", "99999", "-5"):
        response = client.get(LIST, {"year": bad})
        assert (
            response.status_code == 200 and f"{year} 年各单位评查得分" in response.content.decode()
        )


@pytest.mark.parametrize("who", ["inspector_a", "legal_office_a", "outsider_b"])
def test_the_list_is_for_supervisors(request, who):
    assert client_for(request.getfixturevalue(who)).get(LIST).status_code == 403


def test_the_administrator_reads_the_list_without_review_links(closed_case, sysadmin):
    page = client_for(sysadmin).get(LIST).content.decode()
    assert closed_case.get_absolute_url() in page and url(closed_case) not in page


# --- query counts --------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 4])
def test_the_list_stays_constant_in_queries(
    count,
    agency_a,
    item_a,
    officers_a,
    inspector_a,
    city_supervisor,
    django_assert_max_num_queries,
):
    for n in range(count):
        case = closed(agency_a, item_a, officers_a, inspector_a, summary=f"案 {n}")
        review(case, city_supervisor)
        closed(agency_a, item_a, officers_a, inspector_a, summary=f"未评查 {n}")
    client = client_for(city_supervisor)
    with django_assert_max_num_queries(10):
        response = client.get(LIST)
    assert response.content.decode().count("#file-reviews") == count


@pytest.mark.parametrize("count", [1, 3])
def test_the_form_and_the_case_page_stay_constant_in_queries(
    count, closed_case, city_supervisor, province, django_assert_max_num_queries
):
    for n in range(count):
        user = UserFactory(username=f"supervisor_{n}", name=f"supervisor_{n}")
        reviewer = user_assign_role(user=user, role=Role.SUPERVISOR, region=province, actor=None)
        review(closed_case, reviewer)
    client = client_for(city_supervisor)
    with django_assert_max_num_queries(8):
        response = client.get(url(closed_case))
    assert response.content.decode().count("<strong>86</strong>") == count
    with django_assert_max_num_queries(18):
        response = client.get(closed_case.get_absolute_url())
    assert response.content.decode().count("<strong>86</strong>") == count
