"""The bench cases with every row (issue 5, `--cases C`), written with bulk_create in batches:
each case with its parties, two officers, its current stage's record (a fixed file name, no
file), its timeline, and as far as its age has taken it: a decision (tiered fines, a few major
ones with their agreeing legal review), the disclosure of an issued one, the bank's payments of a
fine, closing, a few reconsideration or court outcomes (the unfavourable ones flagged for
screening) and file reviews. What they hang on (each agency's two published penalty items with
discretion tiers and four officers for them) is `world`. Running again tops the cases up to C,
or, if there are more, replaces them all."""

import bisect
import hashlib
import itertools
import random
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import override

from enforcement.models import (
    CHECKLIST,
    Agency,
    Case,
    CaseEvent,
    CaseFileReview,
    CaseOfficer,
    CaseRecord,
    Decision,
    DecisionDisclosure,
    DiscretionTier,
    EvidenceType,
    FinePayment,
    LegalReview,
    MajorDecisionCriteria,
    Officer,
    Party,
    PowerItem,
    Region,
    RemedyOutcome,
    Stage,
)
from enforcement.redaction import public_parties, redact_text
from enforcement.services.remedies import PUBLIC_RESULT
from enforcement.validators import credit_code_check_char
from portal.benchdata import BATCH, COUNTIES, PERSON_NAMES, analyze
from portal.public_cache import public_cache_invalidate

from .bulk import BULK_PREFIX
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

CASE_BATCH = 5000
FIRMS = ["食品", "商贸", "运输", "化工", "建材", "餐饮", "药业", "物流", "矿业", "旅游"]
STAGE_RECORDS = {
    Stage.INITIATION: ("立案审批表", EvidenceType.DOCUMENTARY),
    Stage.INVESTIGATION: ("现场检查笔录", EvidenceType.INSPECTION_RECORD),
    Stage.DECISION: ("行政处罚决定审批表", EvidenceType.DOCUMENTARY),
    Stage.SERVICE: ("送达回证", EvidenceType.DOCUMENTARY),
    Stage.ARCHIVING: ("结案报告", EvidenceType.DOCUMENTARY),
}
RECORD_FILE = "cases/bench/record.pdf"  # one name for every record: no file is written
RECORD_SHA256 = hashlib.sha256(b"bench record").hexdigest()
# GB 11643-1999: the resident identity number's check-digit weights and characters.
ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
ID_CHECK = "10X98765432"


CASE_MODELS = [
    Case,
    Party,
    CaseOfficer,
    CaseRecord,
    CaseEvent,
    Decision,
    LegalReview,
    DecisionDisclosure,
    FinePayment,
    RemedyOutcome,
    CaseFileReview,
]


def bench_cases(agency_ids):
    """The cases written with every row (`--cases`), not the bulk ones."""
    return Case.objects.filter(agency_id__in=agency_ids).exclude(number__startswith=BULK_PREFIX)


@contextmanager
def _dates_as_given():
    """bulk_create keeps the dates the generator chose: `auto_now_add` would stamp every row
    with the time of the run, and the lists ordered by those dates would mean nothing."""
    stamped = [
        CaseRecord._meta.get_field("entered_at"),
        LegalReview._meta.get_field("at"),
        DecisionDisclosure._meta.get_field("disclosed_at"),
        FinePayment._meta.get_field("recorded_at"),
        RemedyOutcome._meta.get_field("recorded_at"),
        CaseFileReview._meta.get_field("reviewed_at"),
    ]
    for stamp in stamped:
        stamp.auto_now_add = False
    try:
        yield
    finally:
        for stamp in stamped:
            stamp.auto_now_add = True


def resident_id(rng: random.Random) -> str:
    """A well-formed resident identity number (GB 11643: region, birth date, check digit)."""
    born = date(1950, 1, 1) + timedelta(days=rng.randrange(50 * 365))
    body = f"98{rng.randrange(10000):04d}{born:%Y%m%d}{rng.randrange(1000):03d}"
    total = sum(int(c) * w for c, w in zip(body, ID_WEIGHTS, strict=True))
    return body + ID_CHECK[total % 11]


def firm_code(rng: random.Random, seq: int) -> str:
    """A well-formed unified social credit code of a firm (登记管理部门 9, 企业 1)."""
    body = f"9198{rng.randrange(10000):04d}{seq % 10**9:09d}"[:17]
    return body + credit_code_check_char(body)


@dataclass
class CasePlan:
    """One case before it is written: its rows, and what follows from its stage."""

    case: Case
    parties: list[Party]
    officers: list[Officer]
    decision: Decision | None = None
    review: LegalReview | None = None
    disclosure: DecisionDisclosure | None = None
    payments: list[FinePayment] = field(default_factory=list)
    remedy: RemedyOutcome | None = None
    file_review: CaseFileReview | None = None
    events: list[CaseEvent] = field(default_factory=list)


class CaseRows:
    """Writes cases with everything a real one of their stage has, in batches (bulk_create).

    Cases are opened over the last three years, more by market, transport and environment
    agencies. The older a case, the further it has gone: most cases older than four months are
    archived and closed, with their fine paid in full (R30 allows no other closing); the newest
    are still being investigated. Every issued decision is disclosed (R9); a few are taken to
    reconsideration or court (R13), and the unfavourable outcomes await screening until a
    supervisor screens them; older closed files are more often reviewed (案卷评查)."""

    def __init__(self, world: CaseWorld, *, seed: int) -> None:
        self.world = world
        self.rng = random.Random(seed)
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.cumulative = list(itertools.accumulate(world.weights))
        with override("zh-hans"):
            self.kind_labels = {k: str(k.label) for k in Decision.Kind}
            self.public_results = {k: str(v) for k, v in PUBLIC_RESULT.items()}
        # As the disclosure service names the document (its strings, in the source language).
        self.penalty_title, self.other_title = "行政处罚决定书", "行政执法决定书"

    def write(self, size: int) -> None:
        """`size` cases and their rows, in the caller's transaction."""
        plans = [self.plan() for _ in range(size)]
        Case.objects.bulk_create([p.case for p in plans], batch_size=BATCH)
        Party.objects.bulk_create([x for p in plans for x in p.parties], batch_size=BATCH)
        CaseOfficer.objects.bulk_create(
            [CaseOfficer(case=p.case, officer=o) for p in plans for o in p.officers],
            batch_size=BATCH,
        )
        with _dates_as_given():
            CaseRecord.objects.bulk_create([self.record(p) for p in plans], batch_size=BATCH)
            self._decisions([p for p in plans if p.decision is not None])
            self._after_issue([p for p in plans if p.disclosure is not None])
            CaseFileReview.objects.bulk_create(
                [p.file_review for p in plans if p.file_review], batch_size=BATCH
            )
        CaseEvent.objects.bulk_create([e for p in plans for e in p.events], batch_size=BATCH)

    def close(self) -> None:
        """Nothing to wait for: each batch was written in the caller's transaction."""

    def _decisions(self, plans: list[CasePlan]) -> None:
        # R5: an issued major decision names its agreeing review, and the review its decision:
        # written as agreed first, issued once the review exists.
        Decision.objects.bulk_create([p.decision for p in plans], batch_size=BATCH)
        majors = [p for p in plans if p.review is not None]
        LegalReview.objects.bulk_create([p.review for p in majors], batch_size=BATCH)
        for plan in majors:
            plan.decision.approved_review = plan.review
            plan.decision.status = Decision.Status.ISSUED
        Decision.objects.bulk_update(
            [p.decision for p in majors], ["approved_review", "status"], batch_size=BATCH
        )

    def _after_issue(self, plans: list[CasePlan]) -> None:
        DecisionDisclosure.objects.bulk_create([p.disclosure for p in plans], batch_size=BATCH)
        payments = []
        for plan in plans:
            for n, payment in enumerate(plan.payments, start=1):
                payment.receipt_number = f"CBJ{plan.case.pk:09d}-{n}"
                payments.append(payment)
        FinePayment.objects.bulk_create(payments, batch_size=BATCH)
        remedies = [p for p in plans if p.remedy is not None]
        for plan in remedies:
            plan.remedy.reference = f"长复决字〔{plan.remedy.decided_on.year}〕{plan.case.pk}号"
        RemedyOutcome.objects.bulk_create([p.remedy for p in remedies], batch_size=BATCH)

    # --- one case ------------------------------------------------------------------------------

    def plan(self) -> CasePlan:
        rng, world = self.rng, self.world
        agency = world.agencies[bisect.bisect(self.cumulative, rng.random() * self.cumulative[-1])]
        item, tiers = rng.choice(world.items[agency.pk])
        times = case_times(self.now, rng)
        opened_at, stage, closed_at = times.opened_at, times.stage, times.closed_at
        case = Case(
            agency=agency,
            power_item=item,
            item_code=item.code,
            item_name=item.name,
            source=rng.choice(Case.Source.values),
            summary=f"{rng.choice(SUMMARIES)}。",
            stage=stage,
            opened_by=world.inspector,
            opened_at=opened_at,
            stage_changed_at=times.changed_at,
            closed_at=closed_at,
        )
        plan = CasePlan(
            case=case, parties=self.parties(case), officers=rng.sample(world.officers[agency.pk], 2)
        )
        plan.events.append(self.event(case, CaseEvent.Kind.OPENED, opened_at, case.summary))
        if decided(times, rng):
            self.decide(plan, tiers, times.issued_at)
        if closed_at is not None:
            plan.events.append(self.event(case, CaseEvent.Kind.CLOSED, closed_at, "案件已结案。"))
            plan.file_review = self.file_review(case)
            case.file_reviewed = plan.file_review is not None
        return plan

    def parties(self, case: Case) -> list[Party]:
        rng = self.rng
        parties = []
        for _n in range(1 if rng.random() < 0.85 else 2):
            if rng.random() < 0.35:
                kind, name, identifier = (
                    Party.Kind.CITIZEN,
                    rng.choice(PERSON_NAMES),
                    resident_id(rng),
                )
            else:
                kind = Party.Kind.LEGAL_PERSON
                name = f"长白{rng.choice(COUNTIES)}{rng.choice(FIRMS)}有限公司"
                identifier = firm_code(rng, rng.randrange(10**9))
            address = f"长白市{rng.choice(COUNTIES)}路{rng.randrange(1, 500)}号"
            parties.append(
                Party(case=case, kind=kind, name=name, identifier=identifier, address=address)
            )
        return parties

    def record(self, plan: CasePlan) -> CaseRecord:
        """The current stage's record (a closed case's is its archiving record)."""
        case = plan.case
        title, evidence = STAGE_RECORDS[Stage(case.stage)]
        return CaseRecord(
            case=case,
            stage=case.stage,
            kind=CaseRecord.Kind.DOCUMENT,
            evidence_type=evidence,
            title=title,
            recorded_by=plan.officers[0],
            recorded_at=case.stage_changed_at,
            recorded_place=case.agency.address,
            file=RECORD_FILE,
            original_name=f"{title}.pdf",
            extension="pdf",
            content_type="application/pdf",
            size=48_213,
            sha256=RECORD_SHA256,
            entered_by=self.world.inspector,
            entered_at=case.stage_changed_at,
        )

    def event(self, case: Case, kind: str, at: datetime, note: str = "") -> CaseEvent:
        return CaseEvent(case=case, kind=kind, at=at, actor=self.world.inspector, note=note)

    # --- its decision and what follows -----------------------------------------------------------

    def decide(self, plan: CasePlan, tiers: list[DiscretionTier], issued_at) -> None:
        """R5, R7: the decision; issued ones are disclosed (R9), fines paid at the bank (R30)."""
        rng, case = self.rng, plan.case
        kind = decision_kind(rng)
        fine, tier = None, None
        if kind == Decision.Kind.FINE:
            fine, tier = fine_draw(rng, tiers)
        elif kind == Decision.Kind.WARNING and rng.random() < 0.5:
            tier = tiers[0]
        decision = Decision(
            case=case,
            kind=kind,
            fine_amount=fine,
            collecting_bank=self.world.bank if fine else None,
            tier=tier,
            hearing_held=kind in (Decision.Kind.STOP_PRODUCTION, Decision.Kind.REVOCATION)
            and rng.random() < 0.5,
            explanation=f"当事人{case.summary}，事实清楚，证据确凿。",
            draft=self._draft(plan, kind, fine),
        )
        decision.major_reasons = _major_reasons(decision, plan.parties)
        decision.is_major = bool(decision.major_reasons)
        if decision.fine_outside_tier():
            decision.outside_tier_reason = "当事人有法定从轻或者从重情节。"
        plan.decision = decision
        # R5: a decision submitted for review stays subject to it (review_required): the majors
        # here are all submitted; a minor one is a draft (a returned one would be under review).
        decision.review_required = decision.is_major
        if issued_at is None:
            decision.status = (
                Decision.Status.IN_REVIEW if decision.is_major else Decision.Status.DRAFT
            )
            return
        decision.issued_at, decision.issued_by = issued_at, self.world.inspector
        if decision.is_major:
            decision.status = Decision.Status.AGREED  # issued once its review is written
            plan.review = LegalReview(
                decision=decision,
                draft_version=decision.draft_version,
                reviewer=self.world.inspector,
                at=issued_at - timedelta(days=1),
                subject_lawful=True,
                facts_proven=True,
                basis_correct=True,
                discretion_proper=True,
                procedure_lawful=True,
                conclusion=LegalReview.Conclusion.AGREE,
                reasons="事实清楚，证据确凿，适用依据正确，程序合法，裁量适当。",
            )
        else:
            decision.status = Decision.Status.ISSUED
        plan.events.append(self.event(case, CaseEvent.Kind.DECISION_ISSUED, issued_at))
        plan.disclosure = self.disclosure(plan)
        if fine:
            plan.payments = self.payments(decision, paid_in_full=case.closed_at is not None)
        if challenged(rng, issued_at, self.now):
            plan.remedy = self.remedy(plan)

    def _draft(self, plan: CasePlan, kind: str, fine) -> str:
        party = plan.parties[0]
        penalty = f"罚款人民币{fine}元" if fine else self.kind_labels[kind]
        return (
            f"当事人：{party.name}，证件号码：{party.identifier}，住所：{party.address}。"
            f"经查，当事人{plan.case.summary}依据《{plan.case.item_name}》的规定，决定给予{penalty}。"
        )

    def disclosure(self, plan: CasePlan) -> DecisionDisclosure:
        case, decision = plan.case, plan.decision
        document = self.other_title if decision.kind == Decision.Kind.OTHER else self.penalty_title
        return DecisionDisclosure(
            decision=decision,
            agency=case.agency,
            title=f"{case.agency.name}{document}（{case.item_name}）"[:300],
            item_code=case.item_code,
            item_name=case.item_name,
            kind=decision.kind,
            kind_label=self.kind_labels[decision.kind],
            fine_amount=decision.fine_amount,
            parties=public_parties(plan.parties)[:500],
            text=redact_text(decision.draft, plan.parties),
            decided_on=timezone.localdate(decision.issued_at),
            disclosed_at=decision.issued_at,
        )

    def payments(self, decision: Decision, *, paid_in_full: bool) -> list[FinePayment]:
        """R30: what the bank received (`instalments`)."""
        paid = instalments(
            self.rng,
            decision.fine_amount,
            issued_on=timezone.localdate(decision.issued_at),
            today=self.today,
            paid_in_full=paid_in_full,
        )
        return [
            FinePayment(
                decision=decision,
                bank=self.world.bank,
                amount=amount,
                paid_on=paid_on,
                recorded_by=self.world.supervisor,
                recorded_at=min(at_ten(self.rng, paid_on + timedelta(days=1)), self.now),
            )
            for amount, paid_on in paid
        ]

    def remedy(self, plan: CasePlan) -> RemedyOutcome:
        """R13: a reconsideration or lawsuit (`remedy_draw`); an unfavourable outcome is noted on
        the disclosure."""
        fields = remedy_draw(
            self.rng,
            issued_on=timezone.localdate(plan.decision.issued_at),
            today=self.today,
            now=self.now,
        )
        remedy = RemedyOutcome(
            case=plan.case,
            agency=plan.case.agency,
            recorded_by=self.world.supervisor,
            screened_by=self.world.supervisor if fields["screened_at"] else None,
            **fields,
        )
        if remedy.needs_screening:
            plan.disclosure.remedy_note = self.public_results[remedy.outcome]
        return remedy

    def file_review(self, case: Case) -> CaseFileReview | None:
        """案卷评查: reviewers work through the older files first."""
        closed_for = (self.now - case.closed_at).days
        chance = 0.6 if closed_for > 365 else 0.3 if closed_for > 90 else 0.05
        if self.rng.random() >= chance:
            return None
        full = self.rng.random() < 0.5
        scores = {name: points if full else points * 4 // 5 for name, _label, points in CHECKLIST}
        return CaseFileReview(
            case=case,
            agency=case.agency,
            reviewer=self.world.supervisor,
            reviewed_at=case.closed_at + (self.now - case.closed_at) * self.rng.uniform(0.1, 0.9),
            total=sum(scores.values()),
            findings="案卷材料完整，程序合法。" if full else "部分文书填写不规范。",
            **scores,
        )


def _major_reasons(decision: Decision, parties: list[Party]) -> list[str]:
    """R5 with the policy's default criteria (the bench regions set none)."""
    criteria = MajorDecisionCriteria()
    with override("zh-hans"):
        reasons = []
        if decision.fine_amount is not None:
            citizens = all(p.kind == Party.Kind.CITIZEN for p in parties)
            threshold = criteria.citizen_fine if citizens else criteria.organisation_fine
            if decision.fine_amount >= threshold:
                reasons.append(f"罚款 {decision.fine_amount} 元，达到 {threshold} 元")
        if decision.kind == Decision.Kind.STOP_PRODUCTION:
            reasons.append("责令停产停业")
        if decision.kind == Decision.Kind.REVOCATION:
            reasons.append("吊销许可证件")
        if decision.hearing_held:
            reasons.append("经过听证")
        if decision.fine_outside_tier():
            reasons.append("罚款超出所适用裁量基准的幅度")
    return reasons


def cases_delete(agency_ids: list[int]) -> None:
    """Every case of these agencies and what hangs on it (raw deletes: the ORM's cascade would
    read every row first). The decisions' reviews go before the decisions that name them: the
    database checks those keys at commit."""
    of_case = {"case__agency_id__in": agency_ids}
    of_decision = {"decision__case__agency_id__in": agency_ids}
    alias = connection.alias
    with transaction.atomic():
        for model, lookup in [
            (CaseFileReview, of_case),
            (RemedyOutcome.history.model, of_case),
            (RemedyOutcome, of_case),
            (DecisionDisclosure, of_decision),
            (FinePayment.history.model, of_decision),
            (FinePayment, of_decision),
            (LegalReview, of_decision),
            (Decision.history.model, of_case),
            (Decision, of_case),
            (CaseEvent, of_case),
            (CaseRecord, of_case),
            (CaseOfficer, of_case),
            (Party.history.model, of_case),
            (Party, of_case),
            (Case.history.model, {"agency_id__in": agency_ids}),
            (Case, {"agency_id__in": agency_ids}),
        ]:
            model.objects.filter(**lookup)._raw_delete(alias)


def cases_done() -> None:
    """The disclosures are public; the planner needs statistics on the new rows."""
    public_cache_invalidate()
    analyze(*CASE_MODELS, Agency, Region, Officer, PowerItem, DiscretionTier)
