"""The demo power lists: every demo agency's items in every state, through the real services.

Staff and legal-office colleagues of each agency (with unusable passwords) do the drafting and
the internal review; the provincial supervisor publishes. Loaded once: a second run finds items
and changes nothing.
"""

from datetime import date
from decimal import Decimal

from portal.models import User
from portal.roles import Role
from portal.services import user_assign_role

from ..models import (
    Agency,
    BasisChange,
    DiscretionTrial,
    EnforcementDomain,
    LegalBasis,
    LevelSplit,
    PowerItem,
    Region,
)
from ..services.bases import basis_change_record, legal_basis_create
from ..services.delegations import delegation_create
from ..services.levels import level_split_create
from ..services.power_items import (
    BasisLink,
    Tier,
    power_item_create,
    power_item_pass,
    power_item_publish,
    power_item_return,
    power_item_submit,
)
from . import powers_data as data

LEVELS = {"province": "province", "city": "city", "committee": "city", "county": "county"}


def _colleague(agency: Agency, role: Role, suffix: str) -> User:
    user, created = User.objects.get_or_create(
        username=f"{suffix}-{agency.credit_code.lower()}",
        defaults={
            "name": f"{agency.name}{'法制机构' if role == Role.LEGAL_OFFICE else '工作人员'}"
        },
    )
    if created:
        user.set_unusable_password()
        user.save()
        user_assign_role(user=user, role=role, actor=None, agency=agency)
    return user


def _patterns(agency: Agency) -> list[tuple]:
    if agency.kind == Agency.Kind.GOVERNMENT:
        return data.GOVERNMENT_ITEMS
    if agency.is_legal_office:
        return data.LEGAL_OFFICE_ITEMS
    own = [p for domain in agency.domains.all() for p in data.ITEMS.get(domain.name, [])]
    return own + data.COMMON_ITEMS


def _basis_domains() -> dict[str, list[EnforcementDomain]]:
    """Each basis governs the domains whose items cite it (R2: a new law reaches them)."""
    names: dict[str, set[str]] = {key: set(v) for key, v in data.BASIS_DOMAINS.items()}
    for domain, patterns in data.ITEMS.items():
        for _category, _name, _subs, links, _fine in patterns:
            for key, _articles in links:
                names.setdefault(key, set()).add(domain)
    domains = {d.name: d for d in EnforcementDomain.objects.all()}
    return {key: [domains[n] for n in sorted(v) if n in domains] for key, v in names.items()}


def _tiers(fine: tuple[int, int] | None) -> list[Tier]:
    if not fine:
        return []
    low, high = (Decimal(v) for v in fine)
    middle = (low + high) / 2
    return [
        Tier(
            "初次违法且危害后果轻微并及时改正的",
            f"警告或罚款{low:.0f}元至{middle:.0f}元",
            low,
            middle,
        ),
        Tier("违法情节一般的", f"罚款{middle:.0f}元至{high:.0f}元", middle, high),
        Tier("违法情节严重或拒不改正的", f"罚款{high:.0f}元，并依法责令停业整顿", high, high),
    ]


def _drafts(agency: Agency, staff: User, bases: dict[str, LegalBasis]) -> list[PowerItem]:
    items = []
    for n, (category, name, subs, links, fine) in enumerate(_patterns(agency), 1):
        for s, sub in enumerate(subs or [""], 1):
            items.append(
                power_item_create(
                    agency=agency,
                    actor=staff,
                    data={
                        "code": f"{agency.region.code}-{category[:3].upper()}-{n:03d}-{s:02d}",
                        "name": name,
                        "sub_item": sub,
                        "category": category,
                        "level": LEVELS[agency.region.level],
                        "handling_unit": f"{agency.name}法规科"
                        if n % 2
                        else f"{agency.name}执法科",
                        "responsibilities": data.RESPONSIBILITIES,
                        "accountability": data.ACCOUNTABILITY,
                        "process": data.PROCESS,
                    },
                    bases=[BasisLink(bases[key], articles) for key, articles in links],
                    tiers=_tiers(fine),
                )
            )
    return items


def _advance(item: PowerItem, n: int, staff: User, legal: User, supervisor: User) -> None:
    """Most items are published; a few stay in each earlier state so every state can be seen."""
    if n % 11 == 3:
        return  # a draft
    power_item_submit(item=item, actor=staff)
    if n % 11 == 5:
        return  # waiting for the legal office
    if n % 11 == 7:
        power_item_return(
            item=item, actor=legal, reason="设定依据条款引用不完整，请补充后重新提交。"
        )
        return
    power_item_pass(item=item, actor=legal)
    if n % 11 == 9:
        return  # waiting for the government legal office
    power_item_publish(item=item, actor=supervisor, note="首次公布。")


def load_power_lists(*, agencies: dict[str, Agency], supervisor: User) -> int:
    """Load the lists once; returns how many items were created (0 when already loaded). Only
    the demo agencies' own items count: a bench database loaded first holds items of its own."""
    if PowerItem.objects.filter(agency__in=agencies.values()).exists():
        return 0
    domains = _basis_domains()
    bases = {
        key: legal_basis_create(
            actor=supervisor,
            title=title,
            issuer=issuer,
            document_number=number,
            level=level,
            published_on=published,
            effective_on=effective,
            domains=domains.get(key, []),
        )
        for key, title, issuer, number, level, published, effective in data.BASES
    }
    count = 0
    for agency in agencies.values():
        if agency.kind == Agency.Kind.DELEGATED:
            continue  # R1, R4: its items are on the delegating agency's list
        staff = _colleague(agency, Role.AGENCY_STAFF, "staff")
        legal = _colleague(agency, Role.LEGAL_OFFICE, "legal")
        items = _drafts(agency, staff, bases)
        if agency.name == "松江市城市管理行政执法局":
            delegation_create(
                delegating_agency=agency,
                delegated_organisation=Agency.objects.get(name="东城区永安街道综合行政执法队"),
                basis="《中华人民共和国行政处罚法》第二十条；松江市城市管理行政执法局委托书（松城执委〔2025〕3号）",
                starts_on=date(2025, 3, 1),
                ends_on=date(2027, 2, 28),
                actor=supervisor,
                items=[i for i in items if i.category == "penalty"],
            )
        for n, item in enumerate(items, 1):
            _advance(PowerItem.objects.get(pk=item.pk), n, staff, legal, supervisor)
        count += len(items)
    basis_change_record(
        kind=BasisChange.Kind.AMENDED,
        basis=bases["spaq"],
        published_on=date(2026, 11, 10),
        summary="《中华人民共和国食品安全法》修正，调整食品经营许可和相关法律责任条款。",
        actor=supervisor,
    )
    basis_change_record(
        kind=BasisChange.Kind.ENACTED,
        basis=bases["xzf"],
        published_on=None,
        summary="新制定，规范食品小作坊登记和食品摊贩备案，市场监管部门增补相应许可、检查和处罚事项。",
        actor=supervisor,
    )
    return count


# R10: the province's split of 市场监管 between its levels; R7: 松江市 joins the licensing trial.
MARKET_SPLIT = {
    "scopes": {
        "province": "全省范围内有重大影响的、复杂的违法案件；省级负责的行政检查；举报奖励。",
        "city": "本市范围内重大、复杂的违法案件；特种设备使用登记；举报奖励。",
        "county": "本县（市、区）范围内的违法案件；食品经营许可；日常监督检查。",
    },
    "categories": {
        "province": ["penalty", "coercion", "inspection", "reward"],
        "city": ["licensing", "penalty", "coercion", "inspection", "reward"],
        "county": ["licensing", "penalty", "coercion", "inspection"],
    },
    # With the 行政处罚法 as the legal basis: its article on level jurisdiction, then the
    # province's document.
    "basis_document": "第二十三条；松江省市场监管领域级别管辖通知（松政办发〔2025〕12号）",
}


def load_jurisdiction(*, supervisor: User) -> None:
    """The province's level split of 市场监管 (shown on the public pages; it flags the county
    market regulator's reward item), and 松江市 in the licensing discretion trial. Loaded once."""
    market = EnforcementDomain.objects.get(name="市场监管")
    province = Region.objects.get(code="990000")
    if not LevelSplit.objects.filter(region=province, domain=market).exists():
        basis = LegalBasis.objects.filter(title="中华人民共和国行政处罚法").first()
        level_split_create(
            actor=supervisor, region=province, domain=market, legal_basis=basis, **MARKET_SPLIT
        )
    DiscretionTrial.objects.get_or_create(
        region=Region.objects.get(code="990100"),
        category=DiscretionTrial.TrialCategory.LICENSING,
        defaults={
            "basis": "松江市行政许可裁量权基准试点方案（松政办发〔2026〕3号）",
            "started_on": date(2026, 1, 1),
        },
    )
