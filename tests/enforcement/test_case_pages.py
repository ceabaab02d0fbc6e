"""The staff pages of enforcement cases (R6): opening a case, its records per stage, corrections,
advancing the stages, the files served only to those who may read the case."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from enforcement.models import Case, CaseRecord, Officer, Party, Stage
from enforcement.services.cases import PartyInput, case_open, case_record_add
from tests.conftest import client_for
from tests.enforcement.staff_factories import make_published
from tests.enforcement.test_cases import decide
from tests.factories import OfficerFactory

CREDIT_CODE = "91350100M000100Y43"  # a published example code
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00\x00"
    b"\x00\x00IEND\xaeB`\x82"
)


def png(name="photo.png", content=PNG):
    return SimpleUploadedFile(name, content, content_type="image/png")


@pytest.fixture
def item(agency_a, inspector_a, legal_office_a, city_supervisor):
    return make_published(agency_a, inspector_a, legal_office_a, city_supervisor)


@pytest.fixture
def officers(agency_a):
    return [OfficerFactory(agency=agency_a), OfficerFactory(agency=agency_a)]


def _open(agency, item, officers, actor, n=0) -> Case:
    return case_open(
        agency=agency,
        power_item=item,
        source=Case.Source.INSPECTION,
        summary=f"涉嫌销售过期食品 {n}",
        parties=[PartyInput(kind=Party.Kind.LEGAL_PERSON, name="某超市", identifier=CREDIT_CODE)],
        officers=officers,
        actor=actor,
    )


@pytest.fixture
def case(agency_a, item, officers, inspector_a):
    return _open(agency_a, item, officers, inspector_a)


def _add(case, actor, officer, title="现场检查笔录") -> CaseRecord:
    return case_record_add(
        case=case,
        actor=actor,
        kind=CaseRecord.Kind.AUDIO_VIDEO,
        title=title,
        file=png(),
        recorded_by=officer,
        recorded_at=timezone.now() - datetime.timedelta(hours=1),
        recorded_place="某超市",
    )


def _open_data(agency, item, officers, **overrides) -> dict:
    data = {
        "agency": agency.pk,
        "power_item": item.pk,
        "source": Case.Source.INSPECTION,
        "summary": "涉嫌销售过期食品",
        "party1_kind": Party.Kind.LEGAL_PERSON,
        "party1_name": "某超市",
        "party1_identifier": CREDIT_CODE,
        "party1_address": "甲市某路 1 号",
        "officers": [o.pk for o in officers],
    }
    data.update(overrides)
    return data


def _record_data(officer, **overrides) -> dict:
    data = {
        "add-kind": CaseRecord.Kind.AUDIO_VIDEO,
        "add-evidence_type": "audiovisual",
        "add-title": "现场照片",
        "add-recorded_by": officer.pk,
        "add-recorded_at": (timezone.localtime() - datetime.timedelta(hours=1)).strftime(
            "%Y-%m-%dT%H:%M"
        ),
        "add-recorded_place": "某超市",
        "add-file": png(),
    }
    data.update(overrides)
    return data


def _files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


# --- opening a case ---------------------------------------------------------------------------


def test_an_inspector_opens_a_case_through_the_page(inspector_a, agency_a, item, officers):
    """R6, stage 1: a case under a published item, with its party and two valid officers."""
    client = client_for(inspector_a)
    page = client.get(reverse("cases:new")).content.decode()
    assert f'value="{agency_a.pk}" selected' in page  # the only agency is preselected
    assert "有效" in page  # certificate status shown beside each officer
    response = client.post(reverse("cases:new"), _open_data(agency_a, item, officers))
    case = Case.objects.get()
    assert response.status_code == 302
    assert response.url == case.get_absolute_url()
    assert case.stage == Stage.INITIATION
    assert case.parties.get().name == "某超市"
    assert case.case_officers.count() == 2
    detail = client.get(case.get_absolute_url()).content.decode()
    assert "已立案" in detail and "某超市" in detail


def test_an_officer_with_a_withdrawn_certificate_is_refused(inspector_a, agency_a, item, officers):
    """R6: an officer whose certificate is withdrawn cannot be assigned; nothing is opened."""
    Officer.objects.filter(pk=officers[1].pk).update(
        certificate_status=Officer.CertificateStatus.WITHDRAWN,
        status_reason="调离执法岗位",
        status_date=datetime.date(2024, 1, 1),
    )
    response = client_for(inspector_a).post(
        reverse("cases:new"), _open_data(agency_a, item, officers)
    )
    assert response.status_code == 400
    assert "的执法证件已收回，不能承办案件" in response.content.decode()
    assert not Case.objects.exists()


def test_a_single_officer_is_refused(inspector_a, agency_a, item, officers):
    """R6: enforcement needs at least two officers."""
    response = client_for(inspector_a).post(
        reverse("cases:new"), _open_data(agency_a, item, officers[:1])
    )
    assert "执法人员不得少于两人" in response.content.decode()
    assert not Case.objects.exists()


def test_a_case_without_a_party_is_refused(inspector_a, agency_a, item, officers):
    data = _open_data(agency_a, item, officers, party1_kind="", party1_name="")
    data.update(party1_identifier="", party1_address="")
    response = client_for(inspector_a).post(reverse("cases:new"), data)
    assert "请至少填写一名当事人" in response.content.decode()
    assert not Case.objects.exists()


# --- records, corrections, stages -------------------------------------------------------------


def test_a_record_is_added_to_the_current_stage(inspector_a, case, officers):
    """R6: a record with who, when and where, stored with its SHA-256 and size."""
    client = client_for(inspector_a)
    response = client.post(reverse("cases:record-add", args=[case.pk]), _record_data(officers[0]))
    assert response.status_code == 302
    record = case.records.get()
    assert record.stage == Stage.INITIATION and record.size == len(PNG)
    page = client.get(case.get_absolute_url()).content.decode()
    assert record.sha256 in page and "现场照片" in page
    assert 'accept=".' in page and "最多 1 个附件" in page  # limits shown before upload


def test_a_file_whose_content_is_not_its_name_is_refused(inspector_a, case, officers, media):
    """R6 bad input: an executable named x.pdf is refused and no file is left in storage."""
    fake = SimpleUploadedFile("x.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf")
    response = client_for(inspector_a).post(
        reverse("cases:record-add", args=[case.pk]),
        _record_data(officers[0], **{"add-kind": CaseRecord.Kind.DOCUMENT, "add-file": fake}),
    )
    assert response.status_code == 400
    assert "不是可接受的" in response.content.decode()
    assert not case.records.exists()
    assert _files(media) == []


def test_advancing_without_a_record_is_refused(inspector_a, case):
    """R6: a stage is left only once it holds a record."""
    response = client_for(inspector_a).post(reverse("cases:advance", args=[case.pk]))
    assert response.status_code == 400
    assert "还没有任何记录，不能进入下一阶段" in response.content.decode()
    case.refresh_from_db()
    assert case.stage == Stage.INITIATION


def test_the_stages_advance_in_order(inspector_a, case, officers):
    """R6: the five stages one after the other, each step on the timeline."""
    client = client_for(inspector_a)
    for expected in list(Stage)[1:]:
        _add(case, inspector_a, officers[0])
        case.refresh_from_db()
        if case.stage == Stage.DECISION:
            decide(case, inspector_a)
        response = client.post(reverse("cases:advance", args=[case.pk]), {"advance-note": "依法"})
        assert response.status_code == 302
        case.refresh_from_db()
        assert case.stage == expected
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'id="action-advance"' not in page  # archived: no next stage
    assert page.count("进入下一阶段") >= 4  # the timeline keeps every step


def test_a_correction_keeps_the_old_version_visible_and_marked(inspector_a, case, officers):
    """R6: a record is never silently replaced; the correction is a new version with a reason."""
    old = _add(case, inspector_a, officers[0])
    client = client_for(inspector_a)
    response = client.post(
        reverse("cases:record-correct", args=[case.pk, old.pk]),
        {f"correct-{old.pk}-file": png("better.png"), f"correct-{old.pk}-reason": "照片模糊"},
    )
    assert response.status_code == 302
    new = case.records.get(supersedes=old)
    assert new.version == 2
    page = client.get(case.get_absolute_url()).content.decode()
    assert f"<del>{old.title}</del>" in page and "已更正" in page
    assert f'href="#record-{new.pk}"' in page and "照片模糊" in page
    # The old version cannot be corrected a second time.
    again = client.post(
        reverse("cases:record-correct", args=[case.pk, old.pk]),
        {f"correct-{old.pk}-file": png(), f"correct-{old.pk}-reason": "再改"},
    )
    assert "请更正最新版本" in again.content.decode()
    assert case.records.count() == 2


def test_a_correction_without_a_reason_is_refused(inspector_a, case, officers):
    old = _add(case, inspector_a, officers[0])
    response = client_for(inspector_a).post(
        reverse("cases:record-correct", args=[case.pk, old.pk]),
        {f"correct-{old.pk}-file": png()},
    )
    assert "请填写更正理由" in response.content.decode()
    assert case.records.count() == 1


# --- who may read, who may act ----------------------------------------------------------------


def test_the_file_is_downloaded_by_a_supervisor_and_hidden_from_the_outsider(
    inspector_a, city_supervisor, outsider_b, case, officers
):
    """Files are served to authorised users only, through storage, as a download."""
    record = _add(case, inspector_a, officers[0])
    url = reverse("cases:record-file", args=[case.pk, record.pk])
    response = client_for(city_supervisor).get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert "attachment" in response["Content-Disposition"]
    assert client_for(outsider_b).get(url).status_code == 404
    assert not record.file.url.startswith(url)


def test_the_outsider_is_refused_on_every_case_page(outsider_b, agency_a, item, case, officers):
    """An officer of agency B cannot read or touch a case of agency A; nothing changes."""
    record = _add(case, case.opened_by, officers[0])
    client = client_for(outsider_b)
    listing = client.get(reverse("cases:list")).content.decode()
    assert str(case) not in listing and case.get_absolute_url() not in listing
    assert client.get(case.get_absolute_url()).status_code == 404
    assert client.get(reverse("cases:record-file", args=[case.pk, record.pk])).status_code == 404
    assert client.get(reverse("cases:new") + f"?agency={agency_a.pk}").status_code == 403
    opened = client.post(reverse("cases:new"), _open_data(agency_a, item, officers))
    assert opened.status_code == 403
    added = client.post(reverse("cases:record-add", args=[case.pk]), _record_data(officers[0]))
    assert added.status_code == 404
    assert client.post(reverse("cases:advance", args=[case.pk])).status_code == 404
    corrected = client.post(
        reverse("cases:record-correct", args=[case.pk, record.pk]),
        {f"correct-{record.pk}-file": png(), f"correct-{record.pk}-reason": "x"},
    )
    assert corrected.status_code == 404
    case.refresh_from_db()
    assert Case.objects.count() == 1 and case.records.count() == 1
    assert case.stage == Stage.INITIATION


def test_a_supervisor_reads_but_does_not_act(city_supervisor, case, officers, inspector_a):
    """The supervisor reads the case; the forms are not offered and a forged post is refused."""
    _add(case, inspector_a, officers[0])
    client = client_for(city_supervisor)
    page = client.get(case.get_absolute_url()).content.decode()
    assert 'id="action-add"' not in page and 'id="action-advance"' not in page
    assert client.post(reverse("cases:advance", args=[case.pk])).status_code == 403
    assert client.get(reverse("cases:new")).status_code == 403
    case.refresh_from_db()
    assert case.stage == Stage.INITIATION


def test_the_public_is_sent_to_log_in(public_client, case):
    for url in (reverse("cases:list"), reverse("cases:new"), case.get_absolute_url()):
        response = public_client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response.url


def test_the_list_filters_by_stage_and_agency(legal_office_a, case, agency_a):
    client = client_for(legal_office_a)
    assert str(case) in client.get(reverse("cases:list")).content.decode()
    other = client.get(reverse("cases:list"), {"stage": Stage.ARCHIVING}).content.decode()
    assert case.get_absolute_url() not in other
    mine = client.get(reverse("cases:list"), {"agency": agency_a.pk}).content.decode()
    assert case.get_absolute_url() in mine


def test_a_list_longer_than_the_cap_says_more_than_and_pages_up_to_it(
    monkeypatch, city_supervisor, agency_a, item, officers, inspector_a
):
    """The count stops at the cap (the same cost however many cases the region has): the page
    says "more than" and offers the cap's pages only; at the cap or below it counts exactly."""
    for n in range(4):
        _open(agency_a, item, officers, inspector_a, n)
    client = client_for(city_supervisor)
    monkeypatch.setattr("portal.pagination.COUNT_CAP", 4)
    assert "共 4 件案件" in client.get(reverse("cases:list")).content.decode()
    monkeypatch.setattr("portal.pagination.COUNT_CAP", 3)
    page = client.get(reverse("cases:list")).content.decode()
    assert "超过 3 件案件：请用上面的条件缩小范围。" in page and "共 4 件案件" not in page
    assert page.count('href="/cases/') >= 4  # the first page still shows every case it holds


def test_the_workspace_links_to_the_cases(inspector_a, city_supervisor):
    assert (
        reverse("cases:new")
        in client_for(inspector_a).get(reverse("portal:workspace")).content.decode()
    )
    page = client_for(city_supervisor).get(reverse("portal:workspace")).content.decode()
    assert reverse("cases:list") in page and reverse("cases:new") not in page


# --- query counts ------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [3, 10])
def test_the_list_stays_constant_in_queries(
    count, city_supervisor, agency_a, item, officers, inspector_a, django_assert_max_num_queries
):
    for n in range(count):
        _open(agency_a, item, officers, inspector_a, n)
    client = client_for(city_supervisor)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("cases:list"))
    assert response.content.decode().count('href="/cases/') >= count


@pytest.mark.parametrize("count", [2, 8])
def test_the_detail_stays_constant_in_queries(
    count, inspector_a, case, officers, django_assert_max_num_queries
):
    for n in range(count):
        _add(case, inspector_a, officers[n % 2], title=f"记录 {n}")
    client = client_for(inspector_a)
    with django_assert_max_num_queries(14):
        response = client.get(case.get_absolute_url())
    assert response.content.decode().count(f"cases/{case.pk}/records/") >= count
