"""Reads of the lure library, scoped to the actor's organisation; only members who may manage
it see anything."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Count, IntegerField, Max, Min, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from lifeline.accounts.models import Membership
from lifeline.cases.models import Case
from lifeline.cases.selectors import visible_cases
from lifeline.people.models import ContactHandle, Person
from lifeline.people.selectors import visible_persons
from lifeline.screening.models import Campaign, Lure, RecruiterIdentifier


def visible_lures(*, actor: Membership) -> QuerySet[Lure]:
    qs = Lure.objects.filter(organisation=actor.organisation, erased_at__isnull=True)
    if not actor.has("can_manage_lures"):
        return qs.none()
    return qs


@dataclass(frozen=True)
class LureFilters:
    source: str = ""
    language: str = ""
    platform: str = ""
    level: str = ""
    seen_from: datetime.date | None = None
    seen_to: datetime.date | None = None
    campaign: UUID | None = None
    country: str = ""

    def used(self) -> list[str]:
        """The names of the filters set (for the audit log: names, never values)."""
        return [name for name, value in vars(self).items() if value not in ("", None)]


def lure_list(*, actor: Membership, filters: LureFilters | None = None) -> QuerySet[Lure]:
    # How many of the organisation's offers share each offer's campaign, for the list.
    campaign_offers = (
        visible_lures(actor=actor)
        .filter(campaign=OuterRef("campaign"))
        .values("campaign")
        .annotate(n=Count("pk"))
        .values("n")
    )
    qs = (
        visible_lures(actor=actor)
        .select_related("case", "campaign")
        .annotate(campaign_offers=Subquery(campaign_offers, output_field=IntegerField()))
        .order_by("-seen_on", "-pk")
    )
    f = filters or LureFilters()
    exact = {
        "source": f.source,
        "language": f.language,
        "platform": f.platform,
        "level": f.level,
        "country": f.country.upper(),
    }
    qs = qs.filter(**{field: value for field, value in exact.items() if value})
    if f.seen_from:
        qs = qs.filter(seen_on__gte=f.seen_from)
    if f.seen_to:
        qs = qs.filter(seen_on__lte=f.seen_to)
    if f.campaign:
        qs = qs.filter(campaign__uid=f.campaign)
    return qs


@dataclass(frozen=True)
class Place:
    country: str
    town: str
    lures: int
    points: list[tuple[float, float]]


def lure_places(*, lures: QuerySet[Lure]) -> list[Place]:
    """Where ``lures`` were seen, by country and town, most offers first, with their points."""
    places: dict[tuple[str, str], list[Any]] = {}
    for country, town, lat, lon in lures.order_by().values_list(
        "country", "town", "latitude", "longitude"
    ):
        entry = places.setdefault((country, town.strip().casefold()), [town.strip(), 0, []])
        entry[1] += 1
        if lat is not None and lon is not None:
            entry[2].append((lat, lon))
    return sorted(
        (
            Place(country, town, count, points)
            for (country, _k), (town, count, points) in places.items()
        ),
        key=lambda place: (-place.lures, place.country, place.town),
    )


def lure_get(*, actor: Membership, uid: UUID | str) -> Lure:
    """The offer, or a plain 404 (missing, another organisation's, or not visible)."""
    try:
        return visible_lures(actor=actor).select_related("case", "campaign").get(uid=uid)
    except (Lure.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


@dataclass(frozen=True)
class IdentifierUse:
    identifier: RecruiterIdentifier
    lures: int
    cases: int
    persons: int


def identifiers_of_lure(*, lure: Lure) -> list[IdentifierUse]:
    """The recruiters' identifiers in ``lure`` with where else they appear in its organisation:
    in how many offers, how many cases (through their offers) and how many persons' contacts
    (same blind index)."""
    identifiers = RecruiterIdentifier.objects.filter(
        organisation_id=lure.organisation_id, lure_links__lure=lure
    ).order_by("kind", "pk")
    uses = []
    for identifier in identifiers:
        cases = (
            Case.objects.filter(
                organisation_id=lure.organisation_id,
                lures__identifier_links__identifier=identifier,
            )
            .distinct()
            .count()
        )
        persons = (
            ContactHandle.objects.filter(
                organisation_id=lure.organisation_id, value_index=identifier.value_index
            )
            .values("person")
            .distinct()
            .count()
        )
        lures = Lure.objects.filter(
            organisation_id=lure.organisation_id,
            identifier_links__identifier=identifier,
            erased_at__isnull=True,
        ).count()
        uses.append(IdentifierUse(identifier, lures, cases, persons))
    return uses


def campaign_get(*, actor: Membership, uid: UUID | str) -> Campaign:
    """The campaign, or a plain 404 (missing, another organisation's, or not visible)."""
    try:
        return Campaign.objects.filter(
            organisation=actor.organisation, pk__in=visible_lures(actor=actor).values("campaign")
        ).get(uid=uid)
    except (Campaign.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def campaign_lures(*, actor: Membership, campaign: Campaign) -> QuerySet[Lure]:
    """The campaign's offers, oldest sighting first: its timeline."""
    return visible_lures(actor=actor).filter(campaign=campaign).order_by("seen_on", "pk")


def identifier_get(*, actor: Membership, uid: UUID | str) -> RecruiterIdentifier:
    """The recruiter's identifier, or a plain 404 (missing, another organisation's, or the
    actor may not work the lure library)."""
    if not actor.has("can_manage_lures"):
        raise Http404
    try:
        return RecruiterIdentifier.objects.filter(organisation=actor.organisation).get(uid=uid)
    except (RecruiterIdentifier.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


@dataclass(frozen=True)
class IdentifierReach:
    """Where one recruiter's identifier appears: the offers and campaigns, and the cases and
    persons it links to. The counts cover the organisation; ``cases`` and ``persons`` list
    only those the actor may see (``persons`` is empty without ``can_view_persons``)."""

    lures: list[Lure]
    campaigns: Sequence[Campaign]  # annotated with offers, first_seen and last_seen
    case_count: int
    person_count: int
    cases: list[Case]
    persons: list[Person]


def identifier_reach(*, actor: Membership, identifier: RecruiterIdentifier) -> IdentifierReach:
    lures = list(
        visible_lures(actor=actor)
        .filter(identifier_links__identifier=identifier)
        .select_related("campaign", "case")
        .order_by("seen_on", "pk")
    )
    # Each campaign with all of its offers' count and span, not only those naming the identifier.
    live = Q(lures__erased_at__isnull=True)
    campaigns = list(
        Campaign.objects.filter(
            organisation_id=identifier.organisation_id,
            pk__in={lure.campaign_id for lure in lures if lure.campaign_id},
        )
        .annotate(
            offers=Count("lures", filter=live),
            first_seen=Min("lures__seen_on", filter=live),
            last_seen=Max("lures__seen_on", filter=live),
        )
        .order_by("first_seen", "pk")
    )
    all_cases = Case.objects.filter(
        organisation_id=identifier.organisation_id,
        lures__identifier_links__identifier=identifier,
    ).distinct()
    holders = ContactHandle.objects.filter(
        organisation_id=identifier.organisation_id, value_index=identifier.value_index
    ).values("person")
    return IdentifierReach(
        lures=lures,
        campaigns=campaigns,
        case_count=all_cases.count(),
        person_count=holders.distinct().count(),
        cases=list(visible_cases(actor=actor).filter(pk__in=all_cases.values("pk"))),
        persons=list(visible_persons(actor=actor).filter(pk__in=holders)),
    )


def campaign_timeline(*, lure: Lure) -> QuerySet[Lure]:
    """The offers of ``lure``'s campaign, oldest sighting first (none if it has no campaign)."""
    if lure.campaign_id is None:
        return Lure.objects.none()
    return Lure.objects.filter(
        organisation_id=lure.organisation_id, campaign_id=lure.campaign_id, erased_at__isnull=True
    ).order_by("seen_on", "pk")
