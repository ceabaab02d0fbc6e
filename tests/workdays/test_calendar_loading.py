"""Loading the working-day calendar: on a fresh install, from the library, and by an administrator.

A fresh install knows every year chinese-calendar knows; administrators add a new year's State
Council schedule in the admin or as a CSV file; every change is historised with its actor and
makes the apps that store deadlines recompute them.
"""

import importlib
from datetime import date

import chinese_calendar
import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.urls import reverse

from tests.conftest import client_for
from workdays.deadlines import add_working_days
from workdays.models import CalendarYear, SpecialDay

from .conftest import csv_2027

pytestmark = pytest.mark.django_db

D = date.fromisoformat
BUNDLED_YEARS = list(range(2004, 2027))
UPLOAD_URL = "admin:workdays_calendaryear_upload"


def library_day_count() -> int:
    weekend_workdays = [d for d in chinese_calendar.workdays if d.weekday() >= 5]
    return len(chinese_calendar.holidays) + len(weekend_workdays)


def upload(client, data: bytes, *, name="2027.csv", year=2027, source="国办发明电〔2026〕9号"):
    file = SimpleUploadedFile(name, data, content_type="text/csv")
    return client.post(
        reverse(UPLOAD_URL), {"year": year, "source": source, "note": "", "file": file}
    )


# --- a fresh install


def test_a_fresh_database_has_every_bundled_year_loaded_and_flagged():
    """The data migration loads 2004–2026 without any manual step, names in Chinese."""
    years = CalendarYear.objects.order_by("year")
    assert [y.year for y in years] == BUNDLED_YEARS
    assert all(y.schedule_loaded and y.source == "chinese-calendar 1.11.0" for y in years)
    assert SpecialDay.objects.count() == library_day_count()
    assert SpecialDay.objects.get(date=D("2026-10-01")).name == "国庆节"
    assert SpecialDay.objects.get(date=D("2026-02-17")).name == "春节"
    assert SpecialDay.objects.get(date=D("2015-09-03")).name == "抗战胜利70周年纪念日"
    assert SpecialDay.objects.get(date=D("2026-09-20")).kind == SpecialDay.Kind.WORKDAY
    assert set(SpecialDay.objects.values_list("name", flat=True)) == {
        "元旦",
        "春节",
        "清明节",
        "劳动节",
        "端午节",
        "中秋节",
        "国庆节",
        "抗战胜利70周年纪念日",
    }


def test_the_initial_load_starts_every_days_history():
    """History: the admin's history of each day starts with the initial load."""
    day = SpecialDay.objects.get(date=D("2026-10-01"))
    [version] = day.history.all()
    assert version.history_type == "+"
    assert version.history_change_reason == "chinese-calendar 1.11.0"
    assert CalendarYear.objects.get(year=2026).history.count() == 1


def test_the_data_migration_fills_an_empty_calendar():
    """The migration itself, run again on emptied tables, loads the same calendar."""
    migration = importlib.import_module("workdays.migrations.0002_load_bundled_calendar")
    SpecialDay.objects.all().delete()
    CalendarYear.objects.all().delete()
    migration.load(apps, None)
    assert CalendarYear.objects.filter(schedule_loaded=True).count() == len(BUNDLED_YEARS)
    assert SpecialDay.objects.count() == library_day_count()


def test_the_database_refuses_a_day_filed_under_another_year():
    """Invariant kept by a CHECK constraint, not only by the forms."""
    with pytest.raises(IntegrityError), transaction.atomic():
        SpecialDay.objects.create(
            date=D("2025-12-31"), kind="holiday", name="元旦", calendar_year_id=2026
        )


# --- load_holidays


def test_load_holidays_is_idempotent(django_capture_on_commit_callbacks, recomputed):
    """Running it on an up-to-date calendar changes nothing, adds no history, recomputes nothing."""
    before = (SpecialDay.objects.count(), SpecialDay.history.count(), CalendarYear.history.count())
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_holidays", stdout=open("/dev/null", "w"))  # noqa: SIM115
        call_command("load_holidays", stdout=open("/dev/null", "w"))  # noqa: SIM115
    after = (SpecialDay.objects.count(), SpecialDay.history.count(), CalendarYear.history.count())
    assert after == before
    assert recomputed == []


def test_load_holidays_repairs_a_damaged_year_and_recomputes_it(
    django_capture_on_commit_callbacks, recomputed
):
    SpecialDay.objects.filter(date=D("2026-10-01")).delete()
    SpecialDay.objects.filter(date=D("2026-10-02")).update(name="错误")
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_holidays", "2026", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert SpecialDay.objects.get(date=D("2026-10-01")).name == "国庆节"
    assert SpecialDay.objects.get(date=D("2026-10-02")).name == "国庆节"
    assert recomputed == [2026]


def test_load_holidays_says_which_years_the_library_lacks():
    with pytest.raises(CommandError, match=r"\[2027\]"):
        call_command("load_holidays", "2027")
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_load_holidays_leaves_an_administrators_schedule_alone(sysadmin):
    """A year loaded from the official notice is not replaced by the library's copy."""
    CalendarYear.objects.filter(year=2026).update(source="国办发明电〔2025〕7号")
    SpecialDay.objects.filter(date=D("2026-10-02")).update(name="国庆节（通知）")
    call_command("load_holidays", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert SpecialDay.objects.get(date=D("2026-10-02")).name == "国庆节（通知）"


# --- an administrator loads 2027


def test_uploading_the_2027_schedule_makes_2027_deadlines_final_and_recomputes_them(
    sysadmin, django_capture_on_commit_callbacks, recomputed
):
    """Once loaded, 2027 follows its schedule (Spring Festival included), not the fallback;
    the apps that store deadlines are told to recompute 2027."""
    assert add_working_days(start=D("2027-02-05"), days=1).provisional
    client = client_for(sysadmin)
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, csv_2027())
    assert response.status_code == 302
    assert response["Location"] == reverse("admin:workdays_calendaryear_changelist")

    result = add_working_days(start=D("2027-02-05"), days=1)
    assert result.deadline == D("2027-02-15")
    assert not result.provisional
    assert [day.reason for day in result.skipped[:3]] == ["春节", "春节", "春节"]
    assert recomputed == [2027]

    calendar_year = CalendarYear.objects.get(year=2027)
    assert calendar_year.schedule_loaded
    assert calendar_year.source == "国办发明电〔2026〕9号"
    assert calendar_year.history.get().history_user == sysadmin
    assert SpecialDay.history.filter(calendar_year_id=2027, history_user=sysadmin).count() == 12
    message = client.get(response["Location"]).content.decode()
    assert "已载入 2027 年节假日安排，共 12 个特殊日期。" in message


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk"])
def test_a_schedule_file_may_be_utf8_with_or_without_bom_or_gbk(sysadmin, encoding):
    response = upload(client_for(sysadmin), csv_2027(encoding))
    assert response.status_code == 302
    assert SpecialDay.objects.get(date=D("2027-02-08")).name == "春节"


def test_a_schedule_file_as_excel_writes_it_is_accepted(sysadmin):
    """Excel in a Chinese locale writes 2027/1/1 and CRLF line ends; no header is needed."""
    data = "2027/1/1,假日,元旦\r\n2027/2/20,上班,春节\r\n2027/10/1,holiday,国庆节\r\n".encode("gbk")
    assert upload(client_for(sysadmin), data).status_code == 302
    assert dict(SpecialDay.objects.filter(calendar_year_id=2027).values_list("date", "kind")) == {
        D("2027-01-01"): "holiday",
        D("2027-02-20"): "workday",
        D("2027-10-01"): "holiday",
    }


def test_a_new_upload_replaces_the_years_days(
    sysadmin, django_capture_on_commit_callbacks, recomputed
):
    client = client_for(sysadmin)
    upload(client, csv_2027())
    with django_capture_on_commit_callbacks(execute=True):
        upload(client, "2027-01-01,假日,元旦\n".encode())
    assert list(
        SpecialDay.objects.filter(calendar_year_id=2027).values_list("date", flat=True)
    ) == [D("2027-01-01")]
    assert recomputed == [2027]
    assert SpecialDay.history.filter(date=D("2027-02-08"), history_type="-").exists()


BAD_FILES = [
    pytest.param(b"2027-01-01,\xff\xfe,\xff\n", "2027.csv", "无法识别文件编码", id="encoding"),
    pytest.param(
        "2027-02-30,假日,春节\n".encode(),
        "2027.csv",
        "第 1 行：日期“2027-02-30”不存在",
        id="impossible-date",
    ),
    pytest.param(
        "日期,类型,名称\n01.02.2027,假日,春节\n".encode(),
        "2027.csv",
        "第 2 行：日期“01.02.2027”格式不正确，应为 YYYY-MM-DD",
        id="bad-date",
    ),
    pytest.param(
        "2026-10-01,假日,国庆节\n".encode(),
        "2027.csv",
        "日期 2026-10-01 不在 2027 年内",
        id="outside-year",
    ),
    pytest.param(
        "2027-10-01,放假,国庆节\n".encode(), "2027.csv", "无法识别的类型“放假”", id="unknown-kind"
    ),
    pytest.param(
        "2027-10-01,假日,\n".encode(),
        "2027.csv",
        "法定节假日必须填写节日名称",
        id="holiday-without-name",
    ),
    pytest.param(
        "2027-10-01,假日,国庆节\n2027-10-01,假日,国庆节\n".encode(),
        "2027.csv",
        "第 2 行：日期 2027-10-01 重复",
        id="duplicate",
    ),
    pytest.param(
        "2027-01-04,上班,元旦\n".encode(),
        "2027.csv",
        "调休上班日必须是星期六或星期日",
        id="workday-on-a-weekday",
    ),
    pytest.param(
        b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 64,
        "2027.xlsx",
        "请上传 .csv 格式的文件",
        id="xlsx",
    ),
    pytest.param(
        b"PK\x03\x04\x14\x00\x06\x00" + b"\x00" * 64,
        "2027.csv",
        "这不是 CSV 文本文件",
        id="xlsx-renamed-csv",
    ),
    pytest.param(
        b"2027-01-01,\xe5\x81\x87\xe6\x97\xa5,x\n" * 5000, "2027.csv", "文件过大", id="too-large"
    ),
    pytest.param(b"", "2027.csv", "提交的是空文件。", id="empty"),
    pytest.param("日期,类型,名称\n".encode(), "2027.csv", "文件中没有任何日期", id="header-only"),
]


@pytest.mark.parametrize(("data", "name", "message"), BAD_FILES)
def test_a_bad_file_is_refused_with_a_chinese_message_and_changes_nothing(
    sysadmin, data, name, message, django_capture_on_commit_callbacks, recomputed
):
    before = SpecialDay.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client_for(sysadmin), data, name=name)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()
    assert SpecialDay.objects.count() == before
    assert recomputed == []


def test_a_bad_file_for_a_loaded_year_leaves_that_year_as_it_was(sysadmin):
    """All or nothing: one bad line among good ones keeps the whole stored year unchanged."""
    before = list(SpecialDay.objects.filter(calendar_year_id=2026).values_list("date", "name"))
    data = "2026-10-01,假日,国庆节\n2026-10-02,休假,国庆节\n".encode()
    response = upload(client_for(sysadmin), data, year=2026)
    assert "第 2 行" in response.content.decode()
    assert list(SpecialDay.objects.filter(calendar_year_id=2026).values_list("date", "name")) == (
        before
    )


# --- the admin's own forms go through the same service


def inline_post(year: int, source: str, days: list[tuple[str, str, str]], loaded=True) -> dict:
    data = {
        "year": year,
        "source": source,
        "note": "",
        "special_days-TOTAL_FORMS": len(days),
        "special_days-INITIAL_FORMS": 0,
        "special_days-MIN_NUM_FORMS": 0,
        "special_days-MAX_NUM_FORMS": 1000,
    }
    if loaded:
        data["schedule_loaded"] = "on"
    for n, (day, kind, name) in enumerate(days):
        data |= {
            f"special_days-{n}-date": day,
            f"special_days-{n}-kind": kind,
            f"special_days-{n}-name": name,
        }
    return data


def test_adding_a_year_in_the_admin_goes_through_the_service(
    sysadmin, django_capture_on_commit_callbacks, recomputed
):
    data = inline_post(2027, "国办发明电〔2026〕9号", [("2027-01-01", "holiday", "元旦")])
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(sysadmin).post(reverse("admin:workdays_calendaryear_add"), data)
    assert response.status_code == 302
    assert SpecialDay.objects.get(date=D("2027-01-01")).history.get().history_user == sysadmin
    assert recomputed == [2027]
    assert not add_working_days(start=D("2026-12-31"), days=1).provisional


def test_the_admin_refuses_a_day_outside_its_year(sysadmin):
    data = inline_post(2027, "通知", [("2028-01-01", "holiday", "元旦")])
    response = client_for(sysadmin).post(reverse("admin:workdays_calendaryear_add"), data)
    assert response.status_code == 200
    assert "日期 2028-01-01 不在 2027 年内。" in response.content.decode()
    assert not CalendarYear.objects.filter(year=2027).exists()


def test_deleting_a_year_in_the_admin_makes_it_provisional_again(
    sysadmin, django_capture_on_commit_callbacks, recomputed
):
    year = CalendarYear.objects.get(year=2026)
    url = reverse("admin:workdays_calendaryear_delete", args=[year.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client_for(sysadmin).post(url, {"post": "yes"})
    assert add_working_days(start=D("2026-09-30"), days=1).provisional
    assert recomputed == [2026]
    assert (
        SpecialDay.history.filter(
            calendar_year_id=2026, history_type="-", history_user=sysadmin
        ).count()
        == 39
    )


# --- who may do it


def changelist(client):
    return client.get(reverse("admin:workdays_calendaryear_changelist"))


def test_a_sysadmin_sees_the_upload_button(sysadmin):
    html = changelist(client_for(sysadmin)).content.decode()
    assert reverse(UPLOAD_URL) in html
    assert "上传节假日安排（CSV）" in html


def test_a_supervisor_may_look_at_the_calendar_but_not_change_it(city_supervisor):
    client = client_for(city_supervisor)
    response = changelist(client)
    assert response.status_code == 200
    assert reverse(UPLOAD_URL) not in response.content.decode()
    assert client.get(reverse(UPLOAD_URL)).status_code == 403
    assert upload(client, csv_2027()).status_code == 403
    year = CalendarYear.objects.get(year=2026)
    change_url = reverse("admin:workdays_calendaryear_change", args=[year.pk])
    assert client.post(change_url, inline_post(2026, "改", [], loaded=False)).status_code == 403
    assert CalendarYear.objects.get(year=2026).schedule_loaded
    assert not CalendarYear.objects.filter(year=2027).exists()


@pytest.mark.parametrize("who", ["inspector_a", "legal_office_a", "outsider_b", None])
def test_agency_staff_and_the_public_are_kept_out_of_the_calendar_admin(request, who):
    client = client_for(request.getfixturevalue(who) if who else None)
    for response in (
        changelist(client),
        client.get(reverse(UPLOAD_URL)),
        upload(client, csv_2027()),
    ):
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]
    assert not CalendarYear.objects.filter(year=2027).exists()


def change_post(calendar_year: CalendarYear, *, loaded: bool, drop: set[date]) -> dict:
    """The change form as the browser sends it, with `drop` ticked for deletion."""
    days = list(calendar_year.special_days.order_by("date"))
    data = {
        "source": calendar_year.source,
        "note": "",
        "special_days-TOTAL_FORMS": len(days),
        "special_days-INITIAL_FORMS": len(days),
        "special_days-MIN_NUM_FORMS": 0,
        "special_days-MAX_NUM_FORMS": 1000,
    }
    if loaded:
        data["schedule_loaded"] = "on"
    for n, day in enumerate(days):
        prefix = f"special_days-{n}-"
        data |= {
            prefix + "id": day.pk,
            prefix + "calendar_year": calendar_year.year,
            prefix + "date": day.date.isoformat(),
            prefix + "kind": day.kind,
            prefix + "name": day.name,
        }
        if day.date in drop:
            data[prefix + "DELETE"] = "on"
    return data


def test_changing_a_year_in_the_admin_goes_through_the_service(
    sysadmin, django_capture_on_commit_callbacks, recomputed
):
    """Taking 7 October out of National Day in the admin changes deadlines, recomputes 2026."""
    year = CalendarYear.objects.get(year=2026)
    url = reverse("admin:workdays_calendaryear_change", args=[year.pk])
    data = change_post(year, loaded=True, drop={D("2026-10-07")})
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(sysadmin).post(url, data)
    assert response.status_code == 302
    assert add_working_days(start=D("2026-09-30"), days=1).deadline == D("2026-10-07")
    assert recomputed == [2026]
    [deleted] = SpecialDay.history.filter(date=D("2026-10-07"), history_type="-")
    assert deleted.history_user == sysadmin


def test_unflagging_a_year_in_the_admin_makes_it_provisional(sysadmin):
    year = CalendarYear.objects.get(year=2026)
    url = reverse("admin:workdays_calendaryear_change", args=[year.pk])
    client_for(sysadmin).post(url, change_post(year, loaded=False, drop=set()))
    assert add_working_days(start=D("2026-09-30"), days=1).provisional
    assert SpecialDay.objects.filter(calendar_year_id=2026).count() == 39
