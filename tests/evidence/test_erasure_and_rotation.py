"""Evidence under erasure, retention and key rotation."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from lifeline.audit.verify import verify_chain
from lifeline.cases import services as case_services
from lifeline.cases.models import Request
from lifeline.core import rotation
from lifeline.evidence import storage
from lifeline.evidence.models import CustodyEvent, Evidence
from lifeline.evidence.services import evidence_attach, evidence_read
from lifeline.evidence.verify import verify_all
from lifeline.privacy.services import person_erase, retention_apply
from tests.evidence import files
from tests.factories import make_request

pytestmark = pytest.mark.usefixtures("evidence_dir")


def _attach(actor, **owner):
    upload = SimpleUploadedFile("gate.jpg", files.jpeg(), content_type="image/jpeg")
    return evidence_attach(actor=actor, upload=upload, description="The gate", **owner)


def test_erasing_a_person_destroys_the_files_of_their_cases(
    login, coordinator_a, case_a, django_capture_on_commit_callbacks
):
    evidence = _attach(coordinator_a, case=case_a)
    blobs = [storage.blob_path(evidence.blob_name), storage.blob_path(evidence.preview_blob_name)]
    assert all(path.exists() for path in blobs)

    with django_capture_on_commit_callbacks(execute=True):
        result = person_erase(
            actor=coordinator_a, person=case_a.person, reason="survivor_wish", confirmation="ERASE"
        )

    assert result.counts["files"] == 1
    assert not any(path.exists() for path in blobs)
    evidence = Evidence.objects.get(pk=evidence.pk)
    assert evidence.erased_at and (evidence.original_name, evidence.description) == ("", "")
    assert CustodyEvent.objects.filter(evidence=evidence, action="erased").exists()
    assert login(coordinator_a).get(f"/evidence/{evidence.uid}/").status_code == 404
    report = verify_all()
    assert not report.problems
    assert verify_chain()[1] is None


def test_retention_destroys_the_files_of_old_rejected_requests(
    coordinator_a, django_capture_on_commit_callbacks
):
    req = make_request(coordinator_a)
    evidence = _attach(coordinator_a, req=req)
    case_services.request_reject(actor=coordinator_a, req=req, reason="spam")
    Request.objects.filter(pk=req.pk).update(
        triaged_at=timezone.now() - datetime.timedelta(days=365)
    )

    with django_capture_on_commit_callbacks(execute=True):
        run = retention_apply(organisation=coordinator_a.organisation)

    assert run.requests_erased == 1
    assert not storage.blob_path(evidence.blob_name).exists()
    assert Evidence.objects.get(pk=evidence.pk).erased_at is not None


def test_rotation_reencrypts_the_evidence_files(key_file, coordinator_a, case_a):
    evidence = _attach(coordinator_a, case=case_a)
    assert {storage.blob_key_id(p) for p in storage.all_blob_paths()} == {"k1"}

    result = rotation.rotate(settle_seconds=0)

    assert result.files_reencrypted == 2
    assert {storage.blob_key_id(p) for p in storage.all_blob_paths()} == {"k2"}
    assert not verify_all().problems
    data = evidence_read(actor=coordinator_a, evidence=evidence)
    assert len(data) == evidence.size


def test_a_rolled_back_erasure_leaves_the_files(coordinator_a, case_a):
    evidence = _attach(coordinator_a, case=case_a)
    with pytest.raises(RuntimeError), transaction.atomic():
        person_erase(
            actor=coordinator_a, person=case_a.person, reason="survivor_wish", confirmation="ERASE"
        )
        raise RuntimeError("the erasure fails after the files were shredded")
    assert storage.blob_path(evidence.blob_name).exists()
    assert Evidence.objects.get(pk=evidence.pk).erased_at is None
