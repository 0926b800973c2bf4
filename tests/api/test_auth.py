"""Authentication, CSRF, the shared error shapes, and the OpenAPI document."""

import re
import uuid

import pytest
from django.test import Client

from lifeline.accounts.services import api_token_create, api_token_revoke, membership_set_role
from lifeline.cases.models import TimelineEvent
from tests.api import JSON, NOT_FOUND, api_client, call, snapshot
from tests.conftest import client_for


def test_it_refuses_calls_without_credentials(case_a):
    client = Client()
    for url in ["/api/v1/me", "/api/v1/cases", f"/api/v1/cases/{case_a.uid}", "/api/v1/persons"]:
        response = client.get(url)
        assert response.status_code == 401, url
        assert response.json() == {"detail": "Unauthorized"}


def test_it_answers_an_unauthenticated_write_with_401_not_a_csrf_error(case_a):
    before = snapshot()
    response = call(
        Client(), "post", f"/api/v1/cases/{case_a.uid}/timeline", {"kind": "note", "body": "x"}
    )
    assert response.status_code == 401
    assert snapshot() == before


def test_it_refuses_a_revoked_token(coordinator_a, case_a):
    token, raw = api_token_create(actor=coordinator_a, name="laptop")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get("/api/v1/me").status_code == 200
    api_token_revoke(actor=coordinator_a, token=token)
    assert client.get("/api/v1/me").status_code == 401
    before = snapshot()
    response = call(
        client, "post", f"/api/v1/cases/{case_a.uid}/timeline", {"kind": "note", "body": "x"}
    )
    assert response.status_code == 401
    assert snapshot() == before


def test_it_refuses_a_forged_token(coordinator_a):
    _token, raw = api_token_create(actor=coordinator_a, name="laptop")
    for forged in [raw[:-2] + "xx", "llt_000000000000_secret", "not-a-token", ""]:
        response = Client(HTTP_AUTHORIZATION=f"Bearer {forged}").get("/api/v1/me")
        assert response.status_code == 401, forged


def test_it_refuses_the_token_of_a_deactivated_membership(admin_a, coordinator_a):
    client = api_client(coordinator_a)
    membership_set_role(
        actor=admin_a, membership=coordinator_a, role=coordinator_a.role, is_active=False
    )
    assert client.get("/api/v1/me").status_code == 401


def test_it_does_not_fall_back_to_the_session_when_a_token_is_bad(login, coordinator_a):
    client = login(coordinator_a)
    assert client.get("/api/v1/me").status_code == 200
    assert client.get("/api/v1/me", HTTP_AUTHORIZATION="Bearer llt_bad_token").status_code == 401


def test_it_accepts_the_browser_session_for_reads(login, coordinator_a, case_a):
    client = login(coordinator_a)
    response = client.get(f"/api/v1/cases/{case_a.uid}")
    assert response.status_code == 200
    assert response.json()["reference"] == case_a.reference


def test_it_requires_the_csrf_token_for_session_writes(coordinator_a, case_a):
    client = client_for(coordinator_a, enforce_csrf_checks=True)
    url, body = f"/api/v1/cases/{case_a.uid}/timeline", {"kind": "note", "body": "Mother called"}
    before = snapshot()

    refused = client.post(url, body, content_type=JSON)
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    assert snapshot() == before

    # The docs page hands the browser its token, as Swagger UI uses it.
    token = re.search(
        r'data-csrf-token="([^"]+)"', client.get("/api/v1/docs").content.decode()
    ).group(1)
    accepted = client.post(url, body, content_type=JSON, HTTP_X_CSRFTOKEN=token)
    assert accepted.status_code == 201, accepted.content
    assert TimelineEvent.objects.filter(case=case_a, kind="note").count() == 1


def test_it_does_not_ask_token_clients_for_csrf(coordinator_a, case_a):
    _token, raw = api_token_create(actor=coordinator_a, name="t", scope="write")
    client = Client(enforce_csrf_checks=True, HTTP_AUTHORIZATION=f"Bearer {raw}")
    response = call(
        client, "post", f"/api/v1/cases/{case_a.uid}/timeline", {"kind": "note", "body": "Called"}
    )
    assert response.status_code == 201


def test_it_gives_one_body_for_missing_malformed_and_foreign_uids(
    coordinator_a, coordinator_b, case_a
):
    mine, outsider = api_client(coordinator_a), api_client(coordinator_b)
    responses = [
        mine.get(f"/api/v1/cases/{uuid.uuid4()}"),
        mine.get("/api/v1/cases/not-a-uuid"),
        outsider.get(f"/api/v1/cases/{case_a.uid}"),
    ]
    assert [r.status_code for r in responses] == [404, 404, 404]
    assert {r.content for r in responses} == {responses[0].content}
    assert responses[0].json() == NOT_FOUND


def test_it_answers_malformed_json_clearly_and_writes_nothing(coordinator_a, case_a):
    client = api_client(coordinator_a)
    before = snapshot()
    response = client.patch(f"/api/v1/cases/{case_a.uid}", "{version: 1,", content_type=JSON)
    assert response.status_code == 400
    assert "parse" in response.json()["detail"].lower()
    assert snapshot() == before


def test_it_reports_schema_errors_with_the_field_path(coordinator_a, case_a):
    response = call(
        api_client(coordinator_a),
        "post",
        f"/api/v1/cases/{case_a.uid}/moves",
        {"to_status": "verifying", "reason": "Called back"},
    )
    assert response.status_code == 422
    assert [error["loc"] for error in response.json()["detail"]] == [["body", "version"]]


def test_it_serves_the_openapi_document(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    for path in [
        "/api/v1/me",
        "/api/v1/stats/cases",
        "/api/v1/requests",
        "/api/v1/requests/{uid}/open-case",
        "/api/v1/cases",
        "/api/v1/cases/{uid}/timeline",
        "/api/v1/cases/{uid}/assignments/{user_id}",
        "/api/v1/persons/{uid}",
    ]:
        assert path in paths


def test_it_documents_the_400_for_a_body_that_is_not_json(db):
    schema = Client().get("/api/v1/openapi.json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if "requestBody" in operation:
                assert "400" in operation["responses"], f"{method.upper()} {path}"


def test_it_serves_the_docs_from_local_static_files(db):
    response = Client().get("/api/v1/docs")
    assert response.status_code == 200
    page = response.content.decode()
    assert "cdn.jsdelivr" not in page
    assert "/static/ninja/swagger-ui-bundle.js" in page


def test_it_refuses_writes_with_a_read_only_token(coordinator_a, case_a):
    _token, raw = api_token_create(actor=coordinator_a, name="dashboard")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get(f"/api/v1/cases/{case_a.uid}").status_code == 200
    before = snapshot()
    response = call(
        client, "post", f"/api/v1/cases/{case_a.uid}/timeline", {"kind": "note", "body": "x"}
    )
    assert response.status_code == 403 and "read-only" in response.json()["detail"]
    assert snapshot() == before


def test_it_refuses_an_expired_token(coordinator_a):
    from django.utils import timezone

    token, raw = api_token_create(actor=coordinator_a, name="laptop", expires_in_days=7)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert client.get("/api/v1/me").status_code == 200
    token.expires_at = timezone.now()
    token.save(update_fields=["expires_at"])
    assert client.get("/api/v1/me").status_code == 401


def test_it_refuses_tokens_that_never_expire_or_have_unknown_access(coordinator_a):
    from django.core.exceptions import ValidationError

    for kwargs, field in [
        ({"expires_in_days": 0}, "expires_in_days"),
        ({"expires_in_days": 366}, "expires_in_days"),
        ({"scope": "admin"}, "scope"),
    ]:
        with pytest.raises(ValidationError) as info:
            api_token_create(actor=coordinator_a, name="t", **kwargs)
        assert field in info.value.message_dict
