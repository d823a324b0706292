"""Template helpers of the treaty pages."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, pgettext
from django.utils.translation import gettext_lazy as _

from core.i18n import localized, localized_language, localized_with_language
from core.templatetags.tracker import ProvenanceMarks, pdate
from treaties.choices import ActionType
from treaties.models import country_urls

if TYPE_CHECKING:
    from django.template.context import Context

    from treaties.models import Country, Participation, TreatyAction
    from treaties.pictures import YearCount

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


class ActsMarkup:
    """A page's acts as lists: each act's kind, date, day of effect, depositary, whether it
    takes effect after the day the page is shown as of, note and provenance. The words
    around them are translated once a page; every text is escaped as format_html would."""

    def __init__(self, marks: ProvenanceMarks) -> None:
        self.marks = marks
        self.kinds = {value: escape(str(label)) for value, label in ActionType.choices}
        self.takes_effect = escape(gettext("takes effect"))
        # (Outside f-strings, where xgettext does not look for them.)
        after, none = gettext("(after the as-of date)"), gettext("no actions recorded")
        self.after = f" <em>{escape(after)}</em>"
        self.none = f'<span class="muted">{escape(none)}</span>'

    def __call__(self, actions: Iterable[TreatyAction]) -> SafeString:
        items = []
        for action in actions:
            after = getattr(action, "after_as_of", False)
            date = action.date
            effect = action.effective_on
            items.append(
                f'<li class="action{" after-as-of" if after else ""}">'
                f"{self.kinds.get(action.action_type) or escape(action.action_type)} "
                f'<time datetime="{date.iso()}">{escape(pdate(date))}</time>'
                + (
                    f' ({self.takes_effect} <time datetime="{effect.isoformat()}">'
                    f"{escape(pdate(effect))}</time>)"
                    if effect
                    else ""
                )
                + (f" · {escape(depositary_names(action.depositary))}" if action.depositary else "")
                + (self.after if after else "")
                + f"{note_markup(action)} {self.marks(action)}</li>"
            )
        if not items:
            return mark_safe(self.none)
        return mark_safe('<ul class="actions">\n  ' + "\n  ".join(items) + "\n</ul>")


def note_markup(fact: Any) -> str:
    note, language = localized_with_language(fact, "note")
    return f'<br><small lang="{language}">{escape(note)}</small>' if note else ""


def page_acts(context: Context) -> ActsMarkup:
    """The acts' markup of the template being rendered, with the page's `sources`."""
    acts = context.render_context.get("acts_markup")
    if acts is None:
        marks = ProvenanceMarks(context.get("sources"))
        acts = context.render_context["acts_markup"] = ActsMarkup(marks)
    return acts


@register.simple_tag(takes_context=True)
def actions_list(context: Context, participation: Participation) -> SafeString:
    """{% actions_list participation %}: its acts (handed or prefetched), with the sources of
    the page's `sources` map."""
    return page_acts(context)(participation.actions.all())


@register.simple_tag(takes_context=True)
def participation_rows(
    context: Context, participations: Iterable[Participation], shared: Any, with_treaty: bool
) -> SafeString:
    """{% participation_rows rows shared with_treaty %}: the body of a participations table:
    the country, the treaty (`with_treaty`), the status shown, the acts, the note and, unless
    every row shares it (`shared`), the provenance."""
    acts = page_acts(context)
    url = country_urls()
    required = escape(gettext("required for entry into force"))
    labels: dict[str, str] = {}
    rows = []
    for participation in participations:
        country, status = participation.country, participation.shown_status
        required_note = (
            f'<br><small class="required">{required}</small>'
            if participation.required_for_entry_into_force
            else ""
        )
        if with_treaty:
            treaty = participation.treaty
            head = (
                f'<tr>\n<th scope="row">{country_link(country, url)}</th>\n'
                f'<td><a href="{escape(treaty.get_absolute_url())}">'
                f"{escape(localized(treaty, 'short_name'))}</a>{required_note}</td>\n"
            )
        else:
            head = (
                f'<tr id="participation-{escape(country.iso2)}">\n'
                f'<th scope="row">{country_link(country, url)}{required_note}</th>\n'
            )
        label = labels.get(status.value)
        if label is None:
            label = labels[status.value] = escape(str(status.label))
        note, note_language = localized_with_language(participation, "note")
        rows.append(
            f"{head}"
            f'<td><span class="status status-{escape(status.value)}">{label}</span></td>\n'
            f"<td>{acts(participation.actions.all())}</td>\n"
            f'<td lang="{note_language}">{escape(note)}</td>\n'
            + ("" if shared else f"<td>{acts.marks(participation)}</td>\n")
            + "</tr>"
        )
    return mark_safe("\n".join(rows))


def country_link(country: Country, url: Callable[[str], str]) -> str:
    """The country's name linking to its page (`url`: a page's `country_urls()`)."""
    return (
        f'<a href="{escape(url(country.code_text))}">{escape(country.name)}</a> '
        f"<small>{escape(country.code_text)}</small>"
    )


# -- the counts over time, as a table -------------------------------------------------------


@register.simple_tag
def counts_rows(years: Iterable[YearCount]) -> str:
    """{% counts_rows counts.years %}: the body of the table beside the chart: each year's
    counts on its last day (today for this year), and the figures sources report in it."""
    as_of = gettext("as of")
    rows = []
    for year in years:
        figures = [
            format_html(
                '<span class="reported reported-{}"><strong class="num">{}</strong> {} '
                '({} <time datetime="{}">{}</time>{})</span>',
                figure.metric,
                figure.display_value,
                format_html(
                    '<span lang="{}">{}</span>', localized_language(figure, "label"), figure.label
                )
                if figure.label
                else figure.get_metric_display(),
                as_of,
                figure.as_of.iso() if figure.as_of else "",
                pdate(figure.as_of),
                format_html(
                    '; <span lang="{}">{}</span>',
                    localized_language(figure.source, "title"),
                    localized(figure.source, "title"),
                )
                if figure.source_id
                else "",
            )
            for figure in year.figures
        ]
        rows.append(
            format_html(
                '<tr data-year="{}">\n<th scope="row">{}</th>\n'
                '<td><time datetime="{}">{}</time></td>\n{}\n<td>{}</td>\n</tr>',
                year.year,
                year.year,
                year.counted_on.isoformat(),
                pdate(year.counted_on),
                mark_safe("".join(f'<td class="num">{int(n)}</td>' for n in year.counts.values())),
                mark_safe("<br>".join(figures)),
            )
        )
    return mark_safe("\n".join(rows))
