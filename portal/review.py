"""The editors' review: every app's checks, and the facts of every app without a source.

The checks come from the registry (`core.registry`), where each app declares its own;
this module runs them and counts, for the review page and the dashboard alike.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils.translation import ngettext

from core.queries import first_with_total
from core.registry import ReviewCheck, site

UNSOURCED_KEY = "unsourced"


def admin_list_url(model: type[Model], **query: str) -> str:
    meta = model._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    return f"{url}?{urlencode(query)}" if query else url


@dataclass
class Result:
    """A check as run: its first rows, how many in all, the sentence and the admin list."""

    key: str
    rows: list[Any]
    count: int
    summary: str
    template: str
    dashboard_template: str = ""
    more_url: str = ""


def run_check(check: ReviewCheck, limit: int, on: datetime.date | None = None) -> Result:
    found = check.find(on)
    if isinstance(found, QuerySet):
        rows, count = first_with_total(found, limit)
    else:
        found = list(found)
        rows, count = found[:limit], len(found)
    return Result(
        key=check.key,
        rows=rows,
        count=count,
        summary=check.summary(count),
        template=check.template,
        dashboard_template=check.dashboard_template,
        more_url=check.admin_url() if check.admin_url else "",
    )


def unsourced_groups(limit: int) -> list[dict[str, Any]]:
    """Per kind of fact without a source: label, exact count, the first rows, the admin list.

    One query per kind whatever the number of rows; kinds with nothing missing are left out.
    """
    groups = []
    for facts in site.facts():
        if not facts.unsourced_review:
            continue
        rows, count = first_with_total(facts.unsourced(), limit)
        if count:
            meta = facts.model._meta
            groups.append(
                {
                    "label": meta.verbose_name_plural,
                    "model": meta.label_lower,
                    "count": count,
                    "examples": rows,
                    "admin_list_url": admin_list_url(
                        facts.model, **{f"{facts.source_field}__isnull": "1"}
                    ),
                }
            )
    return groups


def unsourced_result(limit: int) -> Result:
    groups = unsourced_groups(limit)
    count = sum(group["count"] for group in groups)
    return Result(
        key=UNSOURCED_KEY,
        rows=groups,
        count=count,
        summary=ngettext(
            "%(counter)s fact without a source", "%(counter)s facts without a source", count
        )
        % {"counter": count},
        template="portal/review/unsourced.html",
        dashboard_template="portal/review/unsourced_dashboard.html",
    )


def review(limit: int, *, dashboard: bool = False, on: datetime.date | None = None) -> list[Result]:
    """Every check in the order the apps are installed, the unsourced facts last.

    The dashboard leaves out the checks too costly for every visit (`on_dashboard`).
    """
    results = [
        run_check(check, limit, on)
        for check in site.review_checks()
        if check.on_dashboard or not dashboard
    ]
    results.append(unsourced_result(limit))
    return results
