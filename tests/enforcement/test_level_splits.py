"""R10: level jurisdiction (级别管辖). For each enforcement domain a region records the province /
city / county split with its basis, shown on the public pages (the nearest region up the tree
applies); an item whose level contradicts its agency's level or the split is flagged to the
supervisor with the reason.
"""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from enforcement.models import EnforcementDomain, LevelSplit, PowerItem
from enforcement.models.powers import Category, Level
from enforcement.selectors.levels import applicable_splits
from enforcement.services.levels import level_split_create, level_split_update
from tests.conftest import client_for

from .staff_factories import (
    LegalBasisFactory,
    make_draft,
    make_published,
    withdraw_through_review,
)

pytestmark = pytest.mark.django_db

LIST = reverse("enforcement:level_split_list")
NEW = reverse("enforcement:level_split_create")
FLAGS = reverse("enforcement:level_flag_list")

SCOPES = {
    "province": "全省范围内重大、复杂的案件；特殊食品生产许可。",
    "city": "本市范围内的案件；食品生产许可。",
    "county": "本县范围内的案件；食品经营许可。",
}


@pytest.fixture
def market(agency_a, county_agency_a) -> EnforcementDomain:
    domain = EnforcementDomain.objects.create(name="市场监管")
    agency_a.domains.add(domain)
    county_agency_a.domains.add(domain)
    return domain


@pytest.fixture
def province_supervisor(province):
    from portal.roles import Role
    from portal.services import user_assign_role
    from tests.factories import UserFactory

    user = UserFactory(username="province_supervisor", name="province_supervisor")
    return user_assign_role(user=user, role=Role.SUPERVISOR, region=province, actor=None)


def split(region, domain, actor, *, categories=None, **fields) -> LevelSplit:
    return level_split_create(
        actor=actor,
        region=region,
        domain=domain,
        scopes=fields.pop("scopes", SCOPES),
        categories=categories or {},
        legal_basis=fields.pop("legal_basis", None),
        basis_document=fields.pop("basis_document", "《市场监督管理行政处罚程序规定》第十条"),
    )


# --- the split and who keeps it -----------------------------------------------------------------


def test_a_city_supervisor_records_the_split_of_a_domain_with_its_basis(
    city_a, market, city_supervisor
):
    """R10: what each level handles in 市场监管, on its basis, kept with its history."""
    basis = LegalBasisFactory(title="市场监督管理行政处罚程序规定")
    saved = split(city_a, market, city_supervisor, legal_basis=basis, basis_document="第十条")
    assert saved.scope_of("city") == SCOPES["city"]
    assert saved.basis_text == "《市场监督管理行政处罚程序规定》第十条"
    assert saved.history.get().history_user == city_supervisor


def test_a_split_needs_a_basis_and_what_a_level_handles(city_a, market, city_supervisor):
    """R10: no split without its basis, nor one that says nothing; categories need the text of
    their level; nothing is saved."""
    with pytest.raises(ValidationError) as no_basis:
        split(city_a, market, city_supervisor, basis_document=" ")
    assert "basis_document" in no_basis.value.error_dict
    with pytest.raises(ValidationError, match="至少写明一个层级"):
        split(city_a, market, city_supervisor, scopes={})
    with pytest.raises(ValidationError) as silent:
        split(
            city_a,
            market,
            city_supervisor,
            scopes={"city": "本市案件"},
            categories={"county": [Category.PENALTY]},
        )
    assert "county_scope" in silent.value.error_dict
    with pytest.raises(ValidationError):
        split(city_a, market, city_supervisor, categories={"city": ["no-such-category"]})
    with pytest.raises(ValidationError):
        split(city_a, market, city_supervisor, scopes={"city": "<script>alert(1)</script>"})
    assert not LevelSplit.objects.exists()


def test_one_split_per_region_and_domain(city_a, market, city_supervisor):
    """R10: a second split of the same pair is refused: the first is changed instead."""
    first = split(city_a, market, city_supervisor)
    with pytest.raises(ValidationError, match="请修改原有划分"):
        split(city_a, market, city_supervisor)
    changed = level_split_update(
        actor=city_supervisor,
        split=first,
        scopes={"city": "只写市级"},
        categories={},
        basis_document="市政府文件",
    )
    assert changed.scope_of("city") == "只写市级" and changed.scope_of("province") == ""
    assert LevelSplit.objects.count() == 1


def test_only_the_regions_supervisors_keep_its_split(
    city_a, city_b, county_a, market, city_supervisor, inspector_a, sysadmin
):
    """R10: a city's supervisor keeps its city's and its counties' splits, not another city's;
    agency staff keep none; the administrator any."""
    split(county_a, market, city_supervisor)
    with pytest.raises(PermissionDenied, match="R10"):
        split(city_b, market, city_supervisor)
    with pytest.raises(PermissionDenied):
        split(city_a, market, inspector_a)
    split(city_b, market, sysadmin)
    assert LevelSplit.objects.count() == 2


def test_the_nearest_split_up_the_tree_applies(
    province, city_a, county_a, city_b, market, province_supervisor, city_supervisor
):
    """R10: the province's split holds for every city and county until one records its own."""
    provincial = split(province, market, province_supervisor, basis_document="省政府文件")
    assert applicable_splits(county_a) == [provincial]
    assert applicable_splits(city_b) == [provincial]
    own = split(city_a, market, city_supervisor, basis_document="市政府文件")
    assert applicable_splits(county_a) == [own]
    assert applicable_splits(city_b) == [provincial]


# --- the public pages -----------------------------------------------------------------------------


def test_the_region_and_agency_pages_show_the_split_that_applies(
    province, county_a, county_agency_a, market, province_supervisor, public_client
):
    """R10: the public reads, on a county's page and on a county agency's page, the split the
    province set for the agency's domain, with its basis and the agency's own level marked."""
    split(province, market, province_supervisor, basis_document="松政办发〔2025〕12号")
    for url in (
        reverse("enforcement:public-region", args=[county_a.code]),
        reverse("enforcement:public-agency", args=[county_agency_a.pk]),
    ):
        html = public_client.get(url).content.decode()
        assert 'id="level-splits"' in html
        assert SCOPES["county"] in html and "松政办发〔2025〕12号" in html
        marked = html[html.index('class="current-level"') :]
        assert marked.index(SCOPES["county"]) < marked.index("</tr>")


def test_a_new_split_reaches_the_cached_public_page(
    city_a, agency_a, market, city_supervisor, public_client, django_capture_on_commit_callbacks
):
    """R10: a split saved after a page was cached is shown at once."""
    url = reverse("enforcement:public-agency", args=[agency_a.pk])
    assert 'id="level-splits"' not in public_client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        split(city_a, market, city_supervisor)
    assert SCOPES["city"] in public_client.get(url).content.decode()


# --- the flags ---------------------------------------------------------------------------------


def test_an_item_whose_level_differs_from_its_agencys_is_flagged_with_the_reason(
    agency_a, inspector_a, city_supervisor
):
    """R10: a city agency's item that says it is exercised at county level is flagged."""
    wrong = make_draft(agency_a, inspector_a, code="C-1", name="县级事项", level=Level.COUNTY)
    right = make_draft(agency_a, inspector_a, code="C-2", name="市级事项", level=Level.CITY)
    html = client_for(city_supervisor).get(FLAGS).content.decode()
    assert f'data-item="{wrong.pk}"' in html and f'data-item="{right.pk}"' not in html
    assert "事项的行使层级为“县级”，但实施主体甲市市场监督管理局属于甲市" in html


def test_an_item_the_split_gives_to_another_level_is_flagged_with_the_reason(
    province, agency_a, county_agency_a, market, inspector_a, province_supervisor
):
    """R10: the province gives 市场监管's licences to the province and the county: the city
    agency's licensing item is flagged, its penalty item is not."""
    split(
        province,
        market,
        province_supervisor,
        categories={
            "province": [Category.LICENSING],
            "city": [Category.PENALTY],
            "county": [Category.LICENSING, Category.PENALTY],
        },
        basis_document="松政办发〔2025〕12号",
    )
    licence = make_draft(
        agency_a, inspector_a, code="L-1", name="食品生产许可", category="licensing"
    )
    penalty = make_draft(agency_a, inspector_a, code="P-1", name="处罚")
    html = client_for(province_supervisor).get(FLAGS).content.decode()
    assert f'data-item="{licence.pk}"' in html and f'data-item="{penalty.pk}"' not in html
    assert (
        "依测试省规定的市场监管领域级别管辖划分（松政办发〔2025〕12号），行政许可由省级、县级行使，"
        "本事项的行使层级为“市级”。"
    ) in html


def test_an_agency_of_several_domains_is_flagged_only_when_none_allows_it(
    province, agency_a, market, inspector_a, province_supervisor
):
    """R10: an item knows its domain through its agency; a comprehensive agency's item is
    allowed if any of its domains' splits gives its category to its level."""
    other = EnforcementDomain.objects.create(name="城市管理")
    agency_a.domains.add(other)
    split(province, market, province_supervisor, categories={"province": [Category.LICENSING]})
    licence = make_draft(agency_a, inspector_a, code="L-1", name="许可", category="licensing")
    flagged = client_for(province_supervisor).get(FLAGS).content.decode()
    assert f'data-item="{licence.pk}"' in flagged
    split(province, other, province_supervisor, categories={"city": [Category.LICENSING]})
    cleared = client_for(province_supervisor).get(FLAGS).content.decode()
    assert f'data-item="{licence.pk}"' not in cleared


def test_a_supervisor_sees_the_flags_of_its_region_only_and_no_withdrawn_item(
    agency_a, agency_b, inspector_a, outsider_b, city_supervisor, legal_office_a, sysadmin
):
    """R10: city A's supervisor is not shown city B's flagged item; a withdrawn item is no
    longer flagged; the administrator sees all."""
    mine = make_draft(agency_a, inspector_a, code="A-1", name="甲的县级事项", level=Level.COUNTY)
    theirs = make_draft(agency_b, outsider_b, code="B-1", name="丙的县级事项", level=Level.COUNTY)
    gone = make_published(
        agency_a, inspector_a, legal_office_a, city_supervisor, code="A-2", level=Level.PROVINCE
    )
    withdraw_through_review(gone, inspector_a, legal_office_a, city_supervisor, reason="职能调整")
    html = client_for(city_supervisor).get(FLAGS).content.decode()
    assert f'data-item="{mine.pk}"' in html and f'data-item="{theirs.pk}"' not in html
    assert f'data-item="{gone.pk}"' not in html
    admin = client_for(sysadmin).get(FLAGS).content.decode()
    assert f'data-item="{theirs.pk}"' in admin


@pytest.mark.parametrize("count", [2, 8])
def test_the_flags_page_stays_constant_in_queries(
    count, province, agency_a, county_agency_a, market, inspector_a, province_supervisor,
    django_assert_max_num_queries,
):  # fmt: skip
    split(province, market, province_supervisor, categories={"county": [Category.LICENSING]})
    for n in range(count):
        make_draft(agency_a, inspector_a, code=f"F-{n}", name=f"事项{n}", category="licensing")
    client = client_for(province_supervisor)
    with django_assert_max_num_queries(9):
        response = client.get(FLAGS)
    assert response.content.decode().count("data-item=") == count


# --- the supervisors' pages ---------------------------------------------------------------------


def _post(market, where, **overrides) -> dict:
    data = {
        "region": where.pk,
        "domain": market.pk,
        "province_scope": SCOPES["province"],
        "city_scope": SCOPES["city"],
        "city_categories": [Category.PENALTY, Category.INSPECTION],
        "county_scope": SCOPES["county"],
        "basis_document": "松政办发〔2025〕12号",
    }
    return data | overrides


def test_the_supervisor_records_and_changes_a_split_through_the_pages(
    city_a, market, city_supervisor
):
    """R10: the list, the form, a saved split and its change."""
    client = client_for(city_supervisor)
    assert client.get(NEW).status_code == 200
    response = client.post(NEW, _post(market, city_a))
    assert response.status_code == 302 and response.url == LIST
    saved = LevelSplit.objects.get()
    assert saved.categories_of("city") == [Category.PENALTY, Category.INSPECTION]
    assert SCOPES["city"] in client.get(LIST).content.decode()
    edit = reverse("enforcement:level_split_edit", args=[saved.pk])
    assert SCOPES["city"] in client.get(edit).content.decode()
    changed = client.post(edit, _post(market, city_a, city_scope="市级：重大案件"))
    assert changed.status_code == 302
    saved.refresh_from_db()
    assert saved.city_scope == "市级：重大案件"


@pytest.mark.parametrize(
    "overrides",
    [
        {"basis_document": ""},
        {"city_scope": "<script>alert(1)</script>"},
        {"city_categories": ["bogus"]},
        {"region": "abc"},
        {"domain": "999999"},
        {"province_scope": "", "city_scope": "", "county_scope": "", "city_categories": []},
    ],
)
def test_bad_input_is_refused_in_chinese_and_nothing_is_saved(
    city_a, market, city_supervisor, overrides
):
    """R10: a Chinese 400 with the form, and no split."""
    response = client_for(city_supervisor).post(NEW, _post(market, city_a, **overrides))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'role="alert"' in html and "Select a valid choice" not in html
    assert not LevelSplit.objects.exists()


def test_a_region_out_of_scope_is_refused_and_another_citys_split_is_missing(
    city_a, city_b, market, city_supervisor, sysadmin
):
    """R10: city A's supervisor cannot choose city B, nor open city B's split (404)."""
    response = client_for(city_supervisor).post(NEW, _post(market, city_b))
    assert response.status_code == 400 and not LevelSplit.objects.exists()
    theirs = split(city_b, market, sysadmin)
    edit = reverse("enforcement:level_split_edit", args=[theirs.pk])
    assert client_for(city_supervisor).get(edit).status_code == 404
    assert client_for(city_supervisor).post(edit, _post(market, city_b)).status_code == 404


@pytest.mark.parametrize("who", ["inspector_a", "legal_office_a", "outsider_b"])
def test_agency_staff_are_refused(request, who, city_a, market):
    client = client_for(request.getfixturevalue(who))
    for url in (LIST, NEW, FLAGS):
        assert client.get(url).status_code == 403
    assert client.post(NEW, _post(market, city_a)).status_code == 403
    assert not LevelSplit.objects.exists()


@pytest.mark.parametrize("count", [2, 6])
def test_the_list_stays_constant_in_queries(
    count, province, market, province_supervisor, django_assert_max_num_queries
):
    from tests.factories import RegionFactory

    for n in range(count):
        region = RegionFactory(name=f"市{n}", code=f"22{n + 10}00", level="city", parent=province)
        split(region, market, province_supervisor)
    client = client_for(province_supervisor)
    with django_assert_max_num_queries(6):
        response = client.get(LIST)
    assert response.content.decode().count(SCOPES["county"][:8]) == count


def test_the_items_are_not_changed_by_a_flag(agency_a, inspector_a, city_supervisor):
    """R10: a flag informs the supervisor; it neither changes nor blocks the item."""
    item = make_draft(agency_a, inspector_a, code="C-1", name="县级事项", level=Level.COUNTY)
    client_for(city_supervisor).get(FLAGS)
    assert PowerItem.objects.get(pk=item.pk).status == PowerItem.Status.DRAFT
