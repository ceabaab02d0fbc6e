"""Closing a case, reconsideration and litigation outcomes (R13), case-file reviews."""

from django.http import HttpRequest

from ..models import Case


def closing_context(request: HttpRequest, case: Case, bound: dict) -> dict:
    """The case page's closing, remedies and file-review sections (filled in by that slice)."""
    return {}
