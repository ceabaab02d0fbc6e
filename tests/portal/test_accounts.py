"""Staff log in, log out, reset a lost password by e-mail; ten misses from one address stop that
address for that account (tests/portal/test_login_throttle.py: nobody else is locked out)."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from tests.conftest import PASSWORD


def _login(client, username, password):
    return client.post(reverse("login"), {"username": username, "password": password})


@pytest.mark.django_db
def test_staff_log_in_and_land_on_their_workspace(client, inspector_a):
    response = _login(client, "inspector_a", PASSWORD)
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:workspace")
    page = client.get(reverse("portal:workspace")).content.decode()
    assert "甲市市场监督管理局" in page


@pytest.mark.django_db
def test_a_wrong_password_is_told_in_chinese_and_does_not_log_in(client, inspector_a):
    response = _login(client, "inspector_a", "wrong")
    assert response.status_code == 400
    assert "用户名或密码不正确" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_logging_out_ends_the_session(client, inspector_a):
    _login(client, "inspector_a", PASSWORD)
    response = client.post(reverse("logout"))
    assert "您已安全退出" in response.content.decode()
    assert client.get(reverse("portal:workspace")).status_code == 302  # back to login


@pytest.mark.django_db
def test_a_forgotten_password_is_reset_through_the_link_in_the_email(client, inspector_a):
    client.post(reverse("password_reset"), {"email": inspector_a.email})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/reset/\S+)", mail.outbox[0].body).group(1)
    form_url = client.get(link)["Location"]  # Django swaps the token for a session marker
    response = client.post(
        form_url, {"new_password1": "A-new-long-passw0rd", "new_password2": "A-new-long-passw0rd"}
    )
    assert response.status_code == 302
    assert _login(client, "inspector_a", "A-new-long-passw0rd").status_code == 302


@pytest.mark.django_db
def test_an_unknown_email_gets_the_same_answer_and_no_mail(client):
    response = client.post(reverse("password_reset"), {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []


@pytest.mark.django_db
def test_ten_wrong_passwords_from_one_address_stop_that_address_with_a_clear_message(
    client, inspector_a
):
    for _ in range(9):
        assert _login(client, "inspector_a", "wrong").status_code == 400
    response = _login(client, "inspector_a", "wrong")
    assert response.status_code == 429
    page = response.content.decode()
    assert "已暂停从此网络地址登录该账号" in page
    assert "账号本身没有被锁定" in page
    # Even the right password is refused from this address while the pause lasts.
    response = _login(client, "inspector_a", PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_nine_wrong_passwords_do_not_lock_the_account(client, inspector_a):
    for _ in range(9):
        _login(client, "inspector_a", "wrong")
    assert _login(client, "inspector_a", PASSWORD).status_code == 302
