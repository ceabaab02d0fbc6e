"""Who may do what in a cycle (R19, R23): the one place the evaluation's permissions are decided.

Scoring belongs to the evaluator agency of an assignment. For a local department that evaluator is
the government's legal office (司法局), whose people act either as staff of that office (an object
permission on the agency) or as the region's supervisors (政府法制监督人员 of the office's own
region): both may score. Results, their disclosure, award quotas and rectification belong to the
supervisors of the cycle's region or of a region above it.
"""

from portal.roles import Role, role_of
from portal.scoping import can_act_for

from ..models import Assignment, Cycle


def acts_for_evaluator(user, evaluator) -> bool:
    """May `user` act in the name of the evaluator agency (its staff, or, for a government legal
    office, the supervisors of the office's region)?"""
    if can_act_for(user, evaluator):
        return True
    return (
        evaluator.is_legal_office
        and role_of(user) == Role.SUPERVISOR
        and user.region_id is not None
        and user.region_id == evaluator.region_id
    )


def assignment_can_score(user, assignment: Assignment) -> bool:
    """R19, R20: the evaluator of the assignment may score it while its cycle is open."""
    if not user.is_authenticated or assignment.cycle.status != Cycle.Status.OPEN:
        return False
    return acts_for_evaluator(user, assignment.evaluator)


def supervises_region(user, region) -> bool:
    """A supervisor of `region` or of a region above it: who opens and runs a cycle there."""
    return (
        role_of(user) == Role.SUPERVISOR
        and user.region_id is not None
        and region.is_within(user.region)
    )


def cycle_can_manage(user, cycle: Cycle) -> bool:
    """R19, R20, R23: a supervisor of the cycle's region or above runs the cycle, recomputes its
    figures, computes, discloses and allots the results and orders rectification. The
    administrator reads but does not decide."""
    return supervises_region(user, cycle.region)
