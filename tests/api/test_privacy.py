"""POST /persons/{uid}/erasure and the retention endpoints."""

from lifeline.people.models import Person
from lifeline.privacy.models import RetentionRun
from tests.api import NOT_FOUND, api_client, call, snapshot


def test_a_coordinator_erases_through_the_api(coordinator_a, case_a):
    client = api_client(coordinator_a)
    url = f"/api/v1/persons/{case_a.person.uid}/erasure"
    refused = call(client, "post", url, {"reason": "survivor_wish", "confirmation": "no"})
    assert refused.status_code == 422
    response = call(client, "post", url, {"reason": "survivor_wish", "confirmation": "ERASE"})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["erased_at"] and body["counts"]["names"] == 1
    detail = client.get(f"/api/v1/persons/{case_a.person.uid}").json()
    assert detail["erased_at"] and detail["names"] == [] and detail["contacts"] == []


def test_erasure_through_the_api_is_404_outside_and_403_for_caseworkers(
    coordinator_b, caseworker_a, case_a
):
    url = f"/api/v1/persons/{case_a.person.uid}/erasure"
    body = {"reason": "survivor_wish", "confirmation": "ERASE"}
    before = snapshot()
    outsider = call(api_client(coordinator_b), "post", url, body)
    assert (outsider.status_code, outsider.json()) == (404, NOT_FOUND)
    assert call(api_client(caseworker_a), "post", url, body).status_code == 403
    assert Person.objects.get(pk=case_a.person_id).erased_at is None
    assert snapshot()[1:] == before[1:]


def test_the_retention_policy_through_the_api(admin_a, coordinator_a):
    client = api_client(admin_a)
    assert client.get("/api/v1/retention").json()["closed_case_days"] == 730
    bad = call(
        client, "put", "/api/v1/retention", {"closed_case_days": 0, "rejected_request_days": 1}
    )
    assert bad.status_code == 422
    ok = call(
        client, "put", "/api/v1/retention", {"closed_case_days": 400, "rejected_request_days": None}
    )
    assert ok.status_code == 200 and ok.json()["closed_case_days"] == 400
    run = call(client, "post", "/api/v1/retention/runs")
    assert run.status_code == 201 and run.json()["closed_case_days"] == 400
    assert len(client.get("/api/v1/retention/runs").json()) == 1
    assert api_client(coordinator_a).get("/api/v1/retention").status_code == 403
    assert RetentionRun.objects.count() == 1
