"""Reads of the site registry, scoped to the actor's organisation.

Sites, their indicators and status history are organisation data: every role that holds
``can_view_sites`` sees them. Person operators are personal data: only members who may see
persons get their rows (the others get a count).
"""

from dataclasses import dataclass, field
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from lifeline.accounts.models import Membership
from lifeline.people.models import Person, PersonName
from lifeline.people.selectors import visible_persons
from lifeline.sites.models import Operator, OperatorKind, Sighting, Site, StatusClaim
from lifeline.sites.naming import name_forms


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


def relocation_targets(*, actor: Membership, site: Site) -> QuerySet[Site]:
    return visible_sites(actor=actor).exclude(pk=site.pk).order_by("country", "name")


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

    @property
    def hidden(self) -> int:
        return self.total - len(self.visible)


def site_occupancy(*, actor: Membership, site: Site, limit: int = 50) -> Occupancy:
    latest = Sighting.objects.filter(
        organisation_id=site.organisation_id, site=site, is_latest=True
    )
    total = latest.count()
    if not total or not actor.has("can_view_persons"):
        return Occupancy(visible=[], total=total)
    visible = list(
        latest.filter(person__in=visible_persons(actor=actor).values("pk"))
        .select_related("person")
        .prefetch_related(
            Prefetch(
                "person__names",
                queryset=PersonName.objects.filter(is_primary=True),
                to_attr="primary_names",
            )
        )
        .order_by("-seen_at", "-pk")[:limit]
    )
    return Occupancy(visible=visible, total=total)


def sightable_sites(*, actor: Membership) -> QuerySet[Site]:
    """Sites a sighting may name: the organisation's registry, by country then name."""
    return Site.objects.filter(organisation=actor.organisation).order_by("country", "name")
