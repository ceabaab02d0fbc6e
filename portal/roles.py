"""The four roles of the portal, each a Django group, the model permissions each one holds, and
`role_required`, the decorator of pages open to some roles only.

Object-level scope (which agencies, which region) is not here but in `portal.scoping`.
"""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    AGENCY_STAFF = "agency_staff", _("执法部门工作人员")
    LEGAL_OFFICE = "legal_office", _("部门法制机构")
    SUPERVISOR = "supervisor", _("政府法制监督人员")
    SYSADMIN = "sysadmin", _("系统管理员")


# Model permissions per role ("app_label.codename"); "*" means every permission of that app.
ROLE_PERMISSIONS: dict[str, tuple[str, ...]] = {
    Role.AGENCY_STAFF: (
        "enforcement.view_agency",
        "enforcement.view_officer",
        "enforcement.view_region",
        "workdays.view_specialday",
    ),
    Role.LEGAL_OFFICE: (
        "enforcement.view_agency",
        "enforcement.view_officer",
        "enforcement.view_region",
        "workdays.view_specialday",
    ),
    Role.SUPERVISOR: (
        "enforcement.view_region",
        "enforcement.view_agency",
        "enforcement.change_agency",
        "enforcement.view_officer",
        "enforcement.add_officer",
        "enforcement.change_officer",
        "enforcement.view_enforcementdomain",
        "enforcement.view_remedyoutcome",
        "enforcement.view_casefilereview",
        "workdays.view_specialday",
        "workdays.view_calendaryear",
        "complaints.view_complaintchannel",
        "complaints.add_complaintchannel",
        "complaints.change_complaintchannel",
        # R30: the region's collecting banks; payments are entered on the case page only.
        "enforcement.view_collectingbank",
        "enforcement.add_collectingbank",
        "enforcement.change_collectingbank",
        "enforcement.view_finepayment",
        # R5: the region's catalogue of major decisions, and the checklist's weights (local
        # choices), kept through the admin for the supervisor's region and below.
        "enforcement.view_majordecisioncriteria",
        "enforcement.add_majordecisioncriteria",
        "enforcement.change_majordecisioncriteria",
        "enforcement.view_majordecisiontype",
        "enforcement.add_majordecisiontype",
        "enforcement.change_majordecisiontype",
        "enforcement.delete_majordecisiontype",
        "enforcement.view_casefilechecklist",
        "enforcement.add_casefilechecklist",
        "enforcement.change_casefilechecklist",
        # R24, R28: the region's accountability time limits and sanction bands (local choices).
        "accountability.view_accountabilityrules",
        "accountability.add_accountabilityrules",
        "accountability.change_accountabilityrules",
        "accountability.view_sanctionband",
        "accountability.add_sanctionband",
        "accountability.change_sanctionband",
        "accountability.delete_sanctionband",
        # R7: the region's joining the licensing / coercion discretion trial.
        "enforcement.view_discretiontrial",
        "enforcement.add_discretiontrial",
        "enforcement.change_discretiontrial",
        # R9: how the agencies of the region number their case files and decisions.
        "enforcement.view_documentnumbering",
        "enforcement.add_documentnumbering",
        "enforcement.change_documentnumbering",
    ),
    Role.SYSADMIN: (
        "enforcement.*",
        "workdays.*",
        "complaints.*",
        "portal.*",
        "auth.*",
        # The lockout records, read-only: who was locked out; a lock is lifted by deleting its
        # attempts.
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        "axes.view_accesslog",
        "axes.view_accessfailurelog",
        # R24, R28: every region's accountability time limits and sanction bands.
        "accountability.view_accountabilityrules",
        "accountability.add_accountabilityrules",
        "accountability.change_accountabilityrules",
        "accountability.delete_accountabilityrules",
        "accountability.view_sanctionband",
        "accountability.add_sanctionband",
        "accountability.change_sanctionband",
        "accountability.delete_sanctionband",
    ),
}

# Roles that may enter Django's admin (the supervisors' and administrators' back office).
ADMIN_ROLES = (Role.SUPERVISOR, Role.SYSADMIN)


def role_of(user) -> Role | None:
    """The user's role, from its group; None for the public and for users without a role."""
    if not user.is_authenticated:
        return None
    if user.is_superuser:
        return Role.SYSADMIN
    if not hasattr(user, "_portal_role"):  # one query per request, not one per check
        names = set(user.groups.values_list("name", flat=True))
        user._portal_role = next(
            (
                role
                for role in (Role.SYSADMIN, Role.SUPERVISOR, Role.LEGAL_OFFICE, Role.AGENCY_STAFF)
                if role.value in names
            ),
            None,
        )
    return user._portal_role


def group_display(group) -> str:
    """A group as people read it: a role group by its role, in the user's language.

    The group's name stays the role's code (`Role.value`), which the code looks groups up by
    (`groups__name=Role.SUPERVISOR.value`) and which migrations and deployments keep stable; the
    admin shows the role instead (`Group.__str__` is this function, set in `PortalConfig.ready`).
    """
    try:
        return str(Role(group.name).label)
    except ValueError:
        return group.name


def sync_role_groups() -> None:
    """Create the role groups and give each exactly its model permissions (idempotent)."""
    from django.contrib.auth.models import Group, Permission

    for role, perms in ROLE_PERMISSIONS.items():
        group, _created = Group.objects.get_or_create(name=role.value)
        wanted = Permission.objects.none()
        for perm in perms:
            app_label, codename = perm.split(".")
            qs = Permission.objects.filter(content_type__app_label=app_label)
            if codename != "*":
                qs = qs.filter(codename=codename)
            wanted = wanted | qs
        group.permissions.set(wanted)


def role_required(*roles):
    """A page for users of these roles only: the public is sent to log in, others get 403."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if role_of(request.user) not in roles:
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapped

    return decorator
