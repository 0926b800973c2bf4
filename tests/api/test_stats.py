"""GET /api/v1/stats/cases: counts without personal data."""

from tests.api import api_client
from tests.factories import make_case, make_request


def _counts(body, key, code_key):
    return {row[code_key]: row["count"] for row in body[key]}


def test_it_counts_cases_for_an_analyst_without_personal_data(analyst_a, coordinator_a, case_a):
    make_case(
        coordinator_a, subject_name="Somchai", subject_contact="+66 81 234 5678", danger_signs=[]
    )
    make_request(coordinator_a)
    response = api_client(analyst_a).get("/api/v1/stats/cases")
    assert response.status_code == 200
    body = response.json()
    assert body["total"] == 2 and body["open"] == 2 and body["requests_waiting"] == 1
    assert _counts(body, "by_status", "status")["reported"] == 2
    assert _counts(body, "by_urgency", "urgency") == {"critical": 1, "high": 0, "normal": 1}
    page = response.content.decode()
    for personal in [
        "张伟",
        "Somchai",
        "85512345678",
        "Sihanoukville",
        case_a.reference,
        str(case_a.uid),
    ]:
        assert personal not in page


def test_it_counts_for_coordinators_and_org_admins(coordinator_a, admin_a, case_a):
    for member in (coordinator_a, admin_a):
        response = api_client(member).get("/api/v1/stats/cases")
        assert response.status_code == 200
        assert response.json()["total"] == 1


def test_it_counts_only_the_own_organisation(coordinator_b, case_a):
    body = api_client(coordinator_b).get("/api/v1/stats/cases").json()
    assert body["total"] == 0 and body["open"] == 0


def test_it_refuses_statistics_to_caseworkers(caseworker_a, case_a):
    response = api_client(caseworker_a).get("/api/v1/stats/cases")
    assert response.status_code == 403
    assert set(response.json()) == {"detail"}
