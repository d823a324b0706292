from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from core import health

urlpatterns = [
    # The probes answer the same in every language, at one address each.
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    # Every page, export and feed, and the admin, in each language: Japanese (the default)
    # at /…, English at /en/… (core.languages).
    *i18n_patterns(
        path("admin/", admin.site.urls),
        path("", include("portal.urls")),
        path("", include("core.urls")),
        path("", include("treaties.urls")),
        path("", include("people.urls")),
        path("", include("recommendations.urls")),
        prefix_default_language=False,
    ),
]

# A database that is down or silent gets the 503 page, any other failure the 500 page,
# each with the nonce its inline style needs under the Content-Security-Policy.
handler500 = "core.errors.server_error"
