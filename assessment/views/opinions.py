"""R20: public opinion pages. The public's evaluation card (no login), its printable version
with a QR code for the agency's counter and an agency's public results; the supervisors' entry of
hotline, symposium and questionnaire opinions, the moderation queue and the results per cycle."""

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_ratelimit.core import is_ratelimited

from portal import throttle
from portal.params import optional_int
from portal.qr import qr_svg
from portal.roles import Role, role_required

from ..forms.opinions import CardForm, ModerationForm, OpinionEntryForm
from ..selectors import evidence as cycles
from ..selectors import opinions as selectors
from ..services.opinions import (
    card_token_make,
    current_period,
    device_new,
    opinion_card_submit,
    opinion_enter,
    opinion_moderate,
)

PAGE_SIZE = 50
DEVICE_COOKIE = "assessment_device"
DEVICE_SALT = "assessment.opinions.device"
DEVICE_MAX_AGE = 3 * 365 * 24 * 60 * 60  # longer than a period: one device, one card a year
SUPERVISING = (Role.SUPERVISOR, Role.SYSADMIN)
READERS = (Role.SUPERVISOR, Role.SYSADMIN, Role.AGENCY_STAFF, Role.LEGAL_OFFICE)


# --- the public's evaluation card -------------------------------------------------------------


def _device(request: HttpRequest) -> str | None:
    try:
        return request.get_signed_cookie(DEVICE_COOKIE, salt=DEVICE_SALT, default=None)
    except signing.BadSignature:
        return None


def _keep_device(response: HttpResponse, device_id: str) -> HttpResponse:
    response.set_signed_cookie(
        DEVICE_COOKIE,
        device_id,
        salt=DEVICE_SALT,
        max_age=DEVICE_MAX_AGE,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


def _card_page(request, agency, form, device_id, *, status=200, error=None) -> HttpResponse:
    token = card_token_make(device_id=device_id, agency=agency)
    form = form or CardForm()
    context = {
        "agency": agency,
        "form": form,
        "token": token,
        "error": error,
        "period": current_period(),
    }
    response = render(request, "assessment/opinions/card.html", context, status=status)
    return _keep_device(response, device_id)


def _card_refused(request: HttpRequest) -> bool:
    return is_ratelimited(
        request,
        group="assessment.card.ip",
        key=lambda _group, _request: throttle.client_address(request),
        rate=settings.EVALUATION_CARD_RATE_IP,
        increment=True,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def card(request: HttpRequest, agency_id: int) -> HttpResponse:
    """R20: the public rates an agency's enforcement, once a year from a device, no account."""
    agency = selectors.public_agency(pk=agency_id)
    device_id = _device(request)
    if request.method == "GET":
        return _card_page(request, agency, None, device_id or device_new())
    if _card_refused(request):
        context = {"agency": agency, "message": _("提交过于频繁，请稍后再试。")}
        return render(request, "assessment/opinions/refused.html", context, status=429)
    form = CardForm(request.POST)
    if device_id is None:
        error = _("请先打开评议卡页面，再填写提交（浏览器需允许保存 Cookie）。")
        return _card_page(request, agency, form, device_new(), status=400, error=error)
    if not form.is_valid():
        return _card_page(request, agency, form, device_id, status=400)
    data = form.cleaned_data
    try:
        opinion = opinion_card_submit(
            agency=agency,
            token=data["token"],
            device_id=device_id,
            lawful=data["lawful"],
            civil=data["civil"],
            efficient=data["efficient"],
            comment=data["comment"],
        )
    except ValidationError as exc:
        _put_errors(form, exc)
        status = 409 if getattr(exc, "code", None) in ("repeated", "replayed") else 400
        return _card_page(request, agency, form, device_id, status=status)
    context = {"agency": agency, "opinion": opinion}
    return _keep_device(render(request, "assessment/opinions/thanks.html", context), device_id)


@require_GET
def card_print(request: HttpRequest, agency_id: int) -> HttpResponse:
    """R20: the card's link and QR code, printed for the agency's service counter."""
    agency = selectors.public_agency(pk=agency_id)
    url = request.build_absolute_uri(reverse("assessment:opinion-card", args=[agency.pk]))
    context = {
        "agency": agency,
        "url": url,
        "svg": qr_svg(url, title=_("执法评议卡的二维码")),
    }
    return render(request, "assessment/opinions/card_print.html", context)


def _period_param(request: HttpRequest) -> int:
    try:
        return optional_int(
            request.GET.get("period"),
            label=_("评议年度"),
            default=current_period(),
            minimum=2000,
            maximum=2100,
        )
    except ValidationError:
        return current_period()


@require_GET
def public_results(request: HttpRequest, agency_id: int) -> HttpResponse:
    """R20: an agency's public opinion results: counted opinions and approved comments only,
    without identities."""
    agency = selectors.public_agency(pk=agency_id)
    period = _period_param(request)
    summary = selectors.opinion_summary(agency_ids=[agency.pk], period=period)[agency.pk]
    context = {"agency": agency, "period": period, "summary": summary}
    return render(request, "assessment/opinions/public_results.html", context)


# --- supervisors' entry and moderation ---------------------------------------------------------


def _put_errors(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@role_required(Role.SUPERVISOR)
@require_http_methods(["GET", "POST"])
def opinion_new(request: HttpRequest) -> HttpResponse:
    """R20: a supervisor enters an opinion from the hotline, a symposium or a questionnaire."""
    agencies = selectors.agencies_supervised(user=request.user)
    initial = {"period": current_period()}
    form = OpinionEntryForm(request.POST or None, agencies=agencies, initial=initial)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                opinion = opinion_enter(actor=request.user, **form.cleaned_data)
            except PermissionDenied as exc:
                form.add_error(None, str(exc))
                status = 403
            except ValidationError as exc:
                _put_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("已录入对%(agency)s的社会评议意见（%(source)s），可继续录入下一条。")
                    % {"agency": opinion.agency.name, "source": opinion.get_source_display()},
                )
                return redirect("assessment:opinion-new")
    context = {"form": form}
    return render(request, "assessment/opinions/new.html", context, status=status)


@role_required(*SUPERVISING)
@require_GET
def moderation_queue(request: HttpRequest) -> HttpResponse:
    """R20: comments waiting for a decision, in the supervisor's region and below."""
    rows = selectors.moderation_queue(user=request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {"page_obj": page, "rows": page.object_list}
    return render(request, "assessment/opinions/queue.html", context)


@role_required(*SUPERVISING)
@require_POST
def moderate(request: HttpRequest, pk: int) -> HttpResponse:
    opinion = selectors.opinion_for_moderation(user=request.user, pk=pk)
    form = ModerationForm(request.POST)
    if form.is_valid():
        try:
            opinion_moderate(
                opinion=opinion,
                approve=form.cleaned_data["decision"] == "approve",
                actor=request.user,
            )
        except ValidationError as exc:
            _put_errors(form, exc)
        else:
            return redirect("assessment:opinion-queue")
    context = {"opinion": opinion, "form": form}
    return render(request, "assessment/opinions/moderate_refused.html", context, status=400)


# --- results per cycle --------------------------------------------------------------------------


@role_required(*READERS)
@require_GET
def cycle_results(request: HttpRequest, pk: int) -> HttpResponse:
    """R20: each evaluated agency's counted opinions and averages in the cycle's year."""
    cycle = cycles.cycle_readable(user=request.user, pk=pk)
    agencies = cycles.evaluated_agencies(user=request.user, cycle=cycle)
    page = Paginator(agencies, PAGE_SIZE).get_page(request.GET.get("page"))
    summary = selectors.opinion_summary(
        agency_ids=[a.pk for a in page.object_list], period=cycle.year, with_comments=False
    )
    rows = [(agency, summary[agency.pk]) for agency in page.object_list]
    context = {"cycle": cycle, "rows": rows, "page_obj": page}
    return render(request, "assessment/opinions/cycle_results.html", context)


@role_required(*READERS)
@require_GET
def cycle_agency_results(request: HttpRequest, pk: int, agency_id: int) -> HttpResponse:
    """R20: one evaluated agency's figures and approved comments in the cycle's year."""
    cycle = cycles.cycle_readable(user=request.user, pk=pk)
    agency = cycles.evaluated_agencies(user=request.user, cycle=cycle).filter(pk=agency_id).first()
    if agency is None:
        raise Http404
    summary = selectors.opinion_summary(agency_ids=[agency.pk], period=cycle.year)[agency.pk]
    context = {"cycle": cycle, "agency": agency, "summary": summary}
    return render(request, "assessment/opinions/cycle_agency.html", context)
