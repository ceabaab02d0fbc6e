"""Numbers and ids from query strings, bodies and path segments, parsed one way.

ASCII digits only: `str.isdigit()` also accepts "²" (which `int()` then refuses with an error)
and `int()` accepts "１２" and "٣" (digits of other scripts), so neither is used on what a user
sends. Every parse is bounded: an id fits the database's bigint, a page number or size its range.
A bad value is a ValidationError with a Chinese message naming what was wrong.
"""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

MAX_ID = 2**63 - 1  # PostgreSQL's bigint
_ASCII_DIGITS = re.compile(r"[0-9]{1,19}")


def ascii_int(raw, *, label: str, minimum: int = 0, maximum: int = MAX_ID) -> int:
    """`raw` (a str or an int) as an int in [minimum, maximum], or a ValidationError in Chinese."""
    text = str(raw).strip() if isinstance(raw, str | int) and not isinstance(raw, bool) else ""
    if not _ASCII_DIGITS.fullmatch(text) or not minimum <= int(text) <= maximum:
        raise ValidationError(
            _("%(label)s应为 %(min)s 至 %(max)s 之间的整数（半角数字）。"),
            code="bad_number",
            params={"label": label, "min": minimum, "max": maximum},
        )
    return int(text)


def optional_int(raw, *, label: str, default=None, minimum: int = 0, maximum: int = MAX_ID):
    """As `ascii_int`, with `default` for a missing or empty value."""
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return default
    return ascii_int(raw, label=label, minimum=minimum, maximum=maximum)


def is_ascii_int(raw, *, minimum: int = 0, maximum: int = MAX_ID) -> bool:
    """True if `raw` parses as above (for callers that word their own message)."""
    try:
        ascii_int(raw, label="", minimum=minimum, maximum=maximum)
    except ValidationError:
        return False
    return True


def object_id(raw, *, label: str) -> int:
    """A database id named by the user (a filter, a form field): 1 to bigint's maximum."""
    return ascii_int(raw, label=label, minimum=1)


def is_object_id(raw) -> bool:
    """True if `raw` could be an id at all (for lookups that treat anything else as no match)."""
    return is_ascii_int(raw, minimum=1)
