"""Reads of persons, always scoped to the actor's organisation and what their role may see."""

from collections.abc import Sequence
from typing import TypeVar
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Exists, Model, OuterRef, Q, QuerySet
from django.http import Http404

from lifeline.accounts.models import Membership
from lifeline.core.querysets import intersect_ids
from lifeline.people import indexing
from lifeline.people.models import ContactHandle, Identifier, NameToken, Person

_M = TypeVar("_M", bound=Model)


def visible_persons(*, actor: Membership) -> QuerySet[Person]:
    """Coordinators see every person of their organisation; caseworkers the victims of their
    assigned cases; everyone else no one. A record merged into another is hidden (its data
    lives on the other; lifeline.linkage can undo the merge)."""
    from lifeline.cases.models import CaseAssignment

    qs = Person.objects.filter(organisation=actor.organisation, merged_into__isnull=True)
    if not actor.has("can_view_persons"):
        return qs.none()
    if actor.has("can_view_all_cases"):
        return qs
    assigned = CaseAssignment.objects.filter(
        organisation=actor.organisation, user=actor.user, case__person=OuterRef("pk")
    )
    return qs.filter(Exists(assigned))


def person_get(*, actor: Membership, uid: UUID | str) -> Person:
    """The person, or a plain 404 whether it does not exist, is another organisation's, or is
    not visible to the actor."""
    try:
        return visible_persons(actor=actor).get(uid=uid)
    except (Person.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def name_person_ids(*, organisation_id: int, query: str) -> set[int] | None:
    """Ids of the persons who have, for every part of ``query``, one of its name digests; None
    when too many match to list (then use ``name_match``'s subqueries). A query with nothing
    searchable in it ("-", an emoji) matches nobody."""
    return intersect_ids(
        NameToken.objects.filter(
            organisation_id=organisation_id, digest__in=sorted(digests)
        ).values_list("person_id", flat=True)
        for digests in indexing.query_name_digest_groups(query)
    )


def name_match(*, organisation_id: int, query: str, person_field: str = "pk") -> Q:
    """A condition: the row's person has this name in any script (see ``name_person_ids``)."""
    person_ids = name_person_ids(organisation_id=organisation_id, query=query)
    if person_ids is not None:
        return Q(**{f"{person_field}__in": sorted(person_ids)})
    condition = Q()
    for digests in indexing.query_name_digest_groups(query):
        subquery = NameToken.objects.filter(
            organisation_id=organisation_id, digest__in=sorted(digests)
        ).values("person_id")
        condition &= Q(**{f"{person_field}__in": subquery})
    return condition


def filter_by_name(
    qs: QuerySet[_M], *, organisation_id: int, query: str, person_field: str = "pk"
) -> QuerySet[_M]:
    """Keep rows whose person has this name in any script (see ``name_match``)."""
    if not query.strip():
        return qs
    return qs.filter(
        name_match(organisation_id=organisation_id, query=query, person_field=person_field)
    )


def filter_by_contact(
    qs: QuerySet[_M],
    *,
    organisation_id: int,
    query: str,
    default_region: str | None,
    person_field: str = "pk",
) -> QuerySet[_M]:
    """Keep rows whose person has a phone (any format typed) or handle equal to ``query``."""
    digests = indexing.phone_query_digests(query, default_region=default_region)
    digests += indexing.handle_query_digests(query)
    person_ids = ContactHandle.objects.filter(
        organisation_id=organisation_id, value_index__in=digests
    ).values("person_id")
    return qs.filter(**{f"{person_field}__in": person_ids})


def persons_matching(
    *,
    actor: Membership,
    names: Sequence[str] = (),
    contacts: Sequence[tuple[str, str]] = (),
    limit: int = 10,
) -> list[tuple[Person, list[str]]]:
    """Persons sharing a name (any script, either order) or an exact contact or identifier.

    Returns (person, reasons) with the strongest evidence first: a shared contact, then a name.
    """
    found: dict[int, tuple[Person, list[str]]] = {}
    base = visible_persons(actor=actor)
    org_id = actor.organisation_id
    for kind, normalised in contacts:
        digest = indexing.contact_digest(kind, normalised)
        # Driven from the contact's blind index (a few rows), not from the persons: a
        # correlated EXISTS makes SQLite walk every person of the organisation for a phone
        # only one of them has (100 ms a request at 100,000 persons, growing with them).
        holders = ContactHandle.objects.filter(organisation_id=org_id, value_index=digest)
        for person in base.filter(pk__in=holders.values("person_id"))[:limit]:
            found.setdefault(person.pk, (person, []))[1].append("same_contact")
    for name in names:
        if not name.strip():
            continue
        for person in filter_by_name(base, organisation_id=org_id, query=name)[:limit]:
            found.setdefault(person.pk, (person, []))[1].append("similar_name")
    ranked = sorted(found.values(), key=lambda item: ("same_contact" not in item[1], -item[0].pk))
    return ranked[:limit]


def person_identifiers(*, person: Person) -> QuerySet[Identifier]:
    return Identifier.objects.filter(organisation_id=person.organisation_id, person=person)


def person_search(*, actor: Membership, name: str = "", phone: str = "") -> QuerySet[Person]:
    """Visible persons with this name (any script) and/or phone or handle, newest first."""
    qs = visible_persons(actor=actor)
    if name:
        qs = filter_by_name(qs, organisation_id=actor.organisation_id, query=name)
    if phone:
        qs = filter_by_contact(
            qs,
            organisation_id=actor.organisation_id,
            query=phone,
            default_region=actor.organisation.default_phone_region or None,
        )
    return qs.prefetch_related("names").order_by("-created_at", "-pk")
