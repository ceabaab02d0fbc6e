"""The public due-date calculator page."""

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from . import deadlines
from .forms import CalculatorForm


@require_GET
def calculator(request: HttpRequest) -> HttpResponse:
    """A GET form, so that a result can be bookmarked and shared as a link."""
    submitted = any(name in request.GET for name in CalculatorForm.base_fields)
    form = CalculatorForm(request.GET if submitted else None)
    result = None
    if submitted and form.is_valid():
        try:
            result = deadlines.calculate(**form.query())
        except ValidationError as exc:
            form.add_error(None, exc)
    context = {
        "form": form,
        "result": result,
        "max_working_days": deadlines.MAX_WORKING_DAYS,
        "max_months": deadlines.MAX_MONTHS,
    }
    # A submitted query that is refused answers 400, as the API does; the empty page is a 200.
    status = 400 if submitted and form.errors else 200
    return render(request, "workdays/calculator.html", context, status=status)
