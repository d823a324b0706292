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

# The 500 page with the nonce its inline style needs under the Content-Security-Policy.
handler500 = "core.errors.server_error"
