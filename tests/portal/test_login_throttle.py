"""Login guessing slows only the guesser (portal.throttle, django-axes).

Ten failures from one address stop that address for that account; they never lock the account
itself, nor the office behind a shared address. Failures on one account from many addresses, or
on many accounts from one address, make each further attempt carry a proof-of-work challenge,
whose work doubles with each failure of the guessing address; the owner's browser solves the
base work and gets in.
"""

import pytest
from axes.models import AccessAttempt
from django.urls import reverse

from tests.conftest import PASSWORD
from tests.throttling import challenge_on, solve

pytestmark = pytest.mark.django_db

OWNER_HOME = "10.0.0.5"
OFFICE = "10.1.1.1"


@pytest.fixture(autouse=True)
def small_work(settings):
    settings.THROTTLE_BASE_WORK = 500
    settings.THROTTLE_MAX_WORK = 200_000


def login(client, username, password, address, **extra):
    data = {"username": username, "password": password, **extra}
    return client.post(reverse("login"), data, REMOTE_ADDR=address)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def login_through_challenge(client, username, password, address):
    """What the owner's browser does: the first try is answered with a challenge, the widget
    solves it, the owner types the password again."""
    first = login(client, username, password, address)
    assert first.status_code == 429
    challenge = challenge_on(first.content.decode())
    assert challenge is not None
    return login(client, username, password, address, altcha=solve(challenge)), challenge


def test_a_guesser_from_one_address_does_not_lock_the_owner_out(client, inspector_a):
    for _ in range(10):
        login(client, "inspector_a", "guess", "203.0.113.7")
    # The guessing address is stopped for this account, even with the right password...
    stopped = login(client, "inspector_a", PASSWORD, "203.0.113.7")
    assert stopped.status_code == 429
    assert "已暂停从此网络地址登录该账号" in stopped.content.decode()
    assert not logged_in(client)
    # ...while the owner, from home, gets in (after the browser's automatic check).
    owner = type(client)()
    answer, challenge = login_through_challenge(owner, "inspector_a", PASSWORD, OWNER_HOME)
    assert answer.status_code == 302
    assert logged_in(owner)
    assert challenge["maxNumber"] == 500  # the base work: the owner's address has no failures


def test_an_account_that_fails_now_and_then_needs_no_challenge(client, inspector_a):
    for n in range(9):
        login(client, "inspector_a", "typo", f"10.0.0.{n + 1}")
    assert login(client, "inspector_a", PASSWORD, OWNER_HOME).status_code == 302


def test_guesses_from_many_addresses_each_need_a_solved_challenge(client, inspector_a):
    for n in range(10):
        login(client, "inspector_a", f"guess-{n}", f"198.51.100.{n + 1}")
    attempts = AccessAttempt.objects.count()
    unsolved = login(client, "inspector_a", "guess-x", "198.51.100.200")
    assert unsolved.status_code == 429
    assert "安全验证" in unsolved.content.decode()
    # An attempt without the work never reaches the password check.
    assert AccessAttempt.objects.count() == attempts
    answer, _challenge = login_through_challenge(
        type(client)(), "inspector_a", "guess-y", "198.51.100.201"
    )
    assert answer.status_code == 400
    assert "用户名或密码不正确" in answer.content.decode()


def test_the_work_doubles_with_each_failure_of_the_guessing_address(client, inspector_a):
    for n in range(10):
        login(client, "inspector_a", f"guess-{n}", f"198.51.100.{n + 1}")
    works = []
    for _ in range(3):
        answer, challenge = login_through_challenge(client, "inspector_a", "wrong", "198.51.100.77")
        assert answer.status_code == 400
        works.append(challenge["maxNumber"])
    assert works == [500, 1000, 2000]


def test_a_solved_challenge_is_accepted_once(client, inspector_a):
    for n in range(10):
        login(client, "inspector_a", f"guess-{n}", f"198.51.100.{n + 1}")
    first = login(client, "inspector_a", "wrong", OWNER_HOME)
    payload = solve(challenge_on(first.content.decode()))
    assert login(client, "inspector_a", "wrong", OWNER_HOME, altcha=payload).status_code == 400
    replay = login(client, "inspector_a", PASSWORD, OWNER_HOME, altcha=payload)
    assert replay.status_code == 429
    assert not logged_in(client)


def test_a_solution_with_less_work_than_asked_is_refused(client, inspector_a, settings):
    from portal import throttle

    cheap = solve(throttle.challenge(work=10))
    for n in range(10):
        login(client, "inspector_a", f"guess-{n}", f"198.51.100.{n + 1}")
    answer = login(client, "inspector_a", PASSWORD, OWNER_HOME, altcha=cheap)
    assert answer.status_code == 429
    assert not logged_in(client)


def test_a_forged_solution_is_refused(client, inspector_a):
    for n in range(10):
        login(client, "inspector_a", f"guess-{n}", f"198.51.100.{n + 1}")
    for forged in ("", "not-base64!", "eyJmb28iOiAxfQ==", "x" * 5000):
        answer = login(client, "inspector_a", PASSWORD, OWNER_HOME, altcha=forged)
        assert answer.status_code == 429
    assert not logged_in(client)


def test_one_guesser_on_many_accounts_does_not_lock_the_office(
    client, inspector_a, legal_office_a, outsider_b
):
    for n in range(10):
        login(client, f"staff-{n}", "guess", OFFICE)
    # A colleague behind the same address is asked for the check, not locked out.
    colleague = type(client)()
    answer, _challenge = login_through_challenge(colleague, "legal_office_a", PASSWORD, OFFICE)
    assert answer.status_code == 302
    assert logged_in(colleague)


def test_a_ten_thousand_character_user_name_is_refused_in_chinese_and_not_recorded(client):
    answer = login(client, "a" * 10_000, "whatever", OWNER_HOME)
    assert answer.status_code == 400
    assert "用户名不能超过 150 个字符" in answer.content.decode()
    assert AccessAttempt.objects.count() == 0


def test_axes_records_a_long_user_name_cut_to_an_accounts_length(rf):
    from portal.throttle import login_username

    request = rf.post("/accounts/login/", {"username": "x" * 300})
    assert login_username(request) == "x" * 150
