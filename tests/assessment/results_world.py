"""Builders for the results tests: a scheme, assignments and scores made directly with the models
(the cycle's opening and the derivation of assignments are another part's services)."""

from decimal import Decimal

from assessment.models import Assignment, Indicator, Score


def scheme(cycle, *points) -> list[Indicator]:
    """Indicators of `points` each (default: 40 + 60 = 100)."""
    points = points or (40, 60)
    return [
        Indicator.objects.create(
            cycle=cycle,
            code=f"I{n}",
            name=f"指标{n}",
            category=Indicator.Category.ENFORCEMENT,
            max_points=Decimal(p),
            guidance=f"评分标准{n}",
            order=n,
        )
        for n, p in enumerate(points, start=1)
    ]


def assign(cycle, agency, evaluator, *, role=Assignment.Role.LOCAL, weight=100) -> Assignment:
    return Assignment.objects.create(
        cycle=cycle, agency=agency, evaluator=evaluator, role=role, weight=weight
    )


def give(assignment, indicators, points, *, by) -> None:
    """Scores straight into the table (the service is tested on its own)."""
    for indicator, value in zip(indicators, points, strict=True):
        Score.objects.create(
            assignment=assignment,
            indicator=indicator,
            points=Decimal(str(value)),
            evidence="现场检查记录",
            scored_by=by,
        )
