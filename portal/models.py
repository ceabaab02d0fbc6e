"""The portal's user: a login, the role given by its group, and where that role applies."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class User(AbstractUser):
    """Agency staff and legal office work for `agency`; a supervisor oversees `region` and below."""

    name = models.CharField(_("姓名"), max_length=50, blank=True)
    agency = models.ForeignKey(
        "enforcement.Agency",
        verbose_name=_("所在单位"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    region = models.ForeignKey(
        "enforcement.Region",
        verbose_name=_("监督区域"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervisors",
    )

    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    class Meta(AbstractUser.Meta):
        verbose_name = _("用户")
        verbose_name_plural = _("用户")
        swappable = "AUTH_USER_MODEL"

    def __str__(self) -> str:
        return self.name or self.username
