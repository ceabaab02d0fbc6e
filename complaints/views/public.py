"""Public pages: channels (R14), filing (R15, R16), tracking and feedback (R17).

Filing and tracking carry forms with CSRF tokens and private answers, so only the channels page
is served from the public cache; the others are never stored by any cache (`never_cache`). The
access code travels only in a POST body: once it is proved, the session remembers which
complaint this browser may follow, for a short while.
"""

import time

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal import throttle
from portal.params import is_object_id
from portal.public_cache import cached_for_the_public
from portal.qr import qr_svg

from .. import limits, uploads
from ..forms import public as forms
from ..models import Complaint
from ..selectors import public as selectors
from ..selectors.deadlines import deadline_counting
from ..services.handling import complaint_add_material, complaint_rate
from ..services.register import ACKNOWLEDGE_WORKING_DAYS, RepeatedSubmission, complaint_register

SESSION_KEY = "tracked_complaints"
TRACKED_FOR = 30 * 60  # seconds a proved access code keeps a complaint open in this browser
MAX_TRACKED = 5

FILING_FIELDS = (
    "agency",
    "officer",
    "occurred_on",
    "place",
    "case_number",
    "category",
    "description",
    "request",
    "anonymous",
    "complainant_name",
    "phone",
    "email",
)


@require_GET
@cached_for_the_public
def channels(request: HttpRequest) -> HttpResponse:
    """R14: where and how the public may complain, per government and per department."""
    return render(
        request, "complaints/public/channels.html", {"channels": selectors.published_channels()}
    )


@require_GET
@cached_for_the_public
def channel_card(request: HttpRequest, pk: int) -> HttpResponse:
    """R14: a channel as a printable supervision card (监督卡) with QR codes for filing and
    tracking, to hand out and post where enforcement happens."""
    channel = selectors.published_channel(pk=pk)
    query = {"region": channel.region.code}
    if channel.agency_id:
        query["agency"] = channel.agency_id
    filing = request.build_absolute_uri(f"{reverse('complaints:file')}?{urlencode(query)}")
    tracking = request.build_absolute_uri(reverse("complaints:track"))
    context = {
        "channel": channel,
        "codes": [
            (_("网上投诉"), filing, qr_svg(filing, title=_("网上投诉的二维码"))),
            (_("查询办理情况"), tracking, qr_svg(tracking, title=_("查询办理情况的二维码"))),
        ],
    }
    return render(request, "complaints/public/channel_card.html", context)


# --- Filing


def _refused(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "complaints/public/refused.html", {"message": message}, status=429)


def _put_errors(form, error: ValidationError) -> None:
    """A service's errors, each under the field it names (others above the form)."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _filing_page(request, form, region, *, status: int = 200, error=None) -> HttpResponse:
    context = {
        "error": error,
        "form": form,
        "region": region,
        "regions": forms.filing_regions(),
        "token": form.token(),
        "limits_text": uploads.limits_text(),
        "accept": uploads.accept_attribute(),
        "description_max": forms.DESCRIPTION_MAX,
    }
    return render(request, "complaints/public/file.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def file(request: HttpRequest) -> HttpResponse:
    """R15, R16: the public files a complaint; the receipt gives its number and access code."""
    source = request.POST if request.method == "POST" else request.GET
    region = forms.filing_region(source.get("region"))
    if request.method == "GET":
        # A supervision card's code names the department: it is chosen already.
        wanted = request.GET.get("agency")
        initial = {"agency": int(wanted)} if region and is_object_id(wanted) else {}
        return _filing_page(request, forms.FilingForm(region=region, initial=initial), region)
    phone = "".join((request.POST.get("phone") or "").split())
    if request.POST.get("anonymous"):
        phone = ""
    if limits.filing_refused(request, phone=phone):
        return _refused(request, _("提交过于频繁，请稍后再试。如情况紧急，请拨打投诉举报热线。"))
    form = forms.FilingForm(request.POST, request.FILES, region=region)
    if request.POST.get("website"):
        # A robot: it is told nothing about why, and nothing is stored.
        return _filing_page(
            request,
            forms.FilingForm(region=region),
            region,
            status=400,
            error=_("提交未成功，请稍后重试。"),
        )
    if not form.is_valid():
        return _filing_page(request, form, region, status=400)
    data = form.cleaned_data
    try:
        receipt = complaint_register(
            actor=None,
            attachments=data["attachments"],
            submission_token=form.token(),
            **{name: data[name] for name in FILING_FIELDS},
        )
    except RepeatedSubmission as repeat:
        form.add_error(None, repeat)
        return _filing_page(request, form, region, status=409)
    except ValidationError as error:
        _put_errors(form, error)
        return _filing_page(request, form, region, status=400)
    _remember(request, receipt.complaint)
    complaint = receipt.complaint
    context = {
        "receipt": receipt,
        "complaint": complaint,
        "working_days": ACKNOWLEDGE_WORKING_DAYS,
        "track_url": request.build_absolute_uri(reverse("complaints:track")),
    }
    # Rendered in the POST's own response: the code is never in a URL nor a later page. Its
    # printable receipt is this page printed (the code on it only if the complainant asks).
    return render(request, "complaints/public/receipt.html", context)


# --- Tracking


def _remember(request: HttpRequest, complaint: Complaint) -> None:
    now = time.time()
    tracked = [
        entry
        for entry in request.session.get(SESSION_KEY, [])
        if entry.get("pk") != complaint.pk and now - entry.get("at", 0) < TRACKED_FOR
    ]
    tracked.append({"pk": complaint.pk, "number": complaint.number, "at": now})
    request.session[SESSION_KEY] = tracked[-MAX_TRACKED:]


def _tracked(request: HttpRequest, number: str | None = None) -> Complaint | None:
    """The complaint whose code this browser proved lately (the latest one, or `number`)."""
    now = time.time()
    entries = [
        entry
        for entry in request.session.get(SESSION_KEY, [])
        if now - entry.get("at", 0) < TRACKED_FOR
    ]
    if number is not None:
        entries = [entry for entry in entries if entry.get("number") == number.strip().upper()]
    if not entries:
        return None
    return selectors.complaint_tracked(pk=entries[-1]["pk"])


def _result_page(request, complaint, *, material=None, rating=None, status=200) -> HttpResponse:
    if material is None and complaint.material_requested:
        material = forms.MaterialForm(initial={"number": complaint.number})
    if rating is None and complaint.may_be_rated:
        rating = forms.RatingForm(initial={"number": complaint.number})
    context = {
        "complaint": complaint,
        "steps": selectors.public_steps(complaint),
        "material_form": material if complaint.material_requested else None,
        "rating_form": rating if complaint.may_be_rated else None,
        "limits_text": uploads.limits_text(),
        "working_days": ACKNOWLEDGE_WORKING_DAYS,
        "counting": deadline_counting(complaint),
    }
    return render(request, "complaints/public/result.html", context, status=status)


def _track_page(request, form, *, status: int = 200, error=None, work: int = 0) -> HttpResponse:
    context = {"form": form, "error": error}
    if work:
        context["challenge"] = throttle.challenge(work=work)
    return render(request, "complaints/public/track.html", context, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def track(request: HttpRequest) -> HttpResponse:
    """Follow a complaint by its number and access code, sent in the POST body only."""
    if request.method == "GET":
        return _track_page(request, forms.TrackingForm())
    form = forms.TrackingForm(request.POST)
    if not form.is_valid():
        return _track_page(request, form, status=400)
    number = form.cleaned_data["number"].strip().upper()
    if limits.tracking_refused(request, number=number):
        return _refused(
            request,
            _(
                "从您当前的网络地址查询这个登记号，失败次数过多，请一小时后再试。"
                "这只限制您当前的网络地址，不影响投诉人在其他地方查询。"
            ),
        )
    work = limits.tracking_work_required(request, number=number)
    if work and not throttle.solution_accepted(
        request.POST.get(throttle.CHALLENGE_FIELD), work=work
    ):
        reason = _(
            "这个登记号或您所在网络近期查询失败较多。为保护投诉信息，浏览器需要先自动完成一次"
            "安全验证（通常几秒钟），完成后请重新输入查询码并查询。"
        )
        retry = forms.TrackingForm(initial={"number": number})
        return _track_page(request, retry, status=429, error=reason, work=work)
    complaint = selectors.complaint_by_access(
        number=number, access_code=form.cleaned_data["access_code"]
    )
    if complaint is None:
        limits.tracking_failed(request, number=number)
        # The same words for an unknown number and a wrong code: neither is confirmed.
        form.add_error(None, _("登记号或查询码不正确，请核对后重新输入。"))
        return _track_page(request, form, status=400)
    _remember(request, complaint)
    return redirect("complaints:track-result")


@never_cache
@require_GET
def track_result(request: HttpRequest) -> HttpResponse:
    """The complaint this browser proved its code for: status, deadlines, public steps."""
    complaint = _tracked(request)
    if complaint is None:
        messages.info(request, _("请输入登记号和查询码查询办理情况。"))
        return redirect("complaints:track")
    return _result_page(request, complaint)


@never_cache
@require_GET
def track_receipt(request: HttpRequest) -> HttpResponse:
    """The printable receipt (回执) of the complaint this browser proved its code for: number,
    dates and the acknowledgement deadline. The access code is not stored, so it is not on it."""
    complaint = _tracked(request)
    if complaint is None:
        messages.info(request, _("请输入登记号和查询码查询办理情况。"))
        return redirect("complaints:track")
    context = {
        "complaint": complaint,
        "working_days": ACKNOWLEDGE_WORKING_DAYS,
        "track_url": request.build_absolute_uri(reverse("complaints:track")),
    }
    return render(request, "complaints/public/track_receipt.html", context)


def _not_tracked(request: HttpRequest) -> HttpResponse:
    error = _("查询已过期，请重新输入登记号和查询码。")
    return _track_page(request, forms.TrackingForm(), status=403, error=error)


@never_cache
@require_POST
def track_material(request: HttpRequest) -> HttpResponse:
    """R17: the complainant adds the material the handler asked for."""
    complaint = _tracked(request, request.POST.get("number", ""))
    if complaint is None:
        return _not_tracked(request)
    if not complaint.material_requested:
        messages.error(request, _("目前没有需要补充的材料。"))
        return redirect("complaints:track-result")
    form = forms.MaterialForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            complaint_add_material(
                complaint=complaint,
                note=form.cleaned_data["note"],
                files=form.cleaned_data["files"],
            )
        except ValidationError as error:
            _put_errors(form, error)
        else:
            _remember(request, complaint)
            messages.success(request, _("补充材料已提交。"))
            return redirect("complaints:track-result")
    return _result_page(request, complaint, material=form, status=400)


@never_cache
@require_POST
def track_rate(request: HttpRequest) -> HttpResponse:
    """The complainant rates the handling of a closed complaint, once."""
    complaint = _tracked(request, request.POST.get("number", ""))
    if complaint is None:
        return _not_tracked(request)
    if not complaint.may_be_rated:
        messages.error(request, _("投诉办结后才能评价，且只能评价一次。"))
        return redirect("complaints:track-result")
    form = forms.RatingForm(request.POST)
    if form.is_valid():
        try:
            complaint_rate(
                complaint=complaint,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except ValidationError as error:
            _put_errors(form, error)
        else:
            _remember(request, complaint)
            messages.success(request, _("感谢您的评价。"))
            return redirect("complaints:track-result")
    return _result_page(request, complaint, rating=form, status=400)
