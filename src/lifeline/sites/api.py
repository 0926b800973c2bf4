"""The site registry endpoints: list, create, read and change sites, their graded status
claims and their operators. Thin: authorise, parse, call one selector or service, audit reads."""

import datetime
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile

from lifeline.accounts.models import Membership
from lifeline.audit.services import audit_log, audit_view
from lifeline.core.api import (
    READ_ERRORS,
    WRITE_ERRORS,
    PageIn,
    Uid,
    audit_listing,
    paginate,
    require,
    requires,
)
from lifeline.core.http import ApiRequest
from lifeline.people.selectors import person_get
from lifeline.sites import selectors, services, sightings, transfer
from lifeline.sites.models import OperatorKind, Site
from lifeline.sites.schemas import (
    ExportIn,
    ImportReportOut,
    MapIn,
    MapOut,
    NearIn,
    NearOut,
    OccupancyOut,
    OperatorIn,
    OperatorOut,
    PublicSuggestionIn,
    SightingIn,
    SightingOut,
    SightingPageOut,
    SiteIn,
    SiteListIn,
    SiteOut,
    SitePageOut,
    SiteUpdateIn,
    StatusClaimIn,
    StatusClaimOut,
    StatusClaimPageOut,
)
from lifeline.sites.views import export_response

router = Router(tags=["sites"])


@router.get("/sites", response={200: SitePageOut, **READ_ERRORS}, summary="The site registry")
@requires("can_view_sites")
def site_list(
    request: ApiRequest, filters: Query[SiteListIn], paging: Query[PageIn]
) -> dict[str, Any]:
    qs = selectors.site_list(
        actor=request.auth, filters=selectors.SiteFilters(**filters.model_dump())
    )
    page = paginate(qs, paging)
    used = sorted(name for name, value in filters.model_dump().items() if value)
    audit_listing(request, action="sites.site.listed", filters=used, count=len(page["items"]))
    return page


@router.post("/sites", response={201: SiteOut, **WRITE_ERRORS}, summary="Add a site")
@requires("can_edit_sites")
def site_create(request: ApiRequest, payload: SiteIn) -> Status:
    site = services.site_create(actor=request.auth, request=request, **payload.model_dump())
    return Status(201, _detail(request.auth, site, audit=False))


def _detail(actor: Membership, site: Site, *, audit: bool = True, request: Any = None) -> Site:
    operators = list(selectors.site_operators(actor=actor, site=site))
    if audit:
        audit_view(
            actor=actor.user,
            organisation=actor.organisation,
            obj=site,
            request=request,
            payload={"operator_ids": [op.pk for op in operators if op.kind == OperatorKind.PERSON]},
        )
    # Handed to the output schema with the site (ad-hoc attributes, hence the ignores).
    site.history = list(selectors.site_history(site=site))  # type: ignore[attr-defined]
    site.operators_shown = operators  # type: ignore[attr-defined]
    site.hidden_person_operators = selectors.hidden_operator_count(  # type: ignore[attr-defined]
        actor=actor, site=site
    )
    return site


@router.post(
    "/sites/import",
    response={200: ImportReportOut, **WRITE_ERRORS},
    summary="Import sites from GeoJSON or CSV, with a validation report",
    description="Nothing is imported while any row is refused, unless ?only_valid=true.",
)
@requires("can_edit_sites")
def site_import(
    request: ApiRequest,
    file: UploadedFile = File(...),  # noqa: B008
    only_valid: bool = False,
) -> transfer.ImportReport:
    return transfer.sites_import(
        actor=request.auth,
        data=file.read(),
        filename=file.name or "",
        only_valid=only_valid,
        request=request,
    )


@router.get(
    "/sites/export",
    response={200: None, **READ_ERRORS},
    summary="Export sites as GeoJSON, CSV or FollowTheMoney entities (one per line)",
)
@requires("can_view_sites")
def site_export(request: ApiRequest, filters: Query[ExportIn]) -> HttpResponse:
    values = filters.model_dump(exclude={"format"})
    sites = list(selectors.site_list(actor=request.auth, filters=selectors.SiteFilters(**values)))
    response = export_response(request.auth, sites, filters.format)
    audit_log(
        actor=request.auth.user,
        organisation=request.auth.organisation,
        action="sites.site.exported",
        request=request,
        payload={
            "format": filters.format,
            "count": len(sites),
            "operators": response.operator_count,  # type: ignore[attr-defined]
        },
    )
    return response


@router.get(
    "/sites/map",
    response={200: MapOut, **READ_ERRORS},
    summary="The sites of a map viewport (no personal data: counts of persons only)",
)
@requires("can_view_sites")
def site_map(request: ApiRequest, filters: Query[MapIn]) -> dict[str, Any]:
    if filters.south > filters.north:
        raise ValidationError({"south": [_("The south edge must be below the north edge.")]})
    values = filters.model_dump()
    try:
        values["at"] = datetime.date.fromisoformat(values["at"]) if values["at"] else None
    except ValueError:
        raise ValidationError({"at": [_("Give the date as YYYY-MM-DD.")]}) from None
    sites, total = selectors.map_sites(actor=request.auth, filters=selectors.MapFilters(**values))
    floor = 0 if request.auth.has("can_view_persons") else selectors.MAP_COUNT_FLOOR
    return {"count": total, "truncated": total > len(sites), "min_count": floor, "sites": sites}


@router.get(
    "/sites/near",
    response={200: list[NearOut], **READ_ERRORS},
    summary="Sites within a radius of a point, nearest first",
)
@requires("can_view_sites")
def site_near(request: ApiRequest, filters: Query[NearIn]) -> list[Any]:
    found = selectors.sites_near(actor=request.auth, **filters.model_dump())
    audit_listing(request, action="sites.site.searched_near", filters=[], count=len(found))
    return found


@router.get("/sites/{uid}", response={200: SiteOut, **READ_ERRORS}, summary="One site")
def site_detail(request: ApiRequest, uid: Uid) -> Site:
    site = selectors.site_get(actor=request.auth, uid=uid)
    return _detail(request.auth, site, request=request)


@router.patch("/sites/{uid}", response={200: SiteOut, **WRITE_ERRORS}, summary="Change a site")
def site_update(request: ApiRequest, uid: Uid, payload: SiteUpdateIn) -> Site:
    site = selectors.site_get(actor=request.auth, uid=uid)
    require(request.auth, "can_edit_sites")
    changes = payload.changes()
    if not changes:
        raise ValidationError({NON_FIELD_ERRORS: [_("Give at least one field to change.")]})
    site = services.site_update(
        actor=request.auth, site=site, version=payload.version, request=request, **changes
    )
    return _detail(request.auth, site, audit=False)


@router.put(
    "/sites/{uid}/public-suggestion",
    response={200: SiteOut, **WRITE_ERRORS},
    summary="Offer a site's names on the public SOS form, or stop (coordinators)",
)
def site_public_suggestion(request: ApiRequest, uid: Uid, payload: PublicSuggestionIn) -> Site:
    site = selectors.site_get(actor=request.auth, uid=uid)
    require(request.auth, "can_publish_site_names")
    site = services.site_suggest_publicly(
        actor=request.auth, site=site, suggest=payload.suggest_publicly, request=request
    )
    return _detail(request.auth, site, audit=False)


@router.get(
    "/sites/{uid}/status-claims",
    response={200: StatusClaimPageOut, **READ_ERRORS},
    summary="A site's status history, newest first",
)
def claim_list(request: ApiRequest, uid: Uid, paging: Query[PageIn]) -> dict[str, Any]:
    site = selectors.site_get(actor=request.auth, uid=uid)
    page = paginate(selectors.site_history(site=site), paging)
    audit_listing(
        request, action="sites.status.listed", filters=[], count=len(page["items"]), obj=site
    )
    return page


@router.post(
    "/sites/{uid}/status-claims",
    response={201: StatusClaimOut, **WRITE_ERRORS},
    summary="Record a graded claim about a site's status",
)
def claim_create(request: ApiRequest, uid: Uid, payload: StatusClaimIn) -> Status:
    site = selectors.site_get(actor=request.auth, uid=uid)
    require(request.auth, "can_edit_sites")
    relocated_to = None
    if payload.relocated_to is not None:
        try:
            relocated_to = selectors.site_get(actor=request.auth, uid=payload.relocated_to)
        except Http404:
            raise ValidationError({"relocated_to": [_("Choose a site of the registry.")]}) from None
    claim = services.site_claim_status(
        actor=request.auth,
        site=site,
        request=request,
        relocated_to=relocated_to,
        **payload.model_dump(exclude={"relocated_to"}),
    )
    return Status(201, claim)


@router.post(
    "/sites/{uid}/operators",
    response={201: OperatorOut, **WRITE_ERRORS},
    summary="Record a company or person who runs the site",
)
def operator_add(request: ApiRequest, uid: Uid, payload: OperatorIn) -> Status:
    site = selectors.site_get(actor=request.auth, uid=uid)
    require(request.auth, "can_edit_sites")
    operator = services.operator_add(
        actor=request.auth, site=site, request=request, **payload.model_dump()
    )
    return Status(201, operator)


@router.delete(
    "/sites/{uid}/operators/{operator_uid}",
    response={204: None, **WRITE_ERRORS},
    summary="Remove an operator (a wrong attribution, or erasing a person operator)",
)
def operator_remove(request: ApiRequest, uid: Uid, operator_uid: Uid) -> Status:
    site = selectors.site_get(actor=request.auth, uid=uid)
    operator = selectors.operator_get(actor=request.auth, site=site, uid=operator_uid)
    require(request.auth, "can_edit_sites")
    services.operator_remove(actor=request.auth, operator=operator, request=request)
    return Status(204, None)


# Sightings: personal data, behind the person's own visibility ---------------------------------


@router.get(
    "/persons/{uid}/sightings",
    response={200: SightingPageOut, **READ_ERRORS},
    summary="A person's trail: their sightings, oldest first",
)
def sighting_list(request: ApiRequest, uid: Uid, paging: Query[PageIn]) -> dict[str, Any]:
    person = person_get(actor=request.auth, uid=uid)
    page = paginate(selectors.person_trail(person=person), paging)
    audit_listing(
        request, action="sites.sighting.listed", filters=[], count=len(page["items"]), obj=person
    )
    return page


@router.post(
    "/persons/{uid}/sightings",
    response={201: SightingOut, **WRITE_ERRORS},
    summary="Record a sighting of a person at a site or a place",
)
def sighting_create(request: ApiRequest, uid: Uid, payload: SightingIn) -> Status:
    person = person_get(actor=request.auth, uid=uid)
    require(request.auth, "can_work_cases")
    site = None
    if payload.site is not None:
        try:
            site = selectors.site_get(actor=request.auth, uid=payload.site)
        except Http404:
            raise ValidationError({"site": [_("Choose a site of the registry.")]}) from None
    sighting = sightings.sighting_record(
        actor=request.auth,
        person=person,
        site=site,
        request=request,
        **payload.model_dump(exclude={"site"}),
    )
    return Status(201, sighting)


@router.get(
    "/sites/{uid}/occupancy",
    response={200: OccupancyOut, **READ_ERRORS},
    summary="Who was last known at a site (persons only for those who may see them)",
)
def site_occupancy(request: ApiRequest, uid: Uid) -> dict[str, Any]:
    site = selectors.site_get(actor=request.auth, uid=uid)
    occupancy = selectors.site_occupancy(actor=request.auth, site=site)
    audit_view(
        actor=request.auth.user,
        organisation=request.auth.organisation,
        obj=site,
        request=request,
        payload={"person_ids": [s.person_id for s in occupancy.visible]},
    )
    return {"total": None if occupancy.few else occupancy.total, "persons": occupancy.visible}
