"""The pages of fines (R30): the payments section of a case, where a supervisor enters what the
bank collected, and the supervisors' report of fines decided against fines collected.

罚缴分离: the agency that decided and its legal office read the payments but never enter them;
outsiders see nothing. There is no fine quota or target, so the report has no such column.
"""

import datetime
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from enforcement.models import CaseEvent, FinePayment, Stage
from portal.roles import Role
from portal.services import user_assign_role
from tests.conftest import client_for
from tests.factories import OfficerFactory, UserFactory

from .staff_factories import make_published
from .test_fines import case_in_decision, draft_decision, fined_case, issue, pay

pytestmark = pytest.mark.django_db


@pytest.fixture
def fined(agency_a, item_a, officers_a, inspector_a):
    """A case in 送达执行 with an issued fine of ¥5,000."""
    return fined_case(agency_a, item_a, officers_a, inspector_a)


def _url(case) -> str:
    return reverse("cases:payment-add", args=[case.pk])


def _data(receipt="NS2024-0001", amount="2000", paid_on=None, note="") -> dict:
    return {
        "payment-receipt_number": receipt,
        "payment-amount": amount,
        "payment-paid_on": paid_on or timezone.localdate().isoformat(),
        "payment-note": note,
    }


def _unchanged(decision) -> bool:
    return (
        not FinePayment.objects.filter(decision=decision).exists()
        and not decision.case.timeline.filter(kind=CaseEvent.Kind.PAYMENT_RECORDED).exists()
    )


# --- the case page ----------------------------------------------------------------------------


def test_a_supervisor_enters_a_payment_from_the_case_page(fined, city_supervisor):
    """R30: the supervisor sees the fine, the designated bank and the form; the payment it
    enters shows in the table with the paid and outstanding amounts."""
    case, decision = fined
    client = client_for(city_supervisor)
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'id="payments"' in page and 'id="payment-form"' in page
    assert "测试省农村信用社" in page and "62000000000000001" in page
    assert "测试省财政厅非税收入汇缴结算户" in page and "罚缴分离" in page
    response = client.post(_url(case), _data(note="柜台缴款"))
    assert response.status_code == 302 and response.url.endswith("#payments")
    payment = FinePayment.objects.get(decision=decision)
    assert (payment.amount, payment.recorded_by) == (Decimal("2000"), city_supervisor)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "NS2024-0001" in page and "柜台缴款" in page
    assert re.search(r"data-paid>2,000\.00 元<", page) and re.search(
        r"data-outstanding>3,000\.00 元<", page
    )


@pytest.mark.parametrize("who", ["inspector_a", "legal_office_a"])
def test_the_agency_reads_the_payments_but_cannot_enter_one(request, fined, city_supervisor, who):
    """R30: the deciding agency and its legal office see the section read-only; a post is
    refused with 403 and nothing is recorded."""
    case, decision = fined
    pay(decision, city_supervisor, receipt="NS-READ")
    client = client_for(request.getfixturevalue(who))
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'id="payments"' in page and "NS-READ" in page
    assert 'id="payment-form"' not in page and _url(case) not in page
    assert client.post(_url(case), _data()).status_code == 403
    assert FinePayment.objects.filter(decision=decision).count() == 1


def test_the_outsider_gets_404_and_the_public_is_sent_to_log_in(fined, outsider_b, public_client):
    """R30: agency B's staff can neither see nor touch agency A's fine."""
    case, decision = fined
    outsider = client_for(outsider_b)
    assert outsider.get(case.get_absolute_url()).status_code == 404
    assert outsider.post(_url(case), _data()).status_code == 404
    response = public_client.post(_url(case), _data())
    assert response.status_code == 302 and reverse("login") in response.url
    assert _unchanged(decision)


def test_a_supervisor_of_another_city_gets_404(fined, city_b):
    case, decision = fined
    other = user_assign_role(
        user=UserFactory(username="supervisor_b"), role=Role.SUPERVISOR, actor=None, region=city_b
    )
    client = client_for(other)
    assert client.get(case.get_absolute_url()).status_code == 404
    assert client.post(_url(case), _data()).status_code == 404
    assert _unchanged(decision)


def test_the_sysadmin_reads_but_does_not_enter_payments(fined, sysadmin):
    """R30: payments are entered by the government's legal office, not by the administrator."""
    case, decision = fined
    client = client_for(sysadmin)
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'id="payments"' in page and 'id="payment-form"' not in page
    assert client.post(_url(case), _data()).status_code == 403
    assert _unchanged(decision)


def test_no_payments_section_without_an_issued_fine(
    agency_a, item_a, officers_a, inspector_a, city_supervisor
):
    """R30: a drafted fine or a warning has nothing to collect: no section, and a post is 404."""
    case = case_in_decision(agency_a, item_a, officers_a, inspector_a)
    draft_decision(case, inspector_a)
    client = client_for(city_supervisor)
    assert 'id="payments"' not in client.get(case.get_absolute_url()).content.decode()
    assert client.post(_url(case), _data()).status_code == 404
    issue(draft_decision(case, inspector_a, kind="warning"), inspector_a)
    assert 'id="payments"' not in client.get(case.get_absolute_url()).content.decode()
    assert not FinePayment.objects.exists()


def test_before_the_service_stage_the_supervisor_is_told_why_there_is_no_form(
    agency_a, item_a, officers_a, inspector_a, city_supervisor
):
    case, decision = fined_case(agency_a, item_a, officers_a, inspector_a, stage=Stage.DECISION)
    client = client_for(city_supervisor)
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'id="payments"' in page and 'id="payment-form"' not in page
    assert "案件进入“送达执行”阶段后才能录入缴款" in page
    response = client.post(_url(case), _data())
    assert response.status_code == 400 and "送达执行" in response.content.decode()
    assert _unchanged(decision)


# --- bad input ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_data(paid_on="2024-13-45"), "缴款日期格式不正确"),
        (_data(paid_on="昨天"), "缴款日期格式不正确"),
        (_data(amount="-100"), "缴款金额须大于零。"),
        (_data(amount="0"), "缴款金额须大于零。"),
        (_data(amount="一千"), "缴款金额格式不正确。"),
        (_data(amount="1.234"), "缴款金额最多保留两位小数。"),
        (_data(amount="5000.01"), "超过尚未缴纳的罚款 5000.00 元"),
        (_data(receipt="   "), "请填写银行回执编号。"),
        (_data(paid_on="2999-01-01"), "缴款日期不能晚于今天。"),
    ],
    ids=[
        "bad-date",
        "words-date",
        "negative",
        "zero",
        "words-amount",
        "fractions",
        "overshoot",
        "blank-receipt",
        "future",
    ],
)
def test_bad_input_is_refused_in_chinese_and_changes_nothing(fined, city_supervisor, data, message):
    case, decision = fined
    response = client_for(city_supervisor).post(_url(case), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page and 'id="payment-form"' in page
    assert "未保存，请查看下方“录入罚款缴纳”中的提示。" in page
    assert _unchanged(decision)


def test_a_repeated_receipt_is_refused(fined, city_supervisor):
    case, decision = fined
    client = client_for(city_supervisor)
    assert client.post(_url(case), _data(receipt="NS-7", amount="100")).status_code == 302
    response = client.post(_url(case), _data(receipt="NS-7", amount="100"))
    assert "银行回执编号“NS-7”已经录入过，同一张回执不能重复录入。" in response.content.decode()
    assert FinePayment.objects.filter(decision=decision).count() == 1


def test_a_forged_case_or_decision_id_reaches_no_other_fine(
    fined, agency_a, item_a, officers_a, inspector_a, city_supervisor
):
    """The payment goes to the fine of the case in the URL; a decision id slipped into the post
    is ignored, and a case that does not exist is 404."""
    case, decision = fined
    _other_case, other = fined_case(agency_a, item_a, officers_a, inspector_a)
    client = client_for(city_supervisor)
    assert client.post(reverse("cases:payment-add", args=[999999]), _data()).status_code == 404
    forged = _data() | {"decision": other.pk, "payment-decision": other.pk, "case": other.case_id}
    assert client.post(_url(case), forged).status_code == 302
    assert FinePayment.objects.get().decision == decision
    assert _unchanged(other)


def test_a_fully_paid_fine_shows_no_form_and_refuses_more(fined, city_supervisor):
    case, decision = fined
    pay(decision, city_supervisor, receipt="ALL", amount="5000")
    client = client_for(city_supervisor)
    page = client.get(case.get_absolute_url()).content.decode()
    assert "罚款已全部缴清。" in page and 'id="payment-form"' not in page
    response = client.post(_url(case), _data(amount="1"))
    assert "超过尚未缴纳的罚款 0.00 元" in response.content.decode()
    assert FinePayment.objects.filter(decision=decision).count() == 1


# --- query counts -------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 6])
def test_the_case_page_with_payments_stays_constant_in_queries(
    count, fined, city_supervisor, inspector_a, django_assert_max_num_queries
):
    case, decision = fined
    for n in range(count):
        pay(decision, city_supervisor, receipt=f"Q{n}", amount="10")
    for user in (city_supervisor, inspector_a):
        client = client_for(user)
        with django_assert_max_num_queries(24):
            response = client.get(case.get_absolute_url())
        assert response.content.decode().count("<td>Q") == count


# --- the report of fines decided against collected ----------------------------------------------


def _fine_in(agency, item, officers, actor, amount, *, issued=None):
    case, decision = fined_case(agency, item, officers, actor, amount=Decimal(amount))
    if issued is not None:  # saved, so that the report's monthly tallies move with it
        decision.issued_at = issued
        decision.save(update_fields=["issued_at"])
    return decision


@pytest.fixture
def staff_b(agency_b, outsider_b, sysadmin):
    """Agency B's published item and officers, for a fine outside city A."""
    legal_b = user_assign_role(
        user=UserFactory(username="legal_b"), role=Role.LEGAL_OFFICE, actor=None, agency=agency_b
    )
    item = make_published(agency_b, outsider_b, legal_b, sysadmin)
    return item, [OfficerFactory(agency=agency_b) for _ in range(2)]


def _rows(page: str) -> dict[str, list[str]]:
    """The report's rows by agency name (tbody and tfoot), each a list of cell texts."""
    table = page[page.index('id="fine-report"') :]
    table = table[: table.index("</table>")]
    rows = {}
    for row in re.findall(r"<tr[^>]*>(.*?)</tr>", table, flags=re.S):
        cells = [
            re.sub(r"<[^>]+>", "", c).strip()
            for c in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", row, flags=re.S)
        ]
        rows[cells[0]] = cells[1:]
    return rows


def test_the_report_sets_decided_against_collected_per_agency(
    agency_a, item_a, officers_a, inspector_a, city_supervisor, staff_b, agency_b, outsider_b
):
    """R30: per agency, the fines issued this year, the amounts decided, collected and
    outstanding, the rate, and the totals; agency B (city B) is outside city A's report."""
    first = _fine_in(agency_a, item_a, officers_a, inspector_a, "5000")
    second = _fine_in(agency_a, item_a, officers_a, inspector_a, "3000")
    pay(first, city_supervisor, receipt="A1", amount="5000")
    pay(second, city_supervisor, receipt="A2", amount="1000")
    _fine_in(agency_b, *staff_b, outsider_b, "7000")
    page = client_for(city_supervisor).get(reverse("cases:fine-report")).content.decode()
    rows = _rows(page)
    assert rows["甲市市场监督管理局"] == ["2", "8,000.00 元", "6,000.00 元", "2,000.00 元", "75.0%"]
    assert rows["合计"] == ["2", "8,000.00 元", "6,000.00 元", "2,000.00 元", "75.0%"]
    assert "丙市生态环境局" not in rows


def test_the_sysadmin_sees_every_agency(
    agency_a, item_a, officers_a, inspector_a, sysadmin, staff_b, agency_b, outsider_b
):
    _fine_in(agency_a, item_a, officers_a, inspector_a, "5000")
    _fine_in(agency_b, *staff_b, outsider_b, "7000")
    rows = _rows(client_for(sysadmin).get(reverse("cases:fine-report")).content.decode())
    assert rows["丙市生态环境局"][:2] == ["1", "7,000.00 元"] and rows["合计"][:2] == [
        "2",
        "12,000.00 元",
    ]
    assert rows["丙市生态环境局"][-1] == "0.0%"


def test_the_report_filters_by_year_of_issue_and_agency(
    agency_a, item_a, officers_a, inspector_a, city_supervisor, county_agency_a
):
    """R30: this year by default; another year on request; one agency on request."""
    last_year = timezone.now() - datetime.timedelta(days=400)
    _fine_in(agency_a, item_a, officers_a, inspector_a, "5000")
    old = _fine_in(agency_a, item_a, officers_a, inspector_a, "900", issued=last_year)
    client = client_for(city_supervisor)
    url = reverse("cases:fine-report")
    assert _rows(client.get(url).content.decode())["合计"][:2] == ["1", "5,000.00 元"]
    year = timezone.localtime(old.issued_at).year
    rows = _rows(client.get(url, {"year": year}).content.decode())
    assert rows["合计"][:2] == ["1", "900.00 元"] and f"{year} 年罚款决定与收缴情况" in (
        client.get(url, {"year": year}).content.decode()
    )
    page = client.get(url, {"agency": county_agency_a.pk}).content.decode()
    assert 'id="fine-report"' not in page and "该年度没有符合条件的罚款决定。" in page


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ({"year": "abc"}, "请填写四位数的年度。"),
        ({"year": "1899"}, "年度不能早于 2000 年。"),
        ({"agency": "999999"}, "请选择您监督范围内的执法部门。"),
    ],
)
def test_a_bad_filter_is_shown_and_the_default_is_used(fined, city_supervisor, query, message):
    page = client_for(city_supervisor).get(reverse("cases:fine-report"), query).content.decode()
    assert message in page and "已按默认条件显示" in page
    assert _rows(page)["合计"][:2] == ["1", "5,000.00 元"]


def test_the_report_has_no_quota_or_target_column(fined, city_supervisor):
    """R30: there are no fine quotas: nothing is measured against a target or a task."""
    page = client_for(city_supervisor).get(reverse("cases:fine-report")).content.decode()
    table = page[page.index('id="fine-report"') : page.index("</table>")]
    headers = " ".join(re.findall(r"<th[^>]*>(.*?)</th>", table))
    for word in ("指标", "任务", "目标", "完成率", "考核", "排名"):
        assert word not in headers


@pytest.mark.parametrize("who", ["inspector_a", "legal_office_a", "outsider_b"])
def test_the_report_is_the_supervisors(request, who):
    client = client_for(request.getfixturevalue(who))
    assert client.get(reverse("cases:fine-report")).status_code == 403


def test_the_public_is_sent_to_log_in_for_the_report(public_client):
    response = public_client.get(reverse("cases:fine-report"))
    assert response.status_code == 302 and reverse("login") in response.url


@pytest.mark.parametrize("count", [1, 5])
def test_the_report_stays_constant_in_queries(
    count, agency_a, item_a, officers_a, inspector_a, city_supervisor, django_assert_max_num_queries
):
    for n in range(count):
        decision = _fine_in(agency_a, item_a, officers_a, inspector_a, "1000")
        pay(decision, city_supervisor, receipt=f"C{n}", amount="500")
    client = client_for(city_supervisor)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("cases:fine-report"))
    assert _rows(response.content.decode())["合计"][0] == str(count)


# --- the admin ----------------------------------------------------------------------------------


def test_a_supervisor_keeps_its_regions_banks_and_reads_its_payments_in_the_admin(
    fined, city_a, city_b, city_supervisor
):
    """R30: a supervisor designates the banks of its region and below, and reads the payments
    of its agencies; payments are never added or changed there (the case page checks them)."""
    from enforcement.models import CollectingBank

    case, decision = fined
    pay(decision, city_supervisor, receipt="ADMIN-1")
    mine = CollectingBank.objects.create(
        region=city_a, name="甲市商业银行", account_name="甲市财政局", account_number="6200000002"
    )
    other = CollectingBank.objects.create(
        region=city_b, name="丙市商业银行", account_name="丙市财政局", account_number="6200000003"
    )
    client = client_for(city_supervisor)
    banks = client.get(reverse("admin:enforcement_collectingbank_changelist"))
    assert banks.status_code == 200
    assert "甲市商业银行" in banks.content.decode() and "丙市商业银行" not in banks.content.decode()
    assert client.get(reverse("admin:enforcement_collectingbank_add")).status_code == 200
    change = "admin:enforcement_collectingbank_change"
    assert client.get(reverse(change, args=[mine.pk])).status_code == 200
    assert client.get(reverse(change, args=[other.pk])).status_code in (302, 403, 404)
    payments = client.get(reverse("admin:enforcement_finepayment_changelist"))
    assert payments.status_code == 200 and "ADMIN-1" in payments.content.decode()
    assert client.get(reverse("admin:enforcement_finepayment_add")).status_code == 403


def test_a_supervisor_of_another_city_reads_no_payment_of_city_a_in_the_admin(
    fined, city_b, city_supervisor
):
    case, decision = fined
    pay(decision, city_supervisor, receipt="ADMIN-2")
    other = user_assign_role(
        user=UserFactory(username="supervisor_b"), role=Role.SUPERVISOR, actor=None, region=city_b
    )
    page = client_for(other).get(reverse("admin:enforcement_finepayment_changelist"))
    assert page.status_code == 200 and "ADMIN-2" not in page.content.decode()
