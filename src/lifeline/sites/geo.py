"""Points and outlines of sites: validation with clear messages, and distances.

A point is refused when it is out of range, when it looks swapped (latitude written where the
longitude goes), or when it falls outside the bounding box of the site's country (for the
countries where compounds are reported; elsewhere only the range is checked). An outline is a
GeoJSON Polygon that GEOS (through shapely) finds valid: closed rings, no self-intersection.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

# shapely (and with it numpy) is imported where an outline is checked, not by every server
# process.
if TYPE_CHECKING:
    from shapely.geometry import Polygon

EARTH_RADIUS_KM = 6371.0088
MAX_OUTLINE_POINTS = 2000
# Slack around each box: borders are not straight and the boxes are rounded outwards.
BOX_MARGIN = 0.5

# (west, south, east, north) in degrees, rounded outwards from Natural Earth's 1:50m countries.
COUNTRY_BOXES: dict[str, tuple[float, float, float, float]] = {
    "KH": (102.3, 10.4, 107.7, 14.7),
    "MM": (92.1, 9.6, 101.2, 28.6),
    "LA": (100.0, 13.9, 107.7, 22.5),
    "TH": (97.3, 5.6, 105.7, 20.5),
    "VN": (102.1, 8.3, 109.5, 23.4),
    "PH": (116.9, 4.5, 126.7, 21.2),
    "MY": (99.6, 0.8, 119.3, 7.4),
    "ID": (95.0, -11.1, 141.1, 6.1),
    "CN": (73.4, 18.1, 134.8, 53.6),
    "AE": (51.5, 22.6, 56.4, 26.1),
    "GE": (40.0, 41.0, 46.8, 43.6),
    "MN": (87.7, 41.5, 119.9, 52.2),
}


def _in_box(box: tuple[float, float, float, float], lat: float, lon: float) -> bool:
    west, south, east, north = box
    return (
        south - BOX_MARGIN <= lat <= north + BOX_MARGIN
        and west - BOX_MARGIN <= lon <= east + BOX_MARGIN
    )


def check_point(
    latitude: float | None, longitude: float | None, *, country: str = ""
) -> tuple[float, float] | None:
    """The point as (lat, lon) rounded to 6 decimals (about 10 cm), or None when neither is
    given. Raises ValidationError naming ``latitude`` / ``longitude``."""
    if latitude is None and longitude is None:
        return None
    if latitude is None or longitude is None:
        field = "latitude" if latitude is None else "longitude"
        raise ValidationError({field: [_("Give both the latitude and the longitude, or neither.")]})
    for field, value in (("latitude", latitude), ("longitude", longitude)):
        if not math.isfinite(value):
            raise ValidationError({field: [_("This is not a number.")]})
    if not -90 <= latitude <= 90:
        if -90 <= longitude <= 90 and -180 <= latitude <= 180:
            raise ValidationError(
                {
                    "latitude": [
                        _(
                            "A latitude lies between -90 and 90: %(lat)s looks like a longitude. "
                            "Were latitude and longitude swapped?"
                        )
                        % {"lat": latitude}
                    ]
                }
            )
        raise ValidationError({"latitude": [_("A latitude lies between -90 and 90.")]})
    if not -180 <= longitude <= 180:
        raise ValidationError({"longitude": [_("A longitude lies between -180 and 180.")]})
    box = COUNTRY_BOXES.get(country.upper()) if country else None
    if box is not None and not _in_box(box, latitude, longitude):
        if _in_box(box, longitude, latitude):
            raise ValidationError(
                {
                    "latitude": [
                        _(
                            "This point lies outside %(country)s, but would be inside it with "
                            "latitude and longitude swapped. Were they swapped?"
                        )
                        % {"country": country.upper()}
                    ]
                }
            )
        raise ValidationError(
            {
                "latitude": [
                    _("This point lies outside %(country)s. Check the coordinates or the country.")
                    % {"country": country.upper()}
                ]
            }
        )
    return round(latitude, 6), round(longitude, 6)


def check_outline(value: Any) -> dict[str, Any] | None:
    """A GeoJSON Polygon geometry, rings closed, valid by GEOS; None for no outline."""
    if value in (None, "", {}):
        return None
    if not isinstance(value, dict) or value.get("type") != "Polygon":
        raise ValidationError({"outline": [_('The outline must be a GeoJSON "Polygon".')]})
    rings = value.get("coordinates")
    if not isinstance(rings, list) or not rings:
        raise ValidationError({"outline": [_("The outline has no coordinates.")]})
    closed: list[list[list[float]]] = []
    count = 0
    for ring in rings:
        if not isinstance(ring, list) or not all(
            isinstance(pos, list | tuple)
            and len(pos) in (2, 3)
            and all(isinstance(n, int | float) and not isinstance(n, bool) for n in pos)
            for pos in ring
        ):
            raise ValidationError(
                {"outline": [_("Each ring must be a list of [longitude, latitude] positions.")]}
            )
        points = [[float(pos[0]), float(pos[1])] for pos in ring]
        if points and points[0] != points[-1]:
            points.append(points[0])
        if len(points) < 4:
            raise ValidationError(
                {"outline": [_("A ring needs at least three different corners.")]}
            )
        for lon, lat in points:
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                raise ValidationError(
                    {
                        "outline": [
                            _(
                                "A corner is out of range (%(lon)s, %(lat)s): GeoJSON writes "
                                "longitude first, then latitude."
                            )
                            % {"lon": lon, "lat": lat}
                        ]
                    }
                )
        count += len(points)
        closed.append(points)
    if count > MAX_OUTLINE_POINTS:
        raise ValidationError(
            {
                "outline": [
                    _("The outline has too many corners (at most %(n)d).")
                    % {"n": MAX_OUTLINE_POINTS}
                ]
            }
        )
    from shapely.geometry import shape
    from shapely.validation import explain_validity

    polygon = shape({"type": "Polygon", "coordinates": closed})
    if not polygon.is_valid:
        reason = explain_validity(polygon)
        if "Self-intersection" in reason or "Ring Self-intersection" in reason:
            message = _("The outline crosses itself: draw its corners in order around the site.")
        else:
            message = _("The outline is not a valid polygon (%(reason)s).") % {"reason": reason}
        raise ValidationError({"outline": [message]})
    return {"type": "Polygon", "coordinates": closed}


def outline_centre(outline: dict[str, Any]) -> tuple[float, float]:
    """A point inside the outline, as (lat, lon)."""
    from shapely.geometry import shape

    polygon: Polygon = shape(outline)
    point = polygon.representative_point()
    return round(point.y, 6), round(point.x, 6)


def outline_contains(outline: dict[str, Any], latitude: float, longitude: float) -> bool:
    from shapely.geometry import Point, shape

    polygon: Polygon = shape(outline)
    return bool(polygon.buffer(0.001).contains(Point(longitude, latitude)))


def haversine_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in kilometres."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * math.asin(min(1.0, math.sqrt(a)))
