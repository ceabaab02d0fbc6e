"""The indexes that scoping needs exist and the planner can use them."""

import pytest
from django.db import connection

from enforcement.models import Agency


@pytest.mark.postgres("a varchar_pattern_ops index and EXPLAIN are PostgreSQL features")
def test_a_supervisors_region_and_below_is_found_through_an_index(city_supervisor, agencies):
    queryset = Agency.objects.filter(region__path__startswith=city_supervisor.region.path)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # tiny tables: ask whether it *can*
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "enforcement_region_path" in plan and "_like" in plan, plan


@pytest.mark.postgres("the guardian join table's indexes are checked in pg_indexes")
def test_agency_permissions_are_indexed_by_user_and_agency(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE tablename = %s",
            ["enforcement_agencyuserobjectpermission"],
        )
        defs = " ".join(row[0] for row in cursor.fetchall())
    assert "(user_id" in defs and "(content_object_id" in defs
