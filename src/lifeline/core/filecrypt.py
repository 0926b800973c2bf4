"""Streaming file encryption: chunked AES-256-GCM under the keyring of ``lifeline.core.crypto``.

Format (version 1)::

    header  = MAGIC (4 bytes "LLF1") | version (1) | key id length (1) | key id (ASCII)
              | nonce prefix (8 random bytes) | chunk size (4, big-endian)
    chunk i = AES-GCM(key, nonce = prefix | i as 4 bytes big-endian,
                      plaintext = up to chunk size bytes,
                      associated data = header | last flag (1 byte, 0 or 1) | purpose)

Contract
- Every chunk but the last holds exactly ``chunk size`` bytes of plaintext; the last holds the
  rest (possibly none, for an empty file) and is the only one sealed with the last flag. A file
  cut at a chunk boundary, chunks swapped or repeated, or a byte changed anywhere (the header
  included, since it is in every chunk's associated data) fails to decrypt.
- The caller's ``purpose`` (for evidence: the blob's random name) is associated data too, so a
  blob copied over another one does not decrypt under the other's name.
- The key id in the header names the data key, so files written before a rotation stay readable
  while the old key is kept; ``lifeline.evidence.storage.reencrypt`` moves them to the new one.
- Decryption is streamed: a reader receives the chunks before the end is verified, so a caller
  that must not act on unverified data reads to the end first (``decrypt_stream`` raises
  ``FileDecryptionError`` at the first bad chunk).
"""

from __future__ import annotations

import io
import secrets
import struct
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from lifeline.core.crypto import Keyring, get_keyring

MAGIC = b"LLF1"
VERSION = 1
PREFIX_BYTES = 8
TAG_BYTES = 16
CHUNK_SIZE = 64 * 1024
MAX_CHUNK_SIZE = 16 * 1024 * 1024
MAX_CHUNKS = 2**32


class FileDecryptionError(Exception):
    """The stream is not ours, was changed, cut or reordered, or its key is not available."""


@dataclass(frozen=True)
class Header:
    key_id: str
    nonce_prefix: bytes
    chunk_size: int
    raw: bytes

    @classmethod
    def new(cls, key_id: str, chunk_size: int = CHUNK_SIZE) -> Header:
        prefix = secrets.token_bytes(PREFIX_BYTES)
        encoded_id = key_id.encode("ascii")
        raw = (
            MAGIC
            + bytes([VERSION, len(encoded_id)])
            + encoded_id
            + prefix
            + struct.pack(">I", chunk_size)
        )
        return cls(key_id=key_id, nonce_prefix=prefix, chunk_size=chunk_size, raw=raw)


def read_header(src: BinaryIO) -> Header:
    """Parse the header at the start of ``src`` (left positioned after it)."""
    start = src.read(6)
    if len(start) != 6 or start[:4] != MAGIC:
        raise FileDecryptionError("not an encrypted Lifeline file")
    if start[4] != VERSION:
        raise FileDecryptionError(f"unsupported file format version {start[4]}")
    id_length = start[5]
    rest = src.read(id_length + PREFIX_BYTES + 4)
    if len(rest) != id_length + PREFIX_BYTES + 4:
        raise FileDecryptionError("the file header is cut short")
    try:
        key_id = rest[:id_length].decode("ascii")
    except UnicodeDecodeError:
        raise FileDecryptionError("the file header is damaged") from None
    prefix = rest[id_length : id_length + PREFIX_BYTES]
    (chunk_size,) = struct.unpack(">I", rest[id_length + PREFIX_BYTES :])
    if not 0 < chunk_size <= MAX_CHUNK_SIZE:
        raise FileDecryptionError("the file header is damaged")
    return Header(key_id=key_id, nonce_prefix=prefix, chunk_size=chunk_size, raw=start + rest)


def _nonce(header: Header, counter: int) -> bytes:
    if counter >= MAX_CHUNKS:
        raise ValueError("file too large for one stream")
    return header.nonce_prefix + struct.pack(">I", counter)


def _associated(header: Header, *, last: bool, purpose: str) -> bytes:
    return header.raw + (b"\x01" if last else b"\x00") + purpose.encode("utf-8")


class Sealer(io.RawIOBase):
    """Encrypts what is written to it into ``out`` (push-style, for writers such as tarfile);
    ``close()`` seals the last chunk. Holds at most one chunk in memory and does not flush or
    sync ``out``: the caller owns the file."""

    def __init__(
        self,
        out: BinaryIO,
        *,
        purpose: str,
        keyring: Keyring | None = None,
        chunk_size: int = CHUNK_SIZE,
    ) -> None:
        keyring = keyring or get_keyring()
        self._header = Header.new(keyring.active_key_id, chunk_size)
        self._aead = AESGCM(keyring.data_keys[keyring.active_key_id])
        self._out = out
        self._purpose = purpose
        self._buffer = bytearray()
        self._counter = 0
        self.total = 0
        out.write(self._header.raw)

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        self._buffer += data
        self.total += len(data)
        # Keep more than one chunk's worth before sealing, so the last chunk is always known.
        while len(self._buffer) > self._header.chunk_size:
            block = bytes(self._buffer[: self._header.chunk_size])
            del self._buffer[: self._header.chunk_size]
            self._seal(block, last=False)
        return len(data)

    def _seal(self, block: bytes, *, last: bool) -> None:
        ad = _associated(self._header, last=last, purpose=self._purpose)
        self._out.write(self._aead.encrypt(_nonce(self._header, self._counter), block, ad))
        self._counter += 1

    def close(self) -> None:
        if not self.closed:
            self._seal(bytes(self._buffer), last=True)
            self._buffer.clear()
        super().close()


def encrypt_stream(
    chunks: Iterable[bytes],
    out: BinaryIO,
    *,
    purpose: str,
    keyring: Keyring | None = None,
    chunk_size: int = CHUNK_SIZE,
) -> int:
    """Encrypt the plaintext ``chunks`` (any sizes) into ``out`` with the active key.

    Returns the number of plaintext bytes. Holds at most two chunks in memory. Does not flush
    or sync ``out``: the caller owns the file.
    """
    sealer = Sealer(out, purpose=purpose, keyring=keyring, chunk_size=chunk_size)
    for piece in chunks:
        sealer.write(piece)
    sealer.close()
    return sealer.total


def decrypt_stream(
    src: BinaryIO, *, purpose: str, keyring: Keyring | None = None
) -> Iterator[bytes]:
    """Yield the plaintext of ``src`` chunk by chunk; raise ``FileDecryptionError`` at the
    first chunk that does not authenticate, or if the stream ends without its last chunk."""
    keyring = keyring or get_keyring()
    header = read_header(src)
    key = keyring.data_keys.get(header.key_id)
    if key is None:
        raise FileDecryptionError(f"the key {header.key_id!r} is not available")
    aead = AESGCM(key)
    record_size = header.chunk_size + TAG_BYTES
    record = src.read(record_size)
    counter = 0
    while True:
        if len(record) < TAG_BYTES:
            raise FileDecryptionError("the file is cut short")
        following = src.read(record_size) if len(record) == record_size else b""
        last = not following
        try:
            plaintext = aead.decrypt(
                _nonce(header, counter), record, _associated(header, last=last, purpose=purpose)
            )
        except InvalidTag:
            raise FileDecryptionError(
                f"chunk {counter} does not decrypt: the file was changed, cut or reordered"
            ) from None
        yield plaintext
        if last:
            return
        record = following
        counter += 1


class Opener(io.RawIOBase):
    """Reads the plaintext of ``src`` as a file (for readers such as tarfile); raises
    ``FileDecryptionError`` at the first damaged chunk. ``finish()`` reads to the end, so that
    a file cut short after the last byte a reader wanted is noticed too."""

    def __init__(self, src: BinaryIO, *, purpose: str, keyring: Keyring | None = None) -> None:
        self._chunks = decrypt_stream(src, purpose=purpose, keyring=keyring)
        self._pending = b""
        self._done = False

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending and not self._done:
            try:
                self._pending = next(self._chunks)
            except StopIteration:
                self._done = True
        count = min(len(buffer), len(self._pending))
        buffer[:count] = self._pending[:count]
        self._pending = self._pending[count:]
        return count

    def finish(self) -> None:
        for _chunk in self._chunks:
            pass
        self._done = True
        self._pending = b""
