"""The site's URLs and one more that fails, to reach the 500 handler."""

from django.urls import path

from config.urls import handler500
from config.urls import urlpatterns as site_urlpatterns


def fails(request):
    raise RuntimeError("a failure the 500 page answers")


urlpatterns = [path("fails/", fails), *site_urlpatterns]

__all__ = ["handler500", "urlpatterns"]
