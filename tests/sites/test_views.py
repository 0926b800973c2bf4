import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lifeline.audit.models import AuditEvent
from lifeline.sites import services
from lifeline.sites.models import Site, StatusClaim
from tests.factories import claim, make_site


def _person_operator(actor, site):
    return services.operator_add(
        actor=actor, site=site, kind="person", role="manager", person_name="Boss Wang",
        source="Rescued person's account", reliability="C", credibility=3,
    )  # fmt: skip


def test_it_lists_sites_with_status_and_grade(login, analyst_a):
    site = make_site(analyst_a)
    claim(analyst_a, site, "active", reliability="B", credibility=2)
    body = login(analyst_a).get(reverse("sites:list")).content.decode()
    assert "Golden Gate Park" in body and "金门园区" in body and "B2" in body


def test_it_lists_sites_in_a_constant_number_of_queries(login, coordinator_a):
    client = login(coordinator_a)
    make_site(coordinator_a)
    client.get(reverse("sites:list"))
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("sites:list"))
    for n in range(8):
        claim(coordinator_a, make_site(coordinator_a, name=f"Site {n}"), "suspected")
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("sites:list"))
    assert len(many) == len(few)


def test_it_filters_the_list(login, coordinator_a):
    make_site(coordinator_a, name="KK Park", aliases=[], indicators=["armed_guards"])
    make_site(coordinator_a)
    body = login(coordinator_a).get(reverse("sites:list"), {"indicator": "armed_guards"}).content
    assert b"KK Park" in body and b"Golden Gate" not in body
    bad = login(coordinator_a).get(reverse("sites:list"), {"status": "exploded"})
    assert bad.status_code == 200 and b"Golden Gate" not in bad.content


def test_it_adds_a_site_from_the_form(login, caseworker_a):
    response = login(caseworker_a).post(
        reverse("sites:create"),
        {
            "name": "Shwe Kokko",
            "aliases": "亚太新城\nYatai New City",
            "kind": "sez",
            "country": "MM",
            "town": "Shwe Kokko",
            "latitude": "16.8336",
            "longitude": "98.5185",
            "indicators": ["razor_wire", "cctv"],
        },
    )
    site = Site.objects.get()
    assert response.status_code == 302 and response["Location"] == site.get_absolute_url()
    assert site.aliases == ["亚太新城", "Yatai New City"]


def test_it_says_when_coordinates_look_swapped_and_keeps_the_input(login, coordinator_a):
    response = login(coordinator_a).post(
        reverse("sites:create"),
        {"name": "KK Park", "kind": "compound", "country": "MM", "latitude": "98.5", "longitude": "16.7"},
    )  # fmt: skip
    assert response.status_code == 400
    assert "swapped" in response.content.decode() and 'value="KK Park"' in response.content.decode()
    assert not Site.objects.exists()


def test_it_refuses_a_self_intersecting_outline_from_the_form(login, coordinator_a):
    response = login(coordinator_a).post(
        reverse("sites:create"),
        {
            "name": "KK Park",
            "kind": "compound",
            "country": "MM",
            "outline": '{"type":"Polygon","coordinates":[[[98.50,16.69],[98.51,16.70],[98.51,16.69],[98.50,16.70],[98.50,16.69]]]}',
        },
    )
    assert response.status_code == 400 and "crosses itself" in response.content.decode()
    assert not Site.objects.exists()


def test_it_shows_what_is_known_how_sure_and_since_when(login, coordinator_a):
    site = make_site(coordinator_a)
    claim(coordinator_a, site, "active", "2026-01-10", reliability="B", credibility=2)
    _person_operator(coordinator_a, site)
    body = login(coordinator_a).get(site.get_absolute_url()).content.decode()
    assert "Since 2026-01-10, by a source graded B2." in body
    assert "Perimeter wall" in body and "Boss Wang" in body
    event = AuditEvent.objects.filter(action="sites.site.viewed").get()
    assert len(event.payload["operator_ids"]) == 1


def test_it_shows_analysts_the_site_but_not_its_person_operators(login, coordinator_a, analyst_a):
    site = make_site(coordinator_a)
    _person_operator(coordinator_a, site)
    body = login(analyst_a).get(site.get_absolute_url()).content.decode()
    assert "Golden Gate Park" in body and "Boss Wang" not in body
    assert "1 person operator" in body
    assert 'name="person_name"' not in body


def test_it_hides_another_organisations_site(login, coordinator_a, coordinator_b):
    site = make_site(coordinator_a)
    assert login(coordinator_b).get(site.get_absolute_url()).status_code == 404
    assert login(coordinator_b).get(reverse("sites:edit", args=[site.uid])).status_code == 404


@pytest.mark.parametrize("persona", ["admin_a"])
def test_it_keeps_the_registry_from_roles_without_it(login, request, persona, coordinator_a):
    site = make_site(coordinator_a)
    client = login(request.getfixturevalue(persona))
    assert client.get(reverse("sites:list")).status_code == 403
    assert client.get(site.get_absolute_url()).status_code == 403


def test_it_records_a_status_claim_from_the_site_page(login, coordinator_a):
    site = make_site(coordinator_a)
    client = login(coordinator_a)
    response = client.post(
        reverse("sites:claim", args=[site.uid]),
        {"status": "active", "claimed_on": "2026-01-05", "source": "Satellite image", "reliability": "B", "credibility": "2"},
    )  # fmt: skip
    assert response.status_code == 302
    refused = client.post(
        reverse("sites:claim", args=[site.uid]),
        {"status": "raided", "claimed_on": "2026-01-06", "source": "Rumour", "reliability": "", "credibility": ""},
    )  # fmt: skip
    assert refused.status_code == 400 and StatusClaim.objects.count() == 1


def test_it_offers_only_the_moves_the_history_allows(login, coordinator_a):
    site = make_site(coordinator_a)
    claim(coordinator_a, site, "closed")
    body = login(coordinator_a).get(site.get_absolute_url()).content.decode()
    assert '<option value="reopened"' in body and '<option value="raided"' not in body
    response = login(coordinator_a).post(
        reverse("sites:claim", args=[site.uid]),
        {"status": "raided", "claimed_on": "2026-02-01", "source": "Police", "reliability": "A", "credibility": "1"},
    )  # fmt: skip
    assert response.status_code == 400 and StatusClaim.objects.count() == 1


def test_it_edits_a_site_and_shows_a_conflict(login, coordinator_a, caseworker_a):
    site = make_site(coordinator_a)
    url = reverse("sites:edit", args=[site.uid])
    form = {"name": "Golden Gate Park", "kind": "compound", "country": "MM", "latitude": "16.692", "longitude": "98.5063", "version": "1", "town": "Myawaddy town"}  # fmt: skip
    assert login(caseworker_a).post(url, form).status_code == 302
    response = login(coordinator_a).post(url, {**form, "town": "Elsewhere"})
    assert response.status_code == 409
    site.refresh_from_db()
    assert site.town == "Myawaddy town"


def test_it_records_and_removes_operators(login, coordinator_a):
    site = make_site(coordinator_a)
    client = login(coordinator_a)
    response = client.post(
        reverse("sites:operator_add", args=[site.uid]),
        {"kind": "company", "role": "owner", "company_name": "Yatai", "company_country": "HK", "source": "Registry", "reliability": "A", "credibility": "1"},
    )  # fmt: skip
    assert response.status_code == 302
    operator = site.operators.get()
    response = client.post(reverse("sites:operator_remove", args=[site.uid, operator.uid]))
    assert response.status_code == 302 and not site.operators.exists()


def test_it_lets_analysts_record_companies_but_not_persons(login, analyst_a):
    site = make_site(analyst_a)
    response = login(analyst_a).post(
        reverse("sites:operator_add", args=[site.uid]),
        {"kind": "person", "role": "owner", "person_name": "Boss", "source": "Registry", "reliability": "A", "credibility": "1"},
    )  # fmt: skip
    assert response.status_code == 400 and not site.operators.exists()


def test_it_records_a_relocation_to_a_site_named_in_the_form(login, coordinator_a):
    site = make_site(coordinator_a)
    other = make_site(coordinator_a, name="KK Park", aliases=[])
    claim(coordinator_a, site, "active")
    url = reverse("sites:claim", args=[site.uid])
    form = {"status": "relocated", "claimed_on": "2026-02-01", "source": "Rescued person", "reliability": "B", "credibility": "2"}  # fmt: skip
    unknown = login(coordinator_a).post(url, {**form, "relocated_to": "Nowhere Park"})
    assert (
        unknown.status_code == 400
        and "No site of the registry has this name." in unknown.content.decode()
    )
    assert login(coordinator_a).post(url, {**form, "relocated_to": "kk park"}).status_code == 302
    assert StatusClaim.objects.get(status="relocated").relocated_to == other
