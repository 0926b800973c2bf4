"""The triage queue: GET/POST /requests, GET /requests/{uid}, open-case and reject."""

import datetime
import uuid

import pytest
from django.utils import timezone

from lifeline.cases.models import Case, Request
from lifeline.cases.services import request_reject
from lifeline.cases.workflow import Urgency
from tests.api import (
    NOT_FOUND,
    actions,
    api_client,
    assert_audit_free_of,
    call,
    last_event,
    query_count,
    snapshot,
)
from tests.factories import make_person, make_request

NEW_REQUEST = {
    "channel": "wechat",
    "reporter_relation": "family",
    "subject_name": "李娜 / Li Na",
    "subject_contact_kind": "phone",
    "subject_contact": "+855 97 111 2222",
    "location_text": "KK Park",
    "text": "She is locked in and was beaten yesterday.",
    "danger_signs": ["locked_in", "beaten"],
}


def _request_calls(req):
    return {
        "detail": ("get", f"/api/v1/requests/{req.uid}", None),
        "open-case": (
            "post",
            f"/api/v1/requests/{req.uid}/open-case",
            {"person_uid": None, "extra_names": []},
        ),
        "reject": ("post", f"/api/v1/requests/{req.uid}/reject", {"reason": "spam"}),
    }


# The queue -------------------------------------------------------------------------------------


def test_it_lists_the_triage_queue_most_urgent_first(coordinator_a):
    normal = make_request(coordinator_a, danger_signs=[], subject_name="Somchai")
    critical = make_request(coordinator_a)
    response = api_client(coordinator_a).get("/api/v1/requests")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2 and body["page"] == 1 and body["page_size"] == 25
    assert [item["uid"] for item in body["items"]] == [str(critical.uid), str(normal.uid)]
    assert body["items"][0]["urgency"] == "critical"


def test_it_audits_the_queue_without_its_contents(coordinator_a):
    make_request(coordinator_a)
    api_client(coordinator_a).get("/api/v1/requests?status=new")
    event = last_event("cases.request.listed")
    assert event.payload == {"filters": ["status"], "count": 1}
    assert event.actor == coordinator_a.user and event.organisation == coordinator_a.organisation
    assert_audit_free_of("张伟", "85512345678", "Sihanoukville")


def test_it_filters_the_queue_by_status(coordinator_a):
    req = make_request(coordinator_a)
    request_reject(actor=coordinator_a, req=req, reason="spam")
    client = api_client(coordinator_a)
    assert client.get("/api/v1/requests").json()["count"] == 0
    assert client.get("/api/v1/requests?status=rejected").json()["count"] == 1
    assert client.get("/api/v1/requests?status=bogus").status_code == 422


def test_it_paginates_the_queue(coordinator_a):
    for _ in range(3):
        make_request(coordinator_a)
    client = api_client(coordinator_a)
    first = client.get("/api/v1/requests?page_size=2").json()
    second = client.get("/api/v1/requests?page_size=2&page=2").json()
    assert (len(first["items"]), len(second["items"]), first["count"]) == (2, 1, 3)
    assert client.get("/api/v1/requests?page_size=101").status_code == 422
    assert client.get("/api/v1/requests?page=0").status_code == 422


def test_it_lists_the_queue_in_a_constant_number_of_queries(coordinator_a):
    make_request(coordinator_a)
    client = api_client(coordinator_a)
    one = query_count(client, "/api/v1/requests")
    for _ in range(4):
        make_request(coordinator_a)
    assert query_count(client, "/api/v1/requests") == one


def test_it_keeps_the_queue_to_the_own_organisation(coordinator_a, coordinator_b):
    make_request(coordinator_a)
    assert api_client(coordinator_b).get("/api/v1/requests").json()["count"] == 0


@pytest.mark.parametrize("persona", ["caseworker_a", "analyst_a", "admin_a"])
def test_it_refuses_the_queue_without_the_triage_capability(request, persona, coordinator_a):
    make_request(coordinator_a)
    response = api_client(request.getfixturevalue(persona)).get("/api/v1/requests")
    assert response.status_code == 403
    assert "张伟" not in response.content.decode()


# Recording a request ---------------------------------------------------------------------------


def test_it_records_a_request_from_a_caseworker(caseworker_a):
    response = call(api_client(caseworker_a), "post", "/api/v1/requests", NEW_REQUEST)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "new" and body["urgency"] == "critical"
    assert body["subject_contact"] == "+855971112222"
    req = Request.objects.get(uid=body["uid"])
    assert req.organisation == caseworker_a.organisation and req.created_by == caseworker_a.user
    assert last_event("cases.request.created").object_id == str(req.pk)
    assert_audit_free_of("李娜", "Li Na", "971112222", "KK Park")


def test_it_takes_the_urgency_as_a_code(coordinator_a):
    body = call(
        api_client(coordinator_a), "post", "/api/v1/requests", {**NEW_REQUEST, "urgency": "normal"}
    ).json()
    assert Request.objects.get(uid=body["uid"]).urgency == Urgency.NORMAL


@pytest.mark.parametrize(
    "forged", [{"organisation": "other"}, {"organisation_id": 999}, {"status": "converted"}]
)
def test_it_refuses_forged_fields_on_a_new_request(coordinator_a, org_b, forged):
    client = api_client(coordinator_a)
    before = snapshot()
    response = call(client, "post", "/api/v1/requests", {**NEW_REQUEST, **forged})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", next(iter(forged))]
    assert snapshot() == before


def test_it_reports_service_errors_on_their_field(coordinator_a):
    client = api_client(coordinator_a)
    before = snapshot()
    bad_phone = call(client, "post", "/api/v1/requests", {**NEW_REQUEST, "subject_contact": "12"})
    assert bad_phone.status_code == 422
    assert [e["loc"] for e in bad_phone.json()["detail"]] == [["body", "subject_contact"]]
    empty = call(
        client, "post", "/api/v1/requests", {"channel": "phone", "reporter_relation": "self"}
    )
    assert [e["loc"] for e in empty.json()["detail"]] == [["body", "text"]]
    future = (timezone.now() + datetime.timedelta(days=1)).isoformat()
    later = call(client, "post", "/api/v1/requests", {**NEW_REQUEST, "received_at": future})
    assert [e["loc"] for e in later.json()["detail"]] == [["body", "received_at"]]
    assert snapshot() == before


def test_it_reports_unknown_vocabulary_on_its_field(coordinator_a):
    response = call(
        api_client(coordinator_a),
        "post",
        "/api/v1/requests",
        {**NEW_REQUEST, "danger_signs": ["x"]},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "danger_signs", 0]


def test_it_refuses_request_creation_to_analysts(analyst_a):
    client = api_client(analyst_a)
    before = snapshot()
    assert call(client, "post", "/api/v1/requests", NEW_REQUEST).status_code == 403
    assert snapshot() == before


# One request -----------------------------------------------------------------------------------


def test_it_shows_a_request_with_the_persons_it_may_be_about(coordinator_a):
    known = make_person(coordinator_a, "张伟", phone="+855 12 345 678")
    req = make_request(coordinator_a)
    response = api_client(coordinator_a).get(f"/api/v1/requests/{req.uid}")
    assert response.status_code == 200
    body = response.json()
    assert body["subject_name"] == "张伟" and body["text"].startswith("My son")
    probability = body["suggestions"][0].pop("probability")
    assert body["suggestions"] == [
        {"uid": str(known.uid), "names": ["张伟"], "reasons": ["same_contact", "similar_name"]}
    ]
    assert probability > 0.99  # the same name and the same phone
    assert last_event("cases.request.viewed").object_id == str(req.pk)
    assert_audit_free_of("张伟", "85512345678", "Sihanoukville")


def test_it_suggests_no_one_from_another_organisation(coordinator_a, coordinator_b):
    make_person(coordinator_b, "张伟", phone="+855 12 345 678")
    req = make_request(coordinator_a)
    assert api_client(coordinator_a).get(f"/api/v1/requests/{req.uid}").json()["suggestions"] == []


@pytest.mark.parametrize("endpoint", ["detail", "open-case", "reject"])
@pytest.mark.parametrize("persona", ["coordinator_b", "caseworker_a", "analyst_a", "admin_a"])
def test_it_hides_requests_from_those_who_may_not_triage_them(
    request, coordinator_a, persona, endpoint
):
    req = make_request(coordinator_a)
    client = api_client(request.getfixturevalue(persona))
    before = snapshot()
    method, url, body = _request_calls(req)[endpoint]
    response = call(client, method, url, body)
    missing = call(client, method, url.replace(str(req.uid), str(uuid.uuid4())), body)
    assert response.status_code == missing.status_code == 404
    assert response.content == missing.content
    assert response.json() == NOT_FOUND
    assert snapshot() == before


# Opening a case --------------------------------------------------------------------------------


def test_it_opens_a_case_for_a_new_person(coordinator_a):
    req = make_request(coordinator_a)
    response = call(
        api_client(coordinator_a),
        "post",
        f"/api/v1/requests/{req.uid}/open-case",
        {"person_uid": None, "extra_names": ["Zhang Wei"]},
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (
        body["reference"].startswith("MR-")
        and body["status"] == "reported"
        and body["version"] == 1
    )
    assert [name["value"] for name in body["person"]["names"]] == ["张伟", "Zhang Wei"]
    req.refresh_from_db()
    assert req.status == "converted" and str(req.case.uid) == body["uid"]
    assert {"cases.case.created", "cases.request.converted"} <= set(actions())
    assert_audit_free_of("张伟", "Zhang Wei", "85512345678")


def test_it_opens_a_case_for_a_suggested_person(coordinator_a):
    known = make_person(coordinator_a, "张伟", phone="+855 12 345 678")
    req = make_request(coordinator_a)
    response = call(
        api_client(coordinator_a),
        "post",
        f"/api/v1/requests/{req.uid}/open-case",
        {"person_uid": str(known.uid)},
    )
    assert response.status_code == 201
    assert response.json()["person"]["uid"] == str(known.uid)


def test_it_refuses_a_person_of_another_organisation(coordinator_a, coordinator_b):
    foreign = make_person(coordinator_b, "张伟")
    req = make_request(coordinator_a)
    client = api_client(coordinator_a)
    before = snapshot()
    responses = [
        call(
            client, "post", f"/api/v1/requests/{req.uid}/open-case", {"person_uid": str(person_uid)}
        )
        for person_uid in (foreign.uid, uuid.uuid4())
    ]
    assert [r.status_code for r in responses] == [422, 422]
    assert responses[0].content == responses[1].content
    assert responses[0].json()["detail"][0]["loc"] == ["body", "person_uid"]
    assert snapshot() == before


def test_it_asks_for_a_name_when_the_request_has_none(coordinator_a):
    req = make_request(coordinator_a, subject_name="")
    client = api_client(coordinator_a)
    before = snapshot()
    response = call(client, "post", f"/api/v1/requests/{req.uid}/open-case", {"extra_names": []})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "extra_names"]
    assert snapshot() == before


def test_it_refuses_to_triage_a_request_twice(coordinator_a):
    req = make_request(coordinator_a)
    client = api_client(coordinator_a)
    assert call(client, "post", f"/api/v1/requests/{req.uid}/open-case", {}).status_code == 201
    before = snapshot()
    again = call(client, "post", f"/api/v1/requests/{req.uid}/open-case", {})
    assert again.status_code == 409
    assert "already been triaged" in again.json()["detail"]
    assert (
        call(client, "post", f"/api/v1/requests/{req.uid}/reject", {"reason": "spam"}).status_code
        == 409
    )
    assert snapshot() == before
    assert Case.objects.count() == 1


def test_it_refuses_a_forged_organisation_when_opening_a_case(coordinator_a, org_b):
    req = make_request(coordinator_a)
    client = api_client(coordinator_a)
    before = snapshot()
    response = call(
        client, "post", f"/api/v1/requests/{req.uid}/open-case", {"organisation_id": org_b.pk}
    )
    assert response.status_code == 422
    assert snapshot() == before


# Rejecting -------------------------------------------------------------------------------------


def test_it_rejects_a_request(coordinator_a):
    req = make_request(coordinator_a)
    response = call(
        api_client(coordinator_a), "post", f"/api/v1/requests/{req.uid}/reject", {"reason": "spam"}
    )
    assert response.status_code == 200
    assert response.json()["status"] == "rejected" and response.json()["rejection_reason"] == "spam"
    assert last_event("cases.request.rejected").payload == {"reason": "spam"}


def test_it_refuses_an_unknown_rejection_reason(coordinator_a):
    req = make_request(coordinator_a)
    client = api_client(coordinator_a)
    before = snapshot()
    response = call(client, "post", f"/api/v1/requests/{req.uid}/reject", {"reason": "boring"})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "reason"]
    assert snapshot() == before


def test_a_nul_character_in_any_body_field_is_a_422_and_stores_nothing(coordinator_a):
    from lifeline.cases.models import Request

    response = call(
        api_client(coordinator_a),
        "post",
        "/api/v1/requests",
        {"channel": "phone", "reporter_relation": "family", "text": "help\u0000", "language": "th"},
    )
    assert response.status_code == 422
    assert "Null characters" in response.content.decode()
    assert Request.objects.count() == 0
