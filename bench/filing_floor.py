"""The floor under a filing: the statements of `POST /api/v1/complaints/`, and nothing else.

A WSGI application that `intake_peers` serves with gunicorn beside the portal (its target
`filing_floor`). Each POST of `complaint_intake.lua`'s JSON writes what the portal's filing writes,
statement for statement, in the same order, in one transaction on its own psycopg2 connection:
the repeat check, the register's number (the same counter row, taken where the portal takes
it), the complaint, its history row, its timeline event, its SMS notice and the agency's monthly
tally; after the commit it pushes one message to Redis, as the portal queues the notice's
delivery. No Django request, no DRF, no ORM, no signals, no Celery: what the database and the
wire cost a filing on this machine, so the portal's figure can be read against it.

At `/number-last/api/v1/complaints/` the register's lock is held for one statement only: the rows
are written under a placeholder number unique to the connection, and the last statement before
the commit takes the number and writes it into the complaint, its history row, its event's note
and its notice's body (target `filing_floor_number_last`): the shortest the lock can be held while
the number is given inside the filing's transaction.

The columns come from the portal's models (Django is set up for their metadata only), so the
floor writes rows of the current schema; the values are those the portal's filing writes for the
same request. The register it writes to is `complaint_intake`'s, and is checked with the portal's
filings (unique, gapless, one complaint per 201).
"""

import datetime as dt
import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django  # noqa: E402

django.setup()

import psycopg2  # noqa: E402
import redis  # noqa: E402
from django.db import connection as django_connection  # noqa: E402
from psycopg2.extras import Json  # noqa: E402

from complaints import access_codes  # noqa: E402
from complaints.models import Complaint, ComplaintEvent, Notification  # noqa: E402
from complaints.services.register import NUMBER_SQL, fingerprint, register_number  # noqa: E402
from reporting.models import MonthTally  # noqa: E402

UTC = dt.UTC
QUEUE = "bench_filing_floor"  # the Redis list its delivery messages go to (emptied by the run)
ACKNOWLEDGE_DAYS = 7  # the floor does not read the calendar: a fixed acknowledgement date


def _insert(model, columns: list[str], returning: str) -> str:
    table = model._meta.db_table
    names = ", ".join(f'"{c}"' for c in columns)
    marks = ", ".join(["%s"] * len(columns))
    return f'INSERT INTO "{table}" ({names}) VALUES ({marks}) RETURNING "{returning}"'  # noqa: S608


def _defaults(model) -> dict:
    """Each column's default, as the model gives it to a new row."""
    return {
        field.column: field.get_db_prep_save(field.get_default(), django_connection)
        for field in model._meta.concrete_fields
        if not field.primary_key
    }


COMPLAINT = _defaults(Complaint)
HISTORY_MODEL = Complaint.history.model
HISTORY_COLUMNS = [f.column for f in HISTORY_MODEL._meta.concrete_fields if not f.primary_key]
EVENT_COLUMNS = [f.column for f in ComplaintEvent._meta.concrete_fields if not f.primary_key]
NOTICE_COLUMNS = [f.column for f in Notification._meta.concrete_fields if not f.primary_key]
NOTICE = _defaults(Notification)

AGENCY_SQL = (
    "SELECT agency.id, agency.name, agency.region_id, region.code FROM enforcement_agency AS agency"
    " JOIN enforcement_region AS region ON region.id = agency.region_id WHERE agency.id = %s"
)
REPEAT_SQL = (
    f'SELECT "number" FROM "{Complaint._meta.db_table}"'  # noqa: S608
    " WHERE fingerprint = %s AND registered_at >= %s LIMIT 1"
)
COMPLAINT_SQL = _insert(Complaint, list(COMPLAINT), "id")
HISTORY_SQL = _insert(HISTORY_MODEL, HISTORY_COLUMNS, "history_id")
EVENT_SQL = _insert(ComplaintEvent, EVENT_COLUMNS, "id")
NOTICE_SQL = _insert(Notification, NOTICE_COLUMNS, "id").replace(
    " RETURNING", ' ON CONFLICT ("key") DO UPDATE SET "key" = EXCLUDED."key" RETURNING'
)
TALLY_SQL = (
    f'INSERT INTO "{MonthTally._meta.db_table}"'  # noqa: S608
    " (agency_id, month, ack_undecided, status_registered, complaints_received)"
    " VALUES (%s, %s, 1, 1, 1) ON CONFLICT (agency_id, month) DO UPDATE SET"
    ' ack_undecided = "{table}".ack_undecided + 1,'
    ' status_registered = "{table}".status_registered + 1,'
    ' complaints_received = "{table}".complaints_received + 1'
).replace("{table}", MonthTally._meta.db_table)

_TABLES = {
    "complaint": Complaint._meta.db_table,
    "history": HISTORY_MODEL._meta.db_table,
    "event": ComplaintEvent._meta.db_table,
    "notice": Notification._meta.db_table,
}
NUMBER_LAST_SQL = """
WITH counter AS ({number}),
complaint AS (
    UPDATE "{complaint}"
    SET sequence = counter.last, number = %s || lpad(counter.last::text, 6, '0')
    FROM counter WHERE id = %s RETURNING number, sequence
),
history AS (
    UPDATE "{history}" SET sequence = complaint.sequence, number = complaint.number
    FROM complaint WHERE id = %s
),
event AS (
    UPDATE "{event}" SET note = replace(note, %s, complaint.number)
    FROM complaint WHERE complaint_id = %s
),
notice AS (
    UPDATE "{notice}" SET body = replace(body, %s, complaint.number) FROM complaint WHERE id = %s
)
SELECT number FROM complaint
""".format(number=NUMBER_SQL, **_TABLES)  # noqa: S608

_state: dict = {}


def _connections():
    if "db" not in _state:
        params = django_connection.get_connection_params()
        params.pop("cursor_factory", None)
        _state["db"] = psycopg2.connect(**params)
        _state["redis"] = redis.Redis.from_url(os.environ["CELERY_BROKER_URL"])
    return _state["db"], _state["redis"]


def _placeholder(cursor) -> int:
    """A sequence no other transaction in flight uses: the connection's backend's pid."""
    return 1_000_000_000 + cursor.connection.get_backend_pid()


def file(body: dict, *, number_last: bool = False) -> dict:
    """One filing on the floor's own connection: its statements, the commit, the push."""
    db, broker = _connections()
    try:
        with db.cursor() as cursor:
            receipt, notice_id = write(cursor, body, number_last=number_last)
    except BaseException:
        db.rollback()
        raise
    db.commit()
    broker.lpush(QUEUE, json.dumps({"task": "deliver_notifications", "args": [[notice_id]]}))
    return receipt


def write(cursor, body: dict, *, number_last: bool = False) -> tuple[dict, int]:
    """One filing's statements on a psycopg2 `cursor` whose transaction the caller ends; returns
    the receipt and the notice's id."""
    now = dt.datetime.now(UTC)
    today = now.astimezone(dt.timezone(dt.timedelta(hours=8))).date()
    description = body["description"].strip()
    phone = body["phone"]
    cursor.execute(AGENCY_SQL, [int(body["agency"])])
    agency_id, agency_name, region_id, region_code = cursor.fetchone()
    repeat_key = fingerprint(
        agency_id=agency_id,
        category=body["category"],
        description=description,
        phone=phone,
        email="",
    )
    access_code = access_codes.new_code()
    due = today + dt.timedelta(days=ACKNOWLEDGE_DAYS)
    cursor.execute(REPEAT_SQL, [repeat_key, now - dt.timedelta(minutes=30)])
    if cursor.fetchone() is not None:
        raise ValueError("a repeat")
    prefix = f"{region_code}-{today.year}-"  # NUMBER_LAST_SQL pads as register_number does
    if number_last:
        sequence = _placeholder(cursor)
        number = f"pending-{sequence}"
    else:
        cursor.execute(NUMBER_SQL, [region_id, today.year])
        sequence = cursor.fetchone()[0]
        number = register_number(region_code=region_code, year=today.year, sequence=sequence)
    row = COMPLAINT | {
        "region_id": region_id,
        "year": today.year,
        "sequence": sequence,
        "number": number,
        "access_code_hash": access_codes.digest(access_code),
        "received_via": "web",
        "received_on": today,
        "registered_at": now,
        "fingerprint": repeat_key,
        "agency_id": agency_id,
        "occurred_on": body["occurred_on"],
        "category": body["category"],
        "description": description,
        "complainant_name": body["complainant_name"],
        "phone": phone,
        "acknowledge_by": due,
        "due_on": due,
    }
    cursor.execute(COMPLAINT_SQL, list(row.values()))
    pk = cursor.fetchone()[0]
    history = row | {
        "id": pk,
        "history_date": now,
        "history_change_reason": None,
        "history_type": "+",
        "history_user_id": None,
    }
    cursor.execute(HISTORY_SQL, [history[column] for column in HISTORY_COLUMNS])
    event = {
        "complaint_id": pk,
        "kind": "registered",
        "at": now,
        "actor_id": None,
        "note": f"经网上投诉收到，登记号 {number}。",
        "public": True,
    }
    cursor.execute(EVENT_SQL, [event[column] for column in EVENT_COLUMNS])
    notice = NOTICE | {
        "key": f"{pk}:registered:sms",
        "complaint_id": pk,
        "channel": "sms",
        "recipients": Json([phone]),
        "subject": "您的投诉已登记",
        "body": f"【您的投诉已登记】您对{agency_name}的投诉已登记。"
        f"我们将于 {due:%Y-%m-%d} 前告知是否受理。 登记号：{number}。"
        "请凭登记号和查询码在投诉查询页面查看详情。",
        "created_at": now,
    }
    cursor.execute(NOTICE_SQL, [notice[column] for column in NOTICE_COLUMNS])
    notice_id = cursor.fetchone()[0]
    cursor.execute(TALLY_SQL, [agency_id, today.replace(day=1)])
    if number_last:
        cursor.execute(
            NUMBER_LAST_SQL,
            [region_id, today.year, prefix, pk, pk, number, pk, number, notice_id],
        )
        number = cursor.fetchone()[0]
    receipt = {
        "number": number,
        "access_code": access_code,
        "acknowledge_by": due.isoformat(),
        "acknowledge_provisional": False,
    }
    return receipt, notice_id


def application(environ, start_response):
    if environ["REQUEST_METHOD"] == "GET" and environ["PATH_INFO"] == "/healthz":
        start_response("200 OK", [("Content-Type", "text/plain"), ("Content-Length", "2")])
        return [b"ok"]
    length = int(environ.get("CONTENT_LENGTH") or 0)
    try:
        body = json.loads(environ["wsgi.input"].read(length))
        receipt = file(body, number_last=environ["PATH_INFO"].startswith("/number-last/"))
    except (KeyError, TypeError, ValueError) as error:
        out = json.dumps({"detail": str(error)}).encode()
        start_response("400 Bad Request", [("Content-Type", "application/json")])
        return [out]
    out = json.dumps(receipt).encode()
    headers = [("Content-Type", "application/json"), ("Content-Length", str(len(out)))]
    start_response("201 Created", headers)
    return [out]
