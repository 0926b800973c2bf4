"""Redaction: what a partner or another organisation is told, chosen by an explicit allow-list.

Two steps, so that the rule is checkable in one place. ``gather_*`` read everything a briefing
or a referral could ever hold into plain ``Facts`` (database access lives there); then
``build_briefing`` and ``referral_snapshot`` copy into the output only the fields that the
level's allow-list names. A field that is not in the allow-list cannot reach the page, the file
or the link, because those are all rendered from the built document alone.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.utils import timezone

if TYPE_CHECKING:
    from lifeline.cases.models import Case
    from lifeline.sharing.models import Operation

# The allow-lists, each spelled out in full so that a level reads as what it shares.
_SITE = ("site.name", "site.aliases", "site.kind", "site.place", "site.point", "site.indicators")
_PEOPLE = ("person.names", "person.age", "person.gender", "person.citizenship", "person.languages")
_CONTACTS = ("person.contacts", "person.identifiers")
# A briefing's levels (BriefingLevel): the window and the meeting point go with every level
# (a partner cannot act without them); "location" is a case's last known location.
BRIEFING_FIELDS: dict[str, frozenset[str]] = {
    "site": frozenset({"window", "rendezvous", *_SITE, "location"}),
    "people": frozenset({"window", "rendezvous", *_SITE, "location", *_PEOPLE}),
    "full": frozenset({"window", "rendezvous", *_SITE, "location", *_PEOPLE, *_CONTACTS}),
}
# A referral's profiles (ReferralProfile). Codes of the case (status, urgency, needs) travel
# with every profile: the receiver cannot help without them.
REFERRAL_FIELDS: dict[str, frozenset[str]] = {
    "essentials": frozenset({*_PEOPLE, "case.codes"}),
    "location": frozenset({*_PEOPLE, "case.codes", "location", "case.summary"}),
    "full": frozenset({*_PEOPLE, "case.codes", "location", "case.summary", *_CONTACTS}),
}


@dataclass
class SiteFacts:
    name: str
    aliases: list[str]
    kind: str
    place: str
    point: str
    indicators: list[str]


@dataclass
class PersonFacts:
    names: list[str]
    age: str
    gender: str
    citizenship: str
    languages: list[str]
    contacts: list[tuple[str, str]]  # (kind, value)
    identifiers: list[tuple[str, str]]  # (kind, value)
    location: str = ""


@dataclass
class Facts:
    """Everything a briefing or referral could hold, unfiltered. Never rendered as such."""

    title: str
    window: str = ""
    sites: list[SiteFacts] = field(default_factory=list)
    people: list[PersonFacts] = field(default_factory=list)
    summary: str = ""
    codes: dict[str, Any] = field(default_factory=dict)
    landmarks: list[str] = field(default_factory=list)


@dataclass
class Section:
    heading: str
    kind: str  # "text" or "list" (a list's lines may be reordered per recipient)
    lines: list[str]


@dataclass
class BriefingDocument:
    title: str
    sections: list[Section]
    landmarks: list[str] = field(default_factory=list)


# Gathering --------------------------------------------------------------------------------


def _when(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")


def site_facts(site: Any) -> SiteFacts:
    from lifeline.sites.models import Indicator, SiteKind

    place = ", ".join(p for p in (site.town, site.province, site.country.name) if p)
    point = (
        f"{site.latitude:.5f}, {site.longitude:.5f}"
        if site.latitude is not None and site.longitude is not None
        else ""
    )
    labels = dict(Indicator.choices)
    return SiteFacts(
        name=site.name,
        aliases=list(site.aliases or []),
        kind=str(dict(SiteKind.choices).get(site.kind, site.kind)),
        place=place,
        point=point,
        indicators=[str(labels.get(code, code)) for code in site.indicators or []],
    )


def person_facts(case: Case) -> PersonFacts:
    from lifeline.people.models import ContactHandle, Identifier, PersonName

    person = case.person
    org = case.organisation_id
    names = [
        n.value
        for n in PersonName.objects.filter(organisation_id=org, person=person).order_by(
            "-is_primary", "pk"
        )
    ]
    contacts = [
        (c.kind, c.value)
        for c in ContactHandle.objects.filter(organisation_id=org, person=person).order_by("pk")
    ]
    identifiers = [
        (i.kind, i.value)
        for i in Identifier.objects.filter(organisation_id=org, person=person).order_by("pk")
    ]
    return PersonFacts(
        names=names,
        age=str(person.age or ""),
        gender=person.get_gender_display() if person.gender != "NonSpecifiedUnknown" else "",
        citizenship=str(getattr(person.citizenship, "name", "") or ""),
        languages=list(person.languages or []),
        contacts=contacts,
        identifiers=identifiers,
        location=case.last_known_location or "",
    )


def gather_operation(operation: Operation) -> Facts:
    from lifeline.cases.models import Case
    from lifeline.sites.models import Site

    org = operation.organisation_id
    sites = Site.objects.filter(
        organisation_id=org, pk__in=operation.targets.values("site_id")
    ).order_by("name", "pk")
    cases = (
        Case.objects.filter(organisation_id=org, pk__in=operation.cases.values("case_id"))
        .select_related("person")
        .order_by("pk")
    )
    return Facts(
        title=operation.codename,
        window=f"{_when(operation.window_start)} – {_when(operation.window_end)}",
        sites=[site_facts(site) for site in sites],
        people=[person_facts(case) for case in cases],
        landmarks=[
            line.strip()
            for line in (operation.rendezvous_landmarks or "").splitlines()
            if line.strip()
        ],
    )


def gather_case(case: Case) -> Facts:
    return Facts(
        # Never the case reference: it is the organisation's own handle on the case, and
        # nothing a partner needs (a leaked reference would point straight back at the file).
        title="",
        people=[person_facts(case)],
        summary=case.summary or "",
        codes={
            "status": case.status,
            "urgency": case.urgency,
            "exploitation_types": list(case.exploitation_types or []),
            "trafficking_status": case.trafficking_status,
        },
    )


# Building ---------------------------------------------------------------------------------


def _person_line(person: PersonFacts, allowed: frozenset[str]) -> str:
    parts: list[str] = []
    if "person.names" in allowed and person.names:
        head = person.names[0]
        if len(person.names) > 1:
            head += " (" + ", ".join(person.names[1:]) + ")"
        parts.append(head)
    if "person.age" in allowed and person.age:
        parts.append(person.age)
    if "person.gender" in allowed and person.gender:
        parts.append(person.gender)
    if "person.citizenship" in allowed and person.citizenship:
        parts.append(person.citizenship)
    if "person.languages" in allowed and person.languages:
        parts.append("speaks " + "/".join(person.languages))
    if "person.contacts" in allowed and person.contacts:
        parts.append("; ".join(f"{kind} {value}" for kind, value in person.contacts))
    if "person.identifiers" in allowed and person.identifiers:
        parts.append("; ".join(f"{kind} {value}" for kind, value in person.identifiers))
    return ", ".join(parts)


def _lower(label: str) -> str:
    # "Perimeter wall" reads "perimeter wall" mid-sentence; "CCTV cameras" stays as it is.
    return label[0].lower() + label[1:] if label[1:2].islower() else label


def _series(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def build_briefing(facts: Facts, *, level: str) -> BriefingDocument:
    """The briefing at ``level``: only the fields of ``BRIEFING_FIELDS[level]`` are copied.

    An unknown level is a KeyError, never a default: a typo must not widen what is shared.
    """
    allowed = BRIEFING_FIELDS[level]
    sections: list[Section] = []
    if "window" in allowed and facts.window:
        sections.append(Section(heading="Window", kind="text", lines=[facts.window]))
    for site in facts.sites:
        lines: list[str] = []
        # Plain sentences: their wording is what the canary engine varies per recipient.
        if "site.aliases" in allowed and site.aliases:
            lines.append("Also known as " + ", ".join(site.aliases) + ".")
        if "site.kind" in allowed and site.kind:
            lines.append(f"Kind of site: {site.kind.lower()}.")
        if "site.place" in allowed and site.place:
            lines.append(f"It is located in {site.place}.")
        if "site.point" in allowed and site.point:
            lines.append(f"Coordinates: {site.point}.")
        if "site.indicators" in allowed and site.indicators:
            lines.append(f"Recognisable by {_series([_lower(i) for i in site.indicators])}.")
        heading = f"Site: {site.name}" if "site.name" in allowed else "Site"
        sections.append(Section(heading=heading, kind="text", lines=lines))
    if "location" in allowed and not facts.sites:
        places = [p.location for p in facts.people if p.location]
        if places:
            lines = [f"Last seen at {place}." for place in places]
            sections.append(Section(heading="Last known location", kind="text", lines=lines))
    landmarks: list[str] = []
    if "rendezvous" in allowed and facts.landmarks:
        landmarks = list(facts.landmarks)
        sections.append(
            Section(heading="Rendezvous", kind="text", lines=[f"Meet at {landmarks[0]}."])
        )
    people = [_person_line(p, allowed) for p in facts.people]
    people = [line for line in people if line]
    if people:
        sections.append(Section(heading="People", kind="list", lines=people))
    return BriefingDocument(
        title=f"Briefing: {facts.title}" if facts.title else "Briefing",
        sections=sections,
        landmarks=landmarks,
    )


def referral_snapshot(facts: Facts, *, profile: str) -> dict[str, Any]:
    """The referred case as the receiver sees it: only ``REFERRAL_FIELDS[profile]``."""
    allowed = REFERRAL_FIELDS[profile]
    person = facts.people[0]
    out: dict[str, Any] = {}
    if "person.names" in allowed:
        out["names"] = list(person.names)
    if "person.age" in allowed:
        out["age"] = person.age
    if "person.gender" in allowed:
        out["gender"] = person.gender
    if "person.citizenship" in allowed:
        out["citizenship"] = person.citizenship
    if "person.languages" in allowed:
        out["languages"] = list(person.languages)
    if "case.codes" in allowed:
        out["codes"] = dict(facts.codes)
    if "location" in allowed:
        out["last_known_location"] = person.location
    if "case.summary" in allowed:
        out["summary"] = facts.summary
    if "person.contacts" in allowed:
        out["contacts"] = [list(c) for c in person.contacts]
    if "person.identifiers" in allowed:
        out["identifiers"] = [list(i) for i in person.identifiers]
    return out
