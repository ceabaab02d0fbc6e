"""R18, R32: typical cases — drafted from a decided accountability case, anonymised with the
disclosure redaction, refused while a name or an identity number remains, approved by a second
supervisor, published, and circulated to the region's agencies as a notice (通报)."""

import itertools

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from accountability.models import Accused, Decision, Proceeding, Sanction, TypicalCase
from accountability.services.typical import (
    typical_approve,
    typical_circulate,
    typical_draft,
    typical_submit,
    typical_update,
)
from enforcement.models import Party
from tests.accountability.conftest import register
from tests.conftest import client_for
from tests.enforcement.test_cases import case  # noqa: F401 - fixture
from tests.factories import OfficerFactory, UserFactory

_serial = itertools.count(1)
CITIZEN_ID = "220102199001011234"

TEXTS = {
    "title": "某局执法人员违规罚款案",
    "facts": "执法人员在检查中对当事人作出罚款决定，未听取陈述申辩。",
    "analysis": "执法人员未履行告知义务，程序违法。",
    "lesson": "执法必须严格遵守法定程序。",
}


def decided(supervisor, agency, *, officer=None, enforcement_case=None, step="closed", **sanction):
    """A decided proceeding built directly: a clue, the case, the accused officer and a decision
    holding them responsible (criticism, counting in this year)."""
    clue = register(supervisor, agency)
    today = timezone.localdate()
    proceeding = Proceeding.objects.create(
        clue=clue,
        number=f"WZ-TEST-{next(_serial):04d}",
        agency=agency,
        enforcement_case=enforcement_case,
        handler=supervisor,
        step=step,
        step_started_on=today,
        step_due_on=None if step == "closed" else today,
        opened_by=supervisor,
    )
    officer = officer or OfficerFactory(agency=agency, name="张伟明")
    accused = Accused.objects.create(proceeding=proceeding, officer=officer)
    if step in ("transfer", "closed"):
        decision = Decision.objects.create(
            proceeding=proceeding,
            reasons="程序违法，负有责任。",
            decided_on=today,
            decided_by=supervisor,
        )
        fields = {"responsible": True, "kind": "criticism", "counts_in_year": today.year}
        Sanction.objects.create(decision=decision, accused=accused, **(fields | sanction))
    return proceeding


def draft(proceeding, actor, **texts):
    return typical_draft(proceeding=proceeding, actor=actor, **(TEXTS | texts))


@pytest.fixture
def proceeding(city_supervisor, agency_a):
    return decided(city_supervisor, agency_a)


@pytest.fixture
def with_citizen(case):  # noqa: F811
    """The enforcement case with a citizen party besides the company."""
    Party.objects.create(
        case=case,
        kind=Party.Kind.CITIZEN,
        name="王小明",
        identifier=CITIZEN_ID,
        address="甲市人民大街 5 号",
    )
    return case


@pytest.fixture
def published(proceeding, city_supervisor, colleague):
    typical = typical_submit(typical=draft(proceeding, city_supervisor), actor=city_supervisor)
    return typical_approve(typical=typical, actor=colleague)


def test_the_draft_masks_the_parties_and_the_accused_officer(
    city_supervisor, agency_a, with_citizen
):
    """R18: names of natural persons are masked and identifiers removed on save (the disclosure
    redaction), the accused officer's name too; an organisation's name stays."""
    proceeding = decided(city_supervisor, agency_a, enforcement_case=with_citizen)
    company = with_citizen.parties.exclude(kind=Party.Kind.CITIZEN).first().name
    typical = draft(
        proceeding,
        city_supervisor,
        facts=f"执法人员张伟明对王小明（身份证号 {CITIZEN_ID}，电话 13912345678）"
        f"和{company}作出处罚。",
    )
    assert "张伟明" not in typical.facts and "张**" in typical.facts
    assert "王小明" not in typical.facts and "王**" in typical.facts
    assert CITIZEN_ID not in typical.facts and "13912345678" not in typical.facts
    assert company in typical.facts
    assert typical.status == TypicalCase.Status.DRAFT and typical.region == city_supervisor.region


@pytest.mark.parametrize(
    "facts",
    [
        "当事人王 小明对处罚不服。",  # a name broken by a space
        "执法人员张·伟明未告知当事人。",  # the accused officer's name with a dot
        "当事人身份证号 2201 0219 9001 0112 34。",  # an identity number written in groups
        "当事人身份证号 220102-19900101-1234。",
    ],
)
def test_text_still_holding_a_name_or_an_identity_number_is_refused(
    city_supervisor, agency_a, with_citizen, facts
):
    """R18: a typical case whose text still holds a full name of a party or of an accused
    officer, or an identity number, is refused with a message and nothing is saved."""
    proceeding = decided(city_supervisor, agency_a, enforcement_case=with_citizen)
    with pytest.raises(ValidationError) as refused:
        draft(proceeding, city_supervisor, facts=facts)
    assert "典型案例中仍含有姓名或身份证号" in str(refused.value)
    assert not TypicalCase.objects.exists()
    assert not proceeding.timeline.exists()


def test_an_update_that_reintroduces_a_name_changes_nothing(proceeding, city_supervisor):
    """R18: the check runs on every change; a refused edit leaves the draft as it was."""
    typical = draft(proceeding, city_supervisor)
    with pytest.raises(ValidationError, match="仍含有姓名或身份证号"):
        typical_update(
            typical=typical, actor=city_supervisor, **(TEXTS | {"lesson": "张 伟明应引以为戒。"})
        )
    typical.refresh_from_db()
    assert typical.lesson == TEXTS["lesson"]


def test_only_a_decided_proceeding_can_become_a_typical_case(city_supervisor, agency_a):
    """R18: a case still being handled has no decision to publish."""
    proceeding = decided(city_supervisor, agency_a, step="decision")
    with pytest.raises(ValidationError, match="尚未作出决定"):
        draft(proceeding, city_supervisor)
    assert not TypicalCase.objects.exists()


def test_a_decision_holding_nobody_responsible_is_no_negative_case(city_supervisor, agency_a):
    """R18: typical cases are negative ones: somebody was held responsible."""
    proceeding = decided(city_supervisor, agency_a, responsible=False, kind="")
    with pytest.raises(ValidationError, match="未认定任何人员或单位负有责任"):
        draft(proceeding, city_supervisor)


def test_a_supervisor_outside_the_unit_cannot_draft(proceeding, city_b_supervisor, inspector_a):
    """R18: only a supervisor over the unit concerned drafts its typical case."""
    for actor in (city_b_supervisor, inspector_a):
        with pytest.raises(PermissionDenied):
            draft(proceeding, actor)
    assert not TypicalCase.objects.exists()


def test_a_proceeding_has_one_typical_case(proceeding, city_supervisor, colleague):
    """R18: the same case is not published twice."""
    draft(proceeding, city_supervisor)
    with pytest.raises(ValidationError, match="已经撰写了典型案例"):
        draft(proceeding, colleague)
    assert TypicalCase.objects.count() == 1


def test_the_drafter_cannot_approve_their_own(proceeding, city_supervisor):
    """R18: publication needs a supervisor other than the drafter."""
    typical = typical_submit(typical=draft(proceeding, city_supervisor), actor=city_supervisor)
    with pytest.raises(PermissionDenied, match="不能审核自己撰写"):
        typical_approve(typical=typical, actor=city_supervisor)
    typical.refresh_from_db()
    assert typical.status == TypicalCase.Status.SUBMITTED and typical.published_at is None


def test_another_supervisor_approves_and_publishes(published, colleague):
    """R18: approved, the case is published with its time and approver."""
    assert published.status == TypicalCase.Status.PUBLISHED
    assert published.approved_by == colleague and published.published_at is not None
    assert published.history.count() == 3
    kinds = list(published.proceeding.timeline.values_list("kind", flat=True))
    assert kinds == ["typical_drafted", "typical_submitted", "typical_published"]


def test_a_draft_cannot_be_approved_before_it_is_submitted(proceeding, city_supervisor, colleague):
    """R18: only a submitted case is approved."""
    typical = draft(proceeding, city_supervisor)
    with pytest.raises(ValidationError, match="待审核"):
        typical_approve(typical=typical, actor=colleague)
    typical.refresh_from_db()
    assert typical.status == TypicalCase.Status.DRAFT


def test_only_the_drafter_submits_or_edits_and_only_a_draft(proceeding, city_supervisor, colleague):
    """R18: the drafter owns the draft; a submitted case is no longer edited."""
    typical = draft(proceeding, city_supervisor)
    with pytest.raises(PermissionDenied):
        typical_submit(typical=typical, actor=colleague)
    with pytest.raises(PermissionDenied):
        typical_update(typical=typical, actor=colleague, **TEXTS)
    typical_submit(typical=typical, actor=city_supervisor)
    with pytest.raises(ValidationError, match="不能再修改"):
        typical_update(typical=typical, actor=city_supervisor, **(TEXTS | {"title": "新标题"}))
    typical.refresh_from_db()
    assert typical.title == TEXTS["title"]


def test_circulation_notifies_the_regions_agencies_once(
    published,
    city_supervisor,
    agency_a,
    county_agency_a,
    agency_b,
    django_capture_on_commit_callbacks,
):
    """R32: the notice (通报) goes to the staff of the agencies of the region and below, once."""
    UserFactory(username="a_staff", email="a@example.com", agency=agency_a)
    UserFactory(username="county_staff", email="county@example.com", agency=county_agency_a)
    UserFactory(username="b_staff", email="b@example.com", agency=agency_b)
    with django_capture_on_commit_callbacks(execute=True):
        typical = typical_circulate(
            typical=published, notice_number="甲法通〔2026〕3号", actor=city_supervisor
        )
    assert typical.notice_number == "甲法通〔2026〕3号" and typical.circulated_at is not None
    told = sorted(address for message in mail.outbox for address in message.to)
    assert told == ["a@example.com", "county@example.com"]
    assert "甲法通〔2026〕3号" in mail.outbox[0].subject
    event = typical.proceeding.timeline.get(kind="typical_circulated")
    assert event.actor == city_supervisor and "甲法通〔2026〕3号" in event.note
    with pytest.raises(ValidationError, match="已经通报"):
        typical_circulate(typical=typical, notice_number="甲法通〔2026〕4号", actor=city_supervisor)
    typical.refresh_from_db()
    assert typical.notice_number == "甲法通〔2026〕3号"


def test_an_unpublished_case_is_not_circulated(proceeding, city_supervisor, city_b_supervisor):
    """R32: only a published case is circulated, by a supervisor of its region."""
    typical = draft(proceeding, city_supervisor)
    with pytest.raises(ValidationError, match="发布后才能通报"):
        typical_circulate(typical=typical, notice_number="甲法通〔2026〕3号", actor=city_supervisor)
    with pytest.raises(PermissionDenied):
        typical_circulate(
            typical=typical, notice_number="丙法通〔2026〕1号", actor=city_b_supervisor
        )
    typical.refresh_from_db()
    assert typical.notice_number == "" and typical.circulated_at is None


# --- the staff pages and API ---------------------------------------------------------------------


def test_the_draft_page_starts_from_the_case_anonymised_and_refuses_a_name(
    city_supervisor, agency_a
):
    """R18: the form is prefilled with the decision's reasons, masked; a text the redaction
    cannot clean is re-shown with the reason (400) and nothing is saved."""
    proceeding = decided(city_supervisor, agency_a)
    Decision.objects.filter(proceeding=proceeding).update(reasons="张伟明未听取陈述申辩。")
    client = client_for(city_supervisor)
    url = reverse("accountability:typical-new", args=[proceeding.pk])
    page = client.get(url)
    assert page.status_code == 200 and "张**未听取陈述申辩" in page.text
    assert "张伟明" not in page.text
    refused = client.post(url, TEXTS | {"facts": "执法人员张 伟明违规。"})
    assert refused.status_code == 400 and "仍含有姓名或身份证号" in refused.text
    assert not TypicalCase.objects.exists()
    done = client.post(url, TEXTS)
    typical = TypicalCase.objects.get()
    assert done.status_code == 302 and done["Location"] == reverse(
        "accountability:typical-detail", args=[typical.pk]
    )


def test_the_drafter_is_refused_approval_on_the_page(proceeding, city_supervisor, colleague):
    """R18: the drafter's approval is refused with the reason (403); another supervisor's
    publishes the case."""
    typical = typical_submit(typical=draft(proceeding, city_supervisor), actor=city_supervisor)
    url = reverse("accountability:typical-approve", args=[typical.pk])
    refused = client_for(city_supervisor).post(url)
    assert refused.status_code == 403 and "不能审核自己撰写" in refused.text
    typical.refresh_from_db()
    assert typical.status == TypicalCase.Status.SUBMITTED
    assert client_for(colleague).post(url).status_code == 302
    typical.refresh_from_db()
    assert typical.status == TypicalCase.Status.PUBLISHED


def test_the_circulation_form_records_the_notice(published, city_supervisor):
    """R32: the notice number is required; given, the case is circulated."""
    client = client_for(city_supervisor)
    url = reverse("accountability:typical-circulate", args=[published.pk])
    assert client.post(url, {"notice_number": ""}).status_code == 400
    assert client.post(url, {"notice_number": "甲法通〔2026〕5号"}).status_code == 302
    published.refresh_from_db()
    assert published.notice_number == "甲法通〔2026〕5号"


def test_the_staff_list_and_api_read_in_constant_queries(
    city_supervisor, colleague, agency_a, inspector_a, django_assert_max_num_queries
):
    """R18: the supervisors' list and API cost the same for many cases; agency staff see none."""
    for n in range(6):
        draft(decided(city_supervisor, agency_a), city_supervisor, title=f"案例 {n}")
    client = client_for(city_supervisor)
    client.get(reverse("accountability:typical-list"))  # the session and role, once
    with django_assert_max_num_queries(8):
        page = client.get(reverse("accountability:typical-list"))
    assert page.status_code == 200 and page.text.count("案例 ") >= 6
    with django_assert_max_num_queries(8):
        body = client.get(reverse("api:accountability-typical-cases")).json()
    assert body["count"] == 6
    bad = client.get(reverse("api:accountability-typical-cases"), {"status": "gone"})
    assert bad.status_code == 400 and "状态应为" in str(bad.json())
    staff = client_for(inspector_a)
    assert staff.get(reverse("api:accountability-typical-cases")).status_code == 403
    assert staff.get(reverse("accountability:typical-list")).status_code == 403
