"""R20: supervisors enter the opinions heard on the hotline, at symposia and by questionnaire,
each with its source; the entry is a row of the open cycle's timeline when there is one."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from assessment.models import CycleEvent, PublicOpinion
from assessment.services.opinions import current_period, opinion_enter
from tests.conftest import client_for


def enter(agency, actor, **changes):
    values = {
        "agency": agency,
        "period": 2026,
        "source": PublicOpinion.Source.HOTLINE,
        "lawful": 4,
        "civil": 5,
        "efficient": 3,
        "comment": "",
        "source_note": "12345 热线工单 2026-0815",
        "actor": actor,
    }
    return opinion_enter(**(values | changes))


def _nothing_entered():
    return (
        not PublicOpinion.objects.exists()
        and not CycleEvent.objects.filter(kind=CycleEvent.Kind.OPINION_ENTERED).exists()
    )


def test_a_supervisor_enters_a_hotline_opinion_on_the_agencys_cycle(
    evaluated_2026, agency_a, city_supervisor
):
    """R20: counted at once without a comment, with its source and who entered it."""
    opinion = enter(agency_a, city_supervisor)
    assert opinion.moderation == PublicOpinion.Moderation.APPROVED
    assert (opinion.entered_by, opinion.source_note) == (
        city_supervisor,
        "12345 热线工单 2026-0815",
    )
    assert opinion.device_key == ""
    event = CycleEvent.objects.get(kind=CycleEvent.Kind.OPINION_ENTERED)
    assert (event.cycle, event.actor, event.agency) == (evaluated_2026, city_supervisor, agency_a)
    assert "热线电话" in event.note


def test_a_symposium_opinion_with_a_comment_waits_for_moderation(
    cycle_2026, county_agency_a, city_supervisor
):
    """The city's open cycle takes the county agency's entry (its region lies below)."""
    opinion = enter(
        county_agency_a,
        city_supervisor,
        source=PublicOpinion.Source.SYMPOSIUM,
        source_note="2026年5月8日 乙县政务中心座谈会",
        comment="希望进一步公开执法依据。",
    )
    assert opinion.moderation == PublicOpinion.Moderation.PENDING
    assert CycleEvent.objects.get(kind=CycleEvent.Kind.OPINION_ENTERED).cycle == cycle_2026


def test_without_an_open_cycle_the_opinion_is_kept_without_an_event(agency_a, city_supervisor):
    enter(agency_a, city_supervisor, source=PublicOpinion.Source.QUESTIONNAIRE)
    assert PublicOpinion.objects.count() == 1
    assert not CycleEvent.objects.exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"source_note": "  "}, "请填写来源说明"),
        ({"source_note": '=HYPERLINK("x")'}, "不能以公式开头"),
        ({"source": PublicOpinion.Source.CARD}, "请选择来源"),
        ({"source": "rumour"}, "请选择来源"),
        ({"lawful": 0}, "依法执法的评分应为 1 至 5 分"),
        ({"civil": 6}, "文明执法的评分应为 1 至 5 分"),
        ({"efficient": "abc"}, "办事效率的评分应为 1 至 5 分"),
        ({"comment": "<script>alert(1)</script>"}, "不能包含网页代码"),
        ({"period": current_period() + 1}, "评议年度不能晚于今年"),
        ({"period": "20x6"}, "评议年度应为"),
    ],
)
def test_bad_entries_are_refused_in_chinese(
    evaluated_2026, agency_a, city_supervisor, changes, message
):
    with pytest.raises(ValidationError) as refused:
        enter(agency_a, city_supervisor, **changes)
    assert message in str(refused.value)
    assert _nothing_entered()


def test_city_a_supervisor_cannot_enter_opinions_on_agency_b(agency_b, city_supervisor):
    with pytest.raises(PermissionDenied):
        enter(agency_b, city_supervisor)
    assert _nothing_entered()


@pytest.mark.parametrize("persona", ["inspector_a", "legal_office_a"])
def test_agency_staff_cannot_enter_opinions_on_their_own_agency(agency_a, persona, request):
    with pytest.raises(PermissionDenied):
        enter(agency_a, request.getfixturevalue(persona))
    assert _nothing_entered()


def test_the_entry_page_saves_an_opinion(evaluated_2026, agency_a, city_supervisor):
    client = client_for(city_supervisor)
    url = reverse("assessment:opinion-new")
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "agency": agency_a.pk,
            "period": "2026",
            "source": "questionnaire",
            "source_note": "2026年第二季度满意度问卷",
            "lawful": "4",
            "civil": "4",
            "efficient": "5",
        },
    )
    assert response.status_code == 302
    assert PublicOpinion.objects.get().source == PublicOpinion.Source.QUESTIONNAIRE


def test_the_entry_page_does_not_offer_agency_b(agency_b, city_supervisor):
    response = client_for(city_supervisor).post(
        reverse("assessment:opinion-new"),
        {
            "agency": agency_b.pk,
            "period": "2026",
            "source": "hotline",
            "source_note": "工单 1",
            "lawful": "4",
            "civil": "4",
            "efficient": "4",
        },
    )
    assert response.status_code == 400
    assert "请选择本人监督范围内的单位" in response.content.decode()
    assert _nothing_entered()
