"""The URLs of the streaming tests: the site plus two CSV-like streams, one slow, one
failing half-way (served with `DJANGO_SETTINGS_MODULE=tests.stream_settings`)."""

import time

from django.db import transaction
from django.http import StreamingHttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns

LINES = 40


@transaction.non_atomic_requests
def slow(request):
    """Longer than the worker timeout the test gives gunicorn, one line at a time."""
    seconds = float(request.GET.get("seconds", "4"))

    def lines():
        for number in range(LINES):
            time.sleep(seconds / LINES)
            yield f"{number},line {number}\n"

    return StreamingHttpResponse(lines(), content_type="text/csv")


@transaction.non_atomic_requests
def failing(request):
    def lines():
        for number in range(LINES // 2):
            yield f"{number},line {number}\n"
        raise RuntimeError("the database went away half-way")

    return StreamingHttpResponse(lines(), content_type="text/csv")


urlpatterns = [
    path("stream/slow.csv", slow),
    path("stream/failing.csv", failing),
    *site_urlpatterns,
]
