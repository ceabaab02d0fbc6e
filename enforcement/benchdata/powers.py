"""The bench province's published items (`--power-items N`): each a working copy (status
published) and its published snapshot with the same search text the publish service writes,
spread over the agencies (penalties and licensing first, as in real lists), inserted with
bulk_create in batches. Running again tops the province up to N published items; it never
deletes."""

import random
from datetime import timedelta

from django.utils import timezone
from django.utils.translation import override

from enforcement.models import Agency, PowerItem, PublishedPowerItem, Region
from enforcement.models.powers import Category, Level
from enforcement.search import search_documents
from portal.benchdata import BATCH, agency_domain, analyze
from portal.public_cache import public_cache_invalidate

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


def power_items_count() -> int:
    """The province's published items."""
    return PublishedPowerItem.objects.filter(region_path__startswith="980000/").count()


class PowerItemRows:
    """Writes published items, numbered on from `start`, round the agencies."""

    def __init__(self, agencies: list[Agency], *, start: int, rng: random.Random) -> None:
        self.agencies = agencies
        self.start = start
        self.rng = rng

    def write(self, size: int) -> None:
        """`size` items and their snapshots, in the caller's transaction."""
        agencies, start, rng = self.agencies, self.start, self.rng
        categories = list(Category)
        with override("zh-hans"):
            labels = {c: str(c.label) for c in categories}
        levels = {Region.Level.PROVINCE: Level.PROVINCE, Region.Level.CITY: Level.CITY}
        now = timezone.now()
        working, published = [], []
        for seq in range(start, start + size):
            agency = agencies[seq % len(agencies)]
            domain = agency_domain(agency.name)
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
        self.start += size


def power_items_done() -> None:
    """The public pages show the new items; the planner needs statistics on them."""
    public_cache_invalidate()
    analyze(PowerItem, PublishedPowerItem)
