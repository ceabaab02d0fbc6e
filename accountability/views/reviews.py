"""R29: a supervisor other than the decider decides the review an officer or unit asked for."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.roles import Role, role_required
from portal.service_forms import attempt

from ..forms.decisions import ReviewDecideForm
from ..selectors import decisions as selectors
from ..services.decisions import may_decide
from ..services.reviews import review_decide
from .decisions import _page


@role_required(Role.SUPERVISOR)
@require_POST
def review_decide_view(request: HttpRequest, pk: int) -> HttpResponse:
    review = selectors.review_for(user=request.user, pk=pk)
    proceeding = selectors.proceeding_for(
        user=request.user, pk=review.sanction.decision.proceeding_id
    )
    if not may_decide(request.user, proceeding.agency):  # permission before the body
        raise PermissionDenied(
            _("只有管辖被追究单位、且与其无利害关系的政府法制监督人员可以复核。")
        )
    form = ReviewDecideForm(request.POST)
    status = 400
    if form.is_valid():
        done, status = attempt(
            form, review_decide, review=review, actor=request.user, **form.cleaned_data
        )
        if done is not None:
            messages.success(request, _("已作出复核决定。"))
            return redirect("accountability:decision", pk=proceeding.pk)
    return _page(request, proceeding, review_forms={review.pk: form}, status=status)
