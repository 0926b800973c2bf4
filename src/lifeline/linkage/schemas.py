from datetime import datetime
from typing import Literal
from uuid import UUID

from ninja import Schema

from lifeline.core.api import InputSchema, PageOut
from lifeline.linkage.models import CandidatePair


class FieldComparisonOut(Schema):
    field: str
    level: str
    outcome: str
    weight: float


class ComparisonOut(Schema):
    """The match probability of two persons and why: each field's level and weight."""

    person_uid: UUID
    other_uid: UUID
    probability: float
    match_weight: float
    prior: float
    fields: list[FieldComparisonOut]


class DecisionIn(InputSchema):
    decision: Literal["same", "different", "unsure"]


class PairOut(Schema):
    uid: UUID
    person_uid: UUID
    other_uid: UUID
    probability: float
    status: str
    source: str
    levels: dict[str, str]
    decided_at: datetime | None

    @staticmethod
    def resolve_person_uid(obj: CandidatePair) -> UUID:
        return obj.person_a.uid

    @staticmethod
    def resolve_other_uid(obj: CandidatePair) -> UUID:
        return obj.person_b.uid


class PairPageOut(PageOut[PairOut]):
    pass


class QueueIn(Schema):
    status: Literal["open", "unsure", "different", "same"] = "open"
