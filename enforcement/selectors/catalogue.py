"""R5: the catalogue of major decisions (重大执法决定法制审核目录) that applies to an agency,
as the public reads it on the agency's page (适用范围, 应审尽审): the catalogue of the agency's
region or of the nearest region above it, else this portal's defaults, which are local choices
and not the policy's. A fixed number of queries: the catalogue, its entries and their domains."""

from dataclasses import dataclass, field

from django.db.models import Q

from ..models import Agency, MajorDecisionCriteria, MajorDecisionType


@dataclass
class Catalogue:
    criteria: MajorDecisionCriteria
    is_default: bool  # no region up the tree keeps one: the portal's defaults apply
    kinds: list[str] = field(default_factory=list)
    grounds: list[str] = field(default_factory=list)
    entries: list[MajorDecisionType] = field(default_factory=list)


def major_catalogue(agency: Agency) -> Catalogue:
    criteria = agency.region.nearest(MajorDecisionCriteria.objects.all())
    catalogue = Catalogue(criteria=criteria or MajorDecisionCriteria(), is_default=criteria is None)
    found = catalogue.criteria
    for enabled, label in (
        (found.stop_production, MajorDecisionCriteria._meta.get_field("stop_production")),
        (found.revocation, MajorDecisionCriteria._meta.get_field("revocation")),
        (found.hearing, MajorDecisionCriteria._meta.get_field("hearing")),
        (found.outside_benchmark, MajorDecisionCriteria._meta.get_field("outside_benchmark")),
    ):
        if enabled:
            catalogue.kinds.append(str(label.verbose_name))
    catalogue.grounds = [str(label) for _value, label in found.ground_choices()]
    if criteria is not None:
        catalogue.entries = list(
            MajorDecisionType.objects.filter(criteria=criteria)
            .filter(Q(domains__isnull=True) | Q(domains__in=agency.domains.values("pk")))
            .distinct()
            .prefetch_related("domains")
            .order_by("kind", "pk")
        )
    return catalogue
