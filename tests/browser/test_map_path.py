"""The map in Chromium, offline: only this server is reachable, the country outlines come from
the static files, markers are coloured by status and filtered, and a click leads to the site
and from its page to the trail of a person last known there."""

import datetime

import pytest
from playwright.sync_api import expect

from lifeline.sites.sightings import sighting_record
from tests.browser import log_in
from tests.factories import claim, make_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_shows_the_map_offline_filters_it_and_clicks_through(
    page, live_server, coordinator_a, case_a
):
    kk = make_site(coordinator_a, name="KK Park", aliases=[], latitude=16.7473, longitude=98.5266)
    claim(coordinator_a, kk, "active")
    chinatown = make_site(coordinator_a, name="Chinatown", aliases=[], country="KH", latitude=10.6093, longitude=103.5296)  # fmt: skip
    claim(coordinator_a, chinatown, "raided")
    sighting_record(
        actor=coordinator_a,
        person=case_a.person,
        site=kk,
        seen_at=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC),
        source="rescued",
    )

    elsewhere = []

    def only_this_server(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", only_this_server)
    # A CSP violation (an inline style or script) shows as a console error.
    errors = []
    page.on(
        "console", lambda message: errors.append(message.text) if message.type == "error" else None
    )
    log_in(page, coordinator_a)
    page.get_by_role("link", name="Map", exact=True).click()

    expect(page.locator("#map-count")).to_have_text("2 sites in view")
    # The country outlines were drawn from the shipped file (a path per country).
    expect(page.locator("#map path:not(.site-marker)").first).to_be_attached()
    expect(page.locator("path.site-marker-active")).to_have_count(1)
    expect(page.locator("path.site-marker-raided")).to_have_count(1)

    page.get_by_label("Status").select_option("raided")
    expect(page.locator("#map-count")).to_have_text("1 sites in view")
    expect(page.locator("path.site-marker-active")).to_have_count(0)
    page.get_by_label("Status").select_option("active")
    expect(page.locator("path.site-marker-active")).to_have_count(1)

    page.locator("path.site-marker-active").click()
    popup = page.locator(".map-popup")
    expect(popup).to_contain_text("KK Park")
    expect(popup).to_contain_text("1 persons last known here")
    expect(popup).to_contain_text("1 active cases")
    popup.get_by_role("link", name="Open the site").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("KK Park")
    page.locator("#occupancy").get_by_role("link").first.click()
    expect(page.locator("#trail")).to_contain_text("KK Park")
    expect(page.locator("#trail svg polyline")).to_be_attached()
    assert elsewhere == []
    assert errors == []
