"""The review's facts without a source (on the dashboard too) are read from a partial index
of each kind's unsourced rows, in key order: the count and the first few cost the unsourced
rows only, however many rows cite a source."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.registry import site
from portal.review import unsourced_groups
from tests.factories import ParticipationFactory, TreatyActionFactory

pytestmark = pytest.mark.django_db


def reviewed_kinds():
    return [facts for facts in site.facts() if facts.unsourced_review]


def test_every_kind_the_review_counts_has_a_partial_index_of_its_unsourced_rows(db):
    kinds = reviewed_kinds()
    assert len(kinds) >= 8
    with connection.cursor() as cursor:
        for facts in kinds:
            table = facts.model._meta.db_table
            found = connection.introspection.get_constraints(cursor, table)
            index = found.get(f"{facts.model._meta.model_name}_unsourced")
            assert index is not None and index["index"], table
            assert index["columns"] == ["id"], table


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the plan at scale is PostgreSQL's (SQLite reads the few rows by the source key)",
)
def test_postgresql_reads_the_unsourced_facts_from_the_partial_index(db):
    ParticipationFactory.create_batch(3)
    unsourced = ParticipationFactory(source=None)
    TreatyActionFactory(participation=unsourced, source=None)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    with CaptureQueriesContext(connection) as captured:
        groups = unsourced_groups(10)
    assert {group["model"]: group["count"] for group in groups} == {
        "treaties.participation": 1,
        "treaties.treatyaction": 1,
    }
    queries = [q["sql"] for q in captured.captured_queries if "rows_in_all" in q["sql"]]
    kinds = reviewed_kinds()
    assert len(queries) == len(kinds)
    with connection.cursor() as cursor:
        # A few rows read fastest by a scan: price scans and sorts out to see the plan for many.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        for facts, sql in zip(kinds, queries, strict=True):
            cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
            [plan] = cursor.fetchone()
            plan = plan if isinstance(plan, str) else json.dumps(plan)
            assert f'"{facts.model._meta.model_name}_unsourced"' in plan, (facts.key, plan)
