import json
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def minutes(value: timedelta | None) -> int:
    """A duration in whole minutes, rounded up (a lockout is never shorter than shown)."""
    if not value:
        return 0
    return -(-int(value.total_seconds()) // 60)


@register.filter
def json_attr(value) -> str:
    """`value` as JSON, for an HTML attribute (autoescaping turns its quotes into entities)."""
    return json.dumps(value, ensure_ascii=False)


# A status's tone, by its stored value. Values mean the same across the apps (a draft is still
# being written, `returned` waits for its author, `overdue` is late); where one value means
# different things the template passes the tone itself.
TONES = ("grey", "blue", "amber", "green", "red", "purple")
STATUS_TONES = {
    # still being written, or no longer in force: nobody is waiting on it
    **dict.fromkeys(("draft", "none", "expired", "cleared", "amended", "internal"), "grey"),
    # with someone, moving normally
    **dict.fromkeys(
        (
            "submitted",
            "legal_passed",
            "in_review",
            "registered",
            "accepted",
            "handling",
            "raised",
            "answered",
            "open",
            "pending",
            "checking",
            "checked",
            "importing",
            "sent",
            "receipted",
            "received",
            "initiation",
            "investigation",
            "decision",
            "service",
            "notice",
            "qualified",
            "region",
        ),
        "blue",
    ),
    # waiting on its author, or a change not yet through
    **dict.fromkeys(("returned", "withdrawing", "withdraw_passed", "suspended", "revise"), "amber"),
    # done, in force, agreed
    **dict.fromkeys(
        (
            "published",
            "agreed",
            "agree",
            "issued",
            "done",
            "closed",
            "decided",
            "active",
            "valid",
            "approved",
            "excellent",
            "concluded",
            "archiving",
            "in_force",
            "public",
        ),
        "green",
    ),
    # refused, failed, late, withdrawn from force
    **dict.fromkeys(
        (
            "failed",
            "refused",
            "rejected",
            "overdue",
            "repealed",
            "unqualified",
            "disagree",
            "withdrawn",
        ),
        "red",
    ),
    # sent elsewhere
    **dict.fromkeys(("transferred", "transfer"), "purple"),
}


@register.filter
def status_tone(value) -> str:
    """The badge tone (grey, blue, amber, green, red, purple) of a status; grey if unknown."""
    return STATUS_TONES.get(str(value), "grey")


@register.inclusion_tag("portal/_status_badge.html")
def status_badge(value, label=None, tone=None) -> dict:
    """A status as a coloured badge that always carries its label (colour is never the only sign).

    `{% status_badge item.status item.get_status_display %}`; a third argument names the tone
    where the value alone does not say it (`"amber"` for an open rectification order)."""
    if tone not in TONES:
        tone = status_tone(value)
    return {"value": value, "label": value if label in (None, "") else label, "tone": tone}


@register.filter
def yuan(value) -> str:
    """An amount of money with thousands separators and two decimals: 12345 → "12,345.00 元".

    Empty for no amount; a value that is not a number is shown as it is."""
    if value is None or value == "":
        return ""
    try:
        amount = Decimal(str(value)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    except (InvalidOperation, ValueError):
        return str(value)
    return _("%(amount)s 元") % {"amount": f"{amount:,.2f}"}
