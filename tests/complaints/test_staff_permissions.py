"""Who may open which staff page of complaints: supervisors the register of their region,
agency staff only the written-response requests to their own agency, the public nothing."""

import pytest
from django.urls import reverse

from complaints.models import Complaint
from tests.conftest import client_for

from .staff_pages import asked, with_letter

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def complaint(media, agency_a):
    return with_letter(agency_a)


@pytest.fixture
def request_a(agency_a, city_supervisor):
    return asked(agency_a, city_supervisor)


def register_pages(complaint) -> list[tuple[str, str]]:
    """(method, url) of every page of the register side."""
    attachment = complaint.attachments.get()
    return [
        ("get", reverse("complaints:staff-register")),
        ("get", reverse("complaints:staff-new")),
        ("get", reverse("complaints:staff-detail", args=[complaint.pk])),
        ("post", reverse("complaints:staff-detail", args=[complaint.pk])),
        ("get", reverse("complaints:staff-attachment", args=[complaint.pk, attachment.pk])),
        ("post", reverse("complaints:staff-action", args=[complaint.pk, "accept"])),
        ("post", reverse("complaints:staff-action", args=[complaint.pk, "refuse"])),
        ("get", reverse("complaints:staff-warnings")),
        ("get", reverse("complaints:staff-export-xlsx")),
        ("get", reverse("complaints:staff-export-csv")),
    ]


def request_pages(request_a) -> list[tuple[str, str]]:
    return [
        ("get", reverse("complaints:staff-requests")),
        ("get", reverse("complaints:staff-request", args=[request_a.pk])),
        ("post", reverse("complaints:staff-request", args=[request_a.pk])),
    ]


def call(client, method, url):
    return getattr(client, method)(url, {"reveal": "1"} if method == "post" else None)


def test_the_public_is_sent_to_the_login_page_from_every_staff_page(
    public_client, complaint, request_a
):
    """Nothing of the register is public: every page asks for a login first."""
    for method, url in register_pages(complaint) + request_pages(request_a):
        response = call(public_client, method, url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_the_outsider_is_refused_on_every_page(outsider_b, complaint, request_a):
    """Agency B's staff see neither the register nor agency A's requests."""
    client = client_for(outsider_b)
    for method, url in register_pages(complaint):
        assert call(client, method, url).status_code == 403, url
    assert client.get(reverse("complaints:staff-request", args=[request_a.pk])).status_code == 404
    assert (
        client.post(
            reverse("complaints:staff-request", args=[request_a.pk]), {"answer": "x"}
        ).status_code
        == 404
    )
    listing = client.get(reverse("complaints:staff-requests"))
    assert listing.status_code == 200
    assert request_a.complaint.number not in listing.content.decode()
    request_a.refresh_from_db()
    assert request_a.answered_at is None
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.REGISTERED


def test_agency_staff_are_refused_the_register_but_read_their_agency_requests(
    inspector_a, complaint, request_a
):
    """The agency complained about answers its requests and sees nothing else of the register."""
    client = client_for(inspector_a)
    for method, url in register_pages(complaint):
        assert call(client, method, url).status_code == 403, url
    for method, url in request_pages(request_a)[:2]:
        assert call(client, method, url).status_code == 200, url


def test_the_city_supervisor_opens_every_register_page(city_supervisor, complaint):
    client = client_for(city_supervisor)
    for method, url in register_pages(complaint):
        if method == "get":
            assert client.get(url).status_code == 200, url


def test_a_supervisor_of_another_city_does_not_find_the_complaint(
    complaint, city_b, django_user_model
):
    """A supervisor's register is their region and below: another city's complaint is a 404."""
    from portal.roles import Role
    from portal.services import user_assign_role
    from tests.factories import UserFactory

    other = user_assign_role(
        user=UserFactory(username="city_b_supervisor"),
        role=Role.SUPERVISOR,
        actor=None,
        region=city_b,
    )
    client = client_for(other)
    attachment = complaint.attachments.get()
    for url in (
        reverse("complaints:staff-detail", args=[complaint.pk]),
        reverse("complaints:staff-attachment", args=[complaint.pk, attachment.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert complaint.number not in client.get(reverse("complaints:staff-register")).content.decode()


def test_supervisors_are_not_shown_the_agency_request_pages(city_supervisor, request_a):
    """Supervisors read requests and answers on the complaint itself."""
    client = client_for(city_supervisor)
    for method, url in request_pages(request_a):
        assert call(client, method, url).status_code == 403, url


def test_the_administrator_reads_the_register_but_may_not_register(sysadmin, complaint):
    """Administrators read everything (masked) but neither register nor decide."""
    client = client_for(sysadmin)
    assert client.get(reverse("complaints:staff-register")).status_code == 200
    assert client.get(reverse("complaints:staff-new")).status_code == 403
    response = client.post(
        reverse("complaints:staff-action", args=[complaint.pk, "accept"]), {}, follow=True
    )
    assert "只有本辖区的政府法制监督人员可以作出受理决定" in response.content.decode()
    complaint.refresh_from_db()
    assert complaint.status == Complaint.Status.REGISTERED


@pytest.mark.parametrize(
    ("who", "links"),
    [
        ("city_supervisor", {"staff-register", "staff-warnings", "staff-new"}),
        ("sysadmin", {"staff-register", "staff-warnings"}),
        ("inspector_a", {"staff-requests"}),
        ("legal_office_a", {"staff-requests"}),
    ],
)
def test_the_workspace_links_each_role_to_its_complaint_pages(request, who, links):
    client = client_for(request.getfixturevalue(who))
    html = client.get(reverse("portal:workspace")).content.decode()
    for name in ("staff-register", "staff-warnings", "staff-new", "staff-requests"):
        url = reverse(f"complaints:{name}")
        assert (f'href="{url}"' in html) is (name in links), name
        if name in links:
            assert client.get(url).status_code == 200, url
