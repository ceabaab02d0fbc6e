"""Official numbers of enforcement documents (R9): 松市监罚〔2026〕5号.

The form is the agency's abbreviation, the character of the document's kind (立 for a case, 罚
for a penalty decision, 许 for a licence ...), the year in 〔〕 and the sequence number. Each agency
configures its abbreviation and characters (`DocumentNumbering`); the sequence runs per agency,
character and year (`DocumentCounter`), taken with a row-locked upsert inside the transaction
that issues the document, so that it is unique and gapless under concurrency and a rolled-back
issue gives its number back.
"""

import re

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

# Chinese characters and Latin letters only: digits and brackets would make a number ambiguous.
_WORDS = re.compile(r"^[\u4e00-\u9fffA-Za-z]+$")


def validate_document_word(value: str) -> None:
    if not _WORDS.fullmatch(value or ""):
        raise ValidationError(_("只能使用汉字或字母，不能含数字、括号或空格。"), code="invalid")


class DocumentNumbering(models.Model):
    """How an agency numbers its case files and decisions (机关代字 and the kind's character)."""

    agency = models.OneToOneField(
        "enforcement.Agency",
        verbose_name=_("执法主体"),
        on_delete=models.PROTECT,
        related_name="numbering",
    )
    abbreviation = models.CharField(
        _("机关代字"),
        max_length=20,
        unique=True,
        validators=[validate_document_word],
        help_text=_("如“松市监”；文号为 机关代字 + 文种字 + 〔年份〕+ 序号 + 号。"),
        error_messages={"unique": _("该机关代字已被其他单位使用。")},
    )
    case_word = models.CharField(
        _("立案文种字"), max_length=4, default="立", validators=[validate_document_word]
    )
    penalty_word = models.CharField(
        _("行政处罚决定文种字"), max_length=4, default="罚", validators=[validate_document_word]
    )
    licensing_word = models.CharField(
        _("行政许可决定文种字"), max_length=4, default="许", validators=[validate_document_word]
    )
    coercion_word = models.CharField(
        _("行政强制决定文种字"), max_length=4, default="强", validators=[validate_document_word]
    )
    other_word = models.CharField(
        _("其他决定文种字"), max_length=4, default="决", validators=[validate_document_word]
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("文书编号规则")
        verbose_name_plural = _("文书编号规则")
        ordering = ["agency__region__path", "agency__name"]

    def __str__(self) -> str:
        return f"{self.abbreviation}（{self.agency_id}）"


class DocumentCounter(models.Model):
    """The last sequence number an agency gave for one character in one year."""

    agency = models.ForeignKey("enforcement.Agency", on_delete=models.PROTECT, related_name="+")
    word = models.CharField(max_length=4)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["agency", "word", "year"], name="document_counter_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}/{self.word}/{self.year}: {self.last}"
