"""A caseworker screens a recruiter's message in Chromium: the risk level, the warning signs
with why each matters, and a clear message for an empty paste."""

import pytest
from playwright.sync_api import expect

from tests.browser import log_in
from tests.screening.fixtures import tiny_model, tiny_model_path, training_file  # noqa: F401
from tests.screening.lures import LURE_EN

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.usefixtures("tiny_model")
def test_it_screens_a_pasted_offer(page, caseworker_a):
    log_in(page, caseworker_a)
    page.get_by_role("link", name="Job offers").click()

    page.get_by_role("button", name="Screen").click()
    expect(page.get_by_text("There is nothing to check")).to_be_visible()

    page.get_by_label("The offer or the recruiter's message").fill(LURE_EN)
    page.get_by_role("button", name="Screen").click()
    expect(page.get_by_role("heading", name="Many warning signs")).to_be_visible()
    expect(page.get_by_text("A destination known for scam compounds")).to_be_visible()
    expect(page.get_by_text("What the model weighed")).to_be_visible()


@pytest.mark.usefixtures("tiny_model")
def test_it_takes_a_coordinator_from_screening_to_the_library(page, coordinator_a):
    log_in(page, coordinator_a)
    page.goto("/screening/")
    page.get_by_label("The offer or the recruiter's message").fill(LURE_EN)
    page.get_by_role("button", name="Screen").click()
    page.get_by_role("button", name="Save to the lure library…").click()

    page.get_by_label("From").select_option("report")
    page.get_by_label("Seen on").select_option("facebook")
    page.get_by_label("Where (group, page, board)").fill("Jobs abroad group")
    page.get_by_role("button", name="Add to the library").click()

    expect(page.get_by_text("The offer was added to the library.")).to_be_visible()
    expect(page.locator("#identifiers")).to_contain_text("easyjob_hr")
    page.get_by_role("link", name="Lure library").first.click()
    expect(page.get_by_role("cell", name="Facebook")).to_be_visible()

    # The library's filters, then the page of the recruiter's handle.
    page.get_by_label("Platform").select_option("line")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("#lures")).to_contain_text("No offer in the library matches.")
    page.get_by_label("Platform").select_option("facebook")
    page.get_by_role("button", name="Show").click()
    page.locator("#lures a").first.click()
    page.get_by_role("link", name="easyjob_hr").click()
    expect(page.locator("h1")).to_contain_text("easyjob_hr")
    expect(page.locator("#reach")).to_contain_text("In 1 offer")
