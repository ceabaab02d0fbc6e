"""Factories and helpers of the staff-side power-list tests (drafts, review, versions, API)."""

import datetime
from decimal import Decimal

import factory
from factory.django import DjangoModelFactory

from enforcement.models import DiscretionTier, LegalBasis, PowerItem
from enforcement.models.powers import Category, Level
from enforcement.services import power_items as services
from enforcement.services.power_items import BasisLink


class LegalBasisFactory(DjangoModelFactory):
    class Meta:
        model = LegalBasis

    title = factory.Sequence(lambda n: f"测试管理条例{n}")
    issuer = "测试省人民代表大会常务委员会"
    document_number = factory.Sequence(lambda n: f"测试公告第{n}号")
    level = LegalBasis.Level.LOCAL_REGULATION
    published_on = datetime.date(2020, 1, 1)
    effective_on = datetime.date(2020, 3, 1)


def item_data(**overrides) -> dict:
    data = {
        "code": "330217001000",
        "name": "对生产经营不符合安全标准食品的处罚",
        "sub_item": "",
        "category": Category.PENALTY,
        "level": Level.CITY,
        "handling_unit": "食品安全监督管理科",
        "responsibilities": "立案、调查、审查、决定、送达、执行",
        "accountability": "不履行或不正确履行职责的",
        "process": "",
        "remarks": "",
    }
    return data | overrides


def make_draft(agency, actor, *, basis=None, **overrides) -> PowerItem:
    """A draft with one basis, made through the service as staff would."""
    basis = basis or LegalBasisFactory()
    return services.power_item_create(
        agency=agency,
        actor=actor,
        data=item_data(**overrides),
        bases=[BasisLink(basis=basis, articles="第一百二十四条")],
    )


def make_published(agency, staff, legal_office, supervisor, **overrides) -> PowerItem:
    """An item taken through the whole workflow to publication."""
    item = make_draft(agency, staff, **overrides)
    services.power_item_submit(item=item, actor=staff)
    services.power_item_pass(item=item, actor=legal_office)
    services.power_item_publish(item=item, actor=supervisor)
    item.refresh_from_db()
    return item


def make_tiers(item) -> list[DiscretionTier]:
    """R7: an item's discretion benchmark: a warning, then two ranges of fines."""
    return [
        DiscretionTier.objects.create(
            item=item, order=1, circumstances="初次违法且危害后果轻微", penalty="警告"
        ),
        DiscretionTier.objects.create(
            item=item,
            order=2,
            circumstances="违法情节一般",
            penalty="罚款",
            fine_min=Decimal("5000"),
            fine_max=Decimal("30000"),
        ),
        DiscretionTier.objects.create(
            item=item,
            order=3,
            circumstances="违法情节严重",
            penalty="罚款",
            fine_min=Decimal("30000"),
            fine_max=Decimal("50000"),
        ),
    ]


def withdraw_through_review(item, staff, legal_office, supervisor, reason="职权调整") -> PowerItem:
    """R2: a withdrawal requested by staff, passed by the legal office, approved by the
    supervisor (only then is the item off the public list)."""
    services.power_item_withdraw(item=item, actor=staff, reason=reason)
    services.power_item_withdraw_pass(item=item, actor=legal_office)
    services.power_item_withdraw_approve(item=item, actor=supervisor)
    item.refresh_from_db()
    return item
