"""The supervisors' figures kept per agency and month (R11, R31), so that the dashboard and the
yearly report sum a few thousand rows instead of aggregating the whole history per request.

One row per agency and calendar month (Asia/Shanghai). Each column counts the rows of one source
whose moment falls in that month: complaints by the month of registration and by the month of
their acknowledgement deadline, cases by the month opened, issued decisions and their fines by
the month issued, legal reviews by the month written. What each column counts is defined once,
in `reporting.services.tallies.SOURCES`; the services' saves keep the rows current in their own
transaction (by atomic increments), and `tallies_rebuild` recomputes every row from the sources
(after a bulk load, or to repair)."""

from decimal import Decimal

from django.db import models
from django.utils.translation import gettext_lazy as _


def _count(label):
    return models.PositiveIntegerField(label, default=0, db_default=0)


def _amount(label):
    return models.DecimalField(
        label, max_digits=18, decimal_places=2, default=Decimal("0"), db_default=Decimal("0")
    )


def _agency_key():
    """The agency a tally row counts for (its rows go with it)."""
    return models.ForeignKey(
        "enforcement.Agency",
        verbose_name=_("执法主体"),
        on_delete=models.CASCADE,
        related_name="+",
    )


class MonthTally(models.Model):
    agency = _agency_key()
    month = models.DateField(_("月份（当月第一日）"))

    # complaints registered this month (R15): how many, and of those how many in each status now,
    # accepted for handling at some point, found substantiated or partly substantiated
    complaints_received = _count(_("收到投诉"))
    complaints_accepted = _count(_("受理"))
    complaints_substantiated = _count(_("核查属实或部分属实"))
    status_registered = _count(_("已登记，待受理"))
    status_accepted = _count(_("已受理"))
    status_handling = _count(_("办理中"))
    status_closed = _count(_("已办结"))
    status_refused = _count(_("不予受理"))
    status_transferred = _count(_("已转办"))
    # complaints whose acknowledgement deadline (R16) falls this month: decided on time, decided
    # late, not decided yet
    ack_on_time = _count(_("按时告知"))
    ack_late = _count(_("逾期告知"))
    ack_undecided = _count(_("尚未告知"))
    # enforcement cases opened this month
    cases_opened = _count(_("立案"))
    # decisions issued this month (R9, R30): how many, disclosed, fines, their amounts and what
    # the banks have collected on them (whenever paid)
    decisions_issued = _count(_("作出执法决定"))
    decisions_disclosed = _count(_("已公示"))
    fines_issued = _count(_("罚款决定"))
    fines_decided = _amount(_("决定罚款金额"))
    fines_collected = _amount(_("已收缴金额"))
    # legal reviews written this month (R5): how many, and of those agreeing
    reviews = _count(_("法制审核"))
    reviews_passed = _count(_("审核通过"))
    # case files reviewed this month (案卷评查, R20, R21): how many, and their totals' sum (out
    # of 100 each: the average is the sum over the count)
    file_reviews = _count(_("案卷评查"))
    file_review_points = _count(_("评查总分合计"))

    class Meta:
        verbose_name = _("月度统计")
        verbose_name_plural = _("月度统计")
        constraints = [
            models.UniqueConstraint(fields=["agency", "month"], name="month_tally_once"),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.month:%Y-%m}"


class AgencyTally(models.Model):
    """What an agency has now (its to-do counts and its list), kept as `MonthTally` is, by the
    sources of `reporting.services.tallies` with no month."""

    agency = models.OneToOneField(
        "enforcement.Agency",
        verbose_name=_("执法主体"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="+",
    )
    # published items of its power-and-responsibility list (R1–R3)
    published_items = _count(_("已公布事项"))
    # its enforcement cases waiting in each stage before archiving (R6)
    cases_initiation = _count(_("立案阶段的案件"))
    cases_investigation = _count(_("调查取证阶段的案件"))
    cases_decision = _count(_("审查决定阶段的案件"))
    cases_service = _count(_("送达执行阶段的案件"))

    class Meta:
        verbose_name = _("执法主体现状统计")
        verbose_name_plural = _("执法主体现状统计")

    def __str__(self) -> str:
        return str(self.agency_id)


class DiscretionTally(models.Model):
    """R7: how the discretion benchmarks were applied, per agency, power item and year of issue,
    so that the discretion report reads a few rows per agency instead of the year's decisions.

    Kept by `reporting.services.discretion` (each change recounts the groups it touches, under
    the group row's lock: a smallest or largest fine cannot be taken back by a difference), and
    rebuilt with the monthly tallies by `tallies_rebuild`. Decisions of the kind "other" are
    counted apart: the report covers them only for an item of the trial's categories, read when
    the report is asked for."""

    agency = _agency_key()
    item = models.ForeignKey(
        "enforcement.PowerItem",
        verbose_name=_("职权事项"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    year = models.PositiveSmallIntegerField(_("年度"))
    # the item as its cases recorded it (the largest of the group's codes and names)
    item_code = models.CharField(_("事项编码"), max_length=50, blank=True, db_default="")
    item_name = models.CharField(_("事项名称"), max_length=200, blank=True, db_default="")
    # issued penalties (every kind but "other"), and of those naming a tier
    penalties = _count(_("行政处罚决定"))
    penalties_with_tier = _count(_("适用裁量基准的处罚决定"))
    # issued decisions of the kind "other", and of those naming a tier
    others = _count(_("其他决定"))
    others_with_tier = _count(_("适用裁量基准的其他决定"))
    # fines naming a tier: within its range, below it, above it
    fines_within = _count(_("罚款在幅度内"))
    fines_below = _count(_("低于幅度"))
    fines_above = _count(_("高于幅度"))
    fine_min = models.DecimalField(
        _("最低罚款（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    fine_max = models.DecimalField(
        _("最高罚款（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )

    class Meta:
        verbose_name = _("裁量基准适用统计")
        verbose_name_plural = _("裁量基准适用统计")
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "item", "year"], name="discretion_tally_once"
            ),
        ]
        # the report: one year's rows of the agencies in scope
        indexes = [models.Index(fields=["year", "agency"], name="discretion_tally_year")]

    def __str__(self) -> str:
        return f"{self.agency_id} {self.item_id} {self.year}"
