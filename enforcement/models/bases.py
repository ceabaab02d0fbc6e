"""Legal bases (laws, regulations, rules, normative documents) and the changes to them (R2)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from simple_history.models import HistoricalRecords


class LegalBasis(models.Model):
    """A legal document that sets or implements enforcement powers."""

    class Level(models.TextChoices):
        LAW = "law", _("法律")
        ADMIN_REGULATION = "admin_regulation", _("行政法规")
        LOCAL_REGULATION = "local_regulation", _("地方性法规")
        RULE = "rule", _("规章")
        NORMATIVE = "normative", _("规范性文件")

    class Status(models.TextChoices):
        IN_FORCE = "in_force", _("现行有效")
        AMENDED = "amended", _("已修改")
        REPEALED = "repealed", _("已废止")

    title = models.CharField(_("名称"), max_length=200)
    issuer = models.CharField(_("制定机关"), max_length=100)
    document_number = models.CharField(_("文号"), max_length=100, blank=True)
    level = models.CharField(_("效力层级"), max_length=20, choices=Level.choices)
    published_on = models.DateField(_("公布日期"))
    effective_on = models.DateField(_("施行日期"), null=True, blank=True)
    status = models.CharField(
        _("时效性"), max_length=10, choices=Status.choices, default=Status.IN_FORCE
    )
    # R2: the fields of enforcement a basis governs. A new law cites no item yet: its enactment
    # reaches the agencies of these domains.
    domains = models.ManyToManyField(
        "enforcement.EnforcementDomain",
        verbose_name=_("执法领域"),
        blank=True,
        related_name="legal_bases",
        help_text=_("新制定的依据据此通知相关领域的执法主体调整权责清单。"),
    )

    history = HistoricalRecords(m2m_fields=[domains])

    class Meta:
        verbose_name = _("执法依据")
        verbose_name_plural = _("执法依据")
        ordering = ["title"]
        constraints = [
            models.UniqueConstraint(
                fields=["title", "document_number"], name="legal_basis_unique_title_number"
            ),
            models.CheckConstraint(
                condition=Q(effective_on__isnull=True)
                | Q(effective_on__gte=models.F("published_on")),
                name="legal_basis_effective_not_before_published",
            ),
        ]

    def __str__(self) -> str:
        return f"《{self.title}》"


class BasisChange(models.Model):
    """An event that obliges agencies to revise their lists within one month (R2).

    Either a legal basis was enacted, amended, repealed or interpreted (立改废释), or an agency's
    functions changed (merged, renamed, approvals cancelled or delegated down).
    """

    class Kind(models.TextChoices):
        ENACTED = "enacted", _("制定")
        AMENDED = "amended", pgettext_lazy("a change to a legal basis", "修改")
        REPEALED = "repealed", _("废止")
        INTERPRETED = "interpreted", _("解释")
        FUNCTIONS_CHANGED = "functions_changed", _("机构职能调整")

    kind = models.CharField(_("变化类型"), max_length=20, choices=Kind.choices)
    basis = models.ForeignKey(
        LegalBasis,
        verbose_name=_("执法依据"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="changes",
    )
    agency = models.ForeignKey(
        "enforcement.Agency",
        verbose_name=_("职能调整的单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="function_changes",
    )
    published_on = models.DateField(_("公布日期"))
    summary = models.TextField(_("变化内容"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("登记人"), on_delete=models.PROTECT
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("依据或职能变化")
        verbose_name_plural = _("依据或职能变化")
        ordering = ["-published_on", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="functions_changed") & Q(agency__isnull=False))
                | (~Q(kind="functions_changed") & Q(basis__isnull=False)),
                name="basis_change_names_its_basis_or_agency",
            ),
            # A basis is enacted once: its enactment's tasks are opened once per agency.
            models.UniqueConstraint(
                fields=["basis"], condition=Q(kind="enacted"), name="basis_enacted_once"
            ),
        ]

    def __str__(self) -> str:
        subject = self.basis if self.basis_id else self.agency
        return f"{subject} {self.get_kind_display()}（{self.published_on:%Y-%m-%d}）"
