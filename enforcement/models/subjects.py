"""Enforcement subjects as data (R1, R10, R11): regions, agencies, officers, certificates."""

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase
from simple_history.models import HistoricalRecords

from ..validators import validate_credit_code


class Region(models.Model):
    """A node of the administrative tree: province → city / management committee → county."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("省")
        CITY = "city", _("市（州）")
        COMMITTEE = "committee", _("管委会")
        COUNTY = "county", _("县（市、区）")

    # Which level may sit under which (R10: province / city / county).
    PARENT_LEVELS = {
        Level.PROVINCE: (),
        Level.CITY: (Level.PROVINCE,),
        Level.COMMITTEE: (Level.PROVINCE,),
        Level.COUNTY: (Level.CITY, Level.COMMITTEE),
    }

    name = models.CharField(_("名称"), max_length=100)
    code = models.CharField(_("区划代码"), max_length=12, unique=True)
    level = models.CharField(_("层级"), max_length=12, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级区划"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    # Materialised ancestry ("220000/220100/"), so "this region and below" is one indexed
    # prefix match instead of a recursive query. Kept by save(); never edited by hand. On
    # PostgreSQL db_index adds the varchar_pattern_ops index that LIKE 'prefix%' needs.
    path = models.CharField(max_length=255, editable=False, db_index=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["path"]
        constraints = [
            models.CheckConstraint(
                condition=Q(level="province", parent__isnull=True)
                | (~Q(level="province") & Q(parent__isnull=False)),
                name="region_only_province_is_root",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.path = (self.parent.path if self.parent else "") + f"{self.code}/"
        super().save(*args, **kwargs)

    def clean(self) -> None:
        allowed = self.PARENT_LEVELS.get(self.level, ())
        parent_level = self.parent.level if self.parent else None
        if (parent_level is None and allowed) or (parent_level and parent_level not in allowed):
            raise ValidationError(
                {"parent": _("该层级的区划不能设在所选上级区划之下。")}, code="bad_parent"
            )

    def is_within(self, other: "Region") -> bool:
        """True when this region is `other` or lies below it."""
        return self.path.startswith(other.path)

    def nearest(self, queryset):
        """The row of `queryset` (a model with a `region` field) that belongs to this region or
        to the nearest region above it, or None: settings a government sets for its own region
        and all below, such as complaint channels and major-decision criteria."""
        codes = [code for code in self.path.strip("/").split("/") if code]
        found = {
            row.region.code: row
            for row in queryset.filter(region__code__in=codes).select_related("region")
        }
        return next((found[code] for code in reversed(codes) if code in found), None)


class EnforcementDomain(models.Model):
    """A field of enforcement (执法领域) such as 市场监管 or 生态环境."""

    name = models.CharField(_("名称"), max_length=50, unique=True)

    class Meta:
        verbose_name = _("执法领域")
        verbose_name_plural = _("执法领域")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Agency(models.Model):
    """An enforcement subject (R1): government, department, authorised or delegated organisation."""

    class Kind(models.TextChoices):
        GOVERNMENT = "government", _("人民政府")
        DEPARTMENT = "department", _("政府工作部门")
        AUTHORISED = "authorised", _("法律法规授权组织")
        DELEGATED = "delegated", _("受委托组织")

    class Management(models.TextChoices):
        LOCAL = "local", _("属地管理")
        VERTICAL = "vertical", _("垂直管理")
        DUAL = "dual", _("双重管理")

    name = models.CharField(_("名称"), max_length=100)
    region = models.ForeignKey(
        Region, verbose_name=_("所属区划"), on_delete=models.PROTECT, related_name="agencies"
    )
    kind = models.CharField(_("主体类型"), max_length=12, choices=Kind.choices)
    management = models.CharField(
        _("管理体制"), max_length=10, choices=Management.choices, default=Management.LOCAL
    )
    supervising_agency = models.ForeignKey(
        "self",
        verbose_name=_("上级主管部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervised_agencies",
        help_text=_("垂直管理或双重管理的部门必须填写。"),
    )
    is_legal_office = models.BooleanField(
        _("政府法制部门（司法行政部门）"),
        default=False,
        help_text=_("本级政府的法制机构，负责行政执法监督。"),
    )
    # R8: the establishment office (机构编制部门) gives its opinion on the jurisdiction
    # disputes its government coordinates, before the legal office decides.
    is_establishment_office = models.BooleanField(
        _("机构编制部门"),
        default=False,
        help_text=_("本级机构编制部门，参与协调本级政府管辖的行政执法权限争议。"),
    )
    credit_code = models.CharField(
        _("统一社会信用代码"), max_length=18, unique=True, validators=[validate_credit_code]
    )
    address = models.CharField(_("地址"), max_length=200, blank=True)
    supervision_phone = models.CharField(_("监督电话"), max_length=40, blank=True)
    domains = models.ManyToManyField(
        EnforcementDomain, verbose_name=_("执法领域"), blank=True, related_name="agencies"
    )

    history = HistoricalRecords(m2m_fields=[domains])

    class Meta:
        verbose_name = _("执法主体")
        verbose_name_plural = _("执法主体")
        ordering = ["region__path", "name"]
        permissions = [
            ("act_for_agency", _("以本单位名义办理事务")),
            ("review_for_agency", _("承担本单位法制审核")),
        ]
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="agency_unique_name_in_region"),
            models.CheckConstraint(
                condition=Q(management="local") | Q(supervising_agency__isnull=False),
                name="agency_vertical_or_dual_has_supervisor",
            ),
            models.UniqueConstraint(
                fields=["region"],
                condition=Q(is_establishment_office=True),
                name="agency_one_establishment_office_per_region",
                violation_error_message=_("本区划已经登记了机构编制部门。"),
            ),
            models.CheckConstraint(
                condition=~Q(is_establishment_office=True, is_legal_office=True),
                name="agency_establishment_office_is_not_the_legal_office",
                violation_error_message=_("机构编制部门和政府法制部门不能是同一单位。"),
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("admin:enforcement_agency_change", args=[self.pk])

    def clean(self) -> None:
        if self.management != self.Management.LOCAL and not self.supervising_agency_id:
            raise ValidationError(
                {"supervising_agency": _("垂直管理或双重管理的部门必须指明上级主管部门。")}
            )
        if self.supervising_agency_id and self.supervising_agency_id == self.pk:
            raise ValidationError({"supervising_agency": _("上级主管部门不能是本单位。")})
        if self.is_establishment_office and self.is_legal_office:
            raise ValidationError(
                {"is_establishment_office": _("机构编制部门和政府法制部门不能是同一单位。")}
            )


class AgencyUserObjectPermission(UserObjectPermissionBase):
    """guardian's direct-foreign-key table: fast joins when scoping by agency."""

    content_object = models.ForeignKey(Agency, on_delete=models.CASCADE)


class AgencyGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Agency, on_delete=models.CASCADE)


class Officer(models.Model):
    """An enforcement officer and the certificate that entitles them to enforce."""

    class CertificateStatus(models.TextChoices):
        VALID = "valid", _("有效")
        SUSPENDED = "suspended", _("暂扣")
        WITHDRAWN = "withdrawn", _("收回")

    name = models.CharField(_("姓名"), max_length=50)
    agency = models.ForeignKey(
        Agency, verbose_name=_("所在单位"), on_delete=models.PROTECT, related_name="officers"
    )
    certificate_number = models.CharField(_("执法证号"), max_length=30, unique=True)
    certificate_status = models.CharField(
        _("证件状态"),
        max_length=10,
        choices=CertificateStatus.choices,
        default=CertificateStatus.VALID,
    )
    status_reason = models.CharField(_("状态变更原因"), max_length=200, blank=True)
    status_date = models.DateField(_("状态变更日期"), null=True, blank=True)
    domains = models.ManyToManyField(
        EnforcementDomain, verbose_name=_("执法领域"), blank=True, related_name="officers"
    )
    user = models.OneToOneField(
        "portal.User",
        verbose_name=_("登录账号"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="officer",
    )

    history = HistoricalRecords(m2m_fields=[domains])

    class Meta:
        verbose_name = _("执法人员")
        verbose_name_plural = _("执法人员")
        ordering = ["agency", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(certificate_status="valid")
                | (~Q(status_reason="") & Q(status_date__isnull=False)),
                name="officer_suspension_or_withdrawal_has_reason_and_date",
            ),
        ]
        indexes = [models.Index(fields=["agency", "certificate_status"])]

    def __str__(self) -> str:
        return f"{self.name}（{self.certificate_number}）"

    def clean(self) -> None:
        if self.certificate_status != self.CertificateStatus.VALID and not (
            self.status_reason and self.status_date
        ):
            raise ValidationError(_("暂扣或收回执法证件必须写明原因和日期。"))

    @property
    def may_enforce(self) -> bool:
        return self.certificate_status == self.CertificateStatus.VALID
