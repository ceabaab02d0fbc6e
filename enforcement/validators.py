"""Validators for identifiers that governments issue."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# GB 32100-2015: the unified social credit code's alphabet and check-digit weights.
_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def credit_code_check_char(first17: str) -> str:
    total = sum(_ALPHABET.index(c) * w for c, w in zip(first17, _WEIGHTS, strict=True))
    return _ALPHABET[(31 - total % 31) % 31]


def validate_credit_code(value: str) -> None:
    """Reject a unified social credit code that is malformed or fails its check character."""
    if len(value) != 18 or any(c not in _ALPHABET for c in value):
        raise ValidationError(
            _("统一社会信用代码应为18位数字或大写字母（不含I、O、Z、S、V）。"), code="format"
        )
    if credit_code_check_char(value[:17]) != value[17]:
        raise ValidationError(_("统一社会信用代码校验位不正确。"), code="checksum")


# GB 11643-1999: the resident identity number's check-digit weights and characters.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_DIGITS = "0123456789"


def validate_resident_id(value: str) -> None:
    """Reject a resident identity number that is malformed or fails its check digit."""
    # ASCII digits only: str.isdigit() also accepts "²" or "１", which int() then chokes on.
    if (
        len(value) != 18
        or any(c not in _DIGITS for c in value[:17])
        or value[17] not in _DIGITS + "X"
    ):
        raise ValidationError(
            _("居民身份证号码应为18位，前17位为数字，末位为数字或X。"), code="format"
        )
    try:
        date(int(value[6:10]), int(value[10:12]), int(value[12:14]))
    except ValueError:
        raise ValidationError(_("居民身份证号码中的出生日期不存在。"), code="birth_date") from None
    total = sum(int(c) * w for c, w in zip(value[:17], _ID_WEIGHTS, strict=True))
    if _ID_CHECK[total % 11] != value[17]:
        raise ValidationError(_("居民身份证号码校验位不正确。"), code="checksum")
