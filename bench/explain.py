"""The query plans of the public pages: does any page sort or spill the whole table?

Each public page is fetched in-process (Django's test client) from the PostgreSQL database
DATABASE_URL names, with every query captured; each captured SELECT is then run again under
`EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)`. A page meets the goal when no plan has

- a full sort: a Sort node fed more than --sort-rows rows (a top-N heapsort under a LIMIT
  still reads every row it ranks, so it counts too); an Incremental Sort sorts small groups
  of an already ordered input and is fine;
- a disk spill: a sort, hash or hash aggregate that wrote to disk.

Aggregates fed more than --sort-rows rows are listed too (a count over the whole table),
with the slowest query of each page. `--review` adds the editors' review page (not public;
it derives every stored status, minutes at a million rows). Everything runs in one
transaction that is rolled back: the editor account the review page needs is never kept.

    DATABASE_URL=postgres://…/db python -m bench.explain [--json] [--review] [path …]

prints a table (or, with --json, one JSON object on the last line: bench/run.py reads it).
Timings are the server's own (EXPLAIN ANALYZE), of one run: a guide, not a benchmark.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

# Rows a single sort may take in before it counts as sorting the table: a page sorts a
# treaty's states (some hundreds) or a country's treaties (some thousands), never more.
SORT_ROWS = 10_000


@dataclass
class Finding:
    query: int
    what: str
    rows: int


@dataclass
class PageReport:
    label: str
    path: str
    status: int = 0
    queries: int = 0
    explained: int = 0
    total_ms: float = 0.0
    slowest_ms: float = 0.0
    slowest_sql: str = ""
    full_sorts: list[Finding] = field(default_factory=list)
    spills: list[Finding] = field(default_factory=list)
    aggregates: list[Finding] = field(default_factory=list)

    @property
    def met(self) -> bool:
        return self.status < 500 and not self.full_sorts and not self.spills


def rows_in(node: dict[str, Any]) -> int:
    """Rows a node's inputs produced, over all its loops."""
    return sum(
        int(child.get("Actual Rows", 0)) * int(child.get("Actual Loops", 1))
        for child in node.get("Plans", [])
    )


def walk(node: dict[str, Any]):
    yield node
    for child in node.get("Plans", []):
        yield from walk(child)


def inspect(plan: dict[str, Any], number: int, report: PageReport, sort_rows: int) -> None:
    for node in walk(plan):
        kind = node.get("Node Type", "")
        taken = rows_in(node)
        if kind == "Sort":
            method = node.get("Sort Method", "?")
            if taken > sort_rows:
                report.full_sorts.append(Finding(number, f"Sort ({method})", taken))
            if node.get("Sort Space Type") == "Disk" or method.startswith("external"):
                report.spills.append(
                    Finding(number, f"Sort on disk, {node.get('Sort Space Used', '?')} kB", taken)
                )
        elif kind == "Incremental Sort":
            for groups in ("Full-sort Groups", "Pre-sorted Groups"):
                if node.get(groups, {}).get("Sort Space Type") == "Disk":
                    report.spills.append(Finding(number, "Incremental Sort on disk", taken))
        elif kind == "Hash" and int(node.get("Hash Batches", 1)) > 1:
            report.spills.append(
                Finding(number, f"Hash in {node['Hash Batches']} batches (disk)", taken)
            )
        elif kind == "Aggregate":
            if int(node.get("Disk Usage", 0)) > 0 or int(node.get("HashAgg Batches", 1)) > 1:
                report.spills.append(Finding(number, "HashAggregate on disk", taken))
            if taken > sort_rows:
                strategy = node.get("Strategy", "")
                report.aggregates.append(Finding(number, f"Aggregate ({strategy})", taken))
        elif kind == "WindowAgg" and taken > sort_rows:
            report.aggregates.append(Finding(number, "WindowAgg", taken))


def default_pages() -> list[tuple[str, str]]:
    """The public pages, found from the data: lists (first, last shown and sorted pages), a
    record's page of each kind, the search and the changes."""
    from core.models import Source
    from treaties.models import Country, Treaty

    treaty = Treaty.objects.order_by("display_order", "slug").first()
    country = Country.objects.filter(code="US").first() or Country.objects.order_by("code").first()
    source = Source.objects.order_by("pk").first()
    pages = [
        ("dashboard", "/"),
        ("treaty list", "/treaties/"),
        ("treaty list by participations", "/treaties/?sort=-participations"),
        ("treaty list by name", "/treaties/?sort=name"),
        ("country list", "/countries/"),
        ("country list by treaties", "/countries/?sort=-treaties"),
        ("country list by name", "/countries/?sort=name"),
        ("participations list", "/participations/"),
        ("participations list, page 2", "/participations/?page=2"),
        ("participations list, last page", "/participations/?page=last"),
    ]
    for key in ("treaty", "country", "status"):
        pages += [
            (f"participations by {key}", f"/participations/?sort={key}"),
            (
                f"participations by {key}, reversed, last page",
                f"/participations/?sort=-{key}&page=last",
            ),
        ]
    pages += [
        ("participations with a status", "/participations/?status=party"),
        ("participations in a region", "/participations/?region=other&page=last"),
        ("participations matrix", "/participations/?view=matrix"),
        ("participations matrix, last page", "/participations/?view=matrix&page=last"),
        ("events", "/events/"),
        ("recommendations", "/recommendations/"),
        ("sessions", "/sessions/"),
        ("people", "/people/"),
        ("sources", "/sources/"),
        ("search", "/search/?q=treaty"),
        ("changes", "/changes/"),
    ]
    if treaty is not None:
        pages += [
            ("treaty page", treaty.get_absolute_url()),
            ("treaty page by country", treaty.get_absolute_url() + "?sort=country"),
            ("participations of a treaty", f"/participations/?treaty={treaty.slug}"),
        ]
    if country is not None:
        pages += [
            ("country page", country.get_absolute_url()),
            ("participations of a country", f"/participations/?country={country.iso2}"),
        ]
    if source is not None:
        pages.append(("source page", source.get_absolute_url()))
    return pages


def explain_pages(
    pages: list[tuple[str, str]],
    sort_rows: int = SORT_ROWS,
    done: Callable[[PageReport], None] | None = None,
) -> list[PageReport]:
    from django.contrib.auth.models import Group, User
    from django.db import connection, transaction
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from core.editors import EDITORS_GROUP

    reports = []
    with transaction.atomic():
        editor = User.objects.create_user("plan-reader", is_staff=True)
        group = Group.objects.filter(name=EDITORS_GROUP).first()
        if group is not None:
            editor.groups.add(group)
        client = Client(HTTP_ACCEPT_LANGUAGE="ja")
        client.force_login(editor)
        for label, path in pages:
            report = PageReport(label, path)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
                if response.streaming:
                    b"".join(response.streaming_content)
            report.status = response.status_code
            report.queries = len(captured)
            for number, query in enumerate(captured.captured_queries, start=1):
                sql = query["sql"]
                if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
                    continue
                with connection.cursor() as cursor:
                    cursor.execute("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + sql)
                    [result] = cursor.fetchone()
                result = json.loads(result) if isinstance(result, str) else result
                top = result[0]
                milliseconds = float(top.get("Execution Time", 0)) + float(
                    top.get("Planning Time", 0)
                )
                report.explained += 1
                report.total_ms += milliseconds
                if milliseconds > report.slowest_ms:
                    report.slowest_ms = milliseconds
                    report.slowest_sql = " ".join(sql.split())[:300]
                inspect(top["Plan"], number, report, sort_rows)
            reports.append(report)
            if done is not None:
                done(report)
        transaction.set_rollback(True)
    return reports


def summary(report: PageReport) -> str:
    parts = [f"{report.status}, {report.queries} queries, slowest {report.slowest_ms:.1f} ms"]
    for finding in report.full_sorts:
        parts.append(f"full sort: {finding.what} of {finding.rows:,} rows (query {finding.query})")
    for finding in report.spills:
        parts.append(f"disk: {finding.what} (query {finding.query})")
    for finding in report.aggregates:
        parts.append(f"aggregate of {finding.rows:,} rows (query {finding.query})")
    return "; ".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="pages to explain (default: every public page)")
    parser.add_argument("--json", action="store_true", help="one JSON object on the last line")
    parser.add_argument("--sort-rows", type=int, default=SORT_ROWS)
    parser.add_argument("--verbose", action="store_true", help="the slowest query's SQL too")
    parser.add_argument(
        "--review",
        action="store_true",
        help="the editors' review page too (it derives every stored status: minutes at 1M)",
    )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings")
    # The plans are read between the page's queries, inside one transaction.
    os.environ.setdefault("DATABASE_IDLE_TIMEOUT", "0")
    os.environ.setdefault("DATABASE_STATEMENT_TIMEOUT", "0")
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import setup_test_environment

    if connection.vendor != "postgresql":
        sys.exit("bench.explain reads PostgreSQL plans: set DATABASE_URL=postgres://…")
    setup_test_environment()
    pages = [(path, path) for path in args.paths] or default_pages()
    if args.review:
        pages.append(("editors' review (not public)", "/review/"))

    def show(report: PageReport) -> None:
        mark = "ok " if report.met else "NO "
        print(f"{mark} {report.label} ({report.path}): {summary(report)}", flush=True)
        if args.verbose:
            print(f"      {report.slowest_sql}", flush=True)

    reports = explain_pages(pages, args.sort_rows, None if args.json else show)
    if args.json:
        print(json.dumps([{**asdict(r), "met": r.met, "summary": summary(r)} for r in reports]))


if __name__ == "__main__":
    main()
