"""Reads of scoring (R20): the evaluator's assignments and, beside each indicator, the evidence
the portal holds about the agency (computed figures, inspections, approved public opinion)."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Avg, Count, Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from enforcement.models import Agency
from portal.roles import Role, role_of
from portal.scoping import ACT

from ..models import (
    AgencyFigures,
    Assignment,
    Cycle,
    Indicator,
    Inspection,
    PublicOpinion,
    Score,
)
from ..services.permissions import cycle_can_manage


def evaluator_agencies(user) -> QuerySet[Agency]:
    """The agencies `user` may score for: its own (staff or legal office), and for a supervisor
    the government legal offices of its own region (see services.permissions)."""
    role = role_of(user)
    if role in (Role.AGENCY_STAFF, Role.LEGAL_OFFICE) and user.agency_id:
        from guardian.shortcuts import get_objects_for_user

        return get_objects_for_user(
            user, ACT, klass=Agency, accept_global_perms=False, use_groups=False
        )
    if role == Role.SUPERVISOR and user.region_id:
        return Agency.objects.filter(region_id=user.region_id, is_legal_office=True)
    return Agency.objects.none()


def assignments_to_score(user) -> QuerySet[Assignment]:
    """R19: "my assignments to score": those of the user's evaluator agencies in open cycles,
    with how many indicators each still lacks."""
    return (
        Assignment.objects.filter(
            evaluator__in=evaluator_agencies(user).values("pk"), cycle__status=Cycle.Status.OPEN
        )
        .select_related("cycle__region", "agency", "evaluator")
        .annotate(
            scored=Count("scores", distinct=True),
            indicator_count=Count("cycle__indicators", distinct=True),
        )
        .order_by("-cycle__year", "cycle__region__path", "agency__name", "role")
    )


def assignment_for(*, user, pk: int) -> Assignment:
    """One assignment its evaluator may score, or that the cycle's supervisors (or the
    administrator) may read; anything else is a 404."""
    assignment = (
        Assignment.objects.select_related("cycle__region", "agency__region", "evaluator__region")
        .filter(pk=pk)
        .first()
    )
    if assignment is None:
        raise Http404(_("没有这个评议关系，或不在本人可查看的范围内。"))
    readable = (
        role_of(user) == Role.SYSADMIN
        or cycle_can_manage(user, assignment.cycle)
        or evaluator_agencies(user).filter(pk=assignment.evaluator_id).exists()
    )
    if not readable:
        raise Http404(_("没有这个评议关系，或不在本人可查看的范围内。"))
    return assignment


def _rate(part: int, whole: int) -> str:
    if not whole:
        return _("无应统计事项")
    rate = (Decimal(part) * 100 / whole).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
    return f"{part}/{whole}（{rate}%）"


def figure_text(figures: AgencyFigures | None, figure: str, *, opinion=None, inspections=0) -> str:
    """The figure named by an indicator, in words, from the agency's computed row."""
    if figure == Indicator.Figure.OPINION:
        return opinion.summary if opinion else ""
    if figure == Indicator.Figure.INSPECTIONS:
        return _("本周期专项检查与暗访 %(n)s 次") % {"n": inspections}
    if not figure:
        return ""
    if figures is None:
        return _("统计指标尚未计算")
    f = figures
    texts = {
        Indicator.Figure.COMPLAINTS: _("收到投诉 %(a)s 件，属实 %(b)s 件")
        % {"a": f.complaints_received, "b": f.complaints_substantiated},
        Indicator.Figure.ACKNOWLEDGEMENT: _("按时告知 %(r)s")
        % {"r": _rate(f.acknowledgements_on_time, f.acknowledgements_due)},
        Indicator.Figure.REVISIONS: _("按时调整 %(r)s")
        % {"r": _rate(f.revisions_on_time, f.revisions_due)},
        Indicator.Figure.LEGAL_REVIEWS: _("法制审核 %(a)s 件，未通过 %(b)s 件")
        % {"a": f.legal_reviews, "b": f.legal_reviews_refused},
        Indicator.Figure.CASE_REVIEWS: _("评查案卷 %(a)s 卷，平均 %(b)s 分")
        % {"a": f.case_reviews, "b": f.case_review_average if f.case_reviews else "—"},
        Indicator.Figure.REMEDIES: _("复议诉讼结果 %(a)s 件，不利结果 %(b)s 件")
        % {"a": f.remedies, "b": f.remedies_unfavourable},
        Indicator.Figure.ACCOUNTABILITY: _("责任追究 %(a)s 起") % {"a": f.accountability_findings},
    }
    return texts.get(figure, "")


@dataclass
class OpinionSummary:
    count: int
    lawful: Decimal | None
    civil: Decimal | None
    efficient: Decimal | None
    by_source: dict

    @property
    def summary(self) -> str:
        if not self.count:
            return _("暂无已审核的社会评议意见")
        return _(
            "已审核意见 %(n)s 条，平均：依法执法 %(a)s，文明执法 %(b)s，办事效率 %(c)s（5 分制）"
        ) % {
            "n": self.count,
            "a": self.lawful,
            "b": self.civil,
            "c": self.efficient,
        }


def opinion_summary(*, agency_id: int, year: int) -> OpinionSummary:
    """R20: the approved opinions of the public on the agency in the cycle's year."""
    approved = PublicOpinion.objects.filter(
        agency_id=agency_id, period=year, moderation=PublicOpinion.Moderation.APPROVED
    )
    sources = dict(approved.values_list("source").annotate(n=Count("pk")).order_by())
    averages = approved.aggregate(
        n=Count("pk"), lawful=Avg("lawful"), civil=Avg("civil"), efficient=Avg("efficient")
    )

    def one(value):
        if value is None:
            return None
        return Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)

    labels = dict(PublicOpinion.Source.choices)
    return OpinionSummary(
        count=averages["n"],
        lawful=one(averages["lawful"]),
        civil=one(averages["civil"]),
        efficient=one(averages["efficient"]),
        by_source={labels[k]: v for k, v in sources.items()},
    )


@dataclass
class SheetRow:
    indicator: Indicator
    score: Score | None
    figure: str


@dataclass
class ScoringSheet:
    assignment: Assignment
    rows: list
    figures: AgencyFigures | None
    inspections: list
    opinion: OpinionSummary
    earned: Decimal
    available: Decimal
    scored: int

    @property
    def complete(self) -> bool:
        return self.scored == len(self.rows)

    @property
    def percent(self) -> Decimal | None:
        """The assignment's total out of 100 so far (computed, never typed)."""
        if not self.available:
            return None
        value = self.earned * 100 / self.available
        return value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def scoring_sheet(assignment: Assignment) -> ScoringSheet:
    """Each indicator with its guidance, its score if any and its figure; the evidence beside."""
    cycle = assignment.cycle
    indicators = list(Indicator.objects.filter(cycle=cycle).order_by("order", "code"))
    scores = {
        s.indicator_id: s
        for s in Score.objects.filter(assignment=assignment)
        .select_related("scored_by")
        .prefetch_related(Prefetch("inspections", Inspection.objects.only("pk", "held_on", "kind")))
    }
    figures = AgencyFigures.objects.filter(cycle=cycle, agency_id=assignment.agency_id).first()
    inspections = list(
        Inspection.objects.filter(cycle=cycle, agency_id=assignment.agency_id).order_by(
            "-held_on", "pk"
        )
    )
    opinion = opinion_summary(agency_id=assignment.agency_id, year=cycle.year)
    rows = [
        SheetRow(
            indicator=i,
            score=scores.get(i.pk),
            figure=figure_text(figures, i.figure, opinion=opinion, inspections=len(inspections)),
        )
        for i in indicators
    ]
    return ScoringSheet(
        assignment=assignment,
        rows=rows,
        figures=figures,
        inspections=inspections,
        opinion=opinion,
        earned=sum((s.points for s in scores.values()), Decimal(0)),
        available=sum((i.max_points for i in indicators), Decimal(0)),
        scored=len(scores),
    )


def cycle_scores(*, user, cycle: Cycle) -> QuerySet[Score]:
    """The scores of the cycle `user` may read: every one for its supervisors and the
    administrator, the user's own evaluator agencies' otherwise."""
    scores = Score.objects.filter(assignment__cycle=cycle)
    if not (role_of(user) == Role.SYSADMIN or cycle_can_manage(user, cycle)):
        scores = scores.filter(assignment__evaluator__in=evaluator_agencies(user).values("pk"))
    return scores.select_related(
        "assignment__agency", "assignment__evaluator", "indicator", "scored_by"
    ).prefetch_related(Prefetch("inspections", Inspection.objects.only("pk")))


def may_score_in(user, cycle: Cycle) -> bool:
    return (
        cycle.status == Cycle.Status.OPEN
        and Assignment.objects.filter(
            cycle=cycle, evaluator__in=evaluator_agencies(user).values("pk")
        ).exists()
    )
