"""Case-file review (案卷评查, R20, R21): a supervisor scores a closed case against the checklist;
the assessment of agencies and officers aggregates the scores.

The checklist's items are fixed; their weights are a local choice: each region may set its own
(`CaseFileChecklist`, nearest region up the tree), and the values in `CHECKLIST` are this portal's
defaults, not the policy's (§ 六(二) names case-file review, not its points). A review keeps the
weights it was scored against, so a later change of the region's weights leaves it valid.
"""

from django.conf import settings
from django.db import models
from django.db.models import Exists, F, OuterRef, Q
from django.db.models.lookups import Exact
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .cases import Case, KeepsCaseAgency

# The checklist: (field, label, default points). Defaults of this portal, out of 100 in all;
# a region may weigh the items otherwise (CaseFileChecklist).
CHECKLIST = (
    ("completeness", _("各阶段记录完整（五个阶段）"), 25),
    ("procedure", _("程序合法"), 15),
    ("evidence", _("证据确实充分"), 15),
    ("decision", _("决定适用依据正确、裁量适当"), 20),
    ("service", _("送达执行规范"), 10),
    ("archive", _("归档质量"), 15),
)
CHECKLIST_TOTAL = 100
LOCAL_DEFAULT_WEIGHT = _("本地区设定的默认分值（非政策规定）。")


def _weight(label, points: int) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(label, default=points, help_text=LOCAL_DEFAULT_WEIGHT)


def _sum(prefix: str = "", suffix: str = ""):
    total = None
    for name, _label, _points in CHECKLIST:
        term = F(f"{prefix}{name}{suffix}")
        total = term if total is None else total + term
    return total


class CaseFileChecklist(models.Model):
    """The weights of the checklist in a region and the regions below it (a local choice; the
    defaults are this portal's, not the policy's). They add up to 100."""

    region = models.OneToOneField(
        "enforcement.Region",
        verbose_name=_("行政区划"),
        on_delete=models.PROTECT,
        related_name="case_file_checklist",
        help_text=_("适用于该区划及其下级区划（下级区划另有设定的，适用下级的）。"),
    )
    completeness = _weight(*CHECKLIST[0][1:])
    procedure = _weight(*CHECKLIST[1][1:])
    evidence = _weight(*CHECKLIST[2][1:])
    decision = _weight(*CHECKLIST[3][1:])
    service = _weight(*CHECKLIST[4][1:])
    archive = _weight(*CHECKLIST[5][1:])

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("案卷评查分值")
        verbose_name_plural = _("案卷评查分值")
        constraints = [
            models.CheckConstraint(
                condition=Exact(_sum(), CHECKLIST_TOTAL),
                name="case_file_checklist_sums_to_100",
                violation_error_message=_("六项分值合计须为 100 分。"),
            ),
        ]

    def __str__(self) -> str:
        return str(self.region)

    def weights(self) -> dict[str, int]:
        return {name: getattr(self, name) for name, _label, _points in CHECKLIST}


def _score(label) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(label)


def _points(label, points: int) -> models.PositiveSmallIntegerField:
    # The weight the item was scored against (the region's at the time), kept with the review.
    return models.PositiveSmallIntegerField(
        format_lazy("{}（{}）", label, _("满分")), default=points, editable=False
    )


class CaseFileReview(KeepsCaseAgency):
    """One supervisor's checklist score of one closed case (out of 100), with the weights of the
    region's checklist it was scored against. It keeps its case's agency (`KeepsCaseAgency`): a
    supervisor's reviews are listed and counted from one index per agency in scope."""

    case = models.ForeignKey(
        "enforcement.Case", on_delete=models.PROTECT, related_name="file_reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("评查人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(_("评查时间"), auto_now_add=True)
    completeness = _score(CHECKLIST[0][1])
    procedure = _score(CHECKLIST[1][1])
    evidence = _score(CHECKLIST[2][1])
    decision = _score(CHECKLIST[3][1])
    service = _score(CHECKLIST[4][1])
    archive = _score(CHECKLIST[5][1])
    completeness_points = _points(*CHECKLIST[0][1:])
    procedure_points = _points(*CHECKLIST[1][1:])
    evidence_points = _points(*CHECKLIST[2][1:])
    decision_points = _points(*CHECKLIST[3][1:])
    service_points = _points(*CHECKLIST[4][1:])
    archive_points = _points(*CHECKLIST[5][1:])
    total = models.PositiveSmallIntegerField(_("总分"))
    findings = models.TextField(_("评查意见"), max_length=5000)

    class Meta:
        verbose_name = _("案卷评查")
        verbose_name_plural = _("案卷评查")
        ordering = ["case", "-reviewed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(completeness__lte=F("completeness_points"))
                & Q(procedure__lte=F("procedure_points"))
                & Q(evidence__lte=F("evidence_points"))
                & Q(decision__lte=F("decision_points"))
                & Q(service__lte=F("service_points"))
                & Q(archive__lte=F("archive_points")),
                name="case_file_review_scores_in_range",
            ),
            models.CheckConstraint(
                condition=Exact(_sum("", "_points"), CHECKLIST_TOTAL),
                name="case_file_review_points_sum_to_100",
            ),
            models.CheckConstraint(
                condition=Exact(F("total"), _sum()), name="case_file_review_total_is_sum"
            ),
            models.CheckConstraint(condition=~Q(findings=""), name="case_file_review_findings"),
        ]
        indexes = [
            models.Index(fields=["-reviewed_at"], name="case_file_review_recent"),
            models.Index(fields=["agency", "-reviewed_at"], name="case_file_review_by_agency"),
        ]

    def __str__(self) -> str:
        return f"{self.case_id} {self.total}"

    def save(self, *args, **kwargs):
        """Marks the case's file reviewed (`Case.file_reviewed`)."""
        super().save(*args, **kwargs)
        Case.objects.filter(pk=self.case_id, file_reviewed=False).update(file_reviewed=True)

    def delete(self, *args, **kwargs):
        """The case's file is reviewed while any review of it remains."""
        result = super().delete(*args, **kwargs)
        reviews = CaseFileReview.objects.filter(case_id=OuterRef("pk"))
        Case.objects.filter(pk=self.case_id).update(file_reviewed=Exists(reviews))
        return result

    def points(self) -> dict[str, int]:
        """The weight of each item this review was scored against."""
        return {name: getattr(self, f"{name}_points") for name, _label, _points in CHECKLIST}
