"""R12: the periodic export of shared information (共享信息) matches its documented format
(docs/cooperation-export.md), holds no complainant's identity, neutralises formulas in the CSV,
and is made once per region and period (the monthly beat job included)."""

import csv
import io
import json
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accountability.models import CooperationExport
from accountability.services.cooperation import (
    CSV_COLUMNS,
    cooperation_export,
    cooperation_export_last_month,
    notice_circulate,
    referral_record_receipt,
)
from accountability.tasks import export_cooperation

from .conftest import register
from .test_cooperation_referrals import receive, send

DOC = Path(settings.BASE_DIR) / "docs" / "cooperation-export.md"
TODAY = timezone.localdate


def documented():
    text = DOC.read_text(encoding="utf-8")
    example = json.loads(re.search(r"```json\n(.*?)```", text, re.S).group(1))
    header = re.search(r"```csv\n(.*?)\n", text, re.S).group(1).split(",")
    return example, header


@pytest.fixture
def world(city_supervisor, agency_a, county_agency_a, agency_b, city_b_supervisor):
    clue = register(city_supervisor, agency_a)
    out = send(city_supervisor, None, clue=clue, subject="=1+1 违规减免")
    referral_record_receipt(
        referral=out, receipt_number="甲监回1", receipt_on=TODAY(), actor=city_supervisor
    )
    receive(city_supervisor, county_agency_a)
    notice_circulate(
        title="+通报", body="内容", bodies="甲市监察委员会", sent_on=TODAY(), actor=city_supervisor
    )
    send(city_b_supervisor, agency_b, subject="乙市的移送")
    return clue


def make(region):
    return cooperation_export(
        region=region, period_start=TODAY() - timedelta(days=30), period_end=TODAY()
    )


def test_the_json_has_the_documented_keys(world, city_a):
    """R12: every key of the documented example, and no other, at every level."""
    example, _ = documented()
    document = json.loads(make(city_a).json_file.read().decode("utf-8"))
    assert document.keys() == example.keys()
    assert document["format"] == example["format"]
    for part in ("clues", "referrals", "notices"):
        assert document[part], part
        for item in document[part]:
            assert item.keys() == example[part][0].keys(), part
    assert len(document["referrals"]) == 2  # city B's referral is not city A's to share
    assert {r["direction"] for r in document["referrals"]} == {"outgoing", "incoming"}
    receipted = next(r for r in document["referrals"] if r["direction"] == "outgoing")
    assert receipted["receipt_number"] == "甲监回1"


def test_the_csv_has_the_documented_columns_bom_and_no_formulas(world, city_a):
    """R12: UTF-8 with a BOM, the documented header, formula cells neutralised."""
    _, header = documented()
    assert header == CSV_COLUMNS
    raw = make(city_a).csv_file.read()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == header
    cells = [cell for row in rows[1:] for cell in row]
    assert "'=1+1 违规减免" in cells and "'+通报" in cells
    assert not any(cell[:1] in "=+-@" for cell in cells if cell)
    assert {row[0] for row in rows[1:]} == {"clue", "referral", "notice"}


def test_the_export_holds_no_complainant_identity(city_supervisor, agency_a, city_a):
    """R12: a clue's summary (where a complainant could be named) is never exported."""
    register(
        city_supervisor,
        agency_a,
        summary="举报人张三，身份证 110101199001011234，电话 13800138000。",
    )
    export = make(city_a)
    text = export.json_file.read().decode("utf-8") + export.csv_file.read().decode("utf-8-sig")
    assert "110101199001011234" not in text and "13800138000" not in text and "张三" not in text


def test_an_export_is_made_once_per_region_and_period(world, city_a):
    """R12: asking again returns the first export."""
    assert make(city_a).pk == make(city_a).pk
    assert CooperationExport.objects.count() == 1


def test_bad_periods_and_other_regions_are_refused(city_supervisor, city_a, city_b):
    """R12: an end before the start or in the future, or another city's region, is refused."""
    with pytest.raises(ValidationError):
        cooperation_export(region=city_a, period_start=TODAY(), period_end=TODAY() - timedelta(1))
    with pytest.raises(ValidationError):
        cooperation_export(region=city_a, period_start=TODAY(), period_end=TODAY() + timedelta(1))
    with pytest.raises(PermissionDenied):
        cooperation_export(
            region=city_b, period_start=TODAY(), period_end=TODAY(), actor=city_supervisor
        )
    assert not CooperationExport.objects.exists()


def test_the_monthly_job_exports_last_month_for_supervised_regions_once(
    city_supervisor, city_b_supervisor, city_a, city_b
):
    """R12 (beat): last month, every region with a supervisor, idempotent."""
    assert export_cooperation() == 2
    assert cooperation_export_last_month() == 0
    first = TODAY().replace(day=1)
    export = CooperationExport.objects.get(region=city_a)
    assert export.period_end == first - timedelta(days=1)
    assert export.period_start == export.period_end.replace(day=1)
    assert isinstance(export.period_start, date)
    assert CooperationExport.objects.count() == 2
