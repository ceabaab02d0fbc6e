"""Refusals in the user's language (portal.errors): every error page is Chinese, in the portal's
layout, with the reason a service gave and a way back; the API answers the same in JSON."""

import json

import pytest
from django.test import Client
from django.urls import reverse

from portal import errors
from tests.conftest import client_for

pytestmark = pytest.mark.django_db

ENGLISH = (
    "Not Found",
    "Bad Request",
    "Forbidden",
    "Server Error",
    "JSON parse error",
    "Multipart form parse error",
    "matches the given query",
    "CSRF verification failed",
)


def assert_chinese_page(response, status: int, reason: str):
    page = response.content.decode()
    assert response.status_code == status
    assert reason in page
    assert "返回上一页" in page and "行政执法监督平台" in page
    for english in ENGLISH:
        assert english not in page


def test_a_missing_page_is_a_chinese_404_in_the_portals_layout(public_client):
    response = public_client.get("/powers/items/999999/")
    assert_chinese_page(response, 404, "不存在")


def test_an_unknown_address_is_a_chinese_404(public_client):
    assert_chinese_page(public_client.get("/no-such-page/"), 404, "您要找的页面或对象不存在")


def test_a_refusal_shows_the_reason_the_service_gave(inspector_a, agency_b):
    response = client_for(inspector_a).get(f"/cases/new/?agency={agency_b.pk}")
    assert_chinese_page(response, 403, "只有本单位的执法人员可以办理本单位的案件。")


def test_a_refusal_without_a_reason_says_so_in_chinese(inspector_a):
    response = client_for(inspector_a).get(reverse("cases:fine-report"))
    assert_chinese_page(response, 403, "您没有权限")


def test_the_way_back_leads_to_the_referring_page_of_this_site_only(public_client):
    back = public_client.get("/no-such-page/", HTTP_REFERER="http://testserver/powers/")
    assert 'href="http://testserver/powers/"' in back.content.decode()
    elsewhere = public_client.get("/no-such-page/", HTTP_REFERER="https://evil.example/")
    assert "evil.example" not in elsewhere.content.decode()


def test_an_oversized_form_is_a_chinese_400(public_client, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1024
    response = public_client.post("/complaints/file/", {"description": "长" * 2000})
    assert_chinese_page(response, 400, "提交的内容过大")


def test_too_many_fields_are_a_chinese_400(public_client):
    body = "&".join(f"f{n}=1" for n in range(1200))
    response = public_client.post(
        "/complaints/file/", body, content_type="application/x-www-form-urlencoded"
    )
    assert_chinese_page(response, 400, "提交的字段过多")


def test_a_form_without_its_csrf_token_is_a_chinese_403():
    response = Client(enforce_csrf_checks=True).post("/complaints/track/", {"number": "1"})
    assert_chinese_page(response, 403, "页面已过期或缺少安全令牌")


def test_the_server_error_page_needs_neither_session_nor_database(rf):
    request = rf.get("/powers/")
    request.session = None  # anything reading the session or the user would fail
    response = errors.server_error(request)
    assert_chinese_page(response, 500, "系统暂时出现故障")


def test_the_api_answers_a_server_error_in_json(rf):
    response = errors.server_error(rf.get("/api/v1/power-items/"))
    assert response.status_code == 500
    assert "系统暂时出现故障" in json.loads(response.content)["detail"]


def test_the_api_names_a_missing_object_in_chinese(public_client):
    response = public_client.get("/api/v1/staff/power-items/999/")
    assert response.status_code == 403
    assert response.json() == {"detail": "请先登录。"}


def test_the_api_names_a_missing_object_of_a_logged_in_user_in_chinese(inspector_a):
    response = client_for(inspector_a).get("/api/v1/staff/power-items/999999/")
    assert response.status_code == 404
    assert "不存在" in response.json()["detail"]
    assert "matches the given query" not in response.content.decode()


@pytest.mark.parametrize(
    ("body", "content_type", "reason"),
    [
        ('{"agency": ', "application/json", "请求体不是合法的 JSON"),
        ("--x\r\n", "multipart/form-data; boundary=", "multipart"),
        ('[{"agency": 9}]', "application/json", "请求体应为 JSON 对象"),
        ("null", "application/json", "请求体应为 JSON 对象"),
        ('{"description": "a\\u0000b"}', "application/json", "控制字符"),
    ],
)
def test_the_api_refuses_a_malformed_body_in_chinese(public_client, body, content_type, reason):
    response = public_client.post("/api/v1/complaints/", body, content_type=content_type)
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert reason in detail
    for english in ENGLISH:
        assert english not in detail


def test_an_english_reader_gets_the_api_refusal_in_english(public_client):
    response = public_client.post(
        "/api/v1/complaints/", "null", content_type="application/json", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 400
    assert "JSON object" in response.json()["detail"]
