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
  it into an ``UnreadableValue`` so that pages say so instead of crashing).
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
from dataclasses import dataclass
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


class DecryptionError(Exception):
    """A token could not be decrypted: wrong purpose, tampered, or its key is gone."""


@dataclass(frozen=True)
class Keyring:
    active_key_id: str
    data_keys: dict[str, bytes]
    index_key: bytes

    @classmethod
    def generate(cls) -> Keyring:
        return cls(
            active_key_id="k1",
            data_keys={"k1": secrets.token_bytes(KEY_BYTES)},
            index_key=secrets.token_bytes(KEY_BYTES),
        )

    @classmethod
    def from_json(cls, text: str, *, source: str) -> Keyring:
        try:
            raw = json.loads(text)
            if raw.get("format") != KEYRING_FORMAT:
                raise ValueError(f"unsupported format {raw.get('format')!r}")
            data_keys = {kid: _b64decode(value) for kid, value in raw["data_keys"].items()}
            keyring = cls(
                active_key_id=raw["active"],
                data_keys=data_keys,
                index_key=_b64decode(raw["index_key"]),
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
        return keyring

    def to_json(self) -> str:
        return json.dumps(
            {
                "format": KEYRING_FORMAT,
                "active": self.active_key_id,
                "data_keys": {kid: _b64encode(key) for kid, key in self.data_keys.items()},
                "index_key": _b64encode(self.index_key),
            },
            indent=2,
        )


def _b64encode(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode("ascii").rstrip("=")


def _b64decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


_keyring: Keyring | None = None
_lock = threading.Lock()


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
    global _keyring
    if _keyring is None:
        with _lock:
            if _keyring is None:
                _keyring = load_keyring()
    return _keyring


def reset_keyring(keyring: Keyring | None = None) -> None:
    """Forget the cached keys (tests, and after a rotation); optionally install ``keyring``."""
    global _keyring
    with _lock:
        _keyring = keyring


def encrypt(plaintext: str, *, purpose: str) -> str:
    keyring = get_keyring()
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
    mac = hmac.new(get_keyring().index_key, digestmod=hashlib.sha256)
    mac.update(purpose.encode("utf-8"))
    mac.update(b"\x00")
    mac.update(value.encode("utf-8"))
    return mac.digest()[:INDEX_BYTES].hex()
