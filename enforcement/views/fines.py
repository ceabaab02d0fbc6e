"""Fines (R30) on the case page, and the reports of fines and discretion (R7)."""

from django.http import HttpRequest

from ..models import Case


def payments_context(request: HttpRequest, case: Case, bound: dict) -> dict:
    """The case page's payments section (filled in by the fines slice)."""
    return {}
