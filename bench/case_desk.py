"""The case desk under load: 100,000 cases and persons, then the desk's everyday reads.

Fills a fresh database (SQLite in a temporary data folder, or the PostgreSQL server named by
DATABASE_URL, in a database of its own), starts the real server (`lifeline serve`, gunicorn),
logs in over HTTP like a browser and measures, from one client on loopback:

  ui  list    /cases/?status=…&urgency=…      filtered case list page
  ui  name    /cases/?q=Zhang Wei             romanised query against native-script names
  ui  phone   /cases/?phone=081 234 5678      a phone typed differently from how it is stored
  ui  case    /cases/<uid>/                   the case page
  api …       the same four through /api/v1 with a Bearer token

It prints p50/p95/max per scenario against the 150 ms target, the server's memory against
400 MB, the fill time and the database size. Missed targets do not change the exit code (this
is a benchmark, not a test); a non-200 answer or a search that finds nothing when it must find
something does (so `--smoke`, run by CI, cannot rot).

    .venv/bin/python bench/case_desk.py                  # 100,000 cases, SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lifeline_bench .venv/bin/python bench/case_desk.py
    .venv/bin/python bench/case_desk.py --smoke          # a few hundred cases, a few requests
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.cookiejar
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

BIN = Path(sys.executable).parent
TARGET_MS = 150.0
TARGET_RSS_MB = 400.0
PASSWORD = "loopback-latency-7"
CHUNK = 1000  # persons (and cases) per worker task
SEED = 424242


# --------------------------------------------------------------------------------------------
# The database
# --------------------------------------------------------------------------------------------


@dataclass
class Database:
    env: dict[str, str]
    label: str
    data_dir: Path
    pg_admin_url: str = ""
    pg_name: str = ""
    analyzed: bool = False

    def drop(self) -> None:
        if self.pg_name:
            _pg_admin(self.pg_admin_url, f'DROP DATABASE IF EXISTS "{self.pg_name}" WITH (FORCE)')
        shutil.rmtree(self.data_dir, ignore_errors=True)


def _pg_admin(url: str, statement: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(statement)


def prepare_database() -> Database:
    """A fresh data folder, and a fresh PostgreSQL database of the benchmark's own if
    DATABASE_URL is set (its name ends in "bench", so no other database is ever touched)."""
    data_dir = Path(tempfile.mkdtemp(prefix="lifeline-bench-"))
    env = {
        **os.environ,
        "LIFELINE_DATA_DIR": str(data_dir),
        "DJANGO_SETTINGS_MODULE": "lifeline.settings",
        "LIFELINE_MODE": "embedded",
        "LIFELINE_LOG_LEVEL": "WARNING",
    }
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        env.pop("DATABASE_URL", None)
        return Database(env=env, label="SQLite", data_dir=data_dir)
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("postgres", "postgresql", "pgsql"):
        raise SystemExit(f"DATABASE_URL must be a PostgreSQL URL, not {parts.scheme}://")
    name = parts.path.lstrip("/") or "lifeline"
    name = name if name.endswith("bench") else f"{name}_bench"
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SystemExit(f"unusual database name {name!r}; use letters, digits and _")
    admin_url = urllib.parse.urlunsplit(("postgresql", parts.netloc, "/postgres", "", ""))
    _pg_admin(admin_url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    _pg_admin(admin_url, f'CREATE DATABASE "{name}"')
    env["DATABASE_URL"] = urllib.parse.urlunsplit(
        (parts.scheme, parts.netloc, f"/{name}", parts.query, "")
    )
    return Database(
        env=env,
        label=f"PostgreSQL ({parts.hostname}:{parts.port or 5432}/{name})",
        data_dir=data_dir,
        pg_admin_url=admin_url,
        pg_name=name,
    )


# --------------------------------------------------------------------------------------------
# Filling: workers build rows (encryption and blind indexes are the CPU-heavy part) and
# insert them; SQLite serialises the writers, PostgreSQL takes them in parallel (COPY).
# --------------------------------------------------------------------------------------------


@dataclass
class Context:
    org_id: int
    coordinator_id: int
    caseworker_id: int
    prefix: str
    now: dt.datetime
    sample_rate: float


@dataclass
class Samples:
    names: list[tuple[str, str]] = field(default_factory=list)  # (query, native name it must find)
    phones: list[tuple[str, str]] = field(default_factory=list)  # (as typed, stored E.164)
    cases: list[tuple[str, str]] = field(default_factory=list)  # (uid, reference)
    rows: Counter = field(default_factory=Counter)


def _setup_django(env: dict[str, str]) -> None:
    os.environ.update(env)
    if "DATABASE_URL" not in env:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()


def _insert(connection: Any, model: Any, columns: list[str], rows: list[tuple]) -> None:
    if not rows:
        return
    table = model._meta.db_table
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            # Names come from the models' metadata; the values are parameters.
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608


class RowMaker:
    """Rows for one model: Python values in, database values out (encrypted fields encrypt
    here, in get_db_prep_save, exactly as bulk_create would)."""

    def __init__(self, model: Any, connection: Any, *, with_id: bool = True) -> None:
        self.model, self.connection = model, connection
        self.fields = [f for f in model._meta.concrete_fields if with_id or not f.primary_key]
        self.columns = [f.column for f in self.fields]
        self.defaults = {f.attname: f.get_default() for f in self.fields}
        self.rows: list[tuple] = []

    def add(self, **values: Any) -> None:
        values = {**self.defaults, **values}
        self.rows.append(
            tuple(f.get_db_prep_save(values.get(f.attname), self.connection) for f in self.fields)
        )

    def flush(self, counter: Counter) -> None:
        _insert(self.connection, self.model, self.columns, self.rows)
        counter[self.model._meta.db_table] += len(self.rows)
        self.rows = []


def fill_chunk(task: tuple[Context, int, int, int]) -> Samples:
    """Build and insert persons and cases ``start`` .. ``start + count - 1`` (their ids)."""
    ctx, chunk, start, count = task
    from django.db import connection, transaction

    from lifeline.cases.models import Case, CaseAssignment, CaseSearchToken, Request, TimelineEvent
    from lifeline.core import demo
    from lifeline.core.textsearch import text_tokens, token_digest
    from lifeline.people import indexing, names
    from lifeline.people.models import ContactHandle, NameToken, Person, PersonName

    rng = random.Random(SEED * 1000 + chunk)  # noqa: S311 - reproducible fiction
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA synchronous=OFF")  # a benchmark's throwaway data
    persons, person_names = RowMaker(Person, connection), RowMaker(PersonName, connection)
    contacts = RowMaker(ContactHandle, connection, with_id=False)
    cases, requests = RowMaker(Case, connection), RowMaker(Request, connection)
    assignments = RowMaker(CaseAssignment, connection, with_id=False)
    timeline = RowMaker(TimelineEvent, connection, with_id=False)
    name_tokens: list[tuple] = []
    text_tokens_rows: list[tuple] = []
    samples = Samples()
    name_cache: dict[str, set[str]] = {}
    token_cache: dict[str, str] = {}
    org = ctx.org_id
    profiles = dict(demo.ORGANISATIONS[0].profiles)
    statuses, status_weights = list(demo.STATUS_WEIGHTS), list(demo.STATUS_WEIGHTS.values())

    for offset in range(count):
        pid = start + offset
        profile = demo.PROFILES[rng.choices(list(profiles), weights=list(profiles.values()))[0]]
        gender = rng.choices([demo.M, demo.F], weights=[60, 40])[0]
        native, romanised, country = profile.make_name(rng, gender)
        created = ctx.now - dt.timedelta(
            days=demo.HISTORY_DAYS * rng.random() ** 1.4, minutes=rng.randint(5, 900)
        )
        age = rng.randint(16, 50)
        persons.add(
            id=pid,
            organisation_id=org,
            uid=uuid.UUID(int=rng.getrandbits(128), version=4),
            gender=gender,
            age=str(age),
            age_band=_age_band(age),
            citizenship=country,
            languages=[profile.language],
            created_at=created,
            updated_at=created,
        )
        values = [native] + ([romanised] if romanised and rng.random() < 0.5 else [])
        for position, value in enumerate(values):
            name_id = chunk * CHUNK * 3 + offset * 3 + position + 1
            person_names.add(
                id=name_id,
                organisation_id=org,
                person_id=pid,
                value=value,
                kind="legal" if position == 0 else "romanised",
                script=names.detect_script(value),
                is_primary=position == 0,
                created_at=created,
            )
            if value not in name_cache:
                name_cache[value] = indexing.name_digests(value)
            name_tokens += [(org, pid, name_id, digest) for digest in sorted(name_cache[value])]
        phone = demo.random_phone(rng, country)
        contacts.add(
            organisation_id=org,
            person_id=pid,
            kind="phone",
            value=phone,
            value_index=indexing.contact_digest("phone", phone),
            created_at=created,
        )
        if rng.random() < 0.3:
            kind = rng.choice(profile.handle_kinds)
            handle = (
                phone if kind == "whatsapp" else demo.random_handle(rng, kind, romanised or native)
            )
            normalised = indexing.normalise_contact(kind, handle)
            contacts.add(
                organisation_id=org,
                person_id=pid,
                kind=kind,
                value=normalised,
                value_index=indexing.contact_digest(kind, normalised),
                created_at=created,
            )

        status = rng.choices(statuses, weights=status_weights)[0]
        signs = rng.sample(list(demo.SIGN_WEIGHTS), k=rng.choice([0, 1, 1, 2, 2, 3]))
        urgency = _urgency(signs)
        place = rng.choice(demo.PLACES)
        words = demo.WORDS[profile.key]
        relation = rng.choice(["self", "family", "family", "friend"])
        text = " ".join(
            [
                words[relation].format(place=place.local.get(profile.key, place.english)),
                *[words[s] for s in signs],
                rng.choice(words["lures"]),
            ]
        )
        location = place.text(rng, profile.key)
        case_uid = uuid.UUID(int=rng.getrandbits(128), version=4)
        changed = created + dt.timedelta(days=rng.uniform(0, 30))
        changed = min(changed, ctx.now)
        cases.add(
            id=pid,
            organisation_id=org,
            uid=case_uid,
            reference=f"{ctx.prefix}-{created.year}-{pid:06d}",
            person_id=pid,
            status=status,
            urgency=urgency,
            urgency_reasons=signs,
            summary=text,
            last_known_location=location,
            exploitation_types=["ForcedCriminality"],
            methods_of_control=["RestrictsMovement"] if "locked_in" in signs else [],
            recruitment_method="ThroughAnOnlineAdvertisement",
            recruitment_apps=[rng.choice(profile.apps)],
            created_by_id=ctx.coordinator_id,
            updated_by_id=ctx.coordinator_id,
            created_at=created,
            updated_at=changed,
            status_changed_at=changed,
            version=rng.randint(1, 6),
        )
        requests.add(
            id=pid,
            organisation_id=org,
            uid=uuid.UUID(int=rng.getrandbits(128), version=4),
            received_at=created,
            channel=rng.choice(profile.channels),
            language=profile.language,
            reporter_relation=relation,
            subject_name=native,
            subject_contact_kind="phone",
            subject_contact=phone,
            subject_contact_index=indexing.contact_digest("phone", phone),
            location_text=location,
            text=text,
            danger_signs=signs,
            urgency=urgency,
            status="converted",
            case_id=pid,
            created_by_id=ctx.coordinator_id,
            triaged_by_id=ctx.coordinator_id,
            triaged_at=created,
        )
        if rng.random() < 0.05:
            assignments.add(
                organisation_id=org,
                case_id=pid,
                user_id=ctx.caseworker_id,
                assigned_by_id=ctx.coordinator_id,
                assigned_at=created,
            )
        timeline.add(
            organisation_id=org,
            case_id=pid,
            kind="created",
            occurred_at=created,
            recorded_at=created,
            author_id=ctx.coordinator_id,
            location=location,
            data={"status": "reported"},
        )
        moment = created
        for step in rng.choice(demo.PATHS[status])[:3]:
            moment = min(moment + dt.timedelta(days=rng.uniform(0.2, 9)), ctx.now)
            timeline.add(
                organisation_id=org,
                case_id=pid,
                kind="status",
                occurred_at=moment,
                recorded_at=moment,
                author_id=ctx.coordinator_id,
                body=rng.choice(demo.MOVE_REASONS[step]),
                data={"to": step},
            )
        for token in text_tokens(f"{text} {location}"):
            if token not in token_cache:
                token_cache[token] = token_digest(token)
            text_tokens_rows.append((org, pid, token_cache[token]))

        if rng.random() < ctx.sample_rate:
            samples.cases.append((str(case_uid), f"{ctx.prefix}-{created.year}-{pid:06d}"))
            samples.phones.append((_typed_differently(rng, phone, demo), phone))
            query = _name_query(rng, profile.key, native, romanised)
            if query and demo.names_match(native, query):
                samples.names.append((query, native))

    with transaction.atomic():
        for maker in (persons, person_names):
            maker.flush(samples.rows)
        _insert(
            connection,
            NameToken,
            ["organisation_id", "person_id", "name_id", "digest"],
            name_tokens,
        )
        samples.rows[NameToken._meta.db_table] += len(name_tokens)
        for maker in (contacts, cases, requests, assignments, timeline):
            maker.flush(samples.rows)
        _insert(
            connection, CaseSearchToken, ["organisation_id", "case_id", "digest"], text_tokens_rows
        )
        samples.rows[CaseSearchToken._meta.db_table] += len(text_tokens_rows)
    return samples


def _worker_signals() -> None:
    # The parent handles Ctrl+C and SIGTERM and then terminates the pool.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _age_band(age: int) -> str:
    from lifeline.core.vocabularies import age_band

    return age_band(age)


def _urgency(signs: list[str]) -> int:
    from lifeline.cases.workflow import suggested_urgency

    return int(suggested_urgency(signs))


def _typed_differently(rng: random.Random, e164: str, demo: Any) -> str:
    """The stored E.164 as a person would type it: national for Thai numbers (the benchmark
    organisation's country), otherwise with 00, spaces or dashes."""
    if e164.startswith("+66") and rng.random() < 0.7:
        return demo.phone_as_typed(e164, "national", default_region="TH")
    return demo.phone_as_typed(
        e164, rng.choice(["international", "00", "dashes"]), default_region="TH"
    )


def _name_query(rng: random.Random, profile: str, native: str, romanised: str) -> str:
    """How a coordinator types the name: romanised for native scripts, without diacritics for
    Vietnamese, sometimes family name last or in lower case."""
    from lifeline.people.names import normalise_latin

    if profile in ("zh", "th", "my"):
        query = romanised
    elif profile == "vi":
        query = normalise_latin(native).title()
    else:
        query = native
    parts = query.split()
    if len(parts) == 2 and rng.random() < 0.3:
        query = f"{parts[1]} {parts[0]}"
    return query.lower() if rng.random() < 0.3 else query


def fill(
    db: Database, cases: int, jobs: int, *, analyze: bool
) -> tuple[dict[str, Any], Samples, float]:
    """Create the organisation, users and token through the services, then the bulk rows."""
    _setup_django(db.env)
    import multiprocessing

    from django.core.management.color import no_style
    from django.db import connection, connections
    from django.utils import timezone

    from lifeline.accounts.models import Organisation
    from lifeline.accounts.roles import Role
    from lifeline.accounts.services import (
        api_token_create,
        organisation_create,
        user_add_to_organisation,
    )
    from lifeline.cases.models import Case, Request
    from lifeline.core.crypto import get_keyring
    from lifeline.core.tenancy import scopes_disabled
    from lifeline.people.models import Person, PersonName

    started = time.monotonic()
    with scopes_disabled():
        org = organisation_create(
            name="Bench Network", slug="bench", default_phone_region="TH", case_prefix="BN"
        )
        coordinator = user_add_to_organisation(
            organisation=org, username="bench-coordinator", role=Role.COORDINATOR, password=PASSWORD
        )
        caseworker = user_add_to_organisation(
            organisation=org, username="bench-caseworker", role=Role.CASEWORKER, password=PASSWORD
        )
        _token, raw_token = api_token_create(actor=coordinator, name="bench")
        # The coordinator's authenticator app: the desk asks for its code after the password.
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.create(user=coordinator.user, name="bench", confirmed=True)
    get_keyring()  # load (or create) the keys before the workers fork
    ctx = Context(
        org_id=org.pk,
        coordinator_id=coordinator.user_id,
        caseworker_id=caseworker.user_id,
        prefix=org.case_prefix,
        now=timezone.now(),
        sample_rate=min(1.0, max(0.02, 200 / cases)),
    )
    tasks = [
        (ctx, chunk, chunk * CHUNK + 1, min(CHUNK, cases - chunk * CHUNK))
        for chunk in range((cases + CHUNK - 1) // CHUNK)
    ]
    connections.close_all()  # the workers open their own
    samples = Samples()
    with multiprocessing.get_context("fork").Pool(jobs, initializer=_worker_signals) as pool:
        for done, part in enumerate(pool.imap_unordered(fill_chunk, tasks), start=1):
            samples.names += part.names
            samples.phones += part.phones
            samples.cases += part.cases
            samples.rows.update(part.rows)
            if done % 10 == 0 or done == len(tasks):
                print(
                    f"  filled {min(done * CHUNK, cases):,} of {cases:,} cases "
                    f"({time.monotonic() - started:.0f} s)",
                    flush=True,
                )
    with scopes_disabled():
        Organisation.objects.filter(pk=org.pk).update(case_counter=cases)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(
                no_style(), [Person, PersonName, Case, Request]
            ):
                cursor.execute(statement)
            # What autovacuum does soon after a bulk load (PostgreSQL 13+ also vacuums after
            # inserts): statistics, and the visibility map that index-only scans rely on.
            cursor.execute("VACUUM (ANALYZE)")
    else:
        with connection.cursor() as cursor:
            db.analyzed = analyze
            if analyze:
                # Otherwise the statistics come from Lifeline's own upkeep (PRAGMA optimize as
                # connections close, lifeline.core.sqlite), as in production.
                cursor.execute("ANALYZE")
            cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    elapsed = time.monotonic() - started
    size = _database_size(connection, db)
    connections.close_all()
    info = {
        "token": raw_token,
        "username": "bench-coordinator",
        "size": size,
        "totp_key": device.key,
    }
    return info, samples, elapsed


def _database_size(connection: Any, db: Database) -> int:
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_database_size(current_database())")
            return int(cursor.fetchone()[0])
    return sum(p.stat().st_size for p in db.data_dir.glob("lifeline.sqlite3*"))


# --------------------------------------------------------------------------------------------
# The server and the client
# --------------------------------------------------------------------------------------------


class Server:
    """`lifeline serve` in its own process group, so that master and workers stop together."""

    def __init__(self, db: Database, workers: int) -> None:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            self.port = sock.getsockname()[1]
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = db.data_dir / "server.log"
        self.log = open(self.log_path, "wb")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(
            [
                str(BIN / "lifeline"),
                "serve",
                "--no-migrate",
                "--port",
                str(self.port),
                "--workers",
                str(workers),
            ],
            env=db.env,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_ready(self, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the server exited early:\n{self.tail()}")
            try:
                with urllib.request.urlopen(f"{self.base}/healthz", timeout=2) as response:  # noqa: S310
                    if response.status == 200:
                        return
            except OSError:
                time.sleep(0.2)
        raise RuntimeError(f"the server did not answer within {timeout:.0f} s:\n{self.tail()}")

    def tail(self, lines: int = 30) -> str:
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def memory(self) -> dict[str, float]:
        """Resident memory of the gunicorn master and its workers, from /proc (MB)."""
        pids = [self.process.pid] + _children(self.process.pid)
        rss = {pid: _proc_kb(pid, "status", "VmRSS") / 1024 for pid in pids}
        peak = {pid: _proc_kb(pid, "status", "VmHWM") / 1024 for pid in pids}
        pss = {pid: _proc_kb(pid, "smaps_rollup", "Pss") / 1024 for pid in pids}
        return {
            "processes": len(pids),
            "rss_sum": sum(rss.values()),
            "rss_max": max(rss.values()),
            "peak_max": max(peak.values()),
            "pss_sum": sum(pss.values()),
        }

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=5)
            except ProcessLookupError:
                pass
        self.log.close()


def _children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def _proc_kb(pid: int, name: str, key: str) -> float:
    try:
        for line in Path(f"/proc/{pid}/{name}").read_text().splitlines():
            if line.startswith(key + ":"):
                return float(line.split()[1])
    except OSError:
        pass
    return 0.0


class Client:
    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )
        self.headers: dict[str, str] = {}

    def get(self, path: str) -> tuple[int, bytes, float]:
        request = urllib.request.Request(self.base + path, headers=self.headers)  # noqa: S310 - our own server
        started = time.perf_counter()
        try:
            with self.opener.open(request, timeout=60) as response:
                body = response.read()
                status = response.status
        except urllib.error.HTTPError as exc:
            body, status = exc.read(), exc.code
        return status, body, (time.perf_counter() - started) * 1000

    def _post_form(self, path: str, fields: dict[str, str]) -> str:
        """Post a form of ``path`` with its CSRF token, like a browser; returns the final URL."""
        status, body, _ms = self.get(path)
        match = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        if status != 200 or not match:
            raise RuntimeError(f"{path}: HTTP {status}, no CSRF token")
        data = urllib.parse.urlencode(
            {**fields, "csrfmiddlewaretoken": match.group(1).decode()}
        ).encode()
        request = urllib.request.Request(  # noqa: S310 - our own server
            self.base + path, data=data, headers={"Referer": self.base + path}
        )
        with self.opener.open(request, timeout=60) as response:
            return str(response.geturl())

    def login(self, username: str, password: str, totp_key: str) -> None:
        """Password, then the code of the member's authenticator app."""
        from django_otp.oath import totp

        landed = urllib.parse.urlsplit(
            self._post_form("/accounts/login/", {"username": username, "password": password})
        ).path
        if landed == "/accounts/login/":
            raise RuntimeError("login refused")
        if landed == "/accounts/verify/":
            code = f"{totp(bytes.fromhex(totp_key)):06d}"
            landed = urllib.parse.urlsplit(
                self._post_form("/accounts/verify/", {"code": code})
            ).path
        if landed.startswith("/accounts/"):
            raise RuntimeError(f"the login ended on {landed}")


# --------------------------------------------------------------------------------------------
# Scenarios
# --------------------------------------------------------------------------------------------

CASE_LINK = re.compile(rb'href="/cases/[0-9a-f-]{36}/"')
STATUSES = ["reported", "verifying", "located", "lost_contact", "home", "closed", "sheltered"]
URGENCIES = {30: "critical", 20: "high", 10: "normal"}


@dataclass
class Scenario:
    name: str
    paths: list[str]
    must_find: bool  # a search that must return at least one case
    api: bool
    expected: list[tuple[str, str]] = field(default_factory=list)  # (uid, reference) per case page
    timings: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)


def scenarios(samples: Samples, n: int, rng: random.Random) -> list[Scenario]:
    def q(**params: str) -> str:
        return urllib.parse.urlencode(params)

    def pick(pool: list[Any]) -> list[Any]:
        return [rng.choice(pool) for _ in range(n)]

    lists = [(rng.choice(STATUSES), rng.choice(list(URGENCIES))) for _ in range(n)]
    names = pick(samples.names)
    phones = pick(samples.phones)
    picked = pick(samples.cases)
    return [
        Scenario(
            "ui   case list (status+urgency)",
            [f"/cases/?{q(status=s, urgency=str(u))}" for s, u in lists],
            False,
            False,
        ),
        Scenario(
            "ui   name search (romanised)",
            [f"/cases/?{q(q=name)}" for name, _native in names],
            True,
            False,
        ),
        Scenario(
            "ui   phone search",
            [f"/cases/?{q(phone=typed)}" for typed, _e164 in phones],
            True,
            False,
        ),
        Scenario("ui   case page", [f"/cases/{uid}/" for uid, _ref in picked], True, False, picked),
        Scenario(
            "api  case list (status+urgency)",
            [
                f"/api/v1/cases?{q(status=s, urgency=URGENCIES[u], page_size='50')}"
                for s, u in lists
            ],
            False,
            True,
        ),
        Scenario(
            "api  name search (romanised)",
            [f"/api/v1/cases?{q(name=name, page_size='50')}" for name, _native in names],
            True,
            True,
        ),
        Scenario(
            "api  phone search",
            [f"/api/v1/cases?{q(phone=typed, page_size='50')}" for typed, _e in phones],
            True,
            True,
        ),
        Scenario(
            "api  case page", [f"/api/v1/cases/{uid}" for uid, _ref in picked], True, True, picked
        ),
    ]


def _found(scenario: Scenario, position: int, body: bytes) -> bool:
    if scenario.expected:
        uid, reference = scenario.expected[position]
        if scenario.api:
            return json.loads(body).get("reference") == reference
        return reference.encode() in body
    if scenario.api:
        return json.loads(body).get("count", 0) > 0
    return bool(CASE_LINK.search(body))


def run_scenarios(base: str, info: dict[str, Any], items: list[Scenario], warmup: int) -> None:
    browser = Client(base)
    browser.login(info["username"], PASSWORD, info["totp_key"])
    api = Client(base)
    api.headers = {"Authorization": f"Bearer {info['token']}", "Accept": "application/json"}
    for scenario in items:
        client = api if scenario.api else browser
        for path in scenario.paths[:warmup]:
            client.get(path)
        for position, path in enumerate(scenario.paths):
            status, body, ms = client.get(path)
            scenario.timings.append(ms)
            if status != 200:
                scenario.failures.append(f"HTTP {status} for {path}")
            elif scenario.must_find and not _found(scenario, position, body):
                scenario.failures.append(f"nothing found for {urllib.parse.unquote_plus(path)}")


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    index = max(0, min(len(ordered) - 1, round(fraction * len(ordered) + 0.5) - 1))
    return ordered[index]


def report(
    db: Database,
    cases: int,
    samples: Samples,
    fill_seconds: float,
    info: dict[str, Any],
    items: list[Scenario],
    memory: dict[str, float],
) -> bool:
    rows = sum(samples.rows.values())
    print()
    analyzed = " (VACUUM ANALYZE after the fill)" if db.pg_name else ""
    analyzed = " (ANALYZE after the fill)" if db.analyzed else analyzed
    print(
        f"Case desk benchmark — {db.label}{analyzed}, {cases:,} cases and persons, {os.cpu_count()} CPUs"
    )
    tables = ", ".join(
        f"{table.split('_', 1)[1]} {count:,}" for table, count in sorted(samples.rows.items())
    )
    print(f"fill: {fill_seconds:.1f} s for {rows:,} rows ({tables})")
    print(f"database size: {info['size'] / 1e6:.0f} MB")
    # The client and the server share the machine: anything else running skews the figures.
    load1, load5, _load15 = info["load"]
    print(
        f"measured in {info['measured_seconds']:.0f} s; load average at the end {load1:.2f} (1 min), "
        f"{load5:.2f} (5 min) on {os.cpu_count()} CPUs"
    )
    print()
    print(
        f"{'scenario':34} {'n':>4} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}  target {TARGET_MS:.0f} ms"
    )
    ok = True
    for scenario in items:
        t = scenario.timings
        p95 = _percentile(t, 0.95)
        verdict = "PASS" if p95 <= TARGET_MS else "FAIL"
        if scenario.failures:
            verdict += f"  ({len(scenario.failures)} wrong answers)"
            ok = False
        print(
            f"{scenario.name:34} {len(t):>4} {_percentile(t, 0.5):>8.1f} {p95:>8.1f} {max(t):>8.1f}  {verdict}"
        )
    print()
    verdict = "PASS" if memory["rss_sum"] <= TARGET_RSS_MB else "FAIL"
    print(
        f"server memory: {memory['rss_sum']:.0f} MB resident in {memory['processes']:.0f} processes "
        f"(master + workers; {memory['pss_sum']:.0f} MB proportional), largest {memory['rss_max']:.0f} MB, "
        f"peak {memory['peak_max']:.0f} MB — target {TARGET_RSS_MB:.0f} MB: {verdict}"
    )
    for scenario in items:
        for failure in scenario.failures[:5]:
            print(f"WRONG ANSWER [{scenario.name.strip()}]: {failure}")
    return ok


# --------------------------------------------------------------------------------------------


def _interrupt(signum: int, frame: object) -> None:
    """SIGTERM stops the benchmark like Ctrl+C does: through the finally that stops the server."""
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000, help="cases (and persons) to create")
    parser.add_argument("--requests-per-scenario", type=int, default=200)
    parser.add_argument(
        "--warmup", type=int, default=10, help="unmeasured requests per scenario first"
    )
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers")
    parser.add_argument(
        "--jobs", type=int, default=os.cpu_count() or 2, help="processes that fill the database"
    )
    parser.add_argument(
        "--smoke", action="store_true", help="a few hundred cases and 5 requests per scenario (CI)"
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the data folder and database afterwards"
    )
    parser.add_argument(
        "--analyze",
        action="store_true",
        help="SQLite: run ANALYZE after filling (PostgreSQL always gets VACUUM ANALYZE, as from autovacuum)",
    )
    args = parser.parse_args(argv)
    if args.smoke:
        args.cases, args.requests_per_scenario, args.warmup = 300, 5, 2

    signal.signal(signal.SIGTERM, _interrupt)
    db = prepare_database()
    server = None
    try:
        print(f"database: {db.label}; data folder {db.data_dir}", flush=True)
        subprocess.run(
            [str(BIN / "lifeline"), "migrate", "--no-input", "-v", "0"], env=db.env, check=True
        )
        print(f"filling {args.cases:,} cases and persons with {args.jobs} processes…", flush=True)
        info, samples, fill_seconds = fill(db, args.cases, args.jobs, analyze=args.analyze)
        if not (samples.names and samples.phones and samples.cases):
            print("the fill produced no samples to query", file=sys.stderr)
            return 1
        server = Server(db, args.workers)
        server.wait_ready()
        items = scenarios(samples, args.requests_per_scenario, random.Random(SEED))  # noqa: S311
        print(
            f"measuring {len(items)} scenarios × {args.requests_per_scenario} requests on {server.base}…",
            flush=True,
        )
        started = time.monotonic()
        run_scenarios(server.base, info, items, args.warmup)
        info["measured_seconds"] = time.monotonic() - started
        info["load"] = os.getloadavg()
        memory = server.memory()
        ok = report(db, args.cases, samples, fill_seconds, info, items, memory)
        return 0 if ok else 1
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    finally:
        if server is not None:
            server.stop()
        if args.keep:
            print(
                f"kept: data folder {db.data_dir}"
                + (f", database {db.pg_name}" if db.pg_name else "")
            )
        else:
            db.drop()


if __name__ == "__main__":
    sys.exit(main())
