"""What a timeline row holds besides its record and its kind: who acted (none for the beat jobs),
when, and the note. The accountability timelines (clues, referrals, cases) and the reporting ones
(plans, annual reports) are built on it."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("操作人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    at = models.DateTimeField(_("时间"), auto_now_add=True)
    note = models.TextField(_("说明"), blank=True)

    class Meta:
        abstract = True
