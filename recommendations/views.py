"""Public pages of the recommendations app: the list, its three CSV files and the detail page."""

from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView

from core.views_base import BrowseView, CsvExportView, ReadOnlyMixin

from .exports import FootnoteExport, RecommendationExport, RecommendationUpdateExport
from .filters import FootnoteFilter, RecommendationFilter, RecommendationUpdateFilter
from .models import Footnote, Recommendation, RecommendationUpdate
from .templatetags.recommendation_tags import bilingual


class RecommendationListView(BrowseView):
    model = Recommendation
    filterset_class = RecommendationFilter
    template_name = "recommendations/recommendation_list.html"
    export_url_name = "recommendations:recommendation-export"
    extra_export_url_names = [
        (_("Download footnotes CSV"), "recommendations:footnote-export"),
        (_("Download status history CSV"), "recommendations:update-export"),
    ]

    def get_queryset(self):
        return (
            Recommendation.objects.with_relations()
            .with_last_update_date()
            .order_by(*RecommendationExport.ordering)
        )


class RecommendationExportView(CsvExportView):
    model = Recommendation
    filterset_class = RecommendationFilter
    export_class = RecommendationExport

    def get_queryset(self):
        return Recommendation.objects.order_by(*RecommendationExport.ordering)


class FootnoteExportView(CsvExportView):
    model = Footnote
    filterset_class = FootnoteFilter
    export_class = FootnoteExport

    def get_queryset(self):
        return Footnote.objects.order_by(*FootnoteExport.ordering)


class RecommendationUpdateExportView(CsvExportView):
    model = RecommendationUpdate
    filterset_class = RecommendationUpdateFilter
    export_class = RecommendationUpdateExport

    def get_queryset(self):
        return RecommendationUpdate.objects.order_by(*RecommendationUpdateExport.ordering)


class RecommendationDetailView(ReadOnlyMixin, DetailView):
    """A recommendation as published, its footnotes, links and the history of its status."""

    model = Recommendation
    template_name = "recommendations/recommendation_detail.html"
    context_object_name = "recommendation"

    def get_queryset(self):
        return Recommendation.objects.with_detail()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        recommendation = self.object
        updates = list(recommendation.updates.all())
        footnotes = list(recommendation.footnotes.all())
        # The current status is the latest update's (by date, then by recording order).
        latest = max(updates, key=lambda u: (u.date_on, u.pk)) if updates else None
        context.update(
            title=bilingual(recommendation, "title"),
            summary=bilingual(recommendation, "summary"),
            body=bilingual(recommendation, "body"),
            addressee=bilingual(recommendation, "addressee"),
            footnotes=footnotes,
            footnote_numbers=[footnote.number for footnote in footnotes],
            updates=updates,
            latest_update=latest,
            treaties=list(recommendation.related_treaties.all()),
            sessions=list(recommendation.related_sessions.all()),
            export_query=f"recommendation={recommendation.pk}",
        )
        return context
