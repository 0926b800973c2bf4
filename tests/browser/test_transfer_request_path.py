"""A transfer request in Chromium: the organisation a case was referred to asks for it from the
referral's page; the owner answers with the victim's consent and sends the transfer."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from lifeline.sharing import services
from lifeline.sharing.models import Referral, ReferralKind
from tests.browser import log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_receiver_asks_and_the_owner_transfers(
    browser, page, live_server, coordinator_a, coordinator_b, case_a, org_b
):
    referral = services.referral_create(
        actor=coordinator_a, case=case_a, receiver=org_b, kind="refer", profile="essentials",
        consent_given_by="Herself", consent_method="phone",
        consent_at=timezone.now() - datetime.timedelta(hours=1),
    )  # fmt: skip
    log_in(page, coordinator_b)
    page.goto(f"/referrals/{referral.uid}/")
    asking = page.locator("form", has=page.get_by_role("button", name="Ask for a transfer"))
    asking.get_by_label("Note").fill("She is in our shelter now")
    asking.get_by_role("button", name="Ask for a transfer").click()
    expect(page.get_by_text("Asked: the owner will answer.")).to_be_visible()

    context = browser.new_context(base_url=live_server.url)
    owner = context.new_page()
    owner.set_default_timeout(10_000)
    log_in(owner, coordinator_a)
    owner.goto(f"/referrals/{referral.uid}/")
    expect(owner.get_by_text("She is in our shelter now")).to_be_visible()
    owner.get_by_label("What is shared").select_option("essentials")
    owner.get_by_label("Consent given by").fill("The person herself")
    moment = timezone.localtime(timezone.now() - datetime.timedelta(minutes=30))
    owner.get_by_label("Consent given on").fill(moment.strftime("%Y-%m-%dT%H:%M"))
    owner.get_by_label("How").select_option("in_person")
    owner.get_by_role("button", name="Accept and transfer").click()
    expect(owner.get_by_text("Transfer sent")).to_be_visible()
    expect(owner.get_by_role("heading", name=re.compile("^Transfer to"))).to_be_visible()
    context.close()
    assert Referral.objects.filter(kind=ReferralKind.TRANSFER, receiver=org_b).count() == 1
