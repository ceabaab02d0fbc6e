"""The template workbook the import page offers (issue 14): the headings the importer reads, in
the order of `headers.SYNONYMS` (each field's first name), one example row an agency can import
as it is (its own name, a basis in force from the library), drop-down lists for the category and
the level, and a sheet of instructions. What the template says is what `rows.check_row` accepts.
"""

import io

from django.utils.translation import gettext as _

from portal.spreadsheets import neutralise

from ..models import Agency, LegalBasis
from ..models.powers import Category, Level
from .headers import SYNONYMS

# The columns in the template, in order: each field's first heading; bases twice (设定依据,
# 实施依据), as most published lists have them.
COLUMNS = [
    ("code", SYNONYMS["code"][0]),
    ("name", SYNONYMS["name"][0]),
    ("sub_item", SYNONYMS["sub_item"][0]),
    ("category", SYNONYMS["category"][0]),
    ("bases", SYNONYMS["bases"][0]),
    ("bases", SYNONYMS["bases"][1]),
    ("agency", SYNONYMS["agency"][0]),
    ("handling_unit", SYNONYMS["handling_unit"][0]),
    ("level", SYNONYMS["level"][0]),
    ("responsibilities", SYNONYMS["responsibilities"][0]),
    ("accountability", SYNONYMS["accountability"][0]),
    ("process", SYNONYMS["process"][0]),
    ("remarks", SYNONYMS["remarks"][0]),
]
SHEET = "权责清单"
EXAMPLE_CODE = "示例-001"
LEVEL_LABELS = {Level.PROVINCE: "省级", Level.CITY: "市级", Level.COUNTY: "县级"}
REGION_LEVELS = {"province": Level.PROVINCE, "city": Level.CITY, "committee": Level.CITY}


def _example(agency: Agency) -> dict:
    basis = (
        LegalBasis.objects.filter(status=LegalBasis.Status.IN_FORCE)
        .order_by("-published_on", "pk")
        .values_list("title", flat=True)
        .first()
    )
    cited = f"《{basis}》第一条" if basis else ""
    return {
        "code": EXAMPLE_CODE,
        "name": _("（示例）食品经营许可"),
        "sub_item": "",
        "category": str(Category.LICENSING.label),
        "bases": cited,
        "agency": agency.name,
        "handling_unit": _("行政审批科"),
        "level": LEVEL_LABELS[REGION_LEVELS.get(agency.region.level, Level.COUNTY)],
        "responsibilities": _("受理、审查、决定、送达"),
        "accountability": _("对符合条件的申请不予受理的"),
        "process": _("申请—受理—审查—决定—送达"),
        "remarks": _("示例行：请改写为本单位的事项，或删除本行后填写"),
    }


def template_workbook(agency: Agency) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    example = _example(agency)
    book = Workbook()
    sheet = book.active
    sheet.title = SHEET
    sheet.append([heading for _field, heading in COLUMNS])
    # The second basis column stays empty in the example: one citation is enough.
    seen_bases = False
    row = []
    for field, _heading in COLUMNS:
        if field == "bases":
            row.append("" if seen_bases else neutralise(example["bases"]))
            seen_bases = True
        else:
            row.append(neutralise(example[field]))
    sheet.append(row)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="FDE6E4")
        cell.alignment = Alignment(wrap_text=True, vertical="center")
    for index, (field, _heading) in enumerate(COLUMNS, start=1):
        width = 36 if field in ("bases", "responsibilities", "accountability", "process") else 16
        sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = width
    sheet.freeze_panes = "A2"
    _drop_down(sheet, DataValidation, "category", [str(label) for _v, label in Category.choices])
    _drop_down(sheet, DataValidation, "level", list(LEVEL_LABELS.values()))

    notes = book.create_sheet(_("填写说明"))
    for line in _instructions(agency):
        notes.append([line])
    notes.column_dimensions["A"].width = 100
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _drop_down(sheet, validation_class, field: str, options: list[str]) -> None:
    column = next(i for i, (name, _h) in enumerate(COLUMNS, start=1) if name == field)
    letter = sheet.cell(row=1, column=column).column_letter
    validation = validation_class(
        type="list", formula1='"' + ",".join(options) + '"', allow_blank=field == "level"
    )
    validation.error = _("请从下拉列表中选择。")
    validation.errorTitle = _("取值不在列表中")
    sheet.add_data_validation(validation)
    validation.add(f"{letter}2:{letter}5000")


def _instructions(agency: Agency) -> list[str]:
    categories = "、".join(str(label) for _v, label in Category.choices)
    return [
        _("权责清单导入模板 · 填写说明"),
        "",
        _("1. 在“权责清单”工作表中每行填写一个事项，第一行的列名不要改动。"),
        _("2. 事项编码、事项名称、权力类型、执法依据必填；事项编码在本单位内不得重复。"),
        _("3. 权力类型可选：%(list)s。") % {"list": categories},
        _("4. 依据写作《法规名称》第×条，多部依据以“；”分隔；法规须已在依据库中且现行有效。"),
        _("5. 实施主体填写本单位全称（%(agency)s），或留空。") % {"agency": agency.name},
        _("6. 行使层级可选：省级、市级、县级；留空时按本单位所在层级。"),
        _("7. 示例行可以直接导入检查；正式导入前请改写或删除。"),
        _("8. 上传后系统先逐行检查并报告问题，确认后才导入为草稿。"),
    ]
