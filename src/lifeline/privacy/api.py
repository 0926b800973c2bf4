"""Erasure and retention endpoints."""

from typing import Any

from ninja import Router, Status

from lifeline.core.api import READ_ERRORS, WRITE_ERRORS, Uid, require, requires
from lifeline.core.http import ApiRequest
from lifeline.people.selectors import person_get
from lifeline.privacy import selectors, services
from lifeline.privacy.models import RetentionPolicy, RetentionRun
from lifeline.privacy.schemas import (
    ErasureIn,
    ErasureOut,
    RetentionPolicyIn,
    RetentionPolicyOut,
    RetentionRunOut,
)

router = Router(tags=["privacy"])


@router.post(
    "/persons/{uid}/erasure",
    response={200: ErasureOut, **WRITE_ERRORS},
    summary="Erase a person and the personal data of their cases, for good",
)
def person_erase(request: ApiRequest, uid: Uid, payload: ErasureIn) -> dict[str, Any]:
    person = person_get(actor=request.auth, uid=uid)
    require(request.auth, "can_erase_persons")
    result = services.person_erase(
        actor=request.auth,
        person=person,
        reason=payload.reason,
        confirmation=payload.confirmation,
        request=request,
    )
    person.refresh_from_db(fields=["erased_at"])
    return {"erased_at": person.erased_at, "counts": result.counts}


@router.get(
    "/retention", response={200: RetentionPolicyOut, **READ_ERRORS}, summary="Retention policy"
)
@requires("can_manage_retention")
def retention_get(request: ApiRequest) -> RetentionPolicy:
    return services.policy_for(request.auth.organisation)


@router.put(
    "/retention", response={200: RetentionPolicyOut, **WRITE_ERRORS}, summary="Set the policy"
)
@requires("can_manage_retention")
def retention_put(request: ApiRequest, payload: RetentionPolicyIn) -> RetentionPolicy:
    return services.policy_update(actor=request.auth, request=request, **payload.model_dump())


@router.get(
    "/retention/runs",
    response={200: list[RetentionRunOut], **READ_ERRORS},
    summary="The last 20 retention runs",
)
@requires("can_manage_retention")
def retention_runs(request: ApiRequest) -> list[RetentionRun]:
    return list(selectors.recent_runs(organisation=request.auth.organisation))


@router.post(
    "/retention/runs",
    response={201: RetentionRunOut, **WRITE_ERRORS},
    summary="Apply the retention policy now",
)
@requires("can_manage_retention")
def retention_apply(request: ApiRequest) -> Status:
    run = services.retention_apply(
        organisation=request.auth.organisation, actor=request.auth, request=request
    )
    return Status(201, run)
