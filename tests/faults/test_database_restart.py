"""Faults: the database restarted under load gives clear errors and no half-written objects.

A filing is one transaction (complaints/services/register.py): the number taken from the
register's counter, the complaint, its files, its first timeline row and its outbox notices
commit together or not at all, so a connection lost between two of its statements leaves no
complaint without its history or notices, and the rolled-back counter gives the number back
(R15: numbers stay gapless). The person filing gets the portal's error in Chinese (JSON under
/api/, the error page otherwise), never a traceback nor Django's English page.

The first tests make a late statement raise OperationalError, as a dropped connection does (any
database); the last ones terminate the filing's backend for real (pg_terminate_backend from
another connection, PostgreSQL only) in the middle of concurrent filings.
"""

import re
import threading
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import OperationalError, connection
from django.db.models import Max, Min
from django.test import Client
from django.urls import reverse
from django.utils.timezone import localdate

from complaints.models import (
    Attachment,
    Complaint,
    ComplaintEvent,
    Notification,
    RegisterCounter,
)
from complaints.services import register
from tests.complaints.test_api_public import body
from tests.complaints.test_filing_page import filing_data, pdf_bytes

pytestmark = pytest.mark.usefixtures("generous_filing_limits")

API = reverse("api:complaint-file")
FORM = reverse("complaints:file")
SERVER_GONE = "server closed the connection unexpectedly"
CHINESE_500 = "系统暂时出现故障"


def browser() -> Client:
    """A client that gets the response a user would (the 500 handler), not the exception."""
    return Client(raise_request_exception=False)


def drop_connection_before_the_notices(monkeypatch) -> None:
    """The connection goes away after the complaint, its files and its timeline row were written,
    at the next statement (writing the outbox)."""

    def dropped(**kwargs):
        raise OperationalError(SERVER_GONE)

    monkeypatch.setattr(register, "notify_complainant", dropped)


def assert_nothing_half_written() -> None:
    assert not Complaint.objects.exists()
    assert not ComplaintEvent.objects.exists()
    assert not Notification.objects.exists()
    assert not Attachment.objects.exists()
    assert not RegisterCounter.objects.filter(last__gt=0).exists()


def assert_whole(complaints) -> None:
    """Every complaint with its registration row and a notice per channel given; numbers 1..n."""
    for complaint in complaints:
        assert complaint.timeline.filter(kind=ComplaintEvent.Kind.REGISTERED).count() == 1
        channels = [way for way in (complaint.email, complaint.phone) if way]
        assert complaint.notifications.count() == len(channels) >= 1, complaint.number
    bounds = Complaint.objects.aggregate(low=Min("sequence"), high=Max("sequence"))
    assert bounds == {"low": 1, "high": len(complaints)}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.mark.django_db
def test_the_api_answers_a_lost_connection_in_chinese_json_and_keeps_nothing(agency_a, monkeypatch):
    with monkeypatch.context() as patch:
        drop_connection_before_the_notices(patch)
        response = browser().post(API, body(agency_a), content_type="application/json")
    assert response.status_code == 500
    assert response["Content-Type"].startswith("application/json")
    detail = response.json()["detail"]
    assert CHINESE_500 in detail and "Traceback" not in detail and SERVER_GONE not in detail
    assert_nothing_half_written()

    again = browser().post(API, body(agency_a), content_type="application/json")
    assert again.status_code == 201
    assert again.json()["number"].endswith("-000001"), "the lost filing's number came back"
    assert_whole(list(Complaint.objects.all()))


@pytest.mark.django_db
def test_the_form_answers_a_lost_connection_with_the_chinese_error_page_and_no_file_is_kept(
    agency_a, monkeypatch, media
):
    letter = SimpleUploadedFile("来信.pdf", pdf_bytes(), content_type="application/pdf")
    with monkeypatch.context() as patch:
        drop_connection_before_the_notices(patch)
        response = browser().post(FORM, filing_data(agency_a) | {"attachments": [letter]})
    assert response.status_code == 500
    page = response.content.decode()
    assert "系统出错" in page and CHINESE_500 in page
    assert "Traceback" not in page and "Server Error" not in page and SERVER_GONE not in page
    assert_nothing_half_written()
    assert not [p for p in media.rglob("*") if p.is_file()], "the stored letter was left behind"

    response = browser().post(FORM, filing_data(agency_a))
    assert response.status_code == 200
    assert re.search(r"220100-\d{4}-000001", response.content.decode())


# --- PostgreSQL: the backend really terminated, among concurrent filings --------------------


def terminate_own_backend() -> None:
    """Another connection ends this one's backend, as a database restart does."""
    import psycopg2

    pid = connection.connection.get_backend_pid()
    params = connection.get_connection_params()
    killer = psycopg2.connect(**params)
    try:
        killer.autocommit = True
        with killer.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        killer.close()


@pytest.fixture
def kill_mid_filing(monkeypatch):
    """The filings of threads named `victim*` lose their backend between the timeline row and
    the outbox (the others run untouched); returns the list of filings killed."""
    real = register.notify_complainant
    killed = []

    def notify(**kwargs):
        if threading.current_thread().name.startswith("victim"):
            killed.append(kwargs["complaint"].number)
            terminate_own_backend()
        return real(**kwargs)

    monkeypatch.setattr(register, "notify_complainant", notify)
    return killed


def _file(agency, n: int):
    return register.complaint_register(
        agency=agency,
        category="slow",
        description=f"数据库重启测试第 {n} 件：申请材料齐全，超过法定期限仍未作出决定。",
        occurred_on=localdate() - timedelta(days=3),
        complainant_name="张三",
        phone=f"139{n:08d}",
        email=f"c{n}@example.com",
    )


@pytest.mark.postgres("pg_terminate_backend and real concurrent connections")
@pytest.mark.django_db(transaction=True)
def test_backends_terminated_mid_filing_under_load_leave_no_half_written_complaint(
    bundled_calendar, agency_a, kill_mid_filing
):
    """Eight threads file five complaints each; two of them lose their backend in the middle of
    their first filing. Those two get OperationalError (and file again once reconnected); the
    other 38 filings are untouched. No complaint lacks its history or notices, and the numbers
    run 1..40 without a gap: the killed filings gave theirs back."""
    threads, each, errors, lock = 8, 5, [], threading.Lock()
    barrier = threading.Barrier(threads)

    def worker(t: int) -> None:
        try:
            barrier.wait(timeout=30)
            for k in range(each):
                try:
                    _file(agency_a, t * each + k)
                except OperationalError as error:
                    with lock:
                        errors.append(str(error))
                    connection.close()  # what CONN_HEALTH_CHECKS does at the next request
                    threading.current_thread().name = f"recovered-{t}"
                    _file(agency_a, t * each + k)
        finally:
            connection.close()

    pool = [
        threading.Thread(target=worker, args=(t,), name=("victim" if t < 2 else "filer") + f"-{t}")
        for t in range(threads)
    ]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join(timeout=120)

    assert len(kill_mid_filing) == 2 and len(errors) == 2
    complaints = list(Complaint.objects.filter(region=agency_a.region))
    assert len(complaints) == threads * each
    assert_whole(complaints)
    assert RegisterCounter.objects.get(region=agency_a.region).last == threads * each
    assert not ComplaintEvent.objects.exclude(complaint__in=complaints).exists()
    # The killed filings' numbers were taken by later filings, not lost.
    assert set(kill_mid_filing) <= {c.number for c in complaints}


@pytest.mark.postgres("pg_terminate_backend")
@pytest.mark.django_db(transaction=True)
def test_a_request_whose_backend_is_terminated_gets_the_chinese_json_error(
    bundled_calendar, agency_a, monkeypatch
):
    real = register.notify_complainant

    def notify(**kwargs):
        terminate_own_backend()
        return real(**kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(register, "notify_complainant", notify)
        response = browser().post(API, body(agency_a), content_type="application/json")
    assert response.status_code == 500
    assert CHINESE_500 in response.json()["detail"]
    connection.close()  # the test's own connection was the one terminated
    assert_nothing_half_written()
    again = browser().post(API, body(agency_a), content_type="application/json")
    assert again.status_code == 201 and again.json()["number"].endswith("-000001")
