"""Duplicate detection endpoints. They need ``can_review_duplicates``; persons the actor may
not see are 404s from the selectors before the capability is checked (STYLE.md rule 8)."""

import json
from typing import Any

from ninja import Query, Router, Status

from lifeline.audit.services import audit_view
from lifeline.core.api import (
    READ_ERRORS,
    WRITE_ERRORS,
    PageIn,
    Uid,
    audit_listing,
    body_field_names,
    paginate,
    require,
    requires,
)
from lifeline.core.http import ApiRequest
from lifeline.linkage import selectors, services, tasks
from lifeline.linkage.comparison import Comparison
from lifeline.linkage.models import CandidatePair, DedupRun, MergeRecord
from lifeline.linkage.schemas import (
    ComparisonOut,
    CrossMatchPageOut,
    DecisionIn,
    ExportIn,
    ImportIn,
    MatchModelOut,
    MergeOut,
    MergePageOut,
    PairOut,
    PairPageOut,
    QueueIn,
    RunOut,
)

router = Router(tags=["linkage"])


def comparison_out(comparison: Comparison) -> dict[str, Any]:
    return {
        "probability": round(comparison.probability, 4),
        "match_weight": round(comparison.match_weight, 3),
        "prior": comparison.prior,
        "fields": [
            {"field": f.field, "level": f.level, "outcome": f.outcome, "weight": round(f.weight, 3)}
            for f in comparison.fields
        ],
    }


@router.get(
    "/persons/{uid}/comparison/{other_uid}",
    response={200: ComparisonOut, **READ_ERRORS},
    summary="Compare two persons: match probability and its explanation",
)
def person_comparison(request: ApiRequest, uid: Uid, other_uid: Uid) -> dict[str, Any]:
    actor = request.auth
    a, b = selectors.person_pair(actor=actor, uid=uid, other_uid=other_uid)
    require(actor, "can_review_duplicates")
    for shown, other in ((a, b), (b, a)):
        audit_view(
            actor=actor.user,
            organisation=actor.organisation,
            obj=shown,
            request=request,
            payload={"person_id": other.pk, "page": "duplicate_pair"},
        )
    comparison = selectors.compare_persons(a=a, b=b)
    return {"person_uid": a.uid, "other_uid": b.uid, **comparison_out(comparison)}


@router.post(
    "/persons/{uid}/comparison/{other_uid}/decision",
    response={200: PairOut, **WRITE_ERRORS},
    summary="Decide whether two persons are the same: same, different or unsure",
)
def person_pair_decide(
    request: ApiRequest, uid: Uid, other_uid: Uid, payload: DecisionIn
) -> CandidatePair:
    actor = request.auth
    a, b = selectors.person_pair(actor=actor, uid=uid, other_uid=other_uid)
    require(actor, "can_review_duplicates")
    return services.pair_decide(
        actor=actor, person=a, other=b, decision=payload.decision, request=request
    )


@router.get(
    "/duplicates",
    response={200: PairPageOut, **READ_ERRORS},
    summary="The review queue: candidate pairs of persons, most likely first",
)
@requires("can_review_duplicates")
def duplicate_queue(
    request: ApiRequest, filters: Query[QueueIn], paging: Query[PageIn]
) -> dict[str, Any]:
    page = paginate(selectors.review_queue(actor=request.auth, status=filters.status), paging)
    audit_listing(
        request, action="linkage.queue.listed", filters=["status"], count=len(page["items"])
    )
    return page


@router.get(
    "/merges",
    response={200: MergePageOut, **READ_ERRORS},
    summary="The organisation's merges, newest first",
)
@requires("can_review_duplicates")
def merge_list(request: ApiRequest, paging: Query[PageIn]) -> dict[str, Any]:
    page = paginate(selectors.merge_history(actor=request.auth), paging)
    audit_listing(request, action="linkage.merges.listed", filters=[], count=len(page["items"]))
    return page


@router.post(
    "/merges/{uid}/undo",
    response={200: MergeOut, **WRITE_ERRORS},
    summary="Undo a merge; changes made since are kept and reported in undo_report",
)
def merge_undo(request: ApiRequest, uid: Uid) -> MergeRecord:
    record = selectors.merge_get(actor=request.auth, uid=uid)
    return services.merge_undo(actor=request.auth, record=record, request=request)


@router.post(
    "/duplicates/runs",
    response={201: RunOut, **WRITE_ERRORS},
    summary="Start a full deduplication of the organisation (a background task)",
)
@requires("can_review_duplicates")
def run_start(request: ApiRequest) -> Status:
    run = services.run_start(actor=request.auth, request=request)
    tasks.run_dedup.enqueue(run.pk)
    run.refresh_from_db()
    return Status(201, run)


@router.get(
    "/duplicates/runs/{uid}",
    response={200: RunOut, **READ_ERRORS},
    summary="One deduplication run: its progress, and its counts when done",
)
def run_detail(request: ApiRequest, uid: Uid) -> DedupRun:
    return selectors.run_get(actor=request.auth, uid=uid)


@router.get(
    "/duplicates/model",
    response={200: MatchModelOut, **READ_ERRORS},
    summary="The matching model the organisation's pairs are scored with, as trained",
)
@requires("can_review_duplicates")
def match_model(request: ApiRequest) -> dict[str, Any]:
    current = selectors.match_models(actor=request.auth).first()
    if current is None:
        from lifeline.linkage.comparison import DEFAULT_MODEL
        from lifeline.linkage.training import model_to_json

        return {
            "version": 0,
            "trained": False,
            "reason": "none",
            "parameters": model_to_json(DEFAULT_MODEL),
        }
    return {
        "version": current.version,
        "trained": current.trained,
        "reason": current.reason,
        "parameters": current.parameters,
        "persons": current.persons,
        "pairs": current.pairs,
        "u_samples": current.u_samples,
        "em_pairs": current.em_pairs,
        "iterations": current.iterations,
        "created_at": current.created_at,
    }


@router.post(
    "/linkage/encodings",
    response={200: dict[str, Any], **WRITE_ERRORS},
    summary="Export the organisation's keyed Bloom-filter encodings for a partner",
)
@requires("can_review_duplicates")
def encodings_export(request: ApiRequest, payload: ExportIn) -> dict[str, Any]:
    data = services.encodings_export(actor=request.auth, secret=payload.secret, request=request)
    body: dict[str, Any] = json.loads(data)
    return body


@router.post(
    "/linkage/encodings/comparisons",
    response={200: CrossMatchPageOut, **WRITE_ERRORS},
    summary="Compare a partner's encodings file with the organisation's persons",
)
@requires("can_review_duplicates")
def encodings_import(request: ApiRequest, payload: ImportIn) -> dict[str, Any]:
    data = json.dumps(payload.file).encode("utf-8")
    with body_field_names(file="file"):
        rows = services.encodings_import(
            actor=request.auth, data=data, secret=payload.secret, request=request
        )
    return {"items": rows, "count": len(rows), "page": 1, "page_size": max(len(rows), 1)}


@router.get(
    "/linkage/cross-matches",
    response={200: CrossMatchPageOut, **READ_ERRORS},
    summary="The organisation's records that match a partner's, best first",
)
@requires("can_review_duplicates")
def cross_match_list(request: ApiRequest, paging: Query[PageIn]) -> dict[str, Any]:
    page = paginate(selectors.cross_matches(actor=request.auth), paging)
    audit_listing(
        request, action="linkage.cross_matches.listed", filters=[], count=len(page["items"])
    )
    return page
