"""Primero's transfer request: the organisation a case was referred to asks its owner for it."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from lifeline.accounts.models import Organisation
from lifeline.audit.models import AuditEvent
from lifeline.cases.models import Case
from lifeline.sharing import services
from lifeline.sharing.models import (
    Referral,
    ReferralKind,
    ReferralStatus,
    TransferRequest,
    TransferRequestStatus,
)
from tests.api import NOT_FOUND, api_client, call
from tests.factories import MembershipFactory
from tests.sharing.test_referrals import _refer

CONSENT_FORM = {
    "profile": "location",
    "consent_given_by": "The person herself",
    "consent_at": "2026-01-01T10:00",
    "consent_method": "phone",
    "answer_within_days": 14,
}


def test_the_receiver_asks_and_the_owner_transfers_through_the_pages(
    login, coordinator_a, coordinator_b, case_a, org_b
):
    referral = _refer(coordinator_a, case_a, org_b)
    receiver = login(coordinator_b)
    page = receiver.get(referral.get_absolute_url()).content.decode()
    assert "Ask for a transfer" in page
    asked = receiver.post(
        reverse("sharing:transfer_request_create", args=[referral.uid]), {"note": "She is here"}
    )
    assert asked.status_code == 302
    made = TransferRequest.objects.get()
    assert made.status == TransferRequestStatus.PENDING and made.note == "She is here"
    again = receiver.post(reverse("sharing:transfer_request_create", args=[referral.uid]), {})
    assert again.status_code == 302 and TransferRequest.objects.count() == 1
    owner = login(coordinator_a)
    page = owner.get(referral.get_absolute_url()).content.decode()
    assert "She is here" in page and "Accept and transfer" in page
    # Without consent nothing is sent and the request stays pending.
    bad = owner.post(
        reverse("sharing:transfer_request_accept", args=[referral.uid]),
        {**CONSENT_FORM, "consent_given_by": ""},
    )
    assert bad.status_code == 400
    assert not Referral.objects.filter(kind=ReferralKind.TRANSFER).exists()
    made.refresh_from_db()
    assert made.status == TransferRequestStatus.PENDING
    done = owner.post(reverse("sharing:transfer_request_accept", args=[referral.uid]), CONSENT_FORM)
    made.refresh_from_db()
    assert made.status == TransferRequestStatus.ACCEPTED and made.transfer is not None
    assert done.status_code == 302 and done.url == made.transfer.get_absolute_url()
    transfer = made.transfer
    assert transfer.kind == ReferralKind.TRANSFER and transfer.receiver == org_b
    assert transfer.status == ReferralStatus.PENDING and transfer.profile == "location"
    # The receiver then accepts the transfer as any other: the owner's case closes.
    services.referral_accept(actor=coordinator_b, referral=transfer)
    assert Case.objects.get(pk=case_a.pk).status == "closed"
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"sharing.transfer_request.made", "sharing.transfer_request.accepted"} <= actions
    assert "sharing.transfer_request.refused" in actions


def test_the_owner_rejects_with_a_note(login, coordinator_a, coordinator_b, case_a, org_b):
    referral = _refer(coordinator_a, case_a, org_b)
    services.transfer_request_create(actor=coordinator_b, referral=referral)
    owner = login(coordinator_a)
    response = owner.post(
        reverse("sharing:transfer_request_reject", args=[referral.uid]), {"note": "Not yet"}
    )
    assert response.status_code == 302
    made = TransferRequest.objects.get()
    assert made.status == TransferRequestStatus.REJECTED and made.answer_note == "Not yet"
    assert "Not yet" in login(coordinator_b).get(referral.get_absolute_url()).content.decode()
    # Nothing left to answer: a second rejection is refused and audited.
    with pytest.raises(ValidationError, match="No transfer request"):
        services.transfer_request_reject(actor=coordinator_a, referral=referral)
    assert AuditEvent.objects.filter(action="sharing.transfer_request.refused").exists()


def test_only_the_right_side_asks_and_answers(coordinator_a, coordinator_b, case_a, org_b):
    referral = _refer(coordinator_a, case_a, org_b)
    with pytest.raises(ValidationError, match="Only the organisation a case was referred to"):
        services.transfer_request_create(actor=coordinator_a, referral=referral)
    services.transfer_request_create(actor=coordinator_b, referral=referral)
    with pytest.raises(ValidationError, match="Only the organisation that owns"):
        services.transfer_request_reject(actor=coordinator_b, referral=referral)
    with pytest.raises(ValidationError, match="Only the organisation that owns"):
        services.transfer_request_accept(
            actor=coordinator_b, referral=referral, case=None, profile="essentials",
            consent_given_by="Her", consent_at=timezone.now(), consent_method="phone",
        )  # fmt: skip
    assert TransferRequest.objects.get().status == TransferRequestStatus.PENDING


def test_a_transfer_or_a_revoked_referral_cannot_be_asked_for(
    coordinator_a, coordinator_b, case_a, org_b
):
    transfer = _refer(coordinator_a, case_a, org_b, kind="transfer")
    with pytest.raises(ValidationError, match="transfer already"):
        services.transfer_request_create(actor=coordinator_b, referral=transfer)
    services.referral_revoke(actor=coordinator_a, referral=transfer)
    referral = _refer(coordinator_a, case_a, org_b)
    services.referral_revoke(actor=coordinator_a, referral=referral)
    with pytest.raises(ValidationError, match="revoked"):
        services.transfer_request_create(actor=coordinator_b, referral=referral)
    assert not TransferRequest.objects.exists()


def test_transfer_requests_through_the_api(coordinator_a, coordinator_b, case_a, org_b):
    referral = _refer(coordinator_a, case_a, org_b)
    base = f"/api/v1/referrals/{referral.uid}/transfer-request"
    asked = call(api_client(coordinator_b), "post", base, {"note": "She is with us"})
    assert asked.status_code == 201, asked.json()
    assert asked.json()["status"] == "pending" and asked.json()["transfer"] is None
    extra = call(api_client(coordinator_a), "post", base + "/reject", {"note": "", "x": 1})
    assert extra.status_code == 422
    body = {
        "profile": "essentials", "consent_given_by": "Herself", "consent_method": "message",
        "consent_at": (timezone.now() - datetime.timedelta(hours=1)).isoformat(),
    }  # fmt: skip
    refused = call(api_client(coordinator_b), "post", base + "/accept", body)
    assert refused.status_code == 422
    accepted = call(api_client(coordinator_a), "post", base + "/accept", body)
    assert accepted.status_code == 200, accepted.json()
    transfer = Referral.objects.get(uid=accepted.json()["transfer"])
    assert transfer.kind == ReferralKind.TRANSFER and transfer.receiver == org_b


def test_another_organisation_gets_404(login, coordinator_a, coordinator_b, case_a, org_b):
    referral = _refer(coordinator_a, case_a, org_b)
    services.transfer_request_create(actor=coordinator_b, referral=referral)
    org_c = Organisation.objects.create(name="Third", slug="third", case_prefix="TH")
    third = MembershipFactory(organisation=org_c, role="coordinator")
    base = f"/api/v1/referrals/{referral.uid}/transfer-request"
    for suffix in ("", "/reject"):
        response = call(api_client(third), "post", base + suffix, {"note": ""})
        assert response.status_code == 404 and response.json() == NOT_FOUND
    client = login(third)
    for name in ("transfer_request_create", "transfer_request_reject", "transfer_request_accept"):
        assert client.post(reverse(f"sharing:{name}", args=[referral.uid]), {}).status_code == 404
    assert TransferRequest.objects.get().status == TransferRequestStatus.PENDING


def test_a_request_note_is_shown_escaped(login, coordinator_a, coordinator_b, case_a, org_b):
    referral = _refer(coordinator_a, case_a, org_b)
    note = '<script>alert("x")</script>'
    services.transfer_request_create(actor=coordinator_b, referral=referral, note=note)
    page = login(coordinator_a).get(referral.get_absolute_url()).content.decode()
    assert note not in page and "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
