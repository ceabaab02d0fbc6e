"""R32: training sessions with typical cases (以案释法): the list, recording one, a session's
page with its cases and attendees."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from portal.roles import Role, role_of, role_required
from portal.service_forms import attempt

from ..forms.typical import TrainingForm
from ..selectors import typical as selectors
from ..services.training import training_record

PAGE_SIZE = 50
READERS = (Role.SUPERVISOR, Role.SYSADMIN)


@role_required(*READERS)
@require_GET
def training_list(request: HttpRequest) -> HttpResponse:
    """R32: the sessions of the reader's region and below, latest first."""
    rows = selectors.training_list(user=request.user)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "rows": page.object_list,
        "may_record": role_of(request.user) == Role.SUPERVISOR,
    }
    return render(request, "accountability/training/list.html", context)


def _form(request, data=None):
    return TrainingForm(
        data, cases=selectors.published(), agencies=selectors.training_agencies(request.user)
    )


@role_required(Role.SUPERVISOR)
@require_http_methods(["GET", "POST"])
def training_new(request: HttpRequest) -> HttpResponse:
    """R32: a supervisor records a session of their region; the attendees are typed as their
    certificate numbers, so that the page costs the same for a county and a province."""
    status = 200
    if request.method == "POST":
        form = _form(request, request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            session, status = attempt(
                form,
                training_record,
                region=request.user.region,
                kind=data["kind"],
                title=data["title"],
                held_on=data["held_on"],
                cases=data["cases"],
                attendees=data["attendees"],
                actor=request.user,
            )
            if session is not None:
                messages.success(request, _("已记录培训：%(session)s。") % {"session": session})
                return redirect("accountability:training-detail", pk=session.pk)
    else:
        form = _form(request)
    return render(request, "accountability/training/new.html", {"form": form}, status=status)


@role_required(*READERS)
@require_GET
def training_detail(request: HttpRequest, pk: int) -> HttpResponse:
    session = selectors.training_for(user=request.user, pk=pk)
    context = {
        "session": session,
        "cases": list(session.cases.only("title", "published_at")),
        "attendees": list(session.attendees.select_related("agency")),
    }
    return render(request, "accountability/training/detail.html", context)
