import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from lifeline.audit.models import AuditEvent
from lifeline.cases.models import Case, CaseAssignment
from lifeline.sharing import services
from lifeline.sharing.models import Referral, ReferralStatus

CONSENT = {
    "consent_given_by": "The person herself",
    "consent_method": "phone",
}


def _refer(actor, case, receiver, *, kind="refer", profile="essentials", **extra):
    values = {"consent_at": timezone.now() - datetime.timedelta(hours=1), **CONSENT, **extra}
    return services.referral_create(
        actor=actor, case=case, receiver=receiver, kind=kind, profile=profile, **values
    )


def test_it_sends_only_what_the_profile_allows(coordinator_a, case_a, org_b):
    referral = _refer(coordinator_a, case_a, org_b, profile="essentials")
    snapshot = json.loads(referral.snapshot)
    assert snapshot["names"] == ["张伟"]
    assert "contacts" not in snapshot and "last_known_location" not in snapshot
    assert "summary" not in snapshot
    full = json.loads(_refer(coordinator_a, case_a, org_b, profile="full").snapshot)
    assert full["contacts"] == [["phone", "+85512345678"]]
    assert "Sihanoukville" in full["last_known_location"]


def test_it_needs_consent_first(coordinator_a, case_a, org_b):
    with pytest.raises(ValidationError) as caught:
        _refer(coordinator_a, case_a, org_b, consent_given_by="", consent_at=None)
    assert {"consent_given_by", "consent_at"} <= set(caught.value.message_dict)
    assert not Referral.objects.exists()
    assert AuditEvent.objects.filter(action="sharing.referral.refused").exists()


def test_it_refuses_consent_in_the_future(coordinator_a, case_a, org_b):
    with pytest.raises(ValidationError):
        _refer(coordinator_a, case_a, org_b, consent_at=timezone.now() + datetime.timedelta(days=1))


def test_the_receiver_sees_the_snapshot_and_accepts(
    login, coordinator_a, coordinator_b, case_a, org_b
):
    referral = _refer(coordinator_a, case_a, org_b, profile="location")
    client = login(coordinator_b)
    listing = client.get(reverse("sharing:referral_list")).content.decode()
    assert "Mekong Rescue" in listing
    page = client.get(referral.get_absolute_url()).content.decode()
    assert "张伟" in page and "Sihanoukville" in page
    assert "+855 12 345 678" not in page and case_a.reference not in page
    response = client.post(
        reverse("sharing:referral_accept", args=[referral.uid]), {"note": "We take it"}
    )
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    received = Case.objects.get(pk=referral.received_case_id)
    assert (
        received.organisation_id == org_b.pk and response["Location"] == received.get_absolute_url()
    )
    assert received.person.names.get().value == "张伟"
    assert not received.person.contacts.exists()
    # A referral: the sender keeps working its case.
    case_a.refresh_from_db()
    assert case_a.status != "closed"
    assert AuditEvent.objects.filter(
        action="sharing.referral.accepted", organisation=org_b
    ).exists()


def test_a_transfer_closes_the_senders_case(coordinator_a, coordinator_b, case_a, org_b):
    referral = _refer(coordinator_a, case_a, org_b, kind="transfer", profile="full")
    services.referral_accept(actor=coordinator_b, referral=referral)
    case_a.refresh_from_db()
    assert case_a.status == "closed"
    assert not CaseAssignment.objects.filter(case=case_a).exists()
    assert case_a.timeline.filter(body__isnull=False, kind="status").exists()
    received = Case.objects.get(pk=Referral.objects.get().received_case_id)
    assert received.person.contacts.get().value == "+85512345678"


def test_it_refuses_a_second_pending_transfer(coordinator_a, case_a, org_b):
    _refer(coordinator_a, case_a, org_b, kind="transfer")
    with pytest.raises(ValidationError):
        _refer(coordinator_a, case_a, org_b, kind="transfer")
    assert Referral.objects.count() == 1


def test_it_refuses_to_revoke_twice_and_audits_it(coordinator_a, case_a, org_b):
    referral = _refer(coordinator_a, case_a, org_b)
    services.referral_revoke(actor=coordinator_a, referral=referral)
    referral.refresh_from_db()
    assert referral.snapshot == ""
    with pytest.raises(ValidationError, match="revoked"):
        services.referral_revoke(actor=coordinator_a, referral=referral)
    refusal = AuditEvent.objects.get(action="sharing.referral.refused")
    assert refusal.payload == {"reason": "revoked"}


def test_it_refuses_to_accept_an_expired_referral(coordinator_a, coordinator_b, case_a, org_b):
    referral = _refer(coordinator_a, case_a, org_b)
    Referral.objects.filter(pk=referral.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )
    referral.refresh_from_db()
    with pytest.raises(ValidationError, match="expired"):
        services.referral_accept(actor=coordinator_b, referral=referral)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.PENDING and referral.received_case_id is None
    assert AuditEvent.objects.filter(action="sharing.referral.refused", organisation=org_b).exists()


def test_the_sender_cannot_accept_its_own(coordinator_a, case_a, org_b):
    referral = _refer(coordinator_a, case_a, org_b)
    with pytest.raises(ValidationError):
        services.referral_accept(actor=coordinator_a, referral=referral)


def test_a_third_organisation_sees_nothing(login, coordinator_a, case_a, org_b):
    from tests.factories import MembershipFactory, OrganisationFactory

    third = MembershipFactory(organisation=OrganisationFactory(slug="third", name="Third"))
    referral = _refer(coordinator_a, case_a, org_b)
    client = login(third)
    assert client.get(referral.get_absolute_url()).status_code == 404
    assert client.post(reverse("sharing:referral_accept", args=[referral.uid])).status_code == 404


def test_it_refers_from_the_case_page(login, coordinator_a, coordinator_b, case_a):
    client = login(coordinator_a)
    assert client.get(reverse("sharing:referral_create", args=[case_a.uid])).status_code == 200
    response = client.post(
        reverse("sharing:referral_create", args=[case_a.uid]),
        {"receiver": coordinator_b.organisation_id, "kind": "refer", "profile": "essentials",
         "consent_given_by": "Herself", "consent_at": "2026-01-05T10:00", "consent_method": "in_person",
         "answer_within_days": "14"},
    )  # fmt: skip
    referral = Referral.objects.get()
    assert response["Location"] == referral.get_absolute_url()
    # Both sides see the history.
    assert b"Herself" in client.get(referral.get_absolute_url()).content
    assert b"Herself" in login(coordinator_b).get(referral.get_absolute_url()).content


def test_a_case_the_user_cannot_see_cannot_be_referred(login, coordinator_b, case_a):
    assert (
        login(coordinator_b).get(reverse("sharing:referral_create", args=[case_a.uid])).status_code
        == 404
    )
