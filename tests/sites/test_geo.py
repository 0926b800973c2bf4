import math

import pytest
from django.core.exceptions import ValidationError

from lifeline.sites import geo

SQUARE = {"type": "Polygon", "coordinates": [[[98.50, 16.69], [98.51, 16.69], [98.51, 16.70], [98.50, 16.70], [98.50, 16.69]]]}  # fmt: skip
BOW_TIE = {"type": "Polygon", "coordinates": [[[98.50, 16.69], [98.51, 16.70], [98.51, 16.69], [98.50, 16.70], [98.50, 16.69]]]}  # fmt: skip


def _message(exc: pytest.ExceptionInfo) -> str:
    return " ".join(m for ms in exc.value.message_dict.values() for m in ms)


def test_it_accepts_a_point_in_its_country():
    assert geo.check_point(16.692, 98.5063, country="MM") == (16.692, 98.5063)


def test_it_accepts_no_point():
    assert geo.check_point(None, None, country="KH") is None


def test_it_refuses_half_a_point():
    with pytest.raises(ValidationError) as exc:
        geo.check_point(16.7, None)
    assert "both" in _message(exc)


def test_it_says_a_latitude_out_of_range_looks_swapped():
    with pytest.raises(ValidationError) as exc:
        geo.check_point(98.5063, 16.692)
    assert "swapped" in _message(exc)


def test_it_says_a_point_swapped_inside_the_country_box_was_swapped():
    # Cambodia: latitude ~11.6, longitude ~104.9. Swapped is 104.9 -> out of range already;
    # in Indonesia both orders are in range, and only the box tells them apart.
    with pytest.raises(ValidationError) as exc:
        geo.check_point(106.8, -6.2, country="ID")
    assert "swapped" in _message(exc)


def test_it_refuses_a_point_outside_its_country():
    with pytest.raises(ValidationError) as exc:
        geo.check_point(13.75, 100.5, country="KH")  # Bangkok, not Cambodia
    assert "outside KH" in _message(exc)


@pytest.mark.parametrize("lat,lon", [(91, 10), (-95, 200), (10, 181), (math.nan, 1), (1, math.inf)])
def test_it_refuses_out_of_range_or_non_numbers(lat, lon):
    with pytest.raises(ValidationError):
        geo.check_point(lat, lon)


def test_it_accepts_a_simple_outline_and_closes_an_open_ring():
    open_ring = {"type": "Polygon", "coordinates": [SQUARE["coordinates"][0][:-1]]}
    assert geo.check_outline(open_ring) == SQUARE


def test_it_refuses_a_self_intersecting_outline():
    with pytest.raises(ValidationError) as exc:
        geo.check_outline(BOW_TIE)
    assert "crosses itself" in _message(exc)


@pytest.mark.parametrize(
    "value",
    [
        {"type": "Point", "coordinates": [1, 2]},
        {"type": "Polygon", "coordinates": []},
        {"type": "Polygon", "coordinates": [[[1, 2], [3, 4]]]},
        {"type": "Polygon", "coordinates": [[["a", 2], [3, 4], [5, 6]]]},
        {"type": "Polygon", "coordinates": [[[16.69, 98.50], [16.69, 98.51], [16.70, 98.51]]]},
        "not a dict",
    ],
)
def test_it_refuses_what_is_not_a_polygon(value):
    with pytest.raises(ValidationError):
        geo.check_outline(value)


def test_it_finds_a_point_inside_an_outline():
    lat, lon = geo.outline_centre(SQUARE)
    assert geo.outline_contains(SQUARE, lat, lon)


def test_it_measures_great_circle_distances():
    # Bangkok to Phnom Penh is about 530 km.
    assert 520 < geo.haversine_km(13.7563, 100.5018, 11.5564, 104.9282) < 545
    assert geo.haversine_km(1, 1, 1, 1) == 0


def _outline_bounds() -> dict[str, tuple[float, float, float, float]]:
    """Each country's bounding box from the Natural Earth outlines the map ships (world-atlas
    TopoJSON: delta-encoded, quantised arcs)."""
    import json
    from pathlib import Path

    from django_countries import countries

    path = Path(geo.__file__).parent / "static/vendor/world-atlas/countries-50m.json"
    if not path.exists():
        # `make test` vendors them first; a check that silently skipped would prove nothing.
        pytest.fail("run `make vendor` first: the outlines are vendored, not in git")
    topo = json.loads(path.read_text())
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    numeric = {countries.numeric(code, padded=True): code for code in geo.COUNTRY_BOXES}
    bounds = {}
    for shape in topo["objects"]["countries"]["geometries"]:
        code = numeric.get(shape.get("id"))
        if code is None:
            continue
        polygons = [shape["arcs"]] if shape["type"] == "Polygon" else shape["arcs"]
        points = [p for poly in polygons for ring in poly for i in ring for p in arcs[i if i >= 0 else ~i]]  # fmt: skip
        lons, lats = [p[0] for p in points], [p[1] for p in points]
        bounds[code] = (min(lons), min(lats), max(lons), max(lats))
    return bounds


def test_it_keeps_boxes_that_hold_each_country_outline():
    bounds = _outline_bounds()
    assert set(bounds) == set(geo.COUNTRY_BOXES)
    for code, (west, south, east, north) in bounds.items():
        w, s, e, n = geo.COUNTRY_BOXES[code]
        assert w <= west and s <= south and e >= east and n >= north, code
        if code != "MV":  # set by hand: 1:50m lacks the outer atolls
            assert max(west - w, south - s, e - east, n - north) < 0.2, f"{code} box too loose"


@pytest.mark.parametrize(
    "country, lat, lon",
    [
        ("TW", 25.03, 121.56),  # Taipei
        ("HK", 22.32, 114.17),
        ("MO", 22.19, 113.54),
        ("LK", 6.93, 79.85),  # Colombo
        ("BD", 23.81, 90.41),  # Dhaka
        ("NP", 27.72, 85.32),  # Kathmandu
        ("PK", 24.86, 67.01),  # Karachi
        ("IN", 26.2, 92.9),  # Assam
        ("SG", 1.29, 103.85),
        ("KE", -1.29, 36.82),  # Nairobi
        ("MV", -0.6, 73.1),  # Addu atoll, missing from the 1:50m outline
    ],
)
def test_it_accepts_points_inside_the_new_country_boxes(country, lat, lon):
    assert geo.check_point(lat, lon, country=country) == (lat, lon)


@pytest.mark.parametrize(
    "country, lat, lon",
    [("TW", 39.9, 116.4), ("LK", 13.08, 80.27), ("NP", 23.81, 90.41), ("HK", 22.19, 113.0)],
)
def test_it_refuses_points_outside_the_new_country_boxes(country, lat, lon):
    with pytest.raises(ValidationError):
        geo.check_point(lat, lon, country=country)
