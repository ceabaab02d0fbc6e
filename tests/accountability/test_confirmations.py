"""The accountability pages confirm an action by naming what was done (not "已保存。"), on the
page the action returns to: the clue registered, assigned and closed, and a complaint referred."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accountability.models import Clue
from tests.conftest import client_for

pytestmark = pytest.mark.django_db


def said(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_assigning_and_closing_a_clue_are_confirmed_by_name(clue, city_supervisor, colleague):
    client = client_for(city_supervisor)
    response = client.post(
        reverse("accountability:clue-assign", args=[clue.pk]),
        {"handler": colleague.pk},
        follow=True,
    )
    assert said(response) == [f"已指定 {colleague} 承办线索 {clue}，并已通知承办人。"]
    assert f"已指定 {colleague} 承办线索" in response.content.decode()
    response = client_for(colleague).post(
        reverse("accountability:clue-close", args=[clue.pk]),
        {"finding": "responsible", "reasons": "未履行告知义务。"},
        follow=True,
    )
    assert said(response) == [f"线索 {clue} 已办结。"]


def test_a_refused_close_says_nothing_was_done(clue, city_supervisor):
    response = client_for(city_supervisor).post(
        reverse("accountability:clue-close", args=[clue.pk]), {"finding": "", "reasons": "理由"}
    )
    assert response.status_code in (400, 403) and said(response) == []


def test_a_complaint_referred_to_accountability_names_the_clue(substantiated, city_supervisor):
    url = reverse("accountability:complaint-clue", args=[substantiated.pk])
    response = client_for(city_supervisor).post(url, {"refer-note": "投诉属实。"}, follow=True)
    clue = Clue.objects.get(complaint=substantiated)
    assert said(response) == [f"已移送责任追究，并登记为线索 {clue}。"]
