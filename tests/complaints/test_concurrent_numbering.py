"""R15 under concurrency: complaints filed at the same moment from many connections each get a
number of their register, unique and gapless, and a registration that fails gives its number back.

These need real concurrent connections (PostgreSQL's row lock on the register's counter), so the
test database is committed to and flushed afterwards (transactional_db).
"""

import threading
from datetime import date

import pytest
from django.db import connection, transaction
from django.db.models import Max, Min

from complaints.models import Complaint, RegisterCounter
from complaints.services.register import complaint_register

from ..factories import AgencyFactory, RegionFactory

pytestmark = pytest.mark.postgres("real concurrent connections")

THREADS = 40  # below max_connections (100), with room for the test's own connection
EACH = 5


@pytest.fixture
def agency(transactional_db, bundled_calendar):
    region = RegionFactory(name="并发市", code="230100")
    return AgencyFactory(name="并发市市场监督管理局", region=region)


def _file(agency, n: int):
    return complaint_register(
        agency=agency,
        category="slow",
        description=f"并发登记测试第 {n} 件：申请材料齐全，超过法定期限仍未作出决定。",
        occurred_on=date(2026, 11, 1),
        complainant_name="张三",
        phone=f"139{n:08d}",
    )


def _assert_gapless(agency, count: int) -> None:
    rows = Complaint.objects.filter(region=agency.region)
    assert rows.count() == count
    assert rows.values("number").distinct().count() == count
    assert rows.values("year").distinct().count() == 1
    bounds = rows.aggregate(low=Min("sequence"), high=Max("sequence"))
    assert bounds == {"low": 1, "high": count}
    assert RegisterCounter.objects.get(region=agency.region).last == count


def test_concurrent_filings_get_unique_gapless_numbers(agency):
    """R15: 40 connections × 5 filings at once → 200 complaints numbered 1..200, no error."""
    barrier = threading.Barrier(THREADS)
    numbers, errors = [], []
    lock = threading.Lock()

    def worker(t: int) -> None:
        try:
            barrier.wait(timeout=30)
            for k in range(EACH):
                receipt = _file(agency, t * EACH + k)
                with lock:
                    numbers.append(receipt.number)
        except Exception as error:  # noqa: BLE001 - every failure is reported by the test
            with lock:
                errors.append(repr(error))
        finally:
            connection.close()  # each thread had its own connection

    threads = [threading.Thread(target=worker, args=(t,)) for t in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert len(numbers) == len(set(numbers)) == THREADS * EACH
    _assert_gapless(agency, THREADS * EACH)
    year = Complaint.objects.values_list("year", flat=True).first()
    expected = {f"230100-{year}-{n:06d}" for n in range(1, THREADS * EACH + 1)}
    assert set(numbers) == expected


def test_a_rolled_back_registration_gives_its_number_back(agency):
    """R15: a registration whose transaction fails leaves no gap; the next filing takes its
    number, even while another connection was queued on the register."""
    _file(agency, 1)
    with pytest.raises(RuntimeError), transaction.atomic():
        receipt = _file(agency, 2)
        assert receipt.complaint.sequence == 2
        raise RuntimeError("the surrounding work failed")
    _assert_gapless(agency, 1)

    # A registration that holds the counter and then fails, while another thread waits on it.
    holding, release = threading.Event(), threading.Event()
    waited = []

    def waiter() -> None:
        try:
            holding.wait(timeout=30)
            waited.append(_file(agency, 3).number)
        finally:
            connection.close()

    thread = threading.Thread(target=waiter)
    thread.start()
    with pytest.raises(RuntimeError), transaction.atomic():
        receipt = _file(agency, 4)
        holding.set()
        release.wait(timeout=1)  # the waiter is now queued on the counter's row lock
        raise RuntimeError("failed while the other filing waited")
    thread.join(timeout=60)
    year = Complaint.objects.values_list("year", flat=True).first()
    assert receipt.complaint.sequence == 2
    assert waited == [f"230100-{year}-000002"]
    _assert_gapless(agency, 2)
