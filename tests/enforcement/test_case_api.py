"""The scoped staff API of enforcement cases (R5, R6, R7, R30): the list and one case, opening a
case, its records and their files, advancing the stages, the decision, its legal review and the
legal office's queue.

Every case is read through the case selectors (another agency's case is a 404); every write goes
through its service, and a refusal is a 400 or 403 with the Chinese message that changes
nothing.
"""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from enforcement.models import (
    Case,
    CaseEvent,
    CaseRecord,
    CollectingBank,
    Decision,
    LegalReview,
    Officer,
    Stage,
)
from enforcement.services import decisions as decision_services
from portal.roles import Role
from portal.services import user_assign_role
from tests.conftest import client_for
from tests.factories import OfficerFactory, UserFactory

from .staff_factories import make_published
from .test_cases import COMPANY, COMPANY_CODE, EXE, PDF, PNG, add_record, open_case, suspend
from .test_decisions import PASSING, case_in_decision_stage

pytestmark = pytest.mark.django_db

LIST = reverse("api:staff-case-list")
QUEUE = reverse("api:staff-legal-review-list")
R5_REFUSAL = "重大执法决定须经法制审核同意后才能作出（R5）。"
NOT_ACTING = "只有本单位的执法人员可以办理本单位的案件。"
JSON = {"content_type": "application/json"}


@pytest.fixture
def case(agency_a, item_a, officers_a, inspector_a):
    return open_case(agency_a, item_a, officers_a, inspector_a)


@pytest.fixture
def decision_case(agency_a, item_a, officers_a, inspector_a):
    """A company's case in the review-and-decision stage."""
    return case_in_decision_stage(agency_a, item_a, officers_a, inspector_a, COMPANY)


@pytest.fixture
def submitted(decision_case, inspector_a) -> Decision:
    """R5: a fine of ¥200,000 on a company is major; it is submitted to the legal office."""
    decision = decision_services.decision_save(
        case=decision_case,
        actor=inspector_a,
        kind="fine",
        fine_amount=Decimal("200000"),
        explanation="当事人销售超过保质期的食品，货值较大。",
        draft="决定对当事人处以罚款。",
    )
    return decision_services.decision_submit(decision=decision, actor=inspector_a)


def url(name: str, case, *more) -> str:
    return reverse(f"api:staff-case-{name}", args=[case.pk, *more])


def stored(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


def open_body(agency, item, officers, **overrides) -> dict:
    body = {
        "agency": agency.pk,
        "power_item": item.pk,
        "source": "inspection",
        "summary": "现场检查发现销售超过保质期的食品。",
        "parties": [
            {"kind": "legal_person", "name": "松江某某食品有限公司", "identifier": COMPANY_CODE}
        ],
        "officers": [o.pk for o in officers],
    }
    return body | overrides


def record_body(officer, *, name="现场笔录.pdf", data=PDF, **overrides) -> dict:
    body = {
        "kind": "document",
        "evidence_type": "inspection_record",
        "title": "现场检查笔录",
        "recorded_by": officer.pk,
        "recorded_at": (timezone.now() - timedelta(hours=1)).isoformat(),
        "recorded_place": "松江市人民大街 1 号",
        "file": SimpleUploadedFile(name, data),
    }
    return body | overrides


def decision_body(**overrides) -> dict:
    body = {
        "kind": "fine",
        "fine_amount": "200000.00",
        "explanation": "当事人销售超过保质期的食品，货值较大。",
        "draft": "决定对当事人处以罚款。",
    }
    return body | overrides


def review_body(conclusion="agree", **checks) -> dict:
    return (
        {"conclusion": conclusion, "reasons": "事实清楚，证据确凿，适用依据正确。"}
        | PASSING
        | checks
    )


# --- reading: scope ---------------------------------------------------------------------------


def test_each_reader_lists_the_cases_of_its_scope(
    case, inspector_a, legal_office_a, city_supervisor, sysadmin, outsider_b
):
    """Staff and the legal office read their agency's cases, the city supervisor its city's,
    the administrator all; the outsider of agency B sees an empty list."""
    for user in (inspector_a, legal_office_a, city_supervisor, sysadmin):
        data = client_for(user).get(LIST).json()
        assert [row["id"] for row in data["results"]] == [case.pk]
    row = client_for(inspector_a).get(LIST).json()["results"][0]
    assert (row["stage"], row["agency"]["name"], row["item_code"]) == (
        "initiation",
        "甲市市场监督管理局",
        case.item_code,
    )
    assert client_for(outsider_b).get(LIST).json() == {
        "count": 0,
        "next": None,
        "previous": None,
        "results": [],
    }


def test_the_list_filters_by_stage_and_agency(case, agency_a, agency_b, inspector_a):
    client = client_for(inspector_a)
    assert client.get(LIST, {"stage": "initiation"}).json()["count"] == 1
    assert client.get(LIST, {"stage": "archiving"}).json()["count"] == 0
    assert client.get(LIST, {"agency": agency_a.pk}).json()["count"] == 1
    assert client.get(LIST, {"agency": agency_b.pk}).json()["count"] == 0
    refused = client.get(LIST, {"stage": "closed"})
    assert refused.status_code == 400 and refused.json() == {"stage": ["没有这个办理阶段。"]}
    assert client.get(LIST, {"agency": "甲"}).json() == {"agency": ["办案单位应为数字编号。"]}


def test_the_detail_shows_parties_officers_stages_and_timeline(
    case, inspector_a, city_supervisor, officers_a
):
    """R6: the case with its parties (the identifier too, as on the case page), its officers,
    the five stages with their flags and record counts, and its timeline."""
    add_record(case, inspector_a)
    data = client_for(inspector_a).get(url("detail", case)).json()
    assert data["parties"][0]["identifier"] == COMPANY_CODE
    assert data["parties"][0]["kind"] == "legal_person"
    assert [o["name"] for o in data["officers"]] == ["李执法", "赵执法"]
    assert data["officers"][0]["certificate_status"] == "valid"
    assert [(s["stage"], s["current"], s["done"], s["records"]) for s in data["stages"]] == [
        ("initiation", True, False, 1),
        ("investigation", False, False, 0),
        ("decision", False, False, 0),
        ("service", False, False, 0),
        ("archiving", False, False, 0),
    ]
    assert data["decision"] is None
    assert [e["kind"] for e in data["timeline"]] == ["opened", "record_added"]
    assert data["timeline"][0]["actor"] == "inspector_a"
    assert (data["may_act"], data["may_review"]) == (True, False)
    supervisor = client_for(city_supervisor).get(url("detail", case)).json()
    assert (supervisor["may_act"], supervisor["parties"][0]["identifier"]) == (False, COMPANY_CODE)


@pytest.mark.parametrize(
    ("method", "name", "record", "body"),
    [
        ("get", "detail", False, None),
        ("post", "advance", False, {}),
        ("get", "records", False, None),
        ("post", "records", False, "record"),
        ("post", "record-correct", True, "correction"),
        ("get", "record-file", True, None),
        ("get", "decision", False, None),
        ("put", "decision", False, "decision"),
        ("post", "decision-submit", False, {}),
        ("post", "decision-issue", False, {}),
        ("get", "decision-reviews", False, None),
        ("post", "decision-reviews", False, "review"),
    ],
)
def test_the_outsider_gets_a_404_on_every_endpoint_and_nothing_changes(
    submitted, officers_a, outsider_b, media, method, name, record, body
):
    """Forged ids of agency A's case, seen from agency B: unknown, and nothing changes."""
    case = submitted.case
    target = case.records.first()
    files, before = stored(media), (case.records.count(), case.timeline.count())
    bodies = {
        "record": record_body(officers_a[0]),
        "correction": {"file": SimpleUploadedFile("新笔录.pdf", PDF), "reason": "笔误"},
        "decision": decision_body(fine_amount="1.00"),
        "review": review_body(),
    }
    data = bodies[body] if isinstance(body, str) else body
    client = client_for(outsider_b)
    address = url(name, case, target.pk) if record else url(name, case)
    if name == "decision" and method == "put":
        response = client.put(address, data, **JSON)
    else:
        response = getattr(client, method)(address, data)
    assert response.status_code == 404
    submitted.refresh_from_db()
    assert (submitted.status, submitted.fine_amount) == ("in_review", Decimal("200000.00"))
    assert (case.records.count(), case.timeline.count()) == before
    assert not LegalReview.objects.exists()
    assert stored(media) == files


def test_the_public_is_refused_every_endpoint(case, public_client):
    for address in (LIST, QUEUE, url("detail", case), url("records", case), url("decision", case)):
        assert public_client.get(address).status_code == 403
    assert public_client.post(LIST, {}, **JSON).status_code == 403
    assert public_client.post(url("advance", case)).status_code == 403
    case.refresh_from_db()
    assert case.stage == Stage.INITIATION


def test_a_write_without_the_csrf_token_is_refused(case, inspector_a):
    """Session authentication: a cross-site request cannot act for a logged-in user."""
    add_record(case, inspector_a)
    client = Client(enforce_csrf_checks=True)
    client.force_login(inspector_a)
    assert client.post(url("advance", case), {}, **JSON).status_code == 403
    case.refresh_from_db()
    assert case.stage == Stage.INITIATION


def test_a_user_without_a_role_is_refused(case):
    nobody = UserFactory(username="nobody")
    response = client_for(nobody).get(LIST)
    assert response.status_code == 403
    assert "可以查看执法案件" in response.json()["detail"]


# --- opening a case ---------------------------------------------------------------------------


def test_staff_open_a_case_through_the_api(agency_a, item_a, officers_a, inspector_a):
    """R6 (立案): a case under the agency's published item, with its party and two officers."""
    response = client_for(inspector_a).post(LIST, open_body(agency_a, item_a, officers_a), **JSON)
    assert response.status_code == 201, response.json()
    data = response.json()
    case = Case.objects.get()
    assert data["id"] == case.pk and data["stage"] == "initiation"
    assert data["parties"][0]["identifier"] == COMPANY_CODE
    assert {o["id"] for o in data["officers"]} == {o.pk for o in officers_a}
    assert [e["kind"] for e in data["timeline"]] == ["opened"]


def test_another_agencys_staff_cannot_open_a_case_for_it(
    agency_a, item_a, officers_a, outsider_b, city_supervisor
):
    """Only the agency's own staff open its cases: agency B's staff and the supervisor get a
    403 with the reason, and nothing is created."""
    body = open_body(agency_a, item_a, officers_a)
    refused = client_for(outsider_b).post(LIST, body, **JSON)
    assert refused.status_code == 403 and refused.json() == {"detail": NOT_ACTING}
    refused = client_for(city_supervisor).post(LIST, body, **JSON)
    assert refused.status_code == 403 and "没有可办理案件的单位" in refused.json()["detail"]
    assert not Case.objects.exists()


def test_a_forged_power_item_of_another_agency_is_refused(
    agency_a, agency_b, officers_a, inspector_a, outsider_b, sysadmin
):
    """R6: a case is opened under the agency's own published list, never another agency's."""
    legal_b = user_assign_role(
        user=UserFactory(username="legal_b"), role=Role.LEGAL_OFFICE, actor=None, agency=agency_b
    )
    item_b = make_published(agency_b, outsider_b, legal_b, sysadmin)
    body = open_body(agency_a, item_b, officers_a)
    refused = client_for(inspector_a).post(LIST, body, **JSON)
    assert refused.status_code == 400
    assert refused.json() == {"power_item": ["只能在本单位已公布的权责事项下立案。"]}
    assert not Case.objects.exists()


def test_an_officer_with_a_withdrawn_certificate_is_refused(
    agency_a, item_a, officers_a, inspector_a
):
    """R6: at least two officers holding valid certificates; the message names the officer."""
    withdrawn = suspend(officers_a[1], Officer.CertificateStatus.WITHDRAWN)
    body = open_body(agency_a, item_a, officers_a)
    refused = client_for(inspector_a).post(LIST, body, **JSON)
    assert refused.status_code == 400
    assert refused.json() == {"officers": [f"{withdrawn}的执法证件已收回，不能承办案件。"]}
    assert not Case.objects.exists()


def test_an_officer_of_another_agency_is_unknown(
    agency_a, agency_b, item_a, officers_a, inspector_a
):
    stranger = OfficerFactory(agency=agency_b)
    body = open_body(agency_a, item_a, [officers_a[0], stranger])
    refused = client_for(inspector_a).post(LIST, body, **JSON)
    assert refused.status_code == 400 and "没有这名执法人员。" in str(refused.json())
    assert not Case.objects.exists()


def test_a_bad_identifier_and_a_missing_party_are_refused(
    agency_a, item_a, officers_a, inspector_a
):
    client = client_for(inspector_a)
    party = {"kind": "citizen", "name": "王某某", "identifier": "110105194912310021"}
    refused = client.post(LIST, open_body(agency_a, item_a, officers_a, parties=[party]), **JSON)
    assert refused.status_code == 400 and "王某某" in refused.json()["parties"][0]
    refused = client.post(LIST, open_body(agency_a, item_a, officers_a, parties=[]), **JSON)
    assert refused.json() == {"parties": ["请至少填写一名当事人。"]}
    assert not Case.objects.exists()


# --- records and stages -----------------------------------------------------------------------


def test_a_record_is_added_as_multipart_and_its_file_served_to_readers(
    case, officers_a, inspector_a, city_supervisor, outsider_b
):
    """R6: a record of the current stage, its file checked by content, stored with SHA-256,
    served as a download to those who may read the case only."""
    response = client_for(inspector_a).post(url("records", case), record_body(officers_a[0]))
    assert response.status_code == 201, response.json()
    data = response.json()
    record = CaseRecord.objects.get()
    assert (data["id"], data["stage"], data["version"], data["is_current"]) == (
        record.pk,
        "initiation",
        1,
        True,
    )
    assert data["sha256"] == record.sha256 and data["content_type"] == "application/pdf"
    assert data["file_url"] == url("record-file", case, record.pk)
    listed = client_for(city_supervisor).get(url("records", case)).json()
    assert [r["id"] for r in listed] == [record.pk]
    download = client_for(city_supervisor).get(data["file_url"])
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert "attachment" in download["Content-Disposition"]
    assert client_for(outsider_b).get(data["file_url"]).status_code == 404


def test_a_file_whose_content_does_not_match_its_name_is_refused(
    case, officers_a, inspector_a, media
):
    """R6: the file is checked by content: an executable named .pdf is refused, nothing kept."""
    body = record_body(officers_a[0], name="笔录.pdf", data=EXE)
    refused = client_for(inspector_a).post(url("records", case), body)
    assert refused.status_code == 400
    assert "“笔录.pdf”不是可接受的" in refused.json()["detail"][0]
    assert not CaseRecord.objects.exists() and stored(media) == []
    assert case.timeline.count() == 1


def test_a_recorder_who_does_not_handle_the_case_is_refused(case, agency_a, inspector_a):
    other = OfficerFactory(agency=agency_a)
    refused = client_for(inspector_a).post(url("records", case), record_body(other))
    assert refused.json() == {"recorded_by": ["记录人须为本案的承办执法人员。"]}
    assert not CaseRecord.objects.exists()


def test_a_correction_is_a_new_version_and_the_old_one_stays(case, inspector_a, media):
    """R6: records are never replaced: a correction is version 2 naming version 1 and why."""
    old = add_record(case, inspector_a)
    client = client_for(inspector_a)
    refused = client.post(
        url("record-correct", case, old.pk), {"file": SimpleUploadedFile("b.pdf", PDF)}
    )
    assert refused.json() == {"reason": ["请填写更正理由。"]}
    body = {"file": SimpleUploadedFile("新笔录.png", PNG), "reason": "笔录页码有误"}
    response = client.post(url("record-correct", case, old.pk), body)
    assert response.status_code == 201, response.json()
    data = response.json()
    assert (data["version"], data["supersedes"], data["correction_reason"]) == (
        2,
        old.pk,
        "笔录页码有误",
    )
    listed = client.get(url("records", case)).json()
    assert [(r["id"], r["is_current"], r["superseded_by"]) for r in listed] == [
        (old.pk, False, data["id"]),
        (data["id"], True, None),
    ]
    again = client.post(
        url("record-correct", case, old.pk),
        {"file": SimpleUploadedFile("c.pdf", PDF), "reason": "再改"},
    )
    assert again.status_code == 400 and "请更正最新版本" in again.json()["detail"][0]
    assert CaseRecord.objects.count() == 2


def test_jumping_a_stage_is_refused(case, inspector_a):
    """R6: a stage is left only once it holds a record; nothing changes on a refusal."""
    client = client_for(inspector_a)
    refused = client.post(url("advance", case), {"note": "跳过"}, **JSON)
    assert refused.status_code == 400
    assert refused.json() == {"detail": ["“立案”阶段还没有任何记录，不能进入下一阶段。"]}
    case.refresh_from_db()
    assert case.stage == Stage.INITIATION and case.timeline.count() == 1
    add_record(case, inspector_a)
    moved = client.post(url("advance", case), {"note": "立案审批完成"}, **JSON)
    assert moved.status_code == 200 and moved.json()["stage"] == "investigation"
    stages = moved.json()["stages"]
    assert [s["done"] for s in stages[:2]] == [True, False] and stages[1]["current"]


def test_the_decision_stage_is_left_only_with_an_issued_decision(decision_case, inspector_a):
    """R5, R6: a case leaves review-and-decision with its decision issued, never before."""
    add_record(decision_case, inspector_a)
    refused = client_for(inspector_a).post(url("advance", decision_case))
    assert refused.status_code == 400
    assert refused.json() == {"detail": ["执法决定作出后，案件才能进入“送达执行”阶段。"]}
    decision_case.refresh_from_db()
    assert decision_case.stage == Stage.DECISION


def test_a_supervisor_reads_but_cannot_act(case, city_supervisor, officers_a):
    client = client_for(city_supervisor)
    assert client.get(url("detail", case)).status_code == 200
    refused = client.post(url("advance", case))
    assert refused.status_code == 403 and refused.json() == {"detail": NOT_ACTING}
    refused = client.post(url("records", case), record_body(officers_a[0]))
    assert refused.status_code == 403
    assert not CaseRecord.objects.exists()


# --- the decision and its legal review (R5, R7, R30) ------------------------------------------


def test_a_major_fine_is_blocked_then_agreed_by_the_legal_office_then_issued(
    decision_case, inspector_a, legal_office_a
):
    """R5: a fine of ¥200,000 on a company is major: issuing it before the legal review is
    refused; agency staff cannot review it; the legal office finds it in its queue and agrees;
    then staff issue it."""
    staff, office = client_for(inspector_a), client_for(legal_office_a)
    saved = staff.put(url("decision", decision_case), decision_body(), **JSON)
    assert saved.status_code == 201, saved.json()
    data = saved.json()
    assert (data["status"], data["is_major"]) == ("draft", True)
    assert data["collecting_bank_detail"]["name"] == "测试省农村信用社"  # R30: the default bank

    refused = staff.post(url("decision-issue", decision_case))
    assert refused.status_code == 400 and refused.json() == {"detail": [R5_REFUSAL]}
    assert Decision.objects.get().status == Decision.Status.DRAFT

    submitted = staff.post(url("decision-submit", decision_case))
    assert submitted.status_code == 200 and submitted.json()["status"] == "in_review"

    refused = staff.post(url("decision-reviews", decision_case), review_body(), **JSON)
    assert refused.status_code == 403
    assert refused.json() == {"detail": "只有本单位的法制审核机构可以审核。"}
    assert not LegalReview.objects.exists()

    queue = office.get(QUEUE).json()
    assert [row["case"]["id"] for row in queue["results"]] == [decision_case.pk]
    assert queue["results"][0]["decision"]["is_major"] is True

    reviewed = office.post(url("decision-reviews", decision_case), review_body(), **JSON)
    assert reviewed.status_code == 201, reviewed.json()
    assert (reviewed.json()["conclusion"], reviewed.json()["reviewer"]) == (
        "agree",
        "legal_office_a",
    )
    assert office.get(QUEUE).json()["count"] == 0

    issued = staff.post(url("decision-issue", decision_case))
    assert issued.status_code == 200, issued.json()
    data = issued.json()
    assert (data["status"], data["issued_by"]) == ("issued", "inspector_a")
    assert data["approved_review"] == LegalReview.objects.get().pk
    assert [r["conclusion"] for r in data["reviews"]] == ["agree"]
    kinds = list(decision_case.timeline.values_list("kind", flat=True))
    steps = [
        CaseEvent.Kind.DECISION_SAVED,
        CaseEvent.Kind.DECISION_SUBMITTED,
        CaseEvent.Kind.REVIEWED,
        CaseEvent.Kind.DECISION_ISSUED,
    ]
    start = kinds.index(steps[0])
    assert kinds[start : start + 4] == steps
    detail = staff.get(url("detail", decision_case)).json()
    assert detail["decision"]["status"] == "issued"


def test_a_major_decision_returned_for_revision_cannot_be_issued(
    submitted, inspector_a, legal_office_a
):
    """R5: only an agreeing latest review opens the way; after 'revise' issuing is refused."""
    case = submitted.case
    office = client_for(legal_office_a)
    returned = office.post(url("decision-reviews", case), review_body("revise"), **JSON)
    assert returned.status_code == 201
    refused = client_for(inspector_a).post(url("decision-issue", case))
    assert refused.status_code == 400 and refused.json() == {"detail": [R5_REFUSAL]}
    submitted.refresh_from_db()
    assert submitted.status == Decision.Status.RETURNED and submitted.issued_at is None
    reviews = client_for(inspector_a).get(url("decision-reviews", case)).json()
    assert [r["conclusion"] for r in reviews] == ["revise"]


def test_agreeing_needs_every_check(submitted, legal_office_a):
    """R5: the legal office agrees only when all five checks pass."""
    body = review_body(facts_proven=False)
    refused = client_for(legal_office_a).post(url("decision-reviews", submitted.case), body, **JSON)
    assert refused.status_code == 400 and refused.json() == {
        "detail": ["五项审核内容均合格才能同意。"]
    }
    submitted.refresh_from_db()
    assert submitted.status == Decision.Status.IN_REVIEW and not LegalReview.objects.exists()


def test_the_collecting_bank_must_be_one_the_region_designates(
    decision_case, inspector_a, province, city_b
):
    """R30: a fine names a bank its region designates; another region's bank is refused."""
    designated = CollectingBank.objects.get(region=province)
    elsewhere = CollectingBank.objects.create(
        region=city_b, name="丙市银行", account_name="丙市财政局", account_number="1"
    )
    client = client_for(inspector_a)
    body = decision_body(fine_amount="500.00", collecting_bank=elsewhere.pk)
    refused = client.put(url("decision", decision_case), body, **JSON)
    assert refused.status_code == 400
    assert refused.json() == {"collecting_bank": ["只能选择本地区指定的罚款代收银行（R30）。"]}
    assert not Decision.objects.exists()
    body = decision_body(fine_amount="500.00", collecting_bank=designated.pk)
    saved = client.put(url("decision", decision_case), body, **JSON)
    assert saved.status_code == 201 and saved.json()["collecting_bank"] == designated.pk
    assert saved.json()["is_major"] is False
    revised = client.put(url("decision", decision_case), decision_body(kind="warning"), **JSON)
    assert revised.status_code == 200
    assert (revised.json()["kind"], revised.json()["collecting_bank"]) == ("warning", None)


def test_a_decision_before_the_decision_stage_is_refused(case, inspector_a):
    client = client_for(inspector_a)
    missing = client.get(url("decision", case))
    assert missing.status_code == 404 and missing.json() == {"detail": "本案尚未拟定执法决定。"}
    refused = client.put(url("decision", case), decision_body(), **JSON)
    assert refused.status_code == 400
    assert refused.json() == {"detail": ["案件进入“审查决定”阶段后才能拟定执法决定。"]}
    assert not Decision.objects.exists()


def test_the_review_queue_is_the_legal_offices_only(submitted, inspector_a, city_supervisor):
    for user in (inspector_a, city_supervisor):
        refused = client_for(user).get(QUEUE)
        assert refused.status_code == 403
        assert refused.json() == {"detail": "只有部门法制机构可以查看待法制审核的决定。"}


def test_another_agencys_legal_office_sees_an_empty_queue(submitted, agency_b):
    legal_b = user_assign_role(
        user=UserFactory(username="legal_b"), role=Role.LEGAL_OFFICE, actor=None, agency=agency_b
    )
    assert client_for(legal_b).get(QUEUE).json()["count"] == 0
    refused = client_for(legal_b).post(url("decision-reviews", submitted.case), review_body())
    assert refused.status_code == 404


# --- query counts -----------------------------------------------------------------------------


@pytest.mark.parametrize("count", [2, 9])
def test_the_list_stays_constant_in_queries(
    count, agency_a, item_a, officers_a, inspector_a, city_supervisor, django_assert_max_num_queries
):
    for n in range(count):
        open_case(agency_a, item_a, officers_a, inspector_a, summary=f"案由 {n}")
    for user in (inspector_a, city_supervisor):
        client = client_for(user)
        with django_assert_max_num_queries(8):
            assert client.get(LIST).json()["count"] == count


@pytest.mark.parametrize("count", [1, 8])
def test_the_detail_and_records_stay_constant_in_queries(
    count, case, inspector_a, django_assert_max_num_queries
):
    for n in range(count):
        add_record(case, inspector_a, title=f"记录 {n}")
    client = client_for(inspector_a)
    with django_assert_max_num_queries(14):
        data = client.get(url("detail", case)).json()
    assert data["stages"][0]["records"] == count and len(data["timeline"]) == count + 1
    with django_assert_max_num_queries(10):
        assert len(client.get(url("records", case)).json()) == count


@pytest.mark.parametrize("count", [1, 4])
def test_the_queue_and_the_decision_stay_constant_in_queries(
    count, agency_a, item_a, officers_a, inspector_a, legal_office_a, django_assert_max_num_queries
):
    for _n in range(count):
        case = case_in_decision_stage(agency_a, item_a, officers_a, inspector_a, COMPANY)
        decision = decision_services.decision_save(
            case=case,
            actor=inspector_a,
            kind="fine",
            fine_amount=Decimal("200000"),
            explanation="情况说明",
            draft="草稿",
        )
        for _review in range(count):  # each decision returned `count` times, then resubmitted
            decision_services.decision_submit(decision=decision, actor=inspector_a)
            decision_services.legal_review_record(
                decision=decision,
                actor=legal_office_a,
                conclusion="revise",
                reasons="请补充证据。",
                **PASSING,
            )
        decision_services.decision_submit(decision=decision, actor=inspector_a)
    office = client_for(legal_office_a)
    with django_assert_max_num_queries(8):
        assert office.get(QUEUE).json()["count"] == count
    with django_assert_max_num_queries(9):
        data = office.get(url("decision", case)).json()
    assert len(data["reviews"]) == count


# --- the schema -------------------------------------------------------------------------------


def test_the_endpoints_are_in_the_openapi_schema(sysadmin):
    paths = client_for(sysadmin).get(reverse("api:schema"), {"format": "json"}).json()["paths"]
    base = "/api/v1/staff/cases/"
    for path in (
        "",
        "{id}/",
        "{id}/advance/",
        "{id}/records/",
        "{id}/records/{rid}/correct/",
        "{id}/records/{rid}/file/",
        "{id}/decision/",
        "{id}/decision/submit/",
        "{id}/decision/issue/",
        "{id}/decision/reviews/",
    ):
        assert base + path in paths
    assert "/api/v1/staff/legal-reviews/" in paths
    assert set(paths[base + "{id}/decision/"]) >= {"get", "put"}
    assert "multipart/form-data" in paths[base + "{id}/records/"]["post"]["requestBody"]["content"]


def test_a_region_without_a_designated_bank_cannot_fine(
    agency_a, item_a, officers_a, inspector_a, province
):
    """R30: no bank designated up the tree: a fine is refused with the reason."""
    CollectingBank.objects.filter(region=province).update(is_active=False)
    case = case_in_decision_stage(agency_a, item_a, officers_a, inspector_a, COMPANY)
    refused = client_for(inspector_a).put(url("decision", case), decision_body(), **JSON)
    assert (
        refused.status_code == 400
        and "尚未指定罚款代收银行" in refused.json()["collecting_bank"][0]
    )
    assert not Decision.objects.exists()
