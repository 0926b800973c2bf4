"""The evidence pages: the list and upload form on case and request pages, the evidence page,
its preview and the download."""

import hashlib
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from lifeline.audit.models import AuditEvent
from lifeline.evidence import storage
from lifeline.evidence.models import CustodyEvent, Evidence
from lifeline.evidence.services import evidence_attach
from tests.evidence import files
from tests.factories import make_request

pytestmark = pytest.mark.usefixtures("evidence_dir")


def _attach(actor, data=None, name="screenshot.png", **parent):
    data = files.png() if data is None else data
    return evidence_attach(
        actor=actor, upload=SimpleUploadedFile(name, data), description="Gate", **parent
    )


def _post_file(client, url, data, name="screenshot.png", description="From WeChat"):
    return client.post(url, {"description": description, "file": SimpleUploadedFile(name, data)})


# Upload -------------------------------------------------------------------------------------


def test_it_attaches_a_file_from_the_case_page(login, caseworker_a, case_a):
    data = files.jpeg(gps=True)
    response = _post_file(
        login(caseworker_a), reverse("evidence:case_upload", args=[case_a.uid]), data
    )
    evidence = Evidence.objects.get()
    assert response.status_code == 302 and response["Location"] == evidence.get_absolute_url()
    assert evidence.case_id == case_a.pk and evidence.sha256 == hashlib.sha256(data).hexdigest()
    assert evidence.description == "From WeChat"


def test_it_attaches_a_file_from_the_request_page(login, coordinator_a):
    req = make_request(coordinator_a)
    response = _post_file(
        login(coordinator_a),
        reverse("evidence:request_upload", args=[req.uid]),
        b'{"chat": []}',
        "export.json",
    )
    assert response.status_code == 302
    assert Evidence.objects.get().request_id == req.pk


def test_it_reports_a_refused_file_on_the_case_page(login, caseworker_a, case_a):
    client = login(caseworker_a)
    response = _post_file(
        client,
        reverse("evidence:case_upload", args=[case_a.uid]),
        files.png() + b"<script>alert(1)</script>",
    )
    assert response.status_code == 302 and response["Location"].endswith("#evidence")
    page = client.get(response["Location"]).content.decode()
    assert "web-page or script content" in page
    assert not Evidence.objects.exists() and list(storage.all_blob_paths()) == []


def test_it_stops_an_oversized_upload_while_streaming(login, caseworker_a, case_a, settings):
    settings.LIFELINE_EVIDENCE_MAX_BYTES = 256 * 1024
    client = login(caseworker_a)
    response = _post_file(
        client, reverse("evidence:case_upload", args=[case_a.uid]), b"a" * (1024 * 1024)
    )
    assert response.status_code == 302
    assert "The file is larger than 256" in client.get(response["Location"]).content.decode()
    assert not Evidence.objects.exists() and list(storage.all_blob_paths()) == []


def test_it_keeps_uploads_in_memory(settings):
    assert settings.FILE_UPLOAD_HANDLERS == ["lifeline.evidence.uploads.LimitedMemoryUploadHandler"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [("other_caseworker_a", 404), ("coordinator_b", 404), ("analyst_a", 403)],
)
def test_it_refuses_uploads_to_cases_the_member_may_not_see(
    request, login, case_a, persona, status
):
    member = request.getfixturevalue(persona)
    response = _post_file(
        login(member), reverse("evidence:case_upload", args=[case_a.uid]), files.png()
    )
    assert response.status_code == status
    assert not Evidence.objects.exists()


def test_it_refuses_uploads_to_requests_for_caseworkers(login, coordinator_a, caseworker_a):
    req = make_request(coordinator_a)
    url = reverse("evidence:request_upload", args=[req.uid])
    assert _post_file(login(caseworker_a), url, files.png()).status_code == 403


# Lists ---------------------------------------------------------------------------------------


def test_it_lists_evidence_on_the_case_page(login, caseworker_a, case_a):
    evidence = _attach(caseworker_a, name="gate.png", case=case_a)
    body = login(caseworker_a).get(case_a.get_absolute_url()).content.decode()
    assert "gate.png" in body and evidence.sha256 in body and "image/png" in body
    assert 'enctype="multipart/form-data"' in body


def test_it_lists_evidence_in_a_constant_number_of_queries(login, caseworker_a, case_a):
    client = login(caseworker_a)
    _attach(caseworker_a, case=case_a)
    client.get(case_a.get_absolute_url())
    with CaptureQueriesContext(connection) as few:
        client.get(case_a.get_absolute_url())
    for _ in range(3):
        _attach(caseworker_a, case=case_a)
    with CaptureQueriesContext(connection) as many:
        client.get(case_a.get_absolute_url())
    assert len(many) == len(few)


def test_it_lists_evidence_on_the_request_page(login, coordinator_a):
    req = make_request(coordinator_a)
    evidence = _attach(coordinator_a, data=b"chat log", name="chat.txt", req=req)
    body = login(coordinator_a).get(req.get_absolute_url()).content.decode()
    assert "chat.txt" in body and evidence.sha256 in body


# The evidence page, preview and download ------------------------------------------------------


def test_it_shows_the_evidence_page_and_records_the_view(login, caseworker_a, case_a):
    evidence = _attach(caseworker_a, case=case_a)
    response = login(caseworker_a).get(evidence.get_absolute_url())
    body = response.content.decode()
    assert response.status_code == 200
    assert evidence.sha256 in body and reverse("evidence:preview", args=[evidence.uid]) in body
    assert "Chain of custody" in body and "Uploaded" in body
    assert CustodyEvent.objects.filter(evidence=evidence, action="viewed").count() == 1
    event = AuditEvent.objects.get(action="evidence.evidence.viewed")
    assert event.object_id == str(evidence.pk) and "Gate" not in str(event.payload)


def test_it_serves_the_preview_inline_without_metadata(login, caseworker_a, case_a):
    evidence = _attach(caseworker_a, data=files.jpeg(gps=True), name="a.jpg", case=case_a)
    response = login(caseworker_a).get(reverse("evidence:preview", args=[evidence.uid]))
    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert response["Content-Disposition"].startswith("inline")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert not Image.open(io.BytesIO(response.content)).getexif()
    assert CustodyEvent.objects.filter(evidence=evidence, action="previewed").exists()


def test_it_has_no_preview_for_other_types(login, coordinator_a):
    req = make_request(coordinator_a)
    evidence = _attach(coordinator_a, data=files.pdf(), name="ticket.pdf", req=req)
    client = login(coordinator_a)
    assert client.get(reverse("evidence:preview", args=[evidence.uid])).status_code == 404
    assert "No preview" in client.get(evidence.get_absolute_url()).content.decode()


def test_it_downloads_the_original_as_an_attachment(login, caseworker_a, case_a):
    data = files.png()
    evidence = _attach(caseworker_a, data=data, name="evil.html", case=case_a)
    response = login(caseworker_a).get(reverse("evidence:download", args=[evidence.uid]))
    assert response.status_code == 200 and response.content == data
    assert response["Content-Type"] == "image/png"
    assert response["Content-Disposition"] == 'attachment; filename="evil.png"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox; default-src 'none'"
    assert response["Cache-Control"] == "no-store"
    assert CustodyEvent.objects.filter(evidence=evidence, action="downloaded").exists()
    assert AuditEvent.objects.filter(action="evidence.evidence.downloaded").exists()


def test_it_refuses_to_serve_a_changed_file(login, caseworker_a, case_a):
    evidence = _attach(caseworker_a, case=case_a)
    storage.blob_path(evidence.blob_name).write_bytes(b"LLF1 not any more")
    client = login(caseworker_a)
    response = client.get(reverse("evidence:download", args=[evidence.uid]))
    assert response.status_code == 302
    assert "does not match its SHA-256" in client.get(response["Location"]).content.decode()


@pytest.mark.parametrize("view", ["evidence:detail", "evidence:preview", "evidence:download"])
@pytest.mark.parametrize(
    ("persona", "status"),
    [("other_caseworker_a", 404), ("coordinator_b", 404), ("analyst_a", 403)],
)
def test_it_hides_evidence_from_those_who_may_not_see_the_case(
    request, login, caseworker_a, case_a, view, persona, status
):
    evidence = _attach(caseworker_a, case=case_a)
    member = request.getfixturevalue(persona)
    response = login(member).get(reverse(view, args=[evidence.uid]))
    assert response.status_code == status
    assert not CustodyEvent.objects.exclude(action="uploaded").exists()


def test_it_gives_a_missing_uid_the_same_404(login, coordinator_a):
    import uuid

    response = login(coordinator_a).get(reverse("evidence:detail", args=[uuid.uuid4()]))
    assert response.status_code == 404


def test_it_lets_the_coordinator_see_every_case_evidence(
    login, coordinator_a, caseworker_a, case_a
):
    evidence = _attach(caseworker_a, case=case_a)
    assert login(coordinator_a).get(evidence.get_absolute_url()).status_code == 200


def test_it_stops_reading_an_upload_past_the_limit(settings, rf):
    from django.core.files.uploadhandler import StopUpload

    from lifeline.evidence.uploads import LimitedMemoryUploadHandler

    settings.LIFELINE_EVIDENCE_MAX_BYTES = 100
    request = rf.post("/")
    handler = LimitedMemoryUploadHandler(request)
    handler.new_file("file", "a.png", "image/png", None)
    assert handler.receive_data_chunk(b"x" * 60, 0) is None
    with pytest.raises(StopUpload):
        handler.receive_data_chunk(b"x" * 60, 60)
    assert request.upload_too_large is True
    assert handler.file_complete(120) is None
