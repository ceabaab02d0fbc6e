"""One reading of the client's address behind the reverse proxy (portal.throttle.client_address),
used by the login lockout, the throttle and the complaint limits."""

import pytest
from django.test import RequestFactory

from portal.throttle import client_address


@pytest.fixture
def behind_one_proxy(settings):
    settings.TRUSTED_PROXY_COUNT = 1
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 1}


def address(**meta) -> str:
    return client_address(RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", **meta))


def test_behind_the_proxy_the_client_is_the_address_the_proxy_appended(behind_one_proxy):
    assert address(HTTP_X_FORWARDED_FOR="198.51.100.7") == "198.51.100.7"


def test_an_address_the_client_wrote_itself_is_ignored(behind_one_proxy):
    """A guesser cannot pose as someone else (nor as many addresses) by writing the header."""
    assert address(HTTP_X_FORWARDED_FOR="10.0.0.5, 198.51.100.7") == "198.51.100.7"


def test_without_a_proxy_the_header_is_not_trusted(settings):
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": 0}
    assert address(HTTP_X_FORWARDED_FOR="10.0.0.5") == "127.0.0.1"


def test_the_login_lockout_reads_the_same_address(behind_one_proxy):
    from axes.helpers import get_client_ip_address

    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4")
    assert get_client_ip_address(request) == "1.2.3.4"
