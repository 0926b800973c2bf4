"""The lure library: adding offers, the identifiers linked across offers, cases and persons,
campaigns, scoping, audit and erasure. Every offer here was written for the tests."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from lifeline.audit.models import AuditEvent
from lifeline.core.errors import NotPermitted
from lifeline.people.services import person_add_contact
from lifeline.privacy.services import person_erase
from lifeline.screening import selectors, services
from lifeline.screening.extract import extract
from lifeline.screening.models import Campaign, Lure, RecruiterIdentifier
from tests.api import api_client, assert_audit_free_of, call
from tests.factories import make_case
from tests.screening.lures import LURE_EN

TODAY = datetime.date(2026, 11, 1)
WALLET = "TQ4bq4P5Yx1m6dYJbD3n2sxM7vWqTzrNrs"
OFFER = (
    "Golden Star Co., Ltd. hiring typists in Bavet, $2,000 a month. Telegram @bavet_jobs_hr, "
    f"WhatsApp +855 12 345 678. Deposit to USDT {WALLET} for the visa."
)


def _add(actor, text=OFFER, **kwargs):
    defaults = {"source": "case", "platform": "telegram", "seen_on": TODAY}
    return services.lure_add(actor=actor, text=text, **{**defaults, **kwargs})


def test_it_extracts_handles_phones_companies_and_payment_details():
    found = {(f.kind, f.value) for f in extract(OFFER)}
    assert ("telegram", "bavet_jobs_hr") in found
    assert ("phone", "+85512345678") in found
    assert ("company", "golden star") in found
    assert ("payment", WALLET) in found
    assert ("company", "金星国际有限公司") in {
        (f.kind, f.value) for f in extract("金星国际有限公司招聘")
    }


def test_it_links_a_handle_to_every_case_it_recruited(coordinator_a):
    cases = [make_case(coordinator_a) for _ in range(3)]
    for case in cases:
        lure = _add(coordinator_a, case=case)
    uses = {u.identifier.kind: u for u in selectors.identifiers_of_lure(lure=lure)}
    assert uses["telegram"].cases == 3 and uses["telegram"].lures == 3
    assert RecruiterIdentifier.objects.filter(kind="telegram").count() == 1
    assert str(uses["telegram"].identifier.value) == "bavet_jobs_hr"


def test_it_meets_persons_with_the_same_contact(coordinator_a, case_a):
    person_add_contact(
        actor=coordinator_a,
        person=case_a.person,
        kind="telegram",
        value="@Bavet_Jobs_HR",
    )
    lure = _add(coordinator_a)
    uses = {u.identifier.kind: u for u in selectors.identifiers_of_lure(lure=lure)}
    assert uses["telegram"].persons == 1


def test_it_groups_a_template_with_another_salary_or_city_into_one_campaign(coordinator_a):
    first = _add(coordinator_a, text=LURE_EN, seen_on=datetime.date(2026, 9, 1))
    second = _add(
        coordinator_a, text=LURE_EN.replace("$2,500", "$3,000").replace("Sihanoukville", "Poipet")
    )
    other = _add(
        coordinator_a,
        text="Nurse wanted for the district hospital, licence required, apply in person.",
    )
    first.refresh_from_db()
    assert first.campaign_id == second.campaign_id is not None
    assert other.campaign_id is None
    assert list(selectors.campaign_timeline(lure=second)) == [first, second]
    assert Campaign.objects.count() == 1


def test_it_refuses_bad_input_and_writes_nothing(coordinator_a):
    before = (Lure.objects.count(), AuditEvent.objects.count())
    with pytest.raises(ValidationError) as exc:
        _add(
            coordinator_a,
            text="",
            source="nowhere",
            seen_on=datetime.date(2999, 1, 1),
            country="KHM",
        )
    assert set(exc.value.message_dict) == {"text", "source", "seen_on", "country"}
    assert (Lure.objects.count(), AuditEvent.objects.count()) == before


def test_it_is_for_coordinators_only(caseworker_a, analyst_a):
    for member in (caseworker_a, analyst_a):
        with pytest.raises(NotPermitted):
            _add(member)
        assert not selectors.lure_list(actor=member).exists()


def test_it_audits_the_add_without_the_text(coordinator_a):
    lure = _add(coordinator_a)
    event = AuditEvent.objects.filter(action="screening.lure.added").get()
    assert event.payload["identifiers"] == 4 and event.payload["level"] == lure.level
    assert_audit_free_of("bavet_jobs_hr", "85512345678", "Golden Star", WALLET)


def test_it_blanks_the_offers_of_an_erased_case(coordinator_a, case_a):
    lure = _add(coordinator_a, case=case_a)
    person_erase(
        actor=coordinator_a, person=case_a.person, reason="survivor_wish", confirmation="ERASE"
    )
    lure.refresh_from_db()
    assert lure.erased_at is not None and str(lure.text) == "" and lure.case is None
    assert not selectors.lure_list(actor=coordinator_a).exists()


# Pages ----------------------------------------------------------------------------------------


def test_it_adds_an_offer_from_the_page(login, coordinator_a, case_a):
    client = login(coordinator_a)
    response = client.post(
        "/screening/library/",
        {
            "text": OFFER,
            "source": "case",
            "platform": "telegram",
            "seen_on": "2026-10-01",
            "seen_where": "Job group",
            "country": "kh",
            "case": str(case_a.uid),
        },
    )
    lure = Lure.objects.get()
    assert response.status_code == 302 and response["Location"] == lure.get_absolute_url()
    assert lure.case == case_a and lure.country == "KH"
    page = client.get(lure.get_absolute_url()).content.decode()
    assert "bavet_jobs_hr" in page and "+85512345678" in page
    assert AuditEvent.objects.filter(action="screening.lure.viewed").exists()


def test_it_shows_errors_on_the_page_and_stores_nothing(login, coordinator_a):
    response = login(coordinator_a).post(
        "/screening/library/",
        {"text": "💰💰", "source": "case", "platform": "telegram", "seen_on": "2026-10-01"},
    )
    assert response.status_code == 200 and "no words" in response.content.decode()
    assert not Lure.objects.exists()


def test_it_prefills_the_form_from_the_screening_page(login, coordinator_a):
    response = login(coordinator_a).post("/screening/library/", {"text": OFFER, "prefill": "1"})
    assert response.status_code == 200 and "bavet_jobs_hr" in response.content.decode()
    assert not Lure.objects.exists()


def test_it_hides_another_organisations_offer(login, coordinator_a, coordinator_b):
    lure = _add(coordinator_a)
    assert login(coordinator_b).get(lure.get_absolute_url()).status_code == 404
    assert (
        call(api_client(coordinator_b), "get", f"/api/v1/screening/lures/{lure.uid}").status_code
        == 404
    )


def test_it_refuses_the_library_to_caseworkers(login, caseworker_a):
    assert login(caseworker_a).get("/screening/library/").status_code == 403


# API ------------------------------------------------------------------------------------------


def test_it_adds_and_reads_offers_through_the_api(coordinator_a, case_a):
    client = api_client(coordinator_a)
    body = {
        "text": OFFER,
        "source": "partner",
        "platform": "facebook",
        "seen_on": "2026-10-02",
        "case": str(case_a.uid),
    }
    response = call(client, "post", "/api/v1/screening/lures", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert {i["kind"] for i in created["identifiers"]} >= {
        "telegram",
        "phone",
        "company",
        "payment",
    }
    assert created["case"] == str(case_a.uid)
    listing = call(client, "get", "/api/v1/screening/lures").json()
    assert listing["count"] == 1 and listing["items"][0]["uid"] == created["uid"]
    detail = call(client, "get", f"/api/v1/screening/lures/{created['uid']}").json()
    assert detail["text"] == OFFER


def test_it_refuses_bad_offers_through_the_api(coordinator_a):
    body = {"text": "", "source": "case", "platform": "telegram", "seen_on": "2026-10-02"}
    response = call(api_client(coordinator_a), "post", "/api/v1/screening/lures", body)
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "text"]
    assert not Lure.objects.exists()
