"""The map's page and data: viewport, filters, the map at a date, no personal data, tiles off
unless configured."""

import datetime

import pytest
from django.urls import reverse

from lifeline.sites.sightings import sighting_record
from tests.api import api_client
from tests.factories import claim, make_case, make_request, make_site


@pytest.fixture
def mapped(coordinator_a, coordinator_b, case_a):
    kk = make_site(coordinator_a, name="KK Park", aliases=[], latitude=16.7473, longitude=98.5266, indicators=["razor_wire"])  # fmt: skip
    claim(coordinator_a, kk, "active", "2026-01-10")
    claim(coordinator_a, kk, "raided", "2026-03-01")
    chinatown = make_site(coordinator_a, name="Chinatown", aliases=[], country="KH", latitude=10.6093, longitude=103.5296)  # fmt: skip
    claim(coordinator_a, chinatown, "suspected", "2026-02-01")
    make_site(coordinator_b, name="Theirs", aliases=[], latitude=16.70, longitude=98.51)
    sighting_record(actor=coordinator_a, person=case_a.person, site=kk, source="rescued", seen_at=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC))  # fmt: skip
    return kk, chinatown


def _map(member, **params):
    response = api_client(member).get("/api/v1/sites/map", params)
    assert response.status_code == 200, response.content
    return response.json()


def test_it_gives_the_sites_of_the_viewport(analyst_a, mapped):
    body = _map(analyst_a)
    assert body["count"] == 2 and not body["truncated"]
    kk = next(s for s in body["sites"] if s["name"] == "KK Park")
    # One person (with one active case) is last known there: too few to show an analyst.
    assert kk == {"uid": str(mapped[0].uid), "name": "KK Park", "lat": 16.7473, "lon": 98.5266, "kind": "compound", "country": "MM", "status": "raided", "people": None, "active_cases": None, "requests": 0}  # fmt: skip
    assert body["min_count"] == 3
    myanmar = _map(analyst_a, west=97, east=100, south=15, north=18)
    assert [s["name"] for s in myanmar["sites"]] == ["KK Park"]


def test_it_gives_coordinators_every_count(coordinator_a, mapped):
    body = _map(coordinator_a)
    kk = next(s for s in body["sites"] if s["name"] == "KK Park")
    assert (kk["people"], kk["active_cases"], kk["requests"], body["min_count"]) == (1, 1, 0, 0)
    chinatown = next(s for s in body["sites"] if s["name"] == "Chinatown")
    assert (chinatown["people"], chinatown["active_cases"]) == (0, 0)


def test_it_shows_analysts_counts_of_three_and_more(analyst_a, coordinator_a, mapped):
    kk, _chinatown = mapped
    for n in range(2):
        other = make_case(coordinator_a, subject_name=f"Person {n}", subject_contact="")
        sighting_record(actor=coordinator_a, person=other.person, site=kk, source="family", seen_at=datetime.datetime(2026, 1, 6, tzinfo=datetime.UTC))  # fmt: skip
    site = next(s for s in _map(analyst_a)["sites"] if s["name"] == "KK Park")
    assert (site["people"], site["active_cases"]) == (3, 3)


def test_it_counts_the_requests_that_name_a_site(coordinator_a, coordinator_b, analyst_a, mapped):
    from lifeline.cases.services import request_reject

    kk, chinatown = mapped
    make_request(coordinator_a, location_text="KK Park, building 4")
    make_request(coordinator_a, location_text="Myawaddy", text="He is in kk park now")
    make_request(coordinator_a, location_text="Sihanoukville")  # names no site
    spam = make_request(coordinator_a, location_text="KK Park")
    request_reject(actor=coordinator_a, req=spam, reason="spam")
    make_request(coordinator_b, location_text="KK Park")  # another organisation's
    counts = {s["name"]: s["requests"] for s in _map(coordinator_a)["sites"]}
    assert counts == {"KK Park": 2, "Chinatown": 0}
    # Two are too few to show an analyst; a third makes it shown.
    assert {s["name"]: s["requests"] for s in _map(analyst_a)["sites"]}["KK Park"] is None
    make_request(coordinator_a, location_text="", text="KK Park again")
    assert {s["name"]: s["requests"] for s in _map(analyst_a)["sites"]}["KK Park"] == 3


def test_it_filters_by_status_country_indicator_and_date(analyst_a, mapped):
    assert [s["name"] for s in _map(analyst_a, status="suspected")["sites"]] == ["Chinatown"]
    assert [s["name"] for s in _map(analyst_a, country="kh")["sites"]] == ["Chinatown"]
    assert [s["name"] for s in _map(analyst_a, indicator="razor_wire")["sites"]] == ["KK Park"]
    then = _map(analyst_a, at="2026-01-20")
    assert [(s["name"], s["status"]) for s in then["sites"]] == [("KK Park", "active")]
    assert _map(analyst_a, at="2026-01-20", status="raided")["count"] == 0


def test_it_refuses_bad_viewports_and_keeps_to_the_organisation(coordinator_b, analyst_a, mapped):
    assert (
        api_client(analyst_a).get("/api/v1/sites/map", {"south": 20, "north": 10}).status_code
        == 422
    )
    assert api_client(analyst_a).get("/api/v1/sites/map", {"west": 200}).status_code == 422
    assert [s["name"] for s in _map(coordinator_b)["sites"]] == ["Theirs"]


def test_it_serves_the_map_page_without_tiles_by_default(login, analyst_a, settings):
    page = login(analyst_a).get(reverse("sites:map"))
    body = page.content.decode()
    assert page.status_code == 200 and 'data-tiles=""' in body
    assert "vendor/leaflet/leaflet.js" in body and "vendor/world-atlas/countries-50m.json" in body
    assert "img-src 'self' data:;" in page["Content-Security-Policy"]


def test_it_allows_a_configured_tile_server_on_the_map_page_only(login, analyst_a, settings):
    settings.LIFELINE_MAP_TILES_URL = "https://tiles.example.org/{z}/{x}/{y}.png"
    page = login(analyst_a).get(reverse("sites:map"))
    assert "img-src 'self' data: https://tiles.example.org;" in page["Content-Security-Policy"]
    assert (
        "tiles.example.org"
        not in login(analyst_a).get(reverse("sites:list"))["Content-Security-Policy"]
    )
    settings.LIFELINE_MAP_TILES_URL = "http://tiles.example.org/{z}/{x}/{y}.png; script-src *"
    page = login(analyst_a).get(reverse("sites:map"))
    assert "example" not in page["Content-Security-Policy"]
