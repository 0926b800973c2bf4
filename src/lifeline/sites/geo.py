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

# (west, south, east, north) in degrees: the bounding boxes of Natural Earth's 1:50m countries
# (the world-atlas outlines the map ships), rounded outwards to 0.1 degree. The region where
# compounds are reported and its neighbours (South-East, East and South Asia), the other places
# compounds were found (Dubai, Georgia), and the African countries many victims come from, where
# the networks have begun to find sites too. The Maldives by hand: 1:50m lacks its outer atolls.
COUNTRY_BOXES: dict[str, tuple[float, float, float, float]] = {
    # South-East Asia (ASEAN and Timor-Leste)
    "BN": (114.0, 4.0, 115.4, 5.1),
    "ID": (95.2, -11.0, 141.0, 6.0),
    "KH": (102.3, 10.4, 107.7, 14.8),
    "LA": (100.1, 13.9, 107.7, 22.5),
    "MM": (92.1, 9.8, 101.2, 28.6),
    "MY": (99.6, 0.8, 119.3, 7.4),
    "PH": (116.9, 5.0, 126.6, 20.9),
    "SG": (103.6, 1.2, 104.0, 1.5),
    "TH": (97.3, 5.6, 105.7, 20.5),
    "TL": (124.0, -9.6, 127.3, -8.1),
    "VN": (102.1, 8.5, 109.5, 23.4),
    # East Asia
    "CN": (73.6, 18.2, 134.8, 53.6),
    "HK": (113.8, 22.1, 114.4, 22.6),
    "JP": (123.6, 24.2, 145.9, 45.6),
    "KP": (124.3, 37.7, 130.7, 43.0),
    "KR": (126.0, 33.2, 131.0, 38.7),
    "MN": (87.7, 41.5, 119.9, 52.2),
    "MO": (113.4, 22.1, 113.6, 22.3),
    "TW": (118.2, 21.9, 122.0, 25.3),
    # South Asia
    "AF": (60.4, 29.3, 74.9, 38.5),
    "BD": (88.0, 20.7, 92.7, 26.6),
    "BT": (88.7, 26.7, 92.1, 28.4),
    "IN": (68.1, 6.7, 97.4, 35.5),
    "LK": (79.7, 5.9, 81.9, 9.9),
    "MV": (72.6, -0.7, 73.8, 7.1),
    "NP": (80.0, 26.3, 88.2, 30.4),
    "PK": (60.8, 23.7, 77.1, 37.1),
    # Elsewhere compounds were found
    "AE": (51.5, 22.6, 56.4, 26.1),
    "GE": (39.9, 41.0, 46.7, 43.6),
    # Africa: where many victims are recruited
    "CM": (8.5, 1.6, 16.2, 13.1),
    "ET": (32.9, 3.4, 48.0, 14.9),
    "GH": (-3.3, 4.7, 1.2, 11.2),
    "KE": (33.8, -4.7, 41.9, 5.5),
    "NG": (2.6, 4.2, 14.7, 13.9),
    "RW": (28.8, -2.9, 30.9, -1.0),
    "TZ": (29.3, -11.8, 40.5, -0.9),
    "UG": (29.5, -1.5, 35.0, 4.3),
    "ZA": (16.4, -47.0, 37.9, -22.1),
    "ZM": (21.9, -18.1, 33.7, -8.1),
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
