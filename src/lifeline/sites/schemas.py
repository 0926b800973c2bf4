"""API schemas of the site registry: separate input and output shapes (STYLE.md rule 15)."""

import datetime
from typing import TYPE_CHECKING, Any, Literal, TypeAlias
from uuid import UUID

from ninja import Field, Schema

from lifeline.core.api import InputSchema, PageOut, version_field
from lifeline.sites.models import (
    Indicator,
    OperatorKind,
    OperatorRole,
    Reliability,
    SightingSource,
    SiteKind,
    SiteStatus,
)

if TYPE_CHECKING:  # plain strings to the type checker, literals to pydantic
    KindCode: TypeAlias = str
    StatusCode: TypeAlias = str
    IndicatorCode: TypeAlias = str
    ReliabilityCode: TypeAlias = str
    OperatorKindCode: TypeAlias = str
    OperatorRoleCode: TypeAlias = str
    SightingSourceCode: TypeAlias = str
else:
    KindCode = Literal[tuple(SiteKind.values)]
    StatusCode = Literal[tuple(SiteStatus.values)]
    IndicatorCode = Literal[tuple(Indicator.values)]
    ReliabilityCode = Literal[tuple(Reliability.values)]
    OperatorKindCode = Literal[tuple(OperatorKind.values)]
    OperatorRoleCode = Literal[tuple(OperatorRole.values)]
    SightingSourceCode = Literal[tuple(SightingSource.values)]

Name = Field(..., min_length=1, max_length=200)
Coordinate = Field(None, description="Decimal degrees (WGS 84).")


class SiteListIn(Schema):
    q: str = Field("", max_length=200, description="A name or alias, in any script.")
    status: list[StatusCode] = Field(default_factory=list)
    country: str = Field("", pattern=r"^([A-Za-z]{2})?$", description="ISO 3166 alpha-2 code.")
    indicator: IndicatorCode | Literal[""] = ""
    kind: KindCode | Literal[""] = ""


class SiteIn(InputSchema):
    name: str = Name
    aliases: list[str] = Field(default_factory=list, max_length=30)
    kind: KindCode
    country: str = Field(..., min_length=2, max_length=2, description="ISO 3166 alpha-2 code.")
    province: str = Field("", max_length=120)
    town: str = Field("", max_length=120)
    latitude: float | None = Coordinate
    longitude: float | None = Coordinate
    outline: dict[str, Any] | None = Field(
        None, description="A GeoJSON Polygon geometry (longitude before latitude)."
    )
    indicators: list[IndicatorCode] = Field(default_factory=list)


class SiteUpdateIn(InputSchema):
    """Only the fields given are changed; ``version`` is the one the client last read."""

    version: int = version_field()
    name: str = Field("", max_length=200)
    aliases: list[str] = Field(default_factory=list, max_length=30)
    kind: KindCode = SiteKind.COMPOUND
    country: str = Field("", max_length=2)
    province: str = Field("", max_length=120)
    town: str = Field("", max_length=120)
    latitude: float | None = Coordinate
    longitude: float | None = Coordinate
    outline: dict[str, Any] | None = None
    indicators: list[IndicatorCode] = Field(default_factory=list)

    def changes(self) -> dict[str, Any]:
        return self.model_dump(exclude_unset=True, exclude={"version"})


class SiteItemOut(Schema):
    uid: UUID
    name: str
    aliases: list[str]
    kind: str
    country: str
    province: str
    town: str
    latitude: float | None
    longitude: float | None
    indicators: list[str]
    status: str
    status_since: datetime.date | None
    status_grade: str
    suggest_publicly: bool = Field(
        ..., description="Its names are offered as suggestions on the public SOS form."
    )
    version: int

    @staticmethod
    def resolve_country(obj: Any) -> str:
        return getattr(obj.country, "code", None) or str(obj.country or "")

    @staticmethod
    def resolve_status_grade(obj: Any) -> str:
        if not obj.status_reliability:
            return ""
        return f"{obj.status_reliability}{obj.status_credibility}"


class SitePageOut(PageOut[SiteItemOut]):
    pass


class StatusClaimIn(InputSchema):
    status: StatusCode
    claimed_on: datetime.date
    source: str = Field(..., max_length=500)
    reliability: ReliabilityCode | None = Field(None, description="Admiralty code A–F.")
    credibility: int | None = Field(None, ge=1, le=6, description="Admiralty code 1–6.")
    relocated_to: UUID | None = Field(None, description="For a relocation: the site moved to.")
    note: str = Field("", max_length=5000)


class StatusClaimOut(Schema):
    id: int
    status: str
    claimed_on: datetime.date
    relocated_to: UUID | None
    source: str
    reliability: str
    credibility: int
    grade: str
    note: str
    recorded_at: datetime.datetime

    @staticmethod
    def resolve_relocated_to(obj: Any) -> UUID | None:
        return obj.relocated_to.uid if obj.relocated_to_id else None


class StatusClaimPageOut(PageOut[StatusClaimOut]):
    pass


class OperatorIn(InputSchema):
    kind: OperatorKindCode
    role: OperatorRoleCode
    company_name: str = Field("", max_length=200)
    company_country: str = Field("", max_length=2)
    person_name: str = Field("", max_length=200)
    source: str = Field(..., max_length=500)
    reliability: ReliabilityCode | None = None
    credibility: int | None = Field(None, ge=1, le=6)


class OperatorOut(Schema):
    uid: UUID
    kind: str
    role: str
    company_name: str
    company_country: str
    person_name: str
    source: str
    grade: str

    @staticmethod
    def resolve_company_country(obj: Any) -> str:
        return getattr(obj.company_country, "code", None) or str(obj.company_country or "")

    @staticmethod
    def resolve_grade(obj: Any) -> str:
        return f"{obj.reliability}{obj.credibility}"


class SiteOut(SiteItemOut):
    outline: dict[str, Any] | None
    history: list[StatusClaimOut]
    operators: list[OperatorOut]
    hidden_person_operators: int

    @staticmethod
    def resolve_operators(obj: Any) -> list[Any]:
        return list(obj.operators_shown)


class PublicSuggestionIn(InputSchema):
    """Offer the site's name and aliases on the public SOS form (true), or stop (false)."""

    suggest_publicly: bool


class SightingIn(InputSchema):
    """A sighting at a site (``site``) or at a place (``place`` and/or a point): one of them."""

    seen_at: datetime.datetime
    source: SightingSourceCode
    site: UUID | None = None
    place: str = Field("", max_length=300)
    country: str = Field("", pattern=r"^([A-Za-z]{2})?$")
    latitude: float | None = None
    longitude: float | None = None
    note: str = Field("", max_length=5000)


class SightingOut(Schema):
    uid: UUID
    seen_at: datetime.datetime
    source: str
    site: UUID | None
    site_name: str
    place: str
    country: str
    latitude: float | None
    longitude: float | None
    note: str

    @staticmethod
    def resolve_site(obj: Any) -> UUID | None:
        return obj.site.uid if obj.site_id else None

    @staticmethod
    def resolve_site_name(obj: Any) -> str:
        return obj.site.name if obj.site_id else ""

    @staticmethod
    def resolve_country(obj: Any) -> str:
        return str(obj.country or "")

    @staticmethod
    def resolve_latitude(obj: Any) -> float | None:
        return obj.point[0] if obj.point else None

    @staticmethod
    def resolve_longitude(obj: Any) -> float | None:
        return obj.point[1] if obj.point else None


class SightingPageOut(PageOut[SightingOut]):
    pass


class OccupantOut(Schema):
    person: UUID
    seen_at: datetime.datetime
    source: str

    @staticmethod
    def resolve_person(obj: Any) -> UUID:
        return obj.person.uid


class OccupancyOut(Schema):
    """Persons whose latest sighting is at the site: ``total`` for everyone who sees the site
    (null for one or two when the caller may not see persons), ``persons`` only those the
    caller may see (none for analysts)."""

    total: int | None
    persons: list[OccupantOut]


class NearIn(Schema):
    latitude: float = Field(..., ge=-90, le=90)
    longitude: float = Field(..., ge=-180, le=180)
    radius_km: float = Field(25, gt=0, le=500)
    limit: int = Field(50, ge=1, le=100)


class NearOut(Schema):
    site: SiteItemOut
    distance_km: float


class MapIn(Schema):
    west: float = Field(-180, ge=-180, le=180)
    south: float = Field(-90, ge=-90, le=90)
    east: float = Field(180, ge=-180, le=180)
    north: float = Field(90, ge=-90, le=90)
    status: list[StatusCode] = Field(default_factory=list)
    country: str = Field("", pattern=r"^([A-Za-z]{2})?$")
    indicator: IndicatorCode | Literal[""] = ""
    at: str = Field(
        "", pattern=r"^(\d{4}-\d{2}-\d{2})?$", description="The map as it was on this date."
    )


class MapSiteOut(Schema):
    uid: UUID
    name: str
    lat: float
    lon: float
    kind: str
    country: str
    status: str
    people: int | None = Field(
        ...,
        description="Persons whose latest sighting is at the site; null for one or two when "
        "the member may not see persons (fewer than `min_count`).",
    )
    active_cases: int | None = Field(
        ...,
        description="Active cases (HTCDS Active: not home, not closed) of those persons; null "
        "as for `people`.",
    )
    requests: int | None = Field(
        ...,
        description="Requests for help that named the site (by name or alias) and were not "
        "rejected; null as for `people`.",
    )


class MapOut(Schema):
    count: int
    truncated: bool
    min_count: int = Field(
        ..., description="Counts above zero and below this are withheld (null); 0: none are."
    )
    sites: list[MapSiteOut]


class RowReportOut(Schema):
    row: int
    errors: dict[str, list[str]]


class ImportReportOut(Schema):
    total: int
    imported: int
    rejected: list[RowReportOut]
    error: str


class ExportIn(SiteListIn):
    format: Literal["geojson", "csv", "ftm"] = "geojson"
