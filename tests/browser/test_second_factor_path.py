"""A coordinator's first login in Chromium: set up the authenticator app from the key shown on
the page, see the recovery codes, log out, and log in again with a code."""

import re
import time
from base64 import b32decode

import pytest
from django_otp.oath import TOTP
from playwright.sync_api import expect

from tests.factories import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _app_code(secret: str, period: int) -> str:
    """What an authenticator app holding ``secret`` shows in the 30-second ``period``."""
    key = b32decode(secret + "=" * (-len(secret) % 8))
    totp = TOTP(key, step=30, t0=0, digits=6)
    totp.time = period * 30
    return f"{totp.token():06d}"


def _period_now() -> int:
    return int(time.time()) // 30


def _password(page, username):
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()


def test_it_enrols_a_coordinator_and_asks_for_a_code_at_the_next_login(page, coordinator_a):
    _password(page, "coord_a")
    expect(page.get_by_role("heading", name="Set up your second factor")).to_be_visible()
    expect(page.get_by_role("img", name="QR code for your authenticator app")).to_be_visible()
    # The desk is out of reach until the second factor is set up.
    page.goto("/cases/")
    expect(page).to_have_url(re.compile(r"/accounts/security/enrol/"))

    secret = "".join(page.locator("code.secret").inner_text().split())
    enrolled_in = _period_now()
    page.get_by_label("Code from the app").fill(_app_code(secret, enrolled_in))
    page.get_by_role("button", name="Confirm").click()

    expect(page.get_by_role("heading", name="Your recovery codes")).to_be_visible()
    expect(page.get_by_text("They are not shown again.")).to_be_visible()
    expect(page.locator("ul.codes li")).to_have_count(10)
    page.get_by_role("link", name="I have stored them — continue").click()
    expect(page.get_by_role("link", name="Triage", exact=True)).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    _password(page, "coord_a")
    expect(page.get_by_role("heading", name="Enter your code")).to_be_visible()
    # A code works once: the next period's code, as the app would show half a minute later. It is
    # counted from the enrolment's period, not the clock's, so a test that crosses a period
    # boundary still sends a code within the server's tolerance of one period.
    page.get_by_label("Code").fill(_app_code(secret, enrolled_in + 1))
    page.get_by_role("button", name="Verify").click()
    page.get_by_role("link", name="Triage", exact=True).click()
    expect(page.get_by_role("heading", name="Triage queue")).to_be_visible()
