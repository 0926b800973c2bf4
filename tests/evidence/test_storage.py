"""lifeline.evidence.storage: encrypted blobs, rotation, erasure."""

import os

import pytest

from lifeline.core import crypto
from lifeline.core.crypto import Keyring
from lifeline.core.filecrypt import FileDecryptionError
from lifeline.evidence import storage

pytestmark = pytest.mark.usefixtures("evidence_dir")


@pytest.fixture
def keyring():
    ring = Keyring.generate()
    crypto.reset_keyring(ring)
    yield ring
    crypto.reset_keyring()


def test_it_stores_a_blob_encrypted_under_a_random_name(keyring, evidence_dir):
    data = b"screenshot bytes " * 1000
    name = storage.write_blob([data])
    path = storage.blob_path(name)
    assert path.parent.parent == evidence_dir and len(name) == 32
    assert data[:32] not in path.read_bytes()
    assert oct(path.stat().st_mode & 0o777) == "0o600"
    assert b"".join(storage.open_plaintext(path)) == data
    assert list(storage.all_blob_paths()) == [path]
    assert storage.blob_key_id(path) == "k1"


def test_it_refuses_a_blob_moved_under_another_name(keyring):
    first = storage.blob_path(storage.write_blob([b"one"]))
    second = storage.blob_path(storage.write_blob([b"two"]))
    os.replace(first, second)
    with pytest.raises(FileDecryptionError):
        b"".join(storage.open_plaintext(second))


def test_it_refuses_names_that_are_not_blob_names():
    with pytest.raises(ValueError):
        storage.blob_path("../../keys.json")


def test_it_reencrypts_with_the_active_key_once(keyring):
    path = storage.blob_path(storage.write_blob([b"voice note"]))
    assert storage.reencrypt(path) is False
    rotated = Keyring(
        active_key_id="k2",
        data_keys={**keyring.data_keys, "k2": os.urandom(32)},
        index_key=keyring.index_key,
    )
    crypto.reset_keyring(rotated)
    assert storage.reencrypt(path) is True
    assert storage.blob_key_id(path) == "k2"
    assert storage.reencrypt(path) is False
    crypto.reset_keyring(Keyring("k2", {"k2": rotated.data_keys["k2"]}, keyring.index_key))
    assert b"".join(storage.open_plaintext(path)) == b"voice note"
    assert [p.name for p in path.parent.iterdir()] == [path.name]  # no temporary file left


def test_it_destroys_a_blob(keyring):
    path = storage.blob_path(storage.write_blob([b"x" * 5000]))
    storage.destroy(path)
    assert not path.exists()
    storage.destroy(path)  # already gone: not an error
