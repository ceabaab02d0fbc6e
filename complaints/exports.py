"""The register as Excel (openpyxl) or CSV, filtered as on the page (R15, R17).

Every row carries the decision and, for a complaint not accepted, its reason (R17: the register
records it). The complainant's identity is masked unless the reader may see it for that row, and
each row shown unmasked is logged. Every text cell is neutralised against spreadsheet formulas
by `portal.spreadsheets`, as every download of the portal.
"""

from collections.abc import Iterator

from django.utils import timezone
from django.utils.translation import gettext as _

from portal import spreadsheets

from .models import Complaint
from .privacy import (
    log_identity_views,
    masked_identity,
    may_see_identity,
    unmasked_identity,
)

EXPORT_LIMIT = 100_000  # a spreadsheet holds about a million rows; a register far fewer
LOG_BATCH = 500


def _header() -> list[str]:
    return [
        _("登记号"),
        _("收件渠道"),
        _("收到日期"),
        _("被投诉单位"),
        _("投诉类型"),
        _("发生日期"),
        _("发生地点"),
        _("执法人员"),
        _("案件或决定书编号"),
        _("投诉事项"),
        _("投诉请求"),
        _("投诉人姓名"),
        _("联系电话"),
        _("电子信箱"),
        _("状态"),
        _("受理告知期限"),
        _("受理决定时间"),
        _("受理决定"),
        _("不予受理理由"),
        _("决定说明"),
        _("转办机关"),
        _("承办人"),
        _("办理期限"),
        _("核查结论"),
        _("处理措施"),
        _("反馈意见"),
        _("办结时间"),
        _("移送问责时间"),
    ]


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _day(value) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


def _identity(complaint: Complaint, unmasked: bool) -> list[str]:
    if complaint.anonymous:
        return [_("匿名"), "", ""]
    identity = unmasked_identity(complaint) if unmasked else masked_identity(complaint)
    return [identity["name"], identity["phone"], identity["email"]]


def _decision(complaint: Complaint) -> str:
    if complaint.decided_at is None:
        return ""
    if complaint.status in (Complaint.Status.REFUSED, Complaint.Status.TRANSFERRED):
        return complaint.get_status_display()
    return _("受理")


def _row(complaint: Complaint, unmasked: bool) -> list[str]:
    values = [
        complaint.number,
        complaint.get_received_via_display(),
        _day(complaint.received_on),
        complaint.agency.name,
        complaint.get_category_display(),
        _day(complaint.occurred_on),
        complaint.place,
        complaint.officer,
        complaint.case_number,
        complaint.description,
        complaint.request,
        *_identity(complaint, unmasked),
        complaint.get_status_display(),
        _day(complaint.acknowledge_by),
        _when(complaint.decided_at),
        _decision(complaint),
        complaint.get_refusal_reason_display() if complaint.refusal_reason else "",
        complaint.decision_note,
        complaint.transferred_to,
        str(complaint.handler) if complaint.handler else "",
        _day(complaint.handling_due),
        complaint.get_result_display() if complaint.result else "",
        complaint.measures,
        complaint.feedback,
        _when(complaint.closed_at),
        _when(complaint.referred_at),
    ]
    return values


def rows(queryset, *, user) -> Iterator[list[str]]:
    """The export's rows; the unmasked ones are logged as they go, in batches."""
    shown = []
    for complaint in queryset[:EXPORT_LIMIT].iterator(chunk_size=2000):
        unmasked = may_see_identity(user, complaint)
        if unmasked:
            shown.append(complaint)
            if len(shown) >= LOG_BATCH:
                log_identity_views(user, shown, where="export")
                shown = []
        yield _row(complaint, unmasked)
    if shown:
        log_identity_views(user, shown, where="export")


def csv_response(queryset, *, user):
    return spreadsheets.csv_response(
        header=_header(),
        rows=rows(queryset, user=user),
        filename=spreadsheets.dated_name(_("投诉登记簿"), "csv"),
        ascii_name="complaint-register.csv",
    )


def xlsx_response(queryset, *, user):
    return spreadsheets.xlsx_response(
        header=_header(),
        rows=rows(queryset, user=user),
        sheet=_("投诉登记簿"),
        filename=spreadsheets.dated_name(_("投诉登记簿"), "xlsx"),
    )
