import io
import os

import pytest

from lifeline.core import stream

KEY = os.urandom(32)


def _seal(data: bytes, key=KEY, associated=b"ad") -> bytes:
    out = io.BytesIO()
    with stream.Writer(out, key, associated=associated) as writer:
        for start in range(0, len(data), 70_001):
            writer.write(data[start : start + 70_001])
    return out.getvalue()


def _open(sealed: bytes, key=KEY, associated=b"ad") -> bytes:
    reader = stream.Reader(io.BytesIO(sealed), key, associated=associated)
    data = reader.read()
    reader.finish()
    return data


@pytest.mark.parametrize("size", [0, 1, stream.CHUNK, stream.CHUNK + 1, 3 * stream.CHUNK + 5])
def test_round_trip(size):
    data = os.urandom(size)
    assert _open(_seal(data)) == data


def test_a_changed_byte_fails():
    sealed = bytearray(_seal(os.urandom(2 * stream.CHUNK)))
    sealed[len(sealed) // 2] ^= 1
    with pytest.raises(stream.StreamError):
        _open(bytes(sealed))


def test_a_stream_cut_at_a_chunk_boundary_fails():
    sealed = _seal(os.urandom(2 * stream.CHUNK + 10))
    first_chunk_end = stream.PREFIX_BYTES + 4 + stream.CHUNK + stream.TAG_BYTES
    with pytest.raises(stream.StreamError, match="cut short"):
        _open(sealed[:first_chunk_end])


def test_reordered_chunks_fail():
    sealed = _seal(os.urandom(3 * stream.CHUNK + 1))
    size = 4 + stream.CHUNK + stream.TAG_BYTES
    head, body = sealed[: stream.PREFIX_BYTES], sealed[stream.PREFIX_BYTES :]
    swapped = head + body[size : 2 * size] + body[:size] + body[2 * size :]
    with pytest.raises(stream.StreamError):
        _open(swapped)


def test_appended_data_fails():
    with pytest.raises(stream.StreamError, match="follows the end"):
        _open(_seal(b"hello") + b"x")


def test_another_key_or_context_fails():
    sealed = _seal(b"hello")
    with pytest.raises(stream.StreamError):
        _open(sealed, key=os.urandom(32))
    with pytest.raises(stream.StreamError):
        _open(sealed, associated=b"other")
