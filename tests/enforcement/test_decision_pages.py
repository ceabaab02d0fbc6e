"""The staff pages of a case's decision (R5, R7): staff draft it naming a discretion tier, a
major one goes to the legal office, which reviews it from its queue, and only then is it issued.
"""

import datetime
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from enforcement.models import CaseRecord, Decision, LegalReview, Party, Stage
from enforcement.services.cases import PartyInput, case_advance, case_open, case_record_add
from enforcement.services.decisions import decision_save, decision_submit
from tests.conftest import client_for
from tests.enforcement.staff_factories import make_published, make_tiers
from tests.factories import OfficerFactory

CITIZEN = PartyInput(kind=Party.Kind.CITIZEN, name="王某某", identifier="11010519491231002X")
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)
R5_REFUSAL = "重大执法决定须经法制审核同意后才能作出（R5）。"
R7_REFUSAL = "罚款金额超出所适用裁量基准的幅度，须写明理由（R7）。"
CHECKS = (
    "subject_lawful",
    "facts_proven",
    "basis_correct",
    "discretion_proper",
    "procedure_lawful",
)


@pytest.fixture
def item(agency_a, inspector_a, legal_office_a, city_supervisor):
    return make_published(agency_a, inspector_a, legal_office_a, city_supervisor)


@pytest.fixture
def tiers(item):
    """R7: the item's discretion benchmark: a warning, then two ranges of fines."""
    return make_tiers(item)


@pytest.fixture
def officers(agency_a):
    return [OfficerFactory(agency=agency_a), OfficerFactory(agency=agency_a)]


def _record(case, actor, officer) -> None:
    case_record_add(
        case=case,
        actor=actor,
        kind=CaseRecord.Kind.AUDIO_VIDEO,
        title="现场照片",
        file=SimpleUploadedFile("photo.png", PNG, content_type="image/png"),
        recorded_by=officer,
        recorded_at=timezone.now() - datetime.timedelta(hours=1),
        recorded_place="某路口",
    )


def _decision_stage_case(agency, item, officers, actor, n=0):
    """A case of a citizen taken through the services to the review-and-decision stage."""
    case = case_open(
        agency=agency,
        power_item=item,
        source="inspection",
        summary=f"涉嫌无证经营 {n}",
        parties=[CITIZEN],
        officers=officers,
        actor=actor,
    )
    for _ in range(2):
        _record(case, actor, officers[0])
        case = case_advance(case=case, actor=actor)
    assert case.stage == Stage.DECISION
    return case


@pytest.fixture
def case(agency_a, item, tiers, officers, inspector_a):
    return _decision_stage_case(agency_a, item, officers, inspector_a)


def _draft(tier, **overrides) -> dict:
    data = {
        "decision-kind": Decision.Kind.FINE,
        "decision-fine_amount": "20000",
        "decision-tier": tier.pk,
        "decision-outside_tier_reason": "",
        "decision-explanation": "当事人无证经营，违法所得较少。",
        "decision-draft": "行政处罚决定书（草稿）",
    }
    data.update(overrides)
    return data


def _review(
    conclusion=LegalReview.Conclusion.AGREE,
    passed=CHECKS,
    reasons="事实清楚，程序合法。",
    version=1,
):
    """The review form as the page posts it, with the draft version it shows (R5)."""
    data = {f"review-{name}": "on" for name in passed}
    data.update(
        {
            "review-conclusion": conclusion,
            "review-reasons": reasons,
            "review-draft_version": version,
        }
    )
    return data


def _major(case, inspector_a, tiers) -> Decision:
    decision = decision_save(
        case=case,
        actor=inspector_a,
        kind=Decision.Kind.FINE,
        fine_amount=Decimal("20000"),
        tier=tiers[1],
        explanation="情况说明",
        draft="草稿",
    )
    return decision_submit(decision=decision, actor=inspector_a)


# --- drafting, reviewing, issuing -------------------------------------------------------------


def test_a_major_fine_is_reviewed_by_the_legal_office_before_it_is_issued(
    inspector_a, legal_office_a, case, tiers
):
    """R5: a fine of 20,000 on a citizen is major; issuing before review is refused; after the
    legal office agrees, staff issue it."""
    staff = client_for(inspector_a)
    page = staff.get(case.get_absolute_url()).content.decode()
    assert 'id="decision"' in page and "违法情节一般" in page and "5000" in page  # tiers shown
    saved = staff.post(reverse("cases:decision-save", args=[case.pk]), _draft(tiers[1]))
    assert saved.status_code == 302
    decision = Decision.objects.get(case=case)
    assert decision.is_major and decision.status == Decision.Status.DRAFT
    page = staff.get(case.get_absolute_url()).content.decode()
    assert "重大执法决定" in page and "对公民罚款 20000" in page
    assert "提交法制审核" in page and "作出决定" in page

    refused = staff.post(reverse("cases:decision-issue", args=[case.pk]))
    assert refused.status_code == 400 and R5_REFUSAL in refused.content.decode()
    decision.refresh_from_db()
    assert decision.status == Decision.Status.DRAFT and decision.issued_at is None

    assert staff.post(reverse("cases:decision-submit", args=[case.pk])).status_code == 302
    decision.refresh_from_db()
    assert decision.status == Decision.Status.IN_REVIEW
    assert 'id="review-form"' not in staff.get(case.get_absolute_url()).content.decode()

    office = client_for(legal_office_a)
    queue = office.get(reverse("cases:reviews")).content.decode()
    assert case.get_absolute_url() in queue
    page = office.get(case.get_absolute_url()).content.decode()
    assert 'id="review-form"' in page and "事实清楚，证据确凿" in page
    reviewed = office.post(reverse("cases:review", args=[case.pk]), _review())
    assert reviewed.status_code == 302
    decision.refresh_from_db()
    assert decision.status == Decision.Status.AGREED
    assert case.get_absolute_url() not in office.get(reverse("cases:reviews")).content.decode()

    assert staff.post(reverse("cases:decision-issue", args=[case.pk])).status_code == 302
    decision.refresh_from_db()
    assert decision.status == Decision.Status.ISSUED and decision.issued_by == inspector_a
    page = staff.get(case.get_absolute_url()).content.decode()
    assert "已作出决定" in page and "legal_office_a" in page and "✓" in page
    assert 'id="decision-form"' not in page


def test_a_disagreeing_review_returns_the_decision_to_staff(
    inspector_a, legal_office_a, case, tiers
):
    """R5: the legal office disagrees with reasons; the decision goes back to staff, who cannot
    issue it and may revise it."""
    decision = _major(case, inspector_a, tiers)
    office = client_for(legal_office_a)
    response = office.post(
        reverse("cases:review", args=[case.pk]),
        _review(LegalReview.Conclusion.DISAGREE, passed=CHECKS[:3], reasons="裁量明显不当。"),
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.status == Decision.Status.RETURNED
    staff = client_for(inspector_a)
    page = staff.get(case.get_absolute_url()).content.decode()
    assert "退回修改" in page and "裁量明显不当" in page and "✗" in page
    assert 'id="decision-form"' in page  # staff may revise it
    refused = staff.post(reverse("cases:decision-issue", args=[case.pk]))
    assert R5_REFUSAL in refused.content.decode()
    decision.refresh_from_db()
    assert decision.status == Decision.Status.RETURNED


def test_agreeing_needs_every_check(inspector_a, legal_office_a, case, tiers):
    """R5: agreement with a failed check is refused and nothing is recorded."""
    decision = _major(case, inspector_a, tiers)
    response = client_for(legal_office_a).post(
        reverse("cases:review", args=[case.pk]), _review(passed=CHECKS[:4])
    )
    assert response.status_code == 400
    assert "五项审核内容均合格才能同意" in response.content.decode()
    decision.refresh_from_db()
    assert decision.status == Decision.Status.IN_REVIEW and not decision.reviews.exists()


def test_a_warning_is_not_major_and_is_issued_directly(inspector_a, case, tiers):
    """R5: a decision meeting no criterion needs no review."""
    staff = client_for(inspector_a)
    data = _draft(tiers[0], **{"decision-kind": Decision.Kind.WARNING, "decision-fine_amount": ""})
    assert staff.post(reverse("cases:decision-save", args=[case.pk]), data).status_code == 302
    page = staff.get(case.get_absolute_url()).content.decode()
    assert "非重大执法决定" in page and "提交法制审核</button>" not in page
    assert staff.post(reverse("cases:decision-issue", args=[case.pk])).status_code == 302
    decision = Decision.objects.get(case=case)
    assert decision.status == Decision.Status.ISSUED and not decision.is_major


def test_a_fine_outside_its_tier_needs_a_reason(inspector_a, case, tiers):
    """R7: a fine above the chosen tier's range without a reason is refused; nothing saved."""
    staff = client_for(inspector_a)
    data = _draft(tiers[1], **{"decision-fine_amount": "40000"})
    response = staff.post(reverse("cases:decision-save", args=[case.pk]), data)
    assert response.status_code == 400 and R7_REFUSAL in response.content.decode()
    assert not Decision.objects.filter(case=case).exists()
    data["decision-outside_tier_reason"] = "当事人拒不改正，多次违法。"
    assert staff.post(reverse("cases:decision-save", args=[case.pk]), data).status_code == 302
    assert "罚款超出所适用裁量基准的幅度" in Decision.objects.get(case=case).major_reasons


def test_a_penalty_must_name_its_tier(inspector_a, case, tiers):
    """R7: a penalty names the discretion tier it applies."""
    data = _draft(tiers[1], **{"decision-tier": ""})
    response = client_for(inspector_a).post(reverse("cases:decision-save", args=[case.pk]), data)
    assert "请选择所适用的裁量基准（R7）" in response.content.decode()
    assert not Decision.objects.filter(case=case).exists()


def test_no_decision_section_before_the_decision_stage(
    inspector_a, agency_a, item, officers, tiers
):
    case = case_open(
        agency=agency_a,
        power_item=item,
        source="inspection",
        summary="涉嫌无证经营",
        parties=[CITIZEN],
        officers=officers,
        actor=inspector_a,
    )
    client = client_for(inspector_a)
    assert 'id="decision"' not in client.get(case.get_absolute_url()).content.decode()
    response = client.post(reverse("cases:decision-save", args=[case.pk]), _draft(tiers[1]))
    assert "审查决定" in response.content.decode()
    assert not Decision.objects.exists()


# --- who may do what ----------------------------------------------------------------------------


def test_staff_without_review_rights_cannot_review(inspector_a, city_supervisor, case, tiers):
    """R5: only the agency's legal office reviews: staff and supervisors get 403; no review."""
    decision = _major(case, inspector_a, tiers)
    for user in (inspector_a, city_supervisor):
        client = client_for(user)
        assert 'id="review-form"' not in client.get(case.get_absolute_url()).content.decode()
        assert client.post(reverse("cases:review", args=[case.pk]), _review()).status_code == 403
    assert client_for(inspector_a).get(reverse("cases:reviews")).status_code == 403
    supervisor = client_for(city_supervisor)
    assert supervisor.post(reverse("cases:decision-issue", args=[case.pk])).status_code == 403
    decision.refresh_from_db()
    assert decision.status == Decision.Status.IN_REVIEW and not decision.reviews.exists()


def test_the_outsider_is_refused_on_every_decision_page(outsider_b, inspector_a, case, tiers):
    """An officer of agency B can neither see nor touch agency A's decision."""
    decision = _major(case, inspector_a, tiers)
    client = client_for(outsider_b)
    assert client.get(case.get_absolute_url()).status_code == 404
    for name, data in (
        ("cases:decision-save", _draft(tiers[1])),
        ("cases:decision-submit", {}),
        ("cases:decision-issue", {}),
        ("cases:review", _review()),
    ):
        assert client.post(reverse(name, args=[case.pk]), data).status_code == 404, name
    # The review queue is the legal office's: staff of another agency are refused outright.
    assert client.get(reverse("cases:reviews")).status_code == 403
    decision.refresh_from_db()
    assert decision.status == Decision.Status.IN_REVIEW and not decision.reviews.exists()


def test_the_workspace_links_the_legal_office_to_its_queue(legal_office_a, inspector_a):
    url = reverse("cases:reviews")
    assert url in client_for(legal_office_a).get(reverse("portal:workspace")).content.decode()
    assert url not in client_for(inspector_a).get(reverse("portal:workspace")).content.decode()


def test_the_queue_is_oldest_first(legal_office_a, agency_a, item, tiers, officers, inspector_a):
    first = _decision_stage_case(agency_a, item, officers, inspector_a, 1)
    second = _decision_stage_case(agency_a, item, officers, inspector_a, 2)
    _major(second, inspector_a, tiers)
    _major(first, inspector_a, tiers)
    queue = client_for(legal_office_a).get(reverse("cases:reviews")).content.decode()
    assert queue.index(second.get_absolute_url()) < queue.index(first.get_absolute_url())


# --- query counts --------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [2, 6])
def test_the_review_queue_stays_constant_in_queries(
    count,
    legal_office_a,
    agency_a,
    item,
    tiers,
    officers,
    inspector_a,
    django_assert_max_num_queries,
):
    for n in range(count):
        _major(_decision_stage_case(agency_a, item, officers, inspector_a, n), inspector_a, tiers)
    client = client_for(legal_office_a)
    with django_assert_max_num_queries(7):
        response = client.get(reverse("cases:reviews"))
    assert response.content.decode().count("#decision") == count


@pytest.mark.parametrize("rounds", [1, 3])
def test_the_case_page_with_reviews_stays_constant_in_queries(
    rounds, inspector_a, legal_office_a, case, tiers, django_assert_max_num_queries
):
    office = client_for(legal_office_a)
    for version in range(1, rounds + 1):
        _major(case, inspector_a, tiers)  # each save a new draft (R5)
        office.post(
            reverse("cases:review", args=[case.pk]),
            _review(LegalReview.Conclusion.REVISE, reasons="请补充证据。", version=version),
        )
    _major(case, inspector_a, tiers)
    assert Decision.objects.get(case=case).reviews.count() == rounds
    # 17: the region's catalogue (R5) is read once, for the grounds its forms offer.
    with django_assert_max_num_queries(17):
        response = office.get(case.get_absolute_url())
    page = response.content.decode()
    assert page.count(">请补充证据。</td>") == rounds and 'id="review-form"' in page
