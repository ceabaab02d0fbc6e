"""Serializers of the scoped staff API on power items. They present and parse; services decide."""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ...models import Delegation, DiscretionTier, LegalBasis, PowerItem, PowerItemEvent
from ...services.power_items import CONTENT_FIELDS, BasisLink, Tier


class BasisLinkSerializer(serializers.Serializer):
    basis = serializers.PrimaryKeyRelatedField(
        queryset=LegalBasis.objects.all(), help_text=_("执法依据库中的依据编号")
    )
    title = serializers.CharField(source="basis.title", read_only=True)
    articles = serializers.CharField(max_length=200, required=False, allow_blank=True)


class TierSerializer(serializers.ModelSerializer):
    class Meta:
        model = DiscretionTier
        fields = ["order", "circumstances", "penalty", "fine_min", "fine_max"]
        read_only_fields = ["order"]


class EventSerializer(serializers.ModelSerializer):
    actor = serializers.CharField(source="actor.username", read_only=True, default=None)

    class Meta:
        model = PowerItemEvent
        fields = ["kind", "actor", "at", "note", "public"]


class StaffPowerItemSerializer(serializers.ModelSerializer):
    """A working copy. `bases` and `discretion` replace the item's lists when sent."""

    agency_name = serializers.CharField(source="agency.name", read_only=True)
    bases = BasisLinkSerializer(many=True, required=False)
    discretion = TierSerializer(many=True, required=False, source="discretion_tiers")
    delegation = serializers.PrimaryKeyRelatedField(
        queryset=Delegation.objects.all(), required=False, allow_null=True
    )

    class Meta:
        model = PowerItem
        fields = [
            "id",
            "agency",
            "agency_name",
            *CONTENT_FIELDS,
            "delegation",
            "status",
            "has_unpublished_changes",
            "updated_at",
            "bases",
            "discretion",
        ]
        read_only_fields = ["status", "has_unpublished_changes", "updated_at"]
        # The service checks the code's uniqueness within the agency with its own message.
        validators: list = []

    def get_fields(self):
        fields = super().get_fields()
        if self.instance is not None and not isinstance(self.instance, list | tuple):
            fields["agency"].read_only = True
        return fields

    def service_arguments(self) -> dict:
        data = dict(self.validated_data)
        bases = data.pop("bases", None)
        tiers = data.pop("discretion_tiers", None)
        data.pop("agency", None)
        return {
            "data": data,
            "bases": None
            if bases is None
            else [BasisLink(basis=b["basis"], articles=b.get("articles", "")) for b in bases],
            "tiers": None if tiers is None else [Tier.from_dict(t) for t in tiers],
        }


class StaffPowerItemDetailSerializer(StaffPowerItemSerializer):
    timeline = EventSerializer(many=True, read_only=True)

    class Meta(StaffPowerItemSerializer.Meta):
        fields = [*StaffPowerItemSerializer.Meta.fields, "timeline"]


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=2000,
        error_messages={"required": _("必须写明理由。"), "blank": _("必须写明理由。")},
    )
