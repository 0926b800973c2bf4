"""Reads of the site registry, scoped to the actor's organisation.

Sites, their indicators and status history are organisation data: every role that holds
``can_view_sites`` sees them. Person operators are personal data: only members who may see
persons get their rows (the others get a count).
"""

import datetime
import math
import re
import uuid
from dataclasses import dataclass, field
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Lower
from django.http import Http404
from django.utils.translation import gettext as _

from lifeline.accounts.models import Membership
from lifeline.cases.models import RequestStatus
from lifeline.people.models import Person, PersonName
from lifeline.people.selectors import visible_persons
from lifeline.sites import geo
from lifeline.sites.models import (
    Operator,
    OperatorKind,
    RequestSite,
    Sighting,
    Site,
    SiteNameKey,
    StatusClaim,
)
from lifeline.sites.naming import TextForms, name_forms


def visible_sites(*, actor: Membership) -> QuerySet[Site]:
    qs = Site.objects.filter(organisation=actor.organisation)
    return qs if actor.has("can_view_sites") else qs.none()


@dataclass
class SiteFilters:
    q: str = ""
    status: list[str] = field(default_factory=list)
    country: str = ""
    indicator: str = ""
    kind: str = ""


def _name_match(query: str) -> Q:
    match = Q(pk__in=[])
    if "\x00" in query:  # no name holds one, and PostgreSQL refuses it in a parameter
        return match
    for form in name_forms(query):
        words = Q()
        for word in form.split():
            words &= Q(search_text__contains=word)
        match |= words
    return match


def site_list(*, actor: Membership, filters: SiteFilters) -> QuerySet[Site]:
    """Visible sites matching every filter, by country then name."""
    qs = visible_sites(actor=actor)
    if filters.q.strip():
        qs = qs.filter(_name_match(filters.q))
    if filters.status:
        qs = qs.filter(status__in=filters.status)
    if filters.country:
        qs = qs.filter(country=filters.country.upper())
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.indicator:
        # JSON containment is not portable to SQLite; the quoted code inside the JSON text is.
        qs = qs.filter(indicators__icontains=f'"{filters.indicator}"')
    return qs.order_by("country", "name", "pk")


def site_get(*, actor: Membership, uid: UUID | str) -> Site:
    """The site, or a plain 404 for one that is missing, another organisation's, or not
    visible to the actor."""
    try:
        return visible_sites(actor=actor).get(uid=uid)
    except (Site.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def site_history(*, site: Site) -> QuerySet[StatusClaim]:
    return StatusClaim.objects.filter(
        organisation_id=site.organisation_id, site=site
    ).select_related("relocated_to", "recorded_by")


def site_operators(*, actor: Membership, site: Site) -> QuerySet[Operator]:
    """Companies for everyone who sees the site; persons only for those who may see persons."""
    qs = Operator.objects.filter(organisation_id=site.organisation_id, site=site)
    if not actor.has("can_view_persons"):
        qs = qs.filter(kind=OperatorKind.COMPANY)
    return qs


def hidden_operator_count(*, actor: Membership, site: Site) -> int:
    if actor.has("can_view_persons"):
        return 0
    return Operator.objects.filter(
        organisation_id=site.organisation_id, site=site, kind=OperatorKind.PERSON
    ).count()


def operator_get(*, actor: Membership, site: Site, uid: UUID | str) -> Operator:
    try:
        return site_operators(actor=actor, site=site).get(uid=uid)
    except (Operator.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def countries_in_use(*, actor: Membership) -> list[str]:
    return list(
        visible_sites(actor=actor).values_list("country", flat=True).distinct().order_by("country")
    )


def site_counts(*, actor: Membership) -> dict[str, dict[str, int]]:
    """Sites by status and by country: aggregates for every role that sees the registry."""
    sites = visible_sites(actor=actor)
    return {
        "by_status": dict(sites.values_list("status").annotate(n=Count("pk")).order_by()),
        "by_country": dict(sites.values_list("country").annotate(n=Count("pk")).order_by()),
    }


# Sightings ----------------------------------------------------------------------------------


def person_trail(*, person: Person) -> QuerySet[Sighting]:
    """Every sighting of a person the caller already fetched through ``person_get``, oldest
    first: the trail across sites and borders."""
    return (
        Sighting.objects.filter(organisation_id=person.organisation_id, person=person)
        .select_related("site")
        .order_by("seen_at", "pk")
    )


@dataclass
class Occupancy:
    """Who was last known at a site: the sightings of the persons the actor may see, and how
    many persons in all (a count is no personal data; analysts get only that)."""

    visible: list[Sighting]
    total: int
    # One or two persons, withheld from a member who may not see persons (``MAP_COUNT_FLOOR``).
    few: bool = False
    # The active cases of the persons last known here; None when withheld as for ``few``.
    active_cases: int | None = 0

    @property
    def hidden(self) -> int:
        return self.total - len(self.visible)


# The most recent persons last known at a site among whom those the actor may see are sought.
OCCUPANCY_SCAN = 5000


def site_occupancy(*, actor: Membership, site: Site, limit: int = 50) -> Occupancy:
    """The counts are those kept on the site's row (lifeline.sites.counters), read afresh: the
    caller's instance may predate a sighting."""
    latest = Sighting.objects.filter(
        organisation_id=site.organisation_id, site=site, is_latest=True
    )
    total, active_cases = (
        Site.objects.filter(organisation_id=site.organisation_id, pk=site.pk)
        .values_list("people_count", "active_case_count")
        .get()
    )
    if not actor.has("can_view_persons"):
        cases = _floored(active_cases, MAP_COUNT_FLOOR)
        if 0 < total < MAP_COUNT_FLOOR:
            return Occupancy(visible=[], total=0, few=True, active_cases=cases)
        return Occupancy(visible=[], total=total, active_cases=cases)
    if not total:
        return Occupancy(visible=[], total=0)
    # The persons last known here first, then which of them the actor may see: "person IN
    # (every visible person)" would make SQLite list the whole organisation's persons.
    here = list(latest.order_by("-seen_at", "-pk").values_list("pk", "person_id")[:OCCUPANCY_SCAN])
    allowed = set(
        visible_persons(actor=actor)
        .filter(pk__in=sorted({person_id for _pk, person_id in here}))
        .values_list("pk", flat=True)
    )
    shown = [pk for pk, person_id in here if person_id in allowed][:limit]
    visible = list(
        Sighting.objects.filter(organisation_id=site.organisation_id, pk__in=shown)
        .select_related("person")
        .prefetch_related(
            Prefetch(
                "person__names",
                queryset=PersonName.objects.filter(is_primary=True),
                to_attr="primary_names",
            )
        )
        .order_by("-seen_at", "-pk")
    )
    return Occupancy(visible=visible, total=total, active_cases=active_cases)


def site_by_name(*, actor: Membership, text: str, field: str = "site") -> Site:
    """The one visible site whose name is ``text`` (any case), or whose uid it is; a
    ValidationError on ``site`` when none or several match."""
    text = (text or "").strip()
    qs = visible_sites(actor=actor)
    try:
        return qs.get(uid=uuid.UUID(text))
    except (ValueError, Site.DoesNotExist):
        pass
    found = list(qs.annotate(name_lower=Lower("name")).filter(name_lower=text.casefold())[:2])
    if len(found) == 1:
        return found[0]
    message = (
        _("Several sites have this name: use the API with the site's uid.")
        if found
        else _("No site of the registry has this name.")
    )
    raise ValidationError({field: [message]})


# Sites near a point ---------------------------------------------------------------------------

KM_PER_DEGREE = 111.195  # along a meridian (mean Earth radius)
MAX_RADIUS_KM = 500.0
# Around a request's place that names a known site or town.
TRIAGE_RADIUS_KM = 30.0
TRIAGE_LIMIT = 5


@dataclass
class NearSite:
    site: Site
    distance_km: float


def _box(latitude: float, longitude: float, radius_km: float) -> Q:
    """A bounding box around the point that holds every point within ``radius_km`` (the
    prefilter that the (organisation, latitude, longitude) index answers), across the
    antimeridian and near the poles too."""
    dlat = radius_km / KM_PER_DEGREE
    box = Q(latitude__gte=latitude - dlat, latitude__lte=latitude + dlat)
    cos_lat = math.cos(math.radians(min(89.9, abs(latitude) + dlat)))
    dlon = radius_km / (KM_PER_DEGREE * max(cos_lat, 1e-6))
    if abs(latitude) + dlat >= 90 or dlon >= 180:
        return box & Q(longitude__isnull=False)
    west, east = longitude - dlon, longitude + dlon
    if west < -180:
        return box & (Q(longitude__gte=west + 360) | Q(longitude__lte=east))
    if east > 180:
        return box & (Q(longitude__gte=west) | Q(longitude__lte=east - 360))
    return box & Q(longitude__gte=west, longitude__lte=east)


def sites_near(
    *,
    actor: Membership,
    latitude: float,
    longitude: float,
    radius_km: float,
    limit: int = 50,
) -> list[NearSite]:
    """Visible sites within ``radius_km`` of the point, nearest first: a bounding-box query,
    then the great-circle distance of each candidate (portable: SQLite and PostgreSQL, no
    PostGIS). Raises ValidationError for a point or radius out of range."""
    point = geo.check_point(latitude, longitude)
    if point is None or not 0 < radius_km <= MAX_RADIUS_KM:
        raise ValidationError(
            {"radius_km": [_("Give a radius between 0 and %(n)d km.") % {"n": MAX_RADIUS_KM}]}
        )
    # Distances from the bare coordinates; only the nearest few become model instances.
    candidates = (
        visible_sites(actor=actor)
        .filter(_box(latitude, longitude, radius_km))
        .values_list("pk", "latitude", "longitude", "name")
    )
    nearest = sorted(
        (round(geo.haversine_km(latitude, longitude, lat, lon), 2), name, pk)
        for pk, lat, lon, name in candidates
        if lat is not None and lon is not None  # the box excludes sites without a point
    )
    nearest = [row for row in nearest if row[0] <= radius_km][:limit]
    sites = Site.objects.filter(pk__in=[pk for _d, _n, pk in nearest]).in_bulk()
    return [NearSite(site=sites[pk], distance_km=distance) for distance, _n, pk in nearest]


def _place_phrases(text: str) -> set[str]:
    """Every run of one to three words of a place text, lower-cased ("Sihanoukville, building
    C" gives "sihanoukville", "building c", ...): the candidates for a site's town."""
    words = re.findall(r"\w+", text.casefold())
    return {" ".join(words[i : i + n]) for n in (1, 2, 3) for i in range(len(words) - n + 1)}


LEADS_PER_QUERY = 2000


def sites_named_in(*, actor: Membership, texts: list[str]) -> list[list[Site]]:
    """For each text, the visible sites whose name or an alias it holds, in any script and
    romanised ("金木棉", "Jin Mu Mian" and "jinmumian" all name a site with the alias 金木棉).
    One query per ``LEADS_PER_QUERY`` distinct words and characters of all the texts, through
    the indexed leads of the name keys; then each key is checked against each text."""
    if not actor.has("can_view_sites"):
        return [[] for _text in texts]
    found = named_site_ids(organisation_id=actor.organisation_id, texts=texts)
    sites = visible_sites(actor=actor).in_bulk(sorted(set().union(set(), *found)))
    return [sorted((sites[pk] for pk in ids if pk in sites), key=_by_name) for ids in found]


def named_site_ids(*, organisation_id: int, texts: list[str]) -> list[set[int]]:
    """The ids of the organisation's sites each text names (see ``sites_named_in``), for
    callers that act for the organisation itself (a request arriving from the public page)."""
    forms = [TextForms.of(text) if text else None for text in texts]
    leads = sorted(set().union(set(), *(f.leads for f in forms if f is not None)))
    if not leads:
        return [set() for _text in texts]
    keys: list[tuple[int, str, bool]] = []
    for i in range(0, len(leads), LEADS_PER_QUERY):
        keys += SiteNameKey.objects.filter(
            organisation_id=organisation_id, lead__in=leads[i : i + LEADS_PER_QUERY]
        ).values_list("site_id", "key", "joined")
    return [
        {site_id for site_id, key, joined in keys if f is not None and f.holds(key, joined=joined)}
        for f in forms
    ]


def _by_name(site: Site) -> tuple[str, int]:
    return site.name.casefold(), site.pk


def sites_for_places(*, actor: Membership, texts: list[str]) -> list[list[NearSite]]:
    """For each text (a request's "where they are" and what it says), the known sites whose
    name or alias it holds (``sites_named_in``) or whose town it names, and the sites within
    ``TRIAGE_RADIUS_KM`` of the first of them, nearest first, the named ones leading."""
    if not actor.has("can_view_sites"):
        return [[] for _text in texts]
    named = sites_named_in(actor=actor, texts=texts)
    phrases = [_place_phrases(text) if text else set() for text in texts]
    every = set().union(*phrases) if phrases else set()
    towns = (
        list(
            visible_sites(actor=actor)
            .exclude(town="")
            .annotate(town_lower=Lower("town"))
            .filter(town_lower__in=sorted(every))
            .order_by("name", "pk")[:200]
        )
        if every
        else []
    )
    results: list[list[NearSite]] = []
    around: dict[int, list[NearSite]] = {}
    for by_name, wanted in zip(named, phrases, strict=True):
        by_town = [s for s in towns if s.town_lower in wanted and s not in by_name]
        anchor = next((s for s in by_name + by_town if s.has_point), None)
        if anchor is None:
            results.append(
                [NearSite(site=s, distance_km=0.0) for s in by_name + by_town][:TRIAGE_LIMIT]
            )
            continue
        if anchor.pk not in around:
            around[anchor.pk] = sites_near(
                actor=actor,
                latitude=anchor.latitude,  # type: ignore[arg-type]
                longitude=anchor.longitude,  # type: ignore[arg-type]
                radius_km=TRIAGE_RADIUS_KM,
                limit=TRIAGE_LIMIT,
            )
        nearby = around[anchor.pk]
        # The sites the text names come first, then what lies around the first of them.
        first = [NearSite(site=s, distance_km=_distance(anchor, s)) for s in by_name]
        rest = [n for n in nearby if n.site.pk not in {s.pk for s in by_name}]
        results.append((first + rest)[: max(TRIAGE_LIMIT, len(first))])
    return results


def _distance(anchor: Site, site: Site) -> float:
    if not site.has_point:
        return 0.0
    return round(
        geo.haversine_km(anchor.latitude, anchor.longitude, site.latitude, site.longitude),  # type: ignore[arg-type]
        2,
    )


# The map --------------------------------------------------------------------------------------

MAP_LIMIT = 5000
# The smallest count of persons or cases per site shown to members who may not see persons.
MAP_COUNT_FLOOR = 3


@dataclass
class MapFilters:
    west: float = -180.0
    south: float = -90.0
    east: float = 180.0
    north: float = 90.0
    status: list[str] = field(default_factory=list)
    country: str = ""
    indicator: str = ""
    at: datetime.date | None = None


def map_sites(*, actor: Membership, filters: MapFilters) -> tuple[list[dict[str, object]], int]:
    """The sites with a point inside the viewport that match the filters, as small dicts for
    the map (no personal data: how many persons were last known at each site, how many of
    their cases are active and how many requests named it, not who), and how many matched in all (at most ``MAP_LIMIT`` are
    returned). The counts are those kept on the site rows (lifeline.sites.counters).

    With ``at``, each site's status is the one of its latest claim on or before that date, and
    sites with no claim by then are left out: the map as it was on that day."""
    qs = visible_sites(actor=actor).filter(latitude__gte=filters.south, latitude__lte=filters.north)
    if filters.west <= filters.east:
        qs = qs.filter(longitude__gte=filters.west, longitude__lte=filters.east)
    else:  # the viewport crosses the antimeridian
        qs = qs.filter(Q(longitude__gte=filters.west) | Q(longitude__lte=filters.east))
    if filters.country:
        qs = qs.filter(country=filters.country.upper())
    if filters.indicator:
        qs = qs.filter(indicators__icontains=f'"{filters.indicator}"')
    status_field = "status"
    if filters.at is not None:
        claims = StatusClaim.objects.filter(
            organisation_id=actor.organisation_id, site=OuterRef("pk"), claimed_on__lte=filters.at
        ).order_by("-claimed_on", "-pk")
        qs = qs.annotate(status_then=Subquery(claims.values("status")[:1])).exclude(
            status_then__isnull=True
        )
        status_field = "status_then"
    if filters.status:
        qs = qs.filter(**{f"{status_field}__in": filters.status})
    rows = list(
        qs.order_by("pk").values_list(
            "pk",
            "uid",
            "name",
            "latitude",
            "longitude",
            "kind",
            "country",
            status_field,
            "people_count",
            "active_case_count",
        )[:MAP_LIMIT]
    )
    # Counting the matches again is needed only when the answer was cut short.
    total = len(rows) if len(rows) < MAP_LIMIT else qs.count()
    named = _requests_per_site(actor, qs) if rows else {}
    # Counts only; for members who may not see persons a count of one or two is withheld: with
    # what they know from elsewhere ("my brother is at that compound") it could name someone.
    floor = 0 if actor.has("can_view_persons") else MAP_COUNT_FLOOR
    return [
        {
            "uid": str(uid),
            "name": name,
            "lat": lat,
            "lon": lon,
            "kind": kind,
            "country": country,
            "status": status or "",
            "people": _floored(people, floor),
            "active_cases": _floored(cases, floor),
            "requests": _floored(named.get(pk, 0), floor),
        }
        for pk, uid, name, lat, lon, kind, country, status, people, cases in rows
    ], total


def _requests_per_site(actor: Membership, sites: QuerySet[Site]) -> dict[int, int]:
    """Requests that named each of ``sites`` and were not rejected (spam, tests, duplicates)."""
    links = RequestSite.objects.filter(
        organisation_id=actor.organisation_id, site__in=sites.order_by().values("pk")
    ).exclude(request__status=RequestStatus.REJECTED)
    return dict(links.values_list("site_id").annotate(n=Count("pk")).order_by())


def _floored(count: int, floor: int) -> int | None:
    """``count``, or None for a count above zero and below ``floor`` (shown as "fewer than")."""
    return None if 0 < count < floor else count


def export_operators(*, actor: Membership, sites: list[Site]) -> list[Operator]:
    """The operators of ``sites`` for an export: companies for everyone who sees the registry,
    persons (suspects) only for members who may see persons."""
    qs = Operator.objects.filter(
        organisation_id=actor.organisation_id, site_id__in=[site.pk for site in sites]
    ).select_related("site")
    if not actor.has("can_view_persons"):
        qs = qs.filter(kind=OperatorKind.COMPANY)
    return list(qs.order_by("site_id", "pk"))
