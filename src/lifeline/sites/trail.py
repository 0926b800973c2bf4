"""A person's trail as a small map drawn on the server: an SVG of the sightings' points in an
equirectangular projection fitted to the trail, so the page needs no script and no tiles."""

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

WIDTH, HEIGHT, PAD = 320, 200, 16


@dataclass(frozen=True)
class TrailPoint:
    x: float
    y: float
    n: int  # the step's number in the trail, from 1
    label: str


@dataclass(frozen=True)
class TrailMap:
    points: list[TrailPoint]
    polyline: str
    width: int = WIDTH
    height: int = HEIGHT


def trail_map(steps: Sequence[Any]) -> TrailMap | None:
    """``steps`` are sightings (oldest first) with a ``point`` (lat, lon) or None. None when
    fewer than one step has a point."""
    located = [(n, step) for n, step in enumerate(steps, start=1) if step.point is not None]
    if not located:
        return None
    lats = [step.point[0] for _n, step in located]
    lons = [step.point[1] for _n, step in located]
    # Longitude shrinks with latitude; a degree span of at least 0.2 keeps one point centred.
    squash = math.cos(math.radians(sum(lats) / len(lats)))
    span_x = max((max(lons) - min(lons)) * squash, 0.2)
    span_y = max(max(lats) - min(lats), 0.2)
    scale = min((WIDTH - 2 * PAD) / span_x, (HEIGHT - 2 * PAD) / span_y)
    mid_lon, mid_lat = (max(lons) + min(lons)) / 2, (max(lats) + min(lats)) / 2
    points = [
        TrailPoint(
            x=round(WIDTH / 2 + (step.point[1] - mid_lon) * squash * scale, 1),
            y=round(HEIGHT / 2 - (step.point[0] - mid_lat) * scale, 1),
            n=n,
            label=step.site.name if step.site_id else str(step.place or ""),
        )
        for n, step in located
    ]
    return TrailMap(points=points, polyline=" ".join(f"{p.x},{p.y}" for p in points))
