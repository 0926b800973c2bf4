"""Compound names suggested on the public SOS form: only the sites a coordinator chose, never
the rest of the registry; a chosen name leads triage to the site."""

import gzip

import pytest
from django.urls import reverse

from lifeline.audit.models import AuditEvent
from lifeline.sites.services import site_suggest_publicly
from tests.api import api_client, call
from tests.factories import make_site
from tests.intake.conftest import sos_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def registry(coordinator_a, coordinator_b):
    known = make_site(coordinator_a, name="KK Park", aliases=["ケーケーパーク", "KK園區"], latitude=16.7473, longitude=98.5266)  # fmt: skip
    secret = make_site(coordinator_a, name="Secret Hangar 9", aliases=["秘密机库"])
    theirs = make_site(coordinator_b, name="Their Park", aliases=[])
    site_suggest_publicly(actor=coordinator_b, site=theirs, suggest=True)
    return known, secret


def test_it_offers_no_list_when_no_site_is_chosen(public, registry):
    body = public.get("/help/").content.decode()
    assert "<datalist" not in body and 'list="compound-names"' not in body
    for name in ("KK Park", "Secret Hangar", "秘密机库", "Their Park"):
        assert name not in body


def test_it_offers_only_the_chosen_sites_names_and_aliases(public, coordinator_a, registry):
    known, _secret = registry
    site_suggest_publicly(actor=coordinator_a, site=known, suggest=True)
    body = public.get("/help/").content.decode()
    assert 'list="compound-names"' in body and '<datalist id="compound-names">' in body
    for name in ("KK Park", "ケーケーパーク", "KK園區"):
        assert f'<option value="{name}">' in body
    for name in ("Secret Hangar", "秘密机库", "Their Park"):  # unchosen, another organisation's
        assert name not in body
    assert len(gzip.compress(body.encode(), 9)) <= 15 * 1024
    site_suggest_publicly(actor=coordinator_a, site=known, suggest=False)
    assert "KK Park" not in public.get("/help/").content.decode()


def test_it_lets_only_coordinators_choose_and_audits_it(
    login, coordinator_a, analyst_a, caseworker_a, registry
):
    known, _secret = registry
    url = reverse("sites:public_suggestion", args=[known.uid])
    assert login(analyst_a).post(url, {"suggest_publicly": "on"}).status_code == 403
    assert login(caseworker_a).post(url, {"suggest_publicly": "on"}).status_code == 403
    page = login(coordinator_a).get(known.get_absolute_url()).content.decode()
    assert 'id="public-suggestion"' in page
    assert 'id="public-suggestion"' not in login(analyst_a).get(known.get_absolute_url()).content.decode()  # fmt: skip
    response = login(coordinator_a).post(url, {"suggest_publicly": "on"})
    assert response.status_code == 302
    known.refresh_from_db()
    assert known.suggest_publicly
    event = AuditEvent.objects.filter(
        action="sites.site.suggestion_set", object_id=str(known.pk)
    ).get()
    assert event.payload == {"suggest_publicly": True} and event.object_id == str(known.pk)
    login(coordinator_a).post(url, {})  # the box unticked
    known.refresh_from_db()
    assert not known.suggest_publicly


def test_it_sets_the_choice_through_the_api(coordinator_a, analyst_a, coordinator_b, registry):
    known, _secret = registry
    url = f"/api/v1/sites/{known.uid}/public-suggestion"
    response = call(api_client(coordinator_a), "put", url, {"suggest_publicly": True})
    assert response.status_code == 200 and response.json()["suggest_publicly"] is True
    assert call(api_client(analyst_a), "put", url, {"suggest_publicly": False}).status_code == 403
    assert call(api_client(coordinator_b), "put", url, {"suggest_publicly": False}).status_code == 404  # fmt: skip
    bad = call(api_client(coordinator_a), "put", url, {"suggest_publicly": True, "organisation": 2})
    assert bad.status_code == 422
    known.refresh_from_db()
    assert known.suggest_publicly


def test_it_leads_triage_to_the_site_a_sender_chose(public, login, coordinator_a, registry):
    known, _secret = registry
    site_suggest_publicly(actor=coordinator_a, site=known, suggest=True)
    public.post("/help/", sos_data(public, compound="KK園區", town="", country="MM"))
    page = login(coordinator_a).get(reverse("cases:request_list")).content.decode()
    assert known.get_absolute_url() in page
