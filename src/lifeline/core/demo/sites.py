"""Demo sites and sightings: fictional compounds in the towns the reporting names, with graded
status histories, and the trails of some demo victims between them. Made through the sites
services, so they are validated, encrypted and audited like real ones.

The site names are invented; the towns and their rough coordinates are public geography.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from lifeline.accounts.models import Membership
from lifeline.cases.models import Case
from lifeline.cases.workflow import CaseStatus
from lifeline.sites.models import Site
from lifeline.sites.services import site_claim_status, site_create
from lifeline.sites.sightings import sighting_record


@dataclass(frozen=True)
class DemoSite:
    name: str
    aliases: tuple[str, ...]
    kind: str
    country: str
    province: str
    town: str
    latitude: float
    longitude: float
    indicators: tuple[str, ...]
    # (status, days ago, source, reliability, credibility)
    history: tuple[tuple[str, int, str, str, int], ...]


SITES = (
    DemoSite(
        "Golden Lotus Park",
        ("金莲花园区", "Kim Lien Park"),
        "compound",
        "KH",
        "Preah Sihanouk",
        "Sihanoukville",
        10.6205,
        103.5061,
        ("perimeter_wall", "razor_wire", "cctv", "armed_guards", "dormitories"),
        (
            ("suspected", 400, "Family reports", "C", 3),
            ("active", 300, "Rescued workers' accounts", "B", 2),
        ),
    ),
    DemoSite(
        "Blue Harbour Tower",
        ("蓝港大厦",),
        "office_park",
        "KH",
        "Preah Sihanouk",
        "Sihanoukville",
        10.6322,
        103.5127,
        ("blocked_windows", "cctv", "gated_entry"),
        (
            ("active", 250, "Partner NGO site visit", "B", 2),
            ("raided", 40, "Police statement", "A", 2),
        ),
    ),
    DemoSite(
        "Crown Star Casino Annex",
        ("皇冠星",),
        "casino",
        "KH",
        "Svay Rieng",
        "Bavet",
        11.0712,
        106.1402,
        ("perimeter_wall", "cctv", "armed_guards"),
        (
            ("suspected", 200, "Satellite imagery", "C", 3),
            ("active", 120, "Check-ins from inside", "B", 2),
        ),
    ),
    DemoSite(
        "Poipet Golden Gate Hotel",
        ("ប៉ោយប៉ែត", "金门酒店"),
        "hotel",
        "KH",
        "Banteay Meanchey",
        "Poipet",
        13.6541,
        102.5521,
        ("gated_entry", "blocked_windows"),
        (("active", 180, "Family reports", "C", 2),),
    ),
    DemoSite(
        "Riverside Industrial Park",
        ("河畔园区", "KK-2"),
        "compound",
        "MM",
        "Kayin",
        "Myawaddy",
        16.6921,
        98.4985,
        ("perimeter_wall", "barbed_wire", "guard_towers", "armed_guards", "dormitories"),
        (
            ("active", 500, "Journalists' reporting", "B", 2),
            ("raided", 90, "Border police", "B", 2),
            ("reopened", 30, "Check-ins from inside", "C", 2),
        ),
    ),
    DemoSite(
        "New Dragon City",
        ("新龙城",),
        "sez",
        "MM",
        "Kayin",
        "Shwe Kokko",
        16.8298,
        98.5207,
        ("perimeter_wall", "razor_wire", "armed_guards", "cctv"),
        (("active", 600, "UN report", "A", 2),),
    ),
    DemoSite(
        "Lucky Kapok Plaza",
        ("金木棉广场",),
        "casino",
        "LA",
        "Bokeo",
        "Ton Pheung",
        20.3448,
        100.0912,
        ("cctv", "gated_entry", "dormitories"),
        (
            ("suspected", 150, "Family reports", "D", 3),
            ("abandoned", 20, "Partner NGO site visit", "B", 1),
        ),
    ),
)

# Where rescued people surface: border towns on the Thai side (places, not sites).
SAFE_PLACES = (
    ("Mae Sot immigration office", "TH", 16.7130, 98.5747),
    ("Aranyaprathet border checkpoint", "TH", 13.6890, 102.5060),
)

# Cases whose persons get a trail: those a compound would explain.
TRAIL_STATUSES = (
    CaseStatus.LOCATED,
    CaseStatus.RESCUE_PLANNED,
    CaseStatus.MOVED,
    CaseStatus.LOST_CONTACT,
    CaseStatus.RESCUED,
    CaseStatus.SHELTERED,
)


def _sites(actor: Membership, now: dt.datetime) -> list[Site]:
    made = []
    for spec in SITES:
        site = site_create(
            actor=actor,
            name=spec.name,
            kind=spec.kind,
            country=spec.country,
            aliases=spec.aliases,
            province=spec.province,
            town=spec.town,
            latitude=spec.latitude,
            longitude=spec.longitude,
            indicators=spec.indicators,
        )
        for status, days_ago, source, reliability, credibility in spec.history:
            site_claim_status(
                actor=actor,
                site=site,
                status=status,
                claimed_on=(now - dt.timedelta(days=days_ago)).date(),
                source=source,
                reliability=reliability,
                credibility=credibility,
            )
        made.append(site)
    return made


def add_demo_sites(
    *, members: dict[str, Membership], rng: random.Random, now: dt.datetime, trails: int = 25
) -> tuple[int, int]:
    """Create the sites and the trails of up to ``trails`` demo victims. Returns the number of
    sites and of sightings."""
    coordinator = next(m for m in members.values() if m.has("can_view_all_cases"))
    sites = _sites(coordinator, now)
    cases = list(
        Case.objects.filter(organisation=coordinator.organisation, status__in=TRAIL_STATUSES)
        .select_related("person")
        .order_by("pk")[:trails]
    )
    sightings = 0
    for case in cases:
        seen = now - dt.timedelta(days=rng.randint(40, 120), hours=rng.randint(0, 23))
        stops = rng.sample(sites, k=rng.choice((1, 2, 2, 3)))
        for site in stops:
            if seen > now - dt.timedelta(hours=1):
                break
            sighting_record(
                actor=coordinator,
                person=case.person,
                site=site,
                seen_at=seen,
                source=rng.choice(("family", "check_in", "partner")),
            )
            sightings += 1
            seen += dt.timedelta(days=rng.randint(5, 30), hours=rng.randint(0, 23))
        if case.status in (CaseStatus.RESCUED, CaseStatus.SHELTERED) and seen < now:
            place, country, latitude, longitude = rng.choice(SAFE_PLACES)
            sighting_record(
                actor=coordinator,
                person=case.person,
                place=place,
                country=country,
                latitude=latitude,
                longitude=longitude,
                seen_at=min(seen, now - dt.timedelta(hours=1)),
                source="rescued",
            )
            sightings += 1
    return len(sites), sightings
