"""R20: special inspections (专项检查) and unannounced visits (暗访) as evaluation evidence.

A supervisor whose region covers the agency records them while the cycle is open, for an agency
evaluated in the cycle, dated within the cycle's year and not in the future; photos are checked
by their content and served only to those who may read the inspection."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from assessment.models import Assignment, Cycle, CycleEvent, Inspection, InspectionPhoto
from assessment.services import evidence as service
from assessment.services.evidence import inspection_record
from tests.conftest import client_for

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
JPG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 100
EXE = b"MZ\x90\x00\x03\x00\x00\x00" + b"\x00" * 100
TODAY = datetime.date(2026, 6, 30)

pytestmark = pytest.mark.usefixtures("evidence_media")


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """The service's "today", fixed inside the cycle's year."""
    monkeypatch.setattr(service, "localdate", lambda: TODAY)
    return TODAY


def photo(name="现场.jpg", data=JPG):
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def record(cycle, agency, actor, **changes):
    values = {
        "cycle": cycle,
        "agency": agency,
        "kind": Inspection.Kind.SPECIAL,
        "held_on": datetime.date(2026, 5, 12),
        "place": "市场监管局办事大厅",
        "inspectors": "王监督、刘监督",
        "findings": "两名执法人员未出示执法证件。",
        "photos": [],
        "actor": actor,
    }
    return inspection_record(**(values | changes))


@pytest.fixture
def cycle_b(city_b, agency_b, sysadmin):
    from tests.factories import AgencyFactory

    cycle = Cycle.objects.create(region=city_b, year=2026, opened_by=sysadmin)
    evaluator = AgencyFactory(name="丙市司法局", region=city_b, is_legal_office=True)
    Assignment.objects.create(
        cycle=cycle, agency=agency_b, role="local", evaluator=evaluator, weight=100
    )
    return cycle


def _nothing_recorded():
    return (
        Inspection.objects.count(),
        InspectionPhoto.objects.count(),
        CycleEvent.objects.filter(kind=CycleEvent.Kind.INSPECTION).count(),
    ) == (0, 0, 0)


# --- the service ---------------------------------------------------------------------------


def test_a_supervisor_records_an_unannounced_visit_with_photos_and_a_cycle_event(
    evaluated_2026, agency_a, city_supervisor
):
    """R20: the visit, its photos and the cycle's timeline entry are kept together."""
    inspection = record(
        evaluated_2026,
        agency_a,
        city_supervisor,
        kind=Inspection.Kind.UNANNOUNCED,
        photos=[photo(), photo("门口.png", PNG)],
    )
    assert inspection.recorded_by == city_supervisor
    photos = list(inspection.photos.all())
    assert [p.name for p in photos] == ["现场.jpg", "门口.png"]
    assert [p.content_type for p in photos] == ["image/jpeg", "image/png"]
    # Stored through Django's storage under a random name, never the name the user gave.
    assert photos[0].file.storage.exists(photos[0].file.name)
    assert "现场" not in photos[0].file.name
    event = CycleEvent.objects.get(cycle=evaluated_2026, kind=CycleEvent.Kind.INSPECTION)
    assert (event.actor, event.agency) == (city_supervisor, agency_a)
    assert "暗访" in event.note


def test_a_county_agency_is_within_the_city_supervisors_reach(
    evaluated_2026, county_agency_a, city_supervisor
):
    assert record(evaluated_2026, county_agency_a, city_supervisor).agency == county_agency_a


def test_an_exe_renamed_to_jpg_is_refused_and_nothing_is_recorded(
    evaluated_2026, agency_a, city_supervisor
):
    with pytest.raises(ValidationError) as refused:
        record(evaluated_2026, agency_a, city_supervisor, photos=[photo("现场.jpg", EXE)])
    assert "不是可接受的照片（按文件内容识别）" in str(refused.value.message_dict["photos"])
    assert _nothing_recorded()


def test_an_oversized_photo_is_refused(evaluated_2026, agency_a, city_supervisor, settings):
    settings.EVALUATION_PHOTO_MAX_MB = 1
    big = JPG + b"\x00" * (1024 * 1024)
    with pytest.raises(ValidationError) as refused:
        record(evaluated_2026, agency_a, city_supervisor, photos=[photo("大图.jpg", big)])
    assert "超过了照片的大小上限" in str(refused.value.message_dict["photos"])
    assert _nothing_recorded()


@pytest.mark.parametrize(
    ("held_on", "message"),
    [
        (datetime.date(2027, 1, 5), "检查日期应在考核年度 2026 年内"),
        (datetime.date(2025, 12, 31), "检查日期应在考核年度 2026 年内"),
        (datetime.date(2026, 7, 1), "检查日期不能晚于今天"),
        ("2026-13-01", "请填写有效的检查日期"),
    ],
)
def test_an_inspection_dated_outside_the_year_or_in_the_future_is_refused(
    evaluated_2026, agency_a, city_supervisor, held_on, message
):
    with pytest.raises(ValidationError) as refused:
        record(evaluated_2026, agency_a, city_supervisor, held_on=held_on)
    assert message in str(refused.value.message_dict["held_on"])
    assert _nothing_recorded()


def test_city_a_supervisor_cannot_record_an_inspection_of_agency_b(
    evaluated_2026, cycle_b, agency_b, city_supervisor
):
    with pytest.raises(PermissionDenied) as refused:
        record(cycle_b, agency_b, city_supervisor)
    assert "监督人员" in str(refused.value)
    assert _nothing_recorded()


@pytest.mark.parametrize("persona", ["inspector_a", "legal_office_a"])
def test_agency_staff_cannot_record_inspections(evaluated_2026, agency_a, persona, request):
    with pytest.raises(PermissionDenied):
        record(evaluated_2026, agency_a, request.getfixturevalue(persona))
    assert _nothing_recorded()


def test_an_agency_not_evaluated_in_the_cycle_is_refused(cycle_2026, agency_a, city_supervisor):
    with pytest.raises(ValidationError) as refused:
        record(cycle_2026, agency_a, city_supervisor)
    assert "不是本考核周期的被评议单位" in str(refused.value)
    assert _nothing_recorded()


def test_a_closed_cycle_takes_no_inspection(evaluated_2026, agency_a, city_supervisor):
    from django.utils import timezone

    Cycle.objects.filter(pk=evaluated_2026.pk).update(
        status=Cycle.Status.CLOSED, closed_at=timezone.now()
    )
    with pytest.raises(ValidationError) as refused:
        record(evaluated_2026, agency_a, city_supervisor)
    assert "已经结束" in str(refused.value)
    assert _nothing_recorded()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("findings", "<script>alert(1)</script>", "不能包含网页代码"),
        ("place", '=HYPERLINK("http://x")', "不能以公式开头"),
        ("inspectors", "   ", "请填写检查人员"),
        ("kind", "raid", "请选择检查类型"),
    ],
)
def test_unsafe_or_missing_text_is_refused(
    evaluated_2026, agency_a, city_supervisor, field, value, message
):
    with pytest.raises(ValidationError) as refused:
        record(evaluated_2026, agency_a, city_supervisor, **{field: value})
    assert message in str(refused.value)
    assert _nothing_recorded()


# --- the pages -----------------------------------------------------------------------------


def test_the_record_form_saves_an_inspection_with_its_photo(
    evaluated_2026, agency_a, city_supervisor
):
    client = client_for(city_supervisor)
    url = reverse("assessment:inspection-new", args=[evaluated_2026.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "agency": agency_a.pk,
            "kind": "unannounced",
            "held_on": "2026-06-01",
            "place": "执法大队",
            "inspectors": "王监督",
            "findings": "执法记录仪未开启。",
            "photos": [photo()],
        },
    )
    inspection = Inspection.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("assessment:inspection-detail", args=[inspection.pk])
    assert inspection.photos.count() == 1


def test_the_record_form_names_a_renamed_exe_in_chinese(evaluated_2026, agency_a, city_supervisor):
    response = client_for(city_supervisor).post(
        reverse("assessment:inspection-new", args=[evaluated_2026.pk]),
        {
            "agency": agency_a.pk,
            "kind": "special",
            "held_on": "2026-06-01",
            "place": "执法大队",
            "inspectors": "王监督",
            "findings": "执法记录仪未开启。",
            "photos": [photo("现场.jpg", EXE)],
        },
    )
    assert response.status_code == 400
    assert "不是可接受的照片" in response.content.decode()
    assert _nothing_recorded()


def test_the_record_form_refuses_next_years_date(evaluated_2026, agency_a, city_supervisor):
    response = client_for(city_supervisor).post(
        reverse("assessment:inspection-new", args=[evaluated_2026.pk]),
        {
            "agency": agency_a.pk,
            "kind": "special",
            "held_on": "2027-01-10",
            "place": "执法大队",
            "inspectors": "王监督",
            "findings": "无",
        },
    )
    assert response.status_code == 400
    assert "检查日期应在考核年度 2026 年内" in response.content.decode()
    assert _nothing_recorded()


@pytest.fixture
def inspections(evaluated_2026, agency_a, county_agency_a, city_supervisor):
    return [
        record(evaluated_2026, agency_a, city_supervisor, photos=[photo()]),
        record(evaluated_2026, agency_a, city_supervisor, kind=Inspection.Kind.UNANNOUNCED),
        record(evaluated_2026, county_agency_a, city_supervisor, place="乙县执法大队"),
    ]


def test_the_list_filters_by_agency_and_kind(
    inspections, evaluated_2026, agency_a, city_supervisor
):
    url = reverse("assessment:inspection-list", args=[evaluated_2026.pk])
    client = client_for(city_supervisor)
    everything = client.get(url).context["rows"]
    assert len(everything) == 3
    mine = client.get(url, {"agency": agency_a.pk, "kind": "unannounced"}).context["rows"]
    assert [row.pk for row in mine] == [inspections[1].pk]


def test_the_inspected_agencys_staff_read_their_own_inspections_only(
    inspections, evaluated_2026, inspector_a
):
    client = client_for(inspector_a)
    rows = client.get(reverse("assessment:inspection-list", args=[evaluated_2026.pk])).context[
        "rows"
    ]
    assert {row.pk for row in rows} == {inspections[0].pk, inspections[1].pk}
    county = reverse("assessment:inspection-detail", args=[inspections[2].pk])
    assert client.get(county).status_code == 404


def test_another_citys_staff_cannot_open_the_cycle_nor_an_inspection(inspections, outsider_b):
    client = client_for(outsider_b)
    cycle = inspections[0].cycle_id
    assert client.get(reverse("assessment:inspection-list", args=[cycle])).status_code == 404
    detail = reverse("assessment:inspection-detail", args=[inspections[0].pk])
    assert client.get(detail).status_code == 404


def test_a_photo_is_served_only_to_those_who_may_read_the_inspection(
    inspections, inspector_a, outsider_b, public_client
):
    inspection = inspections[0]
    item = inspection.photos.get()
    url = reverse("assessment:inspection-photo", args=[inspection.pk, item.pk])
    detail = client_for(inspector_a).get(
        reverse("assessment:inspection-detail", args=[inspection.pk])
    )
    assert url in detail.content.decode()  # the thumbnail goes through the protected view
    response = client_for(inspector_a).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert b"".join(response.streaming_content) == JPG
    assert client_for(outsider_b).get(url).status_code == 404
    assert public_client.get(url).status_code == 302  # to the login page


def test_the_list_page_costs_the_same_queries_with_more_inspections(
    evaluated_2026, agency_a, city_supervisor, django_assert_max_num_queries
):
    client = client_for(city_supervisor)
    url = reverse("assessment:inspection-list", args=[evaluated_2026.pk])
    record(evaluated_2026, agency_a, city_supervisor, photos=[photo()])
    client.get(url)
    for _ in range(6):
        record(evaluated_2026, agency_a, city_supervisor, photos=[photo()])
    with django_assert_max_num_queries(12):
        response = client.get(url)
    assert len(response.context["rows"]) == 7


# --- the API -------------------------------------------------------------------------------


def test_the_api_lists_a_cycles_inspections_in_scope(inspections, evaluated_2026, inspector_a):
    url = reverse("api:assessment-cycle-inspections", args=[evaluated_2026.pk])
    body = client_for(inspector_a).get(url).json()
    assert body["count"] == 2
    assert {row["agency"] for row in body["results"]} == {inspections[0].agency_id}
    assert body["results"][0]["photo_count"] in (0, 1)


def test_the_api_refuses_a_bad_kind_in_chinese(inspections, evaluated_2026, city_supervisor):
    url = reverse("api:assessment-cycle-inspections", args=[evaluated_2026.pk])
    response = client_for(city_supervisor).get(url, {"kind": "raid", "agency": "abc"})
    assert response.status_code == 400
    assert "半角数字" in str(response.json()["agency"])


def test_the_api_hides_another_citys_cycle(inspections, evaluated_2026, outsider_b):
    url = reverse("api:assessment-cycle-inspections", args=[evaluated_2026.pk])
    response = client_for(outsider_b).get(url)
    assert response.status_code == 404


def test_the_api_costs_the_same_queries_with_more_inspections(
    evaluated_2026, agency_a, city_supervisor, django_assert_max_num_queries
):
    client = client_for(city_supervisor)
    url = reverse("api:assessment-cycle-inspections", args=[evaluated_2026.pk])
    for _ in range(8):
        record(evaluated_2026, agency_a, city_supervisor, photos=[photo()])
    with django_assert_max_num_queries(8):
        body = client.get(url).json()
    assert body["count"] == 8
