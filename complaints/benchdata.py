"""The complaint registers of the bench province (R15–R17, `--complaints M --due N`).

Complaints are spread over the province's agencies and registers, in every status: most decided
or closed (no current deadline), a few percent open with a deadline well ahead. Running again
tops the registers up to M complaints, or, if they hold more, replaces them all. `--due N` then
makes exactly N open complaints of the province due (their deadline within the sweep's warning
horizon or past, neither reminded nor escalated) and no others, so the deadline sweep can be
timed on registers of different sizes with the same due set. Rows are written in batches by COPY
on PostgreSQL (a million in a few minutes), by executemany elsewhere, each batch in one
transaction with its registers' counters, so the numbers stay unique and gapless."""

import hashlib
import random
from datetime import date, datetime, time, timedelta

from django.core.management.base import CommandError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from complaints.models import (
    AgencyRequest,
    Attachment,
    Complaint,
    ComplaintEvent,
    IdentityView,
    Notification,
    ReceivedVia,
    RefusalReason,
    RegisterCounter,
    Result,
)
from complaints.models import (
    Category as ComplaintCategory,
)
from complaints.services.deadlines import warning_horizon
from complaints.services.decisions import DEFAULT_HANDLING_DAYS
from complaints.services.register import acknowledge_deadline, register_number
from enforcement.models import Agency
from portal.benchdata import PERSON_NAMES, PROVINCE, analyze, bench_region_ids, copy_rows
from portal.models import User
from workdays.deadlines import add_days

COMPLAINT_BATCH = 50_000
OPEN_PER_MILLE = 60  # open complaints (registered, accepted, handling); the rest was decided
GRIEVANCES = [
    "执法人员未出示执法证件即进行检查，态度粗暴。",
    "申请材料齐全，超过法定期限仍未作出决定。",
    "多次举报同一违法行为，执法部门未予处理。",
    "对同类违法行为处罚明显不一，存在选择执法。",
    "执法人员以罚代管，要求当场缴纳罚款且不开具票据。",
    "检查中随意查封扣押与案件无关的物品。",
]
FINDINGS = [
    "经核查，投诉反映的问题基本属实，已责令被投诉单位整改。",
    "经核查，未发现投诉反映的问题。",
]


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


class ComplaintRows:
    """Writes complaints straight into the table, with numbers taken from the counters."""

    def __init__(self, agencies: list[Agency], users: list[User], *, seed: int) -> None:
        self.agencies = agencies
        self.handlers = users[1:] or users
        self.rng = random.Random(seed)
        self.today = timezone.localdate()
        self.now = timezone.now()
        self.horizon = warning_horizon(self.today)
        self.columns = [f for f in Complaint._meta.concrete_fields if not f.primary_key]
        self._ack: dict[date, object] = {}
        self._handling: dict[date, object] = {}
        self.counters = {
            (c.region_id, c.year): c.last
            for c in RegisterCounter.objects.filter(region_id__in={a.region_id for a in agencies})
        }
        start = Complaint.objects.aggregate(top=Max("pk"))["top"] or 0
        self.serial = start

    def ack(self, received: date):
        if received not in self._ack:
            self._ack[received] = acknowledge_deadline(received)
        return self._ack[received]

    def handling_due(self, started: date):
        if started not in self._handling:
            self._handling[started] = add_days(start=started, days=DEFAULT_HANDLING_DAYS)
        return self._handling[started]

    def at(self, day: date, rng: random.Random) -> datetime:
        moment = time(8 + rng.randrange(10), rng.randrange(60), rng.randrange(60))
        return min(timezone.make_aware(datetime.combine(day, moment)), self.now)

    def row(self) -> dict:
        rng, today = self.rng, self.today
        self.serial += 1
        agency = self.agencies[rng.randrange(len(self.agencies))]
        anonymous = rng.random() < 0.1
        kind = rng.randrange(1000)
        row = {
            "agency_id": agency.pk,
            "region_id": agency.region_id,
            "category": rng.choice(ComplaintCategory.values),
            "description": f"{rng.choice(GRIEVANCES)}（基准数据第 {self.serial} 件）",
            "anonymous": anonymous,
            "complainant_name": "" if anonymous else rng.choice(PERSON_NAMES),
            "phone": "" if anonymous else f"13{rng.randrange(10**9):09d}",
            "received_via": rng.choice(ReceivedVia.values),
            "status": Complaint.Status.CLOSED,
            "handling_started_on": None,
            "handling_days": None,
            "handling_due": None,
            "due_on": None,
            "decided_at": None,
            "decided_by_id": None,
            "handler_id": None,
            "closed_at": None,
        }
        if kind < OPEN_PER_MILLE:  # open, with a deadline beyond the warning horizon
            if kind < OPEN_PER_MILLE // 4:
                received = today - timedelta(days=rng.randrange(2))
                row["status"] = Complaint.Status.REGISTERED
                row["due_on"] = self.ack(received).deadline
            else:
                overdue = rng.random() < 0.2  # past its deadline, reminded and escalated before
                started = today - timedelta(
                    days=rng.randrange(65, 120) if overdue else rng.randrange(40)
                )
                received = started - timedelta(days=rng.randrange(1, 6))
                self._handling_fields(row, started, rng)
                row["status"] = rng.choice(Complaint.IN_HANDLING)
                row["due_on"] = row["handling_due"]
                if overdue:
                    row["reminded_on"] = row["due_on"] - timedelta(days=2)
                    row["escalated_on"] = row["due_on"] + timedelta(days=1)
        else:
            received = today - timedelta(days=rng.randrange(10, 730))
            decided = self.at(received + timedelta(days=rng.randrange(1, 5)), rng)
            row |= {"decided_at": decided, "decided_by_id": self.handlers[0].pk}
            if kind < 800:
                self._handling_fields(row, timezone.localdate(decided), rng)
                closed = decided + timedelta(days=rng.randrange(5, 55), hours=rng.randrange(8))
                row["closed_at"] = min(closed, self.now)
                row["result"] = rng.choice(Result.values)
                row["measures"] = row["feedback"] = rng.choice(FINDINGS)
                if rng.random() < 0.4:
                    row["rating"] = rng.randrange(1, 6)
                    row["rated_at"] = row["closed_at"]
            elif kind < 920:
                row["status"] = Complaint.Status.REFUSED
                row["refusal_reason"] = rng.choice(RefusalReason.values)
                row["decision_note"] = "经审查，不符合受理条件。"
            else:
                row["status"] = Complaint.Status.TRANSFERRED
                row["transferred_to"] = f"{PROVINCE[1]}人民政府信访局"
                row["decision_note"] = "不属于本机关受理范围，已转有权机关处理。"
        if row["handler_id"] is None and row["status"] == Complaint.Status.HANDLING:
            row["handler_id"] = rng.choice(self.handlers).pk
        acknowledge = self.ack(received)
        row |= {
            "year": received.year,
            "code": agency.region.code,
            "access_code_hash": _hash(f"bench-code-{self.serial}"),
            "received_on": received,
            "registered_at": self.at(received, rng),
            "fingerprint": _hash(f"bench-{self.serial}"),
            "occurred_on": received - timedelta(days=rng.randrange(30)),
            "acknowledge_by": acknowledge.deadline,
            "acknowledge_provisional": acknowledge.provisional,
        }
        return row

    def _handling_fields(self, row: dict, started: date, rng) -> None:
        due = self.handling_due(started)
        row |= {
            "handling_started_on": started,
            "handling_days": DEFAULT_HANDLING_DAYS,
            "handling_due": due.deadline,
            "handling_provisional": due.provisional,
            "handler_id": rng.choice(self.handlers).pk,
        }

    def values(self, row: dict) -> list:
        return [row[f.attname] if f.attname in row else f.get_default() for f in self.columns]

    def write(self, size: int) -> None:
        """`size` complaints and their registers' counters, in the caller's transaction."""
        rows = sorted((self.row() for _ in range(size)), key=lambda row: row["registered_at"])
        for row in rows:  # numbered in the order of registration
            key = (row["region_id"], row["year"])
            row["sequence"] = self.counters[key] = self.counters.get(key, 0) + 1
            row["number"] = register_number(
                region_code=row["code"], year=row["year"], sequence=row["sequence"]
            )
        rows = [self.values(row) for row in rows]
        copy_rows(Complaint, [f.name for f in self.columns], rows)
        for (region_id, year), last in self.counters.items():
            RegisterCounter.objects.update_or_create(
                region_id=region_id, year=year, defaults={"last": last}
            )


def complaints_delete(region_ids: list[int]) -> None:
    """Every complaint of these registers, what hangs on them, and their counters (raw deletes:
    the ORM's cascade would read a million rows first)."""
    of_bench = {"complaint__region_id__in": region_ids}
    with transaction.atomic():
        for model in (Attachment, IdentityView, Notification, ComplaintEvent):
            model.objects.filter(**of_bench)._raw_delete(connection.alias)
        AgencyRequest.history.model.objects.filter(**of_bench)._raw_delete(connection.alias)
        AgencyRequest.objects.filter(**of_bench)._raw_delete(connection.alias)
        Complaint.history.model.objects.filter(region_id__in=region_ids)._raw_delete(
            connection.alias
        )
        Complaint.objects.filter(region_id__in=region_ids)._raw_delete(connection.alias)
        RegisterCounter.objects.filter(region_id__in=region_ids).delete()


def due_complaints(region_ids):
    """Open complaints of these registers whose deadline is within the warning horizon or past,
    except those reminded and escalated before today (the sweep has nothing more to do there)."""
    today = timezone.localdate()
    return Complaint.objects.filter(
        region_id__in=region_ids, status__in=Complaint.OPEN, due_on__lte=warning_horizon(today)
    ).exclude(reminded_on__lt=today, escalated_on__lt=today)


def complaints_due_reset(count: int) -> int:
    """Exactly `count` open bench complaints due and unmarked (half past due, half within the
    horizon), every other bench complaint not due; returns how many are due."""
    today = timezone.localdate()
    horizon = warning_horizon(today)
    regions = bench_region_ids()
    dates = ComplaintRows([], [], seed=0)
    with transaction.atomic():
        # Not due any more: a deadline beyond the horizon, as a fresh complaint would have.
        fresh_ack, fresh_handling = dates.ack(today), dates.handling_due(today)
        due_now = due_complaints(regions)
        due_now.filter(status=Complaint.Status.REGISTERED).update(
            received_on=today,
            acknowledge_by=fresh_ack.deadline,
            due_on=fresh_ack.deadline,
            reminded_on=None,
            escalated_on=None,
        )
        due_now.filter(status__in=Complaint.IN_HANDLING).update(
            handling_started_on=today,
            handling_due=fresh_handling.deadline,
            due_on=fresh_handling.deadline,
            reminded_on=None,
            escalated_on=None,
        )
        chosen = list(
            Complaint.objects.filter(region_id__in=regions, status__in=Complaint.OPEN)
            .exclude(reminded_on__lt=today, escalated_on__lt=today)
            .order_by("pk")
            .values_list("pk", "status")[:count]
        )
        if len(chosen) < count:
            raise CommandError(
                f"only {len(chosen)} open bench complaints, fewer than --due {count}"
            )
        # Receipt dates whose acknowledgement deadline (R16) is past or within the horizon, and
        # acceptance dates whose handling deadline is: the most recent few of each.
        received = [d for d in _days_back(today, 1, 30) if dates.ack(d).deadline <= horizon][:6]
        started = [
            d for d in _days_back(today, 50, 90) if dates.handling_due(d).deadline <= horizon
        ][:6]
        updates = []
        for n, (pk, status) in enumerate(chosen):
            if status == Complaint.Status.REGISTERED:
                day = received[n % len(received)]
                ack = dates.ack(day)
                updates.append((pk, {"received_on": day, "acknowledge_by": ack.deadline}))
                updates[-1][1]["due_on"] = ack.deadline
            else:
                day = started[n % len(started)]
                handling = dates.handling_due(day)
                updates.append(
                    (pk, {"handling_started_on": day, "handling_due": handling.deadline})
                )
                updates[-1][1]["due_on"] = handling.deadline
        for pk, fields in updates:
            Complaint.objects.filter(pk=pk).update(reminded_on=None, escalated_on=None, **fields)
        return due_complaints(regions).count()


def _days_back(today: date, first: int, last: int):
    return [today - timedelta(days=n) for n in range(first, last)]


def complaints_sweep_undo() -> int:
    """Undo what the deadline sweep did to the bench complaints (their marks, the reminder and
    escalation notices and timeline steps), so that the next sweep does the same work."""
    regions = bench_region_ids()
    due = due_complaints(regions)
    with transaction.atomic():
        Notification.objects.filter(complaint__in=due).filter(
            key__regex=r":(remind|escalate):"
        ).delete()
        ComplaintEvent.objects.filter(
            complaint__in=due,
            kind__in=[ComplaintEvent.Kind.REMINDED, ComplaintEvent.Kind.ESCALATED],
        ).delete()
        today = timezone.localdate()
        due.filter(escalated_on__gte=today).update(escalated_on=None)
        return due.filter(reminded_on__gte=today).update(reminded_on=None)


def complaints_count(region_ids: list[int]) -> int:
    """The complaints in these registers."""
    return Complaint.objects.filter(region_id__in=region_ids).count()


def complaints_done() -> None:
    """Statistics on the new rows for the planner."""
    analyze(Complaint, RegisterCounter)
