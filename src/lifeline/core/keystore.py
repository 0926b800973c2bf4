"""Writing the keyring file: the only code that replaces or destroys key material on disk.

Every write goes to a temporary file in the same folder (mode 0600), is flushed to disk, then
renamed over the keyring, so that a crash leaves either the old keyring or the new one, never
half of one. Running processes notice the new file within ``crypto.RECHECK_SECONDS``.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import secrets
from collections.abc import Iterator
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.utils import timezone

from lifeline.core import crypto, files


class KeyFileRequired(ImproperlyConfigured):
    """The keys come from LIFELINE_KEYS itself, which no command can rewrite."""


def writable_keyring_path(action: str) -> Path:
    path = crypto.keyring_path()
    if path is None:
        raise KeyFileRequired(
            f"To {action} the keys, Lifeline must be able to rewrite them: give them as a file "
            "with LIFELINE_KEYS_FILE instead of the LIFELINE_KEYS variable."
        )
    return path


def write_keyring(path: Path, keyring: crypto.Keyring) -> None:
    """Atomically replace the keyring at ``path`` with ``keyring``."""
    files.write_atomically(
        path, lambda out: out.write(keyring.to_json().encode("utf-8")), temp_prefix=f".{path.name}."
    )


@contextlib.contextmanager
def exclusive(path: Path) -> Iterator[None]:
    """Hold a lock beside the keyring so that two rotations (or a rotation and a shredding)
    never rewrite it at the same time. Raises BlockingIOError if another command holds it."""
    lock_path = path.with_name(f".{path.name}.lock")
    fd = os.open(lock_path, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        yield
    finally:
        os.close(fd)


def shred(path: Path) -> str:
    """Destroy the keyring at ``path``: overwrite it in place with random bytes, flush, then
    leave a tombstone that says when. Returns the time of the shredding.

    Overwriting cannot reach copies that a journaling or copy-on-write file system or an SSD's
    wear levelling keeps elsewhere; docs/operator.md says so and what to do about it.
    """
    shredded_at = timezone.now().isoformat(timespec="seconds")
    if path.exists():
        size = max(path.stat().st_size, 4096)
        with open(path, "r+b") as handle:
            for _ in range(3):
                handle.seek(0)
                handle.write(secrets.token_bytes(size))
                handle.flush()
                os.fsync(handle.fileno())
    write_keyring(path, crypto.Keyring.tombstone(shredded_at))
    crypto.reset_keyring()
    return shredded_at
