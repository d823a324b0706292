"""A line chart of counts over time, drawn on the server as SVG: no query, no style, no script.

Lines for the counts derived from the records, points for the figures sources report, on
the same axes. Each line and point has a class (`series-<key>`) that `static/css/site.css`
styles with a colour and a dash pattern or a marker shape, so no line is told apart by
colour alone; each point carries its value as text and, on hover, its title.
"""

from __future__ import annotations

import datetime
import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

WIDTH, HEIGHT = 720, 300
LEFT, RIGHT, TOP, BOTTOM = 56, 16, 14, 46
MAX_TICKS = 6


@dataclass(frozen=True)
class Line:
    key: str
    title: str
    points: Sequence[tuple[float, int]]  # (x as a fractional year, count)


@dataclass(frozen=True)
class Marker:
    key: str
    title: str
    x: float  # a fractional year
    value: float
    label: str


def fractional_year(day: datetime.date) -> float:
    """`day` as a position on a time axis counted in years (1 January 2021 is 2021.0)."""
    start = datetime.date(day.year, 1, 1)
    length = (datetime.date(day.year + 1, 1, 1) - start).days
    return day.year + (day - start).days / length


def nice_step(largest: float, ticks: int = MAX_TICKS) -> int:
    """A step of 1, 2 or 5 times a power of ten giving at most `ticks` intervals up to `largest`."""
    if largest <= 0:
        return 1
    magnitude = 10 ** max(0, math.floor(math.log10(largest / ticks)))
    for factor in (1, 2, 5, 10):
        step = factor * magnitude
        if largest / step <= ticks:
            return int(step)
    return int(10 * magnitude)


def year_step(span: int) -> int:
    for step in (1, 2, 5, 10, 20, 25, 50):
        if span / step <= 10:
            return step
    return 100


def _number(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def line_chart(
    *,
    first_year: int,
    last_x: float,
    lines: Sequence[Line],
    markers: Sequence[Marker],
    id_prefix: str,
    title: str,
    desc: str,
    x_label: str,
    y_label: str,
) -> SafeString:
    """The chart as inline SVG; `id_prefix` keeps the ids of its title and description unique."""
    largest = max(
        [value for line in lines for _, value in line.points] + [m.value for m in markers] + [1]
    )
    step = nice_step(largest)
    top_value = step * math.ceil(largest / step)
    x_first = float(first_year)
    x_last = max(last_x, x_first + 1)
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x_of(x: float) -> float:
        return LEFT + (x - x_first) / (x_last - x_first) * plot_w

    def y_of(value: float) -> float:
        return TOP + plot_h - value / top_value * plot_h

    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" '
        f'role="img" aria-labelledby="{title_id} {desc_id}" focusable="false">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(desc)}</desc>',
        '<g class="chart-axis chart-y-axis">',
    ]
    for value in range(0, top_value + 1, step):
        y = _number(y_of(value))
        out.append(
            f'<line class="chart-grid" x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y}" y2="{y}"/>'
            f'<text class="chart-tick" x="{LEFT - 6}" y="{y}" text-anchor="end" '
            f'dominant-baseline="middle">{value}</text>'
        )
    out.append(
        f'<text class="chart-axis-label" transform="translate(14 {TOP + plot_h / 2:.0f}) '
        f'rotate(-90)" text-anchor="middle">{escape(y_label)}</text></g>'
    )
    out.append('<g class="chart-axis chart-x-axis">')
    baseline = TOP + plot_h
    out.append(
        f'<line class="chart-baseline" x1="{LEFT}" x2="{WIDTH - RIGHT}" '
        f'y1="{baseline}" y2="{baseline}"/>'
    )
    every = year_step(math.ceil(x_last - x_first))
    first_tick = first_year + (-first_year) % every
    for year in range(first_tick, math.floor(x_last) + 1, every):
        x = _number(x_of(year))
        out.append(
            f'<line class="chart-tick-mark" x1="{x}" x2="{x}" '
            f'y1="{baseline}" y2="{baseline + 4}"/>'
            f'<text class="chart-tick" x="{x}" y="{baseline + 16}" '
            f'text-anchor="middle">{year}</text>'
        )
    out.append(
        f'<text class="chart-axis-label" x="{LEFT + plot_w / 2:.0f}" y="{HEIGHT - 6}" '
        f'text-anchor="middle">{escape(x_label)}</text></g>'
    )
    for line in lines:
        points = " ".join(f"{_number(x_of(x))},{_number(y_of(v))}" for x, v in line.points)
        out.append(
            f'<polyline class="chart-line series-{escape(line.key)}" points="{points}">'
            f"<title>{escape(line.title)}</title></polyline>"
        )
    for marker in markers:
        x, y = _number(x_of(marker.x)), _number(y_of(marker.value))
        out.append(
            f'<g class="chart-reported series-{escape(marker.key)}">'
            f"<title>{escape(marker.title)}</title>"
            f"{marker_shape(marker.key, x_of(marker.x), y_of(marker.value))}"
            f'<text class="chart-value" x="{x}" y="{_number(float(y) - 8)}" '
            f'text-anchor="middle">{escape(marker.label)}</text></g>'
        )
    out.append("</svg>")
    return mark_safe("".join(out))  # every text in it is escaped above


# A different shape for each kind of reported figure, so that none depends on colour alone.
MARKER_SHAPES = {"signed": "square", "consented_or_party": "diamond"}


def marker_shape(key: str, x: float, y: float, size: float = 4.5) -> str:
    shape = MARKER_SHAPES.get(key, "circle")
    if shape == "square":
        side = _number(size * 1.8)
        return (
            f'<rect class="chart-point" x="{_number(x - size * 0.9)}" '
            f'y="{_number(y - size * 0.9)}" width="{side}" height="{side}"/>'
        )
    if shape == "diamond":
        r = size * 1.25
        return (
            f'<path class="chart-point" d="M{_number(x)} {_number(y - r)}'
            f'l{_number(r)} {_number(r)}l{_number(-r)} {_number(r)}l{_number(-r)} {_number(-r)}z"/>'
        )
    return f'<circle class="chart-point" cx="{_number(x)}" cy="{_number(y)}" r="{_number(size)}"/>'
