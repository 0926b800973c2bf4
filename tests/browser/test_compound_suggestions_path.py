"""A coordinator chooses a compound whose name the public SOS form may suggest; a sender, with
JavaScript off, picks it from the suggestions; the request shows the site in triage."""

import pytest
from playwright.sync_api import expect

from tests.browser import log_in
from tests.factories import make_site

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_suggests_a_chosen_compound_to_a_sender(browser, page, live_server, coordinator_a, settings):  # fmt: skip
    settings.LIFELINE_INTAKE_ORGANISATION = coordinator_a.organisation.slug
    kk = make_site(coordinator_a, name="KK Park", aliases=["KK園區"], latitude=16.7473, longitude=98.5266)  # fmt: skip
    make_site(coordinator_a, name="Hidden Hangar", aliases=[])
    log_in(page, coordinator_a)
    page.goto(live_server.url + kk.get_absolute_url())
    page.get_by_label("Suggest its names on the public help form").check()
    page.locator("#public-suggestion").get_by_role("button", name="Save").click()
    expect(page.get_by_text("The public help form now suggests this site's names.")).to_be_visible()

    context = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    sender = context.new_page()
    sender.goto("/help/?lang=en")
    options = sender.locator("datalist#compound-names option")
    expect(options).to_have_count(2)
    assert sorted(o.get_attribute("value") for o in options.all()) == ["KK Park", "KK園區"]
    assert "Hidden Hangar" not in sender.content()
    sender.get_by_label("Family").check()
    sender.get_by_label("Name of the building or company, if known").fill("KK園區")
    sender.get_by_label("What is happening?").fill("He cannot leave.")
    sender.get_by_role("button", name="Send").click()
    expect(sender.get_by_text("Received.")).to_be_visible()
    context.close()

    page.goto(live_server.url + "/requests/")
    expect(page.locator(f'a[href="{kk.get_absolute_url()}"]')).to_have_count(1)
