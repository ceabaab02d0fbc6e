"""Who may keep, read and answer what (R31, R33). The services call these; the pages call them
before they read a body, so that an outsider is refused for who they are, not for what they sent.

- a department's plan is kept by its staff and legal office, read by them and by the
  supervisors of its region and above;
- a government's plan is kept by that region's supervisors (its legal office), read by them and
  by the supervisors above;
- a problem is answered by the supervisor above the plan's keeper: for a department, a supervisor
  of its region or above; for a government, a supervisor of a region above it;
- the annual report of a region is assembled by the supervisors of that region or above; the
  administrator reads it.
"""

from portal.roles import Role, role_of
from portal.scoping import can_act_for


def _supervises_region(user, region) -> bool:
    return (
        role_of(user) == Role.SUPERVISOR
        and bool(user.region_id)
        and region is not None
        and region.is_within(user.region)
    )


def plan_may_keep(user, plan) -> bool:
    if plan.agency_id:
        return can_act_for(user, plan.agency)
    return role_of(user) == Role.SUPERVISOR and user.region_id == plan.region_id


def plan_may_read(user, plan) -> bool:
    if role_of(user) == Role.SYSADMIN:
        return True
    if plan.agency_id and can_act_for(user, plan.agency):
        return True
    return _supervises_region(user, plan.region)


def problem_may_answer(user, problem) -> bool:
    plan = problem.plan
    if not _supervises_region(user, plan.region):
        return False
    return bool(plan.agency_id) or user.region_id != plan.region_id


def report_may_edit(user, region) -> bool:
    return _supervises_region(user, region)


def report_may_read(user, region) -> bool:
    return role_of(user) == Role.SYSADMIN or _supervises_region(user, region)
