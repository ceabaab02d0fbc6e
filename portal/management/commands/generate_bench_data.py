"""Bulk data for the benchmarks: a fictional province of ~1,000 agencies, N published items,
M complaints in its registers and C enforcement cases.

`python manage.py generate_bench_data --power-items 200000`
`python manage.py generate_bench_data --complaints 1000000 --due 1000`
`python manage.py generate_bench_data --cases 200000`
`python manage.py generate_bench_data --preset province`

The province preset (issue 12 "Scale", the evaluation's figures) is 1,500 agencies, 30,000
officers, 1,000,000 complaints and 2,000,000 cases: 50,000 cases written as above with every row,
and 1,950,000 "bulk" cases (`--bulk-cases`, numbered CBPL-<id>) with only what the evaluation
counts: the case, its two officers, its closing and its file reviews, written by COPY with ids
given in advance; and 15,000 list revision tasks (`--revision-tasks`), due over two years, most
done on time. Each flag may also be given alone, or with the preset to change one size.

The province (长白省, division codes 98xxxx) is separate from the demo province, so both can live
in one database. Running again tops the province up to N published items; it never deletes.
Each item is a working copy (status published) and its published snapshot with the same search
text the publish service writes, inserted with bulk_create in batches.

Complaints (R15–R17) are spread over the province's agencies and registers, in every status:
most decided or closed (no current deadline), a few percent open with a deadline well ahead.
Running again tops the registers up to M complaints, or, if they hold more, replaces them all.
`--due N` then makes exactly N open complaints of the province due (their deadline within the
sweep's warning horizon or past, neither reminded nor escalated) and no others, so the deadline
sweep can be timed on registers of different sizes with the same due set. Rows are written in
batches by COPY on PostgreSQL (a million in a few minutes), by executemany elsewhere, each batch
in one transaction with its registers' counters, so the numbers stay unique and gapless.

Cases (issue 5) are written with bulk_create in batches, each case with its parties, two
officers, its current stage's record (a fixed file name, no file), its timeline, and as far as
its age has taken it: a decision (tiered fines, a few major ones with their agreeing legal
review), the disclosure of an issued one, the bank's payments of a fine, closing, a few
reconsideration or court outcomes (the unfavourable ones flagged for screening) and file
reviews. Each agency gets two published penalty items with discretion tiers and four officers
for them. Running again tops the cases up to C, or, if there are more, replaces them all.
"""

import bisect
import csv
import hashlib
import io
import itertools
import random
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import override

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
from complaints.services.register import acknowledge_deadline
from enforcement.demo import credit_code
from enforcement.models import (
    CHECKLIST,
    Agency,
    Case,
    CaseEvent,
    CaseFileReview,
    CaseOfficer,
    CaseRecord,
    CollectingBank,
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
    PublishedPowerItem,
    Region,
    RemedyOutcome,
    Stage,
)
from enforcement.models.powers import Category, Level
from enforcement.redaction import public_parties, redact_text
from enforcement.search import search_documents
from enforcement.services.remedies import PUBLIC_RESULT
from enforcement.validators import credit_code_check_char
from portal.models import User
from portal.public_cache import public_cache_invalidate
from portal.roles import Role
from portal.services import user_assign_role
from reporting.services.tallies import tallies_rebuild
from workdays.deadlines import add_days

PROVINCE = ("980000", "长白省")
CITIES = ["长白", "松原", "白城", "通化", "辽源", "四平", "延边", "梅河", "敦化"]
COUNTIES = ["东丰", "西安", "南岭", "北山", "临江", "安图", "双辽"]
DEPARTMENTS = [
    ("市场监督管理局", "市场监管"),
    ("生态环境局", "生态环境"),
    ("交通运输局", "交通运输"),
    ("自然资源局", "自然资源"),
    ("住房和城乡建设局", "住房建设"),
    ("农业农村局", "农业"),
    ("卫生健康委员会", "卫生健康"),
    ("文化广播电视和旅游局", "文化旅游"),
    ("应急管理局", "安全生产"),
    ("水利局", "水利"),
    ("林业和草原局", "林业"),
    ("商务局", "商务"),
    ("教育局", "教育"),
    ("人力资源和社会保障局", "劳动保障"),
]
OBJECTS = {
    "市场监管": ["食品经营", "食品生产", "特种设备", "计量器具", "药品零售", "化妆品经营", "广告"],
    "生态环境": ["排污", "危险废物经营", "建设项目环境影响", "辐射安全", "机动车排放检验"],
    "交通运输": ["道路旅客运输", "道路货物运输", "机动车维修", "出租汽车经营", "水路运输"],
    "自然资源": ["建设用地", "采矿", "测绘", "土地复垦", "不动产登记"],
    "住房建设": ["建筑工程施工", "建筑业企业资质", "房地产开发", "燃气经营", "物业服务"],
    "农业": ["农药经营", "种子生产经营", "兽药经营", "渔业捕捞", "动物防疫"],
    "卫生健康": ["医疗机构执业", "公共场所卫生", "放射诊疗", "消毒产品生产", "母婴保健技术服务"],
    "文化旅游": ["娱乐场所经营", "互联网上网服务营业场所", "出版物零售", "旅行社经营", "演出经纪"],
    "安全生产": ["危险化学品经营", "烟花爆竹经营", "非煤矿山安全生产", "安全评价", "金属冶炼"],
    "水利": ["取水", "河道采砂", "水土保持方案", "水利工程建设", "洪水影响评价"],
    "林业": ["林木采伐", "林草种子生产经营", "使用林地", "野生动物驯养繁殖", "植物检疫"],
    "商务": ["成品油零售经营", "单用途商业预付卡", "再生资源回收", "拍卖企业", "报废机动车回收"],
    "教育": ["民办学校办学", "校外培训机构", "教师资格认定", "中外合作办学", "幼儿园设立"],
    "劳动保障": ["劳务派遣经营", "人力资源服务", "职业技能培训", "工资支付", "社会保险待遇"],
}
NAMES = {
    Category.LICENSING: ["{o}许可", "{o}许可证核发", "{o}审批", "{o}许可证延续"],
    Category.PENALTY: [
        "对未经许可从事{o}的行政处罚",
        "对违反{o}管理规定的处罚",
        "对{o}中弄虚作假的处罚",
    ],
    Category.COERCION: ["查封、扣押违法{o}的场所和物品", "对{o}违法行为的强制执行"],
    Category.LEVY: ["{o}相关费用征收"],
    Category.PAYMENT: ["{o}补助发放"],
    Category.INSPECTION: ["对{o}的监督检查", "{o}日常检查", "{o}专项抽查"],
    Category.CONFIRMATION: ["{o}资格确认", "{o}登记"],
    Category.REWARD: ["对{o}先进单位和个人的奖励"],
    Category.ADJUDICATION: ["{o}争议裁决"],
    Category.OTHER: ["{o}备案", "{o}信息公示"],
}
CATEGORY_WEIGHTS = [22, 38, 6, 2, 2, 14, 6, 2, 2, 6]  # penalties dominate real lists
SUB_ITEMS = ["新办", "变更", "延续", "注销", "责令改正", "没收违法所得", "罚款"]
LAWS = [
    "中华人民共和国行政许可法",
    "中华人民共和国行政处罚法",
    "中华人民共和国行政强制法",
    "中华人民共和国食品安全法",
    "中华人民共和国环境保护法",
    "中华人民共和国安全生产法",
    "中华人民共和国道路运输条例",
    "中华人民共和国土地管理法",
    "中华人民共和国建筑法",
    "中华人民共和国药品管理法",
    "中华人民共和国水法",
    "中华人民共和国森林法",
    "中华人民共和国特种设备安全法",
    "危险化学品安全管理条例",
    "娱乐场所管理条例",
    "长白省优化营商环境条例",
]
ARTICLE_NUMBERS = "一二三四五六七八九十"
RESPONSIBILITIES = {
    Category.LICENSING: (
        "1.受理责任：公示依法应当提交的材料，一次性告知补正材料，依法受理或不予受理。"
        "2.审查责任：对申请材料进行审查，必要时现场核查。3.决定责任：作出许可或不予许可决定。"
        "4.送达责任：制发并送达许可证件。5.事后监管责任：开展监督检查。"
    ),
    Category.PENALTY: (
        "1.立案责任：发现涉嫌违法行为，予以审查，决定是否立案。2.调查责任：全面、客观、公正地调查，"
        "收集证据。3.审查责任：审查案件事实、证据、程序、法律适用和处罚幅度。4.告知责任：告知拟处罚"
        "的事实、理由、依据和当事人依法享有的陈述、申辩、听证权利。5.决定责任：作出处罚决定。"
        "6.送达责任：依法送达。7.执行责任：监督执行。"
    ),
}
DEFAULT_RESPONSIBILITIES = (
    "1.实施责任：依法履行职责，按规定程序办理。2.告知责任：告知当事人依据和权利。"
    "3.监管责任：加强事中事后监管。"
)
ACCOUNTABILITY = (
    "因不履行或不正确履行行政职责，有下列情形的，行政机关及相关工作人员应承担相应责任："
    "1.对符合条件的申请不予受理、不予办理的；2.违反法定程序实施的；3.滥用职权、玩忽职守的；"
    "4.索取或者收受他人财物、谋取其他利益的；5.其他违反法律法规规章规定的行为。"
)
PROCESS = {
    Category.LICENSING: "申请—受理—审查—决定—送达",
    Category.PENALTY: "立案—调查取证—审查—告知—决定—送达—执行",
}
HANDLING_UNITS = ["行政审批科", "综合执法支队", "法规科", "监督检查科", "执法大队"]
BATCH = 5000


def _domain(agency_name: str) -> str:
    return next((domain for dept, domain in DEPARTMENTS if dept in agency_name), "市场监管")


class Command(BaseCommand):
    help = (
        "Create ~1,000 agencies, N published power items and M complaints for the benchmarks "
        "(top-up)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--power-items", type=int, help="published items wanted in total")
        parser.add_argument("--complaints", type=int, help="complaints wanted in the registers")
        parser.add_argument(
            "--due",
            type=int,
            help="with --complaints: exactly this many open complaints due for the sweep",
        )
        parser.add_argument("--cases", type=int, help="enforcement cases wanted in the province")
        parser.add_argument(
            "--bulk-cases", type=int, help="cases with only what the evaluation counts (COPY)"
        )
        parser.add_argument("--officers", type=int, help="officers wanted in the province")
        parser.add_argument("--revision-tasks", type=int, help="list revision tasks wanted")
        parser.add_argument(
            "--preset", choices=sorted(PRESETS), help="a named size (province: issue 12)"
        )
        parser.add_argument("--agencies", type=int)
        parser.add_argument("--seed", type=int, default=2016)

    def handle(self, *args, agencies: int | None, seed: int, **options):
        for name, value in PRESETS.get(options["preset"], {}).items():
            if name == "agencies":
                agencies = agencies or value
            elif options[name] is None:
                options[name] = value
        agencies = agencies or 1000
        power_items, complaints, due = options["power_items"], options["complaints"], options["due"]
        cases = options["cases"]
        province = [options[name] for name in ("bulk_cases", "officers", "revision_tasks")]
        if power_items is None and complaints is None and cases is None and province == [None] * 3:
            raise CommandError(
                "give --power-items N, --complaints M, --cases C, --bulk-cases B, --officers O,"
                " --revision-tasks R or --preset"
            )
        counts = (power_items, complaints, due, cases, *province)
        if any(n is not None and n < 0 for n in counts) or agencies < 1:
            raise CommandError(
                "--power-items, --complaints, --due, --cases, --bulk-cases, --officers and"
                " --revision-tasks must be ≥ 0 and --agencies ≥ 1"
            )
        if due is not None and complaints is None:
            raise CommandError("--due goes with --complaints")
        rng = random.Random(seed)
        with transaction.atomic():
            bench_agencies = self._agencies(agencies)
        if power_items is not None:
            self._power_items(bench_agencies, power_items, rng, options["verbosity"])
        if complaints is not None:
            self._complaints(bench_agencies, complaints, due, seed, options["verbosity"])
        if options["officers"] is not None:
            made = officers_top_up(bench_agencies, options["officers"])
            self.stdout.write(f"{made} bench officers created")
        if cases is not None:
            self._cases(bench_agencies, cases, seed, options["verbosity"])
        if options["bulk_cases"] is not None:
            self._bulk_cases(bench_agencies, options["bulk_cases"], seed, options["verbosity"])
        if options["revision_tasks"] is not None:
            made = revision_tasks_top_up(bench_agencies, options["revision_tasks"], seed)
            self.stdout.write(f"{made} bench revision tasks created")
        if complaints is not None or cases is not None or options["bulk_cases"] is not None:
            # Written by COPY and in bulk, around the saves that keep the dashboard's tallies.
            self.stdout.write(f"{tallies_rebuild()} agency-months of the dashboard recounted")

    def _cases(self, bench_agencies, wanted: int, seed: int, verbosity: int) -> None:
        agency_ids = [a.pk for a in bench_agencies]
        existing = bench_cases(agency_ids).count()
        if existing > wanted:
            self.stdout.write(f"{existing} bench cases, more than {wanted}: replacing them")
            cases_delete(agency_ids)
            existing = 0
        self.stdout.write(f"{existing} bench cases, creating {wanted - existing}")
        generator = CaseRows(case_world(bench_agencies), seed=seed + existing)
        created = 0
        while existing + created < wanted:
            size = min(CASE_BATCH, wanted - existing - created)
            with transaction.atomic():
                generator.write(size)
            created += size
            if verbosity > 1 or created % 50_000 == 0 or existing + created == wanted:
                self.stdout.write(f"  {existing + created} cases")
        public_cache_invalidate()  # the disclosures are public
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # the planner needs statistics on the new rows
                for model in (*CASE_MODELS, Agency, Region, Officer, PowerItem, DiscretionTier):
                    cursor.execute(f"ANALYZE {model._meta.db_table}")

    def _bulk_cases(self, bench_agencies, wanted: int, seed: int, verbosity: int) -> None:
        agency_ids = [a.pk for a in bench_agencies]
        existing = bulk_cases(agency_ids).count()
        if existing > wanted:
            self.stdout.write(f"{existing} bulk cases, more than {wanted}: replacing them")
            bulk_cases_delete(agency_ids)
            existing = 0
        self.stdout.write(f"{existing} bulk cases, creating {wanted - existing}")
        generator = BulkCaseRows(case_world(bench_agencies), seed=seed + existing)
        created = 0
        while existing + created < wanted:
            size = min(BULK_BATCH, wanted - existing - created)
            with transaction.atomic():
                generator.write(size)
            created += size
            if verbosity > 1 or created % 200_000 == 0 or existing + created == wanted:
                self.stdout.write(f"  {existing + created} bulk cases")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                table = Case._meta.db_table
                top = f"SELECT max(id) FROM {table}"  # noqa: S608
                cursor.execute(f"SELECT setval(pg_get_serial_sequence(%s, 'id'), ({top}))", [table])
                for model in (Case, CaseOfficer, CaseFileReview, Officer):
                    cursor.execute(f"ANALYZE {model._meta.db_table}")

    def _power_items(self, bench_agencies, power_items: int, rng, verbosity: int) -> None:
        existing = PublishedPowerItem.objects.filter(region_path__startswith="980000/").count()
        wanted = power_items - existing
        self.stdout.write(f"{len(bench_agencies)} agencies; {existing} items, creating {wanted}")
        created = 0
        while created < wanted:
            size = min(BATCH, wanted - created)
            with transaction.atomic():
                self._items(bench_agencies, existing + created, size, rng)
            created += size
            if verbosity > 1 or created % 50_000 == 0 or created == wanted:
                self.stdout.write(f"  {existing + created} items")
        public_cache_invalidate()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # the planner needs statistics on the new rows
                cursor.execute("ANALYZE enforcement_poweritem")
                cursor.execute("ANALYZE enforcement_publishedpoweritem")

    def _complaints(self, bench_agencies, wanted: int, due: int | None, seed, verbosity) -> None:
        regions = bench_region_ids()
        existing = Complaint.objects.filter(region_id__in=regions).count()
        if existing > wanted:
            self.stdout.write(f"{existing} bench complaints, more than {wanted}: replacing them")
            complaints_delete(regions)
            existing = 0
        self.stdout.write(f"{existing} bench complaints, creating {wanted - existing}")
        generator = ComplaintRows(bench_agencies, bench_users(), seed=seed + existing)
        created = 0
        while existing + created < wanted:
            size = min(COMPLAINT_BATCH, wanted - existing - created)
            with transaction.atomic():
                generator.write(size)
            created += size
            if verbosity > 1 or created % 100_000 == 0 or existing + created == wanted:
                self.stdout.write(f"  {existing + created} complaints")
        if due is not None:
            made = complaints_due_reset(due)
            self.stdout.write(f"  {made} complaints due")
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(f"ANALYZE {Complaint._meta.db_table}")
                cursor.execute(f"ANALYZE {RegisterCounter._meta.db_table}")

    def _agencies(self, count: int) -> list[Agency]:
        province, _ = Region.objects.get_or_create(
            code=PROVINCE[0], defaults={"name": PROVINCE[1], "level": Region.Level.PROVINCE}
        )
        regions = [province]
        for c, city_name in enumerate(CITIES, start=1):
            city, _ = Region.objects.get_or_create(
                code=f"98{c:02d}00",
                defaults={"name": f"{city_name}市", "level": Region.Level.CITY, "parent": province},
            )
            regions.append(city)
            for k, county_name in enumerate(COUNTIES, start=1):
                county, _ = Region.objects.get_or_create(
                    code=f"98{c:02d}{20 + k:02d}",
                    defaults={
                        "name": f"{city_name}{county_name}县",
                        "level": Region.Level.COUNTY,
                        "parent": city,
                    },
                )
                regions.append(county)
        existing = {(a.region_id, a.name): a for a in Agency.objects.filter(region__in=regions)}
        wanted = []
        for n in range(count):
            region = regions[n % len(regions)]
            department, _domain = DEPARTMENTS[(n // len(regions)) % len(DEPARTMENTS)]
            round_ = n // (len(regions) * len(DEPARTMENTS))
            name = f"{region.name}{department}" + (f"第{round_ + 1}分局" if round_ else "")
            if (region.pk, name) not in existing:
                wanted.append(
                    Agency(
                        name=name,
                        region=region,
                        kind=Agency.Kind.DEPARTMENT,
                        credit_code=credit_code(region.code, n + 1),
                        supervision_phone=f"0431-{8000_0000 + n}",
                        address=f"{region.name}人民大街{n % 300 + 1}号",
                    )
                )
        Agency.objects.bulk_create(wanted, batch_size=BATCH)
        found = Agency.objects.filter(region__in=regions).select_related("region").order_by("pk")
        return list(found)[:count]

    def _items(self, agencies: list[Agency], start: int, size: int, rng: random.Random) -> None:
        categories = list(Category)
        with override("zh-hans"):
            labels = {c: str(c.label) for c in categories}
        levels = {Region.Level.PROVINCE: Level.PROVINCE, Region.Level.CITY: Level.CITY}
        now = timezone.now()
        working, published = [], []
        for seq in range(start, start + size):
            agency = agencies[seq % len(agencies)]
            domain = _domain(agency.name)
            category = rng.choices(categories, weights=CATEGORY_WEIGHTS)[0]
            obj = rng.choice(OBJECTS[domain])
            name = rng.choice(NAMES[category]).format(o=obj)
            sub_item = rng.choice(SUB_ITEMS) if rng.random() < 0.3 else ""
            laws = rng.sample(LAWS, 2)
            bases = [
                {
                    "title": law,
                    "document_number": "",
                    "level": "law",
                    "articles": f"第{rng.choice(ARTICLE_NUMBERS)}十{rng.choice(ARTICLE_NUMBERS)}条",
                    "issuer": "全国人民代表大会常务委员会",
                    "status": "in_force",
                }
                for law in laws
            ]
            content = {
                "code": f"CB{seq + 1:07d}",
                "name": name,
                "sub_item": sub_item,
                "category": category.value,
                "level": levels.get(agency.region.level, Level.COUNTY),
                "handling_unit": rng.choice(HANDLING_UNITS),
                "responsibilities": RESPONSIBILITIES.get(category, DEFAULT_RESPONSIBILITIES),
                "accountability": ACCOUNTABILITY,
                "process": PROCESS.get(category, "申请—审查—决定"),
            }
            working.append(
                PowerItem(
                    agency=agency,
                    status=PowerItem.Status.PUBLISHED,
                    has_unpublished_changes=False,
                    **content,
                )
            )
            documents = search_documents(
                code=content["code"],
                name=name,
                sub_item=sub_item,
                category_label=labels[category],
                handling_unit=content["handling_unit"],
                responsibilities=content["responsibilities"],
                accountability=content["accountability"],
                bases=bases,
                discretion=[],
                agency_name=agency.name,
            )
            published.append(
                PublishedPowerItem(
                    agency=agency,
                    region_path=agency.region.path,
                    bases=bases,
                    published_at=now - timedelta(minutes=rng.randrange(2 * 365 * 24 * 60)),
                    **documents,
                    **content,
                )
            )
        PowerItem.objects.bulk_create(working, batch_size=BATCH)
        for copy, item in zip(published, working, strict=True):
            copy.item = item
        PublishedPowerItem.objects.bulk_create(published, batch_size=BATCH)


# --- Complaints --------------------------------------------------------------------------------

COMPLAINT_BATCH = 50_000
OPEN_PER_MILLE = 60  # open complaints (registered, accepted, handling); the rest was decided
SUPERVISOR_USERNAME = "bench-supervisor"
COMPLAINANTS = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄强", "周杰", "吴霞"]
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


def bench_region_ids() -> list[int]:
    return list(Region.objects.filter(code__startswith="98").values_list("pk", flat=True))


def bench_users() -> list[User]:
    """A supervisor over the province (escalations, reminders before a handler is assigned) and
    one handler per city, each with an e-mail address so that every notice is written."""
    province = Region.objects.get(code=PROVINCE[0])
    wanted = [(SUPERVISOR_USERNAME, province)] + [
        (f"bench-handler-{city.code}", city)
        for city in Region.objects.filter(parent=province).order_by("code")
    ]
    users = []
    for username, region in wanted:
        user, created = User.objects.get_or_create(
            username=username, defaults={"name": username, "email": f"{username}@example.invalid"}
        )
        if created or user.region_id != region.pk:
            user = user_assign_role(user=user, role=Role.SUPERVISOR, actor=None, region=region)
        users.append(user)
    return users


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
            "complainant_name": "" if anonymous else rng.choice(COMPLAINANTS),
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
            row["number"] = f"{row['code']}-{row['year']}-{row['sequence']:06d}"
        rows = [self.values(row) for row in rows]
        names = [f.column for f in self.columns]
        table = Complaint._meta.db_table
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                buffer = io.StringIO()
                writer = csv.writer(buffer)
                for values in rows:
                    writer.writerow([r"\N" if v is None else v for v in values])
                buffer.seek(0)
                cursor.copy_expert(
                    f"COPY {table} ({', '.join(names)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')",
                    buffer,
                )
            else:
                ops = connection.ops
                adapt = {
                    "DateTimeField": ops.adapt_datetimefield_value,
                    "DateField": ops.adapt_datefield_value,
                }
                adapters = [adapt.get(f.get_internal_type()) for f in self.columns]
                rows = [
                    [a(v) if a and v is not None else v for a, v in zip(adapters, r, strict=True)]
                    for r in rows
                ]
                cursor.executemany(
                    f"INSERT INTO {table} ({', '.join(names)}) "  # noqa: S608
                    f"VALUES ({', '.join(['%s'] * len(names))})",
                    rows,
                )
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


def _due_complaints(region_ids):
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
        due_now = _due_complaints(regions)
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
        return _due_complaints(regions).count()


def _days_back(today: date, first: int, last: int):
    return [today - timedelta(days=n) for n in range(first, last)]


def complaints_sweep_undo() -> int:
    """Undo what the deadline sweep did to the bench complaints (their marks, the reminder and
    escalation notices and timeline steps), so that the next sweep does the same work."""
    regions = bench_region_ids()
    due = _due_complaints(regions)
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


# --- Enforcement cases (issue 5) ---------------------------------------------------------------

CASE_BATCH = 5000
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
DECISION_KINDS = [
    (Decision.Kind.FINE, 70),
    (Decision.Kind.WARNING, 15),
    (Decision.Kind.CONFISCATION, 6),
    (Decision.Kind.STOP_PRODUCTION, 3),
    (Decision.Kind.REVOCATION, 2),
    (Decision.Kind.OTHER, 4),
]
FIRMS = ["食品", "商贸", "运输", "化工", "建材", "餐饮", "药业", "物流", "矿业", "旅游"]
SUMMARIES = [
    "经营超过保质期的食品",
    "未按规定进行年度检验",
    "超标排放大气污染物",
    "未取得许可擅自从事经营活动",
    "未按规定建立安全生产台账",
    "擅自改变经营场所",
]
STAGE_RECORDS = {
    Stage.INITIATION: ("立案审批表", EvidenceType.DOCUMENTARY),
    Stage.INVESTIGATION: ("现场检查笔录", EvidenceType.INSPECTION_RECORD),
    Stage.DECISION: ("行政处罚决定审批表", EvidenceType.DOCUMENTARY),
    Stage.SERVICE: ("送达回证", EvidenceType.DOCUMENTARY),
    Stage.ARCHIVING: ("结案报告", EvidenceType.DOCUMENTARY),
}
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
        weights=[DOMAIN_WEIGHT.get(_domain(a.name), 1) for a in bench_agencies],
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
        obj = OBJECTS[_domain(agency.name)][agency.pk % 5]
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
                name=COMPLAINANTS[(agency.pk + k) % len(COMPLAINANTS)],
                certificate_number=f"CBZF-{agency.pk}-{k}",
            )
            for agency in agencies
            for k in range(1, 5)
            if f"CBZF-{agency.pk}-{k}" not in have
        ],
        batch_size=BATCH,
    )


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
        opened_at = self.now - timedelta(seconds=rng.randrange(CASE_DAYS * 86400))
        age = self.now - opened_at
        stage = _stage_at(age, rng)
        issued = stage in (Stage.SERVICE, Stage.ARCHIVING)
        issued_at = None
        if issued:
            waited = (
                age * rng.uniform(0.3, 0.6)
                if age.days < 120
                else timedelta(days=20 + rng.random() * 40)
            )
            issued_at = opened_at + waited
        since = issued_at or opened_at
        changed_at = since + (self.now - since) * rng.uniform(0.05, 0.5)
        closed_at = None
        if stage == Stage.ARCHIVING and rng.random() < 0.9:
            closed_at = changed_at + timedelta(days=rng.uniform(1, 30))
            closed_at = closed_at if closed_at < self.now else None
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
            stage_changed_at=changed_at,
            closed_at=closed_at,
        )
        plan = CasePlan(
            case=case, parties=self.parties(case), officers=rng.sample(world.officers[agency.pk], 2)
        )
        plan.events.append(self.event(case, CaseEvent.Kind.OPENED, opened_at, case.summary))
        if issued or (stage == Stage.DECISION and rng.random() < 0.6):
            self.decide(plan, tiers, issued_at)
        if closed_at is not None:
            plan.events.append(self.event(case, CaseEvent.Kind.CLOSED, closed_at, "案件已结案。"))
            plan.file_review = self.file_review(case)
        return plan

    def parties(self, case: Case) -> list[Party]:
        rng = self.rng
        parties = []
        for _n in range(1 if rng.random() < 0.85 else 2):
            if rng.random() < 0.35:
                kind, name, identifier = (
                    Party.Kind.CITIZEN,
                    rng.choice(COMPLAINANTS),
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
        kind = rng.choices(*zip(*DECISION_KINDS, strict=True))[0]
        fine, tier = None, None
        if kind == Decision.Kind.FINE:
            fine, tier = self._fine(tiers)
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
        if issued_at < self.now - timedelta(days=60) and rng.random() < 0.02:
            plan.remedy = self.remedy(plan)

    def _fine(self, tiers: list[DiscretionTier]) -> tuple[Decimal, DiscretionTier | None]:
        """A fine within its tier's range, a few below or above it (R7's outliers), and a few
        naming no tier although the item has tiers."""
        rng = self.rng
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
        """R30: what the bank received. A closed case's fine is paid in full, sometimes in two
        instalments; of the others about half are paid, some in part."""
        rng = self.rng
        draw = rng.random()
        if not paid_in_full and draw > 0.7:
            return []
        amounts = [decision.fine_amount]
        if not paid_in_full and draw > 0.5:
            amounts = [(decision.fine_amount / 2).quantize(Decimal("0.01"))]
        elif rng.random() < 0.2:
            first = (decision.fine_amount / 2).quantize(Decimal("0.01"))
            amounts = [first, decision.fine_amount - first]
        issued_on = timezone.localdate(decision.issued_at)
        payments = []
        for n, amount in enumerate(amounts):
            paid_on = min(issued_on + timedelta(days=rng.randrange(3, 15) * (n + 1)), self.today)
            payments.append(
                FinePayment(
                    decision=decision,
                    bank=self.world.bank,
                    amount=amount,
                    paid_on=paid_on,
                    recorded_by=self.world.supervisor,
                    recorded_at=min(self._at(paid_on + timedelta(days=1)), self.now),
                )
            )
        return payments

    def remedy(self, plan: CasePlan) -> RemedyOutcome:
        """R13: a reconsideration or lawsuit; unfavourable ones await screening, the older ones
        mostly screened."""
        rng, decision = self.rng, plan.decision
        kind = (
            RemedyOutcome.Kind.RECONSIDERATION
            if rng.random() < 0.7
            else RemedyOutcome.Kind.LITIGATION
        )
        outcome = rng.choices(*zip(*REMEDY_OUTCOMES, strict=True))[0]
        decided_on = min(
            timezone.localdate(decision.issued_at) + timedelta(days=rng.randrange(30, 55)),
            self.today,
        )
        recorded_at = min(self._at(decided_on + timedelta(days=rng.randrange(1, 6))), self.now)
        remedy = RemedyOutcome(
            case=plan.case,
            kind=kind,
            body=REMEDY_BODIES[kind],
            decided_on=decided_on,
            outcome=outcome,
            summary="认定事实清楚，适用依据正确。"
            if outcome == "upheld"
            else "认定事实不清，证据不足。",
            recorded_by=self.world.supervisor,
            recorded_at=recorded_at,
            needs_screening=outcome in RemedyOutcome.UNFAVOURABLE,
        )
        if remedy.needs_screening:
            plan.disclosure.remedy_note = self.public_results[outcome]
            if recorded_at < self.now - timedelta(days=30) and rng.random() < 0.8:
                remedy.screened_at = recorded_at + timedelta(days=rng.randrange(3, 20))
                remedy.screened_by = self.world.supervisor
                remedy.screening_note = "经筛查，办案人员存在过错，移送问责。"
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
            reviewer=self.world.supervisor,
            reviewed_at=case.closed_at + (self.now - case.closed_at) * self.rng.uniform(0.1, 0.9),
            total=sum(scores.values()),
            findings="案卷材料完整，程序合法。" if full else "部分文书填写不规范。",
            **scores,
        )

    def _at(self, day: date) -> datetime:
        return timezone.make_aware(datetime.combine(day, time(10, self.rng.randrange(60))))


def _stage_at(age: timedelta, rng: random.Random) -> str:
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


# --- The province of the evaluation (issue 12 "Scale") -----------------------------------------

PRESETS = {
    "province": {
        "agencies": 1500,
        "officers": 30_000,
        "complaints": 1_000_000,
        "cases": 50_000,
        "bulk_cases": 1_950_000,
        "revision_tasks": 15_000,
    },
}
BULK_PREFIX = "CBPL-"  # the number of a bulk case: CBPL-<id>
BULK_BATCH = 50_000
REVISION_SUMMARY = "基准数据：机构职能调整"


def officers_top_up(agencies: list[Agency], wanted: int) -> int:
    """Officers with valid certificates, as evenly over the agencies as `wanted` allows (the
    cases' first four of each agency included); returns how many were created."""
    have = set(
        Officer.objects.filter(
            agency__in=agencies, certificate_number__startswith="CBZF-"
        ).values_list("certificate_number", flat=True)
    )
    missing = wanted - len(have)
    made = []
    k = 1
    while len(made) < missing:
        for agency in agencies:
            number = f"CBZF-{agency.pk}-{k}"
            if number not in have and len(made) < missing:
                made.append(
                    Officer(
                        agency=agency,
                        name=COMPLAINANTS[(agency.pk + k) % len(COMPLAINANTS)],
                        certificate_number=number,
                    )
                )
        k += 1
    Officer.objects.bulk_create(made, batch_size=BATCH)
    return len(made)


def bulk_cases(agency_ids):
    return Case.objects.filter(agency_id__in=agency_ids, number__startswith=BULK_PREFIX)


def bulk_cases_delete(agency_ids: list[int]) -> None:
    of_bulk = {"case__agency_id__in": agency_ids, "case__number__startswith": BULK_PREFIX}
    with transaction.atomic():
        for model in (CaseFileReview, CaseOfficer):
            model.objects.filter(**of_bulk)._raw_delete(connection.alias)
        bulk_cases(agency_ids)._raw_delete(connection.alias)


def copy_rows(model, columns: list[str], rows: list[list]) -> None:
    """Write rows into the model's table: COPY on PostgreSQL, executemany elsewhere."""
    table = model._meta.db_table
    names = [model._meta.get_field(c).column for c in columns]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            for values in rows:
                writer.writerow([r"\N" if v is None else v for v in values])
            buffer.seek(0)
            cursor.copy_expert(
                f"COPY {table} ({', '.join(names)}) FROM STDIN WITH (FORMAT csv, NULL '\\N')",
                buffer,
            )
            return
        ops = connection.ops
        fields = [model._meta.get_field(c) for c in columns]
        adapt = {
            "DateTimeField": ops.adapt_datetimefield_value,
            "DateField": ops.adapt_datefield_value,
        }
        adapters = [adapt.get(f.get_internal_type()) for f in fields]
        rows = [
            [a(v) if a and v is not None else v for a, v in zip(adapters, r, strict=True)]
            for r in rows
        ]
        cursor.executemany(
            f"INSERT INTO {table} ({', '.join(names)}) "  # noqa: S608
            f"VALUES ({', '.join(['%s'] * len(names))})",
            rows,
        )


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
]
REVIEW_SCORES = [name for name, _label, _points in CHECKLIST]
REVIEW_COLUMNS = [
    "case",
    "reviewer",
    "reviewed_at",
    *REVIEW_SCORES,
    *(f"{name}_points" for name in REVIEW_SCORES),
    "total",
    "findings",
]


class BulkCaseRows:
    """Cases with only what the evaluation counts (their officers, closing and file reviews),
    over the last three years like the full ones, with ids given in advance so that their
    officers and reviews go in the same COPY pass."""

    def __init__(self, world: CaseWorld, *, seed: int) -> None:
        self.world = world
        self.rng = random.Random(seed)
        self.now = timezone.now()
        self.cumulative = list(itertools.accumulate(world.weights))
        self.officers = {
            agency_id: [o.pk for o in officers] for agency_id, officers in world.officers.items()
        }
        self.next_id = (Case.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
        self.sources = Case.Source.values
        self.points = [points for _name, _label, points in CHECKLIST]

    def write(self, size: int) -> None:
        rng, world, now = self.rng, self.world, self.now
        cases, officers, reviews = [], [], []
        for _ in range(size):
            pk, self.next_id = self.next_id, self.next_id + 1
            n = bisect.bisect_right(self.cumulative, rng.random() * self.cumulative[-1])
            agency = world.agencies[n]
            item = world.items[agency.pk][pk % 2][0]
            opened_at = now - timedelta(seconds=rng.randrange(CASE_DAYS * 86400))
            stage = _stage_at(now - opened_at, rng)
            changed_at = opened_at + (now - opened_at) * rng.uniform(0.05, 0.5)
            closed_at = None
            if stage == Stage.ARCHIVING and rng.random() < 0.9:
                closed_at = changed_at + timedelta(days=rng.uniform(1, 30))
                closed_at = closed_at if closed_at < now else None
            cases.append(
                [
                    pk,
                    agency.pk,
                    item.pk,
                    f"{BULK_PREFIX}{pk}",
                    item.code,
                    item.name,
                    rng.choice(self.sources),
                    f"{rng.choice(SUMMARIES)}。",
                    stage,
                    world.inspector.pk,
                    opened_at,
                    changed_at,
                    closed_at,
                ]
            )
            for officer in rng.sample(self.officers[agency.pk], 2):
                officers.append([pk, officer])
            if closed_at is not None:
                review = self.review(pk, closed_at)
                if review:
                    reviews.append(review)
        copy_rows(Case, CASE_COLUMNS, cases)
        copy_rows(CaseOfficer, ["case", "officer"], officers)
        copy_rows(CaseFileReview, REVIEW_COLUMNS, reviews)

    def review(self, pk: int, closed_at: datetime) -> list | None:
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
            self.world.supervisor.pk,
            reviewed_at,
            *scores,
            *self.points,
            sum(scores),
            findings,
        ]


def revision_tasks_top_up(agencies: list[Agency], wanted: int, seed: int) -> int:
    """R2: list revision tasks of the agencies after changes of their functions, due over the
    last two years and the next month; most done on time, some late, some still open (past due
    or not). Returns how many were created."""
    from enforcement.models import BasisChange, RevisionTask

    existing = RevisionTask.objects.filter(
        agency__in=agencies, change__summary__startswith=REVISION_SUMMARY
    ).count()
    rng = random.Random(seed + existing)
    today, supervisor = timezone.localdate(), bench_users()[0]
    dues: dict[date, date] = {}
    created = 0
    while existing + created < wanted:
        size = min(BATCH, wanted - existing - created)
        changes, tasks = [], []
        for n in range(size):
            agency = agencies[(existing + created + n) % len(agencies)]
            published = today - timedelta(days=rng.randrange(-10, 730))
            if published not in dues:
                dues[published] = add_days(start=published, days=30).deadline
            due = dues[published]
            changes.append(
                BasisChange(
                    kind=BasisChange.Kind.FUNCTIONS_CHANGED,
                    agency=agency,
                    published_on=published,
                    summary=f"{REVISION_SUMMARY}（第 {existing + created + n + 1} 次）",
                    recorded_by=supervisor,
                )
            )
            task = RevisionTask(agency=agency, due_on=due)
            draw = rng.random()
            if due < today and draw < 0.9 or draw < 0.3:
                late = rng.random() < 0.15
                done_on = due + timedelta(days=rng.randrange(1, 20) if late else -rng.randrange(20))
                task.status = RevisionTask.Status.CLOSED
                task.closed_at = min(
                    timezone.make_aware(datetime.combine(done_on, time(15))), timezone.now()
                )
                task.closed_by = supervisor
                task.closing_note = "已完成调整并发布。"
            tasks.append(task)
        with transaction.atomic():
            BasisChange.objects.bulk_create(changes, batch_size=BATCH)
            for change, task in zip(changes, tasks, strict=True):
                task.change = change
            RevisionTask.objects.bulk_create(tasks, batch_size=BATCH)
        created += size
    return created
