"""R5, the regional catalogue of major decisions (重大执法决定法制审核目录: 适用范围, 应审尽审).

Each region keeps its catalogue: the fine thresholds, the kinds of decision, the grounds staff may
invoke, and entries naming a kind of decision in some enforcement domains from some amount on.
The nearest region up the tree applies; the decision's criteria read it, supervisors keep it in the
admin for their region and below, and each agency's public page shows the one that applies.
"""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from enforcement.models import EnforcementDomain, MajorDecisionCriteria, MajorDecisionType
from enforcement.services import decisions as services
from tests.conftest import client_for

from .test_cases import COMPANY
from .test_decisions import case_in_decision_stage

pytestmark = pytest.mark.django_db


@pytest.fixture
def domains(agency_a):
    market = EnforcementDomain.objects.create(name="市场监管")
    ecology = EnforcementDomain.objects.create(name="生态环境")
    agency_a.domains.add(market)
    return {"market": market, "ecology": ecology}


@pytest.fixture
def case(agency_a, item_a, officers_a, inspector_a):
    return case_in_decision_stage(agency_a, item_a, officers_a, inspector_a, COMPANY)


def draft(case, actor, **overrides):
    fields = {
        "case": case,
        "actor": actor,
        "kind": "fine",
        "fine_amount": Decimal("60000"),
        "explanation": "情况说明。",
        "draft": "决定书草稿。",
    }
    return services.decision_save(**(fields | overrides))


def entry(criteria, kind, description, *domains, min_fine=None) -> MajorDecisionType:
    row = MajorDecisionType.objects.create(
        criteria=criteria, kind=kind, description=description, min_fine=min_fine
    )
    row.domains.set(domains)
    return row


def test_an_entry_makes_a_kind_of_decision_major_in_its_domains_only(
    case, inspector_a, city_a, domains, agency_a
):
    """R5: 'confiscation is major in market regulation': a confiscation by agency A (market
    regulation) is major; once the agency no longer enforces in that domain, it is not."""
    criteria = MajorDecisionCriteria.objects.create(region=city_a)
    entry(criteria, "confiscation", "没收较大数额的违法所得、非法财物", domains["market"])
    entry(criteria, "other", "责令关闭（生态环境）", domains["ecology"])
    confiscation = draft(case, inspector_a, kind="confiscation", fine_amount=None)
    assert confiscation.is_major
    assert confiscation.major_reasons == ["目录所列情形：没收较大数额的违法所得、非法财物"]
    assert not draft(case, inspector_a, kind="other", fine_amount=None).is_major
    agency_a.domains.clear()
    assert not draft(case, inspector_a, kind="confiscation", fine_amount=None).is_major


def test_an_entry_with_an_amount_lowers_the_threshold_of_fines_in_its_domain(
    case, inspector_a, city_a, domains
):
    """R5: 'a fine of ¥50,000 or more in market regulation' is major below the ¥100,000 of
    the catalogue's general threshold for organisations."""
    criteria = MajorDecisionCriteria.objects.create(region=city_a)
    entry(
        criteria, "fine", "市场监管领域较大数额罚款", domains["market"], min_fine=Decimal("50000")
    )
    assert draft(case, inspector_a, fine_amount=Decimal("60000")).is_major
    assert not draft(case, inspector_a, fine_amount=Decimal("40000")).is_major


def test_the_nearest_regions_catalogue_applies_with_its_own_entries(
    case, inspector_a, province, city_a
):
    """R5: the province's entry applies in city A until city A keeps a catalogue of its own."""
    provincial = MajorDecisionCriteria.objects.create(region=province)
    entry(provincial, "warning", "全省：对重点单位的警告")
    assert draft(case, inspector_a, kind="warning", fine_amount=None).is_major
    MajorDecisionCriteria.objects.create(region=city_a)
    assert not draft(case, inspector_a, kind="warning", fine_amount=None).is_major


def test_only_a_supervisor_of_the_region_or_above_keeps_its_catalogue(
    city_a, city_b, city_supervisor, inspector_a, legal_office_a
):
    """R5: the catalogue is the government's (its legal office, the supervisors), not the
    agencies'; a city's supervisor keeps its city's, not another city's."""
    for actor, region in (
        (inspector_a, city_a),
        (legal_office_a, city_a),
        (city_supervisor, city_b),
    ):
        with pytest.raises(PermissionDenied):
            services.major_criteria_save(criteria=MajorDecisionCriteria(region=region), actor=actor)
    assert not MajorDecisionCriteria.objects.exists()
    saved = services.major_criteria_save(
        criteria=MajorDecisionCriteria(region=city_a, citizen_fine=Decimal("20000")),
        actor=city_supervisor,
    )
    assert saved.history.get().history_user == city_supervisor


# --- the admin ----------------------------------------------------------------------------------


ADD = reverse("admin:enforcement_majordecisioncriteria_add")


def _form(region, **extra) -> dict:
    data = {
        "region": region.pk,
        "note": "",
        "citizen_fine": "20000",
        "organisation_fine": "150000",
        "stop_production": "on",
        "revocation": "on",
        "hearing": "on",
        "outside_benchmark": "on",
        "public_interest": "on",
        "complex_or_difficult": "on",
        "third_party_rights": "on",
        "entries-TOTAL_FORMS": "1",
        "entries-INITIAL_FORMS": "0",
        "entries-MIN_NUM_FORMS": "0",
        "entries-MAX_NUM_FORMS": "1000",
        "entries-0-kind": "",
        "entries-0-min_fine": "",
        "entries-0-description": "",
    }
    return data | extra


def test_a_supervisor_keeps_the_catalogue_of_its_region_in_the_admin(
    city_a, city_b, city_supervisor, domains
):
    """R5: the city's supervisor adds the city's catalogue with an entry; the history names it;
    the admin says the amounts are local defaults, not the policy's."""
    admin = client_for(city_supervisor)
    page = admin.get(ADD).content.decode()
    assert "本地区设定的默认值（非政策规定）" in page
    refused = admin.post(ADD, _form(city_b))
    assert refused.status_code == 200 and not MajorDecisionCriteria.objects.exists()
    extra = {
        "entries-0-kind": "fine",
        "entries-0-min_fine": "50000",
        "entries-0-domains": [domains["market"].pk],
        "entries-0-description": "市场监管领域较大数额罚款",
    }
    saved = admin.post(ADD, _form(city_a, **extra))
    assert saved.status_code == 302, saved.content.decode()[:2000]
    criteria = MajorDecisionCriteria.objects.get(region=city_a)
    assert criteria.organisation_fine == Decimal("150000")
    row = criteria.entries.get()
    assert list(row.domains.all()) == [domains["market"]] and row.min_fine == Decimal("50000")
    assert criteria.history.get().history_user == city_supervisor
    assert row.history.first().history_user == city_supervisor


def test_the_admin_refuses_an_amount_on_a_kind_that_is_no_fine(city_a, city_supervisor):
    """R5: an amount only makes sense for fines; the refusal is in Chinese."""
    extra = {
        "entries-0-kind": "warning",
        "entries-0-min_fine": "1000",
        "entries-0-description": "警告",
    }
    page = client_for(city_supervisor).post(ADD, _form(city_a, **extra)).content.decode()
    assert "金额标准只适用于罚款决定" in page
    assert not MajorDecisionCriteria.objects.exists()


# --- the agency's public page -------------------------------------------------------------------


def _agency_page(client, agency) -> str:
    page = client.get(reverse("enforcement:public-agency", args=[agency.pk])).content.decode()
    return page[page.index('id="major-catalogue"') :]


def test_the_agency_page_shows_the_defaults_as_local_choices(public_client, agency_a):
    """R5: without a regional catalogue the portal's defaults apply, and the page says they are
    local defaults, not the policy's."""
    section = _agency_page(public_client, agency_a)
    assert "重大执法决定法制审核目录" in section and "适用本平台的默认目录" in section
    assert "对公民罚款 10000 元以上，对法人或其他组织罚款 100000 元以上" in section
    assert "本地区设定的默认值（非政策规定）" in section
    assert "涉及重大公共利益" in section and "责令停产停业" in section


def test_the_agency_page_shows_the_catalogue_of_its_region_with_its_domains_entries(
    public_client, agency_a, city_a, domains, settings
):
    """R5: the city's catalogue: its thresholds, and the entries of the agency's domains only."""
    settings.PUBLIC_CACHE_ENABLED = False
    criteria = MajorDecisionCriteria.objects.create(
        region=city_a, citizen_fine=Decimal("30000"), third_party_rights=False
    )
    entry(
        criteria, "fine", "市场监管领域较大数额罚款", domains["market"], min_fine=Decimal("50000")
    )
    entry(criteria, "other", "生态环境领域责令关闭", domains["ecology"])
    section = _agency_page(public_client, agency_a)
    assert "本目录由甲市制定" in section and "对公民罚款 30000 元以上" in section
    assert "市场监管领域较大数额罚款" in section and "50000 元以上" in section
    assert "生态环境领域责令关闭" not in section
    assert "第三人重大权益" not in section


def test_saving_a_catalogue_refreshes_the_cached_agency_page(
    public_client, agency_a, city_a, city_supervisor, django_capture_on_commit_callbacks
):
    """R5: the public page is cached; a catalogue saved retires the cached copy."""
    assert "对公民罚款 10000 元以上" in _agency_page(public_client, agency_a)
    with django_capture_on_commit_callbacks(execute=True):
        services.major_criteria_save(
            criteria=MajorDecisionCriteria(region=city_a, citizen_fine=Decimal("25000")),
            actor=city_supervisor,
        )
    assert "对公民罚款 25000 元以上" in _agency_page(public_client, agency_a)
