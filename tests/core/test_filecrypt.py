"""lifeline.core.filecrypt: the chunked AES-GCM stream format."""

import io
import os

import pytest

from lifeline.core import crypto, filecrypt
from lifeline.core.crypto import Keyring


@pytest.fixture
def keyring():
    ring = Keyring.generate()
    crypto.reset_keyring(ring)
    yield ring
    crypto.reset_keyring()


def _encrypt(data: bytes, *, purpose="p", chunk_size=16, keyring=None) -> bytes:
    out = io.BytesIO()
    pieces = [data[i : i + 7] for i in range(0, len(data), 7)] or [b""]
    filecrypt.encrypt_stream(pieces, out, purpose=purpose, chunk_size=chunk_size, keyring=keyring)
    return out.getvalue()


def _decrypt(blob: bytes, *, purpose="p", keyring=None) -> bytes:
    return b"".join(filecrypt.decrypt_stream(io.BytesIO(blob), purpose=purpose, keyring=keyring))


@pytest.mark.parametrize("size", [0, 1, 15, 16, 17, 32, 100])
def test_it_round_trips_at_every_chunk_boundary(keyring, size):
    data = os.urandom(size)
    blob = _encrypt(data)
    assert _decrypt(blob) == data
    assert len(data) < 8 or data[:8] not in blob


def test_it_uses_a_fresh_nonce_prefix_per_file(keyring):
    assert _encrypt(b"same") != _encrypt(b"same")


def test_it_detects_a_changed_byte_anywhere(keyring):
    blob = _encrypt(os.urandom(50))
    for position in (0, 5, 12, len(blob) // 2, len(blob) - 1):
        tampered = bytearray(blob)
        tampered[position] ^= 0x01
        with pytest.raises(filecrypt.FileDecryptionError):
            _decrypt(bytes(tampered))


def test_it_detects_truncation_at_a_chunk_boundary(keyring):
    data = os.urandom(40)  # chunks of 16, 16, 8
    blob = _encrypt(data)
    header_length = len(blob) - (16 + 16) * 2 - (8 + 16)
    for cut in (header_length + 32, header_length + 64, len(blob) - 1, header_length):
        with pytest.raises(filecrypt.FileDecryptionError):
            _decrypt(blob[:cut])


def test_it_detects_reordered_chunks(keyring):
    blob = _encrypt(os.urandom(48))  # 16, 16, 16 (last)
    header_length = len(blob) - 3 * 32
    header, rest = blob[:header_length], blob[header_length:]
    first, second, last = rest[:32], rest[32:64], rest[64:]
    with pytest.raises(filecrypt.FileDecryptionError):
        _decrypt(header + second + first + last)


def test_it_binds_the_purpose(keyring):
    blob = _encrypt(b"evidence", purpose="a")
    with pytest.raises(filecrypt.FileDecryptionError):
        _decrypt(blob, purpose="b")


def test_it_names_a_missing_key(keyring):
    blob = _encrypt(b"evidence")
    other = Keyring.generate()
    other = Keyring(
        active_key_id="k2", data_keys={"k2": other.data_keys["k1"]}, index_key=b"x" * 32
    )
    with pytest.raises(filecrypt.FileDecryptionError, match="'k1' is not available"):
        _decrypt(blob, keyring=other)


def test_it_refuses_a_wrong_key_under_the_same_id(keyring):
    blob = _encrypt(b"evidence")
    with pytest.raises(filecrypt.FileDecryptionError):
        _decrypt(blob, keyring=Keyring.generate())


def test_it_reads_the_key_id_from_the_header(keyring):
    header = filecrypt.read_header(io.BytesIO(_encrypt(b"x")))
    assert header.key_id == "k1" and header.chunk_size == 16


def test_it_refuses_what_is_not_its_format(keyring):
    with pytest.raises(filecrypt.FileDecryptionError, match="not an encrypted"):
        _decrypt(b"\xff\xd8\xff\xe0 plain jpeg")


@pytest.mark.parametrize("size", [8, 16, 40])
def test_it_detects_data_appended_after_the_last_chunk(keyring, size):
    with pytest.raises(filecrypt.FileDecryptionError):
        _decrypt(_encrypt(os.urandom(size)) + b"x")


def test_the_sealer_and_the_opener_serve_as_files_for_tarfile(keyring):
    import tarfile

    content = os.urandom(100_000)
    out = io.BytesIO()
    with (
        filecrypt.Sealer(out, purpose="p", chunk_size=4096) as sealed,
        tarfile.open(fileobj=sealed, mode="w|") as tar,
    ):
        info = tarfile.TarInfo("member")
        info.size = len(content)
        tar.addfile(info, io.BytesIO(content))
    opened = filecrypt.Opener(io.BytesIO(out.getvalue()), purpose="p")
    with tarfile.open(fileobj=opened, mode="r|") as tar:
        member = next(iter(tar))
        assert tar.extractfile(member).read() == content
    opened.finish()
    with pytest.raises(filecrypt.FileDecryptionError):
        filecrypt.Opener(io.BytesIO(out.getvalue()[:-20]), purpose="p").finish()
