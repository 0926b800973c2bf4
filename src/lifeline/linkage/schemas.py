from uuid import UUID

from ninja import Schema


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
