"""Bulk data for the benchmarks: a fictional province of ~1,000 agencies, N published items and
M complaints in its registers.

`python manage.py generate_bench_data --power-items 200000`
`python manage.py generate_bench_data --complaints 1000000 --due 1000`

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
"""

import csv
import hashlib
import io
import random
from datetime import date, datetime, time, timedelta

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
from enforcement.models import Agency, PowerItem, PublishedPowerItem, Region
from enforcement.models.powers import Category, Level
from enforcement.search import search_document
from portal.models import User
from portal.public_cache import public_cache_invalidate
from portal.roles import Role
from portal.services import user_assign_role
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
        parser.add_argument("--agencies", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=2016)

    def handle(self, *args, agencies: int, seed: int, **options):
        power_items, complaints, due = options["power_items"], options["complaints"], options["due"]
        if power_items is None and complaints is None:
            raise CommandError("give --power-items N, --complaints M or both")
        if any(n is not None and n < 0 for n in (power_items, complaints, due)) or agencies < 1:
            raise CommandError(
                "--power-items, --complaints and --due must be ≥ 0 and --agencies ≥ 1"
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
            document = search_document(
                content["code"],
                name,
                sub_item,
                labels[category],
                content["handling_unit"],
                content["responsibilities"],
                content["accountability"],
                *laws,
                agency.name,
            )
            published.append(
                PublishedPowerItem(
                    agency=agency,
                    region_path=agency.region.path,
                    bases=bases,
                    published_at=now - timedelta(minutes=rng.randrange(2 * 365 * 24 * 60)),
                    search_document=document,
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
