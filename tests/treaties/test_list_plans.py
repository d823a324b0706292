"""On PostgreSQL, the participations list reads its rows in order from an index instead of
sorting every row: treaties by the `treaty_list_order` index (display order, slug by code
point), each treaty's participations by its key, each treaty's few rows sorted on their own
(an Incremental Sort). Reversed, the same index is read backwards.

A handful of rows is enough to see the plan with sequential scans and whole sorts priced
out (`enable_seqscan`, `enable_sort` off): without the index, the only plans left sort the
whole list all the same, and the test fails. The plan at scale is read by `bench/explain.py`.
"""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tests.factories import CountryFactory, ParticipationFactory, TreatyFactory
from treaties.models import Participation
from treaties.views import ParticipationListView

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="query plans are PostgreSQL's: PostgreSQL only"
    ),
]

PARTICIPATIONS = reverse("treaties:participation-list")


@pytest.fixture
def participations(db, monkeypatch):
    monkeypatch.setattr(ParticipationListView, "paginate_by", 5)
    countries = [CountryFactory() for _ in range(4)]
    for order in (3, 1, 2, 1):
        treaty = TreatyFactory(display_order=order)
        for country in countries:
            ParticipationFactory(treaty=treaty, country=country)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def nodes(plan):
    yield plan
    for child in plan.get("Plans", []):
        yield from nodes(child)


def participation_queries(client, query):
    """The SQL of every query the page runs on the participations table."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get(PARTICIPATIONS, query)
    assert response.status_code == 200
    table = Participation._meta.db_table
    return [
        q["sql"]
        for q in captured.captured_queries
        if f'FROM "{table}"' in q["sql"].split(" WHERE")[0]
    ]


def plan_of(sql):
    with connection.cursor() as cursor:
        # A handful of rows sorts in no time: price sequential scans and whole sorts out, so
        # the planner shows the plan it takes for a large table where one exists.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_sort = off")
        cursor.execute("EXPLAIN (FORMAT JSON) " + sql)
        [plan] = cursor.fetchone()
    plan = json.loads(plan) if isinstance(plan, str) else plan
    return list(nodes(plan[0]["Plan"]))


@pytest.mark.parametrize("query", [{}, {"page": "2"}, {"sort": "treaty"}, {"sort": "-treaty"}])
def test_the_list_reads_treaties_from_their_index_and_sorts_no_whole_list(
    client, participations, query
):
    [page] = [sql for sql in participation_queries(client, query) if " LIMIT " in sql]
    plan = plan_of(page)
    kinds = [node["Node Type"] for node in plan]
    assert "Sort" not in kinds, kinds
    assert any(node.get("Index Name") == "treaty_list_order" for node in plan), kinds


@pytest.mark.parametrize("sort", ["country", "-country", "status", "-status"])
@pytest.mark.parametrize("page", ["1", "2", "last"])
def test_a_list_sorted_by_country_or_status_sorts_no_whole_list_either(
    client, participations, sort, page
):
    queries = participation_queries(client, {"sort": sort, "page": page})
    assert queries
    for sql in queries:
        kinds = [node["Node Type"] for node in plan_of(sql)]
        assert "Sort" not in kinds, (sql, kinds)
