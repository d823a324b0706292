from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("", include("portal.urls")),
    path("", include("core.urls")),
    path("", include("treaties.urls")),
    path("", include("people.urls")),
    path("", include("recommendations.urls")),
]

# A database that is down or silent gets the 503 page, any other failure the 500 page,
# each with the nonce its inline style needs under the Content-Security-Policy.
handler500 = "core.errors.server_error"
