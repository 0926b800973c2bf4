"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Without /usr/bin/chromium the tests are skipped on a laptop; CI sets LIFELINE_REQUIRE_BROWSER=1
so that a missing browser fails the run instead of hiding it.
"""

import os
import shutil

import pytest

CHROMIUM = os.environ.get("LIFELINE_CHROMIUM", "/usr/bin/chromium")
# Playwright's sync API runs an event loop in the test thread; the test still only touches the
# database between browser calls, never concurrently.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _chromium_available() -> bool:
    return os.path.exists(CHROMIUM) or shutil.which(CHROMIUM) is not None


@pytest.fixture(scope="session")
def browser():
    if not _chromium_available():
        if os.environ.get("LIFELINE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"Chromium not found at {CHROMIUM}, and LIFELINE_REQUIRE_BROWSER=1")
        pytest.skip(
            f"Chromium not found at {CHROMIUM} (install Debian's chromium to run browser tests)"
        )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(viewport={"width": 1200, "height": 900}, base_url=live_server.url)
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()
