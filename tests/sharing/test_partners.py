import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.urls import reverse

from lifeline.audit.models import AuditEvent
from lifeline.sharing import services
from lifeline.sharing.models import Partner


def test_it_keeps_partner_contacts_encrypted(coordinator_a):
    partner = services.partner_create(
        actor=coordinator_a, name="Consular desk", kind="embassy", contact_name="Ms Tran",
        contact_details="+84 90 123 4567",
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT contact_name, contact_details FROM sharing_partner WHERE id = %s", [partner.pk]
        )
        raw = " ".join(cursor.fetchone())
    assert "Tran" not in raw and "4567" not in raw
    assert Partner.objects.get(pk=partner.pk).contact_details == "+84 90 123 4567"


def test_it_refuses_a_partner_without_a_name(coordinator_a):
    with pytest.raises(ValidationError) as caught:
        services.partner_create(actor=coordinator_a, name="  ", kind="embassy")
    assert "name" in caught.value.message_dict
    assert not Partner.objects.exists()


def test_it_adds_and_edits_a_partner_from_the_pages(login, coordinator_a):
    client = login(coordinator_a)
    response = client.post(
        reverse("sharing:partner_create"),
        {
            "name": "Harbour shelter",
            "kind": "shelter",
            "country": "TH",
            "contact_name": "Nok",
            "contact_details": "LINE @nok",
        },
    )
    partner = Partner.objects.get()
    assert response.status_code == 302 and response["Location"] == partner.get_absolute_url()
    page = client.get(partner.get_absolute_url())
    assert b"LINE @nok" in page.content
    assert AuditEvent.objects.filter(
        action="sharing.partner.viewed", object_id=str(partner.pk)
    ).exists()
    client.post(
        partner.get_absolute_url(),
        {"name": "Harbour shelter", "kind": "shelter", "contact_name": "Nok"},
    )
    partner.refresh_from_db()
    assert not partner.is_active and partner.contact_details == ""
    assert b"Harbour shelter" in client.get(reverse("sharing:partner_list")).content


def test_it_hides_partners_from_another_organisation(login, coordinator_b, partners):
    client = login(coordinator_b)
    assert client.get(partners[0].get_absolute_url()).status_code == 404
    assert b"Consular desk" not in client.get(reverse("sharing:partner_list")).content


def test_it_refuses_partners_to_caseworkers(login, caseworker_a, partners):
    assert login(caseworker_a).get(reverse("sharing:partner_list")).status_code == 403
