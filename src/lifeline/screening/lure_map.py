"""Where offers were seen, drawn on the server as a small SVG: no script, no tiles, no request
to another host, so the map works on a bad phone and leaks nothing.

Country outlines come from Natural Earth through the world-atlas package that the sites app's
map already vendors (``make vendor``); without it the points are drawn on a plain background.
The projection is equirectangular: at these latitudes the distortion is small, and it is a
sketch of where offers circulate, not a survey.
"""

import json
import math
from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from lifeline.screening.selectors import Place

WORLD_ATLAS = Path(settings.BASE_DIR) / "sites" / "static" / "vendor" / "world-atlas"
# Mainland and maritime Southeast Asia with southern China: where the lures circulate.
REGION = (90.0, -11.0, 128.0, 30.0)  # west, south, east, north
WIDTH = 640

Ring = list[tuple[float, float]]


@lru_cache(maxsize=1)
def _rings() -> tuple[Ring, ...]:
    """Every country ring of the vendored outlines, as (longitude, latitude) points."""
    path = WORLD_ATLAS / "countries-50m.json"
    try:
        topology = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return ()
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    arcs = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:  # quantised and delta-encoded (TopoJSON)
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    rings = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        if geometry.get("type") == "Polygon":
            polygons = [geometry["arcs"]]
        elif geometry.get("type") == "MultiPolygon":
            polygons = geometry["arcs"]
        else:
            continue
        for polygon in polygons:
            for ring_arcs in polygon:
                ring: Ring = []
                for index in ring_arcs:
                    segment = arcs[index] if index >= 0 else arcs[~index][::-1]
                    ring.extend(segment[1:] if ring else segment)
                rings.append(ring)
    return tuple(rings)


def _frame(places: Sequence[Place]) -> tuple[float, float, float, float]:
    west, south, east, north = REGION
    for place in places:
        for lat, lon in place.points:
            west, east = min(west, lon - 2), max(east, lon + 2)
            south, north = min(south, lat - 2), max(north, lat + 2)
    return west, south, east, north


def lure_map_svg(places: Sequence[Place]) -> SafeString:
    """An SVG of ``places``: one circle per town with a point, its area by the number of offers,
    its title naming the town and the count."""
    west, south, east, north = _frame(places)
    height = round(WIDTH * (north - south) / (east - west))

    def xy(lon: float, lat: float) -> str:
        x = (lon - west) / (east - west) * WIDTH
        y = (north - lat) / (north - south) * height
        return f"{x:.1f},{y:.1f}"

    outlines = []
    for ring in _rings():
        if any(west <= lon <= east and south <= lat <= north for lon, lat in ring):
            outlines.append("M" + "L".join(xy(lon, lat) for lon, lat in ring) + "Z")
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" '
        f'class="lure-map" role="img" aria-label="{escape(_label(places))}">',
        f'<rect width="{WIDTH}" height="{height}" fill="#eef3f7"/>',
    ]
    if outlines:
        parts.append(
            f'<path d="{" ".join(outlines)}" fill="#fdfdf8" stroke="#9aa" stroke-width=".6"/>'
        )
    for place in places:
        if not place.points:
            continue
        lat = sum(p[0] for p in place.points) / len(place.points)
        lon = sum(p[1] for p in place.points) / len(place.points)
        x, y = xy(lon, lat).split(",")
        radius = 3 + 2.5 * math.sqrt(place.lures)
        name = ", ".join(part for part in (place.town, place.country) if part)
        parts.append(
            f'<circle cx="{x}" cy="{y}" r="{radius:.1f}" fill="#c0392b" fill-opacity=".6" '
            f'stroke="#7b241c"><title>{escape(name)}: {place.lures}</title></circle>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 # nosec B308 B703 - every text is escaped above


def _label(places: Sequence[Place]) -> str:
    shown = sum(place.lures for place in places if place.points)
    return _("Map of where %(count)s offers were seen") % {"count": shown}
