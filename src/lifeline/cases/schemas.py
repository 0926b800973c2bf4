"""API schemas for requests and cases: separate input and output shapes (STYLE.md rule 15).

Inputs forbid unknown fields, so that a forged ``organisation`` (or any typo) is refused with a
422 instead of being silently ignored. Closed vocabularies are typed as literals so that the
OpenAPI document lists them; the services still validate every value themselves.
"""

import datetime
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal, TypeAlias
from uuid import UUID

from ninja import Field, Schema

from lifeline.cases.models import Channel, RejectionReason, ReporterRelation, RequestStatus
from lifeline.cases.services import TIMELINE_ENTRY_KINDS
from lifeline.cases.workflow import URGENCY_CODES, CaseStatus, UrgencyReason, allowed_moves
from lifeline.core.api import MAX_ID, InputSchema, PageOut, version_field
from lifeline.core.vocabularies import (
    MethodOfControl,
    MethodOfRecruitment,
    RecruitmentApp,
    RelationshipToTrafficker,
    StatusDecidedBy,
    TraffickingStatus,
    TypeOfExploitation,
)
from lifeline.people.models import ContactKind

UrgencyCode = Literal["critical", "high", "normal"]


def _one_of(values: Sequence[str], *, blank: bool = False) -> Any:
    """A literal of a vocabulary's codes (and "" when it may be left blank), so that the
    OpenAPI document lists them."""
    return Literal[("", *values) if blank else tuple(values)]


if TYPE_CHECKING:  # plain strings to the type checker, literals to pydantic
    StatusCode: TypeAlias = str
    UrgencyReasonCode: TypeAlias = str
    ChannelCode: TypeAlias = str
    OptionalChannelCode: TypeAlias = str
    ContactKindCode: TypeAlias = str
    RelationCode: TypeAlias = str
    RequestStatusCode: TypeAlias = str
    RejectionCode: TypeAlias = str
    TimelineKindCode: TypeAlias = str
    ExploitationCode: TypeAlias = str
    ControlCode: TypeAlias = str
    RecruitmentCode: TypeAlias = str
    AppCode: TypeAlias = str
    RelationshipCode: TypeAlias = str
    TraffickingCode: TypeAlias = str
    DecidedByCode: TypeAlias = str
else:
    StatusCode = _one_of(CaseStatus.values)
    UrgencyReasonCode = _one_of(UrgencyReason.values)
    ChannelCode = _one_of(Channel.values)
    OptionalChannelCode = _one_of(Channel.values, blank=True)
    ContactKindCode = _one_of(ContactKind.values, blank=True)
    RelationCode = _one_of(ReporterRelation.values)
    RequestStatusCode = _one_of(RequestStatus.values)
    RejectionCode = _one_of(RejectionReason.values)
    TimelineKindCode = _one_of(TIMELINE_ENTRY_KINDS)
    ExploitationCode = _one_of(TypeOfExploitation.values)
    ControlCode = _one_of(MethodOfControl.values)
    RecruitmentCode = _one_of(MethodOfRecruitment.values, blank=True)
    AppCode = _one_of(RecruitmentApp.values)
    RelationshipCode = _one_of(RelationshipToTrafficker.values, blank=True)
    TraffickingCode = _one_of(TraffickingStatus.values)
    DecidedByCode = _one_of(StatusDecidedBy.values, blank=True)


def urgency_code(value: int) -> str:
    return URGENCY_CODES.get(value, str(value))


def country_code(country: Any) -> str:
    return getattr(country, "code", None) or str(country or "")


# Shared parts -------------------------------------------------------------------------------


class UserRefOut(Schema):
    id: int
    username: str


class NameOut(Schema):
    value: str
    kind: str
    script: str
    is_primary: bool


class ContactOut(Schema):
    kind: str
    value: str
    is_safe: bool


def primary_name(person: Any) -> str:
    """From the ``primary_names`` list the case selectors prefetch, else one query."""
    names = getattr(person, "primary_names", None)
    if names is None:
        names = [name for name in person.names.all() if name.is_primary]
    return names[0].value if names else ""


# Requests -----------------------------------------------------------------------------------


class RequestIn(InputSchema):
    channel: ChannelCode
    reporter_relation: RelationCode
    language: str = ""
    reporter_name: str = ""
    reporter_contact_kind: ContactKindCode = ""
    reporter_contact: str = ""
    subject_name: str = Field("", description="Any script; several spellings separated by “/”.")
    subject_contact_kind: ContactKindCode = ""
    subject_contact: str = ""
    location_text: str = ""
    text: str = ""
    danger_signs: list[UrgencyReasonCode] = Field(default_factory=list)
    urgency: UrgencyCode | None = Field(
        None, description="Left out: suggested from the danger signs."
    )
    received_at: datetime.datetime | None = Field(
        None, description="With its time zone; default now."
    )


class RequestQueueIn(Schema):
    status: RequestStatusCode = RequestStatus.NEW


class CaseRefOut(Schema):
    uid: UUID
    reference: str


class RequestItemOut(Schema):
    """A request in the triage queue."""

    uid: UUID
    received_at: datetime.datetime
    channel: str
    language: str
    reporter_relation: str
    subject_name: str
    location_text: str
    danger_signs: list[str]
    urgency: str
    status: str

    @staticmethod
    def resolve_urgency(obj: Any) -> str:
        return urgency_code(obj.urgency)


class RequestOut(RequestItemOut):
    reporter_name: str
    reporter_contact_kind: str
    reporter_contact: str
    subject_contact_kind: str
    subject_contact: str
    text: str
    rejection_reason: str
    case: CaseRefOut | None
    triaged_at: datetime.datetime | None


class SuggestionOut(Schema):
    """A person who may be the request's subject: shares a contact, or a name in any script;
    ``probability`` is the match probability of what the request tells against the person."""

    uid: UUID
    names: list[str]
    reasons: list[str]
    probability: float


class RequestDetailOut(RequestOut):
    suggestions: list[SuggestionOut]


class RequestPageOut(PageOut[RequestItemOut]):
    pass


class OpenCaseIn(InputSchema):
    person_uid: UUID | None = Field(
        None,
        description="An existing person (from the suggestions); "
        "left out: a new person from the request.",
    )
    extra_names: list[str] = Field(default_factory=list, description="Other spellings of the name.")


class RejectIn(InputSchema):
    reason: RejectionCode


# Cases --------------------------------------------------------------------------------------


class CaseListIn(Schema):
    status: list[StatusCode] = Field(default_factory=list, description="Repeat for several.")
    urgency: UrgencyCode | None = None
    assignee: str | None = Field(
        None,
        pattern=r"^(me|none|\d{1,18})$",
        description="A user id, “me”, or “none” for unassigned cases.",
    )
    citizenship: str | None = Field(
        None, pattern=r"^[A-Za-z]{2}$", description="ISO 3166 two-letter code."
    )
    q: str | None = Field(
        None, max_length=200, description="A case reference, a name, or words of the case."
    )
    name: str | None = Field(None, max_length=200, description="A name in any script.")
    phone: str | None = Field(
        None, max_length=64, description="A phone number in any format, or a handle."
    )
    open_only: bool = False

    def used(self) -> list[str]:
        """The names of the filters given, for the audit log (never their values)."""
        return sorted(
            name for name, value in self.model_dump().items() if value not in (None, [], False, "")
        )


class PersonBriefOut(Schema):
    uid: UUID
    primary_name: str
    citizenship: str


class CaseItemOut(Schema):
    uid: UUID
    reference: str
    status: str
    urgency: str
    urgency_reasons: list[str]
    person: PersonBriefOut
    assignees: list[UserRefOut]
    created_at: datetime.datetime
    updated_at: datetime.datetime
    version: int

    @staticmethod
    def resolve_urgency(obj: Any) -> str:
        return urgency_code(obj.urgency)

    @staticmethod
    def resolve_person(obj: Any) -> dict[str, Any]:
        person = obj.person
        return {
            "uid": person.uid,
            "primary_name": primary_name(person),
            "citizenship": country_code(person.citizenship),
        }

    @staticmethod
    def resolve_assignees(obj: Any) -> list[Any]:
        return [assignment.user for assignment in obj.assignments.all()]


class CasePageOut(PageOut[CaseItemOut]):
    pass


class CasePersonOut(Schema):
    uid: UUID
    names: list[NameOut]
    contacts: list[ContactOut]
    citizenship: str
    gender: str
    age_band: str


class CaseOut(CaseItemOut):
    """One case with its HTCDS victim context and the person's names and contacts."""

    person: CasePersonOut  # type: ignore[assignment]
    allowed_moves: list[str]
    summary: str
    last_known_location: str
    exploitation_types: list[str]
    methods_of_control: list[str]
    recruitment_method: str
    recruitment_apps: list[str]
    relationship_to_trafficker: str
    trafficking_status: str
    trafficking_status_decided_by: str
    status_changed_at: datetime.datetime

    @staticmethod
    def resolve_person(obj: Any) -> dict[str, Any]:
        person = obj.person
        return {
            "uid": person.uid,
            "names": list(person.names.all()),
            "contacts": list(person.contacts.all()),
            "citizenship": country_code(person.citizenship),
            "gender": person.gender,
            "age_band": person.age_band,
        }

    @staticmethod
    def resolve_allowed_moves(obj: Any) -> list[str]:
        return allowed_moves(obj.status)


class CaseUpdateIn(InputSchema):
    """Only the fields given are changed; ``version`` is the one the client last read."""

    version: int = version_field()
    summary: str = ""
    last_known_location: str = ""
    exploitation_types: list[ExploitationCode] = Field(default_factory=list)
    methods_of_control: list[ControlCode] = Field(default_factory=list)
    recruitment_method: RecruitmentCode = ""
    recruitment_apps: list[AppCode] = Field(default_factory=list)
    relationship_to_trafficker: RelationshipCode = ""
    trafficking_status: TraffickingCode = TraffickingStatus.POSSIBLE
    trafficking_status_decided_by: DecidedByCode = ""

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True, exclude={"version"})


class MoveIn(InputSchema):
    to_status: StatusCode
    reason: str
    version: int = version_field()


class UrgencyIn(InputSchema):
    urgency: UrgencyCode
    reasons: list[UrgencyReasonCode] = Field(default_factory=list)
    note: str = ""
    version: int = version_field()


class TimelineIn(InputSchema):
    kind: TimelineKindCode
    body: str = ""
    location: str = ""
    channel: OptionalChannelCode = ""
    occurred_at: datetime.datetime | None = Field(
        None, description="With its time zone; default now."
    )


class TimelineEventOut(Schema):
    kind: str
    occurred_at: datetime.datetime
    recorded_at: datetime.datetime
    author: UserRefOut | None
    channel: str
    body: str
    location: str
    data: dict[str, Any]


class TimelinePageOut(PageOut[TimelineEventOut]):
    pass


class AssignIn(InputSchema):
    user_id: int = Field(..., ge=1, le=MAX_ID)


class AssignmentOut(Schema):
    user: UserRefOut
    assigned_at: datetime.datetime


# Statistics -------------------------------------------------------------------------------


class StatusCountOut(Schema):
    status: str
    label: str
    count: int


class UrgencyCountOut(Schema):
    urgency: str
    label: str
    count: int


class CaseCountsOut(Schema):
    """Counts only: nothing here identifies a person."""

    by_status: list[StatusCountOut]
    by_urgency: list[UrgencyCountOut]
    open: int
    total: int
    requests_waiting: int

    @staticmethod
    def resolve_by_status(obj: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            {"status": status, "label": str(label), "count": n}
            for status, label, n in obj["by_status"]
        ]

    @staticmethod
    def resolve_by_urgency(obj: dict[str, Any]) -> list[dict[str, Any]]:
        return [
            {"urgency": urgency_code(value), "label": str(label), "count": n}
            for value, label, n in obj["by_urgency"]
        ]
