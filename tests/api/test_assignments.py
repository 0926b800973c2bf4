"""POST /cases/{uid}/assignments and DELETE /cases/{uid}/assignments/{user_id}."""

import pytest

from lifeline.cases.models import CaseAssignment
from tests.api import NOT_FOUND, api_client, call, last_event, snapshot


def test_it_assigns_a_caseworker_who_then_sees_the_case(coordinator_a, other_caseworker_a, case_a):
    outsider = api_client(other_caseworker_a)
    assert outsider.get(f"/api/v1/cases/{case_a.uid}").status_code == 404
    response = call(
        api_client(coordinator_a),
        "post",
        f"/api/v1/cases/{case_a.uid}/assignments",
        {"user_id": other_caseworker_a.user_id},
    )
    assert response.status_code == 201
    assert response.json()["user"] == {"id": other_caseworker_a.user_id, "username": "worker_a2"}
    assert last_event("cases.case.assigned").payload == {"assignee_id": other_caseworker_a.user_id}
    assert outsider.get(f"/api/v1/cases/{case_a.uid}").status_code == 200


@pytest.mark.parametrize("assignee", ["coordinator_b", "analyst_a", "admin_a", None])
def test_it_assigns_only_case_workers_of_the_organisation(request, coordinator_a, case_a, assignee):
    user_id = request.getfixturevalue(assignee).user_id if assignee else 987654
    client = api_client(coordinator_a)
    before = snapshot()
    response = call(client, "post", f"/api/v1/cases/{case_a.uid}/assignments", {"user_id": user_id})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "user_id"]
    assert snapshot() == before


def test_it_lets_an_assigned_caseworker_see_but_not_assign(
    caseworker_a, other_caseworker_a, case_a
):
    client = api_client(caseworker_a)
    before = snapshot()
    for user_id in (other_caseworker_a.user_id, 987654):
        response = call(
            client, "post", f"/api/v1/cases/{case_a.uid}/assignments", {"user_id": user_id}
        )
        assert response.status_code == 403
    assert (
        client.delete(f"/api/v1/cases/{case_a.uid}/assignments/{caseworker_a.user_id}").status_code
        == 403
    )
    assert snapshot() == before


def test_it_refuses_a_forged_organisation_on_assignment(
    coordinator_a, other_caseworker_a, org_b, case_a
):
    client = api_client(coordinator_a)
    before = snapshot()
    response = call(
        client,
        "post",
        f"/api/v1/cases/{case_a.uid}/assignments",
        {"user_id": other_caseworker_a.user_id, "organisation": org_b.slug},
    )
    assert response.status_code == 422
    assert snapshot() == before


def test_it_removes_an_assignment_and_the_caseworker_loses_the_case(
    coordinator_a, caseworker_a, case_a
):
    response = api_client(coordinator_a).delete(
        f"/api/v1/cases/{case_a.uid}/assignments/{caseworker_a.user_id}"
    )
    assert response.status_code == 204
    assert not CaseAssignment.objects.filter(case=case_a).exists()
    assert last_event("cases.case.unassigned").payload == {"assignee_id": caseworker_a.user_id}
    assert api_client(caseworker_a).get(f"/api/v1/cases/{case_a.uid}").json() == NOT_FOUND


def test_it_ignores_removing_an_assignment_that_does_not_exist(coordinator_a, case_a):
    client = api_client(coordinator_a)
    before = snapshot()
    assert client.delete(f"/api/v1/cases/{case_a.uid}/assignments/987654").status_code == 204
    assert client.delete(f"/api/v1/cases/{case_a.uid}/assignments/abc").status_code == 422
    assert snapshot() == before
