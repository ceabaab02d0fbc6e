"""Checking one data row of a power-list workbook; every problem is a sentence in Chinese."""

import re
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.translation import gettext as _

from ..models.powers import Category, Level

LIMITS = {"code": 50, "name": 200, "sub_item": 200, "handling_unit": 100}
TEXT_FIELDS = ("responsibilities", "accountability", "process", "remarks")
ARTICLES_LIMIT = 200

_CATEGORY = {}
for _value, _label in Category.choices:
    _CATEGORY[str(_label)] = _value
    _CATEGORY[str(_label).removeprefix("行政")] = _value
_CATEGORY.update({"其他": Category.OTHER, "其他权力": Category.OTHER, "其他职权": Category.OTHER})
_LEVEL = {"省": Level.PROVINCE, "市": Level.CITY, "州": Level.CITY, "县": Level.COUNTY}
_BASIS = re.compile(r"《([^《》]+)》([^《》；;\n]*)")
_SPLIT = re.compile(r"[；;\n]+")


@dataclass
class Row:
    number: int  # as Excel shows it
    values: dict = field(default_factory=dict)
    bases: list[tuple[int, str]] = field(default_factory=list)  # (basis id, articles)
    problems: list[str] = field(default_factory=list)

    @property
    def valid(self) -> bool:
        return not self.problems


@dataclass
class Context:
    """What a row is checked against, looked up once per workbook."""

    agency_name: str
    default_level: str
    existing_codes: set[str]
    bases_by_title: dict[str, tuple[int, bool]]  # title → (id, repealed)
    seen_codes: dict[str, int] = field(default_factory=dict)  # code → first row number


def cell_text(value) -> str:
    """A cell as text; a code typed as a number (1001.0) stays 1001."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.strftime("%Y-%m-%d")
    return str(value).replace("\x00", "").strip()


def parse_bases(text: str) -> list[tuple[str, str]]:
    """《中华人民共和国食品安全法》第三十五条；《…》第二条 → [(title, articles), ...]."""
    found = [(title.strip(), rest.strip(" ，,、。")) for title, rest in _BASIS.findall(text)]
    if found:
        return found
    return [(part.strip(), "") for part in _SPLIT.split(text) if part.strip()]


def check_row(number: int, cells: dict[str, str], basis_texts: list[str], ctx: Context) -> Row:
    row = Row(number=number)
    problems = row.problems
    for name, limit in LIMITS.items():
        if len(cells.get(name, "")) > limit:
            problems.append(
                _("“%(column)s”超过 %(limit)s 个字。") % {"column": _column(name), "limit": limit}
            )
    code, name = cells.get("code", ""), cells.get("name", "")
    if not code:
        problems.append(_("缺少事项编码。"))
    elif code in ctx.existing_codes:
        problems.append(_("事项编码“%(code)s”已被本单位的事项使用。") % {"code": code})
    elif code in ctx.seen_codes:
        first = ctx.seen_codes[code]
        problems.append(_("事项编码“%(code)s”与第 %(row)s 行重复。") % {"code": code, "row": first})
    if code and code not in ctx.seen_codes:
        ctx.seen_codes[code] = number
    if not name:
        problems.append(_("缺少事项名称。"))

    raw_category = cells.get("category", "")
    category = _CATEGORY.get(raw_category.replace(" ", ""))
    if not raw_category:
        problems.append(_("缺少职权类别。"))
    elif category is None:
        problems.append(_("未知的职权类别“%(value)s”。") % {"value": raw_category})

    raw_level = cells.get("level", "")
    level = _LEVEL.get(raw_level[:1]) if raw_level else ctx.default_level
    if level is None:
        problems.append(_("未知的行使层级“%(value)s”。") % {"value": raw_level})

    agency = cells.get("agency", "")
    if agency and agency != ctx.agency_name:
        problems.append(
            _("实施主体“%(agency)s”不是本单位，只能导入本单位的事项。") % {"agency": agency}
        )

    cited = [pair for text in basis_texts if text for pair in parse_bases(text)]
    if not cited:
        problems.append(_("缺少执法依据。"))
    for title, articles in cited:
        match = ctx.bases_by_title.get(title)
        if match is None:
            problems.append(_("依据库中没有《%(title)s》。") % {"title": title})
        elif match[1]:
            problems.append(_("《%(title)s》已废止。") % {"title": title})
        elif len(articles) > ARTICLES_LIMIT:
            problems.append(_("《%(title)s》的条款超过 200 个字。") % {"title": title})
        elif match[0] not in {basis_id for basis_id, _a in row.bases}:
            row.bases.append((match[0], articles))

    row.values = {
        "code": code,
        "name": name,
        "sub_item": cells.get("sub_item", ""),
        "category": category,
        "level": level,
        "handling_unit": cells.get("handling_unit", ""),
        **{name: cells.get(name, "") for name in TEXT_FIELDS},
    }
    return row


def _column(name: str) -> str:
    return {
        "code": _("事项编码"),
        "name": _("事项名称"),
        "sub_item": _("子项名称"),
        "handling_unit": _("承办机构"),
    }[name]
