"""A chunked AES-256-GCM stream for data too large to hold in memory (backups).

Layout: a 7-byte random nonce prefix, then chunks of ``[4-byte length][ciphertext + tag]``.
Chunk *i* is sealed with the nonce ``prefix || i (4 bytes) || last (1 byte)`` and the caller's
associated data, so a chunk that is changed, dropped, repeated, moved or cut off at the end
fails to open (the "STREAM" construction of Hoang, Reyhanitabar, Rogaway and Vizár).
"""

from __future__ import annotations

import io
import os
import struct
from typing import IO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

CHUNK = 1024 * 1024
PREFIX_BYTES = 7
TAG_BYTES = 16
MAX_COUNTER = 2**32 - 1


class StreamError(Exception):
    """The stream was changed, cut short, or sealed with another key."""


def _nonce(prefix: bytes, counter: int, last: bool) -> bytes:
    if counter > MAX_COUNTER:
        raise StreamError("stream too long")
    return prefix + struct.pack(">I", counter) + (b"\x01" if last else b"\x00")


class Writer(io.RawIOBase):
    """Seals everything written to it into ``raw``; ``close()`` seals the last chunk."""

    def __init__(self, raw: IO[bytes], key: bytes, *, associated: bytes = b"") -> None:
        self._raw = raw
        self._aead = AESGCM(key)
        self._associated = associated
        self._prefix = os.urandom(PREFIX_BYTES)
        self._counter = 0
        self._buffer = bytearray()
        raw.write(self._prefix)

    def writable(self) -> bool:
        return True

    def write(self, data: bytes | bytearray | memoryview) -> int:  # type: ignore[override]
        self._buffer += data
        # Keep at least one byte back: the last chunk is sealed as last only on close().
        while len(self._buffer) > CHUNK:
            self._seal(bytes(self._buffer[:CHUNK]), last=False)
            del self._buffer[:CHUNK]
        return len(data)

    def _seal(self, chunk: bytes, *, last: bool) -> None:
        sealed = self._aead.encrypt(
            _nonce(self._prefix, self._counter, last), chunk, self._associated
        )
        self._raw.write(struct.pack(">I", len(sealed)) + sealed)
        self._counter += 1

    def close(self) -> None:
        if not self.closed:
            self._seal(bytes(self._buffer), last=True)
            self._buffer.clear()
        super().close()


class Reader(io.RawIOBase):
    """Opens a stream sealed by ``Writer``; raises ``StreamError`` on any damage."""

    def __init__(self, raw: IO[bytes], key: bytes, *, associated: bytes = b"") -> None:
        self._raw = raw
        self._aead = AESGCM(key)
        self._associated = associated
        self._prefix = self._exactly(PREFIX_BYTES, what="header")
        self._counter = 0
        self._pending = b""
        self._done = False

    def readable(self) -> bool:
        return True

    def _exactly(self, size: int, *, what: str) -> bytes:
        data = self._raw.read(size)
        if len(data) != size:
            raise StreamError(f"the {what} is cut short")
        return data

    def _next_chunk(self) -> None:
        (length,) = struct.unpack(">I", self._exactly(4, what="stream"))
        if not TAG_BYTES <= length <= CHUNK + TAG_BYTES:
            raise StreamError("a chunk has an impossible length")
        sealed = self._exactly(length, what="stream")
        for last in (False, True):
            try:
                self._pending = self._aead.decrypt(
                    _nonce(self._prefix, self._counter, last), sealed, self._associated
                )
            except InvalidTag:
                continue
            self._counter += 1
            if last:
                self._done = True
                if self._raw.read(1):
                    raise StreamError("data follows the end of the stream")
            return
        raise StreamError("a chunk was changed, moved, or sealed with another key")

    def readinto(self, buffer: memoryview | bytearray) -> int:  # type: ignore[override]
        while not self._pending and not self._done:
            self._next_chunk()
        count = min(len(buffer), len(self._pending))
        buffer[:count] = self._pending[:count]
        self._pending = self._pending[count:]
        return count

    def finish(self) -> None:
        """Read to the end, so that a stream cut short or extended is noticed."""
        while not self._done:
            self._next_chunk()
        self._pending = b""
