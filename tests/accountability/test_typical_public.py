"""R18: published typical cases are public (the list, a case's page, the API, the home page's
典型案例 section); a draft or a submitted case is not (404), and publishing reaches the public at
once even through the shared cache."""

import pytest
from django.urls import reverse

from accountability.models import TypicalCase
from accountability.services.typical import typical_approve, typical_submit

from .test_typical_cases import decided, draft


def publish(author, approver, agency, **texts):
    typical = draft(decided(author, agency), author, **texts)
    typical = typical_submit(typical=typical, actor=author)
    return typical_approve(typical=typical, actor=approver)


@pytest.fixture
def published(city_supervisor, colleague, agency_a):
    return publish(
        city_supervisor, colleague, agency_a, facts="执法人员张伟明未听取当事人陈述申辩。"
    )


@pytest.fixture
def submitted(city_supervisor, agency_a):
    typical = draft(decided(city_supervisor, agency_a), city_supervisor, title="尚未审核的案例")
    return typical_submit(typical=typical, actor=city_supervisor)


def test_an_unpublished_case_is_not_public(submitted, public_client):
    """R18: a case awaiting approval is a 404 on its page and in the API, and listed nowhere."""
    assert public_client.get(submitted.get_absolute_url()).status_code == 404
    api = public_client.get(reverse("api:typical-case-detail", args=[submitted.pk]))
    assert api.status_code == 404 and "没有这个已发布的典型案例" in api.json()["detail"]
    assert "尚未审核的案例" not in public_client.get(reverse("typical-cases:list")).text
    assert public_client.get(reverse("api:typical-case-list")).json()["count"] == 0
    assert "尚未审核的案例" not in public_client.get(reverse("portal:home")).text


def test_a_published_case_is_read_anonymised(published, public_client):
    """R18: the public page carries the analysis and lesson with the officer's name masked."""
    page = public_client.get(published.get_absolute_url())
    assert page.status_code == 200
    text = page.text
    assert published.title in text and "张**" in text and "张伟明" not in text
    assert "案例剖析" in text and "警示教育意义" in text


def test_the_public_list_costs_the_same_queries_for_many_cases(
    published, city_supervisor, colleague, agency_a, public_client, django_assert_max_num_queries
):
    """R18: the list reads a count and a page, whatever the number of cases."""
    for n in range(4):
        publish(city_supervisor, colleague, agency_a, title=f"典型案例第 {n} 号")
    with django_assert_max_num_queries(2):
        response = public_client.get(reverse("typical-cases:list"))
    assert response.status_code == 200 and response.text.count('class="section-card"') == 5


def test_the_public_api_lists_published_cases_only(
    published, submitted, public_client, django_assert_max_num_queries
):
    """R18: GET /api/v1/typical-cases/ (no login) gives the published cases, anonymised."""
    with django_assert_max_num_queries(2):
        body = public_client.get(reverse("api:typical-case-list")).json()
    assert body["count"] == 1 and body["results"][0]["title"] == published.title
    assert set(body["results"][0]) == {
        "id",
        "title",
        "lesson",
        "region_name",
        "published_at",
        "url",
    }
    one = public_client.get(reverse("api:typical-case-detail", args=[published.pk])).json()
    assert "张**" in one["facts"] and "status" not in one and "drafted_by" not in one


def test_a_bad_page_number_is_refused_in_chinese(public_client):
    """R18: the API's page parameter is checked like every other number."""
    response = public_client.get(reverse("api:typical-case-list"), {"page": "x"})
    assert response.status_code == 400 and "页码" in str(response.json())


def test_the_home_page_links_the_section_and_lists_the_latest(
    published, city_supervisor, colleague, agency_a, public_client, django_assert_max_num_queries
):
    """R18: the home page's 典型案例 section links to the list and shows the latest five."""
    for n in range(5):
        publish(city_supervisor, colleague, agency_a, title=f"新近典型案例 {n}")
    with django_assert_max_num_queries(2):  # the typical cases and the latest disclosures
        text = public_client.get(reverse("portal:home")).text
    assert f'href="{reverse("typical-cases:list")}"' in text
    assert "新近典型案例 4" in text and "新近典型案例 0" in text
    assert published.title not in text  # the sixth newest is on the list page only


def test_publishing_reaches_the_public_through_the_shared_cache(
    city_supervisor,
    colleague,
    agency_a,
    public_client,
    settings,
    django_capture_on_commit_callbacks,
):
    """R18: a cached public list is retired the moment a case is published."""
    settings.PUBLIC_CACHE_ENABLED = True
    assert "刚发布的案例" not in public_client.get(reverse("typical-cases:list")).text
    with django_capture_on_commit_callbacks(execute=True):
        publish(city_supervisor, colleague, agency_a, title="刚发布的案例")
    assert "刚发布的案例" in public_client.get(reverse("typical-cases:list")).text
    assert TypicalCase.objects.filter(status="published").count() == 1
