"""Field encryption and blind indexes: the one place where Lifeline touches key material.

Contract
- Personal fields are encrypted with AES-256-GCM. A token is ``ll1.<key id>.<base64url(nonce ||
  ciphertext)>``; the key id lets old tokens be read after a rotation adds a new active key.
- Every token is bound to its *purpose* (for fields: ``app_label.Model.field``) as associated
  data, so a ciphertext copied into another column does not decrypt.
- Exact look-ups (phones, handles, passport numbers, name tokens) use a keyed blind index:
  HMAC-SHA256 under a separate index key, also bound to a purpose, truncated to 128 bits.
- Keys never live in the database. Embedded mode generates them on first run into
  ``LIFELINE_KEYS_PATH`` (mode 0600); production mode reads ``LIFELINE_KEYS`` or
  ``LIFELINE_KEYS_FILE`` and refuses to start without them.
- Destroying the keys makes every token unreadable; readers get ``DecryptionError`` (fields turn
  it into an ``UnreadableValue`` so that pages say so instead of crashing) and writers get
  ``KeysDestroyed``. A destroyed keyring leaves a tombstone so that embedded mode does not
  quietly generate fresh keys over it.
- A keyring kept in a file (embedded mode, or ``LIFELINE_KEYS_FILE``) is re-read when the file
  changes, so that a rotation or a shredding reaches every running process within
  ``RECHECK_SECONDS`` without a restart (lifeline.core.keystore writes it).
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import hashlib
import hmac
import json
import os
import secrets
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from lifeline.core.env import env_str
from lifeline.core.secrets import write_private_file

TOKEN_PREFIX = "ll1"  # noqa: S105 - a format marker, not a secret # nosec B105
KEY_BYTES = 32
NONCE_BYTES = 12
INDEX_BYTES = 16
KEYRING_FORMAT = 1
RECHECK_SECONDS = 1.0


class DecryptionError(Exception):
    """A token could not be decrypted: wrong purpose, tampered, or its key is gone."""


class KeysDestroyed(Exception):
    """The keys were shredded: nothing personal can be written or looked up any more."""

    def __init__(self, shredded_at: str) -> None:
        self.shredded_at = shredded_at
        super().__init__(
            f"The encryption keys were destroyed on {shredded_at}: personal data can no longer "
            "be read, written or searched on this server."
        )


@dataclass(frozen=True)
class Keyring:
    active_key_id: str
    data_keys: dict[str, bytes]
    index_key: bytes
    # Keys being phased out by a rotation that has not finished (lifeline.core.rotation).
    retiring: frozenset[str] = field(default_factory=frozenset)
    # Set on the tombstone that `lifeline keys shred` leaves; such a keyring holds no key.
    shredded_at: str | None = None

    @classmethod
    def generate(cls) -> Keyring:
        return cls(
            active_key_id="k1",
            data_keys={"k1": secrets.token_bytes(KEY_BYTES)},
            index_key=secrets.token_bytes(KEY_BYTES),
        )

    @classmethod
    def tombstone(cls, shredded_at: str) -> Keyring:
        return cls(active_key_id="", data_keys={}, index_key=b"", shredded_at=shredded_at)

    @classmethod
    def from_json(cls, text: str, *, source: str) -> Keyring:
        try:
            raw = json.loads(text)
            if raw.get("format") != KEYRING_FORMAT:
                raise ValueError(f"unsupported format {raw.get('format')!r}")
            if raw.get("shredded_at"):
                return cls.tombstone(str(raw["shredded_at"]))
            data_keys = {kid: _b64decode(value) for kid, value in raw["data_keys"].items()}
            keyring = cls(
                active_key_id=raw["active"],
                data_keys=data_keys,
                index_key=_b64decode(raw["index_key"]),
                retiring=frozenset(raw.get("retiring", [])),
            )
        except (ValueError, KeyError, TypeError, AttributeError, binascii.Error) as exc:
            raise ImproperlyConfigured(
                f"The encryption keys in {source} are malformed: {exc}"
            ) from exc
        if keyring.active_key_id not in keyring.data_keys:
            raise ImproperlyConfigured(
                f"The active key {keyring.active_key_id!r} is missing from {source}"
            )
        if any(len(key) != KEY_BYTES for key in [*keyring.data_keys.values(), keyring.index_key]):
            raise ImproperlyConfigured(f"Every key in {source} must be {KEY_BYTES} bytes")
        if not keyring.retiring <= set(keyring.data_keys) - {keyring.active_key_id}:
            raise ImproperlyConfigured(
                f"The keys being retired in {source} must be present and not the active one"
            )
        return keyring

    def to_json(self) -> str:
        if self.shredded_at is not None:
            return json.dumps({"format": KEYRING_FORMAT, "shredded_at": self.shredded_at})
        raw: dict[str, object] = {
            "format": KEYRING_FORMAT,
            "active": self.active_key_id,
            "data_keys": {kid: _b64encode(key) for kid, key in self.data_keys.items()},
            "index_key": _b64encode(self.index_key),
        }
        if self.retiring:
            raw["retiring"] = sorted(self.retiring)
        return json.dumps(raw, indent=2)

    @property
    def fingerprint(self) -> str:
        """A short, non-secret name for this keyring, asked for before destroying it."""
        if self.shredded_at is not None:
            return "shredded"
        return hashlib.sha256(b"lifeline-keyring\x00" + self.index_key).hexdigest()[:8]

    def next_key_id(self) -> str:
        """A key id not used before in this keyring: k1, k2, … (ids of retired keys included
        while they are still present)."""
        numbers = [int(kid[1:]) for kid in self.data_keys if kid[1:].isdigit()]
        return f"k{max(numbers, default=0) + 1}"


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


_keyring: Keyring | None = None
_pinned = False  # installed by reset_keyring(keyring): never re-read from the file
_file_signature: tuple[int, int, int] | None = None
_checked_at = 0.0
_lock = threading.Lock()


def _signature(path: Path | None) -> tuple[int, int, int] | None:
    if path is None:
        return None
    try:
        stat = path.stat()
    except FileNotFoundError:
        return None
    return (stat.st_ino, stat.st_mtime_ns, stat.st_size)


def keyring_path() -> Path | None:
    """The file the keys are kept in, or None when they come from LIFELINE_KEYS itself (and
    so cannot be rewritten by a rotation or a shredding)."""
    from_file = os.environ.get("LIFELINE_KEYS_FILE")
    if from_file:
        return Path(from_file)
    if os.environ.get("LIFELINE_KEYS") or settings.PRODUCTION:
        return None
    return Path(settings.LIFELINE_KEYS_PATH)


def load_keyring() -> Keyring:
    """Read the keys from the environment, or (embedded mode) from the data folder.

    Raises ImproperlyConfigured with a message naming the missing setting; never returns
    partial keys.
    """
    from_env = env_str("LIFELINE_KEYS")
    if from_env is not None:
        return Keyring.from_json(from_env, source="LIFELINE_KEYS")
    if settings.PRODUCTION:
        raise ImproperlyConfigured(
            "Production mode needs the encryption keys in LIFELINE_KEYS or LIFELINE_KEYS_FILE "
            "(generate them once with `lifeline keys generate`). Refusing to start without them."
        )
    path = Path(settings.LIFELINE_KEYS_PATH)
    if not path.exists():
        # Another process may win the race to create it; then read what it wrote.
        with contextlib.suppress(FileExistsError):
            write_private_file(path, Keyring.generate().to_json())
    if os.stat(path).st_mode & 0o077:
        raise ImproperlyConfigured(f"{path} must be readable by its owner only (chmod 600 {path})")
    return Keyring.from_json(path.read_text(encoding="utf-8"), source=str(path))


def get_keyring() -> Keyring:
    global _keyring, _file_signature, _checked_at
    now = time.monotonic()
    if _keyring is not None and (_pinned or now - _checked_at < RECHECK_SECONDS):
        return _keyring
    with _lock:
        path = keyring_path()
        signature = _signature(path)
        if _keyring is None or (not _pinned and signature != _file_signature):
            _keyring = load_keyring()
            # Read after loading: a first run creates the file.
            _file_signature = _signature(path)
        _checked_at = now
        return _keyring


def reset_keyring(keyring: Keyring | None = None) -> None:
    """Forget the cached keys (tests, and after a rotation); optionally install ``keyring``,
    which then stays until the next reset whatever the key file says."""
    global _keyring, _pinned, _file_signature
    with _lock:
        _keyring = keyring
        _pinned = keyring is not None
        _file_signature = None


def encrypt(plaintext: str, *, purpose: str) -> str:
    keyring = get_keyring()
    if keyring.shredded_at is not None:
        raise KeysDestroyed(keyring.shredded_at)
    key_id = keyring.active_key_id
    nonce = secrets.token_bytes(NONCE_BYTES)
    ciphertext = AESGCM(keyring.data_keys[key_id]).encrypt(
        nonce, plaintext.encode("utf-8"), purpose.encode("utf-8")
    )
    return f"{TOKEN_PREFIX}.{key_id}.{_b64encode(nonce + ciphertext)}"


def decrypt(token: str, *, purpose: str) -> str:
    try:
        prefix, key_id, body = token.split(".", 2)
    except ValueError as exc:
        raise DecryptionError("not an encrypted value") from exc
    if prefix != TOKEN_PREFIX:
        raise DecryptionError("not an encrypted value")
    key = get_keyring().data_keys.get(key_id)
    if key is None:
        raise DecryptionError(f"the key {key_id!r} is not available")
    try:
        raw = _b64decode(body)
        plaintext = AESGCM(key).decrypt(
            raw[:NONCE_BYTES], raw[NONCE_BYTES:], purpose.encode("utf-8")
        )
    except (InvalidTag, ValueError, binascii.Error) as exc:
        raise DecryptionError("the value does not decrypt with this key and purpose") from exc
    return plaintext.decode("utf-8")


def token_key_id(token: str) -> str | None:
    """The id of the key that encrypted ``token`` (for rotation progress), or None."""
    parts = token.split(".", 2)
    return parts[1] if len(parts) == 3 and parts[0] == TOKEN_PREFIX else None


def blind_index(value: str, *, purpose: str) -> str:
    """A keyed, deterministic digest of ``value`` for equality look-ups.

    The caller normalises ``value`` first (E.164 phones, lower-cased handles, name tokens):
    the digest only matches byte-identical input.
    """
    keyring = get_keyring()
    if keyring.shredded_at is not None:
        raise KeysDestroyed(keyring.shredded_at)
    mac = hmac.new(keyring.index_key, digestmod=hashlib.sha256)
    mac.update(purpose.encode("utf-8"))
    mac.update(b"\x00")
    mac.update(value.encode("utf-8"))
    return mac.digest()[:INDEX_BYTES].hex()
