"""The site registry endpoints: /sites, /sites/{uid}, status claims and operators."""

import pytest

from lifeline.sites import services
from lifeline.sites.models import Site, StatusClaim
from tests.api import NOT_FOUND, api_client, call, last_event
from tests.factories import claim, make_site

NEW_SITE = {
    "name": "KK Park",
    "aliases": ["KK园区"],
    "kind": "compound",
    "country": "MM",
    "town": "Myawaddy",
    "latitude": 16.7473,
    "longitude": 98.5266,
    "indicators": ["razor_wire", "armed_guards"],
}
ACTIVE = {"status": "active", "claimed_on": "2026-01-10", "source": "Partner report", "reliability": "B", "credibility": 2}  # fmt: skip


def test_it_creates_and_reads_a_site(analyst_a):
    client = api_client(analyst_a)
    created = call(client, "post", "/api/v1/sites", NEW_SITE)
    assert created.status_code == 201, created.json()
    uid = created.json()["uid"]
    body = client.get(f"/api/v1/sites/{uid}").json()
    assert body["name"] == "KK Park" and body["aliases"] == ["KK园区"]
    assert body["country"] == "MM" and body["status"] == "" and body["history"] == []
    assert last_event("sites.site.viewed").object_id == str(Site.objects.get().pk)


@pytest.mark.parametrize(
    "change,field",
    [
        ({"latitude": 98.5266, "longitude": 16.7473}, "latitude"),
        ({"latitude": 200.0, "longitude": 98.0}, "latitude"),
        (
            {
                "outline": {
                    "type": "Polygon",
                    "coordinates": [
                        [[98.50, 16.69], [98.51, 16.70], [98.51, 16.69], [98.50, 16.70]]
                    ],
                }
            },
            "outline",
        ),  # fmt: skip
        ({"country": "ZZ"}, "country"),
    ],
)
def test_it_refuses_bad_places_with_the_field_named(coordinator_a, change, field):
    response = call(api_client(coordinator_a), "post", "/api/v1/sites", {**NEW_SITE, **change})
    assert response.status_code == 422
    assert [e["loc"] for e in response.json()["detail"]] == [["body", field]]
    assert not Site.objects.exists()


def test_it_refuses_unknown_indicators_and_forged_fields(coordinator_a):
    client = api_client(coordinator_a)
    assert call(client, "post", "/api/v1/sites", {**NEW_SITE, "indicators": ["moat"]}).status_code == 422  # fmt: skip
    assert call(client, "post", "/api/v1/sites", {**NEW_SITE, "organisation": 2}).status_code == 422  # fmt: skip


def test_it_lists_and_filters_sites(coordinator_a, coordinator_b):
    site = make_site(coordinator_a)
    claim(coordinator_a, site, "active")
    make_site(coordinator_a, name="Kings Romans", aliases=["金木棉"], country="LA", latitude=20.35, longitude=100.08)  # fmt: skip
    make_site(coordinator_b, name="Theirs")
    client = api_client(coordinator_a)
    assert client.get("/api/v1/sites").json()["count"] == 2
    active = client.get("/api/v1/sites?status=active").json()
    assert [i["name"] for i in active["items"]] == ["Golden Gate Park"]
    assert active["items"][0]["status_grade"] == "B2"
    assert [i["name"] for i in client.get("/api/v1/sites?q=jin mumian").json()["items"]] == ["Kings Romans"]  # fmt: skip
    assert client.get("/api/v1/sites?indicator=moat").status_code == 422


def test_it_patches_a_site_with_its_version(coordinator_a):
    site = make_site(coordinator_a)
    client = api_client(coordinator_a)
    response = call(client, "patch", f"/api/v1/sites/{site.uid}", {"version": 1, "town": "Shwe Kokko"})  # fmt: skip
    assert response.status_code == 200 and response.json()["version"] == 2
    stale = call(client, "patch", f"/api/v1/sites/{site.uid}", {"version": 1, "town": "X"})
    assert stale.status_code == 409 and stale.json()["current_version"] == 2
    assert call(client, "patch", f"/api/v1/sites/{site.uid}", {"version": 2}).status_code == 422


def test_it_records_status_claims_and_refuses_bad_moves(coordinator_a):
    site, other = make_site(coordinator_a), make_site(coordinator_a, name="KK Park", aliases=[])
    client = api_client(coordinator_a)
    url = f"/api/v1/sites/{site.uid}/status-claims"
    assert call(client, "post", url, ACTIVE).status_code == 201
    closed = {**ACTIVE, "status": "closed", "claimed_on": "2026-02-01"}
    assert call(client, "post", url, closed).status_code == 201
    raided = call(client, "post", url, {**ACTIVE, "status": "raided", "claimed_on": "2026-03-01"})
    assert raided.status_code == 422 and raided.json()["detail"][0]["loc"] == ["body", "status"]
    ungraded = {**ACTIVE, "status": "reopened", "claimed_on": "2026-03-01", "reliability": None}
    assert call(client, "post", url, ungraded).json()["detail"][0]["loc"] == ["body", "reliability"]
    to_itself = {**ACTIVE, "status": "relocated", "claimed_on": "2026-03-01", "relocated_to": str(site.uid)}  # fmt: skip
    reopened = {**ACTIVE, "status": "reopened", "claimed_on": "2026-03-01"}
    assert call(client, "post", url, reopened).status_code == 201
    assert call(client, "post", url, to_itself).json()["detail"][0]["loc"] == ["body", "relocated_to"]  # fmt: skip
    moved = call(client, "post", url, {**to_itself, "relocated_to": str(other.uid)})
    assert moved.status_code == 201 and moved.json()["relocated_to"] == str(other.uid)
    history = client.get(url).json()
    assert [c["status"] for c in history["items"]] == ["relocated", "reopened", "closed", "active"]
    assert StatusClaim.objects.count() == 4


def test_it_refuses_a_relocation_to_a_site_the_actor_cannot_see(coordinator_a, coordinator_b):
    site, theirs = make_site(coordinator_a), make_site(coordinator_b)
    body = {**ACTIVE, "status": "relocated", "relocated_to": str(theirs.uid)}
    response = call(api_client(coordinator_a), "post", f"/api/v1/sites/{site.uid}/status-claims", body)  # fmt: skip
    assert response.status_code == 422


def test_it_shows_person_operators_only_to_those_who_may_see_persons(coordinator_a, analyst_a):
    site = make_site(coordinator_a)
    person = call(
        api_client(coordinator_a),
        "post",
        f"/api/v1/sites/{site.uid}/operators",
        {"kind": "person", "role": "manager", "person_name": "Boss Wang", "source": "Account", "reliability": "C", "credibility": 3},
    )  # fmt: skip
    assert person.status_code == 201
    seen = api_client(coordinator_a).get(f"/api/v1/sites/{site.uid}").json()
    assert [op["person_name"] for op in seen["operators"]] == ["Boss Wang"]
    hidden = api_client(analyst_a).get(f"/api/v1/sites/{site.uid}").json()
    assert hidden["operators"] == [] and hidden["hidden_person_operators"] == 1
    assert "Boss Wang" not in str(hidden)
    gone = api_client(analyst_a).delete(f"/api/v1/sites/{site.uid}/operators/{person.json()['uid']}")  # fmt: skip
    assert gone.status_code == 404


def test_it_answers_404_for_another_organisations_site(coordinator_a, coordinator_b):
    site = make_site(coordinator_a)
    client = api_client(coordinator_b)
    assert client.get(f"/api/v1/sites/{site.uid}").json() == NOT_FOUND
    assert call(client, "patch", f"/api/v1/sites/{site.uid}", {"version": 1, "town": "X"}).status_code == 404  # fmt: skip
    assert call(client, "post", f"/api/v1/sites/{site.uid}/status-claims", ACTIVE).status_code == 404  # fmt: skip


def test_it_removes_an_operator(coordinator_a):
    site = make_site(coordinator_a)
    op = services.operator_add(
        actor=coordinator_a, site=site, kind="company", role="owner", company_name="Yatai",
        source="Registry", reliability="A", credibility=1,
    )  # fmt: skip
    response = api_client(coordinator_a).delete(f"/api/v1/sites/{site.uid}/operators/{op.uid}")
    assert response.status_code == 204 and not site.operators.exists()
