"""Endpoints of partners, referrals, operations, briefings and the leak trace. Thin: authorise,
parse, call one selector or service, audit reads. An object the actor may not see (another
organisation's, an operation they are not a member of) is a 404 from the selector."""

import json
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from ninja import File, Query, Router, Status
from ninja.files import UploadedFile

from lifeline.accounts.models import Membership
from lifeline.audit.services import audit_view
from lifeline.cases.selectors import case_get, visible_cases
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
from lifeline.core.errors import NotPermitted
from lifeline.core.http import ApiRequest
from lifeline.sharing import briefings, selectors, services
from lifeline.sharing.models import Briefing, Operation, Outcome, Partner, Referral, Share
from lifeline.sharing.schemas import (
    AnswerIn,
    BriefingIn,
    BriefingOut,
    LinkIn,
    LinkOut,
    OperationCloseIn,
    OperationIn,
    OperationOut,
    OperationPageOut,
    PartnerIn,
    PartnerOut,
    PartnerPageOut,
    ReferralIn,
    ReferralOut,
    ReferralPageOut,
    ShareOut,
    ShareTextOut,
    SuspectOut,
    TraceIn,
    TransferAcceptIn,
    TransferRequestOut,
)
from lifeline.sites.selectors import visible_sites

router = Router(tags=["sharing"])


# Partners ---------------------------------------------------------------------------------


@router.get("/partners", response={200: PartnerPageOut, **READ_ERRORS}, summary="Partners")
@requires("can_manage_partners")
def partner_list(request: ApiRequest, paging: Query[PageIn]) -> dict[str, Any]:
    page = paginate(selectors.partner_list(actor=request.auth, include_inactive=True), paging)
    audit_listing(request, action="sharing.partner.listed", filters=[], count=len(page["items"]))
    return page


@router.post("/partners", response={201: PartnerOut, **WRITE_ERRORS}, summary="Add a partner")
@requires("can_manage_partners")
def partner_create(request: ApiRequest, payload: PartnerIn) -> Status:
    partner = services.partner_create(actor=request.auth, request=request, **payload.model_dump())
    return Status(201, partner)


@router.get("/partners/{uid}", response={200: PartnerOut, **READ_ERRORS}, summary="One partner")
def partner_detail(request: ApiRequest, uid: Uid) -> Partner:
    partner = selectors.partner_get(actor=request.auth, uid=uid)
    audit_view(
        actor=request.auth.user,
        organisation=request.auth.organisation,
        obj=partner,
        request=request,
    )
    return partner


# Referrals --------------------------------------------------------------------------------


def _referral_out(actor: Membership, referral: Referral) -> dict[str, Any]:
    incoming = referral.receiver_id == actor.organisation_id
    own_case = referral.received_case if incoming else referral.case
    return {
        "uid": referral.uid,
        "kind": referral.kind,
        "status": referral.status,
        "profile": referral.profile,
        "direction": "incoming" if incoming else "outgoing",
        "sender": referral.sender.name,
        "receiver": referral.receiver.name,
        "consent_given_by": referral.consent_given_by,
        "consent_at": referral.consent_at,
        "consent_method": referral.consent_method,
        "created_at": referral.created_at,
        "expires_at": referral.expires_at,
        "answered_at": referral.answered_at,
        "snapshot": json.loads(referral.snapshot) if referral.snapshot else None,
        "case_uid": own_case.uid if own_case is not None else None,
    }


@router.get(
    "/referrals",
    response={200: ReferralPageOut, **READ_ERRORS},
    summary="Referrals sent and received",
)
@requires("can_refer_cases")
def referral_list(request: ApiRequest, paging: Query[PageIn]) -> dict[str, Any]:
    qs = selectors.referral_list(actor=request.auth).select_related("received_case")
    page = paginate(qs, paging)
    page["items"] = [_referral_out(request.auth, r) for r in page["items"]]
    audit_listing(request, action="sharing.referral.listed", filters=[], count=len(page["items"]))
    return page


@router.post(
    "/cases/{uid}/referrals",
    response={201: ReferralOut, **WRITE_ERRORS},
    summary="Refer or transfer a case to another organisation, with the victim's consent",
)
def referral_create(request: ApiRequest, uid: Uid, payload: ReferralIn) -> Status:
    case = case_get(actor=request.auth, uid=uid)
    require(request.auth, "can_refer_cases")
    values = payload.model_dump()
    receiver = (
        selectors.receiving_organisations(actor=request.auth)
        .filter(pk=values.pop("receiver"))
        .first()
    )
    referral = services.referral_create(
        actor=request.auth, case=case, receiver=receiver, request=request, **values
    )
    return Status(201, _referral_out(request.auth, referral))


@router.get("/referrals/{uid}", response={200: ReferralOut, **READ_ERRORS}, summary="One referral")
def referral_detail(request: ApiRequest, uid: Uid) -> dict[str, Any]:
    referral = selectors.referral_get(actor=request.auth, uid=uid)
    audit_view(
        actor=request.auth.user,
        organisation=request.auth.organisation,
        obj=referral,
        request=request,
        payload={
            "side": "receiver" if referral.receiver_id == request.auth.organisation_id else "sender"
        },
    )
    return _referral_out(request.auth, referral)


def _answer(request: ApiRequest, uid: str, action: Any, **kwargs: Any) -> dict[str, Any]:
    referral = selectors.referral_get(actor=request.auth, uid=uid)
    referral = action(actor=request.auth, referral=referral, request=request, **kwargs)
    return _referral_out(request.auth, referral)


@router.post(
    "/referrals/{uid}/accept",
    response={200: ReferralOut, **WRITE_ERRORS},
    summary="Accept a referral",
)
def referral_accept(request: ApiRequest, uid: Uid, payload: AnswerIn) -> dict[str, Any]:
    return _answer(request, uid, services.referral_accept, note=payload.note)


@router.post(
    "/referrals/{uid}/reject",
    response={200: ReferralOut, **WRITE_ERRORS},
    summary="Reject a referral",
)
def referral_reject(request: ApiRequest, uid: Uid, payload: AnswerIn) -> dict[str, Any]:
    return _answer(request, uid, services.referral_reject, note=payload.note)


def _transfer_request_out(made: Any) -> dict[str, Any]:
    return {
        "uid": made.uid,
        "referral": made.referral.uid,
        "status": made.status,
        "note": made.note,
        "requested_at": made.requested_at,
        "answered_at": made.answered_at,
        "answer_note": made.answer_note,
        "transfer": made.transfer.uid if made.transfer_id else None,
    }


@router.post(
    "/referrals/{uid}/transfer-request",
    response={201: TransferRequestOut, **WRITE_ERRORS},
    summary="Ask the owner of a case referred to you to transfer it",
)
def transfer_request_create(request: ApiRequest, uid: Uid, payload: AnswerIn) -> Status:
    referral = selectors.referral_get(actor=request.auth, uid=uid)
    made = services.transfer_request_create(
        actor=request.auth, referral=referral, note=payload.note, request=request
    )
    return Status(201, _transfer_request_out(made))


@router.post(
    "/referrals/{uid}/transfer-request/accept",
    response={200: TransferRequestOut, **WRITE_ERRORS},
    summary="Accept the pending transfer request: transfer the case with consent and a profile",
)
def transfer_request_accept(request: ApiRequest, uid: Uid, payload: TransferAcceptIn) -> Any:
    actor = request.auth
    referral = selectors.referral_get(actor=actor, uid=uid)
    # The owner's own case, through its scoped selector; the other side has none to give.
    case = (
        case_get(actor=actor, uid=referral.case.uid)
        if referral.sender_id == actor.organisation_id
        else None
    )
    made = services.transfer_request_accept(
        actor=actor, referral=referral, case=case, request=request, **payload.model_dump()
    )
    return _transfer_request_out(made)


@router.post(
    "/referrals/{uid}/transfer-request/reject",
    response={200: TransferRequestOut, **WRITE_ERRORS},
    summary="Reject the pending transfer request",
)
def transfer_request_reject(request: ApiRequest, uid: Uid, payload: AnswerIn) -> Any:
    referral = selectors.referral_get(actor=request.auth, uid=uid)
    made = services.transfer_request_reject(
        actor=request.auth, referral=referral, note=payload.note, request=request
    )
    return _transfer_request_out(made)


@router.post(
    "/referrals/{uid}/revoke",
    response={200: ReferralOut, **WRITE_ERRORS},
    summary="Revoke a referral",
)
def referral_revoke(request: ApiRequest, uid: Uid) -> dict[str, Any]:
    return _answer(request, uid, services.referral_revoke)


# Operations -------------------------------------------------------------------------------


def _operation_out(actor: Membership, operation: Operation) -> dict[str, Any]:
    members = list(selectors.operation_members(operation=operation))
    cases = [row for row, shown in selectors.operation_cases(actor=actor, operation=operation)]
    shares = (
        [
            {
                "uid": s.uid,
                "partner": s.partner.name,
                "level": s.briefing.level,
                "created_at": s.created_at,
                "views": s.views,
            }
            for s in selectors.shares_before(operation=operation, moment=operation.closed_at)
        ]
        if operation.outcome == Outcome.SITE_EMPTY and operation.closed_at
        else None
    )
    return {
        "uid": operation.uid,
        "codename": operation.codename,
        "window_start": operation.window_start,
        "window_end": operation.window_end,
        "status": operation.status,
        "outcome": operation.outcome,
        "plan": operation.plan,
        "outcome_notes": operation.outcome_notes,
        "closed_at": operation.closed_at,
        "members": [m.user.username for m in members],
        "present": [m.user.username for m in members if m.was_present],
        "sites": [t.site.uid for t in selectors.operation_targets(operation=operation)],
        "cases": [row.case.reference for row in cases],
        "found": [row.case.reference for row in cases if row.was_found],
        "partners": [p.partner.name for p in selectors.operation_partners(operation=operation)],
        "shares_before": shares,
    }


@router.get(
    "/operations",
    response={200: OperationPageOut, **READ_ERRORS},
    summary="The operations the actor is a member of",
)
@requires("can_view_operations")
def operation_list(request: ApiRequest, paging: Query[PageIn]) -> dict[str, Any]:
    page = paginate(selectors.operation_list(actor=request.auth), paging)
    audit_listing(request, action="sharing.operation.listed", filters=[], count=len(page["items"]))
    return page


@router.post(
    "/operations", response={201: OperationOut, **WRITE_ERRORS}, summary="Open an operation"
)
@requires("can_plan_operations")
def operation_create(request: ApiRequest, payload: OperationIn) -> Status:
    actor = request.auth
    members = list(selectors.member_candidates(actor=actor).filter(user_id__in=payload.members))
    sites = list(visible_sites(actor=actor).filter(uid__in=payload.sites))
    cases = list(visible_cases(actor=actor).filter(uid__in=payload.cases))
    partners = list(selectors.visible_partners(actor=actor).filter(uid__in=payload.partners))
    missing = {
        "members": len(set(payload.members)) != len(members),
        "sites": len(set(payload.sites)) != len(sites),
        "cases": len(set(payload.cases)) != len(cases),
        "partners": len(set(payload.partners)) != len(partners),
    }
    bad = [name for name, is_missing in missing.items() if is_missing]
    if bad:
        raise ValidationError({name: [_("Not found among those you can choose.")] for name in bad})
    operation = services.operation_create(
        actor=actor,
        codename=payload.codename,
        window_start=payload.window_start,
        window_end=payload.window_end,
        members=members,
        sites=sites,
        cases=cases,
        partners=partners,
        plan=payload.plan,
        rendezvous_landmarks="\n".join(
            lm.replace("\n", " ") for lm in payload.rendezvous_landmarks
        ),
        request=request,
    )
    return Status(201, _operation_out(actor, operation))


@router.get(
    "/operations/{uid}", response={200: OperationOut, **READ_ERRORS}, summary="One operation"
)
def operation_detail(request: ApiRequest, uid: Uid) -> dict[str, Any]:
    operation = selectors.operation_get(actor=request.auth, uid=uid)
    out = _operation_out(request.auth, operation)
    audit_view(
        actor=request.auth.user,
        organisation=request.auth.organisation,
        obj=operation,
        request=request,
    )
    return out


@router.post(
    "/operations/{uid}/close",
    response={200: OperationOut, **WRITE_ERRORS},
    summary="Close an operation with its outcome, who was there and who was found",
)
def operation_close(request: ApiRequest, uid: Uid, payload: OperationCloseIn) -> dict[str, Any]:
    operation = selectors.operation_get(actor=request.auth, uid=uid)
    require(request.auth, "can_plan_operations")
    found = [
        row.case_id
        for row, _shown in selectors.operation_cases(actor=request.auth, operation=operation)
        if row.case.uid in set(payload.found)
    ]
    operation = services.operation_close(
        actor=request.auth,
        operation=operation,
        outcome=payload.outcome,
        present_user_ids=payload.present,
        found_case_ids=found,
        notes=payload.notes,
        request=request,
    )
    return _operation_out(request.auth, operation)


# Briefings, shares, links and the leak trace ----------------------------------------------


def _briefing_out(briefing: Briefing) -> dict[str, Any]:
    return {
        "uid": briefing.uid,
        "level": briefing.level,
        "status": briefing.status,
        "reveals_target_early": briefing.reveals_target_early,
        "created_at": briefing.created_at,
        "shares": [_share_out(s) for s in selectors.shares_of_briefing(briefing=briefing)],
    }


def _share_out(share: Share) -> dict[str, Any]:
    return {
        "uid": share.uid,
        "partner": share.partner.name,
        "variant": share.variant,
        "created_at": share.created_at,
        "link_expires_at": share.expires_at if share.link_digest else None,
        "max_views": share.max_views,
        "views": share.views,
        "revoked_at": share.revoked_at,
    }


def _brief(request: ApiRequest, payload: BriefingIn, **subject: Any) -> Status:
    partners = selectors.partners_by_uid(
        actor=request.auth, uids=[str(u) for u in payload.partners]
    )
    if len(partners) != len(set(payload.partners)):
        raise ValidationError({"partners": [_("Not found among your active partners.")]})
    briefing = briefings.briefing_create(
        actor=request.auth, level=payload.level, partners=partners, request=request, **subject
    )
    return Status(201, _briefing_out(briefing))


@router.post(
    "/operations/{uid}/briefings",
    response={201: BriefingOut, **WRITE_ERRORS},
    summary="Brief partners on an operation: one canary variant per recipient",
)
def briefing_operation(request: ApiRequest, uid: Uid, payload: BriefingIn) -> Status:
    operation = selectors.operation_get(actor=request.auth, uid=uid)
    require(request.auth, "can_brief_partners")
    return _brief(request, payload, operation=operation)


@router.post(
    "/cases/{uid}/briefings",
    response={201: BriefingOut, **WRITE_ERRORS},
    summary="Brief partners on a case: one canary variant per recipient",
)
def briefing_case(request: ApiRequest, uid: Uid, payload: BriefingIn) -> Status:
    case = case_get(actor=request.auth, uid=uid)
    require(request.auth, "can_brief_partners")
    return _brief(request, payload, case=case)


@router.get(
    "/briefings/{uid}",
    response={200: BriefingOut, **READ_ERRORS},
    summary="One briefing and its shares",
)
def briefing_detail(request: ApiRequest, uid: Uid) -> dict[str, Any]:
    briefing = selectors.briefing_get(actor=request.auth, uid=uid)
    audit_view(
        actor=request.auth.user,
        organisation=request.auth.organisation,
        obj=briefing,
        request=request,
    )
    return _briefing_out(briefing)


@router.post(
    "/briefings/{uid}/approve",
    response={200: BriefingOut, **WRITE_ERRORS},
    summary="Approve, as a second coordinator, a briefing that names a target before its window",
)
def briefing_approve(request: ApiRequest, uid: Uid) -> dict[str, Any]:
    briefing = selectors.briefing_get(actor=request.auth, uid=uid)
    return _briefing_out(
        briefings.briefing_approve(actor=request.auth, briefing=briefing, request=request)
    )


@router.get(
    "/shares/{uid}/text",
    response={200: ShareTextOut, **READ_ERRORS},
    summary="A recipient's variant as text (handed out: audited), with what distinguishes it",
)
def share_text(request: ApiRequest, uid: Uid) -> dict[str, Any]:
    share = selectors.share_get(actor=request.auth, uid=uid)
    try:
        body = briefings.share_deliver(
            actor=request.auth, share=share, form="file", request=request
        )
    except ValidationError:
        raise NotPermitted from None
    text = body.decode("utf-8") if isinstance(body, bytes) else ""
    return {"text": text, "marks": briefings.share_marks(share=share)}


@router.post(
    "/shares/{uid}/link",
    response={201: LinkOut, **WRITE_ERRORS},
    summary="Make (or replace) a share's time-limited link; its address is shown once",
)
def share_link(request: ApiRequest, uid: Uid, payload: LinkIn) -> Status:
    share = selectors.share_get(actor=request.auth, uid=uid)
    token = briefings.share_link_create(
        actor=request.auth, share=share, request=request, **payload.model_dump()
    )
    share.refresh_from_db()
    return Status(
        201,
        {
            "url": request.build_absolute_uri(f"/s/{token}/"),
            "expires_at": share.expires_at,
            "max_views": share.max_views,
        },
    )


@router.post(
    "/shares/{uid}/revoke",
    response={200: ShareOut, **WRITE_ERRORS},
    summary="Revoke a share and its link",
)
def share_revoke(request: ApiRequest, uid: Uid) -> dict[str, Any]:
    share = selectors.share_get(actor=request.auth, uid=uid)
    return _share_out(briefings.share_revoke(actor=request.auth, share=share, request=request))


@router.post(
    "/leaks/trace",
    response={200: list[SuspectOut], **WRITE_ERRORS},
    summary="Rank the recipients whose variant a leaked text matches, best first",
)
@requires("can_trace_leaks")
def leak_trace(request: ApiRequest, payload: TraceIn) -> list[dict[str, Any]]:
    suspects = briefings.trace_leak(actor=request.auth, text=payload.text, request=request)
    return _suspects_out(suspects)


@router.post(
    "/leaks/trace-image",
    response={200: list[SuspectOut], **WRITE_ERRORS},
    summary="Rank the recipients whose image mark a photo or screenshot carries, best first",
)
@requires("can_trace_leaks")
def leak_trace_image(
    request: ApiRequest,
    image: UploadedFile = File(...),  # noqa: B008
) -> list[dict[str, Any]]:
    # One byte past the limit is enough to refuse it; the rest is never read into memory.
    data = image.read(briefings.MAX_TRACE_IMAGE + 1)
    suspects = briefings.trace_leak(actor=request.auth, image=data, request=request)
    return _suspects_out(suspects)


def _suspects_out(suspects: list[briefings.Suspect]) -> list[dict[str, Any]]:
    return [
        {
            "share": s.share.uid,
            "briefing": s.share.briefing.uid,
            "partner": s.share.partner.name,
            "score": s.score,
            "matched": s.matched,
        }
        for s in suspects
    ]
