"""R30: fines are decided by the agency and collected by a bank (罚缴分离), with no fine quotas.

A fine decision names a bank its region designates; the party pays the bank; a supervisor whose
region covers the agency enters each payment from the bank's receipt, never the agency or its
legal office. A receipt is entered once, and the payments never exceed the fine, even when two
are entered at the same moment. Nowhere can a fine quota or target be set.
"""

import datetime
import threading
from decimal import Decimal

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.utils import timezone

from enforcement.models import CaseEvent, CollectingBank, Decision, FinePayment, Stage
from enforcement.selectors.fines import outstanding, paid_total
from enforcement.services import cases as case_services
from enforcement.services import decisions as decision_services
from enforcement.services.fines import fine_payment_record
from portal.roles import Role
from portal.services import user_assign_role
from tests.factories import OfficerFactory, UserFactory

from .staff_factories import make_published
from .test_cases import COMPANY, add_record, open_case

pytestmark = pytest.mark.django_db

R30_NO_BANK = "本地区尚未指定罚款代收银行，不能作出罚款决定，请联系政府法制部门（R30）。"
R30_OTHER_BANK = "只能选择本地区指定的罚款代收银行（R30）。"
R30_NOT_THE_AGENCY = "罚款缴纳由政府法制部门根据代收银行的缴款凭据录入"


# --- helpers shared with the page and report tests ----------------------------------------------


def case_in_decision(agency, item, officers, actor, *, party=COMPANY, summary=None):
    fields = {"parties": [party]} | ({"summary": summary} if summary else {})
    case = open_case(agency, item, officers, actor, **fields)
    for _stage in (Stage.INITIATION, Stage.INVESTIGATION):
        add_record(case, actor)
        case = case_services.case_advance(case=case, actor=actor)
    return case


def issue(decision: Decision, actor, reviewer=None) -> Decision:
    """Issue the decision, through the legal office's review when it is major (R5)."""
    if decision.is_major:
        decision = decision_services.decision_submit(decision=decision, actor=actor)
        decision_services.legal_review_record(
            decision=decision,
            actor=reviewer,
            conclusion="agree",
            reasons="事实清楚，证据确凿。",
            subject_lawful=True,
            facts_proven=True,
            basis_correct=True,
            discretion_proper=True,
            procedure_lawful=True,
        )
    return decision_services.decision_issue(decision=decision, actor=actor)


def draft_decision(case, actor, *, kind="fine", amount=Decimal("5000"), **fields) -> Decision:
    return decision_services.decision_save(
        case=case,
        actor=actor,
        kind=kind,
        fine_amount=amount if kind == "fine" else None,
        explanation="当事人销售超过保质期的食品。",
        draft="决定对当事人处以罚款。",
        **fields,
    )


def to_stage(case, actor, stage: str):
    """Advance the case (its decision issued) until it reaches `stage`."""
    while case.stage != stage:
        add_record(case, actor)
        case = case_services.case_advance(case=case, actor=actor)
    return case


def fined_case(agency, item, officers, actor, *, amount=Decimal("5000"), stage=Stage.SERVICE):
    """A case with an issued, non-major fine of `amount` on a company, taken to `stage`."""
    case = case_in_decision(agency, item, officers, actor)
    decision = issue(draft_decision(case, actor, amount=amount), actor)
    return to_stage(case, actor, stage), decision


def pay(decision, actor, receipt="NS2024000001", amount="1000", paid_on=None, **extra):
    return fine_payment_record(
        decision=decision,
        actor=actor,
        receipt_number=receipt,
        amount=amount,
        paid_on=paid_on or timezone.localdate(),
        **extra,
    )


def code_of(error: ValidationError) -> str:
    """The code of a refusal, whether it names a field or not."""
    if hasattr(error, "error_dict"):
        return next(e.code for errors in error.error_dict.values() for e in errors)
    return error.code


def snapshot(decision) -> tuple:
    return (
        FinePayment.objects.filter(decision=decision).count(),
        decision.case.timeline.filter(kind=CaseEvent.Kind.PAYMENT_RECORDED).count(),
    )


@pytest.fixture
def fine(agency_a, item_a, officers_a, inspector_a):
    """An issued fine of ¥5,000, its case in 送达执行."""
    _case, decision = fined_case(agency_a, item_a, officers_a, inspector_a)
    return decision


# --- R30: the fine names its region's bank (decision_save) ---------------------------------------


def test_a_fine_names_the_regions_designated_bank_by_default(
    province, agency_a, item_a, officers_a, inspector_a
):
    """R30: without a choice, the fine is paid to the first bank the region designates."""
    case = case_in_decision(agency_a, item_a, officers_a, inspector_a)
    decision = draft_decision(case, inspector_a)
    assert decision.collecting_bank == CollectingBank.objects.get(region=province)


def test_the_nearest_region_that_designates_banks_is_the_one_whose_banks_count(
    city_a, agency_a, item_a, officers_a, inspector_a
):
    """R30: a city that designates its own bank overrides the province's designation."""
    city_bank = CollectingBank.objects.create(
        region=city_a, name="甲市商业银行", account_name="甲市财政局", account_number="6200000002"
    )
    case = case_in_decision(agency_a, item_a, officers_a, inspector_a)
    assert draft_decision(case, inspector_a).collecting_bank == city_bank


def test_a_bank_designated_by_another_region_is_refused(
    city_b, agency_a, item_a, officers_a, inspector_a
):
    """R30: the fine may only name a bank its own region (or the nearest above) designates."""
    other = CollectingBank.objects.create(
        region=city_b, name="丙市商业银行", account_name="丙市财政局", account_number="6200000003"
    )
    case = case_in_decision(agency_a, item_a, officers_a, inspector_a)
    with pytest.raises(ValidationError) as refused:
        draft_decision(case, inspector_a, collecting_bank=other)
    assert refused.value.message_dict["collecting_bank"] == [R30_OTHER_BANK]
    assert not Decision.objects.filter(case=case).exists()


def test_without_a_designated_bank_no_fine_can_be_decided(
    province, agency_a, item_a, officers_a, inspector_a
):
    """R30: where no bank is designated the agency cannot decide a fine (it never collects
    one itself); other decisions are not affected."""
    CollectingBank.objects.filter(region=province).update(is_active=False)
    case = case_in_decision(agency_a, item_a, officers_a, inspector_a)
    with pytest.raises(ValidationError) as refused:
        draft_decision(case, inspector_a)
    assert refused.value.message_dict["collecting_bank"] == [R30_NO_BANK]
    assert not Decision.objects.filter(case=case).exists()
    assert draft_decision(case, inspector_a, kind="warning").collecting_bank is None


# --- R30: recording a payment --------------------------------------------------------------------


def test_a_supervisor_records_a_payment_from_the_banks_receipt(fine, city_supervisor):
    """R30: the payment is tied to the decision's bank, kept with its history, and a step of
    the case's timeline names the amount and the receipt."""
    payment = pay(fine, city_supervisor, receipt="  NS2024000001 ", amount="1500.50", note="现金")
    assert payment.bank == fine.collecting_bank
    assert payment.receipt_number == "NS2024000001"
    assert payment.recorded_by == city_supervisor and payment.note == "现金"
    assert payment.history.get().history_user == city_supervisor
    event = fine.case.timeline.get(kind=CaseEvent.Kind.PAYMENT_RECORDED)
    assert event.actor == city_supervisor
    assert "1500.50" in event.note and "NS2024000001" in event.note and "3499.50" in event.note
    assert paid_total(decision=fine) == Decimal("1500.50")
    assert outstanding(decision=fine) == Decimal("3499.50")


def test_payments_may_complete_the_fine_but_never_exceed_it(fine, city_supervisor):
    """R30: the total paid reaches the fine and stops there."""
    before = snapshot(fine)
    with pytest.raises(ValidationError) as refused:
        pay(fine, city_supervisor, receipt="R0", amount="5000.01")
    assert "超过尚未缴纳的罚款 5000.00 元" in refused.value.message_dict["amount"][0]
    assert snapshot(fine) == before
    pay(fine, city_supervisor, receipt="R1", amount="3000")
    pay(fine, city_supervisor, receipt="R2", amount="2000")
    assert outstanding(decision=fine) == Decimal("0")
    with pytest.raises(ValidationError, match="超过尚未缴纳的罚款"):
        pay(fine, city_supervisor, receipt="R3", amount="0.01")
    assert paid_total(decision=fine) == Decimal("5000")


def test_a_county_agencys_fine_is_recorded_by_the_city_supervisor(
    county_agency_a, city_supervisor, sysadmin, officers_a
):
    """R30: the supervisor's region covers the counties below it."""
    staff = user_assign_role(
        user=UserFactory(username="county_staff"),
        role=Role.AGENCY_STAFF,
        actor=None,
        agency=county_agency_a,
    )
    office = user_assign_role(
        user=UserFactory(username="county_legal"),
        role=Role.LEGAL_OFFICE,
        actor=None,
        agency=county_agency_a,
    )
    item = make_published(county_agency_a, staff, office, city_supervisor)
    officers = [OfficerFactory(agency=county_agency_a) for _ in range(2)]
    _case, decision = fined_case(county_agency_a, item, officers, staff)
    assert pay(decision, city_supervisor).pk


def _supervisor_of(region, username="supervisor_b"):
    return user_assign_role(
        user=UserFactory(username=username), role=Role.SUPERVISOR, actor=None, region=region
    )


@pytest.mark.parametrize(
    "who", ["inspector_a", "legal_office_a", "outsider_b", "sysadmin", "supervisor_b"]
)
def test_only_a_supervisor_over_the_agency_records_payments(request, fine, city_b, who):
    """R30: the agency that decided never records the collection itself, nor does its legal
    office; a supervisor of another region cannot either. Nothing changes."""
    actor = _supervisor_of(city_b) if who == "supervisor_b" else request.getfixturevalue(who)
    before = snapshot(fine)
    with pytest.raises(PermissionDenied, match=R30_NOT_THE_AGENCY):
        pay(fine, actor)
    assert snapshot(fine) == before


def test_only_an_issued_fine_takes_payments(
    agency_a, item_a, officers_a, inspector_a, city_supervisor
):
    """R30: a fine still in draft, or a decision that is not a fine, takes no payment."""
    case = case_in_decision(agency_a, item_a, officers_a, inspector_a)
    drafted = draft_decision(case, inspector_a)
    with pytest.raises(ValidationError, match="只有已作出的罚款决定"):
        pay(drafted, city_supervisor)
    warning = issue(draft_decision(case, inspector_a, kind="warning"), inspector_a)
    with pytest.raises(ValidationError, match="只有已作出的罚款决定"):
        pay(warning, city_supervisor)
    assert not FinePayment.objects.exists()


def test_payments_wait_for_the_service_stage(
    agency_a, item_a, officers_a, inspector_a, city_supervisor
):
    """R30, R6: the decision is served before it is executed; the archiving stage still
    takes payments."""
    case, decision = fined_case(agency_a, item_a, officers_a, inspector_a, stage=Stage.DECISION)
    with pytest.raises(ValidationError) as refused:
        pay(decision, city_supervisor)
    assert code_of(refused.value) == "stage"
    assert snapshot(decision) == (0, 0)
    to_stage(case, inspector_a, Stage.ARCHIVING)
    assert pay(decision, city_supervisor).pk


def test_a_closed_case_takes_no_more_payments(fine, city_supervisor):
    """R30: once the case is closed (结案) its record of collection is final."""
    type(fine.case).objects.filter(pk=fine.case_id).update(closed_at=timezone.now())
    with pytest.raises(ValidationError, match="案件已结案"):
        pay(fine, city_supervisor)
    assert snapshot(fine) == (0, 0)


@pytest.mark.parametrize(
    ("receipt", "message"),
    [("", "请填写银行回执编号。"), ("   ", "请填写银行回执编号。"), ("R" * 51, "不能超过 50 个字")],
)
def test_a_payment_needs_its_receipt_number(fine, city_supervisor, receipt, message):
    with pytest.raises(ValidationError) as refused:
        pay(fine, city_supervisor, receipt=receipt)
    assert message in refused.value.message_dict["receipt_number"][0]
    assert snapshot(fine) == (0, 0)


def test_a_receipt_is_entered_once_per_bank(
    fine, agency_a, item_a, officers_a, inspector_a, city_supervisor
):
    """R30: the same bank receipt cannot be entered twice, not even against another fine; the
    refusal is a clear message, not a database error."""
    pay(fine, city_supervisor, receipt="NS-1")
    _case, other = fined_case(agency_a, item_a, officers_a, inspector_a)
    for decision in (fine, other):
        with pytest.raises(ValidationError) as refused:
            pay(decision, city_supervisor, receipt=" NS-1 ")
        assert refused.value.message_dict["receipt_number"] == [
            "银行回执编号“NS-1”已经录入过，同一张回执不能重复录入。"
        ]
    assert FinePayment.objects.count() == 1
    assert snapshot(other) == (0, 0)


@pytest.mark.parametrize(
    ("amount", "message"),
    [
        ("0", "缴款金额须大于零。"),
        ("-100", "缴款金额须大于零。"),
        (None, "请填写缴款金额。"),
        ("abc", "请填写缴款金额。"),
        ("NaN", "请填写缴款金额。"),
    ],
)
def test_a_payment_amount_must_be_positive(fine, city_supervisor, amount, message):
    with pytest.raises(ValidationError) as refused:
        pay(fine, city_supervisor, amount=amount)
    assert refused.value.message_dict["amount"] == [message]
    assert snapshot(fine) == (0, 0)


def test_a_payment_date_is_neither_in_the_future_nor_before_the_decision(fine, city_supervisor):
    today = timezone.localdate()
    with pytest.raises(ValidationError) as refused:
        pay(fine, city_supervisor, paid_on=today + datetime.timedelta(days=1))
    assert refused.value.message_dict["paid_on"] == ["缴款日期不能晚于今天。"]
    Decision.objects.filter(pk=fine.pk).update(
        issued_at=timezone.now() - datetime.timedelta(days=5)
    )
    with pytest.raises(ValidationError) as refused:
        pay(fine, city_supervisor, paid_on=today - datetime.timedelta(days=6))
    assert "不能早于决定作出之日" in refused.value.message_dict["paid_on"][0]
    for wrong in (None, "2024-01-01"):
        with pytest.raises(ValidationError, match="请填写缴款日期"):
            fine_payment_record(
                decision=fine,
                actor=city_supervisor,
                receipt_number="R9",
                amount=Decimal("1"),
                paid_on=wrong,
            )
    assert snapshot(fine) == (0, 0)
    assert pay(fine, city_supervisor, paid_on=today - datetime.timedelta(days=5)).pk


def test_two_entries_in_turn_cannot_overshoot(fine, city_supervisor):
    """R30: the second of two entries that together exceed the fine is refused."""
    pay(fine, city_supervisor, receipt="A", amount="3000")
    with pytest.raises(ValidationError) as refused:
        pay(fine, city_supervisor, receipt="B", amount="3000")
    assert code_of(refused.value) == "overpaid"
    assert paid_total(decision=fine) == Decimal("3000")


@pytest.mark.postgres("row locks")
@pytest.mark.django_db(transaction=True)
def test_two_entries_at_once_cannot_overshoot(fine, city_supervisor):
    """R30 race: two supervisors enter ¥3,000 each on a ¥5,000 fine at the same moment; the
    decision's row lock lets exactly one through."""
    barrier = threading.Barrier(2)
    outcomes = []

    def enter(receipt):
        try:
            barrier.wait(timeout=10)
            pay(fine, city_supervisor, receipt=receipt, amount="3000")
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(code_of(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=enter, args=(r,)) for r in ("A", "B")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["ok", "overpaid"]
    assert paid_total(decision=fine) == Decimal("3000")


# --- R30: no fine quotas ----------------------------------------------------------------------

QUOTA_NAMES = ("quota", "target")
QUOTA_LABELS = ("指标", "任务数", "任务额", "目标", "定额", "配额")
FINE_NAMES = ("fine", "penalt", "confiscat", "collect")
FINE_LABELS = ("罚", "没收", "收缴")


def _fields():
    for model in apps.get_models():
        for field in model._meta.get_fields():
            name = field.name.lower()
            label = str(getattr(field, "verbose_name", "") or "")
            where = f"{model._meta.label}.{field.name}"
            yield model, where, name, label


def test_no_field_anywhere_sets_a_fine_quota_or_target():
    """R30: no model of any installed app holds a quota or target of fines or confiscations."""
    found = []
    for model, where, name, label in _fields():
        quota = any(w in name for w in QUOTA_NAMES) or any(w in label for w in QUOTA_LABELS)
        about = f"{name} {label} {model._meta.model_name} {model._meta.verbose_name}".lower()
        fines = any(w in about for w in FINE_NAMES) or any(w in about for w in FINE_LABELS)
        if quota and fines:
            found.append(where)
    assert found == []


def test_the_enforcement_app_has_no_quota_or_target_field_at_all():
    """R30: agencies, their cases, decisions and fines carry no quota or target of any kind."""
    found = [
        where
        for model, where, name, label in _fields()
        if model._meta.app_label == "enforcement"
        and (any(w in name for w in QUOTA_NAMES) or any(w in label for w in QUOTA_LABELS))
    ]
    assert found == []
