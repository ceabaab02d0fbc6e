"""Issue 14: legal review opens the item before approval. The legal office's and the
supervisor's queues list the items and link each to its page, which shows its full content with
the approve and return actions; nothing is decided from the list. A decision taken on the page
opened from a queue leads back to the queue, and its confirmation names the item."""

import pytest
from django.urls import reverse

from enforcement.models import PowerItem
from enforcement.services import power_items as services
from tests.conftest import client_for

from .staff_factories import make_draft

pytestmark = pytest.mark.django_db

LEGAL_QUEUE = reverse("enforcement:staff_legal_queue")


@pytest.fixture
def submitted(agency_a, inspector_a):
    item = make_draft(agency_a, inspector_a, code="SP-7", name="食品经营许可")
    return services.power_item_submit(item=item, actor=inspector_a)


def test_the_queue_links_to_the_item_and_offers_no_decision(submitted, legal_office_a):
    html = client_for(legal_office_a).get(LEGAL_QUEUE).content.decode()
    detail = reverse("enforcement:staff_item_detail", args=[submitted.pk])
    assert f"{detail}?from=legal_queue#actions" in html and "审阅并审核" in html
    assert reverse("enforcement:staff_item_pass", args=[submitted.pk]) not in html
    assert reverse("enforcement:staff_item_return", args=[submitted.pk]) not in html


def test_the_item_page_shows_its_content_with_the_decisions_leading_back(submitted, legal_office_a):
    url = reverse("enforcement:staff_item_detail", args=[submitted.pk]) + "?from=legal_queue"
    html = client_for(legal_office_a).get(url).content.decode()
    assert submitted.responsibilities and submitted.responsibilities in html
    assert reverse("enforcement:staff_item_pass", args=[submitted.pk]) in html
    assert reverse("enforcement:staff_item_return", args=[submitted.pk]) in html
    assert html.count('<input type="hidden" name="next" value="legal_queue">') == 2
    assert f'href="{LEGAL_QUEUE}"' in html


def test_a_page_not_opened_from_a_queue_stays_on_the_item(submitted, legal_office_a):
    url = reverse("enforcement:staff_item_detail", args=[submitted.pk]) + "?from=elsewhere"
    html = client_for(legal_office_a).get(url).content.decode()
    assert 'name="next"' not in html


def test_passing_from_the_page_returns_to_the_queue_naming_the_item(submitted, legal_office_a):
    client = client_for(legal_office_a)
    response = client.post(
        reverse("enforcement:staff_item_pass", args=[submitted.pk]),
        {"note": "依据准确", "next": "legal_queue"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == LEGAL_QUEUE
    said = [str(m) for m in response.context["messages"]]
    assert said == ["已通过内部审核，报送政府法制部门：SP-7 食品经营许可。"]
    submitted.refresh_from_db()
    assert submitted.status == PowerItem.Status.LEGAL_PASSED


def test_a_return_names_the_item_too(submitted, legal_office_a):
    response = client_for(legal_office_a).post(
        reverse("enforcement:staff_item_return", args=[submitted.pk]),
        {"reason": "依据条款不准确"},
        follow=True,
    )
    said = [str(m) for m in response.context["messages"]]
    assert said == ["已退回修改：SP-7 食品经营许可。"]
