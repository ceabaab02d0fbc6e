"""Shared fixtures: a small province and the named personas every permission test uses.

- inspector_a: agency staff of agency A (city A's market regulation bureau)
- legal_office_a: the legal office of agency A
- city_supervisor: the government legal office of city A (sees city A and its counties)
- outsider_b: agency staff of agency B, in city B
- the public: an anonymous client
"""

import pytest
from django.test import Client

from enforcement.models import Agency, Region
from portal.roles import Role
from portal.services import user_assign_role

from .factories import AgencyFactory, RegionFactory, UserFactory

PASSWORD = "correct-horse-battery-9"


@pytest.fixture
def province(db):
    from enforcement.models import CollectingBank

    region = RegionFactory(name="测试省", code="220000", level=Region.Level.PROVINCE)
    # R30: fines are paid to a bank the province designates.
    CollectingBank.objects.create(
        region=region,
        name="测试省农村信用社",
        account_name="测试省财政厅非税收入汇缴结算户",
        account_number="62000000000000001",
    )
    return region


@pytest.fixture
def city_a(province):
    return RegionFactory(name="甲市", code="220100", level=Region.Level.CITY, parent=province)


@pytest.fixture
def county_a(city_a):
    return RegionFactory(name="甲市乙县", code="220122", level=Region.Level.COUNTY, parent=city_a)


@pytest.fixture
def city_b(province):
    return RegionFactory(name="丙市", code="220200", level=Region.Level.CITY, parent=province)


@pytest.fixture
def agency_a(city_a):
    return AgencyFactory(name="甲市市场监督管理局", region=city_a)


@pytest.fixture
def county_agency_a(county_a):
    return AgencyFactory(name="乙县市场监督管理局", region=county_a)


@pytest.fixture
def agency_b(city_b):
    return AgencyFactory(name="丙市生态环境局", region=city_b)


@pytest.fixture
def city_a_legal_office(city_a):
    return AgencyFactory(name="甲市司法局", region=city_a, is_legal_office=True)


def _persona(username: str, role: Role, **where):
    user = UserFactory(username=username, name=username)
    return user_assign_role(user=user, role=role, actor=None, **where)


@pytest.fixture
def inspector_a(agency_a):
    return _persona("inspector_a", Role.AGENCY_STAFF, agency=agency_a)


@pytest.fixture
def legal_office_a(agency_a):
    return _persona("legal_office_a", Role.LEGAL_OFFICE, agency=agency_a)


@pytest.fixture
def city_supervisor(city_a, city_a_legal_office):
    return _persona("city_supervisor", Role.SUPERVISOR, region=city_a)


@pytest.fixture
def outsider_b(agency_b):
    return _persona("outsider_b", Role.AGENCY_STAFF, agency=agency_b)


@pytest.fixture
def sysadmin(db):
    return _persona("sysadmin", Role.SYSADMIN)


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def public_client() -> Client:
    return Client()


@pytest.fixture
def agencies(agency_a, county_agency_a, agency_b, city_a_legal_office) -> list[Agency]:
    return [agency_a, county_agency_a, agency_b, city_a_legal_office]


def pytest_collection_modifyitems(config, items):
    """On SQLite, skip what truly needs PostgreSQL, saying why (the marker's argument)."""
    from django.conf import settings

    if settings.IS_POSTGRES:
        return
    for item in items:
        marker = item.get_closest_marker("postgres")
        if marker is not None:
            why = marker.args[0] if marker.args else "PostgreSQL behaviour"
            item.add_marker(pytest.mark.skip(reason=f"needs PostgreSQL ({why}); set DATABASE_URL"))


@pytest.fixture(autouse=True)
def _calendar_copy_forgotten():
    """Each test has its own database: the process's copy of the working-day calendar
    (workdays.deadlines) must not carry one test's years into the next."""
    from workdays.deadlines import calendar_cache_clear

    calendar_cache_clear()
    yield
    calendar_cache_clear()


@pytest.fixture
def bundled_calendar(transactional_db):
    """Transactional tests flush every table after them, the migrated calendar included; they
    load it again (idempotent) instead of depending on which test ran before."""
    from django.core.management import call_command

    call_command("load_holidays", verbosity=0)


@pytest.fixture(autouse=True)
def _celery_tasks_in_process(request, monkeypatch):
    """Tasks run in-process in tests (a test's own transaction is invisible to a worker), except
    in tests that ask for `celery_worker`: those go through the real broker when one is set."""
    if "celery_worker" in request.fixturenames:
        return
    from portal.celery import app

    monkeypatch.setitem(app.conf, "task_always_eager", True)


@pytest.fixture(scope="session", autouse=True)
def _broker_keys_of_this_worker():
    """Under pytest-xdist every worker gets its own keys on the shared Redis broker (a prefix
    per worker), so one worker's purge or worker thread never takes another worker's tasks.

    From the session's start: even an eager `.delay()` takes a producer from the app's pool,
    and a pool made before the prefix would publish without it."""
    import os

    from django.conf import settings

    from portal.celery import app

    worker_id = os.environ.get("PYTEST_XDIST_WORKER")
    if settings.CELERY_BROKER_URL and worker_id:
        options = dict(app.conf.broker_transport_options or {})
        options["global_keyprefix"] = f"pytest-{worker_id}:"
        app.conf.broker_transport_options = options
        drop_broker_pools()  # a connection pool made before (without the prefix), if any


def drop_broker_pools() -> None:
    """Forget the broker connections made so far, so that the next publish connects anew with
    the current settings. Not `app.close()`: that also takes the app out of Celery's list of
    apps, and a shared task imported afterwards would never register with it. The pools are
    closed through kombu's registry, which also forgets them: the app looks its pool up there by
    connection, and a closed pool still registered would be handed out again ("Acquire on
    closed pool")."""
    import kombu.pools

    from portal.celery import app

    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None
    kombu.pools.connections.clear()
    kombu.pools.producers.clear()


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker thread on the configured broker (Redis in CI); in-process without."""
    from django.conf import settings

    if not settings.CELERY_BROKER_URL:
        yield None
        return
    from celery.contrib.testing.worker import start_worker

    from portal.celery import app

    app.control.purge()  # tasks queued by earlier tests (of this xdist worker) are not this test's
    with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10) as worker:
        yield worker


@pytest.fixture(scope="session", autouse=True)
def _fast_password_hashing():
    """Tests only: hash passwords with MD5 instead of PBKDF2's million rounds, which made every
    persona and every login cost a good part of a second. Production keeps Django's hashers;
    what the tests check (a password is hashed, checked, refused) does not depend on the cost."""
    from django.test.utils import override_settings

    with override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"]):
        yield


def _rigid_foreign_keys(connection) -> bool:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT EXISTS (SELECT FROM pg_constraint WHERE contype = 'f' AND NOT condeferrable)"
        )
        return cursor.fetchone()[0]


@pytest.fixture(scope="session", autouse=True)
def _flush_postgresql_by_delete():
    """Tests only: after a transactional test (browser tests, real workers, racing transactions)
    Django empties every table with one TRUNCATE, which takes PostgreSQL seconds for eighty-odd
    tables and their indexes (new files for each); DELETE empties the same tables in a tenth of
    a second. Sequences are left alone either way (no RESTART IDENTITY unless a test asks for
    reset_sequences, which keeps Django's TRUNCATE, as does a flush of some apps' tables only).
    Django's foreign keys on PostgreSQL are deferrable, so the order of the DELETEs is free; were
    one not (a hand-written constraint), the flush goes back to TRUNCATE."""
    from django.conf import settings

    if not settings.IS_POSTGRES:
        yield
        return
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if not tables or reset_sequences or allow_cascade or _rigid_foreign_keys(self.connection):
            return truncate(
                self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade
            )
        deletes = [f"DELETE FROM {self.quote_name(table)};" for table in tables]
        return ["SET CONSTRAINTS ALL DEFERRED;", *deletes]

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(DatabaseOperations, "sql_flush", sql_flush)
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Every test starts with an empty cache, so no page cached by another test is served."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture
def sides(
    city_a, county_agency_a, agency_a, agency_b, city_b, inspector_a, legal_office_a,
    city_supervisor, outsider_b, sysadmin, city_a_legal_office,
):  # fmt: skip
    """City A's and city B's agencies and people, each side as a dict, for the to-do lists'
    tests (tests/portal/todo_world.py `build` fills them), in the browser too."""
    from tests.factories import AgencyFactory
    from tests.portal import todo_world

    a = {
        "agency": agency_a,
        "county_agency": county_agency_a,
        "other_agency": AgencyFactory(name="甲市交通运输局", region=city_a),
        "staff": inspector_a,
        "legal_office": legal_office_a,
        "supervisor": city_supervisor,
        "handler": todo_world.persona("colleague_a", Role.SUPERVISOR, region=city_a),
    }
    b = {
        "agency": agency_b,
        "county_agency": AgencyFactory(name="丙县生态环境局", region=city_b),
        "other_agency": AgencyFactory(name="丙市交通运输局", region=city_b),
        "staff": outsider_b,
        "legal_office": todo_world.persona("legal_office_b", Role.LEGAL_OFFICE, agency=agency_b),
        "supervisor": todo_world.persona("city_b_supervisor", Role.SUPERVISOR, region=city_b),
    }
    return a, b
