"""A coordinator's path through the duplicates: the queue, the side-by-side page, a merge, and
its undo, in Chromium."""

import re

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.browser import log_in as _log_in
from tests.factories import make_case, make_person

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_it_merges_two_reports_of_one_person_and_undoes_the_merge(page, coordinator_a):
    case = make_case(coordinator_a, subject_name="张伟", subject_contact="+66 81 234 5678")
    make_person(coordinator_a, "Wei Zhang", phone="+66 81 234 5678")
    make_person(coordinator_a, "Lin Mei")
    call_command("linkage", "run", "--organisation", "mekong", verbosity=0)

    _log_in(page, coordinator_a)
    page.get_by_role("link", name="Duplicates", exact=True).click()
    expect(page.get_by_role("heading", name="Possible duplicates")).to_be_visible()
    rows = page.locator("table.queue tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("张伟")
    page.get_by_role("link", name="Compare").click()

    expect(page.get_by_role("heading", name="Are these the same person?")).to_be_visible()
    expect(page.locator(".match-probability")).to_contain_text(re.compile(r"(99|100)%"))
    expect(page.locator("table.explanation")).to_contain_text("a phone in common")
    page.get_by_label("The same person").check()
    page.get_by_role("button", name="Record the decision").click()
    expect(page.get_by_text("The two records were merged.")).to_be_visible()
    expect(page.locator("table.queue")).to_contain_text("No pairs here.")

    # Three persons are too few to learn from: the page says the starting values are in use.
    page.get_by_role("link", name="What the matching learnt").click()
    expect(page.get_by_role("status")).to_contain_text("kept the starting values")
    expect(page.locator("table.model-parameters")).to_contain_text("a phone in common")

    # The person page tells which record the merged rows came from.
    base = page.url.split("/duplicates/")[0]
    page.goto(base + case.person.get_absolute_url())
    provenance = page.locator("#provenance")
    expect(provenance).to_contain_text("From the record of Wei Zhang")
    expect(provenance).to_contain_text("Wei Zhang")
    page.go_back()
    page.get_by_role("link", name="Back to possible duplicates").click()

    page.get_by_role("link", name="Merges, and undoing them").click()
    expect(page.locator("table.merges")).to_contain_text("Wei Zhang")
    page.get_by_role("button", name="Undo this merge").click()
    status = page.get_by_role("status")
    expect(status).to_contain_text("The merge was undone.")
    expect(status).to_contain_text("Moved back: 1 names, 1 contacts")
    expect(page.locator("table.merges")).to_contain_text("Undone by")

    page.get_by_role("link", name="Duplicates", exact=True).click()
    page.get_by_role("link", name="Not sure").click()
    expect(page.locator("table.queue tbody tr")).to_have_count(1)
