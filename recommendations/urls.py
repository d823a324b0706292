from django.urls import path

from . import views

app_name = "recommendations"
urlpatterns = [
    path("recommendations/", views.RecommendationListView.as_view(), name="recommendation-list"),
    path(
        "recommendations/export.csv",
        views.RecommendationExportView.as_view(),
        name="recommendation-export",
    ),
    path(
        "recommendations/footnotes/export.csv",
        views.FootnoteExportView.as_view(),
        name="footnote-export",
    ),
    path(
        "recommendations/updates/export.csv",
        views.RecommendationUpdateExportView.as_view(),
        name="update-export",
    ),
    path(
        "recommendations/<int:pk>/",
        views.RecommendationDetailView.as_view(),
        name="recommendation-detail",
    ),
]
