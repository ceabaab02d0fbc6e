"""R15, R16: a complaint enters the register, numbered, with its acknowledgement deadline.

The public files on the web or through the API; supervisors register what arrived by phone,
letter, e-mail or in person with the real receipt date, which starts the clock. Everything is
checked before anything is written, and a failure leaves neither a row, a number nor a file.
"""

import hashlib
import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.timezone import localdate
from django.utils.translation import gettext as _

from enforcement.models import Agency, Region
from portal.deferred import deferring
from portal.text import refuse_code
from workdays.deadlines import add_working_days

from .. import access_codes, uploads
from ..models import Attachment, Complaint, ComplaintEvent, ReceivedVia, RegisterCounter
from ..privacy import supervises
from .notifications import notify_complainant

ACKNOWLEDGE_WORKING_DAYS = 5  # R16: "within 5 working days of receipt"
REPEAT_WINDOW = timedelta(minutes=30)  # the same complaint filed again this soon is a repeat
EARLIEST_DATE = date(2000, 1, 1)
PHONE = re.compile(r"^(1[3-9]\d{9}|0\d{2,3}-?\d{7,8}(-\d{1,6})?)$")


class RepeatedSubmission(ValidationError):
    """The same complaint was submitted already; `number` is the one it received."""

    def __init__(self, number: str):
        self.number = number
        super().__init__(
            _(
                "这份投诉已经提交过，登记号为 %(number)s，请勿重复提交。"
                "请使用首次提交时获得的查询码查询办理情况。"
            )
            % {"number": number},
            code="repeated",
        )


@dataclass(frozen=True)
class Receipt:
    """What the complainant takes away: the access code exists only here, never stored."""

    complaint: Complaint
    access_code: str

    @property
    def number(self) -> str:
        return self.complaint.number

    @property
    def acknowledge_by(self) -> date:
        return self.complaint.acknowledge_by


def acknowledge_deadline(received_on: date):
    """R16: the 5th working day after receipt (the day of receipt is not counted)."""
    return add_working_days(start=received_on, days=ACKNOWLEDGE_WORKING_DAYS)


# R15: the register's counter for a region and year, created by its first number; one upsert
# both creates and increments it (the intake benchmark's floor sends this very statement).
_COUNTERS = RegisterCounter._meta.db_table  # a name from the model, never from input
NUMBER_SQL = (
    f"INSERT INTO {_COUNTERS} (region_id, year, last) VALUES (%s, %s, 1) "  # noqa: S608
    f"ON CONFLICT (region_id, year) DO UPDATE SET last = {_COUNTERS}.last + 1 RETURNING last"
)


def take_number(*, region: Region, year: int) -> int:
    """R15: the next number of `region`'s register for `year`, unique and gapless.

    One upsert both creates the year's counter and increments it; its row lock is held until the
    registering transaction ends, so concurrent registrations queue here and a rollback returns
    the number. Call it last in the transaction to hold the lock briefly.
    """
    with connection.cursor() as cursor:
        cursor.execute(NUMBER_SQL, [region.pk, year])
        return cursor.fetchone()[0]


def register_number(*, region_code: str, year: int, sequence: int) -> str:
    """R15: how a complaint's number reads: 220100-2026-000001."""
    return f"{region_code}-{year}-{sequence:06d}"


def _clean_text(value: str, *, field: str, label, max_length: int, required: bool = False) -> str:
    value = (value or "").replace("\x00", "").strip()
    if required and not value:
        raise ValidationError({field: _("请填写%(label)s。") % {"label": label}})
    if len(value) > max_length:
        raise ValidationError(
            {
                field: _("%(label)s不能超过 %(max)s 个字（现有 %(count)s 个）。")
                % {"label": label, "max": max_length, "count": len(value)}
            }
        )
    refuse_code(value, label=label, field=field)
    return value


def _check_date(value, *, field: str, label) -> date:
    if not isinstance(value, date):
        raise ValidationError({field: _("%(label)s不是有效的日期。") % {"label": label}})
    if value > localdate():
        raise ValidationError({field: _("%(label)s不能晚于今天。") % {"label": label}})
    if value < EARLIEST_DATE:
        raise ValidationError({field: _("%(label)s不能早于 2000 年。") % {"label": label}})
    return value


def fingerprint(*, agency_id: int, category: str, description: str, phone: str, email: str) -> str:
    """What makes two filings the same complaint (a repeat within REPEAT_WINDOW is refused)."""
    text = "\x1f".join([str(agency_id), category, re.sub(r"\s+", "", description), phone, email])
    return hashlib.sha256(text.encode()).hexdigest()


def complaint_register(
    *,
    agency: Agency,
    category: str,
    description: str,
    occurred_on: date,
    request: str = "",
    officer: str = "",
    place: str = "",
    case_number: str = "",
    anonymous: bool = False,
    complainant_name: str = "",
    phone: str = "",
    email: str = "",
    attachments=(),
    submission_token: str | None = None,
    received_via: str = ReceivedVia.WEB,
    received_on: date | None = None,
    actor=None,
) -> Receipt:
    """R15, R16: number and register a complaint; returns the receipt with its access code.

    `actor` is None for the public, who always file on the web on today's date; a supervisor
    registering a complaint received otherwise gives the channel and the real receipt date.
    """
    if actor is None:
        received_via, received_on = ReceivedVia.WEB, localdate()
    elif not supervises(actor, Complaint(region=agency.region)):
        raise PermissionDenied(_("只能登记本辖区行政执法机关的投诉。"))
    fields = _checked_fields(
        category=category,
        description=description,
        request=request,
        officer=officer,
        place=place,
        case_number=case_number,
        anonymous=anonymous,
        complainant_name=complainant_name,
        phone=phone,
        email=email,
    )
    occurred_on = _check_date(occurred_on, field="occurred_on", label=_("发生日期"))
    received_on = _check_date(received_on, field="received_on", label=_("收到日期"))
    if received_via not in ReceivedVia.values:
        raise ValidationError({"received_via": _("请选择收件渠道。")})
    checked_files = uploads.check_files(attachments)
    repeat_key = fingerprint(
        agency_id=agency.pk,
        category=fields["category"],
        description=fields["description"],
        phone=fields["phone"],
        email=fields["email"],
    )
    due = acknowledge_deadline(received_on)
    code = access_codes.new_code()
    saved_files = []
    try:
        with transaction.atomic(), deferring():
            _refuse_repeat(submission_token, repeat_key)
            complaint = Complaint(
                agency=agency,
                region=agency.region,
                occurred_on=occurred_on,
                received_via=received_via,
                received_on=received_on,
                registered_by=actor,
                submission_token=submission_token or "",
                fingerprint=repeat_key,
                access_code_hash=access_codes.digest(code),
                acknowledge_by=due.deadline,
                acknowledge_provisional=due.provisional,
                due_on=due.deadline,
                **fields,
            )
            complaint._history_user = actor
            complaint.year = localdate().year
            # The database enforces the model's constraints and the checks above state each of
            # them for the user; re-running them in Python cost half of every public filing.
            # The agency, its region and the actor are rows just read: no existence check.
            complaint.full_clean(
                exclude=["access_code_hash", "sequence", "number", "agency", "region"]
                + ["registered_by"],
                validate_constraints=False,
            )
            store_files(checked_files, saved_files)
            # From take_number to the commit every other registration in this register waits on
            # its row lock. Writing the complaint first under a placeholder number, then
            # numbering it and its history row, halved the waiting but cost two more statements
            # a filing: 0.81 × helpdesk's form against 0.90 × this way (bench/intake_peers.py,
            # 2 cores, where the CPU is the limit), so the number is taken first.
            complaint.sequence = take_number(region=agency.region, year=complaint.year)
            complaint.number = register_number(
                region_code=agency.region.code, year=complaint.year, sequence=complaint.sequence
            )
            complaint.save()
            for attachment in saved_files:
                attachment.complaint = complaint
            Attachment.objects.bulk_create(saved_files)
            complaint.timeline.create(
                kind=ComplaintEvent.Kind.REGISTERED,
                actor=actor,
                public=True,
                note=_("经%(via)s收到，登记号 %(number)s。")
                % {"via": complaint.get_received_via_display(), "number": complaint.number},
            )
            notify_complainant(
                complaint=complaint,
                key=f"{complaint.pk}:registered",
                subject=_("您的投诉已登记"),
                body=_("您对%(agency)s的投诉已登记。我们将于 %(due)s 前告知是否受理。")
                % {"agency": agency, "due": f"{due.deadline:%Y-%m-%d}"},
            )
            # deferring() writes the dashboard's tallies here, last, with the other writes.
    except BaseException as error:
        for attachment in saved_files:
            attachment.file.delete(save=False)
        if isinstance(error, IntegrityError) and submission_token:
            # The same form sent twice at once: the other request took the token first.
            _refuse_repeat(submission_token, "")
        raise
    return Receipt(complaint=complaint, access_code=code)


def _checked_fields(
    *,
    category,
    description,
    request,
    officer,
    place,
    case_number,
    anonymous,
    complainant_name,
    phone,
    email,
) -> dict:
    from ..models import Category

    if category not in Category.values:
        raise ValidationError({"category": _("请选择投诉类型。")})
    fields = {
        "category": category,
        "description": _clean_text(
            description, field="description", label=_("投诉事项"), max_length=5000, required=True
        ),
        "request": _clean_text(request, field="request", label=_("投诉请求"), max_length=2000),
        "officer": _clean_text(officer, field="officer", label=_("执法人员"), max_length=100),
        "place": _clean_text(place, field="place", label=_("发生地点"), max_length=200),
        "case_number": _clean_text(
            case_number, field="case_number", label=_("案件编号"), max_length=100
        ),
        "anonymous": bool(anonymous),
        "complainant_name": "",
        "phone": "",
        "email": "",
    }
    if anonymous:
        return fields  # R16's notice then reaches it only through the tracking page
    fields["complainant_name"] = _clean_text(
        complainant_name, field="complainant_name", label=_("姓名"), max_length=50, required=True
    )
    fields["phone"] = re.sub(r"[\s]", "", phone or "")
    fields["email"] = (email or "").strip()
    if not fields["phone"] and not fields["email"]:
        raise ValidationError(
            {"phone": _("请至少留下联系电话或电子信箱，以便告知受理和办理结果。")}
        )
    if fields["phone"] and not PHONE.match(fields["phone"]):
        raise ValidationError(
            {"phone": _("联系电话格式不正确，请填写手机号码或带区号的固定电话。")}
        )
    if fields["email"]:
        try:
            validate_email(fields["email"])
        except ValidationError:
            raise ValidationError({"email": _("电子信箱格式不正确。")}) from None
    return fields


def _refuse_repeat(submission_token: str | None, repeat_key: str) -> None:
    # Unordered lookups on the token's and the fingerprint's own indexes (an ordered .first()
    # let the planner walk the register's date index instead).
    numbers = Complaint.objects.order_by().values_list("number", flat=True)
    repeat = None
    if submission_token:
        repeat = next(iter(numbers.filter(submission_token=submission_token)[:1]), None)
    if repeat is None:
        recent = numbers.filter(
            fingerprint=repeat_key, registered_at__gte=timezone.now() - REPEAT_WINDOW
        )
        repeat = next(iter(recent[:1]), None)
    if repeat is not None:
        raise RepeatedSubmission(repeat)


def store_files(checked, saved: list, **fields) -> None:
    """Write each checked file to storage and append its unsaved Attachment (with `fields`) to
    `saved`, so that the caller can delete exactly these files if its transaction fails."""
    for item in checked:
        attachment = Attachment(
            original_name=item.original_name,
            extension=item.extension,
            content_type=item.content_type,
            size=item.size,
            sha256=item.sha256,
            **fields,
        )
        attachment.file.save(item.original_name, item.upload, save=False)
        saved.append(attachment)
