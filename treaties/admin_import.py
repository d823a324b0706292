"""The editors' import page: upload a file, read the dry run, then apply it all or nothing.

It is the "add" page of the import log (ImportBatch): adding a batch means importing a
file. The first submission reads the file and shows what it would add, change (old → new)
and leave unchanged, with every error by line, and writes nothing. The file travels back
with the confirmation, and applying re-checks it inside the transaction.
"""

import base64
import binascii

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.dates import PartialDate
from core.models import Source
from core.validators import (
    bidi_control_message,
    find_bidi_control,
    validate_no_bidi_controls,
)

from .importing import Batch, ImportRefused, apply_import, batch_source, plan_import
from .models import ImportBatch, Treaty

MAX_BYTES = 5 * 1024 * 1024


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("file"),
        required=False,
        help_text=_(
            "This site's actions or participations CSV, a UN Treaty Collection status table or "
            "a UNODA list, as CSV or tab-separated text, UTF-8 or Shift_JIS."
        ),
    )
    # The form's metaclass moves declared fields into `base_fields`, so this field does not
    # shadow the bound `Form.data` at runtime; the stubs see a class attribute clash.
    data = forms.CharField(widget=forms.HiddenInput, required=False)  # type: ignore[assignment]
    filename = forms.CharField(widget=forms.HiddenInput, required=False)
    treaty = forms.ModelChoiceField(
        label=_("treaty"),
        queryset=Treaty.objects.all(),
        required=False,
        help_text=_("For a depositary's list, which names no treaty."),
    )
    source = forms.ModelChoiceField(
        label=_("source"),
        queryset=Source.objects.all(),
        required=False,
        help_text=_("For a depositary's list: the page it was taken from, if already recorded."),
    )
    source_url = forms.URLField(
        label=_("or the page's URL"), required=False, max_length=500, assume_scheme="https"
    )
    source_title = forms.CharField(
        label=_("its title"),
        required=False,
        max_length=300,
        validators=[validate_no_bidi_controls],
    )
    locator = forms.CharField(
        label=_("locator"), required=False, max_length=300, validators=[validate_no_bidi_controls]
    )
    depositary = forms.CharField(
        label=_("depositary"),
        required=False,
        max_length=120,
        validators=[validate_no_bidi_controls],
        help_text=_(
            "Who keeps the list, if not the UN Secretary-General (e.g. Washington for the "
            "U.S. State Department's list)."
        ),
    )
    as_of = forms.CharField(
        label=_("as of"),
        required=False,
        max_length=10,
        help_text=_("The date the list states it is current to: 2026-11-01, 2026-11 or 2026."),
    )
    complete = forms.BooleanField(
        label=_("the file lists every state's acts"),
        required=False,
        help_text=_(
            "Tick for a depositary's complete status table: a state with no act is then shown "
            "as not signed on the as-of date."
        ),
    )

    def clean_as_of(self):
        text = self.cleaned_data["as_of"].strip()
        if not text:
            return None
        try:
            return PartialDate.parse(text)
        except ValueError:
            raise ValidationError(_("Write the date as 2026-11-01, 2026-11 or 2026.")) from None

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        upload = cleaned.get("file")
        if upload is not None:
            if upload.size > MAX_BYTES:
                raise ValidationError(_("The file is larger than 5 MB; split it."))
            cleaned["content"] = upload.read()
            cleaned["filename"] = upload.name
        elif cleaned.get("data"):
            try:
                cleaned["content"] = base64.b64decode(cleaned["data"], validate=True)
            except (binascii.Error, ValueError):
                raise ValidationError(_("The file was lost on the way; choose it again.")) from None
        else:
            raise ValidationError(_("Choose a file to import."))
        found = find_bidi_control(cleaned.get("filename") or "")
        if found is not None:
            # The name is kept in the import log and shown there.
            self.add_error(
                "file",
                _("The file's name: %(message)s") % {"message": bidi_control_message(*found)},
            )
        if cleaned.get("complete") and not cleaned.get("as_of"):
            self.add_error("as_of", _("A complete list needs the date it is complete to."))
        source = cleaned.get("source")
        url = cleaned.get("source_url")
        if source is None and url:
            try:
                cleaned["source"] = batch_source(
                    url, title=cleaned.get("source_title", ""), as_of=cleaned.get("as_of")
                )
            except ValueError as error:
                self.add_error("source_title", str(error))
        if cleaned.get("complete") and not (cleaned.get("treaty") and cleaned.get("source")):
            self.add_error("complete", _("A complete list needs its treaty and its source."))
        return cleaned

    def batch(self):
        data = self.cleaned_data
        return Batch(
            treaty=data.get("treaty"),
            source=data.get("source"),
            locator=data.get("locator", ""),
            as_of=data.get("as_of"),
            depositary=data.get("depositary", ""),
        )


class ImportBatchAdmin(admin.ModelAdmin):
    list_display = [
        "imported_at",
        "filename",
        "file_format",
        "treaty",
        "source",
        "user",
        "added",
        "changed",
        "unchanged",
    ]
    list_filter = ["file_format", "treaty"]
    search_fields = ["filename", "source__slug", "source__title_en"]
    list_select_related = ["treaty", "source", "user"]
    date_hierarchy = "imported_at"
    readonly_fields = [field.name for field in ImportBatch._meta.fields]

    def has_change_permission(self, request, obj=None):
        return False  # the log of imports is never edited (the view permission shows it)

    def has_delete_permission(self, request, obj=None):
        return False

    def add_view(self, request, form_url="", extra_context=None):
        """Importing: the dry run, then (with `apply`) the import itself."""
        if not self.has_add_permission(request) or not request.user.has_perms(
            [
                "treaties.add_treatyaction",
                "treaties.change_treatyaction",
                "treaties.add_participation",
                "treaties.change_participation",
            ]
        ):
            raise PermissionDenied
        form = ImportForm(request.POST or None, request.FILES or None)
        plan = None
        if request.method == "POST" and form.is_valid():
            content = form.cleaned_data["content"]
            filename = form.cleaned_data["filename"] or "import.csv"
            if "apply" in request.POST:
                try:
                    plan, record = apply_import(
                        content,
                        filename=filename,
                        batch=form.batch(),
                        user=request.user,
                        complete=form.cleaned_data["complete"],
                    )
                except ImportRefused as refused:
                    plan = refused.plan
                    messages.error(request, gettext("The file was refused; nothing was written."))
                else:
                    if record is None:
                        messages.info(
                            request,
                            gettext("Nothing to change: the records already hold this file."),
                        )
                        return redirect(reverse("admin:treaties_importbatch_changelist"))
                    messages.success(
                        request, gettext("Imported: %(summary)s.") % {"summary": plan.summary()}
                    )
                    return redirect(reverse("admin:treaties_importbatch_change", args=[record.pk]))
            else:
                plan = plan_import(content, filename=filename, batch=form.batch())
            # The confirmation carries the file itself, so it applies what was shown.
            form = ImportForm(
                {
                    **{key: value for key, value in request.POST.items() if key != "apply"},
                    "data": base64.b64encode(content).decode("ascii"),
                    "filename": filename,
                }
            )
            form.is_valid()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Import acts from a file"),
            "form": form,
            "plan": plan,
            "has_view_permission": self.has_view_permission(request),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/treaties/importbatch/import.html", context)
