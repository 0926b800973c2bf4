"""Writes of persons. Each service validates everything before writing anything, owns its
transaction and writes its audit entry inside it."""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from lifeline.accounts.models import Membership, Organisation
from lifeline.audit.services import audit_log
from lifeline.core.errors import ConflictError
from lifeline.core.vocabularies import Gender, age_band
from lifeline.people import indexing, names
from lifeline.people.models import (
    ContactHandle,
    ContactKind,
    Identifier,
    IdentifierKind,
    NameKind,
    NameToken,
    Person,
    PersonName,
)

MAX_NOTES = 20_000


@dataclass(frozen=True)
class NameInput:
    value: str
    kind: str = NameKind.LEGAL


@dataclass(frozen=True)
class ContactInput:
    kind: str
    value: str
    is_safe: bool = False


@dataclass(frozen=True)
class IdentifierInput:
    kind: str
    value: str
    country: str = ""


def split_names(text: str) -> list[str]:
    """Several spellings typed in one box, separated by "/" (张伟 / Zhang Wei)."""
    return [part.strip() for part in (text or "").split("/") if part.strip()]


def clean_name(value: str, *, field: str = "names") -> str:
    value = " ".join((value or "").split())
    if not value:
        raise ValidationError({field: [_("Enter a name.")]})
    if len(value) > names.MAX_NAME_LENGTH:
        raise ValidationError(
            {field: [_("A name can be at most %(n)d characters.") % {"n": names.MAX_NAME_LENGTH}]}
        )
    return value


def clean_contact(
    kind: str, value: str, *, organisation: Organisation, field: str = "contacts"
) -> str:
    if kind not in ContactKind.values:
        raise ValidationError({field: [_("Unknown kind of contact: %(kind)s.") % {"kind": kind}]})
    try:
        return indexing.normalise_contact(
            kind, value, default_region=organisation.default_phone_region or None
        )
    except ValueError as exc:
        raise ValidationError({field: [str(exc)]}) from None


def clean_age(age: int | None) -> int | None:
    if age is None:
        return None
    if not 0 <= age <= 120:
        raise ValidationError({"age": [_("Enter an age between 0 and 120.")]})
    return age


def clean_birth_date(birth_date: datetime.date | None) -> datetime.date | None:
    if birth_date is None:
        return None
    if birth_date > timezone.localdate():
        raise ValidationError({"birth_date": [_("A date of birth cannot be in the future.")]})
    if birth_date.year < 1900:
        raise ValidationError({"birth_date": [_("Enter a date of birth after 1900.")]})
    return birth_date


def clean_country(code: str, *, field: str) -> str:
    code = (code or "").upper()
    if code and code not in countries:
        raise ValidationError({field: [_("Unknown country code: %(code)s.") % {"code": code}]})
    return code


def _derived_age_band(*, age: int | None, birth_date: datetime.date | None) -> str:
    if age is None and birth_date is not None:
        today = timezone.localdate()
        age = (
            today.year
            - birth_date.year
            - ((today.month, today.day) < (birth_date.month, birth_date.day))
        )
    return age_band(age)


def _add_name(person: Person, name: NameInput, *, primary: bool) -> PersonName:
    value = clean_name(name.value)
    if name.kind not in NameKind.values:
        raise ValidationError({"names": [_("Unknown kind of name.")]})
    try:
        digests = indexing.name_digests(value)
        script = names.detect_script(value)
    except ValueError as exc:
        raise ValidationError({"names": [str(exc)]}) from None
    person_name = PersonName.objects.create(
        organisation_id=person.organisation_id,
        person=person,
        value=value,
        kind=name.kind,
        script=script,
        is_primary=primary,
    )
    NameToken.objects.bulk_create(
        NameToken(
            organisation_id=person.organisation_id, person=person, name=person_name, digest=digest
        )
        for digest in sorted(digests)
    )
    return person_name


def _add_contact(person: Person, contact: ContactInput) -> ContactHandle:
    normalised = clean_contact(contact.kind, contact.value, organisation=person.organisation)
    return ContactHandle.objects.create(
        organisation_id=person.organisation_id,
        person=person,
        kind=contact.kind,
        value=normalised,
        value_index=indexing.contact_digest(contact.kind, normalised),
        is_safe=contact.is_safe,
    )


def _add_identifier(person: Person, identifier: IdentifierInput) -> Identifier:
    if identifier.kind not in IdentifierKind.values:
        raise ValidationError({"identifiers": [_("Unknown kind of document.")]})
    try:
        normalised = indexing.normalise_identifier(identifier.value)
    except ValueError as exc:
        raise ValidationError({"identifiers": [str(exc)]}) from None
    return Identifier.objects.create(
        organisation_id=person.organisation_id,
        person=person,
        kind=identifier.kind,
        country=clean_country(identifier.country, field="identifiers"),
        value=normalised,
        value_index=indexing.identifier_digest(identifier.kind, normalised),
    )


@transaction.atomic
def person_create(
    *,
    actor: Membership,
    names: Sequence[NameInput],
    gender: str = Gender.UNKNOWN,
    birth_date: datetime.date | None = None,
    age: int | None = None,
    citizenship: str = "",
    languages: Sequence[str] = (),
    contacts: Sequence[ContactInput] = (),
    identifiers: Sequence[IdentifierInput] = (),
    notes: str = "",
    request: HttpRequest | None = None,
) -> Person:
    if not names:
        raise ValidationError({"names": [_("Enter at least one name, even a nickname.")]})
    if gender not in Gender.values:
        raise ValidationError({"gender": [_("Choose a gender from the list.")]})
    if len(notes) > MAX_NOTES:
        raise ValidationError(
            {"notes": [_("Notes can be at most %(n)d characters.") % {"n": MAX_NOTES}]}
        )
    age = clean_age(age)
    birth_date = clean_birth_date(birth_date)
    person = Person.objects.create(
        organisation=actor.organisation,
        gender=gender,
        birth_date=birth_date,
        age="" if age is None else str(age),
        age_band=_derived_age_band(age=age, birth_date=birth_date),
        citizenship=clean_country(citizenship, field="citizenship"),
        languages=[code for code in languages if code],
        notes=notes,
    )
    for position, name in enumerate(names):
        _add_name(person, name, primary=position == 0)
    for contact in contacts:
        _add_contact(person, contact)
    for identifier in identifiers:
        _add_identifier(person, identifier)
    audit_log(
        actor=actor.user,
        organisation=actor.organisation,
        action="people.person.created",
        obj=person,
        payload={"names": len(names), "contacts": len(contacts), "identifiers": len(identifiers)},
        request=request,
    )
    return person


@transaction.atomic
def person_add_name(
    *,
    actor: Membership,
    person: Person,
    value: str,
    kind: str = NameKind.ALIAS,
    request: HttpRequest | None = None,
) -> PersonName:
    _require_not_erased(person)
    person_name = _add_name(
        person, NameInput(value=value, kind=kind), primary=not person.names.exists()
    )
    _touch(person)
    audit_log(
        actor=actor.user,
        organisation=actor.organisation,
        action="people.person.name_added",
        obj=person,
        payload={"name_id": person_name.pk, "kind": kind},
        request=request,
    )
    return person_name


@transaction.atomic
def person_add_contact(
    *,
    actor: Membership,
    person: Person,
    kind: str,
    value: str,
    is_safe: bool = False,
    request: HttpRequest | None = None,
) -> ContactHandle:
    _require_not_erased(person)
    contact = _add_contact(person, ContactInput(kind=kind, value=value, is_safe=is_safe))
    _touch(person)
    audit_log(
        actor=actor.user,
        organisation=actor.organisation,
        action="people.person.contact_added",
        obj=person,
        payload={"contact_id": contact.pk, "kind": kind},
        request=request,
    )
    return contact


@transaction.atomic
def person_add_identifier(
    *,
    actor: Membership,
    person: Person,
    kind: str,
    value: str,
    country: str = "",
    request: HttpRequest | None = None,
) -> Identifier:
    _require_not_erased(person)
    identifier = _add_identifier(person, IdentifierInput(kind=kind, value=value, country=country))
    _touch(person)
    audit_log(
        actor=actor.user,
        organisation=actor.organisation,
        action="people.person.identifier_added",
        obj=person,
        payload={"identifier_id": identifier.pk, "kind": kind},
        request=request,
    )
    return identifier


PERSON_EDITABLE = ("gender", "birth_date", "age", "citizenship", "languages", "notes")


@transaction.atomic
def person_update(
    *,
    actor: Membership,
    person: Person,
    expected_version: int,
    request: HttpRequest | None = None,
    **changes: Any,
) -> Person:
    """Change the person's details. Refused with ConflictError if someone else saved since
    ``expected_version`` was read; nothing is written then."""
    unknown = set(changes) - set(PERSON_EDITABLE)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    _require_not_erased(person)
    if "gender" in changes and changes["gender"] not in Gender.values:
        raise ValidationError({"gender": [_("Choose a gender from the list.")]})
    if "notes" in changes and len(changes["notes"] or "") > MAX_NOTES:
        raise ValidationError(
            {"notes": [_("Notes can be at most %(n)d characters.") % {"n": MAX_NOTES}]}
        )
    values = dict(changes)
    if "age" in values:
        age = clean_age(values["age"])
        values["age"] = "" if age is None else str(age)
    if "birth_date" in values:
        values["birth_date"] = clean_birth_date(values["birth_date"])
    if "citizenship" in values:
        values["citizenship"] = clean_country(values["citizenship"], field="citizenship")
    if {"age", "birth_date"} & set(values):
        age_value = values.get("age", person.age)
        values["age_band"] = _derived_age_band(
            age=int(age_value) if str(age_value).isdigit() else None,
            birth_date=values.get("birth_date", person.birth_date),
        )
    updated = Person.objects.filter(pk=person.pk, version=expected_version).update(
        **values, version=F("version") + 1, updated_at=timezone.now()
    )
    if not updated:
        current = Person.objects.get(pk=person.pk)
        raise ConflictError(
            _(
                "Someone else saved this person while you were editing. Nothing was saved; check the current details and try again."
            ),
            changes={
                field: (changes[field], getattr(current, field))
                for field in changes
                if changes[field] != getattr(current, field)
            },
            current_version=current.version,
        )
    audit_log(
        actor=actor.user,
        organisation=actor.organisation,
        action="people.person.updated",
        obj=person,
        payload={"fields": sorted(changes)},
        request=request,
    )
    person.refresh_from_db()
    return person


def _require_not_erased(person: Person) -> None:
    if person.erased_at is not None:
        raise ValidationError(_("This person's data was erased: nothing more can be recorded."))


def _touch(person: Person) -> None:
    Person.objects.filter(pk=person.pk).update(version=F("version") + 1, updated_at=timezone.now())
    person.refresh_from_db(fields=["version", "updated_at"])
