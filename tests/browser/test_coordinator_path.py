"""The coordinator's path through the desk, in Chromium: log in, open a request, create a case,
find the person by a romanised name, move the case, see the timeline."""

import re

import pytest
from playwright.sync_api import expect

from tests.browser import log_in as _log_in
from tests.factories import make_person, make_request

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_takes_a_coordinator_from_a_request_to_a_moved_case(page, coordinator_a, coordinator_b):
    make_person(coordinator_b, "张伟")  # another organisation's person must never be suggested
    make_request(
        coordinator_a,
        subject_name="张伟",
        subject_contact="+855 97 111 2222",
        text="他说他被锁在房间里",
        danger_signs=["locked_in"],
    )

    _log_in(page, coordinator_a)
    page.get_by_role("link", name="Triage", exact=True).click()
    expect(page.get_by_role("heading", name="Triage queue")).to_be_visible()
    page.get_by_role("link", name="张伟").click()

    expect(page.get_by_text("No known person has this name or contact.")).to_be_visible()
    page.get_by_label("Other spellings of the name").fill("Zhang Wei")
    page.get_by_role("button", name="Create a new person and open the case").click()
    expect(page.get_by_role("heading", name=re.compile(r"MR-\d{4}-00001"))).to_be_visible()

    page.get_by_role("link", name="Cases", exact=True).click()
    page.get_by_label("Search").fill("zhang wei")
    page.get_by_role("button", name="Search").click()
    expect(page.get_by_text("1 case")).to_be_visible()
    page.get_by_role("link", name=re.compile(r"MR-\d{4}-00001")).click()

    page.get_by_label("Move to").select_option(label="Verifying")
    page.get_by_label("Why").fill("Spoke to him on WeChat")
    page.get_by_role("button", name="Move", exact=True).click()
    expect(page.get_by_text("The case moved to")).to_be_visible()

    timeline = page.locator("ol.timeline")
    expect(timeline).to_contain_text("Reported → Verifying")
    expect(timeline).to_contain_text("Spoke to him on WeChat")
    expect(timeline).to_contain_text("Case opened")
