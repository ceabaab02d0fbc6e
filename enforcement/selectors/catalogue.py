"""R5: the catalogue of major decisions (重大执法决定法制审核目录) that applies to an agency,
as the public reads it on the agency's page (适用范围, 应审尽审): the catalogue of the agency's
region or of the nearest region above it, else this portal's defaults, which are local choices
and not the policy's. A fixed number of queries: the catalogue, its entries and their domains."""

from dataclasses import dataclass, field

from django.db.models import Q

from ..models import Agency, MajorDecisionCriteria, MajorDecisionType, Region

CRITERIA = Region.major_decision_criteria.related  # the reverse one-to-one's descriptor field


@dataclass
class Catalogue:
    criteria: MajorDecisionCriteria
    is_default: bool  # no region up the tree keeps one: the portal's defaults apply
    kinds: list[str] = field(default_factory=list)
    grounds: list[str] = field(default_factory=list)
    entries: list[MajorDecisionType] = field(default_factory=list)


def _nearest(agency: Agency, ancestors: list[Region] | None) -> MajorDecisionCriteria | None:
    """The catalogue of the agency's region or the nearest above. With `ancestors` read with
    their catalogues (`public_agency_with_ancestors`), no query; else one."""
    if ancestors and all(CRITERIA.is_cached(region) for region in ancestors):
        for region in reversed(ancestors):
            found = CRITERIA.get_cached_value(region)
            if found is not None:
                return found
        return None
    return agency.region.nearest(MajorDecisionCriteria.objects.all())


def major_catalogue(agency: Agency, ancestors: list[Region] | None = None) -> Catalogue:
    """The catalogue that applies to `agency`; `ancestors`: its region's chain, root first."""
    criteria = _nearest(agency, ancestors)
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
