"""R20: the computed figures of a cycle, scoped like the page: supervisors in scope read every
agency's row they may see, agency staff their own agency's; a cycle out of scope is a 404."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import generics, serializers

from ..models import AgencyFigures
from ..selectors import figures as selectors
from ..services.figures import rate


class AgencyFiguresSerializer(serializers.ModelSerializer):
    agency_name = serializers.CharField(source="agency.name", read_only=True)
    acknowledgement_rate = serializers.SerializerMethodField(help_text=_("按时告知率（%）"))
    revision_rate = serializers.SerializerMethodField(help_text=_("清单按时调整率（%）"))

    class Meta:
        model = AgencyFigures
        fields = [
            "agency",
            "agency_name",
            "complaints_received",
            "complaints_substantiated",
            "acknowledgements_due",
            "acknowledgements_on_time",
            "acknowledgement_rate",
            "revisions_due",
            "revisions_on_time",
            "revision_rate",
            "legal_reviews",
            "legal_reviews_refused",
            "cases",
            "case_reviews",
            "case_review_average",
            "remedies",
            "remedies_unfavourable",
            "accountability_findings",
            "computed_at",
        ]
        read_only_fields = fields

    def get_acknowledgement_rate(self, row) -> float | None:
        value = rate(row.acknowledgements_on_time, row.acknowledgements_due)
        return None if value is None else float(value)

    def get_revision_rate(self, row) -> float | None:
        value = rate(row.revisions_on_time, row.revisions_due)
        return None if value is None else float(value)


@extend_schema(
    tags=["assessment"],
    summary=_("考核周期的统计指标"),
    responses={
        200: AgencyFiguresSerializer(many=True),
        404: OpenApiResponse(description=_("没有该考核周期，或不在本人可查看的范围内")),
    },
)
class CycleFiguresList(generics.ListAPIView):
    """The figures the portal computed for each agency of the cycle over its year (R20)."""

    serializer_class = AgencyFiguresSerializer
    queryset = AgencyFigures.objects.none()  # the schema's model; the rows come from the selector

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        cycle = selectors.figures_cycle(user=self.request.user, pk=self.kwargs["pk"])
        return selectors.figures_rows(user=self.request.user, cycle=cycle)
