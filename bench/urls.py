"""The site's URLs and /bench/hello: a view that answers a fixed text and touches no
database, the reference every page's throughput is measured against."""

from django.db import transaction
from django.http import HttpResponse
from django.urls import include, path


@transaction.non_atomic_requests
def hello(request):
    return HttpResponse("Hello, world.\n", content_type="text/plain")


urlpatterns = [
    path("bench/hello", hello),
    path("", include("config.urls")),
]
