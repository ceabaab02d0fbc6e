"""What the public search pages (the power list, the disclosed decisions) share: the options of
their hand-written selects."""


def options(choices, chosen) -> list[tuple[str, str, bool]]:
    """(value, label, selected) for a hand-written select: the form widgets' template rendering
    costs more than the search itself."""
    return [(value, label, value == chosen) for value, label in choices]


def region_options(top_regions, filterset, data) -> list[tuple[str, str, bool]]:
    """The provinces and cities (the regions browsed from the index), and the chosen region
    when it lies deeper."""
    if top_regions is None:
        return []
    regions = list(top_regions)
    chosen = getattr(filterset, "region", None)
    if chosen is not None and chosen not in regions:
        regions.append(chosen)
    code = chosen.code if chosen is not None else data.get("region")
    return [(r.code, f"{r.name}（{r.code}）", r.code == code) for r in regions]
