"""A sender's path through the public pages in Chromium, with JavaScript on and off: ask for
help, get the code, check in, check in under duress, and leave quickly. The pages make no
request to another host and leave no cookie or storage behind."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect

from lifeline.cases.models import Request
from lifeline.intake.models import CheckIn

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def intake_org(org_a, settings):
    from django.core.cache import cache

    settings.LIFELINE_INTAKE_ORGANISATION = org_a.slug
    settings.LIFELINE_INTAKE_EXIT_URL = "https://exit.invalid/"
    cache.clear()
    return org_a


@pytest.fixture(params=[True, False], ids=["js-on", "js-off"])
def sender(request, browser, live_server):
    context = browser.new_context(
        base_url=live_server.url, java_script_enabled=request.param, locale="th-TH"
    )
    page = context.new_page()
    page.set_default_timeout(10_000)
    hosts = []
    page.on("request", lambda req: hosts.append(urlsplit(req.url).netloc))
    # The quick exit leads to another site; it is answered here, not on the network.
    context.route(
        "https://exit.invalid/**", lambda route: route.fulfill(body="<title>News</title>")
    )
    yield page, context, hosts, request.param
    context.close()


def _send_sos(page, *, duress="mango"):
    page.goto("/help/")
    expect(page.locator("html")).to_have_attribute("lang", "th")  # from the browser's language
    page.get_by_role("link", name="English").click()
    page.get_by_label("Family").check()
    page.get_by_label("Name of the person in danger").fill("Somchai / สมชาย")
    page.get_by_label("Number or account").fill("+66 81 234 5678")
    page.get_by_label("Town or area").fill("Myawaddy")
    page.get_by_label("Locked in").check()
    page.get_by_label("What is happening?").fill("He cannot leave the building.")
    page.get_by_label("Secret word (optional)").fill(duress)
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Received.")).to_be_visible()
    return page.locator(".code").inner_text()


def test_it_takes_a_sender_from_sos_to_check_in_and_duress(sender, live_server):
    page, context, hosts, _js = sender
    code = _send_sos(page)
    assert Request.objects.count() == 1
    page.get_by_role("link", name="Send an update").click()
    page.get_by_label("Your code").fill(code)
    page.get_by_label("Still there").check()
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Thank you.")).to_be_visible()
    usual = page.content()

    page.get_by_role("link", name="Send another update").click()
    page.get_by_label("Your code").fill(code)
    page.get_by_label("Safe now").check()
    page.get_by_label("Message (optional)").fill("all good, mango")
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Thank you.")).to_be_visible()
    assert page.content() == usual  # the page says nothing different under duress
    assert [c.under_duress for c in CheckIn.objects.order_by("pk")] == [False, True]

    assert set(hosts) == {urlsplit(live_server.url).netloc}
    assert context.cookies() == []
    if _js:
        assert page.evaluate("localStorage.length + sessionStorage.length") == 0


def test_it_submits_once_when_the_sender_presses_send_again(sender):
    page, _context, _hosts, _js = sender
    page.goto("/help/?lang=en")
    page.get_by_label("Someone else").check()
    page.get_by_label("What is happening?").fill("My friend is held")
    page.get_by_role("button", name="Send").click()
    first = page.locator(".code").inner_text()
    page.reload()  # the browser posts the same form again
    expect(page.get_by_text("Received.")).to_be_visible()
    assert page.locator(".code").inner_text() == first
    assert Request.objects.count() == 1


def test_it_leaves_quickly(sender):
    page, _context, _hosts, js = sender
    page.goto("/help/?lang=en")
    page.get_by_role("link", name="Leave this page").click()
    page.wait_for_url("https://exit.invalid/")
    if js:
        # location.replace(): Back does not return to the form.
        assert page.go_back() is None or "exit.invalid" in page.url
        assert "/help/" not in page.url
