"""R33: the problems reported from the plans: a supervisor's list of problems to answer (and the
keepers' list of what they reported), and the answer."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from portal.roles import Role, role_of, role_required
from portal.service_forms import attempt

from ..forms.plans import AnswerForm
from ..selectors import plans as selectors
from ..services.permissions import problem_may_answer
from ..services.plans import plan_problem_answer
from .common import PAGE_SIZE, READERS


@role_required(*READERS)
@require_GET
def problem_list(request: HttpRequest) -> HttpResponse:
    rows = selectors.problems_to_answer(request.user)
    status = request.GET.get("status", "")
    if status in ("open", "answered"):
        rows = rows.filter(status=status)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page_obj": page,
        "rows": page.object_list,
        "status": status,
        "answerer": role_of(request.user) == Role.SUPERVISOR,
    }
    return render(request, "reporting/problems/list.html", context)


@role_required(*READERS)
@require_http_methods(["GET", "POST"])
def problem_answer(request: HttpRequest, pk: int) -> HttpResponse:
    """R33: the supervisor above answers the problem."""
    problem = selectors.problem_for(user=request.user, pk=pk)
    may_answer = problem_may_answer(request.user, problem)
    status = 200
    if request.method == "POST":
        if not may_answer:
            raise PermissionDenied(_("只有上级政府法制监督人员可以答复该问题。"))
        form = AnswerForm(request.POST)
        status = 400
        if form.is_valid():
            done, status = attempt(
                form,
                plan_problem_answer,
                problem=problem,
                answer=form.cleaned_data["answer"],
                actor=request.user,
            )
            if done is not None:
                messages.success(request, _("已答复问题报告。"))
                return redirect("reporting:problem-list")
    else:
        form = AnswerForm()
    context = {"problem": problem, "form": form if may_answer else None}
    return render(request, "reporting/problems/answer.html", context, status=status)
