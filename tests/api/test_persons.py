"""GET /persons (search) and GET /persons/{uid}."""

import uuid

import pytest

from lifeline.people.services import person_add_identifier
from tests.api import (
    NOT_FOUND,
    api_client,
    assert_audit_free_of,
    call,
    last_event,
    query_count,
    snapshot,
)
from tests.factories import make_case, make_person


def _uids(response):
    assert response.status_code == 200, response.content
    return [item["uid"] for item in response.json()["items"]]


def test_it_finds_a_chinese_name_by_its_pinyin(coordinator_a):
    zhang = make_person(coordinator_a, "张伟")
    make_person(coordinator_a, "Somchai Jaidee")
    assert _uids(api_client(coordinator_a).get("/api/v1/persons", {"name": "Zhang Wei"})) == [
        str(zhang.uid)
    ]


def test_it_finds_a_phone_typed_with_the_international_prefix(coordinator_a):
    known = make_person(coordinator_a, "张伟", phone="+855 12 345 678")
    make_person(coordinator_a, "Somchai Jaidee", phone="+66 81 234 5678")
    assert _uids(api_client(coordinator_a).get("/api/v1/persons", {"phone": "0085512345678"})) == [
        str(known.uid)
    ]


def test_it_combines_name_and_phone(coordinator_a):
    make_person(coordinator_a, "张伟", phone="+855 12 345 678")
    client = api_client(coordinator_a)
    assert (
        _uids(client.get("/api/v1/persons", {"name": "Zhang Wei", "phone": "+66 81 234 5678"}))
        == []
    )


def test_it_shows_search_results_with_their_names(coordinator_a):
    make_person(coordinator_a, "张伟", "Zhang Wei", citizenship="CN")
    item = api_client(coordinator_a).get("/api/v1/persons", {"name": "张伟"}).json()["items"][0]
    assert [name["value"] for name in item["names"]] == ["张伟", "Zhang Wei"]
    assert item["citizenship"] == "CN"
    assert "contacts" not in item


def test_it_searches_only_the_own_organisation(coordinator_a, coordinator_b):
    make_person(coordinator_a, "张伟", phone="+855 12 345 678")
    client = api_client(coordinator_b)
    assert _uids(client.get("/api/v1/persons", {"name": "Zhang Wei"})) == []
    assert _uids(client.get("/api/v1/persons", {"phone": "0085512345678"})) == []


def test_it_searches_a_caseworker_only_the_persons_of_their_cases(
    coordinator_a, caseworker_a, other_caseworker_a, case_a
):
    make_person(coordinator_a, "张伟")  # the same name, on no case of theirs
    assert _uids(api_client(caseworker_a).get("/api/v1/persons", {"name": "Zhang Wei"})) == [
        str(case_a.person.uid)
    ]
    assert _uids(api_client(other_caseworker_a).get("/api/v1/persons", {"name": "Zhang Wei"})) == []


@pytest.mark.parametrize("persona", ["analyst_a", "admin_a"])
def test_it_refuses_the_search_to_members_without_access_to_persons(request, persona, case_a):
    response = api_client(request.getfixturevalue(persona)).get(
        "/api/v1/persons", {"name": "Zhang Wei"}
    )
    assert response.status_code == 403
    assert "张伟" not in response.content.decode()


def test_it_audits_searches_without_the_terms(coordinator_a):
    make_person(coordinator_a, "张伟", phone="+855 12 345 678")
    api_client(coordinator_a).get(
        "/api/v1/persons", {"name": "Zhang Wei", "phone": "0085512345678"}
    )
    event = last_event("people.person.searched")
    assert event.payload == {"filters": ["name", "phone"], "count": 1}
    assert_audit_free_of("Zhang", "张伟", "0085512345678", "85512345678")


def test_it_paginates_the_search_in_a_constant_number_of_queries(coordinator_a):
    make_person(coordinator_a, "张伟")
    client = api_client(coordinator_a)
    one = query_count(client, "/api/v1/persons")
    for name in ("Somchai", "Siti", "Nguyen Van An"):
        make_person(coordinator_a, name, "Alias")
    assert query_count(client, "/api/v1/persons") == one
    page = client.get("/api/v1/persons?page_size=3&page=2").json()
    assert (page["count"], len(page["items"])) == (4, 1)
    assert client.get("/api/v1/persons?page_size=500").status_code == 422
    assert client.get("/api/v1/persons", {"name": "x" * 201}).status_code == 422


# One person ------------------------------------------------------------------------------------


def test_it_shows_a_person_with_contacts_documents_and_visible_cases(
    coordinator_a, caseworker_a, case_a
):
    person = case_a.person
    person_add_identifier(
        actor=coordinator_a, person=person, kind="passport", value="E 1234 5678", country="CN"
    )
    # A second case of the same person, not assigned to the caseworker.
    make_case(coordinator_a, subject_name="张伟", subject_contact="+855 12 345 678")
    response = api_client(caseworker_a).get(f"/api/v1/persons/{person.uid}")
    assert response.status_code == 200
    body = response.json()
    assert body["names"][0]["value"] == "张伟"
    assert body["contacts"] == [{"kind": "phone", "value": "+85512345678", "is_safe": False}]
    assert body["identifiers"] == [{"kind": "passport", "country": "CN", "value": "E12345678"}]
    assert [case["uid"] for case in body["cases"]] == [str(case_a.uid)]


def test_it_audits_every_view_of_a_person(caseworker_a, case_a):
    api_client(caseworker_a).get(f"/api/v1/persons/{case_a.person.uid}")
    event = last_event("people.person.viewed")
    assert (event.object_type, event.object_id, event.actor) == (
        "people.person",
        str(case_a.person.pk),
        caseworker_a.user,
    )
    assert_audit_free_of("张伟", "85512345678")


@pytest.mark.parametrize("persona", ["coordinator_b", "other_caseworker_a", "analyst_a", "admin_a"])
def test_it_hides_a_person_from_those_who_may_not_see_them(request, persona, case_a):
    client = api_client(request.getfixturevalue(persona))
    before = snapshot()
    response = client.get(f"/api/v1/persons/{case_a.person.uid}")
    missing = client.get(f"/api/v1/persons/{uuid.uuid4()}")
    assert response.status_code == missing.status_code == 404
    assert response.content == missing.content
    assert response.json() == NOT_FOUND
    assert snapshot() == before


def test_it_offers_no_way_to_write_persons(coordinator_a, case_a):
    response = call(
        api_client(coordinator_a), "patch", f"/api/v1/persons/{case_a.person.uid}", {"notes": "x"}
    )
    assert response.status_code == 405
