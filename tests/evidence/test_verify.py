"""`lifeline evidence verify`: re-hash every stored file."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError

from lifeline.core import filecrypt
from lifeline.evidence import storage
from lifeline.evidence.services import evidence_attach
from tests.evidence import files

pytestmark = pytest.mark.usefixtures("evidence_dir")


def _attach(actor, case, data):
    return evidence_attach(actor=actor, case=case, upload=SimpleUploadedFile("a.png", data))


def _verify() -> str:
    out = io.StringIO()
    call_command("evidence", "verify", stdout=out)
    return out.getvalue()


def test_it_passes_when_every_file_matches(caseworker_a, case_a):
    _attach(caseworker_a, case_a, files.png())
    _attach(caseworker_a, case_a, b"chat export text")
    output = _verify()
    assert "Evidence OK: 3 files checked" in output  # two originals and one preview
    assert "MB/s" in output and "0 changed, 0 missing, 0 unreadable" in output


def test_it_names_a_changed_and_a_missing_file(caseworker_a, case_a):
    changed = _attach(caseworker_a, case_a, b"first chat export")
    missing = _attach(caseworker_a, case_a, b"second chat export")
    kept = _attach(caseworker_a, case_a, b"third chat export")
    # Replace the first blob with a valid encryption of other bytes under the same name (as
    # someone holding the keys could): only the hash can tell.
    path = storage.blob_path(changed.blob_name)
    with open(path, "wb") as out:
        filecrypt.encrypt_stream(
            [b"forged chat export"], out, purpose=storage.blob_purpose(changed.blob_name)
        )
    storage.blob_path(missing.blob_name).unlink()

    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("evidence", "verify", stdout=out)
    assert caught.value.returncode == 1
    output = out.getvalue()
    assert f"evidence {missing.uid} (original)" in output and "MISSING" in output
    assert f"CHANGED: evidence {changed.uid} (original)" in output
    assert str(kept.uid) not in output
    assert "1 missing" in str(caught.value) and "MB/s" in str(caught.value)


def test_it_names_a_tampered_blob_as_unreadable_and_exits_1(caseworker_a, case_a):
    evidence = _attach(caseworker_a, case_a, files.png())
    path = storage.blob_path(evidence.blob_name)
    blob = bytearray(path.read_bytes())
    blob[40] ^= 0xFF
    path.write_bytes(bytes(blob))
    with pytest.raises(CommandError, match="1 unreadable"):
        _verify()


def test_it_notes_blobs_no_evidence_names(caseworker_a, case_a):
    name = storage.write_blob([b"left over"])
    assert f"blob {name} is not referenced" in _verify()
