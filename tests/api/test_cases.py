"""GET /cases, GET/PATCH /cases/{uid}, moves and urgency."""

import pytest

from lifeline.audit.models import AuditEvent
from lifeline.cases.models import Case
from lifeline.cases.services import case_update
from tests.api import (
    NOT_FOUND,
    api_client,
    assert_audit_free_of,
    call,
    last_event,
    query_count,
    snapshot,
)
from tests.factories import make_case

# The list --------------------------------------------------------------------------------------


def test_it_lists_cases_with_their_person_and_assignees(coordinator_a, caseworker_a, case_a):
    response = api_client(coordinator_a).get("/api/v1/cases")
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["page"], body["page_size"]) == (1, 1, 25)
    item = body["items"][0]
    assert item["uid"] == str(case_a.uid) and item["reference"] == case_a.reference
    assert item["urgency"] == "critical" and item["status"] == "reported" and item["version"] == 1
    assert item["person"] == {
        "uid": str(case_a.person.uid),
        "primary_name": "张伟",
        "citizenship": "",
    }
    assert item["assignees"] == [{"id": caseworker_a.user_id, "username": "worker_a"}]


def test_it_lists_a_caseworker_only_their_assigned_cases(
    coordinator_a, caseworker_a, other_caseworker_a, case_a
):
    make_case(coordinator_a, subject_name="Somchai")
    assert api_client(coordinator_a).get("/api/v1/cases").json()["count"] == 2
    mine = api_client(caseworker_a).get("/api/v1/cases").json()
    assert [item["uid"] for item in mine["items"]] == [str(case_a.uid)]
    assert api_client(other_caseworker_a).get("/api/v1/cases").json()["count"] == 0


def test_it_keeps_the_list_to_the_own_organisation(coordinator_b, case_a):
    body = api_client(coordinator_b).get("/api/v1/cases?name=Zhang Wei").json()
    assert body["count"] == 0 and body["items"] == []


@pytest.mark.parametrize("persona", ["analyst_a", "admin_a"])
def test_it_refuses_the_list_to_members_without_case_work(request, persona, case_a):
    response = api_client(request.getfixturevalue(persona)).get("/api/v1/cases")
    assert response.status_code == 403
    assert "张伟" not in response.content.decode()


def test_it_finds_a_chinese_name_by_its_pinyin(coordinator_a, case_a):
    make_case(coordinator_a, subject_name="Somchai", subject_contact="+66 81 234 5678")
    body = api_client(coordinator_a).get("/api/v1/cases", {"name": "Zhang Wei"}).json()
    assert [item["uid"] for item in body["items"]] == [str(case_a.uid)]


def test_it_finds_a_phone_typed_in_another_format(coordinator_a, case_a):
    make_case(coordinator_a, subject_name="Somchai", subject_contact="+66 81 234 5678")
    body = api_client(coordinator_a).get("/api/v1/cases", {"phone": "0085512345678"}).json()
    assert [item["uid"] for item in body["items"]] == [str(case_a.uid)]


def test_it_filters_by_status_urgency_assignee_citizenship_and_text(
    coordinator_a, caseworker_a, case_a
):
    other = make_case(
        coordinator_a,
        subject_name="Somchai",
        subject_contact="+66 81 234 5678",
        danger_signs=[],
        text="Works in a call centre near the river.",
    )
    client = api_client(coordinator_a)

    def uids(**params):
        response = client.get("/api/v1/cases", params)
        assert response.status_code == 200, response.content
        return {item["uid"] for item in response.json()["items"]}

    assert uids(urgency="normal") == {str(other.uid)}
    assert uids(status=["reported", "verifying"]) == {str(case_a.uid), str(other.uid)}
    assert uids(status="closed") == set()
    assert uids(assignee="me") == set()
    assert uids(assignee=str(caseworker_a.user_id)) == {str(case_a.uid)}
    assert uids(assignee="none") == {str(other.uid)}
    assert uids(citizenship="th") == set()
    assert uids(q=case_a.reference) == {str(case_a.uid)}
    assert uids(q="river") == {str(other.uid)}
    assert uids(q="Zhang") == {str(case_a.uid)}
    assert uids(open_only="true") == {str(case_a.uid), str(other.uid)}


@pytest.mark.parametrize(
    ("param", "value"),
    [
        ("urgency", "urgent"),
        ("status", "lost"),
        ("assignee", "someone"),
        ("citizenship", "THA"),
        ("page_size", "101"),
        ("page", "0"),
    ],
)
def test_it_refuses_bad_filters_with_their_name(coordinator_a, param, value):
    response = api_client(coordinator_a).get("/api/v1/cases", {param: value})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][:2] == ["query", param]


def test_it_paginates_the_list(coordinator_a, case_a):
    for name in ("Somchai", "Nguyen Van An", "Siti"):
        make_case(coordinator_a, subject_name=name, subject_contact="", danger_signs=[])
    client = api_client(coordinator_a)
    pages = [client.get("/api/v1/cases", {"page_size": 3, "page": n}).json() for n in (1, 2, 3)]
    assert [len(page["items"]) for page in pages] == [3, 1, 0]
    assert {page["count"] for page in pages} == {4}
    assert len({item["uid"] for page in pages for item in page["items"]}) == 4


def test_it_lists_cases_in_a_constant_number_of_queries(coordinator_a, caseworker_a, case_a):
    client = api_client(coordinator_a)
    one = query_count(client, "/api/v1/cases")
    for name in ("Somchai", "Nguyen Van An", "Siti"):
        make_case(coordinator_a, assignee=caseworker_a, subject_name=name, subject_contact="")
    assert query_count(client, "/api/v1/cases") == one


def test_it_audits_searches_by_filter_names_only(coordinator_a, case_a):
    api_client(coordinator_a).get(
        "/api/v1/cases", {"name": "Zhang Wei", "phone": "0085512345678", "urgency": "critical"}
    )
    event = last_event("cases.case.listed")
    assert event.payload == {"filters": ["name", "phone", "urgency"], "count": 1}
    assert event.actor == coordinator_a.user and event.organisation == coordinator_a.organisation
    assert event.session_ref.startswith("api:")
    assert_audit_free_of("Zhang", "张伟", "0085512345678", "85512345678", "critical")


# One case --------------------------------------------------------------------------------------


def test_it_shows_a_case_with_its_context_and_person(caseworker_a, case_a):
    response = api_client(caseworker_a).get(f"/api/v1/cases/{case_a.uid}")
    assert response.status_code == 200
    body = response.json()
    assert (
        body["summary"].startswith("My son")
        and body["last_known_location"] == "Sihanoukville, building C"
    )
    assert (
        body["trafficking_status"] == "PossibleVictimOfTrafficking"
        and body["exploitation_types"] == []
    )
    assert body["person"]["names"] == [
        {"value": "张伟", "kind": "legal", "script": "han", "is_primary": True}
    ]
    assert body["person"]["contacts"] == [
        {"kind": "phone", "value": "+85512345678", "is_safe": False}
    ]
    assert "verifying" in body["allowed_moves"] and body["version"] == 1


def test_it_audits_every_view_of_a_case(caseworker_a, case_a):
    client = api_client(caseworker_a)
    client.get(f"/api/v1/cases/{case_a.uid}")
    client.get(f"/api/v1/cases/{case_a.uid}")
    event = last_event("cases.case.viewed")
    assert (event.object_type, event.object_id, event.actor) == (
        "cases.case",
        str(case_a.pk),
        caseworker_a.user,
    )
    assert (
        AuditEvent.objects.filter(action="cases.case.viewed", object_id=str(case_a.pk)).count() == 2
    )
    assert_audit_free_of("张伟", "85512345678", "Sihanoukville")


# Changing the context --------------------------------------------------------------------------


def test_it_changes_only_the_fields_given(caseworker_a, case_a):
    response = call(
        api_client(caseworker_a),
        "patch",
        f"/api/v1/cases/{case_a.uid}",
        {
            "version": 1,
            "summary": "Moved to building D on Tuesday.",
            "exploitation_types": ["ForcedCriminality"],
            "recruitment_method": "ThroughAnOnlineAdvertisement",
        },
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["version"] == 2 and body["summary"] == "Moved to building D on Tuesday."
    assert body["exploitation_types"] == ["ForcedCriminality"]
    assert body["last_known_location"] == "Sihanoukville, building C"
    event = last_event("cases.case.updated")
    assert event.payload == {"fields": ["exploitation_types", "recruitment_method", "summary"]}
    assert_audit_free_of("building D", "Tuesday")


def test_it_refuses_a_stale_version_and_writes_nothing(coordinator_a, caseworker_a, case_a):
    case_update(
        actor=coordinator_a, case=case_a, expected_version=1, summary="Coordinator's summary"
    )
    client = api_client(caseworker_a)
    before = snapshot()
    response = call(
        client, "patch", f"/api/v1/cases/{case_a.uid}", {"version": 1, "summary": "Mine"}
    )
    assert response.status_code == 409
    body = response.json()
    assert body["current_version"] == 2
    assert body["changes"] == {"summary": {"yours": "Mine", "current": "Coordinator's summary"}}
    assert body["detail"]
    assert snapshot() == before


@pytest.mark.parametrize(
    "forged",
    [
        {"organisation": "other"},
        {"organisation_id": 2},
        {"reference": "X-1"},
        {"person_uid": "00000000-0000-0000-0000-000000000000"},
    ],
)
def test_it_refuses_fields_it_does_not_change(coordinator_a, org_b, case_a, forged):
    client = api_client(coordinator_a)
    before = snapshot()
    response = call(
        client, "patch", f"/api/v1/cases/{case_a.uid}", {"version": 1, "summary": "x", **forged}
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", next(iter(forged))]
    assert snapshot() == before
    assert Case.objects.get(pk=case_a.pk).organisation_id == case_a.organisation_id


def test_it_reports_invalid_context_on_its_field(coordinator_a, case_a):
    client = api_client(coordinator_a)
    before = snapshot()
    cases = [
        ({"version": 1, "summary": "x" * 20_001}, ["body", "summary"]),
        ({"version": 1, "exploitation_types": ["Scamming"]}, ["body", "exploitation_types", 0]),
        ({"version": 1, "trafficking_status": ""}, ["body", "trafficking_status"]),
        ({"version": 1, "summary": None}, ["body", "summary"]),
        ({"summary": "x"}, ["body", "version"]),
        ({"version": 0, "summary": "x"}, ["body", "version"]),
        ({"version": 1}, ["body"]),
    ]
    for payload, loc in cases:
        response = call(client, "patch", f"/api/v1/cases/{case_a.uid}", payload)
        assert response.status_code == 422, payload
        assert response.json()["detail"][0]["loc"] == loc, payload
        assert response.json()["detail"][0]["msg"]
    assert snapshot() == before


# Moves and urgency -----------------------------------------------------------------------------


def test_it_moves_a_case_with_a_reason(caseworker_a, case_a):
    response = call(
        api_client(caseworker_a),
        "post",
        f"/api/v1/cases/{case_a.uid}/moves",
        {"to_status": "verifying", "reason": "Mother confirmed by phone", "version": 1},
    )
    assert response.status_code == 200
    assert response.json()["status"] == "verifying" and response.json()["version"] == 2
    assert last_event("cases.case.moved").payload == {"from": "reported", "to": "verifying"}
    assert_audit_free_of("Mother confirmed")


def test_it_refuses_a_move_the_workflow_does_not_allow(caseworker_a, case_a):
    client = api_client(caseworker_a)
    before = snapshot()
    response = call(
        client,
        "post",
        f"/api/v1/cases/{case_a.uid}/moves",
        {"to_status": "home", "reason": "x", "version": 1},
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "to_status"]
    blank = call(
        client,
        "post",
        f"/api/v1/cases/{case_a.uid}/moves",
        {"to_status": "verifying", "reason": "  ", "version": 1},
    )
    assert blank.json()["detail"][0]["loc"] == ["body", "reason"]
    assert snapshot() == before


def test_it_refuses_a_move_from_a_stale_version(coordinator_a, caseworker_a, case_a):
    client = api_client(caseworker_a)
    call(
        client,
        "post",
        f"/api/v1/cases/{case_a.uid}/moves",
        {"to_status": "verifying", "reason": "x", "version": 1},
    )
    before = snapshot()
    response = call(
        client,
        "post",
        f"/api/v1/cases/{case_a.uid}/moves",
        {"to_status": "located", "reason": "y", "version": 1},
    )
    assert response.status_code == 409
    assert response.json()["current_version"] == 2
    assert response.json()["changes"]["status"] == {"yours": "located", "current": "verifying"}
    assert snapshot() == before


def test_it_sets_the_urgency_by_code(caseworker_a, case_a):
    response = call(
        api_client(caseworker_a),
        "post",
        f"/api/v1/cases/{case_a.uid}/urgency",
        {
            "urgency": "high",
            "reasons": ["threatened"],
            "note": "Guards threatened him",
            "version": 1,
        },
    )
    assert response.status_code == 200
    assert response.json()["urgency"] == "high" and response.json()["urgency_reasons"] == [
        "threatened"
    ]
    assert last_event("cases.case.urgency_set").payload == {
        "urgency": 20,
        "reasons": ["threatened"],
    }
    assert_audit_free_of("Guards")


def test_it_reports_urgency_conflicts_in_codes(coordinator_a, caseworker_a, case_a):
    call(
        api_client(coordinator_a),
        "post",
        f"/api/v1/cases/{case_a.uid}/urgency",
        {"urgency": "high", "reasons": [], "version": 1},
    )
    client = api_client(caseworker_a)
    before = snapshot()
    response = call(
        client, "post", f"/api/v1/cases/{case_a.uid}/urgency", {"urgency": "normal", "version": 1}
    )
    assert response.status_code == 409
    assert response.json()["changes"]["urgency"] == {"yours": "normal", "current": "high"}
    assert snapshot() == before


def test_it_refuses_unknown_urgency_values(caseworker_a, case_a):
    client = api_client(caseworker_a)
    before = snapshot()
    for payload, loc in [
        ({"urgency": "extreme", "version": 1}, ["body", "urgency"]),
        ({"urgency": "high", "reasons": ["bored"], "version": 1}, ["body", "reasons", 0]),
        ({"urgency": "high", "note": "x" * 501, "version": 1}, ["body", "note"]),
    ]:
        response = call(client, "post", f"/api/v1/cases/{case_a.uid}/urgency", payload)
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == loc
    assert snapshot() == before


def test_it_answers_not_found_for_a_missing_case(coordinator_a):
    response = api_client(coordinator_a).get("/api/v1/cases/9b2f5a8e-0000-4000-8000-000000000000")
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
