"""Jurisdiction disputes between agencies (R8, R10): both claim a matter, or both disclaim it;
the government over both coordinates: its establishment office (机构编制部门) gives its opinion,
then its legal office records a binding decision with its reasons."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .cases import TimelineEvent


class Dispute(models.Model):
    class Kind(models.TextChoices):
        BOTH_CLAIM = "both_claim", _("双方均主张管辖（积极争议）")
        BOTH_DISCLAIM = "both_disclaim", _("双方均不主张管辖（消极争议）")

    class Status(models.TextChoices):
        RAISED = "raised", _("待对方陈述")
        ANSWERED = "answered", _("待协调决定")
        DECIDED = "decided", _("已决定")

    raised_by = models.ForeignKey(
        "enforcement.Agency",
        verbose_name=_("提出单位"),
        on_delete=models.PROTECT,
        related_name="disputes_raised",
    )
    other = models.ForeignKey(
        "enforcement.Agency",
        verbose_name=_("对方单位"),
        on_delete=models.PROTECT,
        related_name="disputes_received",
    )
    kind = models.CharField(_("争议类型"), max_length=14, choices=Kind.choices)
    matter = models.CharField(_("争议事项"), max_length=300)
    statement = models.TextField(_("提出单位的意见和依据"), max_length=5000)
    answer = models.TextField(_("对方单位的意见和依据"), max_length=5000, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=Status.choices, default=Status.RAISED
    )
    # R8: the establishment office's opinion, recorded before the decision and shown with it.
    opinion = models.TextField(_("机构编制部门意见"), max_length=5000, blank=True)
    opinion_office = models.ForeignKey(
        "enforcement.Agency",
        verbose_name=_("提出意见的机构编制部门"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="dispute_opinions",
    )
    opinion_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("意见填写人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    opinion_at = models.DateTimeField(_("提出意见时间"), null=True, blank=True)
    responsible = models.ForeignKey(
        "enforcement.Agency",
        verbose_name=_("决定的管辖单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="disputes_assigned",
    )
    decision = models.TextField(_("协调决定及理由"), max_length=5000, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("决定人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    raised_by_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提出人"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    raised_at = models.DateTimeField(_("提出时间"), default=timezone.now)
    decided_at = models.DateTimeField(_("决定时间"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("管辖争议")
        verbose_name_plural = _("管辖争议")
        ordering = ["-raised_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(raised_by=F("other")), name="dispute_between_two_agencies"
            ),
            models.CheckConstraint(
                condition=~Q(status="decided")
                | (Q(responsible__isnull=False, decided_at__isnull=False) & ~Q(decision="")),
                name="dispute_decided_with_agency_and_reasons",
            ),
            # R8: no decision before the establishment office's opinion (decisions recorded
            # before the opinion was kept carry a note saying so: migration 0012).
            models.CheckConstraint(
                condition=~Q(status="decided") | ~Q(opinion=""),
                name="dispute_decided_after_establishment_opinion",
            ),
        ]
        indexes = [
            models.Index(fields=["raised_by", "-raised_at"], name="dispute_raised_recent"),
            models.Index(fields=["other", "-raised_at"], name="dispute_received_recent"),
            models.Index(fields=["status", "-raised_at"], name="dispute_status_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.raised_by} / {self.other}：{self.matter}"

    def get_absolute_url(self) -> str:
        return reverse("cases:dispute", args=[self.pk])


class DisputeEvent(TimelineEvent):
    """The dispute's timeline: raised, answered, decided, with who and when."""

    class Kind(models.TextChoices):
        RAISED = "raised", _("提出争议")
        ANSWERED = "answered", _("对方陈述")
        OPINION = "opinion", _("机构编制部门意见")
        DECIDED = "decided", _("协调决定")

    dispute = models.ForeignKey(Dispute, on_delete=models.CASCADE, related_name="timeline")
    kind = models.CharField(_("环节"), max_length=10, choices=Kind.choices)

    class Meta:
        verbose_name = _("管辖争议办理记录")
        verbose_name_plural = _("管辖争议办理记录")
        ordering = ["dispute", "at", "pk"]
