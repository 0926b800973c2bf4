"""GET /api/v1/me."""

from tests.api import api_client


def test_it_describes_the_acting_member(coordinator_a):
    response = api_client(coordinator_a).get("/api/v1/me")
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "coord_a"
    assert body["organisation"] == {"slug": "mekong", "name": "Mekong Rescue"}
    assert body["role"] == "coordinator"
    assert {"can_work_cases", "can_view_persons", "can_assign_cases"} <= set(body["capabilities"])


def test_it_lists_only_the_capabilities_of_the_role(analyst_a):
    body = api_client(analyst_a).get("/api/v1/me").json()
    assert body["role"] == "analyst"
    assert body["capabilities"] == ["can_edit_sites", "can_view_sites", "can_view_statistics"]


def test_it_describes_the_tokens_organisation_only(coordinator_b):
    body = api_client(coordinator_b).get("/api/v1/me").json()
    assert body["organisation"]["slug"] == "other"
