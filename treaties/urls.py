from django.urls import path, re_path

from . import views

app_name = "treaties"

urlpatterns = [
    path("treaties/", views.TreatyListView.as_view(), name="treaty-list"),
    path("treaties/export.csv", views.TreatyExportView.as_view(), name="treaty-export"),
    path("treaties/<slug:slug>/", views.TreatyDetailView.as_view(), name="treaty-detail"),
    path("countries/", views.CountryListView.as_view(), name="country-list"),
    path("countries/export.csv", views.CountryExportView.as_view(), name="country-export"),
    # Any case is accepted so that /countries/JP/ can redirect to the canonical /countries/jp/.
    re_path(
        r"^countries/(?P<iso2>[A-Za-z]{2})/$",
        views.CountryDetailView.as_view(),
        name="country-detail",
    ),
    path("participations/", views.ParticipationListView.as_view(), name="participation-list"),
    path(
        "participations/export.csv",
        views.ParticipationExportView.as_view(),
        name="participation-export",
    ),
    path("events/", views.EventListView.as_view(), name="event-list"),
    path("events/export.csv", views.EventExportView.as_view(), name="event-export"),
    path("actions/export.csv", views.ActionExportView.as_view(), name="action-export"),
    path("figures/export.csv", views.FigureExportView.as_view(), name="figure-export"),
]
