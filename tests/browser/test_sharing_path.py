"""A coordinator's path through a rescue's sharing, in Chromium: open an operation, brief three
partners, give one of them a link, open it as the partner (no login), then paste what leaked
and see that partner named."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lifeline.sharing import services
from tests.browser import log_in
from tests.factories import make_case, make_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ZERO_WIDTH = re.compile("[\u200b-\u200f\u2060-\u2064\ufeff]")


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def test_it_briefs_three_partners_and_traces_a_leak_to_one(
    browser, page, live_server, coordinator_a, caseworker_a
):
    make_site(coordinator_a, indicators=["perimeter_wall", "cctv", "armed_guards"])
    case = make_case(coordinator_a)
    make_case(coordinator_a, subject_name="Somchai Jaidee", subject_contact="")
    names = ["Consular desk", "Police liaison", "Harbour shelter"]
    for name in names:
        services.partner_create(actor=coordinator_a, name=name, kind="ngo")

    elsewhere = []

    def only_this_server(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            elsewhere.append(route.request.url)
            route.abort()

    page.route("**/*", only_this_server)
    log_in(page, coordinator_a)
    page.get_by_role("link", name="Operations").click()
    page.get_by_role("link", name="Open an operation").click()
    now = timezone.now()
    page.get_by_label("Code name").fill("Kite")
    page.get_by_label("Window opens").fill(_local(now - datetime.timedelta(hours=1)))
    page.get_by_label("Window closes").fill(_local(now + datetime.timedelta(hours=5)))
    page.get_by_label(re.compile(r"\(Caseworker\)$")).check()
    page.get_by_label(re.compile("Golden Gate Park")).check()
    page.get_by_label("Cases").fill(f"{case.reference}, MR-{now.year}-00002")
    for name in names:
        page.get_by_label(name).check()
    page.get_by_label("Meeting points").fill("the petrol station\nthe pharmacy\nthe night market")
    page.get_by_role("button", name="Open").click()
    expect(page.get_by_role("heading", name=re.compile("^Kite"))).to_be_visible()

    page.get_by_role("link", name="Brief partners").click()
    page.get_by_label("Site and people, without contacts").check()
    for name in names:
        page.get_by_label(name).check()
    page.get_by_role("button", name="Prepare the briefing").click()
    expect(page.get_by_role("status")).to_contain_text("Briefing ready")

    page.get_by_role("link", name="Police liaison").click()
    page.get_by_role("button", name="Make a link").click()
    link = page.locator("#share-link").inner_text()

    # The partner opens it in a browser of their own, without an account.
    partner = browser.new_context().new_page()
    partner.goto(link)
    expect(partner.get_by_role("heading", name=re.compile("Kite"))).to_be_visible()
    leaked = ZERO_WIDTH.sub("", partner.locator("article").inner_text())
    assert "Golden Gate Park" in leaked and "+855" not in leaked
    partner.context.close()

    # What came back, retyped (the invisible marks are gone): the wording still tells.
    page.get_by_role("link", name="Partners").click()
    page.get_by_role("link", name="Trace a leak").click()
    page.get_by_label("Text that came back").fill(leaked)
    page.get_by_role("button", name="Trace").click()
    expect(page.locator(".suspect").first).to_have_text("Police liaison")
    assert elsewhere == []
