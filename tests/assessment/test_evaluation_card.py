"""R20: the public evaluation card (执法评议卡): three ratings and an optional comment, once a
period per device, without an account and without a third-party challenge.

The form carries a signed one-time token tied to the device id held in a signed cookie; the
stored device key is a hash of that id; a second card from the device in the year is refused."""

import re

import pytest
from django.core import signing
from django.db import IntegrityError, transaction
from django.test import RequestFactory
from django.urls import reverse

from assessment.models import PublicOpinion
from assessment.services import opinions as service
from assessment.views.opinions import DEVICE_COOKIE, DEVICE_SALT

VALID = {"lawful": "5", "civil": "4", "efficient": "3", "comment": ""}


@pytest.fixture(autouse=True)
def _limits_on(settings):
    settings.RATELIMIT_ENABLE = True


def card_url(agency):
    return reverse("assessment:opinion-card", args=[agency.pk])


def open_card(client, agency) -> str:
    """Open the card page as a browser does; the form's token."""
    response = client.get(card_url(agency))
    assert response.status_code == 200
    return re.search(r'name="token" value="([^"]+)"', response.content.decode()).group(1)


def submit(client, agency, token, **changes):
    return client.post(card_url(agency), VALID | {"token": token} | changes)


def test_a_card_without_comment_is_counted_at_once(public_client, agency_a):
    """R20: ratings alone need no moderation."""
    token = open_card(public_client, agency_a)
    response = submit(public_client, agency_a, token)
    assert response.status_code == 200
    assert "评议已提交" in response.content.decode()
    opinion = PublicOpinion.objects.get()
    assert (opinion.lawful, opinion.civil, opinion.efficient) == (5, 4, 3)
    assert opinion.source == PublicOpinion.Source.CARD
    assert opinion.moderation == PublicOpinion.Moderation.APPROVED
    assert opinion.period == service.current_period()


def test_the_device_key_is_a_hash_of_the_cookies_device_id(public_client, agency_a):
    token = open_card(public_client, agency_a)
    submit(public_client, agency_a, token)
    request = RequestFactory().get("/")
    request.COOKIES[DEVICE_COOKIE] = public_client.cookies[DEVICE_COOKIE].value
    device_id = request.get_signed_cookie(DEVICE_COOKIE, salt=DEVICE_SALT)
    opinion = PublicOpinion.objects.get()
    assert opinion.device_key == service.device_key(device_id)
    assert device_id not in opinion.device_key and len(opinion.device_key) == 64
    assert public_client.cookies[DEVICE_COOKIE]["httponly"]


def test_a_card_with_a_comment_waits_for_moderation(public_client, agency_a):
    token = open_card(public_client, agency_a)
    submit(public_client, agency_a, token, comment="窗口人员态度很好。")
    assert PublicOpinion.objects.get().moderation == PublicOpinion.Moderation.PENDING


def test_a_second_card_from_the_same_device_in_the_year_is_refused(public_client, agency_a):
    submit(public_client, agency_a, open_card(public_client, agency_a))
    response = submit(public_client, agency_a, open_card(public_client, agency_a), lawful="1")
    assert response.status_code == 409
    assert "每个年度只能提交一次" in response.content.decode()
    assert list(PublicOpinion.objects.values_list("lawful", flat=True)) == [5]


def test_the_same_device_may_rate_another_agency(public_client, agency_a, county_agency_a):
    submit(public_client, agency_a, open_card(public_client, agency_a))
    response = submit(public_client, county_agency_a, open_card(public_client, county_agency_a))
    assert response.status_code == 200
    assert PublicOpinion.objects.count() == 2


def test_another_device_may_rate_the_same_agency(agency_a):
    from django.test import Client

    for _ in range(2):
        client = Client()
        assert submit(client, agency_a, open_card(client, agency_a)).status_code == 200
    assert PublicOpinion.objects.count() == 2


def test_a_replayed_token_is_refused_even_when_its_card_is_gone(agency_a):
    """The token is good once, recorded in the shared cache, not in a process's memory."""
    device = service.device_new()
    token = service.card_token_make(device_id=device, agency=agency_a)
    args = {"agency": agency_a, "token": token, "device_id": device}
    service.opinion_card_submit(**args, lawful=5, civil=5, efficient=5)
    PublicOpinion.objects.all().delete()
    with pytest.raises(service.ValidationError) as refused:
        service.opinion_card_submit(**args, lawful=1, civil=1, efficient=1)
    assert "该评议卡已经提交过" in str(refused.value)
    assert not PublicOpinion.objects.exists()


@pytest.mark.parametrize(
    "token",
    [
        "forged",
        "",
        signing.dumps({"d": "x" * 32, "a": 1, "p": 2026, "n": "0"}, salt="another-salt"),
    ],
)
def test_a_forged_token_is_refused(public_client, agency_a, token):
    open_card(public_client, agency_a)
    response = submit(public_client, agency_a, token)
    assert response.status_code == 400
    assert "评议卡无效" in response.content.decode()
    assert not PublicOpinion.objects.exists()


def test_a_token_of_another_device_or_agency_is_refused(public_client, agency_a, agency_b):
    open_card(public_client, agency_a)
    stranger = service.card_token_make(device_id=service.device_new(), agency=agency_a)
    other_agency = open_card(public_client, agency_b)
    for token in (stranger, other_agency):
        response = submit(public_client, agency_a, token)
        assert response.status_code == 400
        assert "评议卡无效" in response.content.decode()
    assert not PublicOpinion.objects.exists()


def test_an_expired_token_asks_to_reload(public_client, agency_a, monkeypatch):
    token = open_card(public_client, agency_a)
    monkeypatch.setattr(service, "TOKEN_MAX_AGE", -1)
    response = submit(public_client, agency_a, token)
    assert response.status_code == 400
    assert "请刷新页面" in response.content.decode()
    assert not PublicOpinion.objects.exists()


def test_a_post_without_the_device_cookie_is_refused(public_client, agency_a):
    token = open_card(public_client, agency_a)
    public_client.cookies[DEVICE_COOKIE] = "forged-cookie-value"
    response = submit(public_client, agency_a, token)
    assert response.status_code == 400
    assert "请先打开评议卡页面" in response.content.decode()
    assert not PublicOpinion.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"lawful": "0"}, "评分应为 1 至 5 分"),
        ({"civil": "6"}, "评分应为 1 至 5 分"),
        ({"efficient": "abc"}, "评分应为 1 至 5 分"),
        ({"lawful": ""}, "请为每一项打分"),
        ({"comment": "<script>alert(1)</script>"}, "不能包含网页代码"),
        ({"comment": '=HYPERLINK("http://evil","点我")'}, "不能以公式开头"),
        ({"comment": "好" * 501}, "不能超过 500 个字"),
    ],
)
def test_bad_input_on_the_card_is_refused_in_chinese(public_client, agency_a, changes, message):
    token = open_card(public_client, agency_a)
    response = submit(public_client, agency_a, token, **changes)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not PublicOpinion.objects.exists()


@pytest.mark.parametrize(
    ("ratings", "comment", "message"),
    [
        ({"lawful": 0}, "", "依法执法的评分应为 1 至 5 分"),
        ({"civil": 6}, "", "文明执法的评分应为 1 至 5 分"),
        ({"efficient": "abc"}, "", "办事效率的评分应为 1 至 5 分"),
        ({"lawful": True}, "", "依法执法的评分应为 1 至 5 分"),
        ({}, "好\x07", "控制字符"),
        ({}, "<script>x</script>", "不能包含网页代码"),
        ({}, "=cmd|' /C calc'!A0", "不能以公式开头"),
    ],
)
def test_the_service_refuses_bad_ratings_and_unsafe_comments(agency_a, ratings, comment, message):
    device = service.device_new()
    token = service.card_token_make(device_id=device, agency=agency_a)
    values = {"lawful": 3, "civil": 3, "efficient": 3} | ratings
    with pytest.raises(service.ValidationError) as refused:
        service.opinion_card_submit(
            agency=agency_a, token=token, device_id=device, comment=comment, **values
        )
    assert message in str(refused.value)
    assert not PublicOpinion.objects.exists()


def test_a_forged_agency_id_is_a_chinese_404(db, public_client):
    for name in ("opinion-card", "opinion-card-print", "opinion-public-results"):
        response = public_client.get(reverse(f"assessment:{name}", args=[999999]))
        assert response.status_code == 404
        assert "不存在" in response.content.decode()


def test_the_address_is_limited_after_too_many_cards(public_client, agency_a, settings):
    settings.EVALUATION_CARD_RATE_IP = "2/h"
    for _ in range(2):
        submit(public_client, agency_a, "forged")
    response = submit(public_client, agency_a, open_card(public_client, agency_a))
    assert response.status_code == 429
    assert "提交过于频繁" in response.content.decode()
    assert not PublicOpinion.objects.exists()


def test_the_database_allows_one_card_per_device_agency_and_period(agency_a):
    values = {
        "agency": agency_a,
        "period": 2026,
        "source": PublicOpinion.Source.CARD,
        "lawful": 3,
        "civil": 3,
        "efficient": 3,
        "device_key": "a" * 64,
    }
    PublicOpinion.objects.create(**values)
    with pytest.raises(IntegrityError), transaction.atomic():
        PublicOpinion.objects.create(**values)


def test_the_printable_card_carries_the_link_and_a_qr_code(public_client, agency_a):
    response = public_client.get(reverse("assessment:opinion-card-print", args=[agency_a.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "<svg" in page
    assert f"http://testserver{card_url(agency_a)}" in page
    assert agency_a.name in page
