"""The durable inbox of the public intake: acknowledge first, build the request behind.

A public submission (an SOS form or a bridge's message) is validated, its photos re-encoded,
and then committed as one encrypted ``InboxEntry`` row. Only that commit stands behind the
"received" the sender sees. Making the request, its receipt, its evidence and its audit events
(which lock the audit chain's head) happens afterwards, in batches, in ``drain``.

Two modes:

- **Inline** (the default: tests, ``lifeline runserver``, management commands): ``accept``
  writes the entry in the caller's thread and drains it at once, so the request exists when
  the page answers, as it did before the inbox.
- **Background** (``lifeline serve`` calls ``start_background`` before gunicorn forks): each
  server process runs one committer thread that commits the entries of concurrent submissions
  together (group commit: one disk sync for all of them instead of one each), and the serving
  process runs a drainer thread that makes the requests every fraction of a second. The
  triage queue shows a request about half a second after it was acknowledged, longer under a
  burst. ``lifeline intake drain`` does the same once, from the command line.

Exactly once: an entry's ``key`` is the receipt's ``token_digest`` (unique in both tables) and
an entry is marked drained in the same transaction that makes its request, so a crash at any
point leaves either the entry pending or the request made, never both or neither. A second
drainer (another server, the command) finds the entry drained or its receipt already there.
"""

from __future__ import annotations

import datetime
import fcntl
import json
import logging
import os
import queue
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.utils import timezone

from lifeline.core.tenancy import scopes_disabled
from lifeline.intake.models import InboxEntry, InboxKind, Receipt

logger = logging.getLogger(__name__)

# A submission that waits longer than this for its commit is answered "try again" (and may
# still be stored: the same form sent again is then recognised and gets the same code).
COMMIT_TIMEOUT = 15.0
# Entries committed together at most (a burst makes batches; one submission makes one).
MAX_BATCH = 64
# The drainer: how often it looks for new entries when idle, how long one of its transactions
# may hold SQLite's write lock, and the pause after each while submissions keep arriving, so
# that the committers (and the coordinators) get the lock in between.
DRAIN_INTERVAL = 0.25
DRAIN_BUDGET = 0.015
DRAIN_PAUSE = 0.05
# A committer that has not committed for this many seconds checks its connection first (a
# PostgreSQL server may have closed it meanwhile).
IDLE_CHECK = 1.0
# Attempts before an entry that cannot be made into a request is held for an operator
# (`lifeline intake drain --retry-held`); it stays in the inbox, never dropped.
MAX_ATTEMPTS = 5
# Entries made into requests per transaction (on SQLite about 100 ms of its write lock).
BATCH = 25


_turns = threading.local()


@contextmanager
def write_turn() -> Iterator[None]:
    """On SQLite, wait for the database's write lock in an OS file lock first.

    SQLite lets a waiting writer sleep and poll (1, 2, 5 … up to 100 ms at a time), so a commit
    that waits behind another process's transaction often sleeps far longer than that
    transaction lasts. The committers and drainers of all server processes queue on ``flock``
    instead, which wakes the next one as soon as the lock is released. Other writers (the
    coordinators' pages) still use SQLite's own waiting. Nothing to do on PostgreSQL."""
    name = str(connection.settings_dict["NAME"])
    in_memory = name == ":memory:" or "mode=memory" in name
    # Inside a transaction the SQLite lock may be held already: waiting for the turn then could
    # wait for a committer that waits for this very lock.
    if connection.vendor != "sqlite" or in_memory or connection.in_atomic_block:
        yield
        return
    handle = getattr(_turns, "handle", None)
    if handle is None or getattr(_turns, "pid", None) != os.getpid():
        # One open file per thread: flock is held per open file, not per thread.
        handle = open(f"{name}-write-turn", "a+b")  # noqa: SIM115 - kept for the thread's life
        _turns.handle, _turns.pid = handle, os.getpid()
    fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


class InboxUnavailable(Exception):
    """The entry could not be committed: the submission was not received."""


class Replayed(Exception):
    """A bridge's post whose signature was already accepted."""


@dataclass
class Submission:
    """One submission to commit; ``payload`` is what the drainer gets back (JSON-able)."""

    organisation_id: int
    kind: str
    key: str
    code_digest: str
    payload: dict[str, Any]
    signature_digest: str | None = None

    def entry(self) -> InboxEntry:
        return InboxEntry(
            organisation_id=self.organisation_id,
            kind=self.kind,
            key=self.key,
            code_digest=self.code_digest,
            signature_digest=self.signature_digest,
            payload=json.dumps(self.payload, ensure_ascii=False, separators=(",", ":")),
        )


@dataclass
class _Waiter:
    submission: Submission
    done: threading.Event = field(default_factory=threading.Event)
    created: bool = False
    error: Exception | None = None


def _insert(submission: Submission) -> bool:
    """Insert one entry inside the caller's transaction: True if new, False if an entry (or a
    tombstone) with its key exists. Raises ``Replayed`` for a signature seen before."""
    try:
        with transaction.atomic():
            submission.entry().save(force_insert=True)
    except IntegrityError:
        if (
            submission.signature_digest
            and InboxEntry.objects.filter(signature_digest=submission.signature_digest).exists()
        ):
            raise Replayed from None
        if InboxEntry.objects.filter(key=submission.key).exists():
            return False
        raise
    return True


class GroupCommitter:
    """One thread per server process that commits the entries of concurrent submissions in one
    transaction. A submitting thread blocks in ``submit`` until its entry is committed."""

    def __init__(self) -> None:
        self._queue: queue.Queue[_Waiter] = queue.Queue()
        self._lock = threading.Lock()
        self._pid: int | None = None
        self._last_commit = 0.0

    def submit(self, submission: Submission) -> bool:
        self._ensure_thread()
        waiter = _Waiter(submission)
        self._queue.put(waiter)
        if not waiter.done.wait(COMMIT_TIMEOUT):
            raise InboxUnavailable("the inbox did not commit in time")
        if waiter.error is not None:
            raise waiter.error
        return waiter.created

    def _ensure_thread(self) -> None:
        # Threads do not survive gunicorn's fork: each worker starts its own, once.
        if self._pid == os.getpid():
            return
        with self._lock:
            if self._pid != os.getpid():
                self._queue = queue.Queue()
                threading.Thread(target=self._run, name="lifeline-inbox", daemon=True).start()
                self._pid = os.getpid()

    def _run(self) -> None:
        pending = self._queue
        while True:
            batch = [pending.get()]
            while len(batch) < MAX_BATCH:
                try:
                    batch.append(pending.get_nowait())
                except queue.Empty:
                    break
            self._commit(batch)

    def _commit(self, batch: list[_Waiter]) -> None:
        # Under a burst batches follow each other closely: the connection was just used.
        if time.monotonic() - self._last_commit > IDLE_CHECK:
            _reconnect_if_broken()
        try:
            with scopes_disabled(), write_turn():
                try:
                    # The usual case, every entry new: one INSERT for the whole batch.
                    with transaction.atomic():
                        InboxEntry.objects.bulk_create([w.submission.entry() for w in batch])
                    for waiter in batch:
                        waiter.created = True
                except IntegrityError:
                    # A form sent twice, a bridge's retry or a replay: one at a time.
                    with transaction.atomic():
                        for waiter in batch:
                            try:
                                waiter.created = _insert(waiter.submission)
                            except Replayed as exc:
                                waiter.error = exc
                            except IntegrityError as exc:  # this one only; the others go on
                                waiter.error = InboxUnavailable(type(exc).__name__)
            self._last_commit = time.monotonic()
        except Exception as exc:
            logger.exception("the inbox could not commit %d submissions", len(batch))
            for waiter in batch:
                waiter.error = InboxUnavailable(type(exc).__name__)
            # A broken connection is replaced at the next batch.
            connection.close()
        finally:
            for waiter in batch:
                waiter.done.set()


def _reconnect_if_broken() -> None:
    # A thread that lives as long as the server keeps its connection; a PostgreSQL connection
    # closed by the server meanwhile is replaced before it fails a batch (SQLite's always works).
    if connection.connection is not None and not connection.is_usable():
        connection.close()


_committer = GroupCommitter()
_background = False


def start_background(*, drainer: bool = True) -> tuple[threading.Thread, threading.Event] | None:
    """Switch this process (and the workers it forks) to background mode; with ``drainer``,
    start the drainer thread here. Called by ``lifeline serve`` before gunicorn forks."""
    global _background
    _background = True
    return start_drainer() if drainer else None


def accept(submission: Submission) -> bool:
    """Commit ``submission`` durably; True if it is new, False if the same one (same key) was
    accepted before. When this returns, the submission survives a crash of this process, and
    the page may answer "received". Raises ``InboxUnavailable`` (not received) or ``Replayed``.

    In inline mode the entry is also drained before this returns."""
    if _background:
        return _committer.submit(submission)
    try:
        with scopes_disabled(), transaction.atomic():
            created = _insert(submission)
    except DatabaseError as exc:
        raise InboxUnavailable(type(exc).__name__) from exc
    drain_key(submission.key)
    return created


# Draining ------------------------------------------------------------------------------------

# kind -> the service that makes the request from an entry's payload, inside the drainer's
# transaction: ``handler(entry, payload) -> Request``. Registered by lifeline.intake.services.
HANDLERS: dict[str, Callable[[InboxEntry, dict[str, Any]], Any]] = {}


@dataclass
class DrainResult:
    drained: int = 0
    failed: int = 0


def _drain_entry(entry: InboxEntry) -> bool:
    """Make ``entry``'s request, or find it made; mark the entry drained. Runs inside the
    drainer's transaction, with the entry locked. False if it failed (counted, kept)."""
    try:
        with transaction.atomic():
            receipt = Receipt.objects.filter(token_digest=entry.key).only("request_id").first()
            if receipt is not None:  # made already, by another drainer or before the inbox
                request_id = receipt.request_id
            else:
                payload = json.loads(entry.payload)
                request_id = HANDLERS[entry.kind](entry, payload).pk
            InboxEntry.objects.filter(pk=entry.pk).update(
                drained_at=timezone.now(), payload="", request_id=request_id, failure=""
            )
    except Exception as exc:
        # Kept for another attempt; after MAX_ATTEMPTS held for an operator. Never dropped.
        logger.exception("inbox entry %s could not be made into a request", entry.pk)
        InboxEntry.objects.filter(pk=entry.pk).update(
            attempts=entry.attempts + 1, failure=type(exc).__name__[:64]
        )
        return False
    return True


def _pending(*, retry_held: bool = False) -> Any:
    entries = InboxEntry.objects.filter(drained_at__isnull=True)
    return entries if retry_held else entries.filter(attempts__lt=MAX_ATTEMPTS)


def drain(
    *, limit: int = 1000, budget: float | None = None, retry_held: bool = False
) -> DrainResult:
    """Make requests of up to ``limit`` pending entries, oldest first, in transactions of
    ``BATCH`` entries. With ``budget`` (seconds), only one transaction, ended once it has
    lasted that long: the rest waits for the next call (the background drainer)."""
    result = DrainResult()
    with scopes_disabled():
        pending = _pending(retry_held=retry_held).order_by("id")
        ids = list(pending.values_list("id", flat=True)[: BATCH if budget is not None else limit])
        for start in range(0, len(ids), BATCH):
            began = time.monotonic()
            with write_turn(), transaction.atomic():
                for entry in _locked(ids[start : start + BATCH]):
                    if _drain_entry(entry):
                        result.drained += 1
                    else:
                        result.failed += 1
                    if budget is not None and time.monotonic() - began > budget:
                        break
    return result


def _locked(ids: list[int]) -> list[InboxEntry]:
    # PostgreSQL: another drainer's entries are skipped, not waited for. SQLite serialises
    # writers at BEGIN IMMEDIATE anyway.
    entries = (
        InboxEntry.objects.filter(pk__in=ids, drained_at__isnull=True)
        .select_related("organisation")
        .order_by("id")
    )
    if connection.features.has_select_for_update_skip_locked:
        entries = entries.select_for_update(skip_locked=True, of=("self",))
    return list(entries)


def drain_key(key: str) -> None:
    """Drain the one entry with ``key`` now, if it is pending (inline mode, and a check-in that
    arrives before the drainer reached its request)."""
    with scopes_disabled():
        ids = list(_pending(retry_held=True).filter(key=key).values_list("id", flat=True))
        if ids:
            with transaction.atomic():
                for entry in _locked(ids):
                    _drain_entry(entry)


def prune() -> int:
    """Delete the SOS forms' tombstones once their one-time token is too old to be sent again
    (its age limit, at least a day). A bridge may post a message again at any time: its
    tombstone (a few dozen bytes, like its ``BotMessage``) stays."""
    keep = max(settings.LIFELINE_INTAKE_TOKEN_MAX_AGE, 24 * 3600)
    cutoff = timezone.now() - datetime.timedelta(seconds=keep)
    with scopes_disabled():
        deleted, _ = InboxEntry.objects.filter(kind=InboxKind.SOS, drained_at__lt=cutoff).delete()
    return deleted


def status() -> dict[str, int]:
    with scopes_disabled():
        pending = InboxEntry.objects.filter(drained_at__isnull=True)
        return {
            "pending": pending.filter(attempts__lt=MAX_ATTEMPTS).count(),
            "held": pending.filter(attempts__gte=MAX_ATTEMPTS).count(),
            "drained": InboxEntry.objects.filter(drained_at__isnull=False).count(),
        }


def _newest_id() -> int:
    with scopes_disabled():
        return InboxEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0


def _run_drainer(stop: threading.Event) -> None:
    last_prune, newest = 0.0, 0
    while not stop.is_set():
        pause = DRAIN_INTERVAL
        try:
            _reconnect_if_broken()
            seen, newest = newest, _newest_id()
            # While submissions keep arriving, short transactions with pauses between them, so
            # that acknowledging goes first: on SQLite for its one write lock, everywhere for
            # the CPU. A backlog with nothing new arriving: whole batches, one after the other.
            arriving = newest != seen
            result = drain(budget=DRAIN_BUDGET if arriving else None, limit=4 * BATCH)
            if result.drained + result.failed:
                pause = DRAIN_PAUSE if arriving else 0.0
            if time.monotonic() - last_prune > 3600:
                last_prune = time.monotonic()
                prune()
        except Exception:
            # The drainer must outlive a database that is away for a while: reconnect.
            logger.exception("the inbox drainer failed; retrying")
            connection.close()
        stop.wait(pause)


def start_drainer() -> tuple[threading.Thread, threading.Event]:
    stop = threading.Event()
    thread = threading.Thread(
        target=_run_drainer, args=(stop,), name="lifeline-inbox-drainer", daemon=True
    )
    thread.start()
    return thread, stop
