"""lifeline.evidence.services: attaching files and the custody trail."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError

from lifeline.audit.models import AuditEvent
from lifeline.evidence import storage
from lifeline.evidence.models import CustodyEvent, Evidence
from lifeline.evidence.services import (
    EvidenceUnreadable,
    evidence_attach,
    evidence_read,
    record_custody,
)
from tests.evidence import files
from tests.factories import make_request

pytestmark = pytest.mark.usefixtures("evidence_dir")


def _upload(data: bytes, name="screenshot.png", content_type="image/png"):
    return SimpleUploadedFile(name, data, content_type=content_type)


def test_it_attaches_a_file_to_a_case(caseworker_a, case_a):
    data = files.jpeg(gps=True)
    evidence = evidence_attach(
        actor=caseworker_a,
        case=case_a,
        upload=_upload(data, "IMG_0001.jpg", "text/html"),
        description="Photo of the compound gate",
    )
    evidence.refresh_from_db()
    assert evidence.media_type == "image/jpeg"  # by content, not the declared text/html
    assert evidence.sha256 == hashlib.sha256(data).hexdigest()
    assert evidence.size == len(data)
    assert (evidence.original_name, evidence.description) == (
        "IMG_0001.jpg",
        "Photo of the compound gate",
    )
    assert evidence.preview_media_type == "image/jpeg"
    assert sorted(p.name for p in storage.all_blob_paths()) == sorted(
        [evidence.blob_name, evidence.preview_blob_name]
    )
    assert "IMG_0001" not in str(list(storage.all_blob_paths()))
    [event] = CustodyEvent.objects.filter(evidence=evidence)
    assert (event.action, event.actor_id) == ("uploaded", caseworker_a.user_id)
    audit = AuditEvent.objects.get(action="evidence.evidence.uploaded")
    assert audit.payload == {"case": case_a.pk, "size": len(data), "media_type": "image/jpeg"}


def test_it_attaches_a_file_to_a_request(coordinator_a):
    req = make_request(coordinator_a)
    evidence = evidence_attach(actor=coordinator_a, req=req, upload=_upload(files.chat_export()))
    assert (evidence.request_id, evidence.case_id) == (req.pk, None)
    assert evidence.media_type == "application/zip" and evidence.preview_blob_name is None


def test_it_requires_exactly_one_parent_in_the_database(caseworker_a, case_a):
    evidence = evidence_attach(actor=caseworker_a, case=case_a, upload=_upload(files.png()))
    with pytest.raises(IntegrityError):
        Evidence.objects.filter(pk=evidence.pk).update(case=None)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"MZ\x90\x00" + b"\x00" * 100, "not accepted"),
        (files.png() + b"<script>alert(1)</script>", "script"),
        (files.pdf() + files.chat_export(), "ZIP archive hidden"),
        (files.zip_of({"chat.txt": b"\x00" * (20 * 1024 * 1024)}), "zip bomb"),
        (files.zip_of({"inner.zip": files.chat_export()}), "inside the archive"),
        (files.bomb_png(), "too large in pixels"),
        (b"", "empty"),
    ],
    ids=["type", "polyglot", "pdf-zip", "zip-bomb", "nested", "image-bomb", "empty"],
)
def test_it_stores_nothing_for_a_refused_file(caseworker_a, case_a, data, message):
    before = (AuditEvent.objects.count(), CustodyEvent.objects.count())
    with pytest.raises(ValidationError) as caught:
        evidence_attach(actor=caseworker_a, case=case_a, upload=_upload(data))
    assert message in caught.value.message_dict["file"][0]
    assert not Evidence.objects.exists()
    assert (AuditEvent.objects.count(), CustodyEvent.objects.count()) == before
    assert list(storage.all_blob_paths()) == []


def test_it_refuses_an_oversized_file(caseworker_a, case_a, settings):
    settings.LIFELINE_EVIDENCE_MAX_BYTES = 1024 * 1024
    with pytest.raises(ValidationError, match="larger than 1.0"):
        evidence_attach(
            actor=caseworker_a, case=case_a, upload=_upload(b"a" * (1024 * 1024 + 1), "a.txt")
        )
    assert not Evidence.objects.exists() and list(storage.all_blob_paths()) == []


def test_it_removes_the_blobs_when_the_row_cannot_be_written(caseworker_a, case_a, monkeypatch):
    def fail(*args, **kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr("lifeline.evidence.services.record_custody", fail)
    with pytest.raises(RuntimeError):
        evidence_attach(actor=caseworker_a, case=case_a, upload=_upload(files.png()))
    assert list(storage.all_blob_paths()) == [] and not Evidence.objects.exists()


def test_it_reads_the_original_and_records_the_download(caseworker_a, case_a):
    data = files.png()
    evidence = evidence_attach(actor=caseworker_a, case=case_a, upload=_upload(data))
    assert evidence_read(actor=caseworker_a, evidence=evidence) == data
    assert CustodyEvent.objects.filter(evidence=evidence).last().action == "downloaded"
    assert AuditEvent.objects.filter(action="evidence.evidence.downloaded").count() == 1


def test_it_does_not_serve_a_changed_file(caseworker_a, case_a):
    evidence = evidence_attach(actor=caseworker_a, case=case_a, upload=_upload(files.png()))
    path = storage.blob_path(evidence.blob_name)
    blob = bytearray(path.read_bytes())
    blob[-1] ^= 1
    path.write_bytes(bytes(blob))
    with pytest.raises(EvidenceUnreadable):
        evidence_read(actor=caseworker_a, evidence=evidence)
    assert not CustodyEvent.objects.filter(action="downloaded").exists()


def test_it_records_custody_for_later_exports_and_shares(caseworker_a, case_a):
    evidence = evidence_attach(actor=caseworker_a, case=case_a, upload=_upload(files.png()))
    event = record_custody(evidence, "shared", caseworker_a, detail={"share": 7, "partner": 3})
    assert (event.action, event.detail) == ("shared", {"share": 7, "partner": 3})
    assert AuditEvent.objects.get(action="evidence.evidence.shared").payload == {
        "share": 7,
        "partner": 3,
    }
    with pytest.raises(ValueError):
        record_custody(evidence, "deleted", caseworker_a)
