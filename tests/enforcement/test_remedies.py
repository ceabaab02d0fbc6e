"""R13: the findings of administrative reconsideration and litigation feed discovery and
accountability.

Once a case's decision is issued, the agency's staff or a supervisor over it record each outcome;
one that revokes, changes, confirms as unlawful or orders performance is flagged for
accountability screening, and the public disclosure of the decision says so. A supervisor over
the agency screens each flagged outcome once, with a note.
"""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from enforcement.models import CaseEvent, DecisionDisclosure, RemedyOutcome
from enforcement.selectors.remedies import outcomes_awaiting_screening
from enforcement.services.remedies import remedy_outcome_record, remedy_screen
from portal.roles import Role
from portal.services import user_assign_role
from tests.factories import UserFactory

from .test_cases import open_case
from .test_closing import to_stage

pytestmark = pytest.mark.django_db

UNFAVOURABLE = ["revoked", "changed", "confirmed_unlawful", "ordered_to_perform"]


@pytest.fixture
def decided(agency_a, item_a, officers_a, inspector_a):
    """A case of agency A with its decision issued (it is in 送达执行)."""
    case = open_case(agency_a, item_a, officers_a, inspector_a)
    return to_stage(case, inspector_a, "service")


@pytest.fixture
def other_city_supervisor(city_b):
    user = UserFactory(username="city_b_supervisor", name="city_b_supervisor")
    return user_assign_role(user=user, role=Role.SUPERVISOR, region=city_b, actor=None)


def record(case, actor, **overrides) -> RemedyOutcome:
    fields = {
        "case": case,
        "actor": actor,
        "kind": "reconsideration",
        "body": "甲市人民政府",
        "reference": "甲府复决〔2025〕12号",
        "decided_on": timezone.localdate(),
        "outcome": "revoked",
        "summary": "认定事实不清，证据不足。",
    }
    return remedy_outcome_record(**(fields | overrides))


def disclosure_of(case) -> DecisionDisclosure:
    """The decision's public disclosure (written at issue when that service is in place)."""
    decision = case.decision
    found = DecisionDisclosure.objects.filter(decision=decision).first()
    return found or DecisionDisclosure.objects.create(
        decision=decision,
        agency=case.agency,
        title="甲市市场监督管理局行政处罚决定书",
        item_code=case.item_code,
        item_name=case.item_name,
        kind=decision.kind,
        kind_label=decision.get_kind_display(),
        parties="松江某某食品有限公司",
        text="决定不予处罚。",
        decided_on=timezone.localdate(),
    )


def nothing_recorded(case) -> bool:
    return (
        not RemedyOutcome.objects.exists()
        and not case.timeline.filter(kind=CaseEvent.Kind.REMEDY_RECORDED).exists()
    )


# --- recording ----------------------------------------------------------------------------------


def test_an_upheld_decision_is_recorded_without_a_flag(decided, inspector_a):
    """R13: upholding says the agency did not err: no screening, the public page unchanged."""
    disclosure = disclosure_of(decided)
    outcome = record(decided, inspector_a, outcome="upheld", reference="甲府复决〔2025〕1号")
    assert outcome.needs_screening is False and outcome.recorded_by == inspector_a
    step = decided.timeline.get(kind=CaseEvent.Kind.REMEDY_RECORDED)
    assert "维持" in step.note and "问责筛查" not in step.note
    disclosure.refresh_from_db()
    assert disclosure.remedy_note == ""


@pytest.mark.parametrize("outcome", UNFAVOURABLE)
def test_every_unfavourable_outcome_is_flagged_for_screening(decided, inspector_a, outcome):
    """R13: revoked, changed, confirmed unlawful, ordered to perform: each is flagged, and the
    timeline says so."""
    saved = record(decided, inspector_a, outcome=outcome)
    assert saved.needs_screening is True and saved.screened_at is None
    step = decided.timeline.get(kind=CaseEvent.Kind.REMEDY_RECORDED)
    assert "已列入问责筛查（R13）" in step.note and saved.reference in step.note


def test_a_revocation_is_told_on_the_public_disclosure(decided, inspector_a):
    """R9, R13: the public reads that the decision was revoked, and by which document."""
    disclosure = disclosure_of(decided)
    record(decided, inspector_a, outcome="revoked", reference="甲府复决〔2025〕12号")
    disclosure.refresh_from_db()
    assert disclosure.remedy_note == "经行政复议，本决定已被撤销（甲府复决〔2025〕12号）。"


def test_a_court_judgment_is_told_in_its_own_words(decided, city_supervisor):
    disclosure = disclosure_of(decided)
    record(
        decided,
        city_supervisor,
        kind="litigation",
        body="甲市中级人民法院",
        reference="（2025）吉01行终8号",
        outcome="confirmed_unlawful",
    )
    disclosure.refresh_from_db()
    assert disclosure.remedy_note == "经行政诉讼，本决定已被确认违法（（2025）吉01行终8号）。"


def test_the_text_is_cleaned(decided, inspector_a):
    outcome = record(decided, inspector_a, body="  甲市人民政府\x00 ", summary="\n理由。 ")
    assert outcome.body == "甲市人民政府" and outcome.summary == "理由。"


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("body", "请填写复议机关或人民法院"),
        ("reference", "请填写文号"),
        ("summary", "请填写主要理由"),
    ],
)
def test_blank_text_is_refused(decided, inspector_a, field, message):
    with pytest.raises(ValidationError) as refused:
        record(decided, inspector_a, **{field: "   "})
    assert message in refused.value.message_dict[field][0]
    assert nothing_recorded(decided)


def test_an_outcome_needs_an_issued_decision(agency_a, item_a, officers_a, inspector_a):
    """R13: there is nothing to reconsider before the decision is issued."""
    case = to_stage(open_case(agency_a, item_a, officers_a, inspector_a), inspector_a, "decision")
    with pytest.raises(ValidationError, match="执法决定尚未作出"):
        record(case, inspector_a)
    assert nothing_recorded(case)


def test_a_date_in_the_future_is_refused(decided, inspector_a):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(ValidationError) as refused:
        record(decided, inspector_a, decided_on=tomorrow)
    assert refused.value.message_dict["decided_on"] == ["作出日期不能晚于今天。"]
    assert nothing_recorded(decided)


def test_a_date_before_the_decision_was_issued_is_refused(decided, inspector_a):
    issued_on = timezone.localdate(decided.decision.issued_at)
    with pytest.raises(ValidationError) as refused:
        record(decided, inspector_a, decided_on=issued_on - datetime.timedelta(days=1))
    assert refused.value.message_dict["decided_on"] == [
        f"作出日期不能早于执法决定作出的日期（{issued_on:%Y-%m-%d}）。"
    ]
    assert nothing_recorded(decided)


@pytest.mark.parametrize("bad", ["2025-13-01", None, timezone.now()])
def test_a_date_that_is_not_a_date_is_refused(decided, inspector_a, bad):
    with pytest.raises(ValidationError, match="作出日期不是有效的日期"):
        record(decided, inspector_a, decided_on=bad)
    assert nothing_recorded(decided)


@pytest.mark.parametrize(("field", "value"), [("kind", "appeal"), ("outcome", "quashed")])
def test_an_unknown_kind_or_outcome_is_refused(decided, inspector_a, field, value):
    with pytest.raises(ValidationError) as refused:
        record(decided, inspector_a, **{field: value})
    assert field in refused.value.message_dict
    assert nothing_recorded(decided)


def test_a_reference_is_recorded_once_per_kind(decided, inspector_a):
    """R13: the same decision document cannot be entered twice (a Chinese message, not an
    integrity error); a court may use a number a reconsideration body used."""
    record(decided, inspector_a, reference="甲府复决〔2025〕12号")
    with pytest.raises(ValidationError) as refused:
        record(decided, inspector_a, reference=" 甲府复决〔2025〕12号 ", outcome="upheld")
    assert refused.value.message_dict["reference"] == [
        "文号为“甲府复决〔2025〕12号”的行政复议结果已经录入，不能重复录入。"
    ]
    assert RemedyOutcome.objects.count() == 1
    assert decided.timeline.filter(kind=CaseEvent.Kind.REMEDY_RECORDED).count() == 1
    record(decided, inspector_a, kind="litigation", reference="甲府复决〔2025〕12号")
    assert RemedyOutcome.objects.count() == 2


def test_the_database_refuses_a_repeated_reference_too(decided, inspector_a):
    first = record(decided, inspector_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        RemedyOutcome.objects.create(
            case=decided,
            kind=first.kind,
            body="甲市人民政府",
            reference=first.reference,
            decided_on=first.decided_on,
            outcome="upheld",
            summary="重复",
            recorded_by=inspector_a,
        )


@pytest.mark.parametrize("who", ["inspector_a", "legal_office_a", "city_supervisor"])
def test_staff_the_legal_office_and_the_supervisor_may_record(request, decided, who):
    user = request.getfixturevalue(who)
    assert record(decided, user).recorded_by == user


@pytest.mark.parametrize("who", ["outsider_b", "other_city_supervisor", "sysadmin"])
def test_others_may_not_record(request, decided, who):
    """Another agency's staff, a supervisor of another city, the administrator: refused."""
    with pytest.raises(PermissionDenied):
        record(decided, request.getfixturevalue(who))
    assert nothing_recorded(decided)


# --- screening ----------------------------------------------------------------------------------


@pytest.fixture
def flagged(decided, inspector_a) -> RemedyOutcome:
    return record(decided, inspector_a, outcome="revoked")


def test_the_supervisor_screens_a_flagged_outcome(flagged, city_supervisor):
    """R13: the screening note, who and when; the case's timeline says so."""
    outcome = remedy_screen(
        outcome=flagged, actor=city_supervisor, note=" 主办人员取证不足，建议问责。 "
    )
    outcome.refresh_from_db()
    assert outcome.screened_by == city_supervisor and outcome.screened_at is not None
    assert outcome.screening_note == "主办人员取证不足，建议问责。"
    step = outcome.case.timeline.get(kind=CaseEvent.Kind.SCREENED)
    assert step.actor == city_supervisor and "建议问责" in step.note


def test_an_upheld_outcome_is_not_screened(decided, inspector_a, city_supervisor):
    upheld = record(decided, inspector_a, outcome="upheld")
    with pytest.raises(ValidationError, match="不需要问责筛查"):
        remedy_screen(outcome=upheld, actor=city_supervisor, note="无")
    upheld.refresh_from_db()
    assert upheld.screened_at is None


def test_an_outcome_is_screened_once(flagged, city_supervisor):
    remedy_screen(outcome=flagged, actor=city_supervisor, note="不予问责。")
    with pytest.raises(ValidationError, match="已于 .* 由 city_supervisor 筛查"):
        remedy_screen(outcome=flagged, actor=city_supervisor, note="改为问责。")
    flagged.refresh_from_db()
    assert flagged.screening_note == "不予问责。"
    assert flagged.case.timeline.filter(kind=CaseEvent.Kind.SCREENED).count() == 1


def test_a_screening_needs_a_note(flagged, city_supervisor):
    with pytest.raises(ValidationError) as refused:
        remedy_screen(outcome=flagged, actor=city_supervisor, note="  ")
    assert refused.value.message_dict["note"] == ["请填写筛查意见。"]
    flagged.refresh_from_db()
    assert flagged.screened_at is None


@pytest.mark.parametrize(
    "who", ["inspector_a", "legal_office_a", "outsider_b", "other_city_supervisor", "sysadmin"]
)
def test_only_a_supervisor_over_the_agency_screens(request, flagged, who):
    """R13: the agency does not screen itself; nor does a supervisor of another city."""
    with pytest.raises(PermissionDenied):
        remedy_screen(outcome=flagged, actor=request.getfixturevalue(who), note="不予问责。")
    flagged.refresh_from_db()
    assert flagged.screened_at is None


def test_the_database_refuses_a_screening_without_a_note(flagged, city_supervisor):
    with pytest.raises(IntegrityError), transaction.atomic():
        RemedyOutcome.objects.filter(pk=flagged.pk).update(
            screened_at=timezone.now(), screened_by=city_supervisor
        )


def test_the_database_refuses_a_flag_on_an_upheld_outcome(flagged):
    with pytest.raises(IntegrityError), transaction.atomic():
        RemedyOutcome.objects.filter(pk=flagged.pk).update(outcome="upheld")


# --- the selector of flagged, unscreened outcomes -----------------------------------------------


def test_the_outcomes_awaiting_screening_are_scoped_and_oldest_first(
    decided, inspector_a, city_supervisor, other_city_supervisor, sysadmin, outsider_b
):
    first = record(decided, inspector_a, reference="甲府复决〔2025〕1号")
    second = record(decided, inspector_a, reference="甲府复决〔2025〕2号", outcome="changed")
    screened = record(decided, inspector_a, reference="甲府复决〔2025〕3号")
    record(decided, inspector_a, reference="甲府复决〔2025〕4号", outcome="upheld")
    remedy_screen(outcome=screened, actor=city_supervisor, note="不予问责。")
    assert list(outcomes_awaiting_screening(user=city_supervisor)) == [first, second]
    assert list(outcomes_awaiting_screening(user=sysadmin)) == [first, second]
    assert not outcomes_awaiting_screening(user=other_city_supervisor).exists()
    assert not outcomes_awaiting_screening(user=outsider_b).exists()
