"""R20 at scale (issue 12 "Scale"): every query of the figures' computation can find the year's
rows of its table through an index, so that a province-sized cycle never reads a million-row
table whole to count one year. The tables are tiny here: sequential scans are switched off to
ask whether an index CAN answer (bench/assessment_figures.py measures what the planner does at
the province's size)."""

import json

import pytest
from django.db import connection

from accountability.models import Sanction
from assessment.services.figures import figure_queries
from complaints.models import Complaint
from enforcement.models import Case, CaseFileReview, LegalReview, RemedyOutcome, RevisionTask

pytestmark = [pytest.mark.postgres("EXPLAIN is a PostgreSQL feature"), pytest.mark.django_db]

# The table each query counts, and the column of the year's range that an index must serve.
SOURCES = {
    "complaints": (Complaint, "registered_at"),
    "acknowledgements": (Complaint, "acknowledge_by"),
    "revisions": (RevisionTask, "due_on"),
    "legal_reviews": (LegalReview, "at"),
    "cases": (Case, "closed_at"),
    "case_reviews": (CaseFileReview, "reviewed_at"),
    "remedies": (RemedyOutcome, "decided_on"),
    # Registered by accountability (accountability.services.evaluation).
    "accountability": (Sanction, "counts_in_year"),
}


def _plan(queryset) -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        # Empty tables make probing the reviews case by case look cheapest; at the province's
        # size the year's rows are hashed against the agencies' cases instead (the bench's plans).
        cursor.execute("SET LOCAL enable_nestloop = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        (plan,) = cursor.fetchone()
    return (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]


def _nodes(node):
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)


def _scans_of(plan: dict, table: str) -> list[dict]:
    """The nodes reading `table`, each with the index conditions under it (a bitmap heap scan's
    condition is on its bitmap index scans)."""
    scans = []
    for node in _nodes(plan):
        if node.get("Relation Name") != table:
            continue
        conditions = [node.get("Index Cond", ""), node.get("Recheck Cond", "")]
        indexes = [node.get("Index Name")]
        for child in _nodes(node):
            conditions.append(child.get("Index Cond", ""))
            indexes.append(child.get("Index Name"))
        scans.append(
            {
                "type": node["Node Type"],
                "conditions": " ".join(conditions),
                "indexes": [i for i in indexes if i],
            }
        )
    return scans


def test_the_computation_has_one_query_per_source(cycle_2026):
    assert set(figure_queries(cycle_2026)) == set(SOURCES)


@pytest.mark.parametrize("source", sorted(SOURCES))
def test_each_figure_query_finds_the_years_rows_through_an_index(cycle_2026, agency_a, source):
    """R20 (scale): no sequential scan of the counted table; an index serves the year's range."""
    model, column = SOURCES[source]
    plan = _plan(figure_queries(cycle_2026)[source])
    scans = _scans_of(plan, model._meta.db_table)
    assert scans, json.dumps(plan, indent=1)
    for scan in scans:
        assert scan["type"] != "Seq Scan", json.dumps(plan, indent=1)
        assert scan["indexes"], json.dumps(plan, indent=1)
        assert column in scan["conditions"], json.dumps(plan, indent=1)


def test_without_the_migrations_index_the_acknowledgement_range_has_none(cycle_2026, agency_a):
    """The check above can fail: drop complaints' 0007 index (rolled back with the test) and no
    index serves the acknowledgement deadlines of the year."""
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX complaint_acknowledge_by")
    plan = _plan(figure_queries(cycle_2026)["acknowledgements"])
    scans = _scans_of(plan, Complaint._meta.db_table)
    assert not any("acknowledge_by" in scan["conditions"] for scan in scans)
