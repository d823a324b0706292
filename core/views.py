"""The source list and its CSV: the sources every app's facts cite."""

from .exports import SourceExport
from .filters import SourceFilter
from .models import Source
from .views_base import BrowseView, CsvExportView


class SourceBrowse:
    model = Source
    filterset_class = SourceFilter

    def get_queryset(self):
        return Source.objects.order_by(*SourceExport.ordering)


class SourceListView(SourceBrowse, BrowseView):
    template_name = "core/source_list.html"
    export_url_name = "core:source-export"


class SourceExportView(SourceBrowse, CsvExportView):
    export_class = SourceExport

