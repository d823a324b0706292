from django.urls import path

from . import views

app_name = "people"
urlpatterns = [
    path("people/", views.PersonListView.as_view(), name="person-list"),
    path("people/export.csv", views.PersonExportView.as_view(), name="person-export"),
    path(
        "people/memberships/export.csv",
        views.MembershipExportView.as_view(),
        name="membership-export",
    ),
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("sessions/", views.SessionListView.as_view(), name="session-list"),
    path("sessions/export.csv", views.SessionExportView.as_view(), name="session-export"),
    path(
        "sessions/items/export.csv",
        views.SessionItemExportView.as_view(),
        name="session-item-export",
    ),
    path("sessions/<int:pk>/", views.SessionDetailView.as_view(), name="session-detail"),
]
