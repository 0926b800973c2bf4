"""The evidence endpoints: list and attach under cases and requests, detail, download."""

import hashlib
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from lifeline.accounts.services import api_token_create
from lifeline.evidence import storage
from lifeline.evidence.models import CustodyEvent, Evidence
from lifeline.evidence.services import evidence_attach
from tests.api import NOT_FOUND, api_client, assert_audit_free_of, last_event, snapshot
from tests.evidence import files
from tests.factories import make_request

pytestmark = pytest.mark.usefixtures("evidence_dir")


def _attach(actor, data=None, name="screenshot.png", **parent):
    data = files.png() if data is None else data
    return evidence_attach(
        actor=actor, upload=SimpleUploadedFile(name, data), description="Gate", **parent
    )


def _upload(client, url, data, name="screenshot.png", **extra):
    return client.post(
        url, {"file": SimpleUploadedFile(name, data), "description": "Chat with Mei", **extra}
    )


def test_it_attaches_a_file_to_a_case(caseworker_a, case_a):
    data = files.jpeg(gps=True)
    response = _upload(api_client(caseworker_a), f"/api/v1/cases/{case_a.uid}/evidence", data)
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["sha256"] == hashlib.sha256(data).hexdigest()
    assert body["media_type"] == "image/jpeg" and body["size"] == len(data)
    assert body["case"] == str(case_a.uid) and body["request"] is None
    assert body["original_name"] == "screenshot.png" and body["description"] == "Chat with Mei"
    assert body["has_preview"] is True
    assert body["uploaded_by"] == {"id": caseworker_a.user_id, "username": "worker_a"}
    assert_audit_free_of("Chat with Mei", "screenshot")


def test_it_attaches_a_file_to_a_request(coordinator_a):
    req = make_request(coordinator_a)
    response = _upload(
        api_client(coordinator_a), f"/api/v1/requests/{req.uid}/evidence", files.chat_export()
    )
    assert response.status_code == 201, response.content
    assert response.json()["request"] == str(req.uid)
    assert response.json()["media_type"] == "application/zip"


def test_it_refuses_a_polyglot_with_a_clear_422(caseworker_a, case_a):
    client = api_client(caseworker_a)
    before = snapshot()
    response = _upload(
        client,
        f"/api/v1/cases/{case_a.uid}/evidence",
        files.pdf() + files.chat_export(),
    )
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert error["loc"] == ["body", "file"] and "ZIP archive hidden" in error["msg"]
    assert snapshot() == before and not Evidence.objects.exists()
    assert list(storage.all_blob_paths()) == []


def test_it_refuses_an_oversized_file_while_streaming(caseworker_a, case_a, settings):
    settings.LIFELINE_EVIDENCE_MAX_BYTES = 64 * 1024
    response = _upload(
        api_client(caseworker_a), f"/api/v1/cases/{case_a.uid}/evidence", b"a" * 300_000
    )
    assert response.status_code == 422
    assert "larger than" in response.json()["detail"][0]["msg"]
    assert not Evidence.objects.exists() and list(storage.all_blob_paths()) == []


def test_it_asks_for_a_file(caseworker_a, case_a):
    response = api_client(caseworker_a).post(f"/api/v1/cases/{case_a.uid}/evidence", {})
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "file"]


def test_it_refuses_uploads_with_a_read_only_token(coordinator_a, case_a):
    req = make_request(coordinator_a)
    _token, raw = api_token_create(actor=coordinator_a, name="phone")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    for url in (f"/api/v1/cases/{case_a.uid}/evidence", f"/api/v1/requests/{req.uid}/evidence"):
        response = _upload(client, url, files.png())
        assert response.status_code == 403 and "read-only" in response.json()["detail"]
    assert not Evidence.objects.exists()
    assert client.get(f"/api/v1/cases/{case_a.uid}/evidence").status_code == 200


def test_it_lists_a_case_evidence(caseworker_a, case_a):
    older = _attach(caseworker_a, case=case_a)
    newer = _attach(caseworker_a, data=b"chat", name="chat.txt", case=case_a)
    response = api_client(caseworker_a).get(f"/api/v1/cases/{case_a.uid}/evidence")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    assert [item["uid"] for item in body["items"]] == [str(newer.uid), str(older.uid)]
    event = last_event("evidence.evidence.listed")
    assert (event.object_type, event.payload) == ("cases.case", {"filters": [], "count": 2})


def test_it_lists_a_request_evidence(coordinator_a):
    req = make_request(coordinator_a)
    _attach(coordinator_a, req=req)
    response = api_client(coordinator_a).get(f"/api/v1/requests/{req.uid}/evidence")
    assert response.status_code == 200 and response.json()["count"] == 1


def test_it_shows_one_file_with_its_custody(caseworker_a, case_a):
    evidence = _attach(caseworker_a, case=case_a)
    response = api_client(caseworker_a).get(f"/api/v1/evidence/{evidence.uid}")
    assert response.status_code == 200
    body = response.json()
    assert body["sha256"] == evidence.sha256
    assert [event["action"] for event in body["custody"]] == ["uploaded", "viewed"]
    assert body["custody"][0]["actor"]["username"] == "worker_a"
    assert last_event("evidence.evidence.viewed").object_id == str(evidence.pk)


def test_it_downloads_the_original(caseworker_a, case_a):
    data = files.png()
    evidence = _attach(caseworker_a, data=data, name="shot.png", case=case_a)
    response = api_client(caseworker_a).get(f"/api/v1/evidence/{evidence.uid}/download")
    assert response.status_code == 200 and response.content == data
    assert response["Content-Disposition"] == 'attachment; filename="shot.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert CustodyEvent.objects.filter(evidence=evidence, action="downloaded").count() == 1


def test_it_refuses_to_download_a_missing_file(caseworker_a, case_a):
    evidence = _attach(caseworker_a, case=case_a)
    storage.blob_path(evidence.blob_name).unlink()
    response = api_client(caseworker_a).get(f"/api/v1/evidence/{evidence.uid}/download")
    assert response.status_code == 409 and "SHA-256" in response.json()["detail"]


def _urls(case, req, evidence):
    return [
        ("get", f"/api/v1/cases/{case.uid}/evidence"),
        ("post", f"/api/v1/cases/{case.uid}/evidence"),
        ("get", f"/api/v1/evidence/{evidence.uid}"),
        ("get", f"/api/v1/evidence/{evidence.uid}/download"),
    ]


@pytest.mark.parametrize("index", range(4))
def test_it_answers_404_to_another_organisation(
    coordinator_a, caseworker_a, case_a, coordinator_b, index
):
    evidence = _attach(caseworker_a, case=case_a)
    method, url = _urls(case_a, None, evidence)[index]
    client = api_client(coordinator_b)
    response = _upload(client, url, files.png()) if method == "post" else client.get(url)
    assert (response.status_code, response.json()) == (404, NOT_FOUND)
    assert Evidence.objects.count() == 1
    assert not CustodyEvent.objects.exclude(action="uploaded").exists()


@pytest.mark.parametrize("index", range(4))
def test_it_answers_404_to_an_unassigned_caseworker(
    caseworker_a, other_caseworker_a, case_a, index
):
    evidence = _attach(caseworker_a, case=case_a)
    method, url = _urls(case_a, None, evidence)[index]
    client = api_client(other_caseworker_a)
    response = _upload(client, url, files.png()) if method == "post" else client.get(url)
    assert (response.status_code, response.json()) == (404, NOT_FOUND)


@pytest.mark.parametrize("index", range(4))
def test_it_answers_403_to_an_analyst(caseworker_a, analyst_a, case_a, index):
    evidence = _attach(caseworker_a, case=case_a)
    method, url = _urls(case_a, None, evidence)[index]
    client = api_client(analyst_a)
    response = _upload(client, url, files.png()) if method == "post" else client.get(url)
    assert response.status_code == 403
    assert Evidence.objects.count() == 1


def test_it_guards_request_evidence(coordinator_a, caseworker_a, analyst_a, coordinator_b):
    req = make_request(coordinator_a)
    evidence = _attach(coordinator_a, req=req)
    url = f"/api/v1/requests/{req.uid}/evidence"
    assert api_client(coordinator_b).get(url).status_code == 404
    assert _upload(api_client(coordinator_b), url, files.png()).status_code == 404
    assert api_client(caseworker_a).get(url).status_code == 403
    assert api_client(analyst_a).get(url).status_code == 403
    assert api_client(caseworker_a).get(f"/api/v1/evidence/{evidence.uid}").status_code == 404
    assert api_client(coordinator_b).get(f"/api/v1/evidence/{evidence.uid}").status_code == 404


def test_it_gives_a_missing_uid_the_same_404(coordinator_a):
    for url in (f"/api/v1/evidence/{uuid.uuid4()}", "/api/v1/evidence/not-a-uuid/download"):
        response = api_client(coordinator_a).get(url)
        assert (response.status_code, response.json()) == (404, NOT_FOUND)


def test_it_lists_evidence_in_a_constant_number_of_queries(caseworker_a, case_a):
    from tests.api import query_count

    client = api_client(caseworker_a)
    _attach(caseworker_a, case=case_a)
    one = query_count(client, f"/api/v1/cases/{case_a.uid}/evidence")
    for _ in range(3):
        _attach(caseworker_a, case=case_a)
    assert query_count(client, f"/api/v1/cases/{case_a.uid}/evidence") == one
