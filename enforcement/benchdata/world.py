"""What the bench cases hang on, the full ones (`cases`) and the bulk ones (`bulk`) alike: per
agency two published penalty items with discretion tiers (R7) and four officers for them, the
province's collecting bank, the supervisor and an inspector who act; and when cases are opened
and how far a case of its age has gone."""

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from enforcement.models import (
    Agency,
    CollectingBank,
    Decision,
    DiscretionTier,
    Officer,
    PowerItem,
    PublishedPowerItem,
    Region,
    RemedyOutcome,
    Stage,
)
from enforcement.models.powers import Category, Level
from enforcement.search import search_documents
from portal.benchdata import BATCH, PERSON_NAMES, PROVINCE, agency_domain, bench_users
from portal.models import User
from portal.roles import Role
from portal.services import user_assign_role

from .powers import ACCOUNTABILITY, OBJECTS, PROCESS, RESPONSIBILITIES

CASE_DAYS = 3 * 365  # cases opened over the last three years
BENCH_INSPECTOR = "bench-inspector"  # agency staff of one city agency, for its case list
CASE_BANK = ("长白农村商业银行", "罚没款代收专户", "9800000000000001")
CASE_ITEMS = ["对违反{o}管理规定的处罚", "对未经许可从事{o}的行政处罚"]
TIERS = [  # (circumstances, penalty, lowest fine, highest fine), every item the same
    ("初次违法且危害后果轻微", "警告，或者处五百元以上二千元以下罚款", 500, 2000),
    ("违法情节一般", "处二千元以上一万元以下罚款", 2000, 10000),
    ("违法情节严重或者拒不改正", "处一万元以上五万元以下罚款", 10000, 50000),
]
# Market, transport and environment agencies open most cases; the others a few.
DOMAIN_WEIGHT = {"市场监管": 8, "交通运输": 5, "生态环境": 4, "安全生产": 3, "文化旅游": 2}
SUMMARIES = [
    "经营超过保质期的食品",
    "未按规定进行年度检验",
    "超标排放大气污染物",
    "未取得许可擅自从事经营活动",
    "未按规定建立安全生产台账",
    "擅自改变经营场所",
]


@dataclass
class CaseWorld:
    """What the generated cases hang on: per agency its penalty items (with their tiers) and
    officers, the province's collecting bank, and the users who act."""

    agencies: list[Agency]
    weights: list[int]
    items: dict[int, list[tuple[PowerItem, list[DiscretionTier]]]]
    officers: dict[int, list[Officer]]
    bank: CollectingBank
    inspector: User
    supervisor: User


def case_world(bench_agencies: list[Agency]) -> CaseWorld:
    """Items, tiers, officers, bank and users for the cases (created once, then reused)."""
    users = bench_users()
    province = Region.objects.get(code=PROVINCE[0])
    bank, _created = CollectingBank.objects.get_or_create(
        region=province,
        account_number=CASE_BANK[2],
        defaults={"name": CASE_BANK[0], "account_name": CASE_BANK[1]},
    )
    with transaction.atomic():
        _case_items(bench_agencies)
        _case_officers(bench_agencies)
    items: dict[int, list] = {}
    tiers: dict[int, list] = {}
    for tier in DiscretionTier.objects.filter(
        item__agency__in=bench_agencies, item__code__startswith="CBAJ"
    ).order_by("item_id", "order"):
        tiers.setdefault(tier.item_id, []).append(tier)
    for item in PowerItem.objects.filter(agency__in=bench_agencies, code__startswith="CBAJ"):
        items.setdefault(item.agency_id, []).append((item, tiers[item.pk]))
    officers: dict[int, list] = {}
    for officer in Officer.objects.filter(
        agency__in=bench_agencies, certificate_number__startswith="CBZF-"
    ):
        officers.setdefault(officer.agency_id, []).append(officer)
    staff_agency = bench_agencies[1 if len(bench_agencies) > 1 else 0]
    return CaseWorld(
        agencies=bench_agencies,
        weights=[DOMAIN_WEIGHT.get(agency_domain(a.name), 1) for a in bench_agencies],
        items=items,
        officers=officers,
        bank=bank,
        inspector=_bench_inspector(staff_agency),
        supervisor=users[0],
    )


def _bench_inspector(agency: Agency) -> User:
    user, created = User.objects.get_or_create(
        username=BENCH_INSPECTOR, defaults={"name": "基准执法人员"}
    )
    if created or user.agency_id != agency.pk:
        user = user_assign_role(user=user, role=Role.AGENCY_STAFF, actor=None, agency=agency)
    return user


def _case_items(agencies: list[Agency]) -> None:
    """Two published penalty items per agency, each with three discretion tiers (R7)."""
    have = set(
        PowerItem.objects.filter(agency__in=agencies, code__startswith="CBAJ").values_list(
            "agency_id", "code"
        )
    )
    levels = {Region.Level.PROVINCE: Level.PROVINCE, Region.Level.CITY: Level.CITY}
    now = timezone.now()
    working, published = [], []
    for agency in agencies:
        obj = OBJECTS[agency_domain(agency.name)][agency.pk % 5]
        for k, name in enumerate(CASE_ITEMS, start=1):
            code = f"CBAJ{k:02d}"
            if (agency.pk, code) in have:
                continue
            content = {
                "code": code,
                "name": name.format(o=obj),
                "category": Category.PENALTY,
                "level": levels.get(agency.region.level, Level.COUNTY),
                "handling_unit": "综合执法支队",
                "responsibilities": RESPONSIBILITIES[Category.PENALTY],
                "accountability": ACCOUNTABILITY,
                "process": PROCESS[Category.PENALTY],
            }
            working.append(
                PowerItem(
                    agency=agency,
                    status=PowerItem.Status.PUBLISHED,
                    has_unpublished_changes=False,
                    **content,
                )
            )
            discretion = [
                {
                    "order": n,
                    "circumstances": c,
                    "penalty": p,
                    "fine_min": f"{low}.00",
                    "fine_max": f"{high}.00",
                }
                for n, (c, p, low, high) in enumerate(TIERS, start=1)
            ]
            documents = search_documents(
                code=code,
                name=content["name"],
                sub_item="",
                category_label=str(Category.PENALTY.label),
                handling_unit=content["handling_unit"],
                responsibilities=content["responsibilities"],
                accountability=content["accountability"],
                bases=[],
                discretion=discretion,
                agency_name=agency.name,
            )
            published.append(
                PublishedPowerItem(
                    agency=agency,
                    region_path=agency.region.path,
                    discretion=discretion,
                    published_at=now,
                    **documents,
                    **content,
                )
            )
    PowerItem.objects.bulk_create(working, batch_size=BATCH)
    for copy, item in zip(published, working, strict=True):
        copy.item = item
    PublishedPowerItem.objects.bulk_create(published, batch_size=BATCH)
    DiscretionTier.objects.bulk_create(
        [
            DiscretionTier(
                item=item,
                order=n,
                circumstances=c,
                penalty=p,
                fine_min=Decimal(low),
                fine_max=Decimal(high),
            )
            for item in working
            for n, (c, p, low, high) in enumerate(TIERS, start=1)
        ],
        batch_size=BATCH,
    )


def _case_officers(agencies: list[Agency]) -> None:
    """Four officers with valid certificates per agency (a case needs two)."""
    have = set(
        Officer.objects.filter(certificate_number__startswith="CBZF-").values_list(
            "certificate_number", flat=True
        )
    )
    Officer.objects.bulk_create(
        [
            Officer(
                agency=agency,
                name=PERSON_NAMES[(agency.pk + k) % len(PERSON_NAMES)],
                certificate_number=f"CBZF-{agency.pk}-{k}",
            )
            for agency in agencies
            for k in range(1, 5)
            if f"CBZF-{agency.pk}-{k}" not in have
        ],
        batch_size=BATCH,
    )


def stage_at(age: timedelta, rng: random.Random) -> str:
    """How far a case of this age has gone."""
    if age.days < 15:
        weights = [(Stage.INITIATION, 6), (Stage.INVESTIGATION, 4)]
    elif age.days < 45:
        weights = [(Stage.INVESTIGATION, 4), (Stage.DECISION, 4), (Stage.SERVICE, 2)]
    elif age.days < 120:
        weights = [(Stage.DECISION, 1), (Stage.SERVICE, 5), (Stage.ARCHIVING, 4)]
    else:
        weights = [(Stage.SERVICE, 1), (Stage.ARCHIVING, 19)]
    return rng.choices(*zip(*weights, strict=True))[0]


@dataclass(frozen=True)
class CaseTimes:
    """When a case was opened, how far it has gone, when its decision was issued (None if not
    yet), when it last changed stage and when it was closed (None if open)."""

    opened_at: datetime
    stage: str
    issued_at: datetime | None
    changed_at: datetime
    closed_at: datetime | None


def case_times(now: datetime, rng: random.Random) -> CaseTimes:
    """A case opened in the last three years and how far its age has taken it: most cases
    older than four months are archived and closed, the newest still investigated."""
    opened_at = now - timedelta(seconds=rng.randrange(CASE_DAYS * 86400))
    age = now - opened_at
    stage = stage_at(age, rng)
    issued_at = None
    if stage in (Stage.SERVICE, Stage.ARCHIVING):
        waited = (
            age * rng.uniform(0.3, 0.6)
            if age.days < 120
            else timedelta(days=20 + rng.random() * 40)
        )
        issued_at = opened_at + waited
    since = issued_at or opened_at
    changed_at = since + (now - since) * rng.uniform(0.05, 0.5)
    closed_at = None
    if stage == Stage.ARCHIVING and rng.random() < 0.9:
        closed_at = changed_at + timedelta(days=rng.uniform(1, 30))
        closed_at = closed_at if closed_at < now else None
    return CaseTimes(opened_at, stage, issued_at, changed_at, closed_at)


def decided(times: CaseTimes, rng: random.Random) -> bool:
    """Whether the case has a decision: every issued one, and most drafts of the decision stage."""
    return times.issued_at is not None or (times.stage == Stage.DECISION and rng.random() < 0.6)


DECISION_KINDS = [
    (Decision.Kind.FINE, 70),
    (Decision.Kind.WARNING, 15),
    (Decision.Kind.CONFISCATION, 6),
    (Decision.Kind.STOP_PRODUCTION, 3),
    (Decision.Kind.REVOCATION, 2),
    (Decision.Kind.OTHER, 4),
]


def decision_kind(rng: random.Random) -> str:
    return rng.choices(*zip(*DECISION_KINDS, strict=True))[0]


def fine_draw(
    rng: random.Random, tiers: list[DiscretionTier]
) -> tuple[Decimal, DiscretionTier | None]:
    """R7: a fine within its tier's range, a few below or above it (the outliers), and a few
    naming no tier although the item has tiers."""
    tier = tiers[rng.choices(range(len(tiers)), weights=[6, 3, 1])[0]]
    low, high = int(tier.fine_min), int(tier.fine_max)
    draw = rng.random()
    if draw < 0.03:
        fine = Decimal(low // 2)
    elif draw < 0.06:
        fine = Decimal(high * 2)
    else:
        fine = Decimal(rng.randrange(low // 100, high // 100 + 1) * 100)
    return fine, None if rng.random() < 0.03 else tier


def at_ten(rng: random.Random, day: date) -> datetime:
    """Some minute past ten on `day` (when the bank's and the courts' papers are recorded)."""
    return timezone.make_aware(datetime.combine(day, time(10, rng.randrange(60))))


def instalments(
    rng: random.Random, fine: Decimal, *, issued_on: date, today: date, paid_in_full: bool
) -> list[tuple[Decimal, date]]:
    """R30: what the bank received of a fine, (amount, paid on). A closed case's fine is paid in
    full, sometimes in two instalments; of the others about half are paid, some in part."""
    draw = rng.random()
    if not paid_in_full and draw > 0.7:
        return []
    amounts = [fine]
    if not paid_in_full and draw > 0.5:
        amounts = [(fine / 2).quantize(Decimal("0.01"))]
    elif rng.random() < 0.2:
        first = (fine / 2).quantize(Decimal("0.01"))
        amounts = [first, fine - first]
    return [
        (amount, min(issued_on + timedelta(days=rng.randrange(3, 15) * (n + 1)), today))
        for n, amount in enumerate(amounts)
    ]


REMEDY_BODIES = {
    RemedyOutcome.Kind.RECONSIDERATION: "长白省人民政府行政复议办公室",
    RemedyOutcome.Kind.LITIGATION: "长白市中级人民法院",
}
REMEDY_OUTCOMES = [
    (RemedyOutcome.Outcome.UPHELD, 55),
    (RemedyOutcome.Outcome.REVOKED, 15),
    (RemedyOutcome.Outcome.CHANGED, 15),
    (RemedyOutcome.Outcome.CONFIRMED_UNLAWFUL, 10),
    (RemedyOutcome.Outcome.ORDERED_TO_PERFORM, 5),
]
REMEDY_SUMMARIES = {True: "认定事实清楚，适用依据正确。", False: "认定事实不清，证据不足。"}
SCREENING_NOTE = "经筛查，办案人员存在过错，移送问责。"


def challenged(rng: random.Random, issued_at: datetime, now: datetime) -> bool:
    """R13: whether an issued decision was taken to reconsideration or court (a few older ones)."""
    return issued_at < now - timedelta(days=60) and rng.random() < 0.02


def remedy_draw(rng: random.Random, *, issued_on: date, today: date, now: datetime) -> dict:
    """R13: a reconsideration or lawsuit's fields (all but its case, reference and who recorded
    and screened it); unfavourable ones await screening, the older ones mostly screened."""
    kind = (
        RemedyOutcome.Kind.RECONSIDERATION if rng.random() < 0.7 else RemedyOutcome.Kind.LITIGATION
    )
    outcome = rng.choices(*zip(*REMEDY_OUTCOMES, strict=True))[0]
    decided_on = min(issued_on + timedelta(days=rng.randrange(30, 55)), today)
    recorded_at = min(at_ten(rng, decided_on + timedelta(days=rng.randrange(1, 6))), now)
    fields = {
        "kind": kind,
        "body": REMEDY_BODIES[kind],
        "decided_on": decided_on,
        "outcome": outcome,
        "summary": "认定事实清楚，适用依据正确。"
        if outcome == "upheld"
        else "认定事实不清，证据不足。",
        "recorded_at": recorded_at,
        "needs_screening": outcome in RemedyOutcome.UNFAVOURABLE,
        "screened_at": None,
        "screening_note": "",
    }
    if fields["needs_screening"] and recorded_at < now - timedelta(days=30) and rng.random() < 0.8:
        fields["screened_at"] = recorded_at + timedelta(days=rng.randrange(3, 20))
        fields["screening_note"] = SCREENING_NOTE
    return fields
