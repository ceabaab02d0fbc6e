"""Free text from a form or the API, cleaned the same way by every service."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def clean_text(value, *, label, max_length: int, required: bool = True, field: str = "") -> str:
    """`value` stripped of NUL and surrounding blanks; refused in Chinese if it is required and
    empty, or longer than `max_length`. With `field`, the error names that field."""
    value = (value or "").replace("\x00", "").strip()
    if required and not value:
        message, code = _("请填写%(label)s。") % {"label": label}, "required"
    elif len(value) > max_length:
        message = _("%(label)s不能超过 %(max)s 个字。") % {"label": label, "max": max_length}
        code = "too_long"
    else:
        return value
    raise ValidationError({field: message} if field else message, code=code)
