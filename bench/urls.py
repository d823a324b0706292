"""The site's URLs and /bench/hello: a view that answers a fixed text and touches no
database, the reference every page's throughput is measured against."""

from django.db import transaction
from django.http import HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


@transaction.non_atomic_requests
def hello(request):
    return HttpResponse("Hello, world.\n", content_type="text/plain")


urlpatterns = [
    path("bench/hello", hello),
    *site_urlpatterns,
]

# The site's handlers too, so an error page reads as it does in production.
handler500 = "core.errors.server_error"
