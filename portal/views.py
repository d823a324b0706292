"""The pages that span every app: the dashboard, the source page, the change log, the review.

What each app contributes (its facts that cite a source, its review checks) comes from the
registry in `core.registry`; the dashboard also reads the treaties directly, as the site's
front page is about them.
"""

from collections import defaultdict
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import F
from django.urls import reverse
from django.utils.decorators import method_decorator
from django.views.generic import DetailView, TemplateView

from core.editors import editor_required
from core.exports import ChangeExport
from core.filters import KIND_WORDS, ChangeFilter
from core.models import Change, Source
from core.paging import CappedPaginator
from core.registry import site
from core.views_base import BrowseView, CsvExportView, ReadOnlyMixin
from treaties.figures import key_figures_by_treaty
from treaties.models import ReportedFigure, Treaty, TreatyEvent

from .review import review
from .search import SearchForm, search

# How many examples of each kind of unsourced fact the dashboard lists (the count is exact).
REVIEW_EXAMPLES = 10
# The review page lists every item up to this many per check, then links to the admin list.
REVIEW_PAGE_LIMIT = 500
RECENT_EVENTS = 10
# Treaties the dashboard shows one by one, first by display order; the rest are counted.
DASHBOARD_TREATIES = 12
# Facts of one kind shown at a time on a source's page.
FACTS_PER_PAGE = 50
EXPIRED_TREATIES_CHECK = "expired-treaties"


class HomeView(ReadOnlyMixin, TemplateView):
    """The first treaties' status and key figures, every treaty counted by status, recent
    events, and facts needing review: a page of the same size whatever the records hold."""

    template_name = "portal/home.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        # The first treaties by display order (the seed's all fit); the rest are counted by
        # status and listed on the treaties page, so the page keeps its size at any scale.
        treaties = list(Treaty.objects.select_related("source")[:DASHBOARD_TREATIES])
        status_counts = Treaty.objects.effective_status_counts()
        treaty_list_url = reverse("treaties:treaty-list")
        figures = (
            ReportedFigure.objects.filter(treaty__in=[treaty.pk for treaty in treaties])
            .select_related("source", "country")
            .order_by("treaty_id", "metric", F("as_of_on").desc(nulls_last=True), "pk")
        )
        key_figures = key_figures_by_treaty(figures)
        for treaty in treaties:
            # For the template only (`treaty.key_figures`); the model has no such attribute.
            setattr(treaty, "key_figures", key_figures.get(treaty.pk, []))  # noqa: B010
        results = review(REVIEW_EXAMPLES, dashboard=True)
        # Editors see a banner for a treaty whose stored status has fallen behind.
        expired = next((result for result in results if result.key == EXPIRED_TREATIES_CHECK), None)
        context.update(
            treaties=treaties,
            treaty_total=sum(status_counts.values()),
            treaty_statuses=[
                {
                    "value": status.value,
                    "label": status.label,
                    "count": status_counts[status.value],
                    "url": f"{treaty_list_url}?{urlencode({'status': status.value})}",
                }
                for status in Treaty.Status
                if status_counts.get(status.value)
            ],
            treaty_list_url=treaty_list_url,
            status_review=expired.rows if expired else [],
            status_review_count=expired.count if expired else 0,
            recent_events=list(
                TreatyEvent.objects.recent()
                .select_related("treaty", "source")
                .prefetch_related("countries")[:RECENT_EVENTS]
            ),
            review=results,
            review_total=sum(result.count for result in results),
        )
        return context


class SourceDetailView(ReadOnlyMixin, DetailView):
    """A source's metadata and every fact of every app that cites it, grouped by kind."""

    model = Source
    template_name = "portal/source_detail.html"
    context_object_name = "source"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        source = self.object
        cited: list[dict[str, Any]] = []
        for facts in site.facts():
            # Each kind pages on its own (`?<kind>_page=`): a source may be cited by a
            # million facts, and the page stays the same size whatever their number.
            queryset = facts.citing(source)
            ordering = [*(queryset.query.order_by or facts.model._meta.ordering or []), "pk"]
            paginator = CappedPaginator(queryset.order_by(*ordering), FACTS_PER_PAGE)
            if not paginator.count:
                continue
            parameter = f"{facts.key}_page"
            page = paginator.get_page(self.request.GET.get(parameter))
            cited.append(
                {
                    "facts": facts,
                    "rows": list(page.object_list),
                    "total": paginator.count,
                    "page": page,
                    "parameter": parameter,
                    "template": facts.template or "includes/cited_facts.html",
                }
            )
        context.update(
            cited=cited,
            citation_count=sum(group["total"] for group in cited),
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
    # Newest first, as `latest_first`, in the order the export shares on every database.
    return Change.objects.public().select_related("content_type").order_by(*ChangeExport.ordering)


class ChangeListView(BrowseView):
    """Every edit of a public record, newest first: when, what kind, which record and fields."""

    model = Change
    filterset_class = ChangeFilter
    template_name = "portal/change_list.html"
    export_url_name = "portal:change-export"

    def get_queryset(self):
        return public_changes()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = describe_changes(context["object_list"])
        context["feed_url"] = reverse("portal:change-feed")
        return context


class ChangeExportView(CsvExportView):
    model = Change
    filterset_class = ChangeFilter
    export_class = ChangeExport

    def get_queryset(self):
        return public_changes()


# --- The site search ---------------------------------------------------------------------------


class SearchView(ReadOnlyMixin, TemplateView):
    """Treaties, countries, events, recommendations, people, sessions and sources by name or
    title, in Japanese or English whatever the page's language. A query the form refuses (too
    long, a NUL character) is answered with its message and 400."""

    template_name = "portal/search.html"

    def get(self, request, *args, **kwargs):
        form = SearchForm(request.GET if "q" in request.GET else None)
        query = form.cleaned_data["q"] if form.is_bound and form.is_valid() else ""
        groups = search(query) if query else []
        context = self.get_context_data(
            form=form,
            query=query,
            groups=groups,
            total=sum(group.total for group in groups),
        )
        status = 400 if form.is_bound and not form.is_valid() else 200
        return self.render_to_response(context, status=status)


# --- The editors' review page ----------------------------------------------------------------


@method_decorator(editor_required, name="dispatch")
class ReviewView(ReadOnlyMixin, TemplateView):
    """What needs an editor's attention, each item linking to its admin page: for editors
    only (`core.editors.is_editor`), not for every staff account."""

    template_name = "portal/review.html"
    page_cache = False  # for editors, who are never served from the page cache anyway

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        results = review(REVIEW_PAGE_LIMIT)
        context.update(
            limit=REVIEW_PAGE_LIMIT,
            review=results,
            review_total=sum(result.count for result in results),
        )
        return context
