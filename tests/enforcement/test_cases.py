"""R6: enforcement cases and their full-process record.

A case is opened under one of the agency's own published items, with its parties and at least
two officers holding valid certificates; it goes through the five stages in order; each stage
keeps its documents and audio-video records, checked by content, stored with SHA-256 and size,
never replaced (a correction is a new version with its reason).
"""

import hashlib
import io
import zipfile
from datetime import timedelta
from itertools import pairwise

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from enforcement.models import Case, CaseEvent, CaseRecord, Officer, PowerItem, Stage
from enforcement.selectors.cases import case_for, cases_for
from enforcement.services import cases as services
from enforcement.services.cases import PartyInput
from portal.roles import Role
from portal.services import user_assign_role
from tests.factories import OfficerFactory, UserFactory

from .staff_factories import make_draft, make_published, withdraw_through_review

pytestmark = pytest.mark.django_db

CITIZEN = PartyInput(kind="citizen", name="王某某", identifier="11010519491231002X")
COMPANY_CODE = "91350100M000100Y43"  # a published example code
COMPANY = PartyInput(kind="legal_person", name="松江某某食品有限公司", identifier=COMPANY_CODE)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 200
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
MP3 = b"ID3\x03\x00\x00\x00\x00\x00\x00" + b"\x00" * 300
MP4 = b"\x00\x00\x00\x18ftypmp42" + b"\x00" * 300
EXE = b"MZ\x90\x00" + b"\x00" * 200


def docx_bytes() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


def upload(name: str, data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data)


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


def decide(case, actor):
    """Issue a decision that needs no legal review, so that the case may leave 审查决定."""
    from enforcement.services.decisions import decision_issue, decision_save

    decision = decision_save(
        case=case, actor=actor, kind="other", explanation="不予行政处罚", draft="决定不予处罚。"
    )
    return decision_issue(decision=decision, actor=actor)


def advance(case, actor, **kwargs):
    """Move the case on one stage, issuing a decision first when it is in 审查决定."""
    case.refresh_from_db()
    if case.stage == Stage.DECISION:
        decide(case, actor)
    return services.case_advance(case=case, actor=actor, **kwargs)


def open_case(agency, item, officers, actor, **overrides):
    fields = {
        "agency": agency,
        "power_item": item,
        "source": "inspection",
        "summary": "现场检查发现销售超过保质期的食品。",
        "parties": [COMPANY],
        "officers": officers,
        "actor": actor,
    }
    return services.case_open(**(fields | overrides))


@pytest.fixture
def case(agency_a, item_a, officers_a, inspector_a):
    return open_case(agency_a, item_a, officers_a, inspector_a)


def add_record(case, actor, *, name="现场笔录.pdf", data=PDF, kind="document", **overrides):
    fields = {
        "case": case,
        "actor": actor,
        "kind": kind,
        "title": "现场检查笔录",
        "file": upload(name, data),
        "recorded_by": case.case_officers.first().officer,
        "recorded_at": timezone.now() - timedelta(hours=1),
        "recorded_place": "松江市人民大街 1 号",
        "evidence_type": "inspection_record",
    }
    return services.case_record_add(**(fields | overrides))


def suspend(officer: Officer, status: str) -> Officer:
    officer.certificate_status = status
    officer.status_reason = "涉嫌违规执法"
    officer.status_date = timezone.localdate()
    officer.save()
    return officer


# Opening ------------------------------------------------------------------------------------


def test_a_case_is_opened_under_the_agencys_published_item_with_parties_and_two_officers(
    case, item_a, officers_a, inspector_a
):
    """R6 (立案), at least two officers: the case starts at 立案 with its parties and officers,
    and the opening is the first step of its timeline."""
    assert case.stage == Stage.INITIATION
    assert case.item_code == item_a.code and case.item_name == item_a.name
    assert [p.identifier for p in case.parties.all()] == [COMPANY_CODE]
    assert {o.officer for o in case.case_officers.all()} == set(officers_a)
    step = case.timeline.get()
    assert (step.kind, step.actor) == (CaseEvent.Kind.OPENED, inspector_a)


def test_a_draft_or_withdrawn_item_cannot_have_a_case(
    agency_a, item_a, officers_a, inspector_a, legal_office_a, city_supervisor
):
    """R6: only the agency's published items can be opened under."""
    draft = make_draft(agency_a, inspector_a, code="330217009000")
    with pytest.raises(ValidationError, match="已公布"):
        open_case(agency_a, draft, officers_a, inspector_a)
    assert item_a.published  # the caller's copy remembers the item as published
    fresh = PowerItem.objects.get(pk=item_a.pk)
    withdraw_through_review(fresh, inspector_a, legal_office_a, city_supervisor)
    with pytest.raises(ValidationError, match="已公布"):
        open_case(agency_a, item_a, officers_a, inspector_a)  # the caller's copy is stale
    assert not Case.objects.exists()


def test_another_agencys_published_item_cannot_have_a_case_of_this_agency(
    agency_a, agency_b, outsider_b, sysadmin, officers_a, inspector_a
):
    """R6: a case is opened under the agency's own list, never another agency's."""
    legal_b = user_assign_role(
        user=UserFactory(username="legal_b"), role=Role.LEGAL_OFFICE, actor=None, agency=agency_b
    )
    item_b = make_published(agency_b, outsider_b, legal_b, sysadmin)
    with pytest.raises(ValidationError, match="本单位已公布"):
        open_case(agency_a, item_b, officers_a, inspector_a)


def test_enforcement_needs_at_least_two_officers(agency_a, item_a, officers_a, inspector_a):
    """R6, at least two officers: one officer, or the same one twice, is refused."""
    one = officers_a[0]
    for officers in ([one], [one, one], []):
        with pytest.raises(ValidationError, match="不得少于两人"):
            open_case(agency_a, item_a, officers, inspector_a)
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    ("status", "label"),
    [(Officer.CertificateStatus.SUSPENDED, "暂扣"), (Officer.CertificateStatus.WITHDRAWN, "收回")],
)
def test_an_officer_whose_certificate_is_not_valid_cannot_handle_a_case(
    agency_a, item_a, officers_a, inspector_a, status, label
):
    """R6, at least two officers holding valid certificates: the message names the officer."""
    suspended = suspend(officers_a[1], status)
    with pytest.raises(ValidationError) as refused:
        open_case(agency_a, item_a, officers_a, inspector_a)
    assert refused.value.message_dict["officers"] == [
        f"{suspended}的执法证件已{label}，不能承办案件。"
    ]
    assert not Case.objects.exists()


def test_a_certificate_suspended_after_the_officers_were_read_is_still_caught(
    agency_a, item_a, officers_a, inspector_a
):
    """R6, at least two officers: the certificates are read again under lock, not from the
    caller's (stale) copies."""
    Officer.objects.filter(pk=officers_a[0].pk).update(
        certificate_status="suspended", status_reason="暂扣待查", status_date=timezone.localdate()
    )
    with pytest.raises(ValidationError, match="暂扣"):
        open_case(agency_a, item_a, officers_a, inspector_a)


def test_an_officer_of_another_agency_cannot_handle_the_case(
    agency_a, agency_b, item_a, officers_a, inspector_a
):
    """R6, at least two officers of the agency itself."""
    stranger = OfficerFactory(agency=agency_b, name="外单位执法")
    with pytest.raises(ValidationError, match="不是本单位的执法人员"):
        open_case(agency_a, item_a, [officers_a[0], stranger], inspector_a)


def test_a_citizen_party_needs_a_resident_id_with_its_check_digit(
    agency_a, item_a, officers_a, inspector_a
):
    """R6: parties are identified; the resident ID's check digit (GB 11643) is verified, and a
    lower-case x is accepted as X."""
    lower = PartyInput(kind="citizen", name="王某某", identifier="11010519491231002x")
    case = open_case(agency_a, item_a, officers_a, inspector_a, parties=[lower, COMPANY])
    assert case.parties.first().identifier == "11010519491231002X"
    wrong = PartyInput(kind="citizen", name="李某某", identifier="110105194912310021")
    with pytest.raises(ValidationError) as refused:
        open_case(agency_a, item_a, officers_a, inspector_a, parties=[wrong])
    assert refused.value.message_dict["parties"] == ["李某某：居民身份证号码校验位不正确。"]


def test_an_organisation_party_needs_a_valid_credit_code(agency_a, item_a, officers_a, inspector_a):
    """R6: a legal person or other organisation is identified by its credit code (GB 32100)."""
    for identifier in ("91350100M000100Y44", "91350100M000100Y4", "91350100M000100I43"):
        party = PartyInput(kind="legal_person", name="某公司", identifier=identifier)
        with pytest.raises(ValidationError, match="统一社会信用代码"):
            open_case(agency_a, item_a, officers_a, inspector_a, parties=[party])
    other = PartyInput(kind="other_org", name="某协会", identifier=COMPANY_CODE.lower())
    case = open_case(agency_a, item_a, officers_a, inspector_a, parties=[other])
    assert case.parties.get().identifier == COMPANY_CODE


def test_a_case_needs_at_least_one_party(agency_a, item_a, officers_a, inspector_a):
    """R6: a case is against someone."""
    with pytest.raises(ValidationError, match="至少填写一名当事人"):
        open_case(agency_a, item_a, officers_a, inspector_a, parties=[])


def test_only_the_agencys_own_staff_open_its_cases(
    agency_a, item_a, officers_a, outsider_b, city_supervisor
):
    """R6: staff of another agency, and the supervising legal office, cannot open A's cases."""
    for user in (outsider_b, city_supervisor):
        with pytest.raises(PermissionDenied):
            open_case(agency_a, item_a, officers_a, user)
    assert not Case.objects.exists()


def test_the_case_keeps_the_item_as_published_when_it_was_opened(
    case, item_a, inspector_a, legal_office_a, city_supervisor
):
    """R6: withdrawing the item later does not change what the case was opened under."""
    code, name = item_a.code, item_a.name
    withdraw_through_review(item_a, inspector_a, legal_office_a, city_supervisor)
    case.refresh_from_db()
    assert (case.item_code, case.item_name) == (code, name)


# Stages -------------------------------------------------------------------------------------


def test_the_case_goes_through_the_five_stages_in_order_each_step_in_the_timeline(
    case, inspector_a, legal_office_a, media
):
    """R6: 立案 → 调查取证 → 审查决定 → 送达执行 → 结案归档, one stage at a time, each once
    its current stage holds a record; who moved it is in the timeline."""
    seen = [case.stage]
    for actor in (inspector_a, legal_office_a, inspector_a, inspector_a):
        add_record(case, actor)
        case = advance(case, actor, note="材料齐全")
        seen.append(case.stage)
    assert seen == list(Stage)
    steps = case.timeline.filter(kind=CaseEvent.Kind.STAGE_ADVANCED)
    assert [s.note for s in steps] == [
        f"{a.label} → {b.label}：材料齐全" for a, b in pairwise(Stage)
    ]
    assert [s.actor for s in steps] == [inspector_a, legal_office_a, inspector_a, inspector_a]
    assert case.timeline.filter(kind=CaseEvent.Kind.RECORD_ADDED).count() == 4


def test_a_stage_without_a_record_cannot_be_left(case, inspector_a, media):
    """R6: each stage carries its records; the record of an earlier stage does not count."""
    with pytest.raises(ValidationError, match="“立案”阶段还没有任何记录"):
        services.case_advance(case=case, actor=inspector_a)
    add_record(case, inspector_a)
    services.case_advance(case=case, actor=inspector_a)
    with pytest.raises(ValidationError, match="“调查取证”阶段还没有任何记录"):
        services.case_advance(case=case, actor=inspector_a)
    case.refresh_from_db()
    assert case.stage == Stage.INVESTIGATION


def test_an_archived_case_has_no_next_stage(case, inspector_a, media):
    """R6: 结案归档 is the last stage."""
    for _ in range(4):
        add_record(case, inspector_a)
        case = advance(case, inspector_a)
    add_record(case, inspector_a, title="归档目录")
    with pytest.raises(ValidationError, match="已结案归档"):
        services.case_advance(case=case, actor=inspector_a)


def test_an_outsider_cannot_move_or_add_to_the_case(case, inspector_a, outsider_b, media):
    """R6: only the agency's staff keep its record."""
    add_record(case, inspector_a)
    with pytest.raises(PermissionDenied):
        services.case_advance(case=case, actor=outsider_b)
    with pytest.raises(PermissionDenied):
        add_record(case, outsider_b)
    case.refresh_from_db()
    assert case.stage == Stage.INITIATION and case.records.count() == 1


# Records ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "data"),
    [("决定书.pdf", PDF), ("询问笔录.docx", None), ("签收单.png", PNG)],
)
def test_a_document_record_accepts_pdf_word_and_photos(case, inspector_a, media, name, data):
    """R6: documents (text, forms, approval sheets, service receipts), by content."""
    record = add_record(case, inspector_a, name=name, data=data or docx_bytes())
    assert record.kind == "document" and record.extension == name.rsplit(".", 1)[1]


@pytest.mark.parametrize(
    ("name", "data"), [("现场.png", PNG), ("执法记录.mp4", MP4), ("询问录音.mp3", MP3)]
)
def test_an_audio_video_record_accepts_photos_video_and_audio(case, inspector_a, media, name, data):
    """R6: audio-video records (photos, audio, video), by content."""
    record = add_record(case, inspector_a, name=name, data=data, kind="audio_video")
    assert record.kind == "audio_video" and record.extension == name.rsplit(".", 1)[1]


def test_a_record_kind_refuses_what_it_does_not_take(case, inspector_a, media):
    """R6: a recording is not a document; a PDF is not an audio-video record."""
    with pytest.raises(ValidationError, match="不是可接受的"):
        add_record(case, inspector_a, name="录音.mp3", data=MP3)
    with pytest.raises(ValidationError, match="不是可接受的"):
        add_record(case, inspector_a, kind="audio_video")
    assert not stored_files(media)


def test_a_file_whose_content_is_not_its_name_is_refused_and_not_stored(case, inspector_a, media):
    """R6: files are accepted by their content; a refused one leaves nothing in storage."""
    for name, data in (("笔录.pdf", EXE), ("照片.docx", PNG), ("笔录.pdf", PNG)):
        with pytest.raises(ValidationError, match="按文件内容识别"):
            add_record(case, inspector_a, name=name, data=data)
    assert not case.records.exists() and not stored_files(media)


def test_the_size_limits_come_from_the_settings(case, inspector_a, media, settings):
    """R6: each kind has its largest size (CASE_MAX_*_MB), checked before storing."""
    settings.CASE_MAX_IMAGE_MB = 1
    big = PNG + b"\x00" * (1024 * 1024)
    with pytest.raises(ValidationError) as refused:
        add_record(case, inspector_a, name="现场.png", data=big, kind="audio_video")
    assert refused.value.messages == ["“现场.png”超过了照片的大小上限 1.0\xa0MB。"]
    assert not stored_files(media)
    assert services.record_limits("audio_video")["image"] == 1024 * 1024


def test_a_record_is_stored_with_its_sha256_and_size_in_the_current_stage(case, inspector_a, media):
    """R6: every file is stored with its SHA-256 and size; the record belongs to the stage the
    case is in; the timeline names it."""
    add_record(case, inspector_a)
    case = services.case_advance(case=case, actor=inspector_a)
    data = PNG + b"evidence"
    record = add_record(case, inspector_a, name="现场照片.png", data=data, kind="audio_video")
    assert record.stage == Stage.INVESTIGATION
    assert record.sha256 == hashlib.sha256(data).hexdigest() and record.size == len(data)
    assert record.original_name == "现场照片.png" and record.content_type == "image/png"
    with record.file.open("rb") as stored:
        assert stored.read() == data
    assert not record.file.name.endswith("现场照片.png")  # never the uploader's name
    step = case.timeline.filter(kind=CaseEvent.Kind.RECORD_ADDED).last()
    assert step.actor == inspector_a and record.sha256[:12] in step.note


def test_the_recorder_must_be_one_of_the_cases_officers(case, agency_a, inspector_a, media):
    """R6: who recorded it is one of the officers handling the case."""
    colleague = OfficerFactory(agency=agency_a, name="其他执法")
    with pytest.raises(ValidationError, match="承办执法人员"):
        add_record(case, inspector_a, recorded_by=colleague)
    assert not stored_files(media)


def test_a_record_cannot_be_dated_in_the_future(case, inspector_a, media):
    """R6: when it was recorded is a past moment."""
    with pytest.raises(ValidationError, match="不能晚于现在"):
        add_record(case, inspector_a, recorded_at=timezone.now() + timedelta(hours=1))
    assert not stored_files(media)


def test_a_correction_is_a_new_version_and_the_old_one_stays(case, inspector_a, media):
    """R6: a record is never silently replaced: the correction supersedes it with a reason."""
    first = add_record(case, inspector_a)
    fixed = services.case_record_correct(
        record=first, actor=inspector_a, file=upload("笔录.pdf", PDF + b"%fixed"), reason="笔误"
    )
    first.refresh_from_db()
    assert (fixed.version, fixed.supersedes, fixed.correction_reason) == (2, first, "笔误")
    assert fixed.stage == first.stage and fixed.recorded_by == first.recorded_by
    assert first.file.storage.exists(first.file.name) and len(stored_files(media)) == 2
    assert fixed.sha256 != first.sha256
    step = case.timeline.get(kind=CaseEvent.Kind.RECORD_CORRECTED)
    assert step.actor == inspector_a and "笔误" in step.note
    shown = case_for(user=inspector_a, pk=case.pk)
    assert [(r.version, r.is_current) for r in shown.records.all()] == [(1, False), (2, True)]


def test_only_the_latest_version_can_be_corrected_and_only_with_a_reason(case, inspector_a, media):
    """R6: corrections form one chain of versions, each with its reason."""
    first = add_record(case, inspector_a)
    with pytest.raises(ValidationError, match="更正理由"):
        services.case_record_correct(
            record=first, actor=inspector_a, file=upload("笔录.pdf", PDF), reason="  "
        )
    services.case_record_correct(
        record=first, actor=inspector_a, file=upload("笔录.pdf", PDF), reason="笔误"
    )
    with pytest.raises(ValidationError, match="请更正最新版本"):
        services.case_record_correct(
            record=first, actor=inspector_a, file=upload("笔录.pdf", PDF), reason="再改"
        )
    assert CaseRecord.objects.count() == 2 and len(stored_files(media)) == 2


def test_the_database_refuses_a_correction_without_a_reason(case, inspector_a, media):
    """R6: even bypassing the service, a version 2 needs its reason (check constraint)."""
    first = add_record(case, inspector_a)
    fields = {
        f.name: getattr(first, f.name)
        for f in CaseRecord._meta.concrete_fields
        if f.name not in ("id", "entered_at")
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseRecord.objects.create(**(fields | {"version": 2, "supersedes": first}))


def test_a_failure_after_storing_the_file_leaves_no_file(case, inspector_a, media, monkeypatch):
    """R6: the record and its file are kept together or not at all."""

    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(CaseEvent, "save", broken)
    with pytest.raises(RuntimeError):
        add_record(case, inspector_a)
    assert not CaseRecord.objects.exists() and not stored_files(media)


# Selectors ----------------------------------------------------------------------------------


def test_cases_are_read_within_the_users_scope(
    case, inspector_a, outsider_b, city_supervisor, django_assert_max_num_queries
):
    """R6, R11: the agency's staff and its region's supervisor see its cases; others do not."""
    with django_assert_max_num_queries(3):
        assert list(cases_for(user=inspector_a)) == [case]
    assert list(cases_for(user=city_supervisor, stage=Stage.INITIATION)) == [case]
    assert not cases_for(user=city_supervisor, stage=Stage.ARCHIVING).exists()
    assert not cases_for(user=outsider_b).exists()


def test_a_case_leaves_review_and_decision_only_with_its_decision_issued(case, inspector_a, media):
    """R5, R6: no decision, or one awaiting review, keeps the case in 审查决定."""
    for _ in range(2):
        add_record(case, inspector_a)
        case = services.case_advance(case=case, actor=inspector_a)
    add_record(case, inspector_a)
    with pytest.raises(ValidationError, match="执法决定作出后"):
        services.case_advance(case=case, actor=inspector_a)
    decide(case, inspector_a)
    case = services.case_advance(case=case, actor=inspector_a)
    assert case.stage == Stage.SERVICE
