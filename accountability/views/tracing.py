"""R27: a supervisor's button on a complaint-sourced clue's page traces the complaint's history."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from portal.errors import refusal
from portal.roles import Role, role_required

from ..selectors import clues as selectors
from ..services.tracing import complaint_trace


@role_required(Role.SUPERVISOR)
@require_POST
def clue_trace_view(request: HttpRequest, pk: int) -> HttpResponse:
    clue = selectors.clue_for(user=request.user, pk=pk)
    if clue.complaint_id is None:
        return refusal(request, 400, _("只有来源于投诉的线索可以倒查。"))
    try:
        opened = complaint_trace(complaint=clue.complaint, actor=request.user)
    except PermissionDenied as exc:
        return refusal(request, 403, str(exc))
    except ValidationError as exc:
        return refusal(request, 400, " ".join(exc.messages))
    if opened:
        messages.success(
            request, _("倒查发现 %(count)s 项失职，已立线索。") % {"count": len(opened)}
        )
    else:
        messages.info(request, _("倒查未发现新的失职情形。"))
    return redirect("accountability:clue-detail", pk=clue.pk)
