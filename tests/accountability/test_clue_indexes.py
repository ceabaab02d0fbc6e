"""The clue register's query can be answered from its indexes at scale (R26): newest first
within the agencies a supervisor sees, without reading the whole table."""

import pytest
from django.db import connection

from accountability.selectors.clues import clues_list

from .conftest import register


@pytest.mark.postgres("EXPLAIN and the planner's settings are PostgreSQL features")
def test_the_register_newest_first_can_use_an_index(city_supervisor, agency_a):
    for _ in range(3):
        register(city_supervisor, agency_a)
    queryset = clues_list(user=city_supervisor)[:50]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # tiny table: ask whether it *can*
        cursor.execute("SET LOCAL enable_sort = off")  # ... give the order without sorting
        sql, params = queryset.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "clue_agency_registered" in plan or "clue_registered" in plan, plan
