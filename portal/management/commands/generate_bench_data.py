"""Bulk data for the benchmarks: a fictional province of ~1,000 agencies and N published items.

`python manage.py generate_bench_data --power-items 200000`

The province (长白省, division codes 98xxxx) is separate from the demo province, so both can live
in one database. Running again tops the province up to N published items; it never deletes.
Each item is a working copy (status published) and its published snapshot with the same search
text the publish service writes, inserted with bulk_create in batches.
"""

import random
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import override

from enforcement.demo import credit_code
from enforcement.models import Agency, PowerItem, PublishedPowerItem, Region
from enforcement.models.powers import Category, Level
from enforcement.search import search_document
from portal.public_cache import public_cache_invalidate

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
    help = "Create ~1,000 agencies and N published power items for the benchmarks (top-up)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--power-items", type=int, required=True, help="published items wanted in total"
        )
        parser.add_argument("--agencies", type=int, default=1000)
        parser.add_argument("--seed", type=int, default=2016)

    def handle(self, *args, power_items: int, agencies: int, seed: int, **options):
        if power_items < 0 or agencies < 1:
            raise CommandError("--power-items must be ≥ 0 and --agencies ≥ 1")
        rng = random.Random(seed)
        with transaction.atomic():
            bench_agencies = self._agencies(agencies)
        existing = PublishedPowerItem.objects.filter(region_path__startswith="980000/").count()
        wanted = power_items - existing
        self.stdout.write(f"{len(bench_agencies)} agencies; {existing} items, creating {wanted}")
        created = 0
        while created < wanted:
            size = min(BATCH, wanted - created)
            with transaction.atomic():
                self._items(bench_agencies, existing + created, size, rng)
            created += size
            if options["verbosity"] > 1 or created % 50_000 == 0 or created == wanted:
                self.stdout.write(f"  {existing + created} items")
        public_cache_invalidate()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:  # the planner needs statistics on the new rows
                cursor.execute("ANALYZE enforcement_poweritem")
                cursor.execute("ANALYZE enforcement_publishedpoweritem")

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
