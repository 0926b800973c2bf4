from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from ninja import Schema

from lifeline.core.api import InputSchema, PageOut
from lifeline.linkage.models import CandidatePair, CrossMatch, DedupRun, MergeRecord


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


class MergeOut(Schema):
    uid: UUID
    survivor_uid: UUID
    absorbed_uid: UUID
    moved: dict[str, int | list[str]]
    merged_at: datetime
    undone_at: datetime | None
    undo_report: dict[str, int | list[str]]

    @staticmethod
    def resolve_survivor_uid(obj: MergeRecord) -> UUID:
        return obj.survivor.uid

    @staticmethod
    def resolve_absorbed_uid(obj: MergeRecord) -> UUID:
        return obj.absorbed.uid

    @staticmethod
    def resolve_moved(obj: MergeRecord) -> dict[str, int | list[str]]:
        """How many rows of each kind moved (counts, not ids), and the fields filled."""
        return {
            key: value if key == "fields" else len(value)
            for key, value in obj.moved.items()
            if key != "primary_names"
        }


class MergePageOut(PageOut[MergeOut]):
    pass


class RunOut(Schema):
    """A full deduplication: status, stage, progress and (when done) its counts."""

    uid: UUID
    status: str
    stage: str
    done: int
    total: int
    percent: int
    result: dict[str, bool | int | float]
    created_at: datetime
    finished_at: datetime | None

    @staticmethod
    def resolve_percent(obj: DedupRun) -> int:
        return obj.percent


class MatchModelOut(Schema):
    """The newest trained model: m and u per field and level, the prior log2 odds of a
    candidate pair; version 0 and reason "none" before any run (the starting values)."""

    version: int
    trained: bool
    reason: str
    parameters: dict[str, Any]
    persons: int = 0
    pairs: int = 0
    u_samples: int = 0
    em_pairs: int = 0
    iterations: int = 0
    created_at: datetime | None = None


class ExportIn(InputSchema):
    secret: str


class ImportIn(InputSchema):
    secret: str
    file: dict[str, Any]  # the partner's encodings file, as it was downloaded


class CrossMatchOut(Schema):
    """ "A record of yours matches one of theirs at ``score``: contact their coordinator."""

    person_uid: UUID
    partner: str
    score: float

    @staticmethod
    def resolve_person_uid(obj: CrossMatch) -> UUID:
        return obj.person.uid


class CrossMatchPageOut(PageOut[CrossMatchOut]):
    pass
