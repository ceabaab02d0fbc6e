"""Reading a year's holiday schedule from a simple CSV file, as administrators type it up.

One day per line: date, kind, name — for example `2027-10-01,假日,国庆节` or
`2027-09-26,上班,国庆节`. A header line (`date,kind,name` or `日期,类型,名称`) is optional. The
file may be UTF-8 (with or without BOM, as Excel writes it) or GBK (as Chinese Windows writes it).
Every problem is reported with its line number, and nothing is loaded unless the whole file is
good.
"""

import csv
import io
import re
from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from .models import SpecialDay
from .services import DayInput

MAX_BYTES = 64 * 1024  # a year has a few dozen special days; anything larger is not a schedule
MAX_ERRORS = 20

KINDS = {
    "假日": SpecialDay.Kind.HOLIDAY,
    "假": SpecialDay.Kind.HOLIDAY,
    "休": SpecialDay.Kind.HOLIDAY,
    "holiday": SpecialDay.Kind.HOLIDAY,
    "上班": SpecialDay.Kind.WORKDAY,
    "班": SpecialDay.Kind.WORKDAY,
    "workday": SpecialDay.Kind.WORKDAY,
}
HEADER_WORDS = {"date", "日期"}
# Excel in a Chinese locale saves dates as 2027/1/1; accept that as well as 2027-01-01.
DATE_RE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")


def decode(data: bytes) -> str:
    """The file's text; refuses binary files and encodings other than UTF-8 and GBK."""
    if len(data) > MAX_BYTES:
        raise ValidationError(
            _("文件过大（%(size)d KB），节假日安排文件不应超过 %(max)d KB。")
            % {"size": len(data) // 1024, "max": MAX_BYTES // 1024}
        )
    if b"\x00" in data:
        raise ValidationError(_("这不是 CSV 文本文件（例如 Excel 工作簿），请另存为 CSV 后上传。"))
    for encoding in ("utf-8-sig", "gbk"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ValidationError(_("无法识别文件编码，请以 UTF-8 或 GBK 编码保存 CSV 文件。"))


def parse(data: bytes, *, year: int) -> list[DayInput]:
    """The days listed in the file, all in `year`, or a ValidationError listing every problem."""
    try:
        rows = list(csv.reader(io.StringIO(decode(data))))
    except csv.Error:
        raise ValidationError(_("文件不是有效的 CSV 格式。")) from None
    days, errors, seen = [], [], set()
    for number, row in enumerate(rows, start=1):
        cells = [cell.strip() for cell in row]
        if not any(cells) or (number == 1 and cells[0].lower() in HEADER_WORDS):
            continue
        try:
            day = _parse_row(cells, year=year)
        except ValidationError as exc:
            errors.append(
                _("第 %(line)d 行：%(message)s") % {"line": number, "message": exc.message}
            )
            continue
        if day.date in seen:
            errors.append(
                _("第 %(line)d 行：日期 %(date)s 重复。") % {"line": number, "date": day.date}
            )
        seen.add(day.date)
        days.append(day)
    if errors:
        raise ValidationError(errors[:MAX_ERRORS])
    if not days:
        raise ValidationError(_("文件中没有任何日期。"))
    return days


def _parse_row(cells: list[str], *, year: int) -> DayInput:
    if len(cells) < 2 or len(cells) > 3:
        raise ValidationError(_("每行应为“日期,类型,名称”三列。"))
    text, kind_text = cells[0], cells[1]
    name = cells[2] if len(cells) == 3 else ""
    when = _parse_date(text)
    if when.year != year:
        raise ValidationError(
            _("日期 %(date)s 不在 %(year)d 年内。") % {"date": when.isoformat(), "year": year}
        )
    kind = KINDS.get(kind_text.lower())
    if kind is None:
        raise ValidationError(
            _("无法识别的类型“%(kind)s”，应为“假日”或“上班”（holiday / workday）。")
            % {"kind": kind_text}
        )
    if kind == SpecialDay.Kind.HOLIDAY and not name:
        raise ValidationError(_("法定节假日必须填写节日名称。"))
    if len(name) > SpecialDay._meta.get_field("name").max_length:
        raise ValidationError(_("名称过长。"))
    return DayInput(date=when, kind=kind, name=name)


def _parse_date(text: str) -> date:
    match = DATE_RE.match(text)
    if match is None:
        raise ValidationError(
            _("日期“%(text)s”格式不正确，应为 YYYY-MM-DD。") % {"text": text[:20]}
        )
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        raise ValidationError(_("日期“%(text)s”不存在。") % {"text": text}) from None
