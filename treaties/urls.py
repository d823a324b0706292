from django.urls import path, re_path

from . import picture_views, views

app_name = "treaties"

urlpatterns = [
    path("treaties/", views.TreatyListView.as_view(), name="treaty-list"),
    path("treaties/export.csv", views.TreatyExportView.as_view(), name="treaty-export"),
    path("treaties/<slug:slug>/", views.TreatyDetailView.as_view(), name="treaty-detail"),
    path(
        "treaties/<slug:slug>/map.csv",
        picture_views.TreatyMapExportView.as_view(),
        name="treaty-map-export",
    ),
    path(
        "treaties/<slug:slug>/counts.csv",
        picture_views.TreatyCountsExportView.as_view(),
        name="treaty-counts-export",
    ),
    path("countries/", views.CountryListView.as_view(), name="country-list"),
    path("countries/export.csv", views.CountryExportView.as_view(), name="country-export"),
    # Any case is accepted so that /countries/JP/ can redirect to the canonical /countries/jp/.
    re_path(
        r"^countries/(?P<iso2>[A-Za-z]{2})/$",
        views.CountryDetailView.as_view(),
        name="country-detail",
    ),
    re_path(
        r"^countries/(?P<iso2>[A-Za-z]{2})/matrix\.csv$",
        picture_views.CountryMatrixExportView.as_view(),
        name="country-matrix-export",
    ),
    path("participations/", views.ParticipationListView.as_view(), name="participation-list"),
    path(
        "participations/export.csv",
        views.ParticipationExportView.as_view(),
        name="participation-export",
    ),
    path(
        "participations/matrix.csv",
        views.ParticipationMatrixExportView.as_view(),
        name="participation-matrix-export",
    ),
    path("events/", views.EventListView.as_view(), name="event-list"),
    path("events/export.csv", views.EventExportView.as_view(), name="event-export"),
    path("actions/export.csv", views.ActionExportView.as_view(), name="action-export"),
    path("figures/export.csv", views.FigureExportView.as_view(), name="figure-export"),
]
