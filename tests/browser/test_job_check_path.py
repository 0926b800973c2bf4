"""A reader's path through the public job-check page in Chromium, with JavaScript on and off:
paste an offer, read why it is dangerous in their own language, report it, and leave quickly.
The page makes no request to another host and leaves no cookie behind. The offer was written
for the tests."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from lifeline.screening.models import Lure
from tests.screening.lures import LURE_EN

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def intake_org(org_a, settings, tmp_path):
    from django.core.cache import cache

    settings.LIFELINE_INTAKE_ORGANISATION = org_a.slug
    settings.LIFELINE_INTAKE_EXIT_URL = "https://exit.invalid/"
    settings.LIFELINE_SCREENING_MODEL = tmp_path / "none.skops"  # the signs alone
    cache.clear()
    return org_a


@pytest.fixture(params=[True, False], ids=["js-on", "js-off"])
def reader(request, browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=request.param, locale="th-TH"
    )
    page = context.new_page()
    page.set_default_timeout(30_000)  # a shared CI machine can be slow to answer a POST
    hosts = []
    page.on("request", lambda req: hosts.append(urlsplit(req.url).netloc))
    context.route(
        "https://exit.invalid/**", lambda route: route.fulfill(body="<title>News</title>")
    )
    yield page, context, hosts, request.param
    context.close()


def test_it_takes_a_reader_from_an_offer_to_its_reasons_and_a_report(reader, live_server):
    page, context, hosts, js = reader
    page.goto("/job-check/")
    expect(page.locator("html")).to_have_attribute("lang", "th")  # the browser's language
    page.get_by_label("วางประกาศงานหรือข้อความจากผู้จัดหางาน").fill(LURE_EN)
    page.get_by_role("button", name="ตรวจสอบ", exact=True).click()
    result = page.locator("#result")
    expect(result).to_contain_text("มีสัญญาณเตือนมาก")
    expect(result).to_contain_text("ปลายทางที่รู้กันว่ามีศูนย์ต้มตุ๋นออนไลน์")
    expect(result).to_contain_text("สีหนุวิลล์")  # why it matters, in Thai
    assert Lure.objects.count() == 0  # a check keeps nothing

    # The reader switches to English: the page asks again, nothing was kept to show.
    page.get_by_role("link", name="English").click()
    page.get_by_label("Paste the job offer or the recruiter's message").fill(LURE_EN)
    page.get_by_role("button", name="Check", exact=True).click()
    expect(page.locator("#result")).to_contain_text("A destination known for scam compounds")
    help_link = page.get_by_role("link", name="Ask us for help")
    assert help_link.get_attribute("href") == "/help/?lang=en"

    report = page.locator("#report")
    report.get_by_label("Where did you see it?").select_option("telegram")
    report.get_by_label("Town or area").fill("Vientiane")
    report.get_by_role("button", name="Report this offer").click()
    expect(page.locator("#reported")).to_contain_text("Thank you.")
    lure = Lure.objects.get()
    assert (lure.source, lure.platform, lure.town) == ("public_page", "telegram", "Vientiane")

    page.get_by_role("link", name="Leave this page").click()
    expect(page).to_have_title("News")
    if js:  # location.replace(): Back does not lead back to the page that was left
        page.go_back()
        expect(page.locator("#reported")).to_have_count(0)
    assert set(hosts) <= {urlsplit(live_server.url).netloc, "exit.invalid"}
    assert context.cookies() == []
