from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("sources/", views.SourceListView.as_view(), name="source-list"),
    path("sources/export.csv", views.SourceExportView.as_view(), name="source-export"),
]
