"""Sites near a point: bounding box, then great-circle distance; and the triage column."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lifeline.sites.selectors import sites_for_places, sites_near
from tests.api import api_client
from tests.factories import make_request, make_site

# Myawaddy (Myanmar) and its neighbours; Mae Sot is across the border in Thailand.
MYAWADDY = (16.6880, 98.5080)


@pytest.fixture
def border(coordinator_a, coordinator_b):
    return {
        "kk": make_site(
            coordinator_a,
            name="KK Park",
            aliases=[],
            latitude=16.7473,
            longitude=98.5266,
            town="Myawaddy",
        ),  # fmt: skip
        "shwe": make_site(
            coordinator_a,
            name="Shwe Kokko",
            aliases=[],
            latitude=16.8336,
            longitude=98.5185,
            town="Shwe Kokko",
        ),  # fmt: skip
        "sihanouk": make_site(
            coordinator_a,
            name="Chinatown",
            aliases=[],
            country="KH",
            latitude=10.6093,
            longitude=103.5296,
            town="Sihanoukville",
        ),  # fmt: skip
        "unplaced": make_site(
            coordinator_a,
            name="Rumoured office",
            aliases=[],
            latitude=None,
            longitude=None,
            town="Myawaddy",
        ),  # fmt: skip
        "theirs": make_site(
            coordinator_b, name="Their park", aliases=[], latitude=16.70, longitude=98.51
        ),  # fmt: skip
    }


def _names(found):
    return [(near.site.name, round(near.distance_km)) for near in found]


def test_it_finds_sites_within_the_radius_nearest_first(coordinator_a, border):
    found = sites_near(
        actor=coordinator_a, latitude=MYAWADDY[0], longitude=MYAWADDY[1], radius_km=20
    )
    assert _names(found) == [("KK Park", 7), ("Shwe Kokko", 16)]
    near = sites_near(
        actor=coordinator_a, latitude=MYAWADDY[0], longitude=MYAWADDY[1], radius_km=10
    )
    assert _names(near) == [("KK Park", 7)]


def test_it_keeps_to_the_circle_not_the_box(coordinator_a):
    # A site in the corner of the 10 km box is 14 km away: outside the circle.
    make_site(coordinator_a, name="Corner", aliases=[], latitude=16.6880 + 0.0899, longitude=98.5080 + 0.0937)  # fmt: skip
    assert sites_near(actor=coordinator_a, latitude=MYAWADDY[0], longitude=MYAWADDY[1], radius_km=10) == []  # fmt: skip


def test_it_finds_sites_across_the_antimeridian(coordinator_a):
    make_site(
        coordinator_a, name="East", aliases=[], country="FJ", latitude=-17.0, longitude=179.95
    )
    make_site(
        coordinator_a, name="West", aliases=[], country="FJ", latitude=-17.0, longitude=-179.95
    )
    found = sites_near(actor=coordinator_a, latitude=-17.0, longitude=179.99, radius_km=20)
    assert sorted(near.site.name for near in found) == ["East", "West"]


@pytest.mark.parametrize(
    "lat,lon,radius", [(95, 98, 10), (16, 200, 10), (16, 98, 0), (16, 98, 501)]
)
def test_it_refuses_points_and_radii_out_of_range(coordinator_a, lat, lon, radius):
    with pytest.raises(ValidationError):
        sites_near(actor=coordinator_a, latitude=lat, longitude=lon, radius_km=radius)


def test_it_matches_a_request_place_to_known_sites_and_towns(coordinator_a, analyst_a, border):
    texts = [
        "He is in KK Park, building 7",
        "somewhere in sihanoukville",
        "Shanghai",
        "",
        "Myawaddy",
    ]
    found = sites_for_places(actor=coordinator_a, texts=texts)
    assert _names(found[0]) == [("KK Park", 0), ("Shwe Kokko", 10)]
    assert _names(found[1]) == [("Chinatown", 0)]
    assert found[2] == [] and found[3] == []
    assert _names(found[4])[0] == ("KK Park", 0)
    assert sites_for_places(actor=analyst_a, texts=["KK Park"])  # analysts see sites too


def test_it_shows_known_sites_beside_each_request_in_triage(login, coordinator_a, border):
    make_request(coordinator_a, location_text="KK Park, Myawaddy")
    make_request(coordinator_a, location_text="Bangkok")
    client = login(coordinator_a)
    client.get(reverse("cases:request_list"))
    body = client.get(reverse("cases:request_list")).content.decode()
    assert body.count(border["kk"].get_absolute_url()) == 1 and "Shwe Kokko" in body
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("cases:request_list"))
    for _ in range(5):
        make_request(coordinator_a, location_text="KK Park")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("cases:request_list"))
    assert len(many) == len(few)  # one query for the names, one per distinct anchor site


def test_it_shows_the_near_page_and_api(login, caseworker_a, analyst_a, coordinator_b, border):
    page = login(caseworker_a).get(reverse("sites:near"), {"latitude": MYAWADDY[0], "longitude": MYAWADDY[1], "radius_km": 20})  # fmt: skip
    body = page.content.decode()
    assert page.status_code == 200 and body.index("KK Park") < body.index("Shwe Kokko")
    assert "Their park" not in body
    bad = login(caseworker_a).get(reverse("sites:near"), {"latitude": 98.5, "longitude": 16.7, "radius_km": 20})  # fmt: skip
    assert bad.status_code == 400
    api = api_client(analyst_a).get("/api/v1/sites/near", {"latitude": MYAWADDY[0], "longitude": MYAWADDY[1], "radius_km": 20})  # fmt: skip
    assert api.status_code == 200
    assert [(i["site"]["name"], round(i["distance_km"])) for i in api.json()] == [("KK Park", 7), ("Shwe Kokko", 16)]  # fmt: skip
    theirs = api_client(coordinator_b).get("/api/v1/sites/near", {"latitude": MYAWADDY[0], "longitude": MYAWADDY[1]})  # fmt: skip
    assert [i["site"]["name"] for i in theirs.json()] == ["Their park"]


@pytest.mark.parametrize("param", ["latitude", "longitude", "radius_km", "limit"])
@pytest.mark.parametrize("value", ["' OR 1=1 --", "%", "nan", "1e999", "-500", "\x00"])
def test_it_refuses_injected_values_in_the_near_api(coordinator_a, border, param, value):
    params = {"latitude": MYAWADDY[0], "longitude": MYAWADDY[1], "radius_km": 20, param: value}
    response = api_client(coordinator_a).get("/api/v1/sites/near", params)
    assert response.status_code == 422, (param, value, response.content)


def test_it_matches_names_and_aliases_in_any_script(coordinator_a, coordinator_b, border):
    romans = make_site(coordinator_a, name="Kings Romans", aliases=["金木棉", "คิงส์โรมัน"], country="LA", latitude=20.35, longitude=100.08)  # fmt: skip
    make_site(coordinator_b, name="Golden Fortune", aliases=["金木棉"])
    texts = [
        "Building or company: 金木棉",
        "我儿子在金木棉园区工作，不能离开",  # the alias inside unspaced Chinese
        "they took him to jin mu mian",  # pinyin, spaced as people type it
        "JinMuMian casino",
        "ตอนนี้อยู่ที่คิงส์โรมัน",  # Thai, no spaces
        "kings romans",
        "a king who romans",  # the words, not the name
    ]
    found = sites_for_places(actor=coordinator_a, texts=texts)
    for i in range(6):
        assert found[i] and found[i][0].site == romans, texts[i]
    assert found[6] == []
    assert all(n.site.organisation_id == coordinator_a.organisation_id for f in found for n in f)


def test_it_finds_a_site_renamed_or_given_an_alias(coordinator_a, border):
    from lifeline.sites.services import site_update

    kk = border["kk"]
    assert sites_for_places(actor=coordinator_a, texts=["亚太新城"]) == [[]]
    site_update(actor=coordinator_a, site=kk, version=kk.version, aliases=["亚太新城"])
    assert _names(sites_for_places(actor=coordinator_a, texts=["亚太新城"])[0])[0] == ("KK Park", 0)


def test_it_shows_sites_the_request_story_names_in_triage(login, coordinator_a, border):
    make_request(coordinator_a, location_text="", text="My son is held in Shwe Kokko")
    body = login(coordinator_a).get(reverse("cases:request_list")).content.decode()
    assert border["shwe"].get_absolute_url() in body
