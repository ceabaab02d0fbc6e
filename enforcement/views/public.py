"""The public power list (R3, R9): browse by region and agency, search, read, download.

No login: everything here reads published copies only, through `enforcement.selectors.public`.
"""

from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from portal.public_cache import cached_for_the_public

from .. import exports
from ..filters.powers import PublicPowerItemFilter
from ..models import Agency
from ..models.powers import Category, Level
from ..remedy_rights import REMEDY_RIGHTS
from ..selectors import disclosures as disclosure_selectors
from ..selectors import levels as level_selectors
from ..selectors import public as selectors
from ..selectors.catalogue import major_catalogue
from .common import options, region_options

EXPORTS = {"xlsx": exports.xlsx_response, "csv": exports.csv_response}


def _search(request: HttpRequest, template: str, context: dict, *, agency=None) -> HttpResponse:
    """The filter form and one page of its results; bad input re-shows the form with the reason
    and status 400, never a server error."""
    data = request.GET.copy()
    if agency is not None:
        data["agency"] = str(agency.pk)
    filterset = PublicPowerItemFilter(
        data, queryset=selectors.published_list(), known_agency=agency
    )
    status, page, page_error = 200, None, None
    if filterset.is_valid():
        try:
            page = selectors.capped_page(
                filterset.qs, selectors.page_number(data.get("page")), q=data.get("q", "")
            )
        except ValidationError as exc:
            status, page_error = 400, exc.messages[0]
    else:
        status = 400
    if page is not None:
        selectors.decorate_rows(page.items)
    query = data.copy()
    query.pop("page", None)
    context |= {
        "filter": filterset,
        "page": page,
        "page_error": page_error,
        "query": query.urlencode(),
        "region_options": region_options(context.get("top_regions"), filterset, data),
        "category_options": options(Category.choices, data.get("category")),
        "level_options": options(Level.choices, data.get("level")),
    }
    return render(request, template, context, status=status)


@require_GET
@cached_for_the_public
def index(request: HttpRequest) -> HttpResponse:
    """Where the public starts: search over every published item, and the regions to browse."""
    top_regions = list(selectors.top_regions())
    return _search(request, "enforcement/public/index.html", {"top_regions": top_regions})


@require_GET
@cached_for_the_public
def region(request: HttpRequest, code: str) -> HttpResponse:
    """One region: its lower regions, the agencies seated in it, and the level split of each
    enforcement domain that applies to it (R10)."""
    region = selectors.region_by_code(code)
    context = {
        "region": region,
        "ancestors": selectors.region_ancestors(region),
        "children": selectors.region_children(region),
        "agencies": selectors.region_agencies(region),
        "level_splits": level_selectors.applicable_splits(region),
        "current_level": level_selectors.ITEM_LEVEL_OF_REGION[region.level],
    }
    return render(request, "enforcement/public/region.html", context)


@require_GET
@cached_for_the_public
def agency(request: HttpRequest, pk: int) -> HttpResponse:
    """An agency's published list, with its delegation catalogue (R4), the catalogue of major
    decisions that applies to it (R5), and what R9 has disclosed of it: the bases, procedures and
    discretion benchmarks of its items, the remedies against its decisions, and its latest
    disclosed decisions; and the level split of its domains that applies to it (R10)."""
    agency, ancestors = selectors.public_agency_with_ancestors(pk)
    if agency.kind == Agency.Kind.DELEGATED:
        # R1, R4: its items are on the delegating agencies' lists, not on a list of its own.
        context = {
            "agency": agency,
            "ancestors": ancestors,
            "received": selectors.received_delegations(agency),
        }
        return render(request, "enforcement/public/delegated_organisation.html", context)
    overview = selectors.agency_overview(agency)
    context = {
        "level_splits": level_selectors.applicable_splits(
            agency.region, domains=agency.domains.all()
        ),
        "current_level": level_selectors.item_level_of(agency),
        "agency": agency,
        "ancestors": ancestors,
        "delegations": overview.delegations,
        "overview": overview,
        "remedies": REMEDY_RIGHTS,
        "disclosures": disclosure_selectors.latest_of(agency),
        "catalogue": major_catalogue(agency, ancestors),
    }
    return _search(request, "enforcement/public/agency.html", context, agency=agency)


@require_GET
@cached_for_the_public
def agency_withdrawn(request: HttpRequest, pk: int) -> HttpResponse:
    """The agency's withdrawn items and why each was withdrawn (R2: a withdrawal is a reviewed
    change of the public list, and its reason stays public)."""
    agency, ancestors = selectors.public_agency_with_ancestors(pk)
    history = selectors.withdrawn_history(agency)
    try:
        number = selectors.page_number(request.GET.get("page"))
    except ValidationError as exc:
        context = {"agency": agency, "ancestors": ancestors, "page_error": exc.messages[0]}
        return render(request, "enforcement/public/withdrawn.html", context, status=400)
    page = Paginator(history, selectors.PAGE_SIZE).get_page(number)
    context = {"agency": agency, "ancestors": ancestors, "page": page}
    return render(request, "enforcement/public/withdrawn.html", context)


@require_GET
@cached_for_the_public
def item(request: HttpRequest, pk: int) -> HttpResponse:
    """Everything published about one item, and its public change history."""
    item = selectors.published_item(pk)
    context = {
        "item": item,
        "ancestors": selectors.region_ancestors(item.agency.region),
        "bases": selectors.bases_of(item),
        "discretion": selectors.discretion_of(item),
        "delegation": selectors.delegation_of(item),
        "history": selectors.public_history(item),
    }
    return render(request, "enforcement/public/item.html", context)


@require_GET
def export(request: HttpRequest, fmt: str) -> HttpResponse:
    """The whole result set of the same filters as the search page, as a file."""
    filterset = PublicPowerItemFilter(request.GET, queryset=selectors.export_items())
    if not filterset.is_valid():
        return _search(request, "enforcement/public/index.html", {"top_regions": []})
    queryset = filterset.qs
    if fmt == "xlsx" and queryset[: selectors.EXPORT_LIMIT_XLSX + 1].count() > (
        selectors.EXPORT_LIMIT_XLSX
    ):
        message = _(
            "结果超过 %(limit)d 条，Excel 无法一次导出；请缩小查询范围，或下载 CSV 文件。"
        ) % {"limit": selectors.EXPORT_LIMIT_XLSX}
        return render(
            request, "enforcement/public/export_refused.html", {"message": message}, status=400
        )
    return EXPORTS[fmt](selectors.ranked(queryset, request.GET.get("q", "")))
