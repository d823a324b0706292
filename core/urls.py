from django.urls import path

from . import health, views

app_name = "core"
urlpatterns = [
    path("sources/", views.SourceListView.as_view(), name="source-list"),
    path("sources/export.csv", views.SourceExportView.as_view(), name="source-export"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
]
