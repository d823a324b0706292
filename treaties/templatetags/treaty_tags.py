"""Template helpers of the treaty pages."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from core.i18n import localized, localized_with_language
from core.templatetags.tracker import ProvenanceMarks, pdate

if TYPE_CHECKING:
    from django.template.context import Context

    from treaties.models import Participation, TreatyAction

register = template.Library()

# Where instruments are deposited, as the records store them (in English, the same in every
# language so that imports compare), and as each language names them.
DEPOSITARY_NAMES = {
    "Secretary-General of the United Nations": _("Secretary-General of the United Nations"),
    "London": _("London"),
    "Moscow": _("Moscow"),
    "Washington": _("Washington"),
}


@register.filter
def depositary_names(value: str) -> str:
    """{{ action.depositary|depositary_names }}: "London, Washington" → 「ロンドン、ワシントン」."""
    names = [part.strip() for part in (value or "").split(",") if part.strip()]
    shown = [str(DEPOSITARY_NAMES.get(name, name)) for name in names]
    return pgettext("between the items of a list", ", ").join(shown)


# -- participation tables -----------------------------------------------------------------
# Built here rather than in templates: a page of participations shows each row, each of
# its acts and each act's provenance, hundreds of pieces a page, and the template engine
# costs several times what format_html does for the same markup.


def actions_html(actions: Iterable[TreatyAction], marks: ProvenanceMarks) -> str:
    """A participation's acts as a list: each act's kind, date, day of effect, depositary,
    whether it takes effect after the day the page is shown as of, note and provenance."""
    items = [
        format_html(
            '<li class="action{}">{} <time datetime="{}">{}</time>{}{}{}{} {}</li>',
            " after-as-of" if getattr(action, "after_as_of", False) else "",
            action.get_action_type_display(),
            action.date.iso(),
            pdate(action.date),
            format_html(
                ' ({} <time datetime="{}">{}</time>)',
                gettext("takes effect"),
                action.effective_on.isoformat(),
                pdate(action.effective_on),
            )
            if action.effective_on
            else "",
            format_html(" · {}", depositary_names(action.depositary)) if action.depositary else "",
            format_html(" <em>{}</em>", gettext("(after the as-of date)"))
            if getattr(action, "after_as_of", False)
            else "",
            _note(action),
            marks(action),
        )
        for action in actions
    ]
    if not items:
        return format_html('<span class="muted">{}</span>', gettext("no actions recorded"))
    return mark_safe('<ul class="actions">\n  ' + "\n  ".join(items) + "\n</ul>")


def _note(fact: Any) -> str:
    note, language = localized_with_language(fact, "note")
    return format_html('<br><small lang="{}">{}</small>', language, note) if note else ""


def page_marks(context: Context) -> ProvenanceMarks:
    """The provenance markers of the template being rendered, with the page's `sources`."""
    marks = context.render_context.get("provenance_marks")
    if marks is None:
        marks = context.render_context["provenance_marks"] = ProvenanceMarks(context.get("sources"))
    return marks


@register.simple_tag(takes_context=True)
def actions_list(context: Context, participation: Participation) -> str:
    """{% actions_list participation %}: its acts (handed or prefetched), with the sources of
    the page's `sources` map."""
    return actions_html(participation.actions.all(), page_marks(context))


@register.simple_tag(takes_context=True)
def participation_rows(
    context: Context, participations: Iterable[Participation], shared: Any, with_treaty: bool
) -> str:
    """{% participation_rows rows shared with_treaty %}: the body of a participations table:
    the country, the treaty (`with_treaty`), the status shown, the acts, the note and, unless
    every row shares it (`shared`), the provenance."""
    marks = page_marks(context)
    required = gettext("required for entry into force")
    rows = []
    for participation in participations:
        country, status = participation.country, participation.shown_status
        required_note = (
            format_html('<br><small class="required">{}</small>', required)
            if participation.required_for_entry_into_force
            else ""
        )
        note, note_language = localized_with_language(participation, "note")
        rows.append(
            format_html(
                "<tr{}>\n"
                '<th scope="row"><a href="{}">{}</a> <small>{}</small>{}</th>\n'
                "{}"
                '<td><span class="status status-{}">{}</span></td>\n'
                "<td>{}</td>\n"
                '<td lang="{}">{}</td>\n'
                "{}"
                "</tr>",
                "" if with_treaty else format_html(' id="participation-{}"', country.iso2),
                country.get_absolute_url(),
                country.name,
                country.code_text,
                "" if with_treaty else required_note,
                format_html(
                    '<td><a href="{}">{}</a>{}</td>\n',
                    participation.treaty.get_absolute_url(),
                    localized(participation.treaty, "short_name"),
                    required_note,
                )
                if with_treaty
                else "",
                status.value,
                status.label,
                actions_html(participation.actions.all(), marks),
                note_language,
                note,
                "" if shared else format_html("<td>{}</td>\n", marks(participation)),
            )
        )
    return mark_safe("\n".join(rows))
