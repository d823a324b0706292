"""The dashboard, the source list and the source page.

`core` sits below `treaties` (and the apps still to come), so `import core` must not pull
them in. The dashboard and the source page are the two places that read across every
app; they import the treaty models when a request asks for them.
"""

from collections import defaultdict

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import F
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.generic import DetailView, TemplateView

from . import freshness
from .exports import ChangeExport, SourceExport
from .filters import KIND_WORDS, ChangeFilter, SourceFilter
from .models import Change, Source
from .views_base import BrowseView, CsvExportView, ReadOnlyMixin

# How many examples of each kind of unsourced fact the dashboard lists (the count is exact).
REVIEW_EXAMPLES = 10
# The review page lists every item up to this many per check, then links to the admin list.
REVIEW_PAGE_LIMIT = 500
RECENT_EVENTS = 10


def key_figures_by_treaty(figures):
    """{treaty pk: [figure, ...]} keeping the latest figure of each metric and label.

    `figures` must come newest first within a metric, so the first one seen is kept.
    """
    by_treaty = {}
    seen = set()
    for figure in figures:
        key = (figure.treaty_id, figure.country_id, figure.metric, figure.label_en, figure.label_ja)
        if key in seen:
            continue
        seen.add(key)
        by_treaty.setdefault(figure.treaty_id, []).append(figure)
    return by_treaty


def unsourced_groups(querysets, limit):
    """Per kind of fact without a source: label, exact count, the first rows, the admin list.

    One query per kind whatever the number of rows; kinds with nothing missing are left out.
    """
    groups = []
    for queryset in querysets:
        rows, count = freshness.first_with_total(queryset, limit)
        if count:
            meta = queryset.model._meta
            groups.append(
                {
                    "label": meta.verbose_name_plural,
                    "model": meta.label_lower,
                    "count": count,
                    "examples": rows,
                    "admin_list_url": admin_list_url(queryset.model, source__isnull="1"),
                }
            )
    return groups


def admin_list_url(model, **query):
    from urllib.parse import urlencode

    meta = model._meta
    url = reverse(f"admin:{meta.app_label}_{meta.model_name}_changelist")
    return f"{url}?{urlencode(query)}" if query else url


class HomeView(ReadOnlyMixin, TemplateView):
    """Each treaty's status and key figures, recent events, and facts needing review."""

    template_name = "core/home.html"

    def get_context_data(self, **kwargs):
        from treaties.models import ReportedFigure, Treaty, TreatyEvent

        context = super().get_context_data(**kwargs)
        treaties = list(Treaty.objects.select_related("source"))
        figures = (
            ReportedFigure.objects.filter(treaty__isnull=False)
            .select_related("source", "country")
            .order_by("treaty_id", "metric", F("as_of_on").desc(nulls_last=True), "pk")
        )
        key_figures = key_figures_by_treaty(figures)
        for treaty in treaties:
            treaty.key_figures = key_figures.get(treaty.pk, [])
        stale_figures, stale_count = freshness.first_with_total(
            freshness.stale_figures(), REVIEW_EXAMPLES
        )
        status_review = list(freshness.treaties_past_expiry())
        unsourced = unsourced_groups(freshness.unsourced_facts(), REVIEW_EXAMPLES)
        review_counts = {
            "stale_figures": stale_count,
            "expired_treaties": len(status_review),
            "recommendations": freshness.recommendations_without_recent_update().count(),
            "unsourced": sum(group["count"] for group in unsourced),
        }
        context.update(
            treaties=treaties,
            status_review=status_review,
            recent_events=list(
                TreatyEvent.objects.recent()
                .select_related("treaty", "source")
                .prefetch_related("countries")[:RECENT_EVENTS]
            ),
            stale_figures=stale_figures,
            stale_figure_count=stale_count,
            unsourced=unsourced,
            review_counts=review_counts,
            review_total=sum(review_counts.values()),
        )
        return context


class SourceListView(BrowseView):
    model = Source
    filterset_class = SourceFilter
    template_name = "core/source_list.html"
    export_url_name = "core:source-export"


class SourceExportView(CsvExportView):
    model = Source
    filterset_class = SourceFilter
    export_class = SourceExport


class SourceDetailView(ReadOnlyMixin, DetailView):
    """A source's metadata and every fact that cites it, grouped by kind."""

    model = Source
    template_name = "core/source_detail.html"
    context_object_name = "source"

    def get_context_data(self, **kwargs):
        from treaties.models import (
            Country,
            Participation,
            ReportedFigure,
            Treaty,
            TreatyAction,
            TreatyEvent,
        )

        context = super().get_context_data(**kwargs)
        source = self.object
        citing = {
            "treaties": list(Treaty.objects.filter(source=source)),
            "participations": list(
                Participation.objects.filter(source=source).select_related("treaty", "country")
            ),
            "actions": list(
                TreatyAction.objects.filter(source=source)
                .select_related("participation__treaty", "participation__country")
                .order_by("participation__treaty__display_order", "date_on", "pk")
            ),
            "figures": list(
                ReportedFigure.objects.filter(source=source).select_related("treaty", "country")
            ),
            "events": list(
                TreatyEvent.objects.filter(source=source)
                .select_related("treaty")
                .prefetch_related("countries")
            ),
            "postures": list(Country.objects.filter(posture_source=source)),
        }
        context.update(
            citing,
            citation_count=sum(len(rows) for rows in citing.values()),
            # Every fact here cites this source: the provenance tag needs no query for it.
            sources={source.pk: source},
        )
        return context


# --- The public change log -------------------------------------------------------------------


def field_labels(model, names):
    """The verbose names of changed fields, each once; a date's precision goes with its date."""
    if model is None:
        return list(names)
    labels = []
    for name in names:
        if name.endswith("_precision"):
            name = name.removesuffix("_precision") + "_on"
        try:
            label = str(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:
            label = name
        if label not in labels:
            labels.append(label)
    return labels


def live_objects(changes):
    """{(content type id, object id): the record as it stands} for the records that still exist.

    One query per kind of record on the list, whatever its length. Each record comes with
    the rows it points at, which its get_absolute_url reads (a participation's country).
    """
    ids_by_type = defaultdict(set)
    content_types = {}
    for change in changes:
        ids_by_type[change.content_type_id].add(change.object_id)
        content_types[change.content_type_id] = change.content_type
    found = {}
    for type_id, ids in ids_by_type.items():
        model = content_types[type_id].model_class()
        if model is None:
            continue
        pk = model._meta.pk
        keys = set()
        for object_id in ids:
            try:
                keys.add(pk.to_python(object_id))
            except ValidationError:
                continue
        pointers = [field.name for field in model._meta.concrete_fields if field.many_to_one]
        objects = model._default_manager.select_related(*pointers).in_bulk(keys)
        for key, obj in objects.items():
            found[(type_id, str(key))] = obj
    return found


def describe_changes(changes):
    """Set on each change what the page and the feed show: model name, fields, link."""
    changes = list(changes)
    live = live_objects(changes)
    for change in changes:
        model = change.content_type.model_class()
        change.kind_word = KIND_WORDS[change.kind]
        change.model_label = model._meta.verbose_name if model else change.content_type.model
        change.field_labels = field_labels(model, change.changed_fields or [])
        obj = live.get((change.content_type_id, change.object_id))
        change.record_url = obj.get_absolute_url() if hasattr(obj, "get_absolute_url") else ""
    return changes


def public_changes():
    return Change.objects.public().select_related("content_type").latest_first()


class ChangeListView(BrowseView):
    """Every edit of a public record, newest first: when, what kind, which record and fields."""

    model = Change
    filterset_class = ChangeFilter
    template_name = "core/change_list.html"
    export_url_name = "core:change-export"

    def get_queryset(self):
        return public_changes()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = describe_changes(context["object_list"])
        context["feed_url"] = reverse("core:change-feed")
        return context


class ChangeExportView(CsvExportView):
    model = Change
    filterset_class = ChangeFilter
    export_class = ChangeExport

    def get_queryset(self):
        return public_changes()


# --- The editors' review page ----------------------------------------------------------------


@method_decorator(staff_member_required, name="dispatch")
class ReviewView(ReadOnlyMixin, TemplateView):
    """What needs an editor's attention, each item linking to its admin page."""

    template_name = "core/review.html"

    def get_context_data(self, **kwargs):
        from recommendations.models import Recommendation
        from treaties.models import ReportedFigure, Treaty

        context = super().get_context_data(**kwargs)
        limit = REVIEW_PAGE_LIMIT
        stale, stale_count = freshness.first_with_total(freshness.stale_figures(), limit)
        expired, expired_count = freshness.first_with_total(freshness.treaties_past_expiry(), limit)
        recommendations, recommendation_count = freshness.first_with_total(
            freshness.recommendations_without_recent_update(), limit
        )
        unsourced = unsourced_groups(freshness.unsourced_facts(), limit)
        unsourced_count = sum(group["count"] for group in unsourced)
        stale_statuses = freshness.stale_statuses()
        context.update(
            limit=limit,
            stale_statuses=[
                {"record": obj, "stored": obj.get_status_display(), "derived": new.label}
                for obj, _old, new in stale_statuses[:limit]
            ],
            stale_status_count=len(stale_statuses),
            stale_figures=stale,
            stale_figure_count=stale_count,
            stale_years=freshness.STALE_AFTER_YEARS,
            expired_treaties=expired,
            expired_treaty_count=expired_count,
            recommendations=recommendations,
            recommendation_count=recommendation_count,
            unsourced=unsourced,
            unsourced_count=unsourced_count,
            review_counts={
                "stale_figures": stale_count,
                "expired_treaties": expired_count,
                "recommendations": recommendation_count,
                "unsourced": unsourced_count,
            },
            review_total=stale_count
            + expired_count
            + recommendation_count
            + unsourced_count
            + len(stale_statuses),
            admin_urls={
                "figures": admin_list_url(ReportedFigure),
                "treaties": admin_list_url(Treaty),
                "recommendations": admin_list_url(Recommendation),
            },
        )
        return context
