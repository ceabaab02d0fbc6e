"""The world of the permission matrix (tests/portal/test_permission_matrix.py): for agency A
(city A, the personas' side) and for agency B (city B, the outsider's side) one object of every
kind a URL can name, each made through the services as the portal's users would make it.

`build_world(...)` returns {"A": {key: value}, "B": {key: value}}; the matrix's table names
these keys ("case", "complaint", "dispute"...) to fill a URL's arguments. Everything is created
in the calling test's transaction: nothing outlives the test.

The helper users of each side (the legal office and the supervisor of city B, the staff of the
other agency of a dispute...) are not personas: they only make B's world as A's is made.
"""

import datetime
from decimal import Decimal

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.contrib.auth.tokens import default_token_generator
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from complaints.models import Category, ComplaintChannel
from complaints.services.decisions import complaint_accept
from complaints.services.handling import complaint_ask_agency
from complaints.services.register import complaint_register
from enforcement.models import (
    CHECKLIST,
    Agency,
    BasisChange,
    CaseFileChecklist,
    CollectingBank,
    Decision,
    DiscretionTrial,
    DocumentNumbering,
    EnforcementDomain,
    FinePayment,
    ImportJob,
    MajorDecisionCriteria,
    PublishedPowerItem,
    Stage,
)
from enforcement.services import cases as case_services
from enforcement.services import decisions as decision_services
from enforcement.services.bases import basis_change_record
from enforcement.services.delegations import delegation_create
from enforcement.services.disputes import dispute_raise
from enforcement.services.file_reviews import case_file_review_record
from enforcement.services.levels import level_split_create
from enforcement.services.remedies import remedy_outcome_record
from portal.roles import Role
from portal.services import user_assign_role
from tests.enforcement.staff_factories import make_draft, make_published
from tests.factories import AgencyFactory, OfficerFactory, UserFactory
from workdays.models import CalendarYear, SpecialDay

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
COMPANY = case_services.PartyInput(
    kind="legal_person", name="松江某某食品有限公司", identifier="91350100M000100Y43"
)
FULL_MARKS = {name: points for name, _label, points in CHECKLIST}


def _helper(username: str, role: Role, **where):
    user = UserFactory(username=username, name=username)
    return user_assign_role(user=user, role=role, actor=None, **where)


def _record(case, actor, title="现场检查笔录"):
    return case_services.case_record_add(
        case=case,
        actor=actor,
        kind="document",
        title=title,
        file=SimpleUploadedFile("现场笔录.pdf", PDF),
        recorded_by=case.case_officers.first().officer,
        recorded_at=timezone.now() - datetime.timedelta(hours=1),
        recorded_place="人民大街 1 号",
        evidence_type="inspection_record",
    )


def _advance(case, actor):
    _record(case, actor)
    return case_services.case_advance(case=case, actor=actor)


def _open(agency, item, officers, actor, summary):
    return case_services.case_open(
        agency=agency,
        power_item=item,
        source="inspection",
        summary=summary,
        parties=[COMPANY],
        officers=officers,
        actor=actor,
    )


def _case_in_review(agency, item, officers, staff):
    """A case in 审查决定 whose major decision (¥200,000 on a company) awaits legal review."""
    case = _open(agency, item, officers, staff, "现场检查发现销售超过保质期的食品。")
    for _stage in (Stage.INITIATION, Stage.INVESTIGATION):
        case = _advance(case, staff)
    decision = decision_services.decision_save(
        case=case,
        actor=staff,
        kind="fine",
        fine_amount=Decimal("200000"),
        explanation="当事人销售超过保质期的食品，货值较大。",
        draft="决定对当事人处以罚款。",
    )
    decision_services.decision_submit(decision=decision, actor=staff)
    case.refresh_from_db()
    return case


def _closed_case(agency, item, officers, staff, supervisor):
    """A closed case: a fine of ¥5,000 issued (and so disclosed), paid in full, archived and
    closed; an unfavourable reconsideration outcome awaiting screening; a file review."""
    case = _open(agency, item, officers, staff, "现场检查发现销售过期食品。")
    for _stage in (Stage.INITIATION, Stage.INVESTIGATION):
        case = _advance(case, staff)
    decision = decision_services.decision_save(
        case=case,
        actor=staff,
        kind=Decision.Kind.FINE,
        fine_amount=Decimal("5000"),
        explanation="当事人销售过期食品。",
        draft="决定处以罚款。",
    )
    decision = decision_services.decision_issue(decision=decision, actor=staff)
    case = _advance(case, staff)  # 送达执行
    payment = FinePayment.objects.create(
        decision=decision,
        bank=decision.collecting_bank,
        receipt_number=f"HZ{case.pk:08d}",
        amount=Decimal("5000"),
        paid_on=timezone.localdate(),
        recorded_by=supervisor,
    )
    case = _advance(case, staff)  # 结案归档
    _record(case, staff, title="归档目录")
    case = case_services.case_close(case=case, actor=staff)
    outcome = remedy_outcome_record(
        case=case,
        actor=staff,
        kind="reconsideration",
        body="人民政府",
        reference=f"府复决〔2025〕{case.pk}号",
        decided_on=timezone.localdate(),
        outcome="revoked",
        summary="认定事实不清，证据不足。",
    )
    review = case_file_review_record(
        case=case, actor=supervisor, findings="案卷完整。", **FULL_MARKS
    )
    return case, decision, payment, outcome, review


def _complaint(agency, supervisor):
    """A complaint with a letter attached, accepted (the supervisor handles it), with a request
    for the agency's written response."""
    letter = SimpleUploadedFile("来信.pdf", PDF, content_type="application/pdf")
    receipt = complaint_register(
        agency=agency,
        category=Category.ARBITRARY,
        description=f"{agency.name}的执法人员未出示执法证件即查封店铺。",
        occurred_on=datetime.date(2025, 12, 1),
        complainant_name="张三",
        phone="13800000000",
        email="zhangsan@example.com",
        attachments=[letter],
    )
    complaint = complaint_accept(complaint=receipt.complaint, actor=supervisor, handler=supervisor)
    request = complaint_ask_agency(
        complaint=complaint, actor=supervisor, question="请说明当日执法人员是否出示执法证件。"
    )
    return complaint, complaint.attachments.get(), request


def _import_job(agency, staff):
    """A checked import with its error report stored (no workbook is parsed here)."""
    report = default_storage.save(
        f"imports/reports/matrix-{agency.pk}.xlsx", ContentFile(b"PK\x03\x04 report")
    )
    return ImportJob.objects.create(
        agency=agency,
        created_by=staff,
        original_name="清单.xlsx",
        upload="imports/uploads/matrix.xlsx",
        error_report=report,
        status=ImportJob.Status.CHECKED,
        total_rows=2,
        processed_rows=2,
        valid_rows=1,
        invalid_rows=1,
    )


def _side(*, region, agency, other_agency, staff, legal_office, supervisor, other_staff, tag):
    """One side's objects (agency A's or agency B's)."""
    officers = [OfficerFactory(agency=agency, name=n) for n in (f"李{tag}", f"赵{tag}")]
    published = make_published(agency, staff, legal_office, supervisor)
    draft = make_draft(agency, staff, code=f"33021700200{'1' if tag == 'A' else '2'}", name="草稿")
    case = _case_in_review(agency, published, officers, staff)
    record = case.records.order_by("pk").first()
    closed, decision, payment, outcome, file_review = _closed_case(
        agency, published, officers, staff, supervisor
    )
    complaint, attachment, agency_request = _complaint(agency, supervisor)
    organisation = AgencyFactory(
        name=f"{region.name}食品安全检查中心", region=region, kind=Agency.Kind.DELEGATED
    )
    delegation = delegation_create(
        delegating_agency=agency,
        delegated_organisation=organisation,
        basis="《行政处罚法》第二十条",
        starts_on=timezone.localdate(),
        actor=supervisor,
    )
    change = basis_change_record(
        kind=BasisChange.Kind.FUNCTIONS_CHANGED,
        published_on=timezone.localdate(),
        summary="机构职能调整。",
        actor=supervisor,
        agency=agency,
    )
    task = change.revision_tasks.order_by("pk").first()
    # The dispute is raised against this side's agency, so that its staff may answer it.
    dispute = dispute_raise(
        raised_by=other_agency,
        other=agency,
        kind="both_claim",
        matter="某商户无证经营的查处",
        statement="该商户的经营场所在本单位辖区。",
        actor=other_staff,
    )
    bank = CollectingBank.objects.create(
        region=region,
        name=f"{region.name}农村商业银行",
        account_name=f"{region.name}财政局非税收入汇缴结算户",
        account_number=f"6200000000000{region.code[:4]}",
    )
    channel = ComplaintChannel.objects.create(
        region=region, office=f"{region.name}司法局", hotline="12345", published=True
    )
    criteria = MajorDecisionCriteria.objects.create(region=region)
    checklist = CaseFileChecklist.objects.create(region=region)
    # R10, R7, R9: the region's level split of a domain, its discretion trial, and the agency's
    # document numbering (kept by the region's supervisor).
    domain, _created = EnforcementDomain.objects.get_or_create(name=f"{region.name}综合执法")
    level_split = level_split_create(
        actor=supervisor,
        region=region,
        domain=domain,
        scopes={"city": "本市范围内的案件。", "county": "本县范围内的案件。"},
        categories={"city": ["penalty"]},
        basis_document="《市场监督管理行政处罚程序规定》第十条",
    )
    trial = DiscretionTrial.objects.create(
        region=region,
        category="licensing",
        basis=f"{region.name}人民政府办公室文件",
        started_on=timezone.localdate(),
    )
    numbering = DocumentNumbering.objects.create(agency=agency, abbreviation=f"{tag}市监")
    disclosure = decision.disclosure
    return {
        # The instances, for the parts under matrix_parts/ that build on this side's objects.
        "_objects": {
            "region": region,
            "agency": agency,
            "other_agency": other_agency,
            "staff": staff,
            "legal_office": legal_office,
            "supervisor": supervisor,
            "other_staff": other_staff,
            "officers": officers,
            "closed_case": closed,
        },
        "agency": agency.pk,
        "region": region.pk,
        "region_code": region.code,
        "officer": officers[0].pk,
        "item": draft.pk,
        "published": published.pk,
        "published_copy": PublishedPowerItem.objects.get(item=published).pk,
        "basis": published.bases.first().basis_id,
        "case": case.pk,
        "record": record.pk,
        "closed_case": closed.pk,
        "disclosure": disclosure.pk,
        "payment": payment.pk,
        "remedy": outcome.pk,
        "file_review": file_review.pk,
        "complaint": complaint.pk,
        "attachment": attachment.pk,
        "agency_request": agency_request.pk,
        "import_job": _import_job(agency, staff).pk,
        "delegation": delegation.pk,
        "basis_change": change.pk,
        "revision_task": task.pk,
        "dispute": dispute.pk,
        "bank": bank.pk,
        "channel": channel.pk,
        "criteria": criteria.pk,
        "checklist": checklist.pk,
        "staff_user": staff.pk,
        "level_split": level_split.pk,
        "trial": trial.pk,
        "numbering": numbering.pk,
    }


def _access_logs() -> dict[str, list]:
    """django-axes' three logs, a row each for a login from A's side and one from B's."""
    common = {"user_agent": "matrix", "http_accept": "*/*", "path_info": "/accounts/login/"}
    attempt = {"get_data": "", "post_data": "", "failures_since_start": 1}
    logins = (("inspector_a", "10.0.0.1"), ("outsider_b", "10.0.0.2"))
    return {
        key: [model.objects.create(username=u, ip_address=a, **common, **extra) for u, a in logins]
        for key, model, extra in (
            ("access_attempt", AccessAttempt, attempt),
            ("access_log", AccessLog, {}),
            ("access_failure_log", AccessFailureLog, {}),
        )
    }


def build_world(
    *,
    city_a,
    city_b,
    agency_a,
    county_agency_a,
    agency_b,
    inspector_a,
    legal_office_a,
    city_supervisor,
    outsider_b,
) -> dict[str, dict]:
    legal_office_b = _helper("legal_office_b", Role.LEGAL_OFFICE, agency=agency_b)
    supervisor_b = _helper("city_b_supervisor", Role.SUPERVISOR, region=city_b)
    staff_county_a = _helper("staff_county_a", Role.AGENCY_STAFF, agency=county_agency_a)
    agency_b2 = AgencyFactory(name="丙市市场监督管理局", region=city_b)
    staff_b2 = _helper("staff_b2", Role.AGENCY_STAFF, agency=agency_b2)
    reset_user = UserFactory(username="reset_user", name="reset_user")

    world = {
        "A": _side(
            region=city_a,
            agency=agency_a,
            other_agency=county_agency_a,
            staff=inspector_a,
            legal_office=legal_office_a,
            supervisor=city_supervisor,
            other_staff=staff_county_a,
            tag="A",
        ),
        "B": _side(
            region=city_b,
            agency=agency_b,
            other_agency=agency_b2,
            staff=outsider_b,
            legal_office=legal_office_b,
            supervisor=supervisor_b,
            other_staff=staff_b2,
            tag="B",
        ),
    }
    # Objects that belong to no agency: A and B name two different ones.
    domains = [EnforcementDomain.objects.create(name=n) for n in ("市场监管", "生态环境")]
    years = list(CalendarYear.objects.order_by("year")[:2])
    days = list(SpecialDay.objects.order_by("date")[:2])
    # The bundled calendar is loaded by a migration, which keeps no history: give each its first.
    CalendarYear.history.bulk_history_create(years)
    SpecialDay.history.bulk_history_create(days)
    # Groups that are not roles: a role group is never deleted nor renamed (portal.admin).
    groups = [Group.objects.create(name=name) for name in ("专项检查组甲", "专项检查组乙")]
    axes = _access_logs()
    for side, index in (("A", 0), ("B", 1)):
        world[side] |= {
            "domain": domains[index].pk,
            "calendar_year": years[index].pk,
            "special_day": days[index].pk,
            "group": groups[index].pk,
            "agency_content_type": ContentType.objects.get_for_model(Agency).pk,
            **{key: rows[index].pk for key, rows in axes.items()},
        }
    # A: a valid password-reset link (of a user who is no persona); B: a forged one.
    uid = urlsafe_base64_encode(force_bytes(reset_user.pk))
    world["A"] |= {"uidb64": uid, "token": default_token_generator.make_token(reset_user)}
    world["B"] |= {"uidb64": uid, "token": "cz3a1b-0123456789abcdef0123456789abcdef"}
    return world
