"""The source list and its CSV: the sources every app's facts cite."""

from .exports import SourceExport
from .filters import SourceFilter
from .models import Source
from .views_base import BrowseView, CsvExportView


class SourceListView(BrowseView):
    model = Source
    filterset_class = SourceFilter
    template_name = "core/source_list.html"
    export_url_name = "core:source-export"


class SourceExportView(CsvExportView):
    model = Source
    filterset_class = SourceFilter
    export_class = SourceExport

