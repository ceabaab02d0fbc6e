"""Disclosure (R9): what the public reads of an issued decision.

The disclosure is a snapshot written when the decision is issued, already redacted (natural
persons' names partly masked, identity numbers and addresses removed); public pages and the
public API read only this table, never the case.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class DecisionDisclosure(models.Model):
    """The public, redacted text of an issued decision (行政执法决定公示)."""

    decision = models.OneToOneField(
        "enforcement.Decision", on_delete=models.PROTECT, related_name="disclosure"
    )
    agency = models.ForeignKey(
        "enforcement.Agency",
        verbose_name=_("执法主体"),
        on_delete=models.PROTECT,
        related_name="disclosures",
    )
    title = models.CharField(_("标题"), max_length=300)
    item_code = models.CharField(_("事项编码"), max_length=50)
    item_name = models.CharField(_("事项名称"), max_length=200)
    # R9: the decision's official number and the legal bases it applied (title, document
    # number, articles), as issued.
    document_number = models.CharField(_("决定书文号"), max_length=60, blank=True)
    legal_bases = models.JSONField(_("适用的执法依据"), default=list, blank=True)
    kind = models.CharField(_("决定种类"), max_length=16)
    kind_label = models.CharField(_("决定种类"), max_length=50)
    fine_amount = models.DecimalField(
        _("罚款金额（元）"), max_digits=14, decimal_places=2, null=True, blank=True
    )
    parties = models.CharField(_("当事人"), max_length=500)
    text = models.TextField(_("决定内容"))
    decided_on = models.DateField(_("决定日期"))
    disclosed_at = models.DateTimeField(_("公示时间"), auto_now_add=True)
    # Set when a reconsideration or court revokes or changes the decision (R13): the page says so.
    remedy_note = models.CharField(_("复议、诉讼结果"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("执法决定公示")
        verbose_name_plural = _("执法决定公示")
        ordering = ["-disclosed_at", "-pk"]
        indexes = [
            models.Index(fields=["-disclosed_at", "-id"], name="disclosure_recent"),
            models.Index(fields=["agency", "-disclosed_at"], name="disclosure_agency_recent"),
            # The public list narrowed by decision date (its year and date filters), in the
            # order it then lists them (`filters.disclosures.BY_DECISION_DATE`).
            models.Index(fields=["-decided_on", "-disclosed_at", "-id"], name="disclosure_decided"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("disclosures:detail", args=[self.pk])
