"""R21 at scale (issue 12 "Scale"; bench/assessment_officers.py measures the province's size):

- the officers' results page and API cut a page from the sorted ids and then read its rows: the
  order (agencies by name, best total first) and the pages must be those of the whole list;
- the named-complaints count of the computation, run once per officer, can find the year's
  substantiated complaints that name someone through the covering partial index
  `complaint_names_substantiated` without visiting the table (PostgreSQL; sequential scans are
  switched off to ask whether the index CAN answer, the tables being tiny here).
"""

import json

import pytest
from django.db import connection
from django.urls import reverse

from assessment.services import officers as service
from tests.conftest import client_for
from tests.factories import OfficerFactory

from .officer_world import complaint, result_for

pytestmark = pytest.mark.django_db


def _ranked(cycle, agency_a, county_agency_a):
    """Three results in each of two agencies, their totals out of order."""
    for agency in (agency_a, county_agency_a):
        for n, total in enumerate(("61", "88", "75")):
            result_for(cycle, OfficerFactory(agency=agency, name=f"{agency.pk}-{n}"), total=total)
    first, second = sorted((agency_a, county_agency_a), key=lambda a: (a.name, a.pk))
    return [(first.pk, t) for t in ("88.00", "75.00", "61.00")] + [
        (second.pk, t) for t in ("88.00", "75.00", "61.00")
    ]


def test_the_officers_results_page_keeps_the_lists_order_across_pages(
    cycle_2026, agency_a, county_agency_a, city_supervisor, monkeypatch
):
    """R21: by agency name, then best total first; page 2 goes on where page 1 stopped."""
    expected = _ranked(cycle_2026, agency_a, county_agency_a)
    monkeypatch.setattr("assessment.views.officers.PAGE_SIZE", 4)
    client = client_for(city_supervisor)
    url = reverse("assessment:officer-results", args=[cycle_2026.pk])
    seen = []
    for number in (1, 2):
        page = client.get(url, {"page": number}).context["page"]
        seen += [(row.agency_id, str(row.total)) for row in page.object_list]
        assert all(row.officer.name and row.agency.name for row in page.object_list)
    assert seen == expected


def test_the_officers_results_api_keeps_the_lists_order_across_pages(
    cycle_2026, agency_a, county_agency_a, city_supervisor, monkeypatch
):
    """R21: the API's pages are the same cut of the same order."""
    expected = _ranked(cycle_2026, agency_a, county_agency_a)
    monkeypatch.setattr("assessment.api.officers.PageNumberPagination.page_size", 4)
    client = client_for(city_supervisor)
    url = reverse("api:assessment-cycle-officer-results", args=[cycle_2026.pk])
    seen = []
    for number in (1, 2):
        body = client.get(url, {"page": number}).json()
        assert body["count"] == 6
        seen += [(row["agency"], row["total"]) for row in body["results"]]
    assert seen == expected


def _plan(queryset) -> dict:
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN (FORMAT JSON) {sql}", params)
        (plan,) = cursor.fetchone()
    return (json.loads(plan) if isinstance(plan, str) else plan)[0]["Plan"]


def _nodes(node):
    yield node
    for child in node.get("Plans", []):
        yield from _nodes(child)


@pytest.mark.postgres("EXPLAIN is a PostgreSQL feature")
def test_the_named_complaints_are_read_through_the_covering_partial_index(agency_a):
    """R21 (scale): the per-officer count reads the index alone, never the complaints table."""
    officer = OfficerFactory(agency=agency_a)
    complaint(agency_a, f"证号 {officer.certificate_number}")
    queries = service.officer_batch_queries([officer.pk], 2026)
    scans = [
        node
        for node in _nodes(_plan(queries["complaints"]))
        if node.get("Relation Name") == "complaints_complaint"
    ]
    assert scans, "the complaints are not read"
    assert all(
        node["Node Type"] == "Index Only Scan"
        and node["Index Name"] == "complaint_names_substantiated"
        for node in scans
    ), scans
