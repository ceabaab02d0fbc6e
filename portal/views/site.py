from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from accountability.selectors.decisions import defences_awaiting
from accountability.selectors.typical import latest_published
from enforcement.selectors.disclosures import latest as latest_disclosures
from enforcement.selectors.remedies import outcomes_awaiting_screening

from .. import scoping
from ..public_cache import cached_for_the_public
from ..roles import Role, role_of
from ..sections import SECTIONS
from ..todo import panels_for


@require_GET
@cached_for_the_public
def home(request: HttpRequest) -> HttpResponse:
    """What a citizen comes for: a search of the power list, filing and tracking a complaint,
    the latest disclosed decisions (R9) and typical cases (R18), the sections. Two queries,
    whatever the data size; served from the public cache (publications retire it)."""
    context = {
        "sections": SECTIONS,
        "typical_cases": latest_published(),
        "disclosures": latest_disclosures(),
    }
    return render(request, "portal/home.html", context)


SCREENING_SHOWN = 20  # the oldest flagged outcomes listed on the supervisors' dashboard


def _awaiting_screening(user) -> dict:
    """R13: the unfavourable reconsideration and litigation outcomes of the user's region and
    below not yet screened for accountability (two queries, on the partial index)."""
    rows = outcomes_awaiting_screening(user=user)
    return {"screening_count": rows.count(), "screening": list(rows[:SCREENING_SHOWN])}


@login_required
@require_GET
def workspace(request: HttpRequest) -> HttpResponse:
    """A signed-in user's landing page: their role's to-do list (`portal.todo`: counts, each
    linked to the list it counts), the pages of their role, the agencies it lets them see, and
    for supervisors the R13 outcomes awaiting screening; for the agencies' staff, how many
    accountability notices await their answer (R29)."""
    role = role_of(request.user)
    agencies = scoping.visible_agencies(request.user).select_related("region")
    page = Paginator(agencies, 50).get_page(request.GET.get("page"))
    context = {"role": role, "page": page, "todo_panels": panels_for(request.user)}
    if role in (Role.SUPERVISOR, Role.SYSADMIN):
        context.update(_awaiting_screening(request.user))
    elif role in (Role.AGENCY_STAFF, Role.LEGAL_OFFICE):
        context["defences_awaiting"] = defences_awaiting(user=request.user)
    return render(request, "portal/workspace.html", context)


@require_GET
def switch_language(request: HttpRequest) -> HttpResponseRedirect:
    """Choose the page language by a plain link, so that public pages carry no CSRF token and
    can be served to everyone from the shared cache. Only a cookie changes; the target must be
    one of ours."""
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    language = request.GET.get("language")
    if language in dict(settings.LANGUAGES):
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


@require_GET
def trivial(request: HttpRequest) -> HttpResponse:
    """The benchmark's baseline: the cheapest response the stack can give."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and the container healthcheck: the database must answer."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
