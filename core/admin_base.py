"""The admin every content model uses: edit history with restore, and no silent overwrite.

It joins the two halves, each in a module of its own:

- `core.admin_locking`: every change form, inline row and delete confirmation (of one
  record or of the rows selected in a list) carries the version it showed, and a save or
  deletion over a version that has since moved on, or without one, is refused with a
  message saying who changed what; every form also refuses text holding a bidirectional
  control (`core.validators`);
- `core.admin_history`: each record's history with field diffs, restores of earlier
  versions and of deleted records, and an optional change reason on every form.

Their relation fields (`core.admin_widgets`) take a posted value that names no row.

Apps build their admins on `ContentAdmin`, their inlines on `ContentTabularInline`, and
custom forms on `ContentForm` (inline forms on `core.admin_locking.VersionedModelForm`).
The reason and the hidden version close every change form, in one section.
"""

from django.contrib import admin

from .admin_history import HistoryAdmin, HistoryModelForm
from .admin_locking import OptimisticLockAdmin, VersionedInlineMixin, VersionedModelForm
from .admin_widgets import CheckedRelationsMixin


class ContentForm(HistoryModelForm, VersionedModelForm):
    """The form of a whole record: the version check and an optional change reason."""


class ContentTabularInline(CheckedRelationsMixin, VersionedInlineMixin, admin.TabularInline):
    """A tabular inline whose rows carry their version; the record's reason explains them."""


class ContentAdmin(CheckedRelationsMixin, OptimisticLockAdmin, HistoryAdmin):
    """The admin of every content model (see the module docstring)."""

    form = ContentForm
    # Sends the version shown (the locking half) and takes a change reason (the history half).
    delete_confirmation_template = "admin/content/delete_confirmation.html"
    # Sends the version of each row it lists ("delete selected", see the locking half).
    delete_selected_confirmation_template = "admin/content/delete_selected_confirmation.html"
