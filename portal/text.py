"""Free text from a form or the API, cleaned the same way by every service."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# Markup that would run in a browser if any page ever forgot to escape it; no complaint, note or
# reason needs it. Pages escape all text anyway: this refuses the attempt, with a reason.
_SCRIPT = re.compile(
    r"<\s*/?\s*(?:script|iframe|object|embed|svg|style|link|meta|base|form)\b"
    r"|(?:java|vb)script\s*:"
    r"|\bon[a-z]{3,}\s*=",
    re.IGNORECASE,
)
# A cell that a spreadsheet would run (a function call, or DDE's `cmd|`): exports neutralise
# every cell, and text that starts like one is refused where it is written.
_FORMULA = re.compile(r"^[=+\-@]\s*(?:[A-Za-z_][\w.]*\s*\(|[A-Za-z]+\s*\|)")


def refuse_control_chars(value: str, *, label, lines: bool = True) -> None:
    """Control characters (a terminal's escapes, a bell) have no place in text people read;
    line breaks and tabs are allowed where `lines`. The request guard refuses them at the edge;
    this is the services' own check, for callers that are not requests."""
    allowed = "\n\r\t" if lines else ""
    if any((ord(ch) < 32 and ch not in allowed) or ord(ch) == 127 for ch in value):
        raise ValidationError(_("%(label)s中不能包含控制字符。") % {"label": label}, code="control")


def refuse_code(value: str, *, label, field: str = "") -> None:
    """A ValidationError in Chinese if `value` holds script markup or starts like a formula."""
    if _SCRIPT.search(value):
        message = _("%(label)s中不能包含网页代码（如 <script>、javascript:），请删除后重新提交。")
        code = "script"
    elif _FORMULA.match(value):
        message = _(
            "%(label)s不能以公式开头（如 =HYPERLINK(…)），请删除开头的 = + - @ 符号后重新提交。"
        )
        code = "formula"
    else:
        return
    message = message % {"label": label}
    raise ValidationError({field: message} if field else message, code=code)


def refuse_code_in(instance, fields) -> None:
    """`refuse_code` on each text field of a model instance, named by its verbose name; every
    field's refusal is gathered into one ValidationError keyed by field."""
    errors = {}
    for name in fields:
        value = getattr(instance, name, None)
        if isinstance(value, str) and value:
            label = instance._meta.get_field(name).verbose_name
            try:
                refuse_code(value, label=label)
            except ValidationError as exc:
                errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)


def clean_text(value, *, label, max_length: int, required: bool = True, field: str = "") -> str:
    """`value` stripped of NUL and surrounding blanks; refused in Chinese if it is required and
    empty, longer than `max_length`, or holds script markup or a formula. With `field`, the
    error names that field."""
    value = (value or "").replace("\x00", "").strip()
    if required and not value:
        message, code = _("请填写%(label)s。") % {"label": label}, "required"
    elif len(value) > max_length:
        message = _("%(label)s不能超过 %(max)s 个字。") % {"label": label, "max": max_length}
        code = "too_long"
    else:
        refuse_code(value, label=label, field=field)
        return value
    raise ValidationError({field: message} if field else message, code=code)
