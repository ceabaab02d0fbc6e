"""R7: discretion benchmarks (裁量权基准) may be set for 行政许可 and 行政强制 items where the
region joins the trial (稳步推进行政许可、行政强制裁量权试点, § 四(二)); the discretion report
covers them.
"""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from enforcement.models import DiscretionTrial, PowerItem
from enforcement.models.powers import Category
from enforcement.services import power_items as services
from enforcement.services.power_items import Tier
from tests.conftest import client_for

from .staff_factories import item_data, make_published
from .test_fines import case_in_decision, draft_decision, issue

pytestmark = pytest.mark.django_db

TIERS = [
    Tier("申请材料齐全、符合法定形式", "当场作出准予许可决定"),
    Tier("需要现场核查", "自受理之日起十个工作日内作出决定"),
]


def join(region, category=Category.LICENSING) -> DiscretionTrial:
    return DiscretionTrial.objects.create(
        region=region,
        category=category,
        basis="松政办发〔2026〕3号",
        started_on=datetime.date(2026, 1, 1),
    )


def create(agency, actor, category, tiers=TIERS, code="330217009000") -> PowerItem:
    return services.power_item_create(
        agency=agency,
        actor=actor,
        data=item_data(code=code, name="食品经营许可", category=category),
        tiers=tiers,
    )


def test_licensing_tiers_are_refused_outside_the_trial(agency_a, inspector_a):
    """R7: a region that has not joined the trial keeps benchmarks to penalties."""
    with pytest.raises(ValidationError, match="参加裁量权基准试点"):
        create(agency_a, inspector_a, Category.LICENSING)
    assert not PowerItem.objects.exists()


@pytest.mark.parametrize("category", [Category.LICENSING, Category.COERCION])
def test_a_region_in_the_trial_sets_benchmarks_on_licensing_and_coercion_items(
    province, agency_a, inspector_a, category
):
    """R7: the province joins the trial; agency A (a city below it) sets the benchmark of its
    licensing or coercion item."""
    join(province, category)
    item = create(agency_a, inspector_a, category)
    assert [t.penalty for t in item.discretion_tiers.order_by("order")] == [
        "当场作出准予许可决定",
        "自受理之日起十个工作日内作出决定",
    ]


def test_joining_one_category_does_not_open_the_other_nor_another_region(
    city_a, agency_a, agency_b, inspector_a, outsider_b
):
    """R7: city A in the licensing trial: not coercion, and not city B."""
    join(city_a, Category.LICENSING)
    with pytest.raises(ValidationError, match="R7"):
        create(agency_a, inspector_a, Category.COERCION)
    with pytest.raises(ValidationError, match="R7"):
        create(agency_b, outsider_b, Category.LICENSING)
    with pytest.raises(ValidationError, match="R7"):
        create(agency_a, inspector_a, Category.INSPECTION)
    assert not PowerItem.objects.exists()


def test_an_item_cannot_leave_the_trials_categories_with_its_tiers(city_a, agency_a, inspector_a):
    """R7: a licensing item with a benchmark changed to 行政检查 is refused."""
    join(city_a)
    item = create(agency_a, inspector_a, Category.LICENSING)
    with pytest.raises(ValidationError, match="R7"):
        services.power_item_update(
            item=item, actor=inspector_a, data={"category": Category.INSPECTION}
        )
    item.refresh_from_db()
    assert item.category == Category.LICENSING


def test_the_trial_is_unique_per_region_and_category(city_a):
    """R7: a region joins each category's trial once."""
    join(city_a)
    with pytest.raises(ValidationError):
        DiscretionTrial(
            region=city_a,
            category=Category.LICENSING,
            basis="再次",
            started_on=datetime.date(2026, 2, 1),
        ).full_clean()
    with pytest.raises(ValidationError):
        DiscretionTrial(
            region=city_a, category=Category.PENALTY, basis="x", started_on=datetime.date.today()
        ).full_clean()


@pytest.fixture
def licensing_item(city_a, agency_a, inspector_a, legal_office_a, city_supervisor):
    """A published licensing item of agency A with a two-tier benchmark (city A in the trial)."""
    join(city_a)
    item = make_published(
        agency_a,
        inspector_a,
        legal_office_a,
        city_supervisor,
        code="330217009000",
        name="食品经营许可",
        category=Category.LICENSING,
    )
    services.power_item_update(item=item, actor=inspector_a, data={}, tiers=TIERS)
    services.power_item_submit(item=item, actor=inspector_a)
    services.power_item_pass(item=item, actor=legal_office_a)
    services.power_item_publish(item=item, actor=city_supervisor)
    return item


def test_a_decision_under_a_benchmarked_trial_item_names_its_tier(
    licensing_item, officers_a, agency_a, inspector_a
):
    """R7: a licensing decision applies the benchmark like a penalty does."""
    case = case_in_decision(agency_a, licensing_item, officers_a, inspector_a)
    with pytest.raises(ValidationError) as refused:
        draft_decision(case, inspector_a, kind="other")
    assert "tier" in refused.value.error_dict
    tier = licensing_item.discretion_tiers.get(order=1)
    assert draft_decision(case, inspector_a, kind="other", tier=tier).tier == tier


def test_the_public_reads_the_trial_items_benchmark(licensing_item, public_client):
    """R7, R9: the benchmark is disclosed with the item."""
    page = public_client.get(
        reverse("enforcement:public-agency", args=[licensing_item.agency_id])
    ).content.decode()
    assert "当场作出准予许可决定" in page
    item = public_client.get(
        reverse("enforcement:public-item", args=[licensing_item.published.pk])
    ).content.decode()
    assert "适用情形" in item and "当场作出准予许可决定" in item and "违法情节" not in item


def _report_rows(page: str) -> list[str]:
    table = page[page.index('id="discretion-report"') :]
    return re.findall(r"<tr>(.*?)</tr>", table[: table.index("</table>")], re.S)


def test_the_discretion_report_covers_the_trial_items(
    licensing_item, officers_a, agency_a, inspector_a, legal_office_a, city_supervisor
):
    """R7: the report counts the licensing decisions, those naming a tier and those that did
    not (listed among the decisions to look at)."""
    tier = licensing_item.discretion_tiers.get(order=1)
    tiered = case_in_decision(agency_a, licensing_item, officers_a, inspector_a)
    issue(draft_decision(tiered, inspector_a, kind="other", tier=tier), inspector_a)
    # Issued before the benchmark was required: a decision naming no tier.
    untiered = case_in_decision(agency_a, licensing_item, officers_a, inspector_a)
    decision = draft_decision(untiered, inspector_a, kind="other", tier=tier)
    type(decision).objects.filter(pk=decision.pk).update(tier=None)
    decision.refresh_from_db()
    issue(decision, inspector_a, legal_office_a)
    page = client_for(city_supervisor).get(reverse("cases:discretion-report")).content.decode()
    rows = _report_rows(page)
    licensing = [row for row in rows if 'data-category="licensing"' in row]
    assert len(licensing) == 1 and "行政许可" in licensing[0]
    cells = [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td>(.*?)</td>", licensing[0])]
    assert cells[2:4] == ["2", "1"]  # two decisions, one naming its tier
    outliers = page[page.index('id="discretion-outliers"') :]
    assert f'href="/cases/{untiered.pk}/"' in outliers
    assert f'href="/cases/{tiered.pk}/"' not in outliers
