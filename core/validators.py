"""Text that reads differently from what it holds is refused: bidirectional controls.

The explicit embedding, override and isolate controls (U+202A–U+202E, U+2066–U+2069) are
invisible, yet they reorder the text around them: a name holding a right-to-left override
shows its letters backwards, and a value pasted with one can make a page, a CSV cell or a
change log say something other than what is stored. No name, title or note of this site
needs them (Japanese and English run left to right; a quotation in Arabic or Hebrew is laid
out by the Unicode algorithm without them), so they are refused, with a message saying
which one and where, rather than stripped silently: the editor sees what was pasted.

The left-to-right and right-to-left marks (U+200E, U+200F) and the Arabic letter mark
(U+061C) are left alone: they reorder nothing beyond the neutral characters beside them,
and real bilingual text carries them.

Where it is checked:

- every admin form of a content model (`core.admin_locking.VersionedModelForm`, which whole
  records and inline rows use), over every text value the form cleaned, so no field is
  missed;
- every save of a content model (`core.models.Versioned.save`), so code that writes
  records (an import, a shell, a management command) cannot store one either. A save of
  some fields only (`update_fields`, as the status refreshes do) checks those: a record
  holding a control from before this check is not stopped from having its status
  refreshed, and its editor is told on the next edit;
- the importer, which reports each cell by line before anything is written.

Not in the database: a CHECK constraint would be nine "does not contain" conditions on
each of the hundred-odd text columns, a migration over every table (each rebuilt on SQLite,
and again whenever a column is added), evaluated on every write, to guard against nothing
the save above does not, since every writer goes through the models. And a restore (a raw
fixture load, which bypasses save()) should bring back what the archive holds rather than
fail half way on a value stored before this check; the editor fixes it on the next edit.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The controls refused, each with the name the message gives it.
BIDI_CONTROLS = {
    "\u202a": _("left-to-right embedding"),
    "\u202b": _("right-to-left embedding"),
    "\u202c": _("pop directional formatting"),
    "\u202d": _("left-to-right override"),
    "\u202e": _("right-to-left override"),
    "\u2066": _("left-to-right isolate"),
    "\u2067": _("right-to-left isolate"),
    "\u2068": _("first strong isolate"),
    "\u2069": _("pop directional isolate"),
}
_CONTROLS = frozenset(BIDI_CONTROLS)


def find_bidi_control(text: str) -> tuple[int, str] | None:
    """The first bidirectional control in `text`: (position counted from 1, character)."""
    if _CONTROLS.isdisjoint(text):
        return None  # the common case, without a loop in Python
    return next((i + 1, c) for i, c in enumerate(text) if c in _CONTROLS)


def codepoint(character: str) -> str:
    return f"U+{ord(character):04X}"


def bidi_control_message(position: int, character: str) -> str:
    """E.g. "The text contains an invisible right-to-left override (U+202E) at position 4"."""
    return str(
        _("The text contains an invisible %(name)s (%(code)s) at position %(position)s; remove it.")
        % {"name": BIDI_CONTROLS[character], "code": codepoint(character), "position": position}
    )


def validate_no_bidi_controls(value: Any) -> None:
    """A field validator: refuse a text holding a bidirectional control."""
    if not isinstance(value, str):
        return
    found = find_bidi_control(value)
    if found is not None:
        raise ValidationError(bidi_control_message(*found), code="bidi_control")


def bidi_control_errors(values: Mapping[str, Any]) -> dict[str, ValidationError]:
    """{name: error} for each text value (of a form's or a model's fields) holding one."""
    errors = {}
    for name, value in values.items():
        try:
            validate_no_bidi_controls(value)
        except ValidationError as error:
            errors[name] = error
    return errors


def model_text_values(instance: Any, fields: Iterable[Any]) -> dict[str, Any]:
    """{field name: value} of the text fields (CharField, TextField and their kin) given."""
    from django.db import models

    return {
        field.name: field.value_from_object(instance)
        for field in fields
        if isinstance(field, models.CharField | models.TextField)
    }


def refuse_bidi_controls_in(instance: Any, only: Iterable[str] | None = None) -> None:
    """Raise a ValidationError naming each text field of `instance` that holds a control;
    with `only` (a save's update_fields), among those fields alone."""
    fields = instance._meta.concrete_fields
    if only is not None:
        names = set(only)
        fields = [field for field in fields if field.name in names or field.attname in names]
    errors = bidi_control_errors(model_text_values(instance, fields))
    if errors:
        raise ValidationError(errors)
