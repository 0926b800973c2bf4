"""Profiles: the fields matching compares, read from a person (or a request) in memory.

Contract: call inside the organisation's scope, with a person the actor may see (the selectors
make sure of both). The decrypted values live only in the returned ``Profile``; nothing here
writes them anywhere.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils import timezone

from lifeline.cases.models import Request
from lifeline.core.vocabularies import Gender
from lifeline.linkage.comparison import (
    BirthRange,
    Document,
    Profile,
    birth_range_from_age,
    passport_number,
)
from lifeline.people import indexing
from lifeline.people.models import ContactHandle, Identifier, Person, PersonName
from lifeline.people.services import split_names

# Only these two are compared: "transgender female" and "female" may be one person.
COMPARABLE_GENDERS = frozenset({Gender.FEMININE, Gender.MASCULINE})


def _contacts(contacts: Iterable[tuple[str, str]]) -> tuple[frozenset[str], frozenset[str]]:
    phones, handles = set(), set()
    for kind, value in contacts:
        if kind in indexing.PHONE_KINDS:
            phones.add(value)
        else:
            handles.add(f"{kind}:{value}")
    return frozenset(phones), frozenset(handles)


def _document(identifier: Identifier) -> Document:
    if identifier.kind == "passport":
        number, checked = passport_number(identifier.value)
    else:
        number, checked = identifier.value, False
    return Document(identifier.kind, str(identifier.country or ""), number, checked)


def person_profile(
    person: Person,
    *,
    names: Iterable[PersonName] | None = None,
    contacts: Iterable[ContactHandle] | None = None,
    identifiers: Iterable[Identifier] | None = None,
) -> Profile:
    """The person's profile; pass prefetched rows to save the queries."""
    names = person.names.all() if names is None else names
    contacts = person.contacts.all() if contacts is None else contacts
    identifiers = person.identifiers.all() if identifiers is None else identifiers
    phones, handles = _contacts((c.kind, c.value) for c in contacts)
    birth: BirthRange | None = None
    if person.birth_date is not None:
        birth = BirthRange(person.birth_date, person.birth_date)
    elif str(person.age).isdigit():
        birth = birth_range_from_age(int(person.age), told_on=timezone.localdate(person.created_at))
    citizenships = {str(person.citizenship)} if person.citizenship else set()
    citizenships |= {str(code) for code in person.nationalities or [] if code}
    return Profile(
        names=tuple(n.value for n in names),
        phones=phones,
        handles=handles,
        documents=tuple(_document(i) for i in identifiers),
        birth=birth,
        citizenships=frozenset(citizenships),
        gender=person.gender if person.gender in COMPARABLE_GENDERS else "",
    )


def request_profile(req: Request) -> Profile:
    """What a request tells about its subject: the names typed and one contact."""
    contacts = []
    if req.subject_contact and req.subject_contact_kind:
        try:
            normalised = indexing.normalise_contact(
                req.subject_contact_kind,
                req.subject_contact,
                default_region=req.organisation.default_phone_region or None,
            )
        except ValueError:
            normalised = ""
        if normalised:
            contacts.append((req.subject_contact_kind, normalised))
    phones, handles = _contacts(contacts)
    return Profile(names=tuple(split_names(req.subject_name)), phones=phones, handles=handles)
