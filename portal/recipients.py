"""Who is told: the e-mail addresses of an agency's staff and of the supervisors over a region.

Shared by every deadline job (R2's revision tasks, complaints' reminders and escalations).
"""

from collections import defaultdict

from django.contrib.auth import get_user_model

from .roles import Role


def agency_staff_emails(agency_ids: set[int]) -> dict[int, list[str]]:
    rows = (
        get_user_model()
        .objects.filter(agency_id__in=agency_ids, is_active=True)
        .exclude(email="")
        .values_list("agency_id", "email")
    )
    emails: dict[int, list[str]] = defaultdict(list)
    for agency_id, email in rows:
        emails[agency_id].append(email)
    return emails


def supervisor_emails(region_paths: set[str]) -> dict[str, list[str]]:
    """The supervisors whose region is each path or lies above it ("220000/" covers all)."""
    prefixes = {path[: i + 1] for path in region_paths for i, ch in enumerate(path) if ch == "/"}
    rows = list(
        get_user_model()
        .objects.filter(
            groups__name=Role.SUPERVISOR.value, region__path__in=prefixes, is_active=True
        )
        .exclude(email="")
        .values_list("region__path", "email")
        .distinct()
    )
    emails: dict[str, list[str]] = defaultdict(list)
    for path in region_paths:
        emails[path] = sorted({email for prefix, email in rows if path.startswith(prefix)})
    return emails
