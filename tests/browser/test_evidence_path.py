"""A caseworker's path through evidence, in Chromium: attach a screenshot to an assigned case,
see its SHA-256 and the preview, download the original and find it unchanged."""

import hashlib
import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser import log_in
from tests.evidence import files

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("evidence_dir"),
]


def test_it_takes_a_caseworker_from_a_screenshot_to_a_verified_download(page, caseworker_a, case_a):
    screenshot = files.png(size=(1400, 900))
    digest = hashlib.sha256(screenshot).hexdigest()

    log_in(page, caseworker_a)
    page.goto(case_a.get_absolute_url())

    expect(page.get_by_text("No evidence attached yet.")).to_be_visible()
    page.get_by_label("Description (optional)").fill("Recruiter's job offer on Telegram")
    page.get_by_label("File to attach").set_input_files(
        files=[{"name": "offer.png", "mimeType": "image/png", "buffer": screenshot}]
    )
    page.get_by_role("button", name="Attach", exact=True).click()

    expect(page.get_by_text("The file was attached.")).to_be_visible()
    expect(page.locator("#sha256")).to_have_text(digest)
    preview = page.get_by_role("img", name=re.compile("Preview of the image"))
    expect(preview).to_be_visible()
    # decode() waits for the image to load: the preview really is an image, downscaled.
    assert preview.evaluate("img => img.decode().then(() => img.naturalWidth)") == 1024
    expect(page.get_by_role("table").last).to_contain_text("Uploaded")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the original").click()
    download = download_info.value
    assert download.suggested_filename == "offer.png"
    assert hashlib.sha256(Path(download.path()).read_bytes()).hexdigest() == digest

    page.get_by_role("link", name=case_a.reference).click()
    evidence_list = page.locator("#evidence")
    expect(evidence_list).to_contain_text("offer.png")
    expect(evidence_list).to_contain_text(digest)
