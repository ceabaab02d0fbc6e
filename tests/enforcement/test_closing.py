"""Closing a case (结案, R6, R30): staff of the agency close a case in its archiving stage once
that stage holds a current record and a fine decision is paid in full; a closed case is the one a
supervisor may review (案卷评查).

The helpers here take a case through the services to its archiving stage, closed or not, with a
fine or without; the remedy and file-review tests use them too.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from enforcement.models import Case, CaseEvent, Decision, FinePayment, Stage
from enforcement.services import cases as services
from enforcement.services.decisions import decision_issue, decision_save
from tests.conftest import client_for

from .test_cases import PDF, add_record, advance, open_case, upload

pytestmark = pytest.mark.django_db


def to_stage(case: Case, actor, stage: str) -> Case:
    """Take the case on, a record in each stage it leaves (a decision issued on the way)."""
    while case.stage != stage:
        add_record(case, actor)
        case = advance(case, actor)
    return case


def archived(agency, item, officers, actor, *, summary="现场检查发现销售过期食品。") -> Case:
    """A case in its archiving stage holding an archive record, ready to be closed."""
    case = to_stage(open_case(agency, item, officers, actor, summary=summary), actor, "archiving")
    add_record(case, actor, title="归档目录")
    return case


def closed(agency, item, officers, actor, **kwargs) -> Case:
    return services.case_close(case=archived(agency, item, officers, actor, **kwargs), actor=actor)


def fined(agency, item, officers, actor, amount=Decimal("5000")) -> Case:
    """An archived case whose issued decision is a fine (not major: a company, under ¥100,000)."""
    case = to_stage(open_case(agency, item, officers, actor), actor, Stage.DECISION)
    decision = decision_save(
        case=case,
        actor=actor,
        kind=Decision.Kind.FINE,
        fine_amount=amount,
        explanation="当事人销售过期食品。",
        draft="决定处以罚款。",
    )
    decision_issue(decision=decision, actor=actor)
    add_record(case, actor)
    case = to_stage(services.case_advance(case=case, actor=actor), actor, Stage.ARCHIVING)
    add_record(case, actor, title="归档目录")
    return case


def pay(case: Case, amount: str, actor, receipt: str) -> FinePayment:
    """A payment entered from the bank's receipt (its own service belongs to the fines pages)."""
    decision = case.decision
    return FinePayment.objects.create(
        decision=decision,
        bank=decision.collecting_bank,
        receipt_number=receipt,
        amount=Decimal(amount),
        paid_on=timezone.localdate(),
        recorded_by=actor,
    )


def closings(case: Case) -> int:
    return case.timeline.filter(kind=CaseEvent.Kind.CLOSED).count()


@pytest.fixture
def case(agency_a, item_a, officers_a, inspector_a):
    return open_case(agency_a, item_a, officers_a, inspector_a)


@pytest.fixture
def archived_case(agency_a, item_a, officers_a, inspector_a):
    return archived(agency_a, item_a, officers_a, inspector_a)


# --- the rules ----------------------------------------------------------------------------------


def test_staff_close_an_archived_case_holding_an_archive_record(archived_case, inspector_a):
    """R6: the case is closed, with the time and a step in its timeline."""
    before = timezone.now()
    case = services.case_close(case=archived_case, actor=inspector_a)
    case.refresh_from_db()
    assert case.closed_at is not None and case.closed_at >= before
    step = case.timeline.get(kind=CaseEvent.Kind.CLOSED)
    assert step.actor == inspector_a


def test_the_legal_office_of_the_agency_may_close_too(archived_case, legal_office_a):
    services.case_close(case=archived_case, actor=legal_office_a)
    archived_case.refresh_from_db()
    assert archived_case.closed_at is not None


def test_a_case_not_in_its_archiving_stage_cannot_be_closed(
    agency_a, item_a, officers_a, inspector_a
):
    """R6: only a case in 结案归档 is closed; nothing changes."""
    case = to_stage(open_case(agency_a, item_a, officers_a, inspector_a), inspector_a, "service")
    with pytest.raises(ValidationError, match="进入“结案归档”阶段后才能结案"):
        services.case_close(case=case, actor=inspector_a)
    case.refresh_from_db()
    assert case.closed_at is None and closings(case) == 0


def test_a_case_without_an_archive_record_cannot_be_closed(
    agency_a, item_a, officers_a, inspector_a
):
    """R6: the archiving stage must hold a current record."""
    case = to_stage(open_case(agency_a, item_a, officers_a, inspector_a), inspector_a, "archiving")
    with pytest.raises(ValidationError, match="还没有归档记录，不能结案"):
        services.case_close(case=case, actor=inspector_a)
    case.refresh_from_db()
    assert case.closed_at is None and closings(case) == 0


def test_a_corrected_archive_record_still_counts_through_its_correction(
    agency_a, item_a, officers_a, inspector_a
):
    """R6: the superseded version does not count, its correction (current) does."""
    case = to_stage(open_case(agency_a, item_a, officers_a, inspector_a), inspector_a, "archiving")
    record = add_record(case, inspector_a, title="归档目录")
    services.case_record_correct(
        record=record, actor=inspector_a, file=upload("目录.pdf", PDF), reason="补页码"
    )
    services.case_close(case=case, actor=inspector_a)
    case.refresh_from_db()
    assert case.closed_at is not None


def test_a_case_is_closed_once(archived_case, inspector_a):
    services.case_close(case=archived_case, actor=inspector_a)
    archived_case.refresh_from_db()
    first = archived_case.closed_at
    with pytest.raises(ValidationError, match="本案已于 .* 结案"):
        services.case_close(case=archived_case, actor=inspector_a)
    archived_case.refresh_from_db()
    assert archived_case.closed_at == first and closings(archived_case) == 1


def test_a_fine_must_be_paid_in_full_before_closing(
    agency_a, item_a, officers_a, inspector_a, city_supervisor
):
    """R30: unpaid, then partly paid, the case stays open; paid in full, it closes."""
    case = fined(agency_a, item_a, officers_a, inspector_a, Decimal("5000"))
    with pytest.raises(ValidationError) as refused:
        services.case_close(case=case, actor=inspector_a)
    assert refused.value.messages == [
        "罚款 5000.00 元尚未缴清（已缴 0.00 元），缴清后才能结案（R30）。"
    ]
    pay(case, "3000", city_supervisor, "HD001")
    with pytest.raises(ValidationError, match="已缴 3000.00 元"):
        services.case_close(case=case, actor=inspector_a)
    case.refresh_from_db()
    assert case.closed_at is None and closings(case) == 0
    pay(case, "2000", city_supervisor, "HD002")
    services.case_close(case=case, actor=inspector_a)
    case.refresh_from_db()
    assert case.closed_at is not None


def test_payments_above_the_fine_are_refused_for_checking(
    agency_a, item_a, officers_a, inspector_a, city_supervisor
):
    """R30: the payments must add up to the fine exactly; more says the receipts need checking."""
    case = fined(agency_a, item_a, officers_a, inspector_a, Decimal("5000"))
    pay(case, "5000.01", city_supervisor, "HD003")
    with pytest.raises(ValidationError, match="与罚款金额 5000.00 元不符"):
        services.case_close(case=case, actor=inspector_a)
    case.refresh_from_db()
    assert case.closed_at is None


@pytest.mark.parametrize("who", ["outsider_b", "city_supervisor", "sysadmin"])
def test_only_the_agencys_own_staff_close_its_cases(request, who, archived_case):
    """Another agency's staff, the supervisor and the administrator cannot close A's case."""
    with pytest.raises(PermissionDenied):
        services.case_close(case=archived_case, actor=request.getfixturevalue(who))
    archived_case.refresh_from_db()
    assert archived_case.closed_at is None and closings(archived_case) == 0


# --- the page -----------------------------------------------------------------------------------


def test_staff_close_the_case_from_its_page(archived_case, inspector_a):
    client = client_for(inspector_a)
    page = client.get(archived_case.get_absolute_url()).content.decode()
    url = reverse("cases:close", args=[archived_case.pk])
    assert f'action="{url}"' in page
    response = client.post(url)
    assert response.status_code == 302 and response.url.endswith("#closing")
    archived_case.refresh_from_db()
    page = client.get(archived_case.get_absolute_url()).content.decode()
    assert f'data-closed="{timezone.localdate():%Y-%m-%d}"' in page and "已结案" in page
    assert f'action="{url}"' not in page  # no second close


def test_a_refused_close_shows_why_and_changes_nothing(agency_a, item_a, officers_a, inspector_a):
    case = fined(agency_a, item_a, officers_a, inspector_a)
    response = client_for(inspector_a).post(reverse("cases:close", args=[case.pk]))
    assert response.status_code == 400
    assert "尚未缴清（已缴 0.00 元），缴清后才能结案（R30）" in response.content.decode()
    case.refresh_from_db()
    assert case.closed_at is None and closings(case) == 0


def test_closing_a_case_in_another_stage_is_refused_on_the_page(case, inspector_a):
    """A forged post for a case just opened: the refusal is shown, nothing changes."""
    response = client_for(inspector_a).post(reverse("cases:close", args=[case.pk]))
    assert response.status_code == 400
    assert "进入“结案归档”阶段后才能结案" in response.content.decode()
    case.refresh_from_db()
    assert case.closed_at is None


def test_the_close_button_is_for_the_agencys_staff_only(archived_case, city_supervisor):
    client = client_for(city_supervisor)
    page = client.get(archived_case.get_absolute_url()).content.decode()
    assert reverse("cases:close", args=[archived_case.pk]) not in page
    assert client.post(reverse("cases:close", args=[archived_case.pk])).status_code == 403
    archived_case.refresh_from_db()
    assert archived_case.closed_at is None


def test_the_outsider_and_the_public_cannot_close(archived_case, outsider_b, public_client):
    url = reverse("cases:close", args=[archived_case.pk])
    assert client_for(outsider_b).post(url).status_code == 404
    response = public_client.post(url)
    assert response.status_code == 302 and "/accounts/login/" in response.url
    assert client_for(outsider_b).post(reverse("cases:close", args=[999999])).status_code == 404
    archived_case.refresh_from_db()
    assert archived_case.closed_at is None


def test_closing_is_a_post(archived_case, inspector_a):
    assert (
        client_for(inspector_a).get(reverse("cases:close", args=[archived_case.pk])).status_code
        == 405
    )


def test_a_closed_case_takes_no_new_or_corrected_record(archived_case, inspector_a, media):
    """R6: closing seals the file: adding or correcting a record is refused, nothing is stored."""
    record = archived_case.records.filter(stage=Stage.ARCHIVING).get()
    case = services.case_close(case=archived_case, actor=inspector_a)
    records_before = case.records.count()
    files_before = sorted(p for p in media.rglob("*") if p.is_file())
    with pytest.raises(ValidationError, match="已结案"):
        add_record(case, inspector_a, title="补充材料")
    with pytest.raises(ValidationError, match="已结案"):
        services.case_record_correct(
            record=record, actor=inspector_a, file=upload("改.pdf", PDF), reason="补扫"
        )
    assert case.records.count() == records_before
    assert sorted(p for p in media.rglob("*") if p.is_file()) == files_before


def test_a_closed_case_page_offers_no_record_forms(archived_case, inspector_a):
    """R6: once closed, the page shows the file but no form to add, correct or advance."""
    url = reverse("cases:detail", args=[archived_case.pk])
    before = client_for(inspector_a).get(url).content.decode()
    assert 'id="action-add"' in before
    services.case_close(case=archived_case, actor=inspector_a)
    after = client_for(inspector_a).get(url).content.decode()
    assert 'id="action-add"' not in after and "更正" not in after.split('id="records"')[1][:20000]
    assert "归档目录" in after
