"""Public pages of the treaty app: browse lists with their CSV exports, treaty and country pages.

A list page and its export share one `*Browse` mixin, so the file holds exactly the
rows the page lists (every page of them). The queries a page runs do not grow with
its rows: related rows are joined or prefetched, and the sources of the facts shown
are fetched once into a {pk: Source} map for the `provenance` tag.
"""

from urllib.parse import urlencode

from django.core.paginator import InvalidPage, Paginator
from django.db.models import Exists, OuterRef, Prefetch
from django.http import Http404, HttpResponsePermanentRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.generic import DetailView
from django_countries.fields import Country as CountryCode

from core.models import Source
from core.queries import first_with_total, hand_children
from core.views_base import PAGE_SIZE, BrowseView, CsvExportView, ReadOnlyMixin

from .exports import (
    CountryExport,
    ParticipationExport,
    ReportedFigureExport,
    TreatyActionExport,
    TreatyEventExport,
    TreatyExport,
)
from .figures import figures_beside_records
from .filters import (
    AsOfFilterSet,
    CountryFilter,
    ParticipationFilter,
    ReportedFigureFilter,
    TreatyActionFilter,
    TreatyEventFilter,
    TreatyFilter,
    TreatyParticipationFilter,
)
from .models import (
    Country,
    Participation,
    ParticipationStatus,
    ReportedFigure,
    Treaty,
    TreatyAction,
    TreatyEvent,
    today,
)
from .pictures import (
    ParticipationMatrixExport,
    country_matrix,
    country_participations,
    counts_over_time,
    held_records,
    status_map,
)
from .status import NO_ACT_RECORDED, ShownStatus, shown_status

# Treaties a country's page lists at a time; its figures and events are capped at as many.
COUNTRY_TREATIES_PER_PAGE = PAGE_SIZE
COUNTRY_LIST_LIMIT = PAGE_SIZE
# Treaties the participations matrix shows at a time, as columns (a page each).
MATRIX_TREATIES = 10


def mark_after(actions, day):
    """Mark the acts that take effect after `day` (the page says so beside them)."""
    for action in actions:
        action.after_as_of = action.takes_effect > day


def source_map(*groups, extra_ids=()):
    """{pk: Source} for every fact in `groups`, in one query (none when nothing has a source)."""
    ids = {pk for pk in extra_ids if pk}
    for group in groups:
        ids.update(obj.source_id for obj in group if obj.source_id)
    return Source.objects.in_bulk(ids) if ids else {}


def actions_of(participations):
    return [action for p in participations for action in p.actions.all()]


def paginate(request, rows, per_page=PAGE_SIZE, count=None):
    """A page of `rows` from ?page=, as ListView pages: a page that does not exist is a 404.
    `count`: how many rows there are, where the caller knows it without counting them."""
    paginator = Paginator(rows, per_page)
    if count is not None:
        paginator.count = count
    number = request.GET.get("page") or 1
    if number == "last":
        number = paginator.num_pages
    try:
        return paginator.page(int(number))
    except (TypeError, ValueError, InvalidPage) as error:
        raise Http404(_("There is no such page.")) from error


def states_without_record(treaty):
    """For a treaty open to all states: those that can join it and have no record here.

    With the source of the treaty's complete list, when it has one: then they had not
    signed on its date; otherwise the records simply do not cover them.
    """
    if treaty is None or treaty.kind != Treaty.Kind.MULTILATERAL:
        return {"no_record": [], "no_record_treaty": treaty}
    complete_source = None
    if treaty.record_complete_source_id:
        complete_source = Source.objects.filter(pk=treaty.record_complete_source_id).first()
    no_record = sorted(Country.objects.without_participation_in(treaty), key=lambda c: str(c.name))
    return {
        "no_record": no_record,
        "no_record_treaty": treaty,
        "complete_source": complete_source,
    }


class ListPage(BrowseView):
    """A browse list of the treaty app: source map, rows as a list."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        rows = list(context["object_list"])
        context["object_list"] = rows
        if context.get("page_obj") is not None:
            context["page_obj"].object_list = rows
        context["rows"] = rows
        context["sources"] = source_map(*self.facts(rows), extra_ids=self.extra_source_ids(rows))
        return context

    def facts(self, rows):
        """The groups of facts on the page whose sources are shown."""
        return [rows]

    def extra_source_ids(self, rows):
        """Sources the page shows that are not a fact's `source` (e.g. a posture's)."""
        return []


# -- treaties --------------------------------------------------------------------------


class TreatyBrowse:
    model = Treaty
    filterset_class = TreatyFilter

    def get_queryset(self):
        # Explicit: an annotated (grouped) query drops Meta.ordering.
        return Treaty.objects.order_by(*TreatyExport.ordering)


class TreatyListView(TreatyBrowse, ListPage):
    template_name = "treaties/treaty_list.html"
    export_url_name = "treaties:treaty-export"

    def get_queryset(self):
        return super().get_queryset().with_participation_counts()


class TreatyExportView(TreatyBrowse, CsvExportView):
    export_class = TreatyExport


class TreatyDetailView(ReadOnlyMixin, DetailView):
    """Everything about one treaty; its participations table can be viewed as of a past day."""

    model = Treaty
    template_name = "treaties/treaty_detail.html"

    def get(self, request, *args, **kwargs):
        self.object = self.get_object()
        self.participation_filter = TreatyParticipationFilter(
            request.GET or None,
            # Through the treaty's own manager, each row knows its treaty without a join.
            queryset=self.object.participations.with_country(),
            request=request,
        )
        invalid = self.participation_filter.is_bound and not self.participation_filter.is_valid()
        context = self.get_context_data(object=self.object, filter_invalid=invalid)
        return self.render_to_response(context, status=400 if invalid else 200)

    def participation_page(self, invalid, held):
        """The page of participations the filters select; `held`: every record of the treaty."""
        pfilter = self.participation_filter
        if invalid:
            # Nothing is listed until the filters are corrected (the page answers 400).
            return Paginator([], PAGE_SIZE).page(1)
        as_of = pfilter.as_of_date
        if as_of is None:
            # Unfiltered, the table lists every record the page has read already.
            page = paginate(self.request, pfilter.qs, count=None if pfilter.is_bound else len(held))
        else:
            # The status on a past day is computed from the dated actions of every
            # participation (two queries), then filtered and paginated in Python.
            page = paginate(self.request, pfilter.rows_as_of())
        page.object_list = rows = list(page.object_list)
        hand_children(
            rows, "actions", TreatyAction.objects.filter(participation__in=rows).chronological()
        )
        if as_of is None:
            for participation in rows:
                participation.shown_status = shown_status(participation)
            return page
        for participation in rows:
            participation.shown_status = shown_status(participation)
            for action in participation.actions.all():
                action.after_as_of = action.takes_effect > as_of
        return page

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        treaty, pfilter = self.object, self.participation_filter
        # Every record of the treaty with its acts, read once for the figures and pictures.
        held = held_records(treaty)
        page = self.participation_page(context["filter_invalid"], held)
        participations = page.object_list
        actions = actions_of(participations)
        figures, records = figures_beside_records(treaty, held)
        events = list(TreatyEvent.objects.for_treaty(treaty).with_related().chronological())
        sources = source_map([treaty], figures, participations, actions, events)
        slug_query = {"treaty": treaty.slug}
        without_record = states_without_record(treaty)
        context.update(
            self.pictures(treaty, held, figures, context["filter_invalid"], without_record)
        )
        context.update(
            filter=pfilter,
            as_of=pfilter.as_of_date,
            page_obj=page,
            paginator=page.paginator,
            is_paginated=page.has_other_pages(),
            participations=participations,
            figures=figures,
            records=records,
            **without_record,
            events=events,
            sources=sources,
            used_sources=sorted(sources.values(), key=lambda s: (s.loc("title"), s.pk)),
            participation_export_url=reverse("treaties:participation-export")
            + "?"
            + urlencode({**slug_query, **pfilter.export_query()}),
            action_export_url=reverse("treaties:action-export") + "?" + urlencode(slug_query),
            figure_export_url=reverse("treaties:figure-export") + "?" + urlencode(slug_query),
            event_export_url=reverse("treaties:event-export") + "?" + urlencode(slug_query),
            required_not_ratified_export_url=reverse("treaties:participation-export")
            + "?"
            + urlencode(
                {**slug_query, "required_for_entry_into_force": "true", "ratified": "false"}
            ),
        )
        return context

    def pictures(self, treaty, held, figures, invalid, without_record):
        """The world map on the as-of day (today by default) and the counts over time."""
        # The states without a record, where the page has read them already.
        no_record = without_record["no_record"] if treaty.kind == Treaty.Kind.MULTILATERAL else None
        as_of = self.participation_filter.as_of_date
        map_query = "?" + urlencode({"as_of": as_of.isoformat()}) if as_of else ""
        return {
            # Until a bad "as of" is corrected there is no day to draw the map for.
            "world_map": None if invalid else status_map(treaty, as_of or today(), held, no_record),
            "counts": counts_over_time(treaty, held, figures=figures),
            "map_export_url": reverse("treaties:treaty-map-export", args=[treaty.slug]) + map_query,
            "counts_export_url": reverse("treaties:treaty-counts-export", args=[treaty.slug]),
        }


# -- countries -------------------------------------------------------------------------


class CountryBrowse:
    model = Country
    filterset_class = CountryFilter

    def get_queryset(self):
        return Country.objects.order_by(*CountryExport.ordering)


class CountryListView(CountryBrowse, ListPage):
    template_name = "treaties/country_list.html"
    export_url_name = "treaties:country-export"

    def get_queryset(self):
        return super().get_queryset().with_treaty_counts()

    def facts(self, rows):
        return []

    def extra_source_ids(self, rows):
        return [country.posture_source_id for country in rows]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        for country in context["rows"]:
            country.posture_source_shown = context["sources"].get(country.posture_source_id)
        return context


class CountryExportView(CountryBrowse, CsvExportView):
    export_class = CountryExport


class CountryDetailView(ReadOnlyMixin, DetailView):
    """One country across every treaty: participations, actions, figures, events, posture."""

    model = Country
    template_name = "treaties/country_detail.html"

    def get(self, request, *args, **kwargs):
        iso2 = kwargs["iso2"]
        if iso2 != iso2.lower():
            url = reverse("treaties:country-detail", args=[iso2.lower()])
            if request.META.get("QUERY_STRING"):
                url += "?" + request.META["QUERY_STRING"]
            return HttpResponsePermanentRedirect(url)
        # The treaties table can be viewed as of a past day, read as the treaty page reads it.
        self.as_of_filter = AsOfFilterSet(
            request.GET or None, queryset=Participation.objects.none(), request=request
        )
        response = super().get(request, *args, **kwargs)
        if self.as_of_filter.is_bound and not self.as_of_filter.is_valid():
            response.status_code = 400
        return response

    def get_object(self, queryset=None):
        country = Country.objects.filter(code=self.kwargs["iso2"].upper()).first()
        if country is None:
            raise Http404(_("No country with this ISO code is recorded."))
        return country

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        country = self.object
        as_of = self.as_of_filter.as_of_date
        invalid = self.as_of_filter.is_bound and not self.as_of_filter.is_valid()
        day = as_of or today()
        # A page of treaties at a time, in the order of the whole table (and of its CSV,
        # which stays whole): a state may be party to thousands of agreements.
        # Until a bad "as of" is corrected nothing is listed (the page answers 400).
        page = (
            Paginator([], COUNTRY_TREATIES_PER_PAGE).page(1)
            if invalid
            else paginate(self.request, country_participations(country), COUNTRY_TREATIES_PER_PAGE)
        )
        participations = list(page.object_list)
        matrix = country_matrix(participations, day)
        for row in matrix:
            mark_after(row.participation.actions.all(), day)
        actions = actions_of(participations)
        figures, figure_total = first_with_total(
            ReportedFigure.objects.for_country(country).select_related("treaty"),
            COUNTRY_LIST_LIMIT,
        )
        # The latest events, shown oldest first as a timeline reads.
        recent_events, event_total = first_with_total(
            TreatyEvent.objects.involving(country).with_related().recent(), COUNTRY_LIST_LIMIT
        )
        events = recent_events[::-1]
        sources = source_map(
            participations, actions, figures, events, extra_ids=[country.posture_source_id]
        )
        matrix_query = "?" + urlencode({"as_of": as_of.isoformat()}) if as_of else ""
        by_country = urlencode({"country": country.iso2})
        context.update(
            country=country,
            participations=participations,
            as_of_filter=self.as_of_filter,
            as_of=as_of,
            as_of_invalid=invalid,
            matrix=matrix,
            page_obj=page,
            paginator=page.paginator,
            is_paginated=page.has_other_pages(),
            matrix_export_url=reverse("treaties:country-matrix-export", args=[country.iso2])
            + matrix_query,
            figures=figures,
            figure_total=figure_total,
            events=events,
            event_total=event_total,
            sources=sources,
            posture_source=sources.get(country.posture_source_id),
            used_sources=sorted(sources.values(), key=lambda s: (s.loc("title"), s.pk)),
            participation_export_url=reverse("treaties:participation-export") + "?" + by_country,
            action_export_url=reverse("treaties:action-export") + "?" + by_country,
            figure_export_url=reverse("treaties:figure-export") + "?" + by_country,
            event_export_url=reverse("treaties:event-export") + "?" + by_country,
            event_list_url=reverse("treaties:event-list") + "?" + by_country,
        )
        return context


# -- participations --------------------------------------------------------------------


class ParticipationBrowse:
    model = Participation
    filterset_class = ParticipationFilter

    def get_queryset(self):
        # The treaty's slug settles ties of display order, so each row keeps its page.
        return Participation.objects.order_by(*ParticipationExport.ordering)


class ParticipationListView(ParticipationBrowse, ListPage):
    """Every (country, treaty) record; `?view=matrix` shows them as countries x treaties."""

    template_name = "treaties/participation_list.html"
    export_url_name = "treaties:participation-export"

    @property
    def matrix_mode(self):
        return self.request.GET.get("view") == "matrix"

    def get_queryset(self):
        queryset = super().get_queryset().with_treaty().with_country()
        if self.matrix_mode:
            return with_act_flag(queryset)
        return queryset.prefetch_related(
            Prefetch("actions", queryset=TreatyAction.objects.chronological())
        )

    def get_paginate_by(self, queryset):
        # The matrix pages by its columns, MATRIX_TREATIES treaties at a time (matrix_page).
        return None if self.matrix_mode else super().get_paginate_by(queryset)

    def facts(self, rows):
        if self.matrix_mode:
            return []
        return [rows, actions_of(rows)]

    def paginate_queryset(self, queryset, page_size):
        # As of a day, statuses are computed for every matching row, then paginated.
        if self.filterset.as_of_date:
            queryset = self.filterset.rows_as_of(queryset)
        elif self.filterset.is_bound and self.filterset.is_valid():
            # Sorted by country or status: read a country's or a status's rows at a time.
            sort = self.filterset.filters["sort"]
            segmented = sort.segmented(queryset, self.filterset.form.cleaned_data.get("sort"))
            if segmented is not None:
                queryset = segmented
        return super().paginate_queryset(queryset, page_size)

    def get_context_data(self, **kwargs):
        columns = None
        if self.matrix_mode:
            columns = matrix_page(self.request, self.object_list)
            kwargs["object_list"] = self.object_list.filter(treaty__in=columns.object_list)
            if self.filterset.as_of_date:
                kwargs["object_list"] = self.filterset.rows_as_of(kwargs["object_list"])
        context = super().get_context_data(**kwargs)
        rows = context["rows"]
        if columns is not None:
            context["matrix"] = self.matrix(rows)
            context.update(
                page_obj=columns,
                paginator=columns.paginator,
                is_paginated=columns.has_other_pages(),
            )
        else:
            for participation in rows:
                participation.shown_status = shown_status(participation)
        context["matrix_mode"] = self.matrix_mode
        if self.matrix_mode:
            query = self.request.GET.copy()
            query.pop("view", None)
            context["matrix_export_url"] = reverse("treaties:participation-matrix-export") + (
                "?" + query.urlencode() if query else ""
            )
        context["as_of"] = self.filterset.as_of_date
        if not context["filter_invalid"] and self.filterset.is_bound:
            treaty = self.filterset.form.cleaned_data.get("treaty")
            unfiltered = not set(self.request.GET) - {"treaty", "page", "view", "as_of"}
            if treaty is not None and unfiltered:
                # The whole treaty is listed: say which states it does not cover.
                context.update(states_without_record(treaty), no_record_level=2)
        return context

    @staticmethod
    def matrix(participations):
        treaties = {p.treaty_id: p.treaty for p in participations}
        columns = sorted(treaties.values(), key=lambda t: (t.display_order, t.slug))
        by_country: dict[str, dict[int, Participation]] = {}
        for p in participations:
            by_country.setdefault(str(p.country.code), {})[p.treaty_id] = p
        rows = []
        for code in sorted(by_country):
            cells = by_country[code]
            rows.append(
                {
                    "country": CountryCode(code),
                    "url": reverse("treaties:country-detail", args=[code.lower()]),
                    "cells": [
                        matrix_status(cells[t.pk]) if t.pk in cells else None for t in columns
                    ],
                }
            )
        return {"treaties": columns, "rows": rows}


def matrix_page(request, participations):
    """The page (?page=) of the treaties the matrix shows as columns: MATRIX_TREATIES of
    those the participations cover, in the lists' order. A page that does not exist is a 404."""
    treaties = Treaty.objects.filter(pk__in=participations.order_by().values("treaty_id")).order_by(
        *TreatyExport.ordering
    )
    return paginate(request, treaties, per_page=MATRIX_TREATIES)


def with_act_flag(queryset):
    """Participations marked `has_acts`, as the matrix needs to tell "no act recorded"."""
    return queryset.annotate(
        has_acts=Exists(TreatyAction.objects.filter(participation=OuterRef("pk")))
    )


def matrix_status(participation):
    """What a matrix cell says: `shown_status` read from the `has_acts` mark (no query)."""
    status = ParticipationStatus(participation.status)
    if (
        status == ParticipationStatus.NOT_SIGNED
        and participation.treaty.record_complete_on is None
        and not participation.has_acts
    ):
        return NO_ACT_RECORDED
    return ShownStatus(status.value, status.label)


class ParticipationMatrixExportView(ParticipationBrowse, CsvExportView):
    """The matrix view's CSV: a row per country, a column per treaty (same filters, as_of)."""

    export_class = ParticipationMatrixExport

    def rows(self, export):
        queryset = with_act_flag(self.filterset.qs.with_treaty().with_country())
        # The treaties of the page's matrix: "This matrix (CSV)" carries its ?page=.
        queryset = queryset.filter(treaty__in=matrix_page(self.request, queryset).object_list)
        if self.filterset.as_of_date:
            queryset = self.filterset.rows_as_of(queryset)
        matrix = ParticipationListView.matrix(list(queryset))
        export.columns = ParticipationMatrixExport(matrix["treaties"]).columns
        return matrix["rows"]


class ParticipationExportView(ParticipationBrowse, CsvExportView):
    """With `as_of`, each row's status is the one on that day, as the page shows it."""

    export_class = ParticipationExport

    def rows(self, export):
        if self.filterset.as_of_date:
            return self.filterset.rows_as_of(export.prepare(self.filterset.qs))
        return self.filterset.qs


# -- events ----------------------------------------------------------------------------


class EventBrowse:
    model = TreatyEvent
    filterset_class = TreatyEventFilter

    def get_queryset(self):
        return TreatyEvent.objects.order_by(*TreatyEventExport.ordering)


class EventListView(EventBrowse, ListPage):
    template_name = "treaties/event_list.html"
    export_url_name = "treaties:event-export"

    def get_queryset(self):
        return super().get_queryset().with_related()


class EventExportView(EventBrowse, CsvExportView):
    export_class = TreatyEventExport


# -- exports without a list page of their own (linked from the treaty and country pages) --


class ActionExportView(CsvExportView):
    model = TreatyAction
    filterset_class = TreatyActionFilter
    export_class = TreatyActionExport

    def get_queryset(self):
        return TreatyAction.objects.order_by(*TreatyActionExport.ordering)


class FigureExportView(CsvExportView):
    model = ReportedFigure
    filterset_class = ReportedFigureFilter
    export_class = ReportedFigureExport

    def get_queryset(self):
        return ReportedFigure.objects.order_by(*ReportedFigureExport.ordering)
