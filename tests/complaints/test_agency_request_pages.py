"""The agency complained about answers the handler's request for a written response; it sees
the question and what it needs to answer, never the complaint's text nor, unless the handler
shared it, who complained."""

import re

import pytest
from django.urls import reverse

from complaints.models import ComplaintEvent, IdentityView
from tests.conftest import client_for

from .staff_pages import asked

pytestmark = pytest.mark.django_db

LIST = reverse("complaints:staff-requests")


def page(request):
    return reverse("complaints:staff-request", args=[request.pk])


def test_the_agency_sees_the_question_but_not_the_complaint_or_who_made_it(
    inspector_a, agency_a, city_supervisor
):
    request = asked(agency_a, city_supervisor)
    complaint = request.complaint
    client = client_for(inspector_a)
    listing = client.get(LIST).content.decode()
    assert complaint.number in listing and "待答复" in listing
    html = client.get(page(request)).content.decode()
    assert complaint.number in html and request.question in html
    assert complaint.get_category_display() in html
    assert complaint.description not in html
    assert "张三" not in html and "13800000000" not in html and "zhangsan" not in html
    assert not IdentityView.objects.exists()


def test_a_shared_identity_is_shown_to_the_agency_and_logged(
    inspector_a, agency_a, city_supervisor
):
    """The handler chose to tell the agency who complained; each view of it is logged."""
    request = asked(agency_a, city_supervisor, share_identity=True)
    html = client_for(inspector_a).get(page(request)).content.decode()
    assert "张三" in html and "13800000000" in html and "zhangsan@example.com" in html
    assert request.complaint.description not in html
    view = IdentityView.objects.get()
    assert (view.user, view.where) == (inspector_a, "agency_request")


def test_the_agency_answers_and_the_handler_reads_it(inspector_a, agency_a, city_supervisor):
    request = asked(agency_a, city_supervisor)
    client = client_for(inspector_a)
    response = client.post(page(request), {"answer": "执法人员当日出示了执法证件。"}, follow=True)
    assert "书面说明已提交。" in response.content.decode()
    request.refresh_from_db()
    assert request.answered_by == inspector_a and request.answered_at is not None
    assert request.complaint.timeline.filter(kind=ComplaintEvent.Kind.AGENCY_ANSWERED).exists()
    assert "已答复" in client.get(LIST).content.decode()
    detail = client_for(city_supervisor).get(request.complaint.get_absolute_url())
    assert "执法人员当日出示了执法证件。" in detail.content.decode()


def test_an_empty_answer_and_a_second_answer_are_refused(inspector_a, agency_a, city_supervisor):
    request = asked(agency_a, city_supervisor)
    client = client_for(inspector_a)
    assert "请填写书面说明。" in client.post(page(request), {"answer": " "}).content.decode()
    request.refresh_from_db()
    assert request.answered_at is None
    client.post(page(request), {"answer": "第一次说明。"})
    html = client.post(page(request), {"answer": "第二次说明。"}).content.decode()
    request.refresh_from_db()
    assert request.answer == "第一次说明。"
    assert "第二次说明。" not in request.answer and "第一次说明。" in html


def test_the_legal_office_of_the_agency_may_answer_too(legal_office_a, agency_a, city_supervisor):
    request = asked(agency_a, city_supervisor)
    client_for(legal_office_a).post(page(request), {"answer": "法制机构的说明。"})
    request.refresh_from_db()
    assert request.answer == "法制机构的说明。"


def test_another_agency_neither_sees_nor_answers(outsider_b, agency_a, city_supervisor):
    request = asked(agency_a, city_supervisor)
    client = client_for(outsider_b)
    assert request.complaint.number not in client.get(LIST).content.decode()
    assert client.get(page(request)).status_code == 404
    assert client.post(page(request), {"answer": "冒充答复。"}).status_code == 404
    request.refresh_from_db()
    assert request.answered_at is None


@pytest.mark.parametrize("count", [3, 10])
def test_the_request_list_queries_do_not_grow_with_rows(
    inspector_a, agency_a, city_supervisor, count, django_assert_max_num_queries
):
    for _ in range(count):
        asked(agency_a, city_supervisor)
    client = client_for(inspector_a)
    with django_assert_max_num_queries(10):
        response = client.get(LIST)
    assert (
        len(re.findall(r'href="/complaints/staff/requests/\d+/"', response.content.decode()))
        == count
    )
