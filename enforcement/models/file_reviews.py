"""Case-file review (案卷评查, R20, R21): a supervisor scores a closed case against the checklist;
the assessment of agencies and officers aggregates the scores."""

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

# The checklist: (field, label, points). Completeness of the record is 5 points per stage.
CHECKLIST = (
    ("completeness", _("各阶段记录完整（每阶段 5 分）"), 25),
    ("procedure", _("程序合法"), 15),
    ("evidence", _("证据确实充分"), 15),
    ("decision", _("决定适用依据正确、裁量适当"), 20),
    ("service", _("送达执行规范"), 10),
    ("archive", _("归档质量"), 15),
)


def _score(label, points: int) -> models.PositiveSmallIntegerField:
    return models.PositiveSmallIntegerField(label, validators=[MaxValueValidator(points)])


class CaseFileReview(models.Model):
    """One supervisor's checklist score of one closed case (out of 100)."""

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
    completeness = _score(CHECKLIST[0][1], 25)
    procedure = _score(CHECKLIST[1][1], 15)
    evidence = _score(CHECKLIST[2][1], 15)
    decision = _score(CHECKLIST[3][1], 20)
    service = _score(CHECKLIST[4][1], 10)
    archive = _score(CHECKLIST[5][1], 15)
    total = models.PositiveSmallIntegerField(_("总分"))
    findings = models.TextField(_("评查意见"), max_length=5000)

    class Meta:
        verbose_name = _("案卷评查")
        verbose_name_plural = _("案卷评查")
        ordering = ["case", "-reviewed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=Q(completeness__lte=25)
                & Q(procedure__lte=15)
                & Q(evidence__lte=15)
                & Q(decision__lte=20)
                & Q(service__lte=10)
                & Q(archive__lte=15),
                name="case_file_review_scores_in_range",
            ),
            models.CheckConstraint(
                condition=Q(
                    total=models.F("completeness")
                    + models.F("procedure")
                    + models.F("evidence")
                    + models.F("decision")
                    + models.F("service")
                    + models.F("archive")
                ),
                name="case_file_review_total_is_sum",
            ),
            models.CheckConstraint(condition=~Q(findings=""), name="case_file_review_findings"),
        ]
        indexes = [models.Index(fields=["-reviewed_at"], name="case_file_review_recent")]

    def __str__(self) -> str:
        return f"{self.case_id} {self.total}"
