"""The evaluation's to-do counts (R19–R23): the current cycles' scoring progress (assignments
fully scored of those assigned), the open rectification orders, pending objections and repeat
decisions, comments to moderate, and one's own scoring tasks and objections."""

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from assessment.models import Assignment, Cycle, Indicator, Objection, RectificationOrder, Score
from assessment.selectors.cycles import cycles_visible_to
from assessment.selectors.officers import queue
from assessment.selectors.opinions import moderation_queue
from assessment.selectors.scoring import assignments_to_score
from portal.roles import Role, role_of

from .base import Entry, Panel, Row, url

CYCLES_SHOWN = 5
ORDERS_SHOWN = 10


def _count_of(queryset, field: str):
    counted = queryset.order_by().values(field).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def cycle_progress(user) -> list[Cycle]:
    """The open cycles `user` may read (newest first, the first few), each with `assigned` (its
    assignments) and `scored` (those with every indicator scored): two queries."""
    cycles = list(
        cycles_visible_to(user)
        .filter(status=Cycle.Status.OPEN)
        .order_by("-year", "region__path", "pk")[:CYCLES_SHOWN]
    )
    if not cycles:
        return []
    per_assignment = (
        Assignment.objects.filter(cycle__in=[cycle.pk for cycle in cycles])
        .annotate(
            scores_n=_count_of(Score.objects.filter(assignment=OuterRef("pk")), "assignment"),
            indicators_n=_count_of(Indicator.objects.filter(cycle=OuterRef("cycle")), "cycle"),
        )
        .order_by()
        .values("cycle")
        .annotate(
            assigned=Count("pk"),
            scored=Count("pk", filter=Q(indicators_n__gt=0, scores_n__gte=F("indicators_n"))),
        )
    )
    found = {row["cycle"]: row for row in per_assignment}
    for cycle in cycles:
        row = found.get(cycle.pk, {})
        cycle.assigned, cycle.scored = row.get("assigned", 0), row.get("scored", 0)
    return cycles


def open_orders(user):
    """R23: the rectification orders not yet closed of the cycles `user` runs or reads (the
    supervisors of the cycle's region and above; the administrator all), nearest due first."""
    orders = RectificationOrder.objects.exclude(status=RectificationOrder.Status.CLOSED)
    role = role_of(user)
    if role == Role.SUPERVISOR and user.region_id:
        orders = orders.filter(result__cycle__region__path__startswith=user.region.path)
    elif role != Role.SYSADMIN:
        return orders.none()
    return orders.select_related("result__agency", "result__cycle").order_by("due", "pk")


def _progress_rows(user) -> tuple[Row, ...]:
    return tuple(
        Row(
            _("%(year)s 年度%(region)s评议考核") % {"year": cycle.year, "region": cycle.region},
            url("assessment:cycle-detail", cycle.pk),
            _("已评分 %(scored)s / 应评 %(assigned)s")
            % {
                "scored": cycle.scored,
                "assigned": cycle.assigned,
            },
            "" if cycle.assigned and cycle.scored == cycle.assigned else "warning",
        )
        for cycle in cycle_progress(user)
    )


def _order_rows(user) -> tuple[tuple[Row, ...], int]:
    orders = open_orders(user)
    shown = list(orders[:ORDERS_SHOWN])
    more = orders.count() - len(shown) if len(shown) == ORDERS_SHOWN else 0
    rows = tuple(
        Row(
            _("整改通知 · %(agency)s（%(year)s 年度）")
            % {"agency": order.result.agency.name, "year": order.result.cycle.year},
            url("assessment:rectification", order.pk),
            _("整改期限 %(due)s · %(status)s")
            % {"due": f"{order.due:%Y-%m-%d}", "status": order.get_status_display()},
            "alert" if order.status == RectificationOrder.Status.OVERDUE else "",
        )
        for order in shown
    )
    return rows, more


def assessment_panel(user) -> Panel:
    role = role_of(user)
    entries, rows, more = [], (), 0
    supervising = role in (Role.SUPERVISOR, Role.SYSADMIN)
    if role != Role.SYSADMIN:
        entries.append(
            Entry(
                "scoring",
                _("评议评分任务（评议中的年度）"),
                assignments_to_score(user).count(),
                url("assessment:scoring"),
            )
        )
    if supervising:
        found = queue(user=user)
        entries += [
            Entry(
                "objections",
                _("待处理的考核异议"),
                found["objections"].count(),
                url("assessment:officer-queue"),
                "warning",
            ),
            Entry(
                "repeat-decisions",
                _("连续两年不合格 · 待作出处理决定"),
                found["open_decisions"].count(),
                url("assessment:officer-queue"),
            ),
            Entry(
                "opinions",
                _("待审核的评议留言"),
                moderation_queue(user=user).count(),
                url("assessment:opinion-queue"),
            ),
        ]
        orders, more = _order_rows(user)
        rows = _progress_rows(user) + orders
    else:
        pending = Objection.objects.filter(filed_by=user, status=Objection.Status.PENDING)
        entries.append(
            Entry(
                "my-objections",
                _("本人提出、待处理的考核异议"),
                pending.count(),
                url("assessment:my-officer-results"),
            )
        )
    return Panel(
        key="assessment",
        title=_("评议考核"),
        empty=_("评议考核没有待办事项。"),
        entries=tuple(entries),
        rows=rows,
        more=more,
    )
