"""Key rotation: re-encrypt every personal field and every encrypted file under a new key.

How it holds up
- Start: a new data key is added to the keyring file and made active, and every other data key
  is marked *retiring*. Running processes re-read the file within ``crypto.RECHECK_SECONDS`` and
  from then on write with the new key; old tokens stay readable because the old key is still
  present.
- Sweep: every table with encrypted columns is walked in primary-key batches with plain SQL.
  A token whose key is retiring is decrypted and encrypted again with the active key. Each
  update is a compare-and-swap on the old token, so a value that a user changed meanwhile is
  left alone (it is already on the new key). Then every registered file store does the same
  for its files.
- Finish: a last check counts tokens still on a retiring key (a write that raced the start);
  when none is left, the retiring keys are dropped from the keyring file.
- A crash (even SIGKILL) at any point leaves every value readable: a batch is one
  transaction, a file is replaced atomically, and the keyring keeps the old keys until the end.
  Running the rotation again resumes: the keyring still lists the keys being retired, and a
  token already on the active key is never touched, so nothing is encrypted twice.
"""

from __future__ import annotations

import contextlib
import secrets
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.apps import apps
from django.db import connection, transaction

from lifeline.core import crypto, keystore
from lifeline.core.fields import EncryptedTextField

DEFAULT_BATCH_SIZE = 500


@dataclass(frozen=True)
class EncryptedTable:
    label: str
    table: str
    pk_column: str
    columns: tuple[tuple[str, str], ...]  # (column, purpose)


def encrypted_tables() -> list[EncryptedTable]:
    """Every table holding encrypted fields, found from the models so that none is forgotten."""
    tables = []
    for model in apps.get_models():
        columns = tuple(
            (str(f.column), f.purpose)
            for f in model._meta.concrete_fields
            if isinstance(f, EncryptedTextField)
        )
        if columns:
            tables.append(
                EncryptedTable(
                    label=model._meta.label,
                    table=model._meta.db_table,
                    pk_column=str(model._meta.pk.column),
                    columns=columns,
                )
            )
    return sorted(tables, key=lambda t: t.label)


@dataclass(frozen=True)
class FileStore:
    """Encrypted files that a rotation must re-encrypt too (registered by the app that owns
    them, e.g. evidence): how to list them, read a file's key id and re-encrypt one."""

    name: str
    paths: Callable[[], Iterable[Path]]
    key_id: Callable[[Path], str]
    reencrypt: Callable[[Path], bool]


_file_stores: dict[str, FileStore] = {}


def register_file_store(store: FileStore) -> None:
    _file_stores[store.name] = store


def file_stores() -> list[FileStore]:
    return list(_file_stores.values())


@dataclass
class KeyUsage:
    """How many stored values are encrypted under each key id."""

    fields: dict[str, int] = field(default_factory=dict)
    files: dict[str, int] = field(default_factory=dict)
    records: int = 0

    def add_field(self, key_id: str) -> None:
        self.fields[key_id] = self.fields.get(key_id, 0) + 1

    def add_file(self, key_id: str) -> None:
        self.files[key_id] = self.files.get(key_id, 0) + 1


def _quote(name: str) -> str:
    return connection.ops.quote_name(name)


def _batches(table: EncryptedTable, batch_size: int) -> Iterator[list[tuple[Any, ...]]]:
    """Rows of ``table`` (pk first, then its encrypted columns) in pk order, a batch at a time.

    Each batch is read inside the caller's transaction so that the compare-and-swap updates
    that follow see the same rows.
    """
    columns = ", ".join(_quote(c) for c, _ in table.columns)
    pk = _quote(table.pk_column)
    sql = (
        f"SELECT {pk}, {columns} FROM {_quote(table.table)} "  # noqa: S608 - names from models # nosec B608
        f"WHERE {pk} > %s ORDER BY {pk} LIMIT %s"
    )
    last: Any = -1
    while True:
        with connection.cursor() as cursor:
            cursor.execute(sql, [last, batch_size])
            rows = cursor.fetchall()
        if not rows:
            return
        yield rows
        last = rows[-1][0]


def key_usage() -> KeyUsage:
    """Count values per key id over every encrypted column and file (`keys status`)."""
    usage = KeyUsage()
    for table in encrypted_tables():
        for rows in _batches(table, 5000):
            usage.records += len(rows)
            for row in rows:
                for token in row[1:]:
                    if token:
                        usage.add_field(crypto.token_key_id(str(token)) or "?")
    for store in file_stores():
        for path in store.paths():
            usage.add_file(store.key_id(path))
    return usage


def count_records() -> int:
    total = 0
    with connection.cursor() as cursor:
        for table in encrypted_tables():
            cursor.execute(f"SELECT COUNT(*) FROM {_quote(table.table)}")  # noqa: S608 - names from the models # nosec B608
            total += int(cursor.fetchone()[0])
    return total


@dataclass
class RotationResult:
    new_key_id: str
    retired: list[str]
    records_scanned: int = 0
    values_reencrypted: int = 0
    files_reencrypted: int = 0
    unreadable: int = 0
    seconds: float = 0.0
    sweep_seconds: float = 0.0
    resumed: bool = False


class RotationError(Exception):
    pass


def start(path: Path) -> tuple[crypto.Keyring, bool]:
    """Add a new active key and mark the others retiring, unless a rotation is under way.

    Returns the keyring and whether an unfinished rotation was resumed.
    """
    keyring = crypto.load_keyring()
    if keyring.shredded_at is not None:
        raise RotationError(f"The keys were destroyed on {keyring.shredded_at}: nothing to rotate.")
    if keyring.retiring:
        return keyring, True
    new_id = keyring.next_key_id()
    rotated = crypto.Keyring(
        active_key_id=new_id,
        data_keys={**keyring.data_keys, new_id: secrets.token_bytes(crypto.KEY_BYTES)},
        index_key=keyring.index_key,
        retiring=frozenset(keyring.data_keys),
    )
    keystore.write_keyring(path, rotated)
    return rotated, False


def _swap(
    cursor: Any, table: EncryptedTable, column: str, params: list[tuple[str, Any, str]]
) -> None:
    """Write the new tokens, each only where the row still holds the old one (compare-and-swap:
    a value changed since it was read is already on the new key)."""
    name, pk, quoted = _quote(table.table), _quote(table.pk_column), _quote(column)
    if connection.vendor == "postgresql":
        # One statement per batch: a round trip per row is what makes a rotation slow there.
        values = ", ".join(["(%s, %s, %s)"] * len(params))
        cursor.execute(
            f"UPDATE {name} AS t SET {quoted} = v.fresh "  # noqa: S608 - names from the models # nosec B608
            f"FROM (VALUES {values}) AS v(fresh, id, old) "
            f"WHERE t.{pk} = v.id AND t.{quoted} = v.old",
            [item for row in params for item in row],
        )
        return
    cursor.executemany(
        f"UPDATE {name} SET {quoted} = %s WHERE {pk} = %s AND {quoted} = %s",  # noqa: S608 - names from the models # nosec B608
        params,
    )


def _reencrypt_table(
    table: EncryptedTable,
    retiring: frozenset[str],
    batch_size: int,
    result: RotationResult,
    progress: Callable[[int], None],
    pause: float = 0.0,
) -> int:
    """One pass over ``table``; returns how many values it re-encrypted."""
    changed = 0
    for rows in _batches(table, batch_size):
        updates: dict[str, list[tuple[str, Any, str]]] = {}
        for row in rows:
            for (column, purpose), token in zip(table.columns, row[1:], strict=True):
                if not token or crypto.token_key_id(str(token)) not in retiring:
                    continue
                try:
                    plaintext = crypto.decrypt(str(token), purpose=purpose)
                except crypto.DecryptionError:
                    # Tampered: no key can read it, so keeping the old key would not help.
                    result.unreadable += 1
                    continue
                fresh = crypto.encrypt(plaintext, purpose=purpose)
                updates.setdefault(column, []).append((fresh, row[0], str(token)))
        with transaction.atomic(), connection.cursor() as cursor:
            for column, params in updates.items():
                _swap(cursor, table, column, params)
                changed += len(params)
        result.records_scanned += len(rows)
        progress(len(rows))
        if pause:
            time.sleep(pause)
    return changed


def rotate(
    *,
    batch_size: int = DEFAULT_BATCH_SIZE,
    settle_seconds: float = 2 * crypto.RECHECK_SECONDS,
    pause: float = 0.0,
    progress: Callable[[int], None] = lambda n: None,
    on_start: Callable[[RotationResult, int], None] = lambda result, total: None,
) -> RotationResult:
    """Rotate the data keys (see the module docstring). Safe to call again after a crash.

    ``pause`` sleeps between batches, to leave room for a busy service.
    """
    if batch_size < 1:
        raise RotationError("The batch size must be at least 1.")
    path = keystore.writable_keyring_path("rotate")
    began = time.monotonic()
    with contextlib.ExitStack() as stack:
        try:
            stack.enter_context(keystore.exclusive(path))
        except BlockingIOError as exc:
            raise RotationError("Another key command is running on this keyring.") from exc
        keyring, resumed = start(path)
        crypto.reset_keyring()
        result = RotationResult(
            new_key_id=keyring.active_key_id, retired=sorted(keyring.retiring), resumed=resumed
        )
        # Let every running process pick up the new active key before sweeping.
        time.sleep(settle_seconds)
        paths_by_store = [(store, list(store.paths())) for store in file_stores()]
        on_start(result, count_records() + sum(len(paths) for _, paths in paths_by_store))
        sweep_began = time.monotonic()
        for table in encrypted_tables():
            result.values_reencrypted += _reencrypt_table(
                table, keyring.retiring, batch_size, result, progress, pause
            )
        for store, paths in paths_by_store:
            for file_path in paths:
                if file_path.exists() and store.reencrypt(file_path):
                    result.files_reencrypted += 1
                progress(1)
        # A write that began before the switch may have landed after its row was swept: sweep
        # again until a pass finds nothing left on a retiring key.
        for _ in range(5):
            counted = (result.unreadable, result.records_scanned)
            changed = sum(
                _reencrypt_table(table, keyring.retiring, batch_size, result, lambda n: None)
                for table in encrypted_tables()
            )
            result.unreadable, result.records_scanned = counted  # counted in the first pass
            result.values_reencrypted += changed
            if changed == 0:
                break
        else:
            raise RotationError(
                "Values are still being written with a retiring key; run the rotation again."
            )
        result.sweep_seconds = time.monotonic() - sweep_began
        finished = crypto.Keyring(
            active_key_id=keyring.active_key_id,
            data_keys={k: v for k, v in keyring.data_keys.items() if k not in keyring.retiring},
            index_key=keyring.index_key,
        )
        keystore.write_keyring(path, finished)
        crypto.reset_keyring()
    result.seconds = time.monotonic() - began
    return result
