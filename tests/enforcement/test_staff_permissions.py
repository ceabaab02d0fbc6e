"""The permission matrix of the staff pages of the power list, with the five personas (R11).

Agency staff and the legal office see and change their own agency's items; a supervisor reads
its region's items and reviews them; an outsider from agency B and the public are refused.
"""

import pytest
from django.urls import reverse

from enforcement.models import PowerItem
from tests.conftest import client_for

from .staff_factories import make_draft

pytestmark = pytest.mark.django_db

PERSONAS = ["inspector_a", "legal_office_a", "city_supervisor", "outsider_b", None]

# page -> the status each persona gets on a GET (302: the public is sent to the login page).
PAGES = {
    "staff_item_list": {"inspector_a": 200, "legal_office_a": 200, "city_supervisor": 200,
                        "outsider_b": 200},
    "staff_item_create": {"inspector_a": 200, "legal_office_a": 200, "city_supervisor": 403,
                          "outsider_b": 200},
    "staff_item_detail": {"inspector_a": 200, "legal_office_a": 200, "city_supervisor": 200,
                          "outsider_b": 404},
    "staff_item_edit": {"inspector_a": 200, "legal_office_a": 200, "city_supervisor": 403,
                        "outsider_b": 404},
    "staff_item_compare": {"inspector_a": 200, "legal_office_a": 200, "city_supervisor": 200,
                           "outsider_b": 404},
    "staff_legal_queue": {"inspector_a": 403, "legal_office_a": 200, "city_supervisor": 403,
                          "outsider_b": 403},
    "staff_supervisor_queue": {"inspector_a": 403, "legal_office_a": 403, "city_supervisor": 200,
                               "outsider_b": 403},
}  # fmt: skip
WITH_ITEM = {"staff_item_detail", "staff_item_edit", "staff_item_compare"}


@pytest.fixture
def item_a(agency_a, inspector_a):
    return make_draft(agency_a, inspector_a, name="甲局的草稿事项")


@pytest.mark.parametrize("who", PERSONAS)
@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_staff_page_answers_each_persona_as_the_matrix_says(
    request, who, page, item_a, agency_b
):
    user = request.getfixturevalue(who) if who else None
    args = [item_a.pk] if page in WITH_ITEM else []
    response = client_for(user).get(reverse(f"enforcement:{page}", args=args))
    if who is None:
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))
        return
    assert response.status_code == PAGES[page][who]


@pytest.mark.parametrize("who", PERSONAS)
def test_the_list_shows_only_the_items_in_scope(request, who, item_a):
    user = request.getfixturevalue(who) if who else None
    html = client_for(user).get(reverse("enforcement:staff_item_list")).content.decode()
    sees = who in ("inspector_a", "legal_office_a", "city_supervisor")
    assert ("甲局的草稿事项" in html) is sees


ACTIONS = ["submit", "pass", "return", "publish", "withdraw", "delete"]


@pytest.mark.parametrize("who", ["outsider_b", None])
@pytest.mark.parametrize("action", ACTIONS)
def test_outsiders_and_the_public_cannot_move_another_agencys_item(request, who, action, item_a):
    """Forged ids: posting to an item of agency A from outside changes nothing."""
    user = request.getfixturevalue(who) if who else None
    versions = item_a.history.count()
    response = client_for(user).post(
        reverse(f"enforcement:staff_item_{action}", args=[item_a.pk]), {"reason": "伪造"}
    )
    assert response.status_code == (404 if who else 302)
    item = PowerItem.objects.get(pk=item_a.pk)
    assert (item.status, item.history.count(), item.timeline.count()) == ("draft", versions, 1)


def test_an_outsider_cannot_overwrite_another_agencys_item_through_the_edit_form(
    item_a, outsider_b
):
    response = client_for(outsider_b).post(
        reverse("enforcement:staff_item_edit", args=[item_a.pk]), {"name": "伪造"}
    )
    assert response.status_code == 404
    item_a.refresh_from_db()
    assert item_a.name == "甲局的草稿事项"


def test_staff_cannot_create_an_item_for_another_agency_through_the_form(inspector_a, agency_b):
    """The agency picker only offers the user's own agencies; a forged one is refused."""
    response = client_for(inspector_a).post(
        reverse("enforcement:staff_item_create"),
        {
            "agency": agency_b.pk,
            "code": "X",
            "name": "伪造",
            "category": "other",
            "level": "city",
            "bases-TOTAL_FORMS": "0",
            "bases-INITIAL_FORMS": "0",
            "tiers-TOTAL_FORMS": "0",
            "tiers-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 400
    assert not PowerItem.objects.exists()


@pytest.mark.parametrize(
    ("who", "queue"),
    [
        ("inspector_a", None),
        ("legal_office_a", "staff_legal_queue"),
        ("city_supervisor", "staff_supervisor_queue"),
    ],
)
def test_the_workspace_links_each_role_to_its_power_list_pages(request, who, queue):
    html = client_for(request.getfixturevalue(who)).get(reverse("portal:workspace")).content
    html = html.decode()
    assert reverse("enforcement:staff_item_list") in html
    for name in ("staff_legal_queue", "staff_supervisor_queue"):
        assert (reverse(f"enforcement:{name}") in html) is (name == queue)
