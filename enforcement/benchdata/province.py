"""The bench province's regions and agencies (a province, nine cities of seven counties each, and
their departments) and its officers.

`PROVINCE`, its cities, counties and departments are in `portal/benchdata.py`, which every app's
bench data shares."""

from enforcement.demo.subjects import credit_code
from enforcement.models import Agency, Officer, Region
from portal.benchdata import (
    BATCH,
    CITIES,
    COUNTIES,
    DEPARTMENTS,
    PERSON_NAMES,
    PROVINCE,
)


def agencies_top_up(count: int) -> list[Agency]:
    """The province's regions and its first `count` agencies, the departments round the regions
    (a second round as 分局), created once then reused."""
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


def officers_top_up(agencies: list[Agency], wanted: int) -> int:
    """Officers with valid certificates, as evenly over the agencies as `wanted` allows (the
    cases' first four of each agency included); returns how many were created."""
    have = set(
        Officer.objects.filter(
            agency__in=agencies, certificate_number__startswith="CBZF-"
        ).values_list("certificate_number", flat=True)
    )
    missing = wanted - len(have)
    made = []
    k = 1
    while len(made) < missing:
        for agency in agencies:
            number = f"CBZF-{agency.pk}-{k}"
            if number not in have and len(made) < missing:
                made.append(
                    Officer(
                        agency=agency,
                        name=PERSON_NAMES[(agency.pk + k) % len(PERSON_NAMES)],
                        certificate_number=number,
                    )
                )
        k += 1
    Officer.objects.bulk_create(made, batch_size=BATCH)
    return len(made)
