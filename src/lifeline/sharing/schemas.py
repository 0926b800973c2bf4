"""API schemas of partners, referrals, operations, briefings and the leak trace: separate input
and output shapes (STYLE.md rule 15)."""

import datetime
from typing import TYPE_CHECKING, Annotated, Any, Literal, TypeAlias
from uuid import UUID

from ninja import Field, Schema

from lifeline.core.api import MAX_ID, InputSchema, PageOut
from lifeline.sharing.models import (
    BriefingLevel,
    ConsentMethod,
    Outcome,
    PartnerKind,
    ReferralKind,
    ReferralProfile,
)

Id = Annotated[int, Field(ge=1, le=MAX_ID)]

if TYPE_CHECKING:  # plain strings to the type checker, literals to pydantic
    PartnerKindCode: TypeAlias = str
    ReferralKindCode: TypeAlias = str
    ProfileCode: TypeAlias = str
    ConsentCode: TypeAlias = str
    OutcomeCode: TypeAlias = str
    LevelCode: TypeAlias = str
else:
    PartnerKindCode = Literal[tuple(PartnerKind.values)]
    ReferralKindCode = Literal[tuple(ReferralKind.values)]
    ProfileCode = Literal[tuple(ReferralProfile.values)]
    ConsentCode = Literal[tuple(ConsentMethod.values)]
    OutcomeCode = Literal[tuple(Outcome.values)]
    LevelCode = Literal[tuple(BriefingLevel.values)]


class PartnerIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=200)
    kind: PartnerKindCode
    country: str = Field("", pattern=r"^([A-Za-z]{2})?$", description="ISO 3166 alpha-2 code.")
    contact_name: str = Field("", max_length=200)
    contact_details: str = Field("", max_length=1000)
    notes: str = Field("", max_length=2000)


class PartnerItemOut(Schema):
    uid: UUID
    name: str
    kind: str
    country: str
    is_active: bool

    @staticmethod
    def resolve_country(obj: Any) -> str:
        return str(obj.country or "")


class PartnerOut(PartnerItemOut):
    contact_name: str
    contact_details: str
    notes: str
    created_at: datetime.datetime


class PartnerPageOut(PageOut[PartnerItemOut]):
    pass


class ReferralIn(InputSchema):
    receiver: int = Field(..., ge=1, le=MAX_ID, description="The receiving organisation's id.")
    kind: ReferralKindCode
    profile: ProfileCode
    consent_given_by: str = Field(..., min_length=1, max_length=200)
    consent_at: datetime.datetime
    consent_method: ConsentCode
    reason: str = Field("", max_length=1000)
    answer_within_days: int = Field(14, ge=1, le=90)


class TransferAcceptIn(InputSchema):
    """The transfer's consent and profile; its receiver is the organisation that asked."""

    profile: ProfileCode
    consent_given_by: str = Field(..., min_length=1, max_length=200)
    consent_at: datetime.datetime
    consent_method: ConsentCode
    reason: str = Field("", max_length=1000)
    answer_within_days: int = Field(14, ge=1, le=90)


class TransferRequestOut(Schema):
    uid: UUID
    referral: UUID
    status: str
    note: str
    requested_at: datetime.datetime
    answered_at: datetime.datetime | None
    answer_note: str
    transfer: UUID | None


class AnswerIn(InputSchema):
    note: str = Field("", max_length=1000)


class ReferralOut(Schema):
    uid: UUID
    kind: str
    status: str
    profile: str
    direction: str
    sender: str
    receiver: str
    consent_given_by: str
    consent_at: datetime.datetime
    consent_method: str
    created_at: datetime.datetime
    expires_at: datetime.datetime
    answered_at: datetime.datetime | None
    snapshot: dict[str, Any] | None
    case_uid: UUID | None = Field(None, description="The actor's own case, on either side.")


class ReferralPageOut(PageOut[ReferralOut]):
    pass


class OperationIn(InputSchema):
    codename: str = Field(..., min_length=1, max_length=80)
    window_start: datetime.datetime
    window_end: datetime.datetime
    members: list[Id] = Field(
        ..., max_length=100, description="Users' ids (members of the organisation)."
    )
    sites: list[UUID] = Field(default_factory=list, max_length=50)
    cases: list[UUID] = Field(default_factory=list, max_length=200)
    partners: list[UUID] = Field(default_factory=list, max_length=50)
    plan: str = Field("", max_length=4000)
    rendezvous_landmarks: list[str] = Field(
        default_factory=list, max_length=10, description="Interchangeable meeting points."
    )


class OperationCloseIn(InputSchema):
    outcome: OutcomeCode
    present: list[Id] = Field(default_factory=list, max_length=100, description="Users' ids.")
    found: list[UUID] = Field(default_factory=list, max_length=200, description="Cases' uids.")
    notes: str = Field("", max_length=4000)


class OperationItemOut(Schema):
    uid: UUID
    codename: str
    window_start: datetime.datetime
    window_end: datetime.datetime
    status: str
    outcome: str


class ShareBeforeOut(Schema):
    uid: UUID
    partner: str
    level: str
    created_at: datetime.datetime
    views: int


class OperationOut(OperationItemOut):
    plan: str
    outcome_notes: str
    closed_at: datetime.datetime | None
    members: list[str]
    present: list[str]
    sites: list[UUID]
    cases: list[str]
    found: list[str]
    partners: list[str]
    shares_before: list[ShareBeforeOut] | None


class OperationPageOut(PageOut[OperationItemOut]):
    pass


class BriefingIn(InputSchema):
    level: LevelCode
    partners: list[UUID] = Field(..., min_length=1, max_length=50)


class ShareOut(Schema):
    uid: UUID
    partner: str
    variant: int
    created_at: datetime.datetime
    link_expires_at: datetime.datetime | None
    max_views: int | None
    views: int
    revoked_at: datetime.datetime | None


class BriefingOut(Schema):
    uid: UUID
    level: str
    status: str
    reveals_target_early: bool
    created_at: datetime.datetime
    shares: list[ShareOut]


class LinkIn(InputSchema):
    expires_in_hours: int = Field(48, ge=1, le=24 * 30)
    max_views: int = Field(3, ge=1, le=100)


class LinkOut(Schema):
    url: str = Field(..., description="Shown once: only its digest is kept.")
    expires_at: datetime.datetime
    max_views: int


class ShareTextOut(Schema):
    text: str
    marks: list[str]


class TraceIn(InputSchema):
    text: str = Field(..., min_length=1, max_length=100_000)


class SuspectOut(Schema):
    share: UUID
    briefing: UUID
    partner: str
    score: float
    matched: list[str]
