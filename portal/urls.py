from django.db import transaction
from django.urls import path
from django.views.decorators.http import require_safe

from . import views
from .feeds import ChangeFeed

app_name = "portal"
urlpatterns = [
    path("", views.HomeView.as_view(), name="home"),
    path("sources/<int:pk>/", views.SourceDetailView.as_view(), name="source-detail"),
    path("changes/", views.ChangeListView.as_view(), name="change-list"),
    path("changes/export.csv", views.ChangeExportView.as_view(), name="change-export"),
    # Public pages only read: a feed answers 405 to anything but GET and HEAD and opens no
    # transaction, like the rest (core.views_base.ReadOnlyMixin).
    path(
        "changes/feed/",
        transaction.non_atomic_requests(require_safe(ChangeFeed())),
        name="change-feed",
    ),
    path("review/", views.ReviewView.as_view(), name="review"),
    path("search/", views.SearchView.as_view(), name="search"),
]
