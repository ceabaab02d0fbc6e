import json
from datetime import timedelta

from django import template

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
