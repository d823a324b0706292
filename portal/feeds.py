"""An Atom feed of the latest changes to public records, the feed of /changes/.

Like the page, it says which record changed, when and which fields; never who made the
change or why (those stay in the admin).
"""

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from .views import describe_changes, public_changes

FEED_LENGTH = 50


class ChangeFeed(Feed):
    feed_type = Atom1Feed

    def get_object(self, request, *args, **kwargs):
        # Entry ids must be absolute and unique; the page's address with the change's anchor
        # is both, and stays the same however often the record changes again.
        return {"changes_url": request.build_absolute_uri(reverse("portal:change-list"))}

    def title(self, obj):
        return _("Treaty Tracker: latest changes")

    def subtitle(self, obj):
        return _("Records created, changed or deleted by the editors, newest first.")

    def link(self, obj):
        return reverse("portal:change-list")

    def items(self, obj):
        changes = describe_changes(public_changes()[:FEED_LENGTH])
        for change in changes:
            change.feed_guid = f"{obj['changes_url']}#change-{change.pk}"
        return changes

    def item_title(self, item):
        return f"{capfirst(item.get_kind_display())}: {item.model_label} — {item.object_repr}"

    def item_link(self, item):
        return item.record_url or f"{reverse('portal:change-list')}#change-{item.pk}"

    def item_guid(self, item):
        return item.feed_guid

    item_guid_is_permalink = False

    def item_description(self, item):
        if item.field_labels:
            return _("Fields changed: %(fields)s") % {"fields": ", ".join(item.field_labels)}
        return str(item.get_kind_display())

    def item_pubdate(self, item):
        return item.changed_at

    def item_updateddate(self, item):
        return item.changed_at
