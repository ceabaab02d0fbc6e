"""What the public API shows of a disclosed decision (R9): exactly the redacted snapshot that the
public page shows, never the case, its parties' identifiers or addresses."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ...models import DecisionDisclosure
from ...remedy_rights import REMEDY_RIGHTS
from .public import AgencyBriefSerializer


class DisclosureListSerializer(serializers.ModelSerializer):
    agency = AgencyBriefSerializer()
    kind_display = serializers.CharField(source="kind_label")
    url = serializers.SerializerMethodField()

    class Meta:
        model = DecisionDisclosure
        fields = [
            "id",
            "title",
            "document_number",
            "agency",
            "item_code",
            "item_name",
            "kind",
            "kind_display",
            "fine_amount",
            "parties",
            "decided_on",
            "disclosed_at",
            "remedy_note",
            "url",
        ]

    @extend_schema_field(OpenApiTypes.STR)
    def get_url(self, disclosure: DecisionDisclosure) -> str:
        """The disclosure's public page."""
        return getattr(disclosure, "page_url", None) or disclosure.get_absolute_url()


class RemedyRightSerializer(serializers.Serializer):
    name = serializers.CharField()
    text = serializers.CharField()
    source = serializers.CharField()


class AppliedBasisSerializer(serializers.Serializer):
    """R9: one legal basis the decision applied."""

    title = serializers.CharField()
    document_number = serializers.CharField(allow_blank=True)
    articles = serializers.CharField(allow_blank=True)


class DisclosureDetailSerializer(DisclosureListSerializer):
    legal_bases = AppliedBasisSerializer(many=True, read_only=True)
    remedies = serializers.SerializerMethodField()

    class Meta(DisclosureListSerializer.Meta):
        fields = [*DisclosureListSerializer.Meta.fields, "legal_bases", "text", "remedies"]

    @extend_schema_field(RemedyRightSerializer(many=True))
    def get_remedies(self, disclosure: DecisionDisclosure) -> list[dict]:
        return RemedyRightSerializer(REMEDY_RIGHTS, many=True).data
