import datetime
from typing import Literal

from ninja import Field, Schema

from lifeline.core.api import InputSchema
from lifeline.privacy.services import MAX_DAYS

ErasureReasonCode = Literal["subject_request", "survivor_wish", "entered_in_error"]


class ErasureIn(InputSchema):
    reason: ErasureReasonCode
    confirmation: str = Field(..., max_length=20, description='Must be "ERASE".')


class ErasureOut(Schema):
    erased_at: datetime.datetime
    counts: dict[str, int] = Field(..., description="What went, by kind (never the content).")


class RetentionPolicyIn(InputSchema):
    closed_case_days: int | None = Field(
        ...,
        ge=1,
        le=MAX_DAYS,
        description="Days a closed case keeps its personal data; null keeps it.",
    )
    rejected_request_days: int | None = Field(
        ...,
        ge=1,
        le=MAX_DAYS,
        description="Days a rejected request keeps its personal data; null keeps it.",
    )


class RetentionPolicyOut(Schema):
    closed_case_days: int | None
    rejected_request_days: int | None
    updated_at: datetime.datetime


class RetentionRunOut(Schema):
    ran_at: datetime.datetime
    closed_case_days: int | None
    rejected_request_days: int | None
    cases_erased: int
    persons_erased: int
    requests_erased: int
    audit_payloads_scrubbed: int
