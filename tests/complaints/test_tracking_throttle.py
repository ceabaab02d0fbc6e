"""Guessing access codes slows only the guesser (portal.throttle through complaints.limits).

Register numbers are sequential, so a lock on a number would let anyone lock any complainant
out. An address that fails on a number too often is refused that number only; a number failed
from many addresses makes every attempt on it carry a proof-of-work challenge whose work grows
with the guessing address's failures; the complainant's browser solves the base work.
"""

import json

import pytest

from tests.throttling import challenge_on, solve

from .test_tracking_page import RESULT, TRACK, filed

pytestmark = pytest.mark.django_db

API = "/api/v1/complaints/track/"
HOME = "10.0.0.5"


@pytest.fixture(autouse=True)
def rates(settings):
    settings.COMPLAINT_TRACK_RATE_NUMBER = "10/h"
    settings.COMPLAINT_TRACK_RATE_IP = "30/h"
    settings.THROTTLE_BASE_WORK = 500
    settings.THROTTLE_MAX_WORK = 200_000


def track(client, number, code, address, **extra):
    data = {"number": number, "access_code": code, **extra}
    return client.post(TRACK, data, REMOTE_ADDR=address)


def api_track(client, number, code, address, **extra):
    body = json.dumps({"number": number, "access_code": code, **extra})
    return client.post(API, body, content_type="application/json", REMOTE_ADDR=address)


def test_a_guesser_cannot_lock_the_complainant_out(public_client, agency_a, client):
    receipt = filed(agency_a)
    for _ in range(10):
        track(public_client, receipt.number, "WRONG-CODE-0000", "203.0.113.9")
    stopped = track(public_client, receipt.number, receipt.access_code, "203.0.113.9")
    assert stopped.status_code == 429
    assert "失败次数过多" in stopped.content.decode()
    # The complainant, from home, answers the browser's automatic check and gets in.
    first = track(client, receipt.number, receipt.access_code, HOME)
    assert first.status_code == 429
    challenge = challenge_on(first.content.decode())
    assert challenge["maxNumber"] == 500
    answer = track(client, receipt.number, receipt.access_code, HOME, altcha=solve(challenge))
    assert answer.status_code == 302
    assert client.get(RESULT).status_code == 200


def test_guesses_from_many_addresses_each_cost_a_challenge(public_client, agency_a):
    receipt = filed(agency_a)
    for n in range(10):
        track(public_client, receipt.number, f"WRONG-{n:04d}-0000", f"198.51.100.{n + 1}")
    unsolved = track(public_client, receipt.number, "WRONG-XXXX-0000", "198.51.100.50")
    assert unsolved.status_code == 429
    works = []
    for _ in range(3):
        first = track(public_client, receipt.number, "WRONG-YYYY-0000", "198.51.100.51")
        challenge = challenge_on(first.content.decode())
        works.append(challenge["maxNumber"])
        answer = track(
            public_client,
            receipt.number,
            "WRONG-YYYY-0000",
            "198.51.100.51",
            altcha=solve(challenge),
        )
        assert answer.status_code == 400
        assert "登记号或查询码不正确" in answer.content.decode()
    assert works == [500, 1000, 2000]


def test_the_complainant_checking_often_with_the_right_code_is_never_challenged(client, agency_a):
    receipt = filed(agency_a)
    for _ in range(15):
        assert track(client, receipt.number, receipt.access_code, HOME).status_code == 302


def test_the_api_answers_a_challenge_and_takes_its_solution(public_client, agency_a):
    receipt = filed(agency_a)
    for n in range(10):
        api_track(public_client, receipt.number, f"WRONG-{n:04d}", f"198.51.100.{n + 1}")
    first = api_track(public_client, receipt.number, receipt.access_code, HOME)
    assert first.status_code == 429
    body = first.json()
    assert "安全验证" in body["detail"]
    payload = solve(body["challenge"])
    answer = api_track(public_client, receipt.number, receipt.access_code, HOME, altcha=payload)
    assert answer.status_code == 200
    assert answer.json()["number"] == receipt.number
    # A solution is good once.
    replay = api_track(public_client, receipt.number, receipt.access_code, HOME, altcha=payload)
    assert replay.status_code == 429


def test_the_api_refuses_the_exhausted_address_even_with_a_solution(public_client, agency_a):
    receipt = filed(agency_a)
    for _ in range(10):
        api_track(public_client, receipt.number, "WRONG", "203.0.113.9")
    answer = api_track(public_client, receipt.number, receipt.access_code, "203.0.113.9")
    assert answer.status_code == 429
    assert "失败次数过多" in answer.json()["detail"]
    assert "challenge" not in answer.json()
