"""A confirmation message (Django's messages, through `portal.messages.MessageMiddleware`, which
makes the storage only when a request uses it) waits through the pages that do not show it and
appears once on the first that does."""

from django.contrib import messages
from django.contrib.sessions.middleware import SessionMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from portal.messages import MessageMiddleware


def _serve(view, cookies):
    request = RequestFactory().get("/")
    request.COOKIES.update(cookies)
    response = SessionMiddleware(MessageMiddleware(view))(request)
    for name, morsel in response.cookies.items():
        if morsel["max-age"] == 0:
            cookies.pop(name, None)
        else:
            cookies[name] = morsel.value
    return response


def _saves(request):
    messages.success(request, "已保存。")
    return HttpResponse("ok")


def _plain(request):
    return HttpResponse("ok")


def _shows(request):
    return HttpResponse("|".join(str(m) for m in messages.get_messages(request)))


def test_a_message_waits_through_pages_that_do_not_show_it_then_appears_once():
    cookies = {}
    _serve(_saves, cookies)
    assert "messages" in cookies
    plain = _serve(_plain, cookies)
    assert "messages" not in plain.cookies  # untouched: still waiting
    assert _serve(_shows, cookies).content.decode() == "已保存。"
    assert _serve(_shows, cookies).content.decode() == ""
