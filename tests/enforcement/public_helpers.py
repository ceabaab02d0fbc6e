"""Published items for the public-side tests, written directly as the publish service would."""

import itertools

from django.utils import timezone

from enforcement.models import PowerItem, PowerItemEvent, PublishedPowerItem
from enforcement.models.powers import Category
from enforcement.search import search_documents

_codes = itertools.count(1)

BASES = [
    {
        "title": "中华人民共和国食品安全法",
        "document_number": "主席令第21号",
        "level": "law",
        "articles": "第三十五条",
    },
]


def publish(agency, name="食品经营许可", *, category="licensing", level="city", **extra):
    """A working copy and its published snapshot (status published), like power_item_publish."""
    code = extra.pop("code", f"QZ-{next(_codes):05d}")
    sub_item = extra.pop("sub_item", "")
    texts = {
        "handling_unit": extra.pop("handling_unit", "行政审批科"),
        "responsibilities": extra.pop("responsibilities", "受理责任：公示依法应当提交的材料。"),
        "accountability": extra.pop("accountability", "对符合条件的申请不予受理的。"),
        "process": extra.pop("process", "申请、受理、审查、决定、送达。"),
    }
    working = PowerItem.objects.create(
        agency=agency,
        code=code,
        name=name,
        sub_item=sub_item,
        category=category,
        level=level,
        status=PowerItem.Status.PUBLISHED,
        **texts,
    )
    bases, discretion = extra.pop("bases", BASES), extra.pop("discretion", [])
    documents = search_documents(
        code=code,
        name=name,
        sub_item=sub_item,
        category_label=str(dict(Category.choices)[category]),
        handling_unit=texts["handling_unit"],
        responsibilities=texts["responsibilities"],
        accountability=texts["accountability"],
        bases=bases,
        discretion=discretion,
        agency_name=agency.name,
    )
    return PublishedPowerItem.objects.create(
        item=working,
        agency=agency,
        region_path=agency.region.path,
        code=code,
        name=name,
        sub_item=sub_item,
        category=category,
        level=level,
        bases=bases,
        discretion=discretion,
        delegation=extra.pop("delegation", None),
        published_at=extra.pop("published_at", timezone.now()),
        **documents,
        **texts,
        **extra,
    )


def event(published, kind, note, *, public=True):
    return PowerItemEvent.objects.create(item=published.item, kind=kind, note=note, public=public)
