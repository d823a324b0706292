"""Sortable column headers of the list pages: `{% sort_th "name" _("Treaty") %}`.

A header links to the list sorted by its column (the reverse order when it already is),
keeping the filters and going back to the first page; the sorted header carries
`aria-sort`. The state comes from the list's FilterSet (`filter` in the context) and the
query string, so a header of a list without that order is a plain header.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django import template
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.sorting import SORT_PARAM, SortState, sort_state

if TYPE_CHECKING:
    from django.template.context import Context
    from django.utils.safestring import SafeString

register = template.Library()


def _state(context: Context) -> SortState | None:
    request = context.get("request")
    return sort_state(context.get("filter"), request.GET if request is not None else {})


def _sorted_url(context: Context, value: str) -> str:
    query = context["request"].GET.copy()
    query[SORT_PARAM] = value
    query.pop("page", None)
    return "?" + query.urlencode()


def _direction(state: SortState | None, key: str) -> str:
    if state is None or state.current is None or state.current.key != key:
        return ""
    return "descending" if state.current.descending else "ascending"


@register.simple_tag(takes_context=True)
def sort_th(context: Context, key: str, label: str, css_class: str = "") -> SafeString:
    """A column header (`<th scope="col">`) that sorts the list by the order `key`."""
    class_attr = format_html(' class="{}"', css_class) if css_class else ""
    state = _state(context)
    if state is None or key not in state.filter.orders:
        return format_html('<th scope="col"{}>{}</th>', class_attr, label)
    direction = _direction(state, key)
    return format_html(
        '<th scope="col"{}{}><a class="sort" href="{}">{}</a>{}</th>',
        class_attr,
        format_html(' aria-sort="{}"', direction) if direction else "",
        _sorted_url(context, state.link_value(key)),
        label,
        format_html(
            ' <span class="sort-mark" aria-hidden="true">{}</span>',
            "▼" if direction == "descending" else "▲",
        )
        if direction
        else "",
    )


@register.simple_tag(takes_context=True)
def sort_links(context: Context) -> SafeString:
    """For a list that is not a table (the timeline): a line of links, one per order."""
    state = _state(context)
    if state is None:
        return mark_safe("")
    links = []
    for key, order in state.filter.orders.items():
        direction = _direction(state, key)
        links.append(
            (
                _sorted_url(context, state.link_value(key)),
                mark_safe(' aria-current="true"') if direction else "",
                order.label,
                format_html(
                    ' <span class="sort-mark">{}</span>',
                    _("(descending)") if direction == "descending" else _("(ascending)"),
                )
                if direction
                else "",
            )
        )
    return format_html(
        '<p class="sort-links">{} {}</p>',
        _("Sort by:"),
        format_html_join(" · ", '<a class="sort" href="{}"{}>{}</a>{}', links),
    )


@register.simple_tag(takes_context=True)
def sort_notice(context: Context) -> SafeString:
    """Says so when the query string asked for an order the list does not have."""
    state = _state(context)
    if state is None or not state.unknown:
        return mark_safe("")
    return format_html(
        '<p class="notice sort-unknown" role="status">{}</p>',
        _("This list cannot be sorted by “%(value)s”; it is shown in its default order.")
        % {"value": state.unknown},
    )
