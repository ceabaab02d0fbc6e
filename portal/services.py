"""Writes about users and their roles. Each is atomic and records who did it."""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from guardian.shortcuts import assign_perm, remove_perm

from enforcement.models import Agency, Region

from .models import User
from .roles import Role
from .scoping import ACT, REVIEW


@transaction.atomic
def user_assign_role(
    *,
    user: User,
    role: Role,
    actor: User | None,
    agency: Agency | None = None,
    region: Region | None = None,
) -> User:
    """Give `user` exactly one role, where it applies, and the object permissions that follow."""
    if role in (Role.AGENCY_STAFF, Role.LEGAL_OFFICE) and agency is None:
        raise ValidationError(_("执法部门工作人员和法制机构人员必须指定所在单位。"))
    if role == Role.SUPERVISOR and region is None:
        raise ValidationError(_("监督人员必须指定监督区域。"))

    user = User.objects.select_for_update().get(pk=user.pk)
    previous_agency = user.agency
    if previous_agency is not None:
        remove_perm(ACT, user, previous_agency)
        remove_perm(REVIEW, user, previous_agency)

    user.agency = agency if role in (Role.AGENCY_STAFF, Role.LEGAL_OFFICE) else None
    user.region = region if role == Role.SUPERVISOR else None
    user.is_staff = role in (Role.SUPERVISOR, Role.SYSADMIN)
    user._history_user = actor
    user.full_clean(exclude=["password"])
    user.save()
    user.groups.set([Group.objects.get(name=role.value)])

    if user.agency is not None:
        assign_perm(ACT, user, user.agency)
        if role == Role.LEGAL_OFFICE:
            assign_perm(REVIEW, user, user.agency)
    return user
