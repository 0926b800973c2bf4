"""Encrypted backups: one file holding a consistent database snapshot, the evidence files and
the keys, and restoring it into an empty instance.

Format: a tar stream (``manifest.json``, ``keys.json``, ``database.sqlite3`` or
``database.pgdump``, ``evidence/…``) encrypted with a key derived from a passphrase (scrypt)
in the chunked AES-256-GCM format of the evidence files (``lifeline.core.filecrypt``), bound
to the backup's salt. A changed, truncated or reordered byte fails the restore before anything
is written to the instance.

Consistency: the database snapshot is taken first, inside one transaction (SQLite's backup API,
or pg_dump's snapshot), while the service keeps running; evidence files are written once and
never changed in place (a rotation replaces a file atomically), so every file the snapshot
names is copied whole. A file uploaded after the snapshot may come along too, unnamed and
harmless.
"""

from __future__ import annotations

import contextlib
import datetime
import io
import json
import os
import shutil
import sqlite3
import subprocess  # nosec B404 - runs pg_dump/pg_restore only
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from cryptography.hazmat.primitives.kdf.scrypt import Scrypt
from django.conf import settings
from django.db import connection, connections

from lifeline.core import crypto, filecrypt, keystore
from lifeline.core.env import env_str

FORMAT = 1
MAGIC = b"LIFELINE-BACKUP-1\n"
SALT_BYTES = 16
BACKUP_KEY_ID = "backup"
# scrypt cost: about 0.1 s and 32 MiB per derivation, paid once per backup or restore.
SCRYPT_N = 2**15
MIN_PASSPHRASE = 12
SQLITE_MEMBER = "database.sqlite3"
PGDUMP_MEMBER = "database.pgdump"


class BackupError(Exception):
    """Something the operator must fix; the message says what. Nothing was changed."""


def evidence_dir() -> Path:
    # Read from settings rather than through lifeline.evidence.storage, which creates the
    # folder: a backup or a restore must not make one where there is none.
    return Path(settings.LIFELINE_EVIDENCE_DIR)


def _derive(passphrase: str, salt: bytes) -> bytes:
    if len(passphrase) < MIN_PASSPHRASE:
        raise BackupError(f"The backup passphrase must be at least {MIN_PASSPHRASE} characters.")
    kdf = Scrypt(salt=salt, length=crypto.KEY_BYTES, n=SCRYPT_N, r=8, p=1)
    return kdf.derive(passphrase.encode("utf-8"))


def _engine() -> str:
    vendor = connection.vendor
    if vendor not in {"sqlite", "postgresql"}:
        raise BackupError(f"Backups support SQLite and PostgreSQL, not {vendor}.")
    return vendor


@contextlib.contextmanager
def _private_workdir() -> Iterator[Path]:
    """A folder beside the data, readable by this user only, removed afterwards: snapshots
    must never sit in a shared /tmp."""
    base = Path(settings.DATA_DIR)
    with tempfile.TemporaryDirectory(prefix=".backup-", dir=base) as name:
        os.chmod(name, 0o700)
        yield Path(name)


def _pg_args() -> tuple[list[str], dict[str, str]]:
    db = settings.DATABASES["default"]
    args = ["--host", str(db.get("HOST") or "localhost"), "--port", str(db.get("PORT") or 5432)]
    if db.get("USER"):
        args += ["--username", str(db["USER"])]
    env = dict(os.environ)
    if db.get("PASSWORD"):
        env["PGPASSWORD"] = str(db["PASSWORD"])
    return args, env


def _tool(name: str) -> str:
    found = shutil.which(name)
    if found is None:
        raise BackupError(
            f"{name} is needed for PostgreSQL backups: install the PostgreSQL client tools "
            "of the server's major version."
        )
    return found


def _snapshot_database(workdir: Path) -> tuple[str, Path]:
    if _engine() == "sqlite":
        target = workdir / SQLITE_MEMBER
        source = sqlite3.connect(str(settings.DATABASES["default"]["NAME"]), timeout=30)
        try:
            copy = sqlite3.connect(str(target))
            with copy:
                source.backup(copy)  # one consistent read, writers keep going (WAL)
            copy.close()
        finally:
            source.close()
        return SQLITE_MEMBER, target
    target = workdir / PGDUMP_MEMBER
    args, env = _pg_args()
    result = subprocess.run(  # noqa: S603 - fixed program, arguments from settings # nosec B603
        [
            _tool("pg_dump"),
            *args,
            "--format=custom",
            "--no-owner",
            "--no-privileges",
            "--file",
            str(target),
            str(settings.DATABASES["default"]["NAME"]),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed: {result.stderr.strip()}")
    return PGDUMP_MEMBER, target


COUNTED_TABLES = (
    ("organisations", "accounts_organisation"),
    ("persons", "people_person"),
    ("cases", "cases_case"),
    ("requests", "cases_request"),
    ("audit_events", "audit_auditevent"),
)


def _counts(cursor: Any) -> dict[str, Any]:
    """What the snapshot holds, to compare with the instance after a restore."""
    counts: dict[str, Any] = {}
    for label, table in COUNTED_TABLES:
        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')  # noqa: S608 - fixed names # nosec B608
        counts[label] = int(cursor.fetchone()[0])
    cursor.execute('SELECT hash FROM "audit_auditchainhead" WHERE id = 1')
    row = cursor.fetchone()
    counts["audit_head"] = row[0] if row else ""
    return counts


def _snapshot_counts(member: str, snapshot: Path) -> dict[str, Any]:
    if member == SQLITE_MEMBER:
        db = sqlite3.connect(str(snapshot))
        try:
            return _counts(db.cursor())
        finally:
            db.close()
    # pg_dump's snapshot cannot be queried; these are read just after it.
    with connection.cursor() as cursor:
        return _counts(cursor)


def instance_counts() -> dict[str, Any]:
    with connection.cursor() as cursor:
        return _counts(cursor)


@dataclass
class BackupResult:
    path: Path
    size: int
    files: int
    seconds: float
    counts: dict[str, Any]


def _add_bytes(tar: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))


def passphrase_from_env() -> str | None:
    return env_str("LIFELINE_BACKUP_PASSPHRASE")


def create(
    output: Path,
    passphrase: str,
    *,
    include_keys: bool = True,
    progress: Callable[[int], None] = lambda n: None,
) -> BackupResult:
    """Write an encrypted backup to ``output`` (created with mode 0600; never overwritten)."""
    import time

    began = time.monotonic()
    salt = os.urandom(SALT_BYTES)
    key = _derive(passphrase, salt)
    keyring = crypto.get_keyring()
    if include_keys and keyring.shredded_at is not None:
        raise BackupError("The keys were destroyed: a backup now would hold unreadable data.")
    try:
        fd = os.open(output, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise BackupError(f"{output} exists already: choose a new file name.") from None
    files = 0
    try:
        with _private_workdir() as workdir, os.fdopen(fd, "wb") as raw:
            raw.write(MAGIC + salt)
            with (
                filecrypt.Sealer(raw, purpose=_purpose(salt), keyring=_keyring(key)) as sealed,
                tarfile.open(fileobj=sealed, mode="w|") as tar,
            ):
                member, snapshot = _snapshot_database(workdir)
                counts = _snapshot_counts(member, snapshot)
                manifest = {
                    "format": FORMAT,
                    "created_at": datetime.datetime.now(datetime.UTC).isoformat(),
                    "engine": connection.vendor,
                    "database": member,
                    "keys": include_keys,
                    "counts": counts,
                }
                _add_bytes(tar, "manifest.json", json.dumps(manifest, indent=2).encode())
                if include_keys:
                    _add_bytes(tar, "keys.json", keyring.to_json().encode())
                tar.add(str(snapshot), arcname=member)
                snapshot.unlink()
                evidence = evidence_dir()
                if evidence.is_dir():
                    for path in sorted(evidence.rglob("*")):
                        if path.is_file() and not path.name.startswith("."):
                            tar.add(str(path), arcname=f"evidence/{path.relative_to(evidence)}")
                            files += 1
                            progress(path.stat().st_size)
            raw.flush()
            os.fsync(raw.fileno())
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            output.unlink()
        raise
    return BackupResult(
        path=output,
        size=output.stat().st_size,
        files=files,
        seconds=time.monotonic() - began,
        counts=counts,
    )


# Restore ----------------------------------------------------------------------------------


def _keyring(key: bytes) -> crypto.Keyring:
    """The passphrase's key, as the one key of a keyring for ``filecrypt``."""
    return crypto.Keyring(
        active_key_id=BACKUP_KEY_ID, data_keys={BACKUP_KEY_ID: key}, index_key=b""
    )


def _purpose(salt: bytes) -> str:
    # Bound as associated data: a sealed stream moved behind another backup's salt fails.
    return f"lifeline.backup.{salt.hex()}"


def _open_sealed(path: Path, passphrase: str) -> tuple[IO[bytes], filecrypt.Opener]:
    raw = open(path, "rb")  # noqa: SIM115 - closed by the caller
    header = raw.read(len(MAGIC) + SALT_BYTES)
    if not header.startswith(MAGIC) or len(header) != len(MAGIC) + SALT_BYTES:
        raw.close()
        raise BackupError(f"{path} is not a Lifeline backup.")
    salt = header[len(MAGIC) :]
    key = _derive(passphrase, salt)
    return raw, filecrypt.Opener(raw, purpose=_purpose(salt), keyring=_keyring(key))


def check(path: Path, passphrase: str) -> dict[str, Any]:
    """Decrypt and read the whole backup without restoring it; returns its manifest."""
    raw, sealed = _open_sealed(path, passphrase)
    manifest: dict[str, Any] | None = None
    try:
        with tarfile.open(fileobj=sealed, mode="r|") as tar:
            for member in tar:
                _safe_relative(member.name)
                handle = tar.extractfile(member)
                if handle is None:
                    continue
                if member.name == "manifest.json":
                    manifest = json.loads(handle.read())
                else:
                    while handle.read(1024 * 1024):
                        pass
        sealed.finish()
    except (filecrypt.FileDecryptionError, tarfile.TarError) as exc:
        raise BackupError(f"The backup does not decrypt: {exc}") from exc
    finally:
        raw.close()
    if manifest is None:
        raise BackupError("The backup has no manifest.")
    return manifest


def _instance_is_empty() -> bool:
    tables = set(connection.introspection.table_names())
    if "accounts_organisation" not in tables:
        return True
    with connection.cursor() as cursor:
        for table in ("accounts_organisation", "audit_auditevent", "people_person"):
            if table in tables:
                cursor.execute(f"SELECT 1 FROM {connection.ops.quote_name(table)} LIMIT 1")  # noqa: S608 - names from the models # nosec B608
                if cursor.fetchone() is not None:
                    return False
    return True


def _safe_relative(name: str) -> Path:
    relative = Path(name)
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        raise BackupError(f"The backup holds an unsafe path: {name!r}")
    return relative


def _restore_sqlite(snapshot: Path) -> None:
    target = str(settings.DATABASES["default"]["NAME"])
    connections.close_all()
    source = sqlite3.connect(str(snapshot))
    try:
        destination = sqlite3.connect(target, timeout=30)
        with destination:
            source.backup(destination)
        destination.close()
    finally:
        source.close()


def _restore_postgresql(snapshot: Path) -> None:
    args, env = _pg_args()
    connections.close_all()
    result = subprocess.run(  # noqa: S603 - fixed program, arguments from settings # nosec B603
        [
            _tool("pg_restore"),
            *args,
            "--no-owner",
            "--no-privileges",
            "--clean",
            "--if-exists",
            "--exit-on-error",
            "--single-transaction",
            "--dbname",
            str(settings.DATABASES["default"]["NAME"]),
            str(snapshot),
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed: {result.stderr.strip()}")


@dataclass
class RestoreResult:
    manifest: dict[str, Any]
    files: int
    keys_written_to: Path | None


def restore(path: Path, passphrase: str, *, keys_out: Path | None = None) -> RestoreResult:
    """Bring the backup at ``path`` into this instance, which must hold no data yet.

    The backup is first read whole to check it decrypts; only then is anything written.
    """
    manifest = check(path, passphrase)
    if manifest.get("format") != FORMAT:
        raise BackupError(f"Unsupported backup format {manifest.get('format')!r}.")
    if manifest["engine"] != _engine():
        raise BackupError(
            f"The backup is of a {manifest['engine']} database; this instance uses "
            f"{connection.vendor}."
        )
    if not _instance_is_empty():
        raise BackupError("This instance already holds data: restore into an empty one.")
    evidence = evidence_dir()
    if evidence.is_dir() and any(evidence.iterdir()):
        raise BackupError(f"{evidence} is not empty: restore into an empty instance.")
    keys_path = keys_out or crypto.keyring_path()
    if manifest["keys"] and keys_path is None:
        raise BackupError(
            "The keys come from LIFELINE_KEYS: give --keys-out FILE to write the restored keys, "
            "then start Lifeline with LIFELINE_KEYS_FILE pointing at it."
        )
    files = 0
    raw, sealed = _open_sealed(path, passphrase)
    try:
        with _private_workdir() as workdir, tarfile.open(fileobj=sealed, mode="r|") as tar:
            for member in tar:
                relative = _safe_relative(member.name)
                if not member.isfile():
                    continue
                handle = tar.extractfile(member)
                if handle is None:
                    continue
                if member.name == "keys.json":
                    keyring = crypto.Keyring.from_json(handle.read().decode(), source=str(path))
                    if keys_path is None:  # checked above; kept for the type checker
                        raise BackupError("No place to write the restored keys.")
                    keystore.write_keyring(keys_path, keyring)
                    crypto.reset_keyring()
                elif member.name == manifest["database"]:
                    snapshot = workdir / relative.name
                    with open(snapshot, "wb") as out:
                        shutil.copyfileobj(handle, out, 1024 * 1024)
                    if manifest["engine"] == "sqlite":
                        _restore_sqlite(snapshot)
                    else:
                        _restore_postgresql(snapshot)
                    snapshot.unlink()
                elif relative.parts[0] == "evidence" and len(relative.parts) > 1:
                    target = evidence.joinpath(*relative.parts[1:])
                    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                    with open(target, "xb") as out:
                        shutil.copyfileobj(handle, out, 1024 * 1024)
                    os.chmod(target, 0o600)
                    files += 1
        sealed.finish()
    except (
        filecrypt.FileDecryptionError,
        tarfile.TarError,
    ) as exc:  # checked above; only a file changed meanwhile gets here
        raise BackupError(f"The backup changed while it was being restored: {exc}") from exc
    finally:
        raw.close()
    return RestoreResult(
        manifest=manifest, files=files, keys_written_to=keys_path if manifest["keys"] else None
    )
