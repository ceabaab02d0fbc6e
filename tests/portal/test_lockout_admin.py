"""The system administrator (not a superuser) reads the lockout records in the admin and lifts a
lock by deleting its attempts; the records themselves cannot be edited, and supervisors see none
of it."""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def lock():
    return AccessAttempt.objects.create(
        username="inspector_a",
        ip_address="10.0.0.9",
        failures_since_start=10,
        user_agent="x",
        get_data="",
        post_data="",
        http_accept="",
        path_info="/accounts/login/",
    )


def test_the_administrator_sees_who_was_locked_out(sysadmin, lock):
    response = client_for(sysadmin).get(reverse("admin:axes_accessattempt_changelist"))
    assert response.status_code == 200
    assert "10.0.0.9" in response.text


def test_the_administrator_lifts_a_lock(sysadmin, lock):
    url = reverse("admin:axes_accessattempt_delete", args=[lock.pk])
    response = client_for(sysadmin).post(url, {"post": "yes"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()


def test_the_administrator_cannot_rewrite_a_lockout_record(sysadmin, lock):
    url = reverse("admin:axes_accessattempt_change", args=[lock.pk])
    client_for(sysadmin).post(url, {"username": "someone_else", "ip_address": "10.0.0.1"})
    lock.refresh_from_db()
    assert lock.username == "inspector_a"


def test_a_supervisor_sees_no_lockout_records(city_supervisor, lock):
    response = client_for(city_supervisor).get(reverse("admin:axes_accessattempt_changelist"))
    assert response.status_code == 403
