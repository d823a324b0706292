from __future__ import annotations

from django.contrib import admin
from django.contrib.auth.admin import GroupAdmin, UserAdmin
from django.contrib.auth.models import Group, User
from django.db import models
from django.utils.translation import gettext_lazy as _

from .admin_base import ContentAdmin
from .admin_widgets import CheckedRelationsMixin
from .export import admin_csv_action
from .exports import SourceExport
from .models import Source


@admin.register(Source)
class SourceAdmin(ContentAdmin):
    # Addresses typed without a scheme are taken as https (Django 6 default; no warning).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ["display_title", "slug", "kind", "language", "display_published", "publisher"]
    list_filter = ["kind", "language", "published_precision"]
    search_fields = ["slug", "title_ja", "title_en", "publisher_ja", "publisher_en", "url"]
    date_hierarchy = "published_on"
    prepopulated_fields = {"slug": ["title_en"]}
    readonly_fields = ["updated_at"]
    actions = [admin_csv_action(SourceExport)]
    fieldsets = [
        (None, {"fields": ["slug", "title_ja", "title_en", "publisher_ja", "publisher_en"]}),
        (
            _("Document"),
            {"fields": ["kind", "language", "published_on", "published_precision", "url"]},
        ),
        (None, {"fields": ["editor_note", "updated_at"]}),
    ]

    @admin.display(description=_("title"), ordering="title_en")
    def display_title(self, obj: Source) -> str:
        return obj.loc("title")

    @admin.display(description=_("published"), ordering="published_on")
    def display_published(self, obj: Source) -> str:
        return obj.published.iso() if obj.published else ""

    @admin.display(description=_("publisher"))
    def publisher(self, obj: Source) -> str:
        return obj.loc("publisher")


# Users and groups keep Django's admin, with relation fields that refuse an id beyond the
# column's range instead of failing (see core.admin_widgets).
# (GroupAdmin types its request as optional; the admin always passes one.)
class CheckedGroupAdmin(CheckedRelationsMixin, GroupAdmin):  # type: ignore[misc]
    pass


class CheckedUserAdmin(CheckedRelationsMixin, UserAdmin):
    pass


admin.site.unregister(Group)
admin.site.register(Group, CheckedGroupAdmin)
admin.site.unregister(User)
admin.site.register(User, CheckedUserAdmin)
