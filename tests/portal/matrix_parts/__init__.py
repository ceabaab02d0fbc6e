"""Parts of the permission matrix that later apps contribute, one module a topic, so that each
app's rows and objects sit beside each other instead of in one ever-growing table.

A part defines `ROWS` (URL name → Row, in the vocabulary of `tests.portal.matrix_table`),
optionally `ADMIN_MODELS` (model label → AdminModel), and `extend_world(world)`, which adds its
objects' ids to both sides of the world (`world["A"]`, `world["B"]`: dicts of key → id). Each side's
instances are in `side["_objects"]`: "region", "agency", "other_agency" (another agency in the
same region, or a county agency of city A), "staff" (inspector_a / outsider_b), "legal_office",
"supervisor", "other_staff", "officers", "closed_case". A row's `fill` names the keys.
"""

import importlib
import pkgutil


def parts():
    return [
        importlib.import_module(f"{__name__}.{module.name}")
        for module in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name)
    ]


def rows() -> dict:
    collected = {}
    for part in parts():
        duplicated = collected.keys() & part.ROWS.keys()
        assert not duplicated, f"{part.__name__} repeats rows: {duplicated}"
        collected |= part.ROWS
    return collected


def admin_models() -> dict:
    collected = {}
    for part in parts():
        collected |= getattr(part, "ADMIN_MODELS", {})
    return collected


def extend_world(world: dict) -> None:
    for part in parts():
        extender = getattr(part, "extend_world", None)
        if extender is not None:
            extender(world)
