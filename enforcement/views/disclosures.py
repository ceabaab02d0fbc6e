"""The public disclosure of issued decisions (R9): search them, read one.

No login, no form posts: pages read the redacted snapshots through
`enforcement.selectors.disclosures` and are cached for the public like the power list.
"""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from portal.public_cache import cached_for_the_public

from ..filters.disclosures import DisclosureFilter
from ..models import Decision
from ..remedy_rights import REMEDY_RIGHTS
from ..selectors import disclosures as selectors
from ..selectors import public as public_selectors
from .common import options, region_options


@require_GET
@cached_for_the_public
def disclosure_list(request: HttpRequest) -> HttpResponse:
    """Newest first, filtered by region (and below), agency, kind, date and words; bad input
    re-shows the form with the reason and status 400."""
    data = request.GET.copy()
    filterset = DisclosureFilter(data, queryset=selectors.disclosures())
    status, page, page_error = 200, None, None
    if filterset.is_valid():
        try:
            number = public_selectors.page_number(data.get("page"))
            page = selectors.disclosure_page(filterset.qs, number)
        except ValidationError as exc:
            status, page_error = 400, exc.messages[0]
    else:
        status = 400
    if page is not None:
        selectors.decorate_rows(page.items)
    query = data.copy()
    query.pop("page", None)
    context = {
        "filter": filterset,
        "page": page,
        "page_error": page_error,
        "query": query.urlencode(),
        "region_options": region_options(public_selectors.top_regions(), filterset, data),
        "kind_options": options(Decision.Kind.choices, data.get("kind")),
    }
    return render(request, "enforcement/disclosures/list.html", context, status=status)


@require_GET
@cached_for_the_public
def disclosure_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """One disclosed decision, with what became of it on review and the party's remedies."""
    disclosure = selectors.public_disclosure(pk)
    context = {
        "disclosure": disclosure,
        "remedies": REMEDY_RIGHTS,
    }
    return render(request, "enforcement/disclosures/detail.html", context)
