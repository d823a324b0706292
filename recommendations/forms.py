"""Admin forms of the recommendations app."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.admin_base import ContentForm
from core.dates import PartialDate

from .models import RecommendationUpdate


class PartialDateField(forms.Field):
    """A date typed at the precision the evidence gives it: 2024-04-10, 2024-04 or 2024."""

    widget = forms.TextInput(attrs={"size": 10, "maxlength": 10, "placeholder": "YYYY-MM"})
    default_error_messages = {
        "invalid": _("Enter the date as YYYY-MM-DD, YYYY-MM or YYYY (e.g. 2024-04)."),
    }

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "help_text", _("As precise as the evidence states it: YYYY-MM-DD, YYYY-MM or YYYY.")
        )
        super().__init__(**kwargs)

    def to_python(self, value):
        value = (value or "").strip()
        if not value:
            return None
        try:
            return PartialDate.parse(value)
        except ValueError as error:
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid") from error

    def prepare_value(self, value):
        if isinstance(value, PartialDate):
            return value.iso()
        return value


class RecommendationUpdateForm(ContentForm):
    """A status update with its date at its precision, in one field.

    The form only validates: the admin records the update through
    `recommendations.services.recommendation_set_status`, never with `form.save()`.
    """

    date = PartialDateField(label=_("date"))

    class Meta:
        model = RecommendationUpdate
        fields = ["recommendation", "date", "status", "note_ja", "note_en", "evidence", "locator"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.date_on:
            self.initial.setdefault("date", self.instance.date)

    def clean(self):
        super().clean()
        cleaned = self.cleaned_data
        date = cleaned.get("date")
        if date is not None:
            # Set before the model's own validation, which needs date_on and its precision.
            self.instance.date = date
        return cleaned
