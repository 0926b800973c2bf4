"""Where evidence files live: one encrypted blob per original and per preview.

Contract
- Blobs sit under ``settings.LIFELINE_EVIDENCE_DIR`` (default ``DATA_DIR/evidence``, mode 0700),
  in a two-character fan-out folder: ``<dir>/ab/ab12…``. A blob is named by 32 random hex
  characters, never by anything a user typed; the name is the only link from the database.
- Each blob is ``lifeline.core.filecrypt``'s chunked AES-256-GCM stream, bound to its own name
  as associated data (``blob_purpose``): a blob renamed or copied over another does not decrypt.
- Every write goes to a temporary file in the same folder, is fsynced, then moved into place
  with ``os.replace`` (and the folder fsynced): a crash leaves the old blob or the new one,
  never half of either. Temporary files start with ``.tmp-`` and are ignored by
  ``all_blob_paths``.
- Nothing here checks who may read a blob: callers go through the evidence selectors first.
"""

from __future__ import annotations

import os
import re
import secrets
from collections.abc import Iterable, Iterator
from pathlib import Path

from django.conf import settings

from lifeline.core import filecrypt, files
from lifeline.core.crypto import get_keyring

BLOB_NAME = re.compile(r"^[0-9a-f]{32}$")
TEMP_PREFIX = ".tmp-"


def evidence_dir() -> Path:
    """The evidence folder, created (mode 0700) on first use."""
    root = Path(settings.LIFELINE_EVIDENCE_DIR)
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    return root


def blob_purpose(name: str) -> str:
    """The associated data that binds a blob to its name."""
    return f"lifeline.evidence.blob:{name}"


def blob_path(name: str) -> Path:
    """The path of the blob called ``name``; refuses anything that is not a blob name, so a
    database value can never point outside the evidence folder."""
    if not BLOB_NAME.match(name):
        raise ValueError("not a blob name")
    return evidence_dir() / name[:2] / name


def _write_atomically(target: Path, chunks: Iterable[bytes], *, purpose: str) -> int:
    target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    return files.write_atomically(
        target,
        lambda out: filecrypt.encrypt_stream(chunks, out, purpose=purpose),
        temp_prefix=TEMP_PREFIX,
    )


def write_blob(chunks: Iterable[bytes]) -> str:
    """Encrypt ``chunks`` into a new blob with the active key; return its name."""
    name = secrets.token_hex(16)
    _write_atomically(blob_path(name), chunks, purpose=blob_purpose(name))
    return name


def open_plaintext(path: Path) -> Iterator[bytes]:
    """The decrypted content of the blob at ``path``, chunk by chunk (for downloads and
    ``evidence verify``). Raises ``filecrypt.FileDecryptionError`` at the first chunk that was
    changed, cut or reordered, or if its key is gone; ``FileNotFoundError`` if it is missing.
    A caller that must not act on unverified bytes reads to the end before using them."""
    with open(path, "rb") as src:
        yield from filecrypt.decrypt_stream(src, purpose=blob_purpose(path.name))


def blob_key_id(path: Path) -> str:
    """The id of the data key that encrypted the blob at ``path`` (rotation progress)."""
    with open(path, "rb") as src:
        return filecrypt.read_header(src).key_id


def reencrypt(path: Path) -> bool:
    """Re-encrypt the blob at ``path`` with the keyring's active key, if another key wrote it.

    Returns whether it rewrote the blob. Crash-safe (temporary file, fsync, ``os.replace``) and
    idempotent: a second call, or a call after an interrupted one, finds the active key id and
    returns False. The old key must still be in the keyring; the content is fully authenticated
    on the way through, and a damaged blob raises ``FileDecryptionError`` and is left as it was.
    """
    if blob_key_id(path) == get_keyring().active_key_id:
        return False
    _write_atomically(path, open_plaintext(path), purpose=blob_purpose(path.name))
    return True


def all_blob_paths() -> Iterator[Path]:
    """Every blob in the evidence folder (temporary files excluded), in name order."""
    root = evidence_dir()
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        for path in sorted(folder.iterdir()):
            if path.is_file() and BLOB_NAME.match(path.name):
                yield path


def destroy(path: Path) -> None:
    """Overwrite the blob at ``path`` with random bytes, sync, and unlink it (erasure).

    On flash storage and copy-on-write file systems an overwrite does not reach every physical
    copy; what makes the content unreadable for good is the encryption: once the key is
    rotated away and destroyed, no copy decrypts. A missing blob is not an error.
    """
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return
    with open(path, "r+b") as out:
        remaining = size
        while remaining > 0:
            step = min(remaining, 1024 * 1024)
            out.write(secrets.token_bytes(step))
            remaining -= step
        out.flush()
        os.fsync(out.fileno())
    path.unlink()
    files.fsync_dir(path.parent)
