"""The source list and its CSV, the sources every app's facts cite; the error handler."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from django.template import loader
from django.views import defaults

from .exports import SourceExport
from .filters import SourceFilter
from .models import Source
from .views_base import BrowseView, CsvExportView

# What the 503 page asks a client to wait before trying again.
RETRY_AFTER_SECONDS = 30


class SourceListView(BrowseView):
    model = Source
    filterset_class = SourceFilter
    template_name = "core/source_list.html"
    export_url_name = "core:source-export"


class SourceExportView(CsvExportView):
    model = Source
    filterset_class = SourceFilter
    export_class = SourceExport


def server_error(request: HttpRequest, template_name: str = "500.html") -> HttpResponse:
    """The 500 handler; a database that is down, silent or stuck gets the 503 page.

    Django calls it while handling the exception, so the exception is at hand. Both pages
    stand alone (see the templates): they are shown when something already failed.
    """
    error = sys.exc_info()[1]
    if isinstance(error, OperationalError | InterfaceError):
        response = HttpResponse(
            loader.get_template("503.html").render(), status=503
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    return defaults.server_error(request, template_name)
