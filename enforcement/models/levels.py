"""Level jurisdiction (级别管辖, R10): for one enforcement domain, what the province, the city
and the county level each handle, and on which basis.

A region records the split for a domain; the split of the nearest region up the tree applies
(a province's split holds for every city and county below it until one records its own). Each
level has a text, which the public pages show, and the categories of power it exercises
(行政许可, 行政处罚 ...), which is what the flags compare an item with: an item of a category
that the split gives to other levels only is flagged to the supervisor with the reason.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .powers import Category, Level


class LevelSplit(models.Model):
    """R10: the province / city / county split of one domain, set by a region for itself and
    every region below it."""

    region = models.ForeignKey(
        "enforcement.Region",
        verbose_name=_("规定地区"),
        on_delete=models.PROTECT,
        related_name="level_splits",
    )
    domain = models.ForeignKey(
        "enforcement.EnforcementDomain",
        verbose_name=_("执法领域"),
        on_delete=models.PROTECT,
        related_name="level_splits",
    )
    province_scope = models.TextField(_("省级管辖"), max_length=2000, blank=True)
    city_scope = models.TextField(_("市级管辖"), max_length=2000, blank=True)
    county_scope = models.TextField(_("县级管辖"), max_length=2000, blank=True)
    # Lists of `Category` values: which kinds of power each level exercises in this domain.
    province_categories = models.JSONField(_("省级行使的职权类别"), default=list, blank=True)
    city_categories = models.JSONField(_("市级行使的职权类别"), default=list, blank=True)
    county_categories = models.JSONField(_("县级行使的职权类别"), default=list, blank=True)
    legal_basis = models.ForeignKey(
        "enforcement.LegalBasis",
        verbose_name=_("划分的法律依据"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="level_splits",
    )
    basis_document = models.CharField(
        _("划分依据（条款或文件）"),
        max_length=300,
        blank=True,
        help_text=_("所依据的条款，或规定级别管辖的文件及其文号。"),
    )
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("修改人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("修改时间"), auto_now=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("级别管辖划分")
        verbose_name_plural = _("级别管辖划分")
        ordering = ["region__path", "domain__name"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "domain"],
                name="level_split_once_per_region_and_domain",
                violation_error_message=_("本地区已经规定了该领域的级别管辖划分，请修改原有划分。"),
            ),
            models.CheckConstraint(
                condition=Q(legal_basis__isnull=False) | ~Q(basis_document=""),
                name="level_split_has_a_basis",
                violation_error_message=_("请写明级别管辖划分的依据。"),
            ),
            models.CheckConstraint(
                condition=~Q(province_scope="", city_scope="", county_scope=""),
                name="level_split_says_what_a_level_handles",
                violation_error_message=_("请至少写明一个层级管辖的事项。"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.region}·{self.domain}"

    def categories_of(self, level: str) -> list[str]:
        return list(getattr(self, f"{level}_categories") or [])

    def scope_of(self, level: str) -> str:
        return getattr(self, f"{level}_scope")

    @property
    def basis_text(self) -> str:
        """The basis as the pages show it: the law's title, then the articles or the document."""
        parts = [str(self.legal_basis) if self.legal_basis_id else "", self.basis_document]
        return "".join(part for part in parts if part)

    def levels(self) -> list[dict]:
        """Each level with what it handles and its categories' names, province first."""
        names = dict(Category.choices)
        return [
            {
                "value": level.value,
                "label": level.label,
                "scope": self.scope_of(level.value),
                "categories": [names.get(c, c) for c in self.categories_of(level.value)],
            }
            for level in Level
        ]
