"""API schemas for persons: separate input and output shapes (STYLE.md rule 15)."""

import datetime
from typing import Any
from uuid import UUID

from ninja import Field, Schema

from lifeline.cases.schemas import ContactOut, NameOut, country_code
from lifeline.core.api import PageOut


class PersonSearchIn(Schema):
    name: str | None = Field(
        None, max_length=200, description="A name in any script, either order."
    )
    phone: str | None = Field(
        None, max_length=64, description="A phone number in any format, or a handle."
    )

    def used(self) -> list[str]:
        """The names of the filters given, for the audit log (never their values)."""
        return sorted(name for name, value in self.model_dump().items() if value)


class PersonItemOut(Schema):
    uid: UUID
    names: list[NameOut]
    citizenship: str
    gender: str
    age_band: str

    @staticmethod
    def resolve_citizenship(obj: Any) -> str:
        return country_code(obj.citizenship)


class PersonPageOut(PageOut[PersonItemOut]):
    pass


class IdentifierOut(Schema):
    kind: str
    country: str
    value: str

    @staticmethod
    def resolve_country(obj: Any) -> str:
        return country_code(obj.country)


class PersonCaseOut(Schema):
    uid: UUID
    reference: str
    status: str


class PersonOut(PersonItemOut):
    contacts: list[ContactOut]
    age: str
    birth_date: datetime.date | None
    nationalities: list[str]
    languages: list[str]
    notes: str
    created_at: datetime.datetime
    updated_at: datetime.datetime
    version: int
    erased_at: datetime.datetime | None = Field(
        None, description="When the person's data was erased; then every personal field is empty."
    )

    @staticmethod
    def resolve_names(obj: Any) -> list[Any]:
        return list(obj.names.all())

    @staticmethod
    def resolve_contacts(obj: Any) -> list[Any]:
        return list(obj.contacts.all())


class PersonDetailOut(PersonOut):
    """The person with their identity documents and the cases the actor may see."""

    identifiers: list[IdentifierOut] = Field(..., validation_alias="identifier_list")
    cases: list[PersonCaseOut] = Field(..., validation_alias="visible_cases")
