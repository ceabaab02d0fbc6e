"""The bulk cases of the province of the evaluation (issue 12 "Scale", `--bulk-cases B`): cases
numbered CBPL-<id> with what the evaluation and the supervisors' reports count (issue 15): the
case, its two officers, its decision (tiered fines, R7), the decision's disclosure (R9) and the
bank's payments (R30), a few reconsideration or court outcomes (R13), its closing and its file
reviews. They are written by COPY with ids given in advance, over the same agencies, items and
years as the full ones and drawn as they are (`world`); what they leave out is what only a case's
own page shows (parties, records, timeline, legal reviews: no bulk decision is major). Running
again tops them up to B, or, if there are more, replaces them all."""

import bisect
import itertools
import random
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import override

from enforcement.models import (
    CHECKLIST,
    Case,
    CaseFileReview,
    CaseOfficer,
    Decision,
    DecisionDisclosure,
    FinePayment,
    Officer,
    RemedyOutcome,
)
from enforcement.services.remedies import PUBLIC_RESULT
from portal.benchdata import COUNTIES, CopyBehind, analyze

from .world import (
    SUMMARIES,
    CaseWorld,
    at_ten,
    case_times,
    challenged,
    decided,
    decision_kind,
    fine_draw,
    instalments,
    remedy_draw,
)

BULK_PREFIX = "CBPL-"  # the number of a bulk case: CBPL-<id>
BULK_BATCH = 50_000


def bulk_cases(agency_ids):
    return Case.objects.filter(agency_id__in=agency_ids, number__startswith=BULK_PREFIX)


def bulk_cases_delete(agency_ids: list[int]) -> None:
    of_bulk = {"case__agency_id__in": agency_ids, "case__number__startswith": BULK_PREFIX}
    of_decision = {f"decision__{k}": v for k, v in of_bulk.items()}
    with transaction.atomic():
        for model in (FinePayment, DecisionDisclosure):
            model.objects.filter(**of_decision)._raw_delete(connection.alias)
        for model in (Decision, RemedyOutcome, CaseFileReview, CaseOfficer):
            model.objects.filter(**of_bulk)._raw_delete(connection.alias)
        bulk_cases(agency_ids)._raw_delete(connection.alias)


CASE_COLUMNS = [
    "id",
    "agency",
    "power_item",
    "number",
    "item_code",
    "item_name",
    "source",
    "summary",
    "stage",
    "opened_by",
    "opened_at",
    "stage_changed_at",
    "closed_at",
    "file_reviewed",
]
DECISION_COLUMNS = [
    "id",
    "case",
    "kind",
    "fine_amount",
    "collecting_bank",
    "tier",
    "outside_tier_reason",
    "hearing_held",
    "explanation",
    "draft",
    "status",
    "is_major",
    "major_reasons",
    "draft_version",
    "review_required",
    "marked_major",
    "major_grounds",
    "marked_major_reason",
    "approved_conclusion",
    "number",
    "legal_bases",
    "issued_at",
    "issued_by",
]
DISCLOSURE_COLUMNS = [
    "decision",
    "agency",
    "title",
    "item_code",
    "item_name",
    "document_number",
    "legal_bases",
    "kind",
    "kind_label",
    "fine_amount",
    "parties",
    "text",
    "decided_on",
    "disclosed_at",
    "remedy_note",
]
PAYMENT_COLUMNS = [
    "decision",
    "bank",
    "receipt_number",
    "amount",
    "paid_on",
    "note",
    "recorded_by",
    "recorded_at",
]
REMEDY_COLUMNS = [
    "case",
    "agency",
    "kind",
    "body",
    "reference",
    "decided_on",
    "outcome",
    "summary",
    "recorded_by",
    "recorded_at",
    "needs_screening",
    "screened_at",
    "screened_by",
    "screening_note",
]
# Legal persons only: a firm's name is public (R9), so the disclosure needs no redaction here.
FIRMS = [
    f"长白{county}{trade}有限公司" for county in COUNTIES for trade in ("商贸", "物流", "餐饮")
]
OUTSIDE_TIER_REASON = "当事人有法定从轻或者从重情节。"
REVIEW_SCORES = [name for name, _label, _points in CHECKLIST]
REVIEW_COLUMNS = [
    "case",
    "agency",
    "reviewer",
    "reviewed_at",
    *REVIEW_SCORES,
    *(f"{name}_points" for name in REVIEW_SCORES),
    "total",
    "findings",
]


TABLES = {  # what a batch writes, in this order
    "cases": (Case, CASE_COLUMNS),
    "officers": (CaseOfficer, ["case", "officer"]),
    "reviews": (CaseFileReview, REVIEW_COLUMNS),
    "decisions": (Decision, DECISION_COLUMNS),
    "disclosures": (DecisionDisclosure, DISCLOSURE_COLUMNS),
    "payments": (FinePayment, PAYMENT_COLUMNS),
    "remedies": (RemedyOutcome, REMEDY_COLUMNS),
}


class BulkCaseRows:
    """Cases with what the evaluation and the reports count, drawn as the full ones are (over
    the last three years, their decisions, fines, payments and remedies), with ids given in
    advance so that every row of a batch goes in the same COPY pass."""

    def __init__(self, world: CaseWorld, *, seed: int) -> None:
        self.world = world
        self.rng = random.Random(seed)
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.cumulative = list(itertools.accumulate(world.weights))
        self.officers = {
            agency_id: [o.pk for o in officers] for agency_id, officers in world.officers.items()
        }
        self.next_id = (Case.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
        self.next_decision = (Decision.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
        self.sources = Case.Source.values
        self.points = [points for _name, _label, points in CHECKLIST]
        with override("zh-hans"):
            self.kind_labels = {k: str(k.label) for k in Decision.Kind}
            self.public_results = {k: str(v) for k, v in PUBLIC_RESULT.items()}
        self.tz = timezone.get_current_timezone()
        self.pipe = CopyBehind()

    def write(self, size: int) -> None:
        rng, world = self.rng, self.world
        self.rows = {name: [] for name in TABLES}
        for _ in range(size):
            pk, self.next_id = self.next_id, self.next_id + 1
            n = bisect.bisect_right(self.cumulative, rng.random() * self.cumulative[-1])
            agency = world.agencies[n]
            item, tiers = world.items[agency.id][pk % 2]
            times = case_times(self.now, rng)
            summary = rng.choice(SUMMARIES)
            review = None
            if times.closed_at is not None:
                review = self.review(pk, agency.id, times.closed_at)
            self.rows["cases"].append(
                [
                    pk,
                    agency.id,
                    item.id,
                    f"{BULK_PREFIX}{pk}",
                    item.code,
                    item.name,
                    rng.choice(self.sources),
                    f"{summary}。",
                    times.stage,
                    world.inspector.id,
                    times.opened_at,
                    times.changed_at,
                    times.closed_at,
                    review is not None,
                ]
            )
            for officer in rng.sample(self.officers[agency.id], 2):
                self.rows["officers"].append([pk, officer])
            if decided(times, rng):
                self.decide(pk, agency, item, tiers, summary, times)
            if review is not None:
                self.rows["reviews"].append(review)
        self.pipe.put(
            [(model, columns, self.rows[name]) for name, (model, columns) in TABLES.items()]
        )

    def close(self) -> None:
        """Wait for the last batch to be written."""
        self.pipe.close()

    def decide(self, pk: int, agency, item, tiers, summary: str, times) -> None:
        """R7: the decision, as the full cases draw it but never major (no legal review); an
        issued one is disclosed (R9), its fine paid at the bank (R30), a few challenged (R13)."""
        rng, world, issued_at = self.rng, self.world, times.issued_at
        decision, self.next_decision = self.next_decision, self.next_decision + 1
        kind = decision_kind(rng)
        fine, tier = None, None
        if kind == Decision.Kind.FINE:
            fine, tier = fine_draw(rng, tiers)
        elif kind == Decision.Kind.WARNING and rng.random() < 0.5:
            tier = tiers[0]
        outside = (
            tier is not None and fine is not None and not tier.fine_min <= fine <= tier.fine_max
        )
        firm = rng.choice(FIRMS)
        penalty = f"罚款人民币{fine}元" if fine else self.kind_labels[kind]
        draft = (
            f"当事人：{firm}。经查，当事人{summary}，依据《{item.name}》的规定，决定给予{penalty}。"
        )
        status = Decision.Status.ISSUED if issued_at else Decision.Status.DRAFT
        self.rows["decisions"].append(
            [
                decision,
                pk,
                kind,
                fine,
                world.bank.id if fine else None,
                tier.id if tier else None,
                OUTSIDE_TIER_REASON if outside else "",
                False,
                f"当事人{summary}，事实清楚，证据确凿。",
                draft,
                status,
                False,
                "[]",
                1,
                False,
                False,
                "[]",
                "",
                "agree",
                "",
                "[]",
                issued_at,
                world.inspector.id if issued_at else None,
            ]
        )
        if issued_at is None:
            return
        issued_on = issued_at.astimezone(self.tz).date()
        remedy_note = ""
        if challenged(rng, issued_at, self.now):
            remedy_note = self.remedy(pk, agency.id, issued_on)
        document = "行政执法决定书" if kind == Decision.Kind.OTHER else "行政处罚决定书"
        self.rows["disclosures"].append(
            [
                decision,
                agency.id,
                f"{agency.name}{document}（{item.name}）"[:300],
                item.code,
                item.name,
                "",
                "[]",
                kind,
                self.kind_labels[kind],
                fine,
                firm,
                draft,
                issued_on,
                issued_at,
                remedy_note,
            ]
        )
        if fine:
            paid = instalments(
                rng,
                fine,
                issued_on=issued_on,
                today=self.today,
                paid_in_full=times.closed_at is not None,
            )
            for n, (amount, paid_on) in enumerate(paid, start=1):
                self.rows["payments"].append(
                    [
                        decision,
                        world.bank.id,
                        f"CBJ{pk:09d}-{n}",
                        amount,
                        paid_on,
                        "",
                        world.supervisor.id,
                        min(at_ten(rng, paid_on + timedelta(days=1)), self.now),
                    ]
                )

    def remedy(self, pk: int, agency_id: int, issued_on) -> str:
        """R13's outcome of the case's decision; returns the disclosure's note of it."""
        fields = remedy_draw(self.rng, issued_on=issued_on, today=self.today, now=self.now)
        supervisor = self.world.supervisor.id
        self.rows["remedies"].append(
            [
                pk,
                agency_id,
                fields["kind"],
                fields["body"],
                f"长复决字〔{fields['decided_on'].year}〕{pk}号",
                fields["decided_on"],
                fields["outcome"],
                fields["summary"],
                supervisor,
                fields["recorded_at"],
                fields["needs_screening"],
                fields["screened_at"],
                supervisor if fields["screened_at"] else None,
                fields["screening_note"],
            ]
        )
        return self.public_results[fields["outcome"]] if fields["needs_screening"] else ""

    def review(self, pk: int, agency_id: int, closed_at: datetime) -> list | None:
        """案卷评查, older files more often (as the full cases')."""
        rng = self.rng
        closed_for = (self.now - closed_at).days
        chance = 0.6 if closed_for > 365 else 0.3 if closed_for > 90 else 0.05
        if rng.random() >= chance:
            return None
        full = rng.random() < 0.5
        scores = [p if full else p * 4 // 5 for p in self.points]
        reviewed_at = closed_at + (self.now - closed_at) * rng.uniform(0.1, 0.9)
        findings = "案卷材料完整，程序合法。" if full else "部分文书填写不规范。"
        return [
            pk,
            agency_id,
            self.world.supervisor.id,
            reviewed_at,
            *scores,
            *self.points,
            sum(scores),
            findings,
        ]


def bulk_cases_done() -> None:
    """The cases' and decisions' id sequences past the ids given here; statistics on the new
    rows."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in (Case, Decision):
                table = model._meta.db_table
                top = f"SELECT max(id) FROM {table}"  # noqa: S608
                cursor.execute(f"SELECT setval(pg_get_serial_sequence(%s, 'id'), ({top}))", [table])
    analyze(
        Case,
        CaseOfficer,
        CaseFileReview,
        Officer,
        Decision,
        DecisionDisclosure,
        FinePayment,
        RemedyOutcome,
    )
