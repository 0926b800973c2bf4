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
