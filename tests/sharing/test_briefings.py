import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from lifeline.audit.models import AuditEvent
from lifeline.sharing import briefings, services
from lifeline.sharing.models import BriefingStatus, Operation, Share, ShareOpening

ZERO_WIDTH = re.compile("[\u200b-\u200f\u2060-\u2064\ufeff]")


def _receiver(org):
    from tests.factories import MembershipFactory

    return MembershipFactory(organisation=org, role="coordinator")


def _past_window(operation):
    # The window opened already: naming the target needs no second coordinator.
    now = timezone.now()
    Operation.objects.filter(pk=operation.pk).update(
        window_start=now - datetime.timedelta(hours=1), window_end=now + datetime.timedelta(hours=5)
    )
    operation.refresh_from_db()
    return operation


@pytest.fixture
def briefing(coordinator_a, operation, partners):
    return briefings.briefing_create(
        actor=coordinator_a, level="people", partners=partners, operation=_past_window(operation)
    )


def _link(coordinator_a, share, **kwargs):
    values = {"expires_in_hours": 48, "max_views": 3, **kwargs}
    return briefings.share_link_create(actor=coordinator_a, share=share, **values)


def test_each_recipient_gets_a_variant_of_their_own(briefing):
    shares = list(briefing.shares.order_by("variant"))
    assert [s.variant for s in shares] == [0, 1, 2]
    texts = [briefings.canary_set(briefing).text(s.variant) for s in shares]
    assert len(set(texts)) == 3
    assert all("Golden Gate Park" in t and "张伟" in t for t in texts)


def test_the_trace_names_the_recipient_of_a_leaked_text(coordinator_a, briefing, partners):
    leaked = briefings.canary_set(briefing).text(1)
    suspects = briefings.trace_leak(actor=coordinator_a, text=leaked)
    assert suspects[0].share.partner == partners[1]
    # With the invisible characters stripped, the visible wording still tells.
    stripped = ZERO_WIDTH.sub("", leaked)
    assert briefings.trace_leak(actor=coordinator_a, text=stripped)[0].share.partner == partners[1]
    assert AuditEvent.objects.filter(action="sharing.leak.traced").count() == 2


def test_the_trace_page(login, coordinator_a, briefing, partners):
    leaked = briefings.canary_set(briefing).text(2)
    response = login(coordinator_a).post(reverse("sharing:trace"), {"text": leaked})
    body = response.content.decode()
    assert response.status_code == 200
    assert body.index(partners[2].name) < body.index("their variant")
    empty = login(coordinator_a).post(reverse("sharing:trace"), {"text": " "})
    assert empty.status_code == 400


def test_the_trace_reads_a_page_image(coordinator_a, briefing, partners):
    share = briefing.shares.get(variant=2)
    png = briefings.share_deliver(actor=coordinator_a, share=share, form="image")
    suspects = briefings.trace_leak(actor=coordinator_a, image=png)
    assert suspects and suspects[0].share == share
    with pytest.raises(ValidationError):
        briefings.trace_leak(actor=coordinator_a, image=b"not an image")


def test_the_trace_does_not_reach_an_operation_the_actor_is_not_in(
    coordinator_a, second_coordinator_a, briefing
):
    leaked = briefings.canary_set(briefing).text(0)
    assert briefings.trace_leak(actor=second_coordinator_a, text=leaked) == []


def test_a_partner_opens_the_link_and_each_opening_is_logged(coordinator_a, briefing):
    share = briefing.shares.get(variant=0)
    token = _link(coordinator_a, share, max_views=2)
    client = Client()
    first = client.get(f"/s/{token}/")
    assert first.status_code == 200 and "Golden Gate Park" in first.content.decode()
    assert (
        first["X-Robots-Tag"] == "noindex, nofollow"
        and "default-src 'none'" in first["Content-Security-Policy"]
    )
    assert not first.cookies
    assert client.get(f"/s/{token}/").status_code == 200
    third = client.get(f"/s/{token}/")
    assert third.status_code == 404 and b"not available" in third.content
    assert list(ShareOpening.objects.values_list("outcome", flat=True).order_by("pk")) == [
        "shown",
        "shown",
        "exhausted",
    ]
    assert AuditEvent.objects.filter(action="sharing.share.link_opened").count() == 3


def test_a_refused_link_says_the_same_whatever_the_reason(coordinator_a, briefing, login):
    shares = list(briefing.shares.order_by("variant"))
    expired, revoked = _link(coordinator_a, shares[0]), _link(coordinator_a, shares[1])
    Share.objects.filter(pk=shares[0].pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    briefings.share_revoke(actor=coordinator_a, share=shares[1])
    bodies = {Client().get(f"/s/{t}/").content for t in (expired, revoked, "no-such-link")}
    assert len(bodies) == 1
    # The coordinator sees why.
    page = login(coordinator_a).get(shares[0].get_absolute_url()).content.decode()
    assert "past its expiry" in page
    with pytest.raises(ValidationError, match="already revoked"):
        briefings.share_revoke(actor=coordinator_a, share=shares[1])


def test_an_early_briefing_waits_for_a_second_coordinator(
    login, coordinator_a, second_coordinator_a, operation, partners
):
    briefing = briefings.briefing_create(
        actor=coordinator_a, level="site", partners=partners[:1], operation=operation
    )
    assert briefing.status == BriefingStatus.AWAITING_APPROVAL
    share = briefing.shares.get()
    assert (
        login(coordinator_a).get(reverse("sharing:share_file", args=[share.uid, "txt"])).status_code
        == 403
    )
    with pytest.raises(ValidationError):
        _link(coordinator_a, share)
    with pytest.raises(ValidationError, match="second coordinator"):
        briefings.briefing_approve(actor=coordinator_a, briefing=briefing)
    # The second coordinator must be in the compartment to find it at all.
    assert login(second_coordinator_a).get(briefing.get_absolute_url()).status_code == 404
    from lifeline.sharing.services import operation_add

    operation_add(actor=coordinator_a, operation=operation, members=[second_coordinator_a])
    response = login(second_coordinator_a).post(
        reverse("sharing:briefing_approve", args=[briefing.uid])
    )
    assert response.status_code == 302
    briefing.refresh_from_db()
    assert (
        briefing.status == BriefingStatus.READY
        and briefing.approved_by == second_coordinator_a.user
    )
    assert (
        login(coordinator_a).get(reverse("sharing:share_file", args=[share.uid, "txt"])).status_code
        == 200
    )


def test_briefing_pages(login, coordinator_a, operation, partners):
    client = login(coordinator_a)
    _past_window(operation)
    url = reverse("sharing:briefing_operation", args=[operation.uid])
    assert client.get(url).status_code == 200
    response = client.post(url, {"level": "site", "partners": [str(p.uid) for p in partners]})
    briefing = operation.briefings.get()
    assert response["Location"] == briefing.get_absolute_url()
    assert all(p.name in client.get(briefing.get_absolute_url()).content.decode() for p in partners)
    share = briefing.shares.get(variant=0)
    page = client.get(share.get_absolute_url()).content.decode()
    assert "Golden Gate Park" in page and "张伟" not in page
    made = client.post(
        reverse("sharing:share_link", args=[share.uid]), {"expires_in_hours": "2", "max_views": "1"}
    )
    link = re.search(r'id="share-link">([^<]+)<', made.content.decode()).group(1)
    assert Client().get(link).status_code == 200
    assert (
        client.post(
            reverse("sharing:briefing_operation", args=[operation.uid]), {"level": "site"}
        ).status_code
        == 400
    )


def test_a_briefing_from_a_case(login, coordinator_a, case_a, partners):
    response = login(coordinator_a).post(
        reverse("sharing:briefing_case", args=[case_a.uid]),
        {"level": "people", "partners": [str(partners[0].uid)]},
    )
    assert response.status_code == 302
    share = Share.objects.get()
    text = briefings.canary_set(share.briefing).text(0)
    assert "Sihanoukville" in text and "张伟" in text and "+855" not in text


def test_site_empty_on_arrival_lists_every_share_made_before(
    login, coordinator_a, briefing, operation, partners
):
    from lifeline.sharing.services import operation_close

    operation_close(actor=coordinator_a, operation=operation, outcome="site_empty")
    page = login(coordinator_a).get(operation.get_absolute_url()).content.decode()
    section = page[page.index('id="shares-before"') :]
    assert all(p.name in section for p in partners)


def test_erasing_a_person_withdraws_what_was_shared_about_them(
    coordinator_a, briefing, case_a, org_b
):
    from django.test import Client

    from lifeline.privacy.services import person_erase
    from lifeline.sharing.models import Referral
    from tests.sharing.test_referrals import _refer

    referral = _refer(coordinator_a, case_a, org_b)
    asked = services.transfer_request_create(
        actor=_receiver(org_b), referral=referral, note="She is with us"
    )
    share = briefing.shares.get(variant=0)
    token = _link(coordinator_a, share)
    leaked = briefings.canary_set(briefing).text(0)
    person_erase(
        actor=coordinator_a, person=case_a.person, reason="survivor_wish", confirmation="ERASE"
    )
    briefing.refresh_from_db()
    assert briefing.status == BriefingStatus.WITHDRAWN and briefing.canary_set == ""
    assert Referral.objects.get(pk=referral.pk).snapshot == ""
    asked.refresh_from_db()
    assert asked.note == ""
    assert Client().get(f"/s/{token}/").status_code == 404
    assert ShareOpening.objects.get(share=share).outcome == "withdrawn"
    assert briefings.trace_leak(actor=coordinator_a, text=leaked) == []
    with pytest.raises(ValidationError, match="withdrawn"):
        briefings.share_deliver(actor=coordinator_a, share=share, form="file")
