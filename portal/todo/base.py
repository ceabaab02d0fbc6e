"""The shape of a to-do panel: a title, counts each linked to the filtered list it counts, and
the sentence an empty panel says. Each app's panels are built in their own module of this
package; `assembly` picks the ones of a role."""

from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.urls import reverse


@dataclass(frozen=True)
class Entry:
    """One count and the list behind it: the count is the number of rows that list shows the
    same user (tests/portal/test_todo_counts.py holds every entry to it)."""

    key: str  # a stable name, the page's data-count attribute
    label: str
    count: int
    url: str
    level: str = ""  # "warning" (yellow), "alert" (red) or "" (plain)


@dataclass(frozen=True)
class Row:
    """A row listed in the panel itself when no page lists these objects (an open
    rectification order, an evaluation cycle's progress)."""

    label: str
    url: str
    detail: str = ""
    level: str = ""


@dataclass(frozen=True)
class Panel:
    key: str
    title: str
    empty: str  # said when nothing awaits (Chinese first)
    entries: tuple[Entry, ...] = ()
    rows: tuple[Row, ...] = ()
    more: int = 0  # rows not listed (only the first few are)
    links: tuple[tuple[str, str], ...] = field(default=())  # related pages: (label, url)

    @property
    def total(self) -> int:
        return sum(entry.count for entry in self.entries) + len(self.rows) + self.more

    @property
    def is_empty(self) -> bool:
        return self.total == 0


def url(name: str, *args, **query) -> str:
    """A list's address with its filter, e.g. url("cases:list", stage="decision")."""
    address = reverse(name, args=args)
    wanted = {key: value for key, value in query.items() if value not in (None, "")}
    return f"{address}?{urlencode(wanted)}" if wanted else address
