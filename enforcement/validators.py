"""Validators for identifiers that governments issue."""

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
