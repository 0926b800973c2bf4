"""The requests, cases and statistics endpoints.

Each endpoint authorises (``requires`` for lists and creation; the selector's 404 for one
object), parses its schema, calls one selector or service, audits reads, and returns a schema.
Errors become responses in ``lifeline.api``.
"""

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Query, Router, Status

from lifeline.accounts.models import Membership
from lifeline.audit.services import audit_view
from lifeline.cases import selectors, services
from lifeline.cases.models import Case, Request
from lifeline.cases.schemas import (
    AssignIn,
    AssignmentOut,
    CaseCountsOut,
    CaseListIn,
    CaseOut,
    CasePageOut,
    CaseUpdateIn,
    MoveIn,
    OpenCaseIn,
    RejectIn,
    RequestDetailOut,
    RequestIn,
    RequestOut,
    RequestPageOut,
    RequestQueueIn,
    TimelineEventOut,
    TimelineIn,
    TimelinePageOut,
    UrgencyIn,
)
from lifeline.cases.workflow import URGENCY_FROM_CODE
from lifeline.core.api import (
    READ_ERRORS,
    WRITE_ERRORS,
    ErrorOut,
    PageIn,
    Uid,
    UserId,
    audit_listing,
    body_field_names,
    paginate,
    require,
    requires,
)
from lifeline.core.http import ApiRequest
from lifeline.people.selectors import person_get

router = Router(tags=["cases"])


# Requests ---------------------------------------------------------------------------------


@router.get("/requests", response={200: RequestPageOut, **READ_ERRORS}, summary="The triage queue")
@requires("can_triage_requests")
def request_list(
    request: ApiRequest, filters: Query[RequestQueueIn], paging: Query[PageIn]
) -> dict[str, Any]:
    page = paginate(selectors.request_queue(actor=request.auth, status=filters.status), paging)
    used = ["status"] if "status" in filters.model_fields_set else []
    audit_listing(request, action="cases.request.listed", filters=used, count=len(page["items"]))
    return page


@router.post(
    "/requests", response={201: RequestOut, **WRITE_ERRORS}, summary="Record a request for help"
)
@requires("can_create_requests")
def request_create(request: ApiRequest, payload: RequestIn) -> Status:
    values = payload.model_dump(exclude={"urgency"})
    urgency = URGENCY_FROM_CODE[payload.urgency] if payload.urgency else None
    return Status(
        201, services.request_create(actor=request.auth, urgency=urgency, request=request, **values)
    )


@router.get(
    "/requests/{uid}",
    response={200: RequestDetailOut, **READ_ERRORS},
    summary="One request, with the persons it may be about",
)
def request_detail(request: ApiRequest, uid: Uid) -> Request:
    req = selectors.request_get(actor=request.auth, uid=uid)
    matches = selectors.request_suggestions(actor=request.auth, req=req)
    audit_view(
        actor=request.auth.user,
        organisation=request.auth.organisation,
        obj=req,
        request=request,
        payload={"suggested_persons": [s.person.pk for s in matches]},
    )
    # Handed to the output schema with the request (an ad-hoc attribute, hence the ignore).
    req.suggestions = [  # type: ignore[attr-defined]
        {
            "uid": s.person.uid,
            "names": [name.value for name in s.person.names.all()],
            "reasons": s.reasons,
            "probability": round(s.probability, 4),
        }
        for s in matches
    ]
    return req


@router.post(
    "/requests/{uid}/open-case",
    response={201: CaseOut, **WRITE_ERRORS},
    summary="Open a case from a request",
)
def request_open_case(request: ApiRequest, uid: Uid, payload: OpenCaseIn) -> Status:
    req = selectors.request_get(actor=request.auth, uid=uid)
    with body_field_names(person="person_uid", names="extra_names"):
        case = services.request_open_case(
            actor=request.auth,
            req=req,
            request=request,
            person=_chosen_person(request.auth, payload),
            extra_names=payload.extra_names,
        )
    return Status(201, case)


def _chosen_person(actor: Membership, payload: OpenCaseIn) -> Any:
    """The person picked from the suggestions. One the actor cannot see is refused with the same
    message whether it exists or not."""
    if payload.person_uid is None:
        return None
    try:
        return person_get(actor=actor, uid=payload.person_uid)
    except Http404:
        raise ValidationError(
            {"person_uid": [_("Choose a person from the suggestions.")]}
        ) from None


@router.post(
    "/requests/{uid}/reject", response={200: RequestOut, **WRITE_ERRORS}, summary="Reject a request"
)
def request_reject(request: ApiRequest, uid: Uid, payload: RejectIn) -> Request:
    req = selectors.request_get(actor=request.auth, uid=uid)
    return services.request_reject(
        actor=request.auth, req=req, reason=payload.reason, request=request
    )


# Cases ------------------------------------------------------------------------------------


@router.get("/cases", response={200: CasePageOut, **READ_ERRORS}, summary="Search the cases")
@requires("can_work_cases")
def case_list(
    request: ApiRequest, filters: Query[CaseListIn], paging: Query[PageIn]
) -> dict[str, Any]:
    cases = selectors.case_list(actor=request.auth, filters=_case_filters(request, filters))
    page = paginate(cases, paging)
    audit_listing(
        request, action="cases.case.listed", filters=filters.used(), count=len(page["items"])
    )
    return page


def _case_filters(request: ApiRequest, filters: CaseListIn) -> selectors.CaseFilters:
    assignee = filters.assignee or ""
    assignee_id: int | None
    if assignee == "me":
        assignee_id = request.auth.user_id
    else:
        assignee_id = int(assignee) if assignee.isdigit() else None
    return selectors.CaseFilters(
        status=list(filters.status),
        urgency=URGENCY_FROM_CODE[filters.urgency] if filters.urgency else None,
        assignee_id=assignee_id,
        unassigned=assignee == "none",
        citizenship=filters.citizenship or "",
        q=filters.q or "",
        name=filters.name or "",
        phone=filters.phone or "",
        open_only=filters.open_only,
    )


@router.get("/cases/{uid}", response={200: CaseOut, **READ_ERRORS}, summary="One case")
def case_detail(request: ApiRequest, uid: Uid) -> Case:
    case = selectors.case_get(actor=request.auth, uid=uid)
    audit_view(
        actor=request.auth.user, organisation=request.auth.organisation, obj=case, request=request
    )
    return case


@router.patch(
    "/cases/{uid}",
    response={200: CaseOut, **WRITE_ERRORS},
    summary="Change the summary, last known location and victim context",
)
def case_update(request: ApiRequest, uid: Uid, payload: CaseUpdateIn) -> Case:
    case = selectors.case_get(actor=request.auth, uid=uid)
    changes = payload.changes()
    if not changes:
        raise ValidationError({NON_FIELD_ERRORS: [_("Give at least one field to change.")]})
    return services.case_update(
        actor=request.auth, case=case, expected_version=payload.version, request=request, **changes
    )


@router.post("/cases/{uid}/moves", response={200: CaseOut, **WRITE_ERRORS}, summary="Move the case")
def case_move(request: ApiRequest, uid: Uid, payload: MoveIn) -> Case:
    case = selectors.case_get(actor=request.auth, uid=uid)
    return services.case_move(
        actor=request.auth,
        case=case,
        to_status=payload.to_status,
        reason=payload.reason,
        expected_version=payload.version,
        request=request,
    )


@router.post(
    "/cases/{uid}/urgency", response={200: CaseOut, **WRITE_ERRORS}, summary="Set the urgency"
)
def case_set_urgency(request: ApiRequest, uid: Uid, payload: UrgencyIn) -> Case:
    case = selectors.case_get(actor=request.auth, uid=uid)
    return services.case_set_urgency(
        actor=request.auth,
        case=case,
        urgency=URGENCY_FROM_CODE[payload.urgency],
        reasons=payload.reasons,
        note=payload.note,
        expected_version=payload.version,
        request=request,
    )


@router.get(
    "/cases/{uid}/timeline",
    response={200: TimelinePageOut, **READ_ERRORS},
    summary="The case timeline",
)
def case_timeline(request: ApiRequest, uid: Uid, paging: Query[PageIn]) -> dict[str, Any]:
    case = selectors.case_get(actor=request.auth, uid=uid)
    page = paginate(selectors.case_timeline(case=case), paging)
    audit_listing(
        request, action="cases.timeline.listed", filters=[], count=len(page["items"]), obj=case
    )
    return page


@router.post(
    "/cases/{uid}/timeline",
    response={201: TimelineEventOut, **WRITE_ERRORS},
    summary="Log a contact, a note or a location mentioned",
)
def case_timeline_add(request: ApiRequest, uid: Uid, payload: TimelineIn) -> Status:
    case = selectors.case_get(actor=request.auth, uid=uid)
    return Status(
        201,
        services.timeline_add(
            actor=request.auth, case=case, request=request, **payload.model_dump()
        ),
    )


@router.post(
    "/cases/{uid}/assignments",
    response={201: AssignmentOut, **WRITE_ERRORS},
    summary="Assign a coordinator or caseworker",
)
def case_assign(request: ApiRequest, uid: Uid, payload: AssignIn) -> Status:
    case = selectors.case_get(actor=request.auth, uid=uid)
    require(request.auth, "can_assign_cases")
    with body_field_names(assignee="user_id"):
        assignee = _assignee(request.auth, payload.user_id)
        return Status(
            201,
            services.case_assign(actor=request.auth, case=case, assignee=assignee, request=request),
        )


def _assignee(actor: Membership, user_id: int) -> Membership:
    member = selectors.assignable_members(actor=actor).filter(user_id=user_id).first()
    if member is None:
        raise ValidationError(
            {"user_id": [_("Choose a coordinator or caseworker of this organisation.")]}
        )
    return member


@router.delete(
    "/cases/{uid}/assignments/{user_id}",
    response={204: None, **WRITE_ERRORS},
    summary="Remove an assignment",
)
def case_unassign(request: ApiRequest, uid: Uid, user_id: UserId) -> Status:
    case = selectors.case_get(actor=request.auth, uid=uid)
    services.case_unassign(actor=request.auth, case=case, user_id=user_id, request=request)
    return Status(204, None)


# Statistics -------------------------------------------------------------------------------


@router.get(
    "/stats/cases",
    response={200: CaseCountsOut, 401: ErrorOut, 403: ErrorOut},
    summary="Case counts, without personal data",
)
@requires("can_view_statistics")
def case_stats(request: ApiRequest) -> dict[str, Any]:
    return selectors.case_counts(actor=request.auth)
