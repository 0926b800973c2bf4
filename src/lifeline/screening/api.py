"""Screening a job offer: ``POST /screening/offers`` with ``{"text"}``.

The answer is the risk level, the warning signs found (each with its explanation in the
request's language) and the model's terms that moved the score. Nothing is stored: not the
text, not the result. Text that is not an offer is a 422 on ``["body", "text"]`` whose message
says why (empty, too long, not text, no words).
"""

from typing import Any

from django.core.exceptions import ValidationError
from ninja import Field, Router, Schema

from lifeline.core.api import WRITE_ERRORS, InputSchema, requires
from lifeline.core.http import ApiRequest
from lifeline.screening import model, scoring

router = Router(tags=["screening"])


class OfferIn(InputSchema):
    text: str = Field(..., description="The offer or the recruiter's message, any language.")
    explain: bool = Field(True, description="Include the model's most influential terms.")


class SignOut(Schema):
    code: str
    title: str
    why: str
    phrases: list[str]
    languages: list[str]


class FeatureOut(Schema):
    term: str
    weight: float = Field(..., description="Contribution to the log-odds; > 0 towards fraud.")


class ModelOut(Schema):
    trained_at: str
    training_data_sha256: str


class ScreeningOut(Schema):
    level: str = Field(..., description="low, medium or high")
    level_label: str
    score: float
    signs_score: float
    model_score: float | None
    signs: list[SignOut]
    features: list[FeatureOut]
    model: ModelOut | None
    advice: str


@router.post(
    "/screening/offers",
    response={200: ScreeningOut, **WRITE_ERRORS},
    summary="Screen a job offer (nothing is stored)",
)
@requires("can_screen_offers")
def screen_offer(request: ApiRequest, payload: OfferIn) -> dict[str, Any]:
    try:
        result = scoring.screen_offer(payload.text)
    except ValidationError as exc:
        raise ValidationError({"text": exc.messages}) from None
    installed = model.load_or_none()
    return {
        "level": result.level,
        "level_label": str(result.level_label),
        "score": result.score,
        "signs_score": result.signs_score,
        "model_score": result.model_score,
        "signs": [
            {
                "code": hit.code,
                "title": str(hit.sign.title),
                "why": str(hit.sign.why),
                "phrases": list(hit.phrases),
                "languages": list(hit.languages),
            }
            for hit in result.hits
        ],
        "features": [vars(f) for f in result.features] if payload.explain else [],
        "model": None
        if installed is None
        else {
            "trained_at": installed.meta["trained_at"],
            "training_data_sha256": installed.meta["training_data"]["sha256"],
        },
        "advice": str(scoring.ADVICE),
    }
