"""Pieces every public browse page uses: filtered, paginated lists and their CSV export."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ImproperlyConfigured
from django.db import transaction
from django.http import HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django_filters.views import FilterView

from .paging import CappedPaginator, PageBeyondCap

if TYPE_CHECKING:
    from django.http import HttpRequest, HttpResponseBase

    from .export import CsvExport
    from .registry import Label

PAGE_SIZE = 50


class ReadOnlyMixin(View):
    """Public pages only read: anything but GET and HEAD is refused with 405, and no
    transaction is opened for them (ATOMIC_REQUESTS is for the views that write): each
    query runs on its own, with no BEGIN, SAVEPOINT or COMMIT around it."""

    http_method_names: Sequence[str] = ["get", "head", "options"]
    # An anonymous reader's page may be stored by the page cache (core/cache.py).
    page_cache = True

    @classmethod
    def as_view(cls, **initkwargs: Any) -> Callable[..., HttpResponseBase]:
        return transaction.non_atomic_requests(super().as_view(**initkwargs))

    def http_method_not_allowed(
        self, request: HttpRequest, *args: Any, **kwargs: Any
    ) -> HttpResponse:
        return HttpResponseNotAllowed(["GET", "HEAD"])


class BrowseView(ReadOnlyMixin, FilterView):
    """A FilterSet over a paginated list. Invalid filter input gives 400 and the form's errors.

    A list shows its first `core.paging.MAX_PAGES` pages; a page number past them sends the
    reader to the last one shown, which says how to reach the rest (filters, the CSV).
    """

    paginate_by = PAGE_SIZE
    paginator_class = CappedPaginator
    strict = True
    # The list's CSV export, and any further CSVs drawn from the same rows: (label, url name).
    export_url_name: str | None = None
    extra_export_url_names: Sequence[tuple[Label, str]] = ()

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            response = super().get(request, *args, **kwargs)
        except PageBeyondCap as beyond:
            query = request.GET.copy()
            query["page"] = str(beyond.last)
            return HttpResponseRedirect(f"{request.path}?{query.urlencode()}")
        if self.filterset.is_bound and not self.filterset.is_valid():
            response.status_code = 400
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_string"] = query.urlencode()
        context["filter_invalid"] = self.filterset.is_bound and not self.filterset.is_valid()
        if self.export_url_name:
            context["export_url"] = reverse(self.export_url_name)
        context["extra_exports"] = [
            (label, reverse(name)) for label, name in self.extra_export_url_names
        ]
        return context


def invalid_filter_response(filterset: Any) -> HttpResponse:
    """A CSV's answer to invalid filter input: 400 and each field's message, as plain text."""
    lines = [_("Invalid filter:")]
    for field, errors in filterset.errors.items():
        lines.extend(f"{field}: {error}" for error in errors)
    return HttpResponse(
        "\n".join(lines) + "\n", status=400, content_type="text/plain; charset=utf-8"
    )


class CsvExportView(ReadOnlyMixin, FilterView):
    """The CSV of a browse page: same FilterSet, same query string, every matching row."""

    export_class: type[CsvExport] | None = None
    filename: str | None = None

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        filterset_class = self.get_filterset_class()
        self.filterset = self.get_filterset(filterset_class)
        if self.filterset.is_bound and not self.filterset.is_valid():
            return invalid_filter_response(self.filterset)
        if self.export_class is None:
            raise ImproperlyConfigured(f"{type(self).__name__} needs an export_class.")
        export = self.export_class()
        return export.response(self.rows(export), filename=self.filename or export.filename)

    def rows(self, export: CsvExport) -> Iterable[Any]:
        """What the file lists: the filtered queryset, or rows a subclass computed."""
        return self.filterset.qs
