from django.urls import path

from . import views

app_name = "core"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("sources/", views.SourceListView.as_view(), name="source-list"),
    path("sources/export.csv", views.SourceExportView.as_view(), name="source-export"),
    path("sources/<int:pk>/", views.SourceDetailView.as_view(), name="source-detail"),
]
