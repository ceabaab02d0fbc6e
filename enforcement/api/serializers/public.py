"""What the public API shows of a published item (R9): nothing that is not on the public page."""

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ...models import PowerItemEvent, PublishedPowerItem
from ...selectors import public as selectors


class AgencyBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


# The list's `published_at` as its field writes it, without building the serializer's fields
# (ModelSerializer introspects the model for each request: about 1 ms).
_PUBLISHED_AT = serializers.DateTimeField()


class PublishedPowerItemListSerializer(serializers.ModelSerializer):
    category_display = serializers.SerializerMethodField()
    level_display = serializers.SerializerMethodField()
    agency = AgencyBriefSerializer()
    url = serializers.SerializerMethodField()

    class Meta:
        model = PublishedPowerItem
        fields = [
            "id",
            "code",
            "name",
            "sub_item",
            "category",
            "category_display",
            "level",
            "level_display",
            "agency",
            "region_path",
            "handling_unit",
            "published_at",
            "url",
        ]

    @extend_schema_field(OpenApiTypes.STR)
    def get_category_display(self, item: PublishedPowerItem) -> str:
        return str(item.get_category_display())

    @extend_schema_field(OpenApiTypes.STR)
    def get_level_display(self, item: PublishedPowerItem) -> str:
        return str(item.get_level_display())

    @extend_schema_field(OpenApiTypes.STR)
    def get_url(self, item: PublishedPowerItem) -> str:
        """The item's public page."""
        return reverse("enforcement:public-item", args=[item.pk])

    def to_representation(self, item: PublishedPowerItem) -> dict:
        """The declared fields, written out by hand for a page of rows decorated by
        selectors.decorate_rows: DRF's per-field machinery cost more than the search itself.
        A test checks both ways give the same result."""
        if not hasattr(item, "page_url"):
            return super().to_representation(item)
        return {
            "id": item.pk,
            "code": item.code,
            "name": item.name,
            "sub_item": item.sub_item,
            "category": item.category,
            "category_display": str(item.category_label),
            "level": item.level,
            "level_display": str(item.level_label),
            "agency": {"id": item.agency_id, "name": item.agency.name},
            "region_path": item.region_path,
            "handling_unit": item.handling_unit,
            "published_at": _PUBLISHED_AT.to_representation(item.published_at),
            "url": item.page_url,
        }


class BasisSerializer(serializers.Serializer):
    title = serializers.CharField()
    document_number = serializers.CharField()
    articles = serializers.CharField()
    level = serializers.CharField()


class DiscretionTierSerializer(serializers.Serializer):
    order = serializers.IntegerField()
    circumstances = serializers.CharField()
    penalty = serializers.CharField()
    fine_min = serializers.CharField()
    fine_max = serializers.CharField()


class DelegationSerializer(serializers.Serializer):
    organisation = serializers.CharField()
    basis = serializers.CharField()
    starts_on = serializers.CharField()
    ends_on = serializers.CharField()


class PublicEventSerializer(serializers.ModelSerializer):
    kind_display = serializers.CharField(source="get_kind_display")

    class Meta:
        model = PowerItemEvent
        fields = ["at", "kind", "kind_display", "note"]


class PublishedPowerItemDetailSerializer(PublishedPowerItemListSerializer):
    supervision_phone = serializers.CharField(source="agency.supervision_phone")
    bases = serializers.SerializerMethodField()
    discretion = serializers.SerializerMethodField()
    delegation = serializers.SerializerMethodField()
    history = serializers.SerializerMethodField()

    class Meta(PublishedPowerItemListSerializer.Meta):
        fields = [
            *PublishedPowerItemListSerializer.Meta.fields,
            "responsibilities",
            "accountability",
            "process",
            "remarks",
            "supervision_phone",
            "bases",
            "discretion",
            "delegation",
            "history",
        ]

    @extend_schema_field(BasisSerializer(many=True))
    def get_bases(self, item):
        return BasisSerializer(selectors.bases_of(item), many=True).data

    @extend_schema_field(DiscretionTierSerializer(many=True))
    def get_discretion(self, item):
        return DiscretionTierSerializer(selectors.discretion_of(item), many=True).data

    @extend_schema_field(DelegationSerializer(allow_null=True))
    def get_delegation(self, item):
        delegation = selectors.delegation_of(item)
        return None if delegation is None else DelegationSerializer(delegation).data

    @extend_schema_field(PublicEventSerializer(many=True))
    def get_history(self, item):
        return PublicEventSerializer(selectors.public_history(item), many=True).data

    def to_representation(self, item: PublishedPowerItem) -> dict:
        return serializers.ModelSerializer.to_representation(self, item)


class RegionBriefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class PublicAgencySerializer(serializers.Serializer):
    """An enforcement subject as the public may name it (the complaint form's choices)."""

    id = serializers.IntegerField()
    name = serializers.CharField()
    region = RegionBriefSerializer()
    kind = serializers.CharField()
    kind_display = serializers.CharField(source="get_kind_display")
