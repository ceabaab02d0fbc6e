"""The column headings of government power-list workbooks, and finding the heading row."""

import re
from dataclasses import dataclass, field

# Field → the headings that name it in the layouts in use (first match wins, except bases,
# which may come in two columns: 设定依据 and 实施依据).
SYNONYMS: dict[str, tuple[str, ...]] = {
    "code": ("事项编码", "编码", "权力编码", "职权编码", "事项代码", "权力事项编码"),
    "name": ("事项名称", "职权名称", "权力名称", "权力事项名称", "主项名称"),
    "sub_item": ("子项名称", "子项"),
    "category": ("权力类型", "职权类别", "事项类型", "职权类型", "权力类别"),
    "bases": ("设定依据", "实施依据", "法律依据", "执法依据", "依据"),
    "agency": ("实施主体", "实施机关", "行使主体"),
    "handling_unit": ("承办机构", "承办科室", "内设机构"),
    "level": ("行使层级", "层级"),
    "responsibilities": ("责任事项",),
    "accountability": ("追责情形",),
    "process": ("办理流程", "运行流程"),
    "remarks": ("备注",),
}
HEADER_SEARCH_ROWS = 10  # the heading is within the first rows, below any title rows
_LOOKUP = {heading: name for name, headings in SYNONYMS.items() for heading in headings}
_NOISE = re.compile(r"[\s*＊:：]|[（(]\s*必填\s*[)）]")


def normalise(text) -> str:
    return _NOISE.sub("", str(text)) if text is not None else ""


@dataclass
class Header:
    row_number: int  # 1-based, as Excel shows it
    columns: dict[str, int] = field(default_factory=dict)  # field → 0-based column
    basis_columns: list[int] = field(default_factory=list)


def match_header(values, row_number: int) -> Header | None:
    """The row as a heading, if it names the item and at least two other known columns."""
    header = Header(row_number=row_number)
    for index, value in enumerate(values):
        name = _LOOKUP.get(normalise(value))
        if name == "bases":
            header.basis_columns.append(index)
        elif name and name not in header.columns:
            header.columns[name] = index
    known = len(header.columns) + (1 if header.basis_columns else 0)
    if "name" in header.columns and known >= 3:
        return header
    return None
