"""The header's Settings menu in Chromium, with JavaScript on and off: administration stays out
of the way until the menu is opened, and then leads to its pages."""

import pytest
from playwright.sync_api import expect

from tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(params=[True, False], ids=["script", "no-script"])
def any_page(request, browser, live_server):
    context = browser.new_context(
        viewport={"width": 1200, "height": 900},
        base_url=live_server.url,
        java_script_enabled=request.param,
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


def test_an_admin_opens_the_settings_menu_and_reaches_members(any_page, admin_a):
    log_in(any_page, admin_a)
    header = any_page.locator("header.top")
    members = header.get_by_role("link", name="Members", exact=True)
    expect(members).to_be_hidden()
    expect(header.get_by_role("link", name="Dashboard", exact=True)).to_be_visible()

    header.get_by_text("Settings", exact=True).click()
    expect(header.get_by_role("link", name="Bot channels")).to_be_visible()
    expect(header.get_by_role("link", name="Security", exact=True)).to_be_visible()
    members.click()
    expect(any_page.get_by_role("heading", level=1)).to_contain_text("Members")
