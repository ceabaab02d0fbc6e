"""Issue 14: the printable documents in a real browser. The decision prints in the official
layout on A4 (the navigation hidden, the issuing agency, number, party and seal on the page), the
case file prints its cover and index, and a result sheet its indicators, grade and signature
lines; each at desktop width, at 390 px, and under print emulation, with screenshots to look at
(test-results/screenshots/print-*.png)."""

from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from assessment.models import AgencyResult, Assignment, Cycle, Indicator, Score
from enforcement.models import Agency, DocumentNumbering
from tests.enforcement.staff_factories import make_published
from tests.enforcement.test_cases import COMPANY, add_record
from tests.enforcement.test_fines import case_in_decision, draft_decision, issue
from tests.factories import AgencyFactory, OfficerFactory

from .conftest import assert_cjk_renders, login

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

YEAR = timezone.localdate().year


@pytest.fixture
def issued(agency_a, inspector_a, legal_office_a, city_supervisor):
    DocumentNumbering.objects.create(agency=agency_a, abbreviation="甲市监")
    item = make_published(agency_a, inspector_a, legal_office_a, city_supervisor)
    officers = [OfficerFactory(agency=agency_a, name=n) for n in ("李执法", "赵执法")]
    case = case_in_decision(agency_a, item, officers, inspector_a)
    add_record(case, inspector_a, title="询问笔录")
    return issue(
        draft_decision(case, inspector_a, amount=Decimal("23456.7")), inspector_a, legal_office_a
    )


@pytest.fixture
def result(agency_a, city_a, city_supervisor):
    cycle = Cycle.objects.create(region=city_a, year=YEAR - 1, opened_by=city_supervisor)
    office = Agency.objects.filter(region=city_a, is_legal_office=True).first() or (
        AgencyFactory(name="甲市司法局", region=city_a, is_legal_office=True)
    )
    names = ["执法主体合法", "执法程序规范", "案卷评查", "投诉办理", "社会评议"]
    indicators = [
        Indicator.objects.create(
            cycle=cycle, code=f"A{n}", name=name, category="enforcement",
            max_points=Decimal(20), order=n,
        )
        for n, name in enumerate(names, start=1)
    ]  # fmt: skip
    local = Assignment.objects.create(
        cycle=cycle, agency=agency_a, evaluator=office, role="local", weight=100
    )
    for indicator, points in zip(indicators, [19, 18, 17.5, 20], strict=False):
        Score.objects.create(
            assignment=local, indicator=indicator, points=Decimal(str(points)),
            evidence="案卷评查记录", scored_by=city_supervisor,
        )  # fmt: skip
    return AgencyResult.objects.create(
        cycle=cycle, agency=agency_a, local_total=Decimal("74.50"), total=Decimal("74.50"),
        grade="qualified", performance_score=Decimal("74.50"), computed_at=timezone.now(),
        disclosure="internal", disclosed_at=timezone.now(),
    )  # fmt: skip


def _fits(page, width: int) -> None:
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@pytest.mark.parametrize("width", [1280, 390])
def test_the_decision_prints_in_the_official_layout(page, shoot, issued, width):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "inspector_a")
    page.goto(issued.case.get_absolute_url())
    page.get_by_role("link", name="打印决定书").click()
    document = page.locator("#decision-document")
    expect(document.get_by_role("heading", name="行政处罚决定书")).to_be_visible()
    expect(document).to_contain_text(f"甲市监罚〔{YEAR}〕1号")
    expect(document).to_contain_text(COMPANY.name)
    expect(document).to_contain_text("23,456.70 元")
    expect(document).to_contain_text("六十日内")
    assert_cjk_renders(page)
    _fits(page, width)
    shoot(page, f"print-decision-{width}")
    page.emulate_media(media="print")
    expect(page.locator(".masthead")).to_be_hidden()
    expect(page.locator(".doc-tools")).to_be_hidden()
    expect(document.locator(".seal")).to_be_visible()
    shoot(page, f"print-decision-{width}-print")
    # The PDF of the same decision, from the link beside it.
    page.emulate_media(media="screen")
    with page.expect_download() as download:
        page.get_by_role("link", name="下载 PDF").click()
    assert download.value.suggested_filename == f"甲市监罚〔{YEAR}〕1号.pdf"


def test_the_case_file_prints_its_cover_and_index(page, shoot, issued):
    page.set_viewport_size({"width": 1280, "height": 900})
    login(page, "city_supervisor")
    page.goto(issued.case.get_absolute_url())
    page.get_by_role("link", name="打印案卷封面及目录").click()
    expect(page.get_by_role("heading", name="行政执法案卷")).to_be_visible()
    expect(page.locator("#case-file")).to_contain_text(f"甲市监立〔{YEAR}〕1号")
    expect(page.locator("table.index tbody tr")).to_have_count(
        issued.case.records.count() + 1  # the records and the decision
    )
    page.emulate_media(media="print")
    shoot(page, "print-case-file-print")


@pytest.mark.parametrize("width", [1280, 390])
def test_a_result_sheet_prints_with_indicators_grade_and_signatures(
    page, shoot, result, inspector_a, width
):
    page.set_viewport_size({"width": width, "height": 900})
    login(page, "inspector_a")
    page.goto(f"/assessment/agency-results/{result.pk}/print/")
    sheet = page.locator("#result-sheet")
    expect(sheet.locator("tbody tr[data-indicator]")).to_have_count(5)
    expect(sheet.locator(".sheet-grade")).to_have_text("合格")
    expect(sheet).to_contain_text("考核单位（盖章）")
    expect(sheet).to_contain_text("74.50")
    assert_cjk_renders(page)
    _fits(page, width)
    shoot(page, f"print-result-sheet-{width}")
    page.emulate_media(media="print")
    expect(page.locator(".masthead")).to_be_hidden()
    shoot(page, f"print-result-sheet-{width}-print")
