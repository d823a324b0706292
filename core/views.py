"""The dashboard, the source list and the source page.

`core` sits below `treaties` (and the apps still to come), so `import core` must not pull
them in. The dashboard and the source page are the two places that read across every
app; they import the treaty models when a request asks for them.
"""

from django.db.models import F
from django.urls import reverse
from django.views.generic import DetailView, TemplateView

from .exports import SourceExport
from .filters import SourceFilter
from .models import Source
from .views_base import BrowseView, CsvExportView, ReadOnlyMixin

# How many examples of each kind of unsourced fact the dashboard lists (the count is exact).
REVIEW_EXAMPLES = 10
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


def unsourced_facts():
    """Per kind of fact: how many carry no source, and the first few of them."""
    from treaties.models import Participation, ReportedFigure, Treaty, TreatyAction, TreatyEvent

    kinds = [
        (Treaty.objects.all(), ()),
        (Participation.objects.all(), ("treaty", "country")),
        (TreatyAction.objects.all(), ("participation__treaty", "participation__country")),
        (ReportedFigure.objects.all(), ("treaty", "country")),
        (TreatyEvent.objects.all(), ("treaty",)),
    ]
    groups = []
    for queryset, related in kinds:
        missing = queryset.filter(source__isnull=True)
        count = missing.count()
        if count:
            groups.append(
                {
                    "label": queryset.model._meta.verbose_name_plural,
                    "count": count,
                    "examples": list(missing.select_related(*related)[:REVIEW_EXAMPLES]),
                }
            )
    return groups


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
        stale = ReportedFigure.objects.stale().select_related("treaty", "country", "source")
        context.update(
            treaties=treaties,
            status_review=list(Treaty.objects.expired_but_not_marked()),
            recent_events=list(
                TreatyEvent.objects.recent()
                .select_related("treaty", "source")
                .prefetch_related("countries")[:RECENT_EVENTS]
            ),
            stale_figures=list(stale.order_by("as_of_on", "pk")[:REVIEW_EXAMPLES]),
            stale_figure_count=stale.count(),
            unsourced=unsourced_facts(),
        )
        return context


class SourceListView(BrowseView):
    model = Source
    filterset_class = SourceFilter
    template_name = "core/source_list.html"
    export_url_name = "core:source-export"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("export_url", reverse(self.export_url_name))
        return context


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
