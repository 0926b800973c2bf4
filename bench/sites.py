"""The site registry under load: 10,000 sites and 1,000,000 sightings (of 100,000 persons),
then the reads the issue sets targets for, measured in-process (Django's test client for the
page, the selectors for the rest), so the figures are the server's work without the network:

  map     the map data of a viewport (/api/v1/sites/map's selector), 5° x 5°   p95 <= 200 ms
  near    sites within 25 km of a point, nearest first                          p95 <= 20 ms
  page    a site page with who was last known there (coordinator, full render)  p95 <= 150 ms
  quiet   the quiet-site scan over all sites                                    <= 5 s

It fills a fresh database (SQLite in a temporary data folder, or the PostgreSQL server named by
DATABASE_URL, in a database of its own whose name ends in "bench") and prints the figures.
Missed targets do not change the exit code; an empty answer where there must be one does.

    .venv/bin/python bench/sites.py                 # 10,000 sites, 1,000,000 sightings, SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lifeline_bench .venv/bin/python bench/sites.py
    .venv/bin/python bench/sites.py --smoke         # 300 sites, 6,000 sightings, a few reads
"""

from __future__ import annotations

import argparse
import datetime as dt
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

SEED = 20260101
TARGETS_MS = {"map": 200.0, "near": 20.0, "page": 150.0}
QUIET_TARGET_S = 5.0
# Where the sites are: boxes of the region's scam hubs (lat, lon ranges).
HUBS = [
    ((16.5, 17.2), (98.3, 98.9)),  # Myawaddy, Shwe Kokko
    ((10.5, 11.0), (103.4, 103.9)),  # Sihanoukville
    ((11.4, 11.7), (104.7, 105.1)),  # Phnom Penh
    ((20.2, 20.5), (99.9, 100.2)),  # Golden Triangle
    ((13.6, 14.0), (102.5, 102.9)),  # Poipet
    ((21.8, 22.6), (97.5, 98.9)),  # Shan State
]
COUNTRY_OF_HUB = ["MM", "KH", "KH", "LA", "KH", "MM"]


def prepare_environment() -> tuple[dict[str, str], str, str]:
    data_dir = Path(tempfile.mkdtemp(prefix="lifeline-bench-sites-"))
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


def fill(n_sites: int, n_persons: int, per_person: int) -> dict:
    from django.contrib.auth import get_user_model
    from django_scopes import scope, scopes_disabled

    from lifeline.accounts.models import Membership, Organisation
    from lifeline.people.models import Person
    from lifeline.sites.counters import recount_organisation
    from lifeline.sites.models import Sighting, Site, StatusClaim
    from lifeline.sites.naming import name_forms

    rng = random.Random(SEED)
    now = dt.datetime.now(dt.UTC)
    with scopes_disabled():
        org = Organisation.objects.create(name="Bench Network", slug="bench")
        user = get_user_model().objects.create_user(username="bench", password=str(uuid.uuid4()))
        coordinator = Membership.objects.create(user=user, organisation=org, role="coordinator")
        statuses = ["suspected", "active", "active", "raided", "abandoned", "closed", "reopened"]
        sites = []
        for i in range(n_sites):
            hub = rng.randrange(len(HUBS))
            (lat0, lat1), (lon0, lon1) = HUBS[hub]
            name = f"Compound {i:05d}"
            sites.append(
                Site(
                    organisation=org,
                    name=name,
                    search_text="\n".join(name_forms(name)),
                    kind="compound",
                    country=COUNTRY_OF_HUB[hub],
                    town=f"Town {hub}",
                    latitude=round(rng.uniform(lat0, lat1), 6),
                    longitude=round(rng.uniform(lon0, lon1), 6),
                    indicators=rng.sample(
                        ["perimeter_wall", "cctv", "razor_wire", "armed_guards"], 2
                    ),
                    status=rng.choice(statuses),
                    status_since=(now - dt.timedelta(days=rng.randrange(400))).date(),
                    status_reliability="B",
                    status_credibility=2,
                )
            )
        Site.objects.bulk_create(sites, batch_size=2000)
        sites = list(Site.objects.filter(organisation=org).order_by("pk"))
        StatusClaim.objects.bulk_create(
            [
                StatusClaim(
                    organisation=org,
                    site=s,
                    status=s.status,
                    claimed_on=s.status_since,
                    source="Bench",
                    reliability="B",
                    credibility=2,
                )  # fmt: skip
                for s in sites
            ],
            batch_size=2000,
        )
        t0 = time.perf_counter()
        batch: list[Sighting] = []
        for start in range(0, n_persons, 5000):
            persons = Person.objects.bulk_create(
                [Person(organisation=org) for _ in range(min(5000, n_persons - start))]
            )
            if persons[0].pk is None:  # SQLite before 3.35 returns no ids
                persons = list(
                    Person.objects.filter(organisation=org).order_by("-pk")[: len(persons)]
                )
            for person in persons:
                home = rng.randrange(len(sites))
                for k in range(per_person):
                    site = sites[(home + rng.randrange(3)) % len(sites)] if k else sites[home]
                    seen = now - dt.timedelta(hours=rng.randrange(24 * 365)) if k < per_person - 1 else now - dt.timedelta(hours=rng.randrange(24 * 14))  # fmt: skip
                    batch.append(
                        Sighting(
                            organisation=org,
                            person=person,
                            site=site,
                            seen_at=seen,
                            source="check_in" if rng.random() < 0.5 else "family",
                            is_latest=k == per_person - 1,
                        )  # fmt: skip
                    )
                if len(batch) >= 20_000:
                    Sighting.objects.bulk_create(batch, batch_size=5000)
                    batch = []
        Sighting.objects.bulk_create(batch, batch_size=5000)
        fill_s = time.perf_counter() - t0
        # A bulk load bypasses the services that keep each site's counts: repair them as
        # `lifeline sites recount` does.
        t0 = time.perf_counter()
        with scope(organisation=org):
            recount_organisation(organisation_id=org.pk)
        recount_s = time.perf_counter() - t0
        sites = list(Site.objects.filter(organisation=org).order_by("pk"))
    return {
        "org": org,
        "coordinator": coordinator,
        "sites": sites,
        "fill_s": fill_s,
        "recount_s": recount_s,
    }


class Timer:
    """Wall time and this process's CPU time of each sample. On a machine shared with other
    work the wall time includes the waits for a core; the CPU time does not. With SQLite the
    database works inside this process, so its CPU time is the whole of the work; with
    PostgreSQL the server's share is not in it."""

    def __init__(self) -> None:
        self.wall: list[float] = []
        self.cpu: list[float] = []

    def __enter__(self) -> Timer:
        self._t, self._c = time.perf_counter(), time.process_time()
        return self

    def __exit__(self, *exc: object) -> None:
        self.wall.append(time.perf_counter() - self._t)
        self.cpu.append(time.process_time() - self._c)


def _ms(samples: list[float]) -> tuple[float, float, float]:
    samples = sorted(samples)
    p95 = samples[min(len(samples) - 1, int(round(0.95 * (len(samples) - 1))))]
    return statistics.median(samples) * 1000, p95 * 1000, samples[-1] * 1000


def measure(world: dict, rounds: int) -> dict[str, tuple[float, ...]]:
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice
    from django_scopes import scope, scopes_disabled

    from lifeline.sites import selectors
    from lifeline.sites.quiet import quiet_sites

    rng = random.Random(SEED + 1)
    coordinator, org, sites = world["coordinator"], world["org"], world["sites"]
    results: dict[str, tuple[float, ...]] = {}
    with scope(organisation=org):
        timer = Timer()
        for _ in range(rounds):
            (lat0, lat1), (lon0, lon1) = rng.choice(HUBS)
            lat, lon = rng.uniform(lat0, lat1), rng.uniform(lon0, lon1)
            with timer:
                found, total = selectors.map_sites(
                    actor=coordinator,
                    filters=selectors.MapFilters(
                        west=lon - 2.5, east=lon + 2.5, south=lat - 2.5, north=lat + 2.5
                    ),
                )
            if not found:
                raise SystemExit("map: a viewport over a hub found no site")
        results["map"] = (*_ms(timer.wall), _ms(timer.cpu)[1])
        timer = Timer()
        for _ in range(rounds * 4):
            site = rng.choice(sites)
            with timer:
                near = selectors.sites_near(actor=coordinator, latitude=site.latitude, longitude=site.longitude, radius_km=25)  # fmt: skip
            if not near or near[0].distance_km != 0:
                raise SystemExit("near: a site's own point did not find it first")
        results["near"] = (*_ms(timer.wall), _ms(timer.cpu)[1])
        timer = Timer()
        with timer:
            alerts = quiet_sites(actor=coordinator)
        results["quiet"] = (timer.wall[0], float(len(alerts)), timer.cpu[0])
    with scopes_disabled():
        device = TOTPDevice.objects.create(user=coordinator.user, name="bench", confirmed=True)
    client = Client()
    client.force_login(coordinator.user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    timer = Timer()
    client.get(sites[0].get_absolute_url())
    for _ in range(rounds):
        site = rng.choice(sites)
        with timer:
            response = client.get(site.get_absolute_url())
        if response.status_code != 200 or b"Last known here" not in response.content:
            raise SystemExit(f"page: {response.status_code} for {site.get_absolute_url()}")
    results["page"] = (*_ms(timer.wall), _ms(timer.cpu)[1])
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--smoke", action="store_true", help="a small registry and a few reads")
    args = parser.parse_args()
    n_sites, n_persons, per_person, rounds = (300, 600, 10, 5) if args.smoke else (10_000, 100_000, 10, 100)  # fmt: skip
    pg, label, data_dir = prepare_environment()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django
    from django.core.management import call_command

    django.setup()
    from django.conf import settings

    settings.ALLOWED_HOSTS = ["testserver"]
    try:
        call_command("migrate", verbosity=0)
        t = time.perf_counter()
        world = fill(n_sites, n_persons, per_person)
        total_fill = time.perf_counter() - t
        figures = measure(world, rounds)
        print(f"Sites benchmark on {label}: {n_sites:,} sites, {n_persons * per_person:,} sightings "
              f"of {n_persons:,} persons (filled in {total_fill:.0f} s, sightings {world['fill_s']:.0f} s, "
              f"counts recounted in {world['recount_s']:.1f} s)")  # fmt: skip
        for name in ("map", "near", "page"):
            p50, p95, worst, cpu95 = figures[name]
            verdict = "ok" if p95 <= TARGETS_MS[name] else "MISSED"
            print(f"  {name:<6} p50 {p50:7.1f} ms  p95 {p95:7.1f} ms  max {worst:7.1f} ms  target p95 <= {TARGETS_MS[name]:.0f} ms  {verdict}  (this process's CPU p95 {cpu95:.1f} ms)")  # fmt: skip
        quiet_s, alerts, quiet_cpu = figures["quiet"]
        verdict = "ok" if quiet_s <= QUIET_TARGET_S else "MISSED"
        print(f"  quiet  {quiet_s:7.2f} s over all sites ({int(alerts)} alerts)  target <= {QUIET_TARGET_S:.0f} s  {verdict}  (CPU {quiet_cpu:.2f} s)")  # fmt: skip
        print(f"  load average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())} (on {os.cpu_count()} CPUs)")  # fmt: skip
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
