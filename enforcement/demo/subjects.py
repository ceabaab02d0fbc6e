"""A fictional province for demonstrations: regions, about twenty agencies, officers.

Everything is keyed by a natural key (region code, credit code, certificate number), so loading
twice changes nothing.
"""

from datetime import date
from decimal import Decimal

from ..models import (
    Agency,
    CollectingBank,
    Decision,
    DocumentNumbering,
    EnforcementDomain,
    MajorDecisionCriteria,
    MajorDecisionType,
    Officer,
    Region,
)
from ..validators import credit_code_check_char

L = Region.Level
K = Agency.Kind
M = Agency.Management

REGIONS = [  # (code, name, level, parent code)
    ("990000", "松江省", L.PROVINCE, None),
    ("990100", "松江市", L.CITY, "990000"),
    ("990102", "松江市东城区", L.COUNTY, "990100"),
    ("990121", "榆川县", L.COUNTY, "990100"),
    ("990200", "白山湖市", L.CITY, "990000"),
    ("990202", "白山湖市临江区", L.COUNTY, "990200"),
    ("990221", "抚远县", L.COUNTY, "990200"),
    ("990300", "北岭市", L.CITY, "990000"),
    ("990302", "北岭市岭东区", L.COUNTY, "990300"),
    ("990400", "青峰山管委会", L.COMMITTEE, "990000"),
    ("990402", "青峰山池北区", L.COUNTY, "990400"),
]

DOMAINS = [
    "市场监管",
    "生态环境",
    "税务",
    "城市管理",
    "交通运输",
    "应急管理",
    "林业草原",
    "住房公积金",
    "药品监管",
    "综合执法",
]

# (key, name, region code, kind, management, supervising key, legal office, domains)
# fmt: off
AGENCIES = [
    ("gov-990000", "松江省人民政府", "990000", K.GOVERNMENT, M.LOCAL, None, False, []),
    ("sft-990000", "松江省司法厅", "990000", K.DEPARTMENT, M.LOCAL, None, True, []),
    ("scj-990000", "松江省市场监督管理厅", "990000", K.DEPARTMENT, M.LOCAL, None, False, ["市场监管"]),
    ("sth-990000", "松江省生态环境厅", "990000", K.DEPARTMENT, M.LOCAL, None, False, ["生态环境"]),
    ("sw-990000", "国家税务总局松江省税务局", "990000", K.DEPARTMENT, M.LOCAL, None, False, ["税务"]),
    ("yj-990000", "松江省药品监督管理局", "990000", K.DEPARTMENT, M.LOCAL, None, False, ["药品监管"]),
    ("gov-990100", "松江市人民政府", "990100", K.GOVERNMENT, M.LOCAL, None, False, []),
    ("sfj-990100", "松江市司法局", "990100", K.DEPARTMENT, M.LOCAL, None, True, []),
    ("scj-990100", "松江市市场监督管理局", "990100", K.DEPARTMENT, M.LOCAL, None, False, ["市场监管"]),
    ("sth-990100", "松江市生态环境局", "990100", K.DEPARTMENT, M.DUAL, "sth-990000", False, ["生态环境"]),
    ("sw-990100", "国家税务总局松江市税务局", "990100", K.DEPARTMENT, M.VERTICAL, "sw-990000", False, ["税务"]),
    ("cg-990100", "松江市城市管理行政执法局", "990100", K.DEPARTMENT, M.LOCAL, None, False, ["城市管理"]),
    ("jt-990100", "松江市交通运输综合行政执法支队", "990100", K.AUTHORISED, M.LOCAL, None, False, ["交通运输"]),
    ("gjj-990100", "松江市住房公积金管理中心", "990100", K.AUTHORISED, M.LOCAL, None, False, ["住房公积金"]),
    ("sfj-990102", "松江市东城区司法局", "990102", K.DEPARTMENT, M.LOCAL, None, True, []),
    ("scj-990102", "松江市东城区市场监督管理局", "990102", K.DEPARTMENT, M.LOCAL, None, False, ["市场监管"]),
    ("zf-990102", "东城区永安街道综合行政执法队", "990102", K.DELEGATED, M.LOCAL, None, False, ["综合执法"]),
    ("sfj-990200", "白山湖市司法局", "990200", K.DEPARTMENT, M.LOCAL, None, True, []),
    ("sth-990200", "白山湖市生态环境局", "990200", K.DEPARTMENT, M.DUAL, "sth-990000", False, ["生态环境"]),
    ("yj-990221", "抚远县应急管理局", "990221", K.DEPARTMENT, M.LOCAL, None, False, ["应急管理"]),
    ("lc-990221", "抚远县林业和草原局", "990221", K.DEPARTMENT, M.LOCAL, None, False, ["林业草原"]),
    ("sfj-990300", "北岭市司法局", "990300", K.DEPARTMENT, M.LOCAL, None, True, []),
    ("fz-990400", "青峰山管委会法制办公室", "990400", K.DEPARTMENT, M.LOCAL, None, True, []),
    ("zf-990400", "青峰山管委会综合行政执法局", "990400", K.AUTHORISED, M.LOCAL, None, False, ["综合执法"]),
]
# fmt: on

# R8: the establishment offices (机构编制部门) that give their opinion on disputes; appended after
# AGENCIES so that the credit codes of the agencies above keep their sequence.
ESTABLISHMENT_OFFICES = [  # (key, name, region code)
    ("bb-990000", "中共松江省委机构编制委员会办公室", "990000"),
    ("bb-990100", "中共松江市委机构编制委员会办公室", "990100"),
]

# R9: the abbreviations (机关代字) in the agencies' case and document numbers.
ABBREVIATIONS = {
    "scj-990000": "松省市监",
    "sth-990000": "松省环",
    "scj-990100": "松市监",
    "sth-990100": "松市环",
    "cg-990100": "松城执",
    "jt-990100": "松交执",
    "scj-990102": "松东市监",
    "sth-990200": "白环",
}

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = ["建国", "海燕", "志强", "丽娟", "明", "伟", "静", "晓东", "春梅", "国华", "磊", "婷"]


def credit_code(region_code: str, seq: int) -> str:
    """A well-formed credit code for an organ of the state (登记管理部门 1, 机关 1)."""
    body = f"11{region_code}{seq:09d}"
    return body + credit_code_check_char(body)


def load_regions() -> dict[str, Region]:
    regions: dict[str, Region] = {}
    for code, name, level, parent in REGIONS:
        regions[code], _ = Region.objects.get_or_create(
            code=code, defaults={"name": name, "level": level, "parent": regions.get(parent)}
        )
    # R30: the province designates the banks that collect fines.
    for bank, account in (
        ("松江农村商业银行", "6230990000000001"),
        ("中国工商银行松江分行", "6222990000000002"),
    ):
        CollectingBank.objects.get_or_create(
            region=regions["990000"],
            account_number=account,
            defaults={"name": bank, "account_name": "松江省财政厅非税收入汇缴结算户"},
        )
    return regions


def load_agencies(regions: dict[str, Region]) -> dict[str, Agency]:
    domains = {name: EnforcementDomain.objects.get_or_create(name=name)[0] for name in DOMAINS}
    agencies: dict[str, Agency] = {}
    for seq, (key, name, region, kind, mgmt, upper, legal, fields) in enumerate(AGENCIES, 1):
        agency, created = Agency.objects.get_or_create(
            credit_code=credit_code(region, seq),
            defaults={
                "name": name,
                "region": regions[region],
                "kind": kind,
                "management": mgmt,
                "supervising_agency": agencies.get(upper),
                "is_legal_office": legal,
                "address": f"{regions[region].name}人民大街{100 + seq}号",
                "supervision_phone": f"0431-8{seq:03d}{seq:04d}",
            },
        )
        if created:
            agency.domains.set([domains[f] for f in fields])
        agencies[key] = agency
    for seq, (key, name, region) in enumerate(ESTABLISHMENT_OFFICES, len(AGENCIES) + 1):
        agencies[key], _created = Agency.objects.get_or_create(
            credit_code=credit_code(region, seq),
            defaults={
                "name": name,
                "region": regions[region],
                "kind": K.DEPARTMENT,
                "is_establishment_office": True,
                "address": f"{regions[region].name}人民大街{100 + seq}号",
                "supervision_phone": f"0431-8{seq:03d}{seq:04d}",
            },
        )
    for key, abbreviation in ABBREVIATIONS.items():
        DocumentNumbering.objects.get_or_create(
            agency=agencies[key], defaults={"abbreviation": abbreviation}
        )
    return agencies


def load_officers(agencies: dict[str, Agency]) -> int:
    n = 0
    for a_index, agency in enumerate(agencies.values()):
        if agency.kind == Agency.Kind.GOVERNMENT:
            continue
        for i in range(3):
            n += 1
            name = SURNAMES[(a_index + i) % len(SURNAMES)] + GIVEN[(a_index * 3 + i) % len(GIVEN)]
            status = Officer.CertificateStatus.VALID
            extra = {}
            if n % 17 == 0:
                status = Officer.CertificateStatus.SUSPENDED
                extra = {"status_reason": "涉嫌违规执法，暂扣待查", "status_date": date(2026, 9, 1)}
            elif n % 23 == 0:
                status = Officer.CertificateStatus.WITHDRAWN
                extra = {"status_reason": "调离执法岗位", "status_date": date(2026, 3, 15)}
            officer, created = Officer.objects.get_or_create(
                certificate_number=f"JZ{agency.region.code}{n:05d}",
                defaults={"name": name, "agency": agency, "certificate_status": status, **extra},
            )
            if created:
                officer.domains.set(agency.domains.all())
    return n


def load_major_catalogue(regions: dict[str, Region], *, actor) -> MajorDecisionCriteria:
    """R5: the province's catalogue of major decisions (重大执法决定法制审核目录): the portal's
    default thresholds (local defaults, not the policy's) and two entries of the ecology domain,
    shown on the agencies' public pages. Loaded once."""
    from ..services.decisions import major_catalogue_entry_save, major_criteria_save

    province = regions["990000"]
    existing = MajorDecisionCriteria.objects.filter(region=province).first()
    if existing is not None:
        return existing
    criteria = major_criteria_save(
        criteria=MajorDecisionCriteria(
            region=province,
            note="本目录适用于全省各级行政执法机关；市、县另有目录的，适用其目录。",
        ),
        actor=actor,
    )
    ecology = EnforcementDomain.objects.get_or_create(name="生态环境")[0]
    for kind, min_fine, description in (
        (Decision.Kind.FINE, Decimal("50000"), "生态环境领域较大数额罚款"),
        (Decision.Kind.OTHER, None, "查封、扣押造成污染物排放的设施、设备"),
    ):
        entry = major_catalogue_entry_save(
            entry=MajorDecisionType(
                criteria=criteria, kind=kind, min_fine=min_fine, description=description
            ),
            actor=actor,
        )
        entry.domains.set([ecology])
    return criteria
