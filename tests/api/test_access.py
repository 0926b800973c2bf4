"""Every case endpoint hides a case from everyone who may not see it, with the one 404 body a
missing case gets, and writes nothing (STYLE.md rules 8 and 21)."""

import uuid

import pytest

from tests.api import NOT_FOUND, api_client, call, snapshot


def _case_calls(case, user_id):
    base = f"/api/v1/cases/{case.uid}"
    return {
        "detail": ("get", base, None),
        "update": ("patch", base, {"version": case.version, "summary": "Changed"}),
        "move": (
            "post",
            f"{base}/moves",
            {"to_status": "verifying", "reason": "Called", "version": case.version},
        ),
        "urgency": (
            "post",
            f"{base}/urgency",
            {"urgency": "normal", "reasons": [], "version": case.version},
        ),
        "timeline": ("get", f"{base}/timeline", None),
        "timeline-add": ("post", f"{base}/timeline", {"kind": "note", "body": "Called"}),
        "assign": ("post", f"{base}/assignments", {"user_id": user_id}),
        "unassign": ("delete", f"{base}/assignments/{user_id}", None),
    }


ENDPOINTS = [
    "detail",
    "update",
    "move",
    "urgency",
    "timeline",
    "timeline-add",
    "assign",
    "unassign",
]


@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("persona", ["coordinator_b", "other_caseworker_a", "analyst_a", "admin_a"])
def test_it_hides_the_case_from_those_who_may_not_see_it(
    request, case_a, caseworker_a, persona, endpoint
):
    client = api_client(request.getfixturevalue(persona))
    method, url, body = _case_calls(case_a, caseworker_a.user_id)[endpoint]
    before = snapshot()
    response = call(client, method, url, body)
    missing = call(client, method, url.replace(str(case_a.uid), str(uuid.uuid4())), body)
    assert response.status_code == missing.status_code == 404
    assert response.content == missing.content
    assert response.json() == NOT_FOUND
    assert snapshot() == before


@pytest.mark.parametrize("endpoint", ["update", "move", "urgency", "timeline-add", "assign"])
def test_it_refuses_a_forged_organisation_everywhere(
    coordinator_a, org_b, case_a, other_caseworker_a, endpoint
):
    client = api_client(coordinator_a)
    method, url, body = _case_calls(case_a, other_caseworker_a.user_id)[endpoint]
    before = snapshot()
    for forged in ({"organisation": org_b.slug}, {"organisation_id": org_b.pk}):
        response = call(client, method, url, {**body, **forged})
        assert response.status_code == 422
        assert response.json()["detail"][0]["loc"] == ["body", next(iter(forged))]
    assert snapshot() == before


@pytest.mark.parametrize("endpoint", ENDPOINTS)
def test_it_serves_every_case_endpoint_to_the_coordinator(
    coordinator_a, other_caseworker_a, case_a, endpoint
):
    method, url, body = _case_calls(case_a, other_caseworker_a.user_id)[endpoint]
    response = call(api_client(coordinator_a), method, url, body)
    assert response.status_code in (200, 201, 204), response.content
