"""The dashboard in Chromium with every other host blocked: the charts are drawn (server-side
SVG, no script, nothing from elsewhere, no CSP complaint), a filter narrows them, a refresh
recomputes them, and the CTDC preview says what would be withheld."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lifeline.people.models import Person
from lifeline.sites.sightings import sighting_record
from tests.browser import log_in
from tests.factories import claim, make_case, make_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_draws_the_dashboard_offline_filters_and_refreshes_it(page, live_server, coordinator_a):
    kk = make_site(coordinator_a, name="KK Park", aliases=[])
    claim(coordinator_a, kk, "active")
    for i, citizenship in enumerate(["VN", "VN", "TH"]):
        case = make_case(
            coordinator_a, subject_name=f"Person {i}", danger_signs=["beaten"] if i else []
        )
        Person.objects.filter(pk=case.person_id).update(citizenship=citizenship, age_band="21--23")
        if citizenship == "VN":
            sighting_record(
                actor=coordinator_a,
                person=case.person,
                site=kk,
                seen_at=timezone.now() - datetime.timedelta(days=1),
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
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    log_in(page, coordinator_a)
    page.get_by_role("link", name="Dashboard", exact=True).click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Dashboard")
    expect(page.locator("#freshness")).to_contain_text("As of")
    # Each chart is drawn: bars in its SVG, its numbers in the table beside it.
    citizenship = page.locator("#chart-citizenship")
    expect(citizenship.locator("svg rect.bar")).to_have_count(2)
    expect(citizenship.locator("table")).to_contain_text("Vietnam")
    expect(page.locator("#chart-open_by_state svg rect.bar")).not_to_have_count(0)
    expect(page.locator("#chart-requests_per_day svg rect.bar")).not_to_have_count(0)
    expect(page.locator("#chart-people_by_site")).to_contain_text("KK Park")
    box = citizenship.locator("svg").bounding_box()
    assert box is not None and box["width"] > 100 and box["height"] > 20

    page.locator("#id_site").select_option(label="KK Park")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#freshness")).to_contain_text("2 cases in these figures")
    expect(citizenship.locator("svg rect.bar")).to_have_count(1)

    make_case(coordinator_a, subject_name="Late arrival")
    page.get_by_role("link", name="Clear").click()
    expect(page.locator("#freshness")).to_contain_text("3 cases in these figures")  # cached
    page.get_by_role("button", name="Refresh").click()
    expect(page.locator("#freshness")).to_contain_text("4 cases in these figures")

    page.get_by_role("link", name="Safe statistical export (CTDC)").click()
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#ctdc-suppressed")).to_contain_text("4")  # all four: fewer than 11
    expect(page.locator("#ctdc-download")).to_be_visible()
    assert elsewhere == []
    assert errors == []
