"""Screening a job offer (``POST /screening/offers``) and the lure library
(``/screening/lures``, coordinators).

Screening: ``{"text"}`` in; the answer is the risk level, the warning signs found (each with
its explanation in the request's language) and the model's terms that moved the score. Nothing is stored: not the
text, not the result. Text that is not an offer is a 422 on ``["body", "text"]`` whose message
says why (empty, too long, not text, no words).
"""

import datetime
from typing import Any, Literal
from uuid import UUID

from django.core.exceptions import ValidationError
from ninja import Field, Query, Router, Schema, Status

from lifeline.audit.services import audit_view
from lifeline.cases.selectors import case_get
from lifeline.core.api import (
    READ_ERRORS,
    WRITE_ERRORS,
    InputSchema,
    PageIn,
    PageOut,
    Uid,
    audit_listing,
    paginate,
    requires,
)
from lifeline.core.http import ApiRequest
from lifeline.screening import model, scoring, selectors, services
from lifeline.screening.models import Lure

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


# The lure library (coordinators) ------------------------------------------------------------


class LureIn(InputSchema):
    text: str
    source: str = Field(..., description="case, report, partner or monitoring")
    platform: str = Field(
        ..., description="facebook, telegram, wechat, line, whatsapp, tiktok, job_board or other"
    )
    seen_on: datetime.date
    seen_where: str = ""
    country: str = Field("", description="ISO 3166 two-letter code")
    town: str = Field("", description="The town where it was seen, for the map.")
    latitude: float | None = Field(None, description="Where it was seen, if known.")
    longitude: float | None = None
    case: UUID | None = Field(None, description="The case the offer came with.")


DAY = r"^\d{4}-\d{2}-\d{2}$"


class LureListIn(Schema):
    source: Literal["case", "report", "partner", "monitoring", "public_page"] | None = None
    platform: str | None = Field(None, pattern=r"^[a-z_]{2,12}$")
    language: str | None = Field(None, pattern=r"^[a-z-]{2,8}$", description="e.g. th, zh-hans")
    level: Literal["low", "medium", "high"] | None = None
    country: str | None = Field(None, pattern=r"^[A-Za-z]{2}$")
    seen_from: str | None = Field(None, pattern=DAY, description="YYYY-MM-DD")
    seen_to: str | None = Field(None, pattern=DAY, description="YYYY-MM-DD")
    campaign: UUID | None = None

    def filters(self) -> selectors.LureFilters:
        values: dict[str, Any] = {k: v for k, v in self.dict().items() if v is not None}
        for name in ("seen_from", "seen_to"):
            if name in values:
                try:
                    values[name] = datetime.date.fromisoformat(values[name])
                except ValueError:
                    raise ValidationError({name: ["Not a date (YYYY-MM-DD)."]}) from None
        return selectors.LureFilters(**values)


class LureItemOut(Schema):
    uid: UUID
    source: str
    platform: str
    seen_on: datetime.date
    country: str
    town: str
    latitude: float | None
    longitude: float | None
    language: str
    level: str
    signs: list[str]
    campaign: UUID | None
    case: UUID | None

    @staticmethod
    def resolve_signs(obj: Lure) -> list[str]:
        return list(obj.sign_codes)

    @staticmethod
    def resolve_campaign(obj: Lure) -> UUID | None:
        return obj.campaign.uid if obj.campaign is not None else None

    @staticmethod
    def resolve_case(obj: Lure) -> UUID | None:
        return obj.case.uid if obj.case is not None else None


class IdentifierUseOut(Schema):
    uid: UUID
    kind: str
    value: str
    lures: int
    cases: int
    persons: int


class TimelineItemOut(Schema):
    uid: UUID
    seen_on: datetime.date
    platform: str
    country: str


class LureDetailOut(LureItemOut):
    text: str
    seen_where: str
    identifiers: list[IdentifierUseOut]
    campaign_timeline: list[TimelineItemOut]

    @staticmethod
    def resolve_text(obj: Lure) -> str:
        return str(obj.text)

    @staticmethod
    def resolve_seen_where(obj: Lure) -> str:
        return str(obj.seen_where)

    @staticmethod
    def resolve_identifiers(obj: Any) -> list[dict[str, Any]]:
        return list(obj.identifier_uses)

    @staticmethod
    def resolve_campaign_timeline(obj: Any) -> list[Lure]:
        return list(obj.timeline)


class LurePageOut(PageOut[LureItemOut]):
    pass


def _detail(lure: Lure) -> Lure:
    """``lure`` with what ``LureDetailOut`` shows beyond its own fields."""
    lure.identifier_uses = [  # type: ignore[attr-defined]
        {
            "uid": use.identifier.uid,
            "kind": use.identifier.kind,
            "value": str(use.identifier.value),
            "lures": use.lures,
            "cases": use.cases,
            "persons": use.persons,
        }
        for use in selectors.identifiers_of_lure(lure=lure)
    ]
    lure.timeline = list(selectors.campaign_timeline(lure=lure))  # type: ignore[attr-defined]
    return lure


@router.get(
    "/screening/lures",
    response={200: LurePageOut, **READ_ERRORS},
    summary="The lure library, newest sighting first",
)
@requires("can_manage_lures")
def lure_list(
    request: ApiRequest, filters: Query[LureListIn], paging: Query[PageIn]
) -> dict[str, Any]:
    chosen = filters.filters()
    page = paginate(selectors.lure_list(actor=request.auth, filters=chosen), paging)
    audit_listing(
        request, action="screening.lure.listed", filters=chosen.used(), count=len(page["items"])
    )
    return page


@router.post(
    "/screening/lures",
    response={201: LureDetailOut, **WRITE_ERRORS},
    summary="Add an offer to the lure library",
)
@requires("can_manage_lures")
def lure_add(request: ApiRequest, payload: LureIn) -> Status[Lure]:
    case = case_get(actor=request.auth, uid=payload.case) if payload.case else None
    lure = services.lure_add(
        actor=request.auth,
        text=payload.text,
        source=payload.source,
        platform=payload.platform,
        seen_on=payload.seen_on,
        seen_where=payload.seen_where,
        country=payload.country,
        town=payload.town,
        latitude=payload.latitude,
        longitude=payload.longitude,
        case=case,
        request=request,
    )
    return Status(201, _detail(selectors.lure_get(actor=request.auth, uid=lure.uid)))


@router.get(
    "/screening/lures/{uid}",
    response={200: LureDetailOut, **READ_ERRORS},
    summary="One offer: its identifiers, where else they appear, and its campaign",
)
@requires("can_manage_lures")
def lure_detail(request: ApiRequest, uid: Uid) -> Lure:
    lure = selectors.lure_get(actor=request.auth, uid=uid)
    audit_view(
        actor=request.auth.user, organisation=request.auth.organisation, obj=lure, request=request
    )
    return _detail(lure)


class IdentifierLureOut(Schema):
    uid: UUID
    seen_on: datetime.date
    platform: str
    level: str
    campaign: UUID | None

    @staticmethod
    def resolve_campaign(obj: Lure) -> UUID | None:
        return obj.campaign.uid if obj.campaign is not None else None


class IdentifierOut(Schema):
    uid: UUID
    kind: str
    value: str
    lures: list[IdentifierLureOut]
    campaigns: list[UUID]
    case_count: int = Field(..., description="Cases of the organisation it is linked to.")
    person_count: int = Field(..., description="Persons who have it as a contact.")
    cases: list[UUID] = Field(..., description="The linked cases the caller may open.")
    persons: list[UUID] = Field(..., description="The persons the caller may open.")


@router.get(
    "/screening/identifiers/{uid}",
    response={200: IdentifierOut, **READ_ERRORS},
    summary="A recruiter's identifier: its offers, campaigns, cases and persons",
)
@requires("can_manage_lures")
def identifier_detail(request: ApiRequest, uid: Uid) -> dict[str, Any]:
    identifier = selectors.identifier_get(actor=request.auth, uid=uid)
    reach = selectors.identifier_reach(actor=request.auth, identifier=identifier)
    audit_view(
        actor=request.auth.user,
        organisation=request.auth.organisation,
        obj=identifier,
        request=request,
        payload={"cases": [c.pk for c in reach.cases], "persons": [p.pk for p in reach.persons]},
    )
    return {
        "uid": identifier.uid,
        "kind": identifier.kind,
        "value": str(identifier.value),
        "lures": reach.lures,
        "campaigns": [c.uid for c in reach.campaigns],
        "case_count": reach.case_count,
        "person_count": reach.person_count,
        "cases": [c.uid for c in reach.cases],
        "persons": [p.uid for p in reach.persons],
    }
