"""The dashboard and the CTDC export at 1,000,000 cases, measured in-process (Django's test
client for the pages and the API, the export function for the zip):

  dashboard  cached     /reports/ from the stored snapshot (full page render)   p95 <= 1 s
  dashboard  uncached   /reports/ with no snapshot: every figure computed       printed
  api        cached     /api/v1/reports/dashboard                                p95 <= 1 s
  ctdc       export     the zip (victim-level file, tables, manifest), k = 11    <= 60 s

It fills a fresh database (SQLite in a temporary data folder, or the PostgreSQL server named by
DATABASE_URL, in a database of its own whose name ends in "bench") with raw inserts: persons,
cases, one request per case, the status moves to rescued and home, 500 sites and a latest
sighting for three persons in ten. Encrypted fields share a few ciphertexts computed once (the
figures never decrypt). Missed targets do not change the exit code; a wrong answer does.

    nice -n 10 .venv/bin/python bench/reports.py            # 1,000,000 cases, SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lifeline_bench .venv/bin/python bench/reports.py
    .venv/bin/python bench/reports.py --smoke               # 2,000 cases, a few reads
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import re
import shutil
import statistics
import sys
import tempfile
import time
import urllib.parse
import uuid
from pathlib import Path
from typing import Any

SEED = 20261129
TARGET_MS = 1000.0
CTDC_TARGET_S = 60.0
CHUNK = 20_000
STATES = {"reported": 15, "verifying": 10, "located": 8, "rescue_planned": 5, "rescued": 7, "sheltered": 7, "repatriating": 5, "home": 15, "closed": 20, "lost_contact": 4, "moved": 2, "detained": 1, "declined_help": 1}  # fmt: skip
AFTER_RESCUE = {"rescued", "sheltered", "repatriating", "home", "closed", "detained"}
HOME = {"home", "closed"}
CITIZENSHIP = {"CN": 30, "VN": 15, "ID": 12, "TH": 10, "MM": 8, "PH": 5, "MY": 4, "IN": 4, "KE": 2, "ET": 2, "BD": 2, "LK": 1, "NP": 1, "UG": 1, "": 3}  # fmt: skip
AGES = {"9--17": 3, "18--20": 12, "21--23": 20, "24--26": 18, "27--29": 14, "30--38": 20, "39--47": 8, "48+": 2, "": 3}  # fmt: skip
GENDERS = {"Masculine": 58, "Feminine": 40, "NonConforming": 1, "NonSpecifiedUnknown": 1}
TYPES = [["ForcedCriminality"]] * 17 + [["ForcedCriminality", "SexualExploitation"], ["ForcedLabour"], []]  # fmt: skip
CONTROLS = ["DebtBondage", "PhysicalAbuse", "WithholdsDocuments", "RestrictsMovement", "PhysicalThreats"]  # fmt: skip
SITE_COUNTRIES = ["KH", "KH", "MM", "MM", "LA", "PH"]


def prepare_environment() -> tuple[dict[str, str], str, str]:
    data_dir = Path(tempfile.mkdtemp(prefix="lifeline-bench-reports-"))
    os.environ.update(
        {
            "LIFELINE_DATA_DIR": str(data_dir),
            "DJANGO_SETTINGS_MODULE": "lifeline.settings",
            "LIFELINE_MODE": "embedded",
            "LIFELINE_LOG_LEVEL": "WARNING",
        }
    )
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return {}, "SQLite", str(data_dir)
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/") or "lifeline"
    name = name if name.endswith("bench") else f"{name}_bench"
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SystemExit(f"unusual database name {name!r}")
    admin = urllib.parse.urlunsplit(("postgresql", parts.netloc, "/postgres", "", ""))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = urllib.parse.urlunsplit(
        (parts.scheme, parts.netloc, f"/{name}", parts.query, "")
    )
    return {"admin": admin, "name": name}, f"PostgreSQL ({parts.hostname}/{name})", str(data_dir)


class Rows:
    """Raw rows of one model: the constant columns prepared once for the database (encrypted
    fields included), the varying ones per row."""

    def __init__(self, model: Any, connection: Any, with_id: bool = True, **constant: Any) -> None:
        self.model, self.connection = model, connection
        self.fields = [f for f in model._meta.concrete_fields if with_id or not f.primary_key]
        self.columns = [f.column for f in self.fields]
        defaults = {f.attname: f.get_default() for f in self.fields}
        values = {**defaults, **constant}
        self.template = [f.get_db_prep_save(values.get(f.attname), connection) for f in self.fields]
        self.position = {f.attname: i for i, f in enumerate(self.fields)}
        self.by_name = {f.attname: f for f in self.fields}
        self.rows: list[tuple] = []
        self.count = 0

    def prep(self, name: str, value: Any) -> Any:
        return self.by_name[name].get_db_prep_save(value, self.connection)

    def add(self, **ready: Any) -> None:
        """``ready`` values must already be database values (see ``prep``)."""
        row = self.template.copy()
        for name, value in ready.items():
            row[self.position[name]] = value
        self.rows.append(tuple(row))
        if len(self.rows) >= CHUNK:
            self.flush()

    def flush(self) -> None:
        if not self.rows:
            return
        table = self.model._meta.db_table
        quote = self.connection.ops.quote_name
        names = ", ".join(quote(c) for c in self.columns)
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(self.columns))
                # Names come from the models' metadata; the values are parameters.
                cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", self.rows)  # noqa: S608
        self.count += len(self.rows)
        self.rows = []


def _pick(rng: random.Random, weights: dict[str, int]) -> list[str]:
    return rng.choices(list(weights), weights=list(weights.values()), k=4096)


def fill(n_cases: int) -> dict[str, Any]:
    from django.contrib.auth import get_user_model
    from django.core.management.color import no_style
    from django.db import connection, transaction
    from django_scopes import scopes_disabled

    from lifeline.accounts.models import Membership, Organisation
    from lifeline.cases.models import Case, Request, TimelineEvent
    from lifeline.core import crypto
    from lifeline.people.models import Person
    from lifeline.sites.models import Sighting, Site

    rng = random.Random(SEED)
    now = dt.datetime.now(dt.UTC)
    with scopes_disabled():
        org = Organisation.objects.create(name="Bench Network", slug="bench", case_prefix="BN")
        User = get_user_model()
        members = {}
        for role in ("coordinator", "analyst"):
            user = User.objects.create_user(username=f"bench_{role}", password=str(uuid.uuid4()))
            members[role] = Membership.objects.create(user=user, organisation=org, role=role)
        sites = Site.objects.bulk_create(
            [
                Site(
                    organisation=org,
                    name=f"Compound {i:03d}",
                    kind="compound",
                    country=SITE_COUNTRIES[i % len(SITE_COUNTRIES)],
                    status=rng.choice(
                        ["suspected", "active", "active", "raided", "abandoned", "reopened"]
                    ),  # fmt: skip
                )
                for i in range(500)
            ]
        )
        sites = list(Site.objects.filter(organisation=org).order_by("pk"))
        # A few ciphertexts, shared: the figures never read them.
        age_purpose = Person._meta.get_field("age").purpose  # type: ignore[attr-defined]
        summary_purpose = Case._meta.get_field("summary").purpose  # type: ignore[attr-defined]
        ages = [crypto.encrypt(str(a), purpose=age_purpose) for a in (19, 22, 25, 31)]
        summaries = [crypto.encrypt(t, purpose=summary_purpose) for t in ("Locked in.", "Moved twice.")]  # fmt: skip
        start = now - dt.timedelta(days=3 * 365)
        persons = Rows(Person, connection, organisation_id=org.pk)
        cases = Rows(Case, connection, organisation_id=org.pk)
        requests = Rows(Request, connection, organisation_id=org.pk, channel="phone", reporter_relation="family", status="converted")  # fmt: skip
        events = Rows(
            TimelineEvent, connection, with_id=False, organisation_id=org.pk, kind="status"
        )
        sightings = Rows(Sighting, connection, with_id=False, organisation_id=org.pk, source="rescued", is_latest=True)  # fmt: skip
        states = _pick(rng, STATES)
        nations, bands, genders = _pick(rng, CITIZENSHIP), _pick(rng, AGES), _pick(rng, GENDERS)
        if connection.vendor == "postgresql":

            def stamp(value: dt.datetime) -> Any:
                return value

            def uid() -> Any:
                return uuid.UUID(int=rng.getrandbits(128))
        else:
            # What Django's SQLite backend stores: UTC text, and uuids as 32 hex digits.
            def stamp(value: dt.datetime) -> Any:
                return value.replace(tzinfo=None).isoformat(sep=" ")

            def uid() -> Any:
                return f"{rng.getrandbits(128):032x}"

        json_of = cases.by_name["exploitation_types"]
        types_ready = [json_of.get_db_prep_save(t, connection) for t in TYPES]
        controls_ready = [json_of.get_db_prep_save(sorted(rng.sample(CONTROLS, rng.randrange(4))), connection) for _ in range(64)]  # fmt: skip
        status_data = {to: events.prep("data", {"from": "x", "to": to}) for to in ("rescued", "home")}  # fmt: skip
        t0 = time.perf_counter()
        with transaction.atomic():
            for i in range(1, n_cases + 1):
                created = start + dt.timedelta(seconds=rng.randrange(3 * 365 * 86400))
                created_db = stamp(created)
                state = states[i % 4096]
                persons.add(
                    id=i,
                    uid=uid(),
                    gender=genders[(i * 7) % 4096],
                    age=ages[i % 4],
                    age_band=bands[(i * 13) % 4096],
                    citizenship=nations[(i * 31) % 4096],
                    created_at=created_db,
                    updated_at=created_db,
                )
                changed = stamp(created + dt.timedelta(days=rng.randrange(1, 60)))
                cases.add(
                    id=i,
                    uid=uid(),
                    reference=f"BN-{i:07d}",
                    person_id=i,
                    status=state,
                    urgency=rng.choice((10, 10, 20, 30)),
                    summary=summaries[i % 2],
                    exploitation_types=types_ready[i % len(TYPES)],
                    methods_of_control=controls_ready[i % 64],
                    trafficking_status="ActualVictimOfTrafficking"
                    if i % 4 == 0
                    else (
                        "NotAVictimOfTrafficking" if i % 50 == 0 else "PossibleVictimOfTrafficking"
                    ),  # fmt: skip
                    relationship_to_trafficker=("", "Acquainted", "Unaquainted")[i % 3],
                    created_at=created_db,
                    updated_at=created_db,
                    status_changed_at=changed,
                )
                received = created - dt.timedelta(minutes=rng.randrange(2880))
                requests.add(
                    id=i,
                    uid=uid(),
                    received_at=stamp(received),
                    case_id=i,
                )
                if state in AFTER_RESCUE:
                    rescued = created + dt.timedelta(days=rng.randrange(3, 60))
                    events.add(case_id=i, data=status_data["rescued"], occurred_at=stamp(rescued))  # fmt: skip
                    if state in HOME:
                        home = rescued + dt.timedelta(days=rng.randrange(5, 90))
                        events.add(case_id=i, data=status_data["home"], occurred_at=stamp(home))  # fmt: skip
                if i % 10 < 3:
                    site = sites[(i * 17) % len(sites)]
                    sightings.add(
                        uid=uid(),
                        person_id=i,
                        site_id=site.pk,
                        country=str(site.country),
                        seen_at=created_db,
                    )
            for rows in (persons, cases, requests, events, sightings):
                rows.flush()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                for sql in connection.ops.sequence_reset_sql(no_style(), [Person, Case, Request]):
                    cursor.execute(sql)
                cursor.execute("ANALYZE")
        else:
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        fill_s = time.perf_counter() - t0
    counts = {"persons": persons.count, "cases": cases.count, "requests": requests.count, "status moves": events.count, "sightings": sightings.count}  # fmt: skip
    return {"org": org, "members": members, "fill_s": fill_s, "counts": counts}


def _ms(samples: list[float]) -> tuple[float, float, float]:
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, int(round(0.95 * (len(samples) - 1))))]
    return statistics.median(samples) * 1000, p95 * 1000, samples[-1] * 1000


def _client(membership: Any) -> Any:
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_scopes import scopes_disabled

    with scopes_disabled():
        device = TOTPDevice.objects.create(user=membership.user, name="bench", confirmed=True)
    client = Client()
    client.force_login(membership.user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def _get(client: Any, url: str, must: bytes) -> float:
    t = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - t
    if response.status_code != 200 or must not in response.content:
        raise SystemExit(f"{url}: {response.status_code}, or without {must!r}")
    return elapsed


def _line(name: str, figures: tuple[float, float, float], target: bool) -> None:
    p50, p95, worst = figures
    verdict = ("ok" if p95 <= TARGET_MS else "MISSED") if target else "(computes every figure)"
    print(f"  {name:<18} p50 {p50:8.1f} ms  p95 {p95:8.1f} ms  max {worst:8.1f} ms  target p95 <= {TARGET_MS:.0f} ms  {verdict}", flush=True)  # fmt: skip


def measure(world: dict[str, Any], rounds: int, uncached_rounds: int, n_cases: int) -> None:
    """Print each figure as soon as it is measured (a long run shows its progress)."""
    from django_scopes import scope, scopes_disabled

    from lifeline.reports import ctdc
    from lifeline.reports.models import DashboardSnapshot

    coordinator, analyst = world["members"]["coordinator"], world["members"]["analyst"]
    client = _client(coordinator)
    _get(client, "/reports/ctdc/", b"ctdc-form")  # the first request loads templates and code
    uncached = []
    for _ in range(uncached_rounds):
        with scopes_disabled():
            DashboardSnapshot.objects.all().delete()
        uncached.append(_get(client, "/reports/", b'id="chart-citizenship"'))
    _line("dashboard uncached", _ms(uncached), target=False)
    cached = [_get(client, "/reports/", b'id="chart-citizenship"') for _ in range(rounds)]
    _line("dashboard cached", _ms(cached), target=True)
    api = _client(analyst)
    _get(api, "/api/v1/reports/dashboard", b'"charts"')
    _line("api cached", _ms([_get(api, "/api/v1/reports/dashboard", b'"charts"') for _ in range(rounds)]), target=True)  # fmt: skip
    with scope(organisation=world["org"]):
        out = io.BytesIO()
        t = time.perf_counter()
        release = ctdc.ctdc_export(actor=analyst, params=ctdc.ExportParameters(k=11), out=out, channel="cli")  # fmt: skip
        seconds = time.perf_counter() - t
    if release.victims.total < n_cases * 0.9 or not release.victims.records:
        raise SystemExit("ctdc: the export considered or released too few victims")
    verdict = "ok" if seconds <= CTDC_TARGET_S else "MISSED"
    print(f"  ctdc export        {seconds:8.1f} s  ({release.victims.total:,} victims, "
          f"{release.victims.records:,} released, {release.victims.suppressed:,} left out, k=11, "
          f"{len(out.getvalue()) / 1e6:.1f} MB zip)  target <= {CTDC_TARGET_S:.0f} s  {verdict}", flush=True)  # fmt: skip
    since = dt.datetime.now(dt.UTC).date() - dt.timedelta(days=365)
    _line("uncached, filtered", _ms([_get(client, f"/reports/?country=KH&start={since}", b'id="chart-citizenship"')]), target=False)  # fmt: skip


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--smoke", action="store_true", help="2,000 cases and a few reads")
    parser.add_argument(
        "--cases", type=int, default=None, help="how many cases (default 1,000,000)"
    )
    parser.add_argument("--uncached-rounds", type=int, default=None, help="uncached page loads (3)")
    args = parser.parse_args()
    n_cases = args.cases or (2_000 if args.smoke else 1_000_000)
    rounds, uncached_rounds = (5, 2) if args.smoke else (30, 3)
    uncached_rounds = args.uncached_rounds or uncached_rounds
    pg, label, data_dir = prepare_environment()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django
    from django.core.management import call_command

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]
    try:
        call_command("migrate", verbosity=0)
        world = fill(n_cases)
        rows = ", ".join(f"{n:,} {name}" for name, n in world["counts"].items())
        print(f"Reports benchmark on {label}: {rows} (filled in {world['fill_s']:.0f} s)", flush=True)  # fmt: skip
        measure(world, rounds, uncached_rounds, n_cases)
    finally:
        from django.db import connections

        connections.close_all()
        if pg:
            import psycopg

            with psycopg.connect(pg["admin"], autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{pg["name"]}" WITH (FORCE)')
        shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
