"""Reads of the implementation plans (R33) that depend on who asks: the plans a user may read,
one plan (404 outside scope), the overdue milestones, the problems a supervisor is to answer,
and the milestone figures of a region and a period for the annual report.

Every list is one query (counts by subquery), so a county and a province cost the same.
"""

import datetime

from django.db.models import Count, F, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.timezone import localdate
from django.utils.translation import gettext as _

from portal.roles import Role, role_of
from portal.scoping import visible_agencies

from ..models import Plan, PlanItem, PlanProblem


def _visible(user) -> Q | None:
    """A filter of the plans `user` may read (None: all; Q(pk__in=[]): none)."""
    role = role_of(user)
    if role == Role.SYSADMIN:
        return None
    if role == Role.SUPERVISOR and user.region_id:
        return Q(region__path__startswith=user.region.path)
    if role in (Role.AGENCY_STAFF, Role.LEGAL_OFFICE):
        return Q(agency__in=visible_agencies(user).values("pk"))
    return Q(pk__in=[])


def plans_visible(user) -> QuerySet[Plan]:
    where = _visible(user)
    plans = Plan.objects.all() if where is None else Plan.objects.filter(where)
    return plans.select_related("region", "agency")


def _count(model, *, filters: Q) -> Subquery:
    rows = (
        model.objects.filter(filters, plan=OuterRef("pk"))
        .order_by()
        .values("plan")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def plan_rows(user, *, today: datetime.date | None = None) -> QuerySet[Plan]:
    """The plans `user` may read with their counts: items, done, overdue, open problems."""
    today = today or localdate()
    return plans_visible(user).annotate(
        n_items=_count(PlanItem, filters=Q()),
        n_done=_count(PlanItem, filters=Q(status=PlanItem.Status.DONE)),
        n_overdue=_count(PlanItem, filters=Q(status=PlanItem.Status.OPEN, due__lt=today)),
        n_problems=_count(PlanProblem, filters=Q(status=PlanProblem.Status.OPEN)),
    )


def plan_for(*, user, pk: int) -> Plan:
    try:
        return plans_visible(user).get(pk=pk)
    except Plan.DoesNotExist:
        raise Http404(_("没有找到该实施方案。")) from None


def item_for(*, user, pk: int) -> PlanItem:
    where = _visible(user)
    items = PlanItem.objects.select_related("plan__region", "plan__agency")
    if where is not None:
        items = items.filter(plan__in=Plan.objects.filter(where).values("pk"))
    try:
        return items.get(pk=pk)
    except PlanItem.DoesNotExist:
        raise Http404(_("没有找到该任务。")) from None


def problem_for(*, user, pk: int) -> PlanProblem:
    where = _visible(user)
    problems = PlanProblem.objects.select_related("plan__region", "plan__agency", "item")
    if where is not None:
        problems = problems.filter(plan__in=Plan.objects.filter(where).values("pk"))
    try:
        return problems.get(pk=pk)
    except PlanProblem.DoesNotExist:
        raise Http404(_("没有找到该问题报告。")) from None


def overdue_items(user, *, today: datetime.date | None = None) -> QuerySet[PlanItem]:
    """R33: the milestones past their due date and not done, in the plans `user` may read."""
    today = today or localdate()
    where = _visible(user)
    items = PlanItem.objects.filter(status=PlanItem.Status.OPEN, due__lt=today)
    if where is not None:
        items = items.filter(plan__in=Plan.objects.filter(where).values("pk"))
    return items.select_related("plan__region", "plan__agency").order_by("due", "pk")


def problems_to_answer(user) -> QuerySet[PlanProblem]:
    """R33: for a supervisor, the problems reported from below (departments of the region and
    below, governments below the region); for a keeper, the problems of the plans it reads."""
    problems = PlanProblem.objects.select_related(
        "plan__region", "plan__agency", "item", "reported_by", "answered_by"
    )
    role = role_of(user)
    if role == Role.SUPERVISOR and user.region_id:
        return problems.filter(plan__region__path__startswith=user.region.path).exclude(
            plan__agency__isnull=True, plan__region_id=user.region_id
        )
    where = _visible(user)
    return problems if where is None else problems.filter(plan__in=Plan.objects.filter(where))


def plan_figures(*, region, start: datetime.date, end: datetime.date, today=None) -> dict:
    """R31, R33: the milestones due in [start, end] of the plans of `region` and below (done,
    done on time, overdue, open), and the problems reported in the period (answered or not):
    two aggregate queries."""
    today = today or localdate()
    cutoff = min(today, end + datetime.timedelta(days=1))
    in_region = Q(plan__region__path__startswith=region.path)
    items = PlanItem.objects.filter(in_region, due__gte=start, due__lte=end).aggregate(
        total=Count("pk"),
        done=Count("pk", filter=Q(status=PlanItem.Status.DONE)),
        on_time=Count("pk", filter=Q(status=PlanItem.Status.DONE, done_at__date__lte=F("due"))),
        overdue=Count("pk", filter=Q(status=PlanItem.Status.OPEN, due__lt=cutoff)),
    )
    problems = PlanProblem.objects.filter(
        in_region, reported_at__date__gte=start, reported_at__date__lte=end
    ).aggregate(
        reported=Count("pk"),
        answered=Count("pk", filter=Q(status=PlanProblem.Status.ANSWERED)),
    )
    plans = Plan.objects.filter(
        region__path__startswith=region.path, year__gte=start.year, year__lte=end.year
    ).count()
    return {"plans": plans, **items, **problems}
