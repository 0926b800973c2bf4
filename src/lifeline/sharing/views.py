"""Pages of partners, referrals and operations. Briefings, shares, links and the leak trace
are in ``briefing_views``."""

import json
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lifeline.accounts.decorators import member_required
from lifeline.audit.services import audit_log, audit_view
from lifeline.cases.selectors import case_get, visible_cases
from lifeline.core.forms import add_service_errors
from lifeline.core.http import MemberRequest
from lifeline.sharing import selectors, services
from lifeline.sharing.forms import (
    AnswerForm,
    OperationAddForm,
    OperationCloseForm,
    OperationForm,
    PartnerEditForm,
    PartnerForm,
    ReferralForm,
    TransferAcceptForm,
)
from lifeline.sharing.models import OperationStatus, Outcome
from lifeline.sites.selectors import visible_sites


def _listed(request: MemberRequest, action: str, count: int) -> None:
    audit_log(
        actor=request.user,
        organisation=request.organisation,
        action=action,
        request=request,
        payload={"count": count},
    )


# Partners ---------------------------------------------------------------------------------


@member_required("can_manage_partners")
def partner_list(request: MemberRequest) -> HttpResponse:
    partners = list(selectors.partner_list(actor=request.membership, include_inactive=True))
    _listed(request, "sharing.partner.listed", len(partners))
    return render(request, "sharing/partner_list.html", {"partners": partners})


@member_required("can_manage_partners")
def partner_create(request: MemberRequest) -> HttpResponse:
    form = PartnerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            partner = services.partner_create(
                actor=request.membership, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The partner was added."))
            return redirect(partner)
    return render(
        request, "sharing/partner_form.html", {"form": form}, status=400 if form.is_bound else 200
    )


@member_required("can_manage_partners")
def partner_detail(request: MemberRequest, uid: str) -> HttpResponse:
    partner = selectors.partner_get(actor=request.membership, uid=uid)
    initial = {
        "name": partner.name,
        "kind": partner.kind,
        "country": str(partner.country or ""),
        "contact_name": partner.contact_name,
        "contact_details": partner.contact_details,
        "notes": partner.notes,
        "is_active": partner.is_active,
    }
    form = PartnerEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.partner_update(
                actor=request.membership, partner=partner, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The partner was saved."))
            return redirect(partner)
    if request.method == "GET":
        audit_view(
            actor=request.user, organisation=request.organisation, obj=partner, request=request
        )
    shares = (
        partner.shares.select_related("briefing")
        .defer("briefing__canary_set")
        .order_by("-created_at")[:50]
    )
    return render(
        request,
        "sharing/partner_detail.html",
        {"partner": partner, "form": form, "shares": shares},
        status=400 if form.is_bound else 200,
    )


# Referrals --------------------------------------------------------------------------------


@member_required("can_refer_cases")
def referral_list(request: MemberRequest) -> HttpResponse:
    actor = request.membership
    incoming = list(selectors.referral_list(actor=actor, direction="incoming")[:200])
    outgoing = list(selectors.referral_list(actor=actor, direction="outgoing")[:200])
    _listed(request, "sharing.referral.listed", len(incoming) + len(outgoing))
    return render(
        request, "sharing/referral_list.html", {"incoming": incoming, "outgoing": outgoing}
    )


@member_required("can_refer_cases")
def referral_create(request: MemberRequest, uid: str) -> HttpResponse:
    case = case_get(actor=request.membership, uid=uid)
    organisations = list(selectors.receiving_organisations(actor=request.membership))
    form = ReferralForm(request.POST or None, organisations=organisations)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        receiver_id = data.pop("receiver")
        receiver = next((o for o in organisations if str(o.pk) == receiver_id), None)
        try:
            referral = services.referral_create(
                actor=request.membership, case=case, receiver=receiver, request=request, **data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Sent. The other organisation sees only what you chose."))
            return redirect(referral)
    return render(
        request,
        "sharing/referral_form.html",
        {"form": form, "case": case},
        status=400 if form.is_bound else 200,
    )


@member_required("can_refer_cases")
def referral_detail(request: MemberRequest, uid: str) -> HttpResponse:
    referral = selectors.referral_get(actor=request.membership, uid=uid)
    return _referral_page(request, referral)


def _referral_page(
    request: MemberRequest, referral: Any, transfer_form: Any = None
) -> HttpResponse:
    incoming = referral.receiver_id == request.organisation.pk
    snapshot = json.loads(referral.snapshot) if referral.snapshot else None
    audit_view(
        actor=request.user,
        organisation=request.organisation,
        obj=referral,
        request=request,
        payload={"side": "receiver" if incoming else "sender"},
    )
    context: dict[str, Any] = {
        "referral": referral,
        "incoming": incoming,
        "snapshot": _snapshot_rows(snapshot) if snapshot else None,
        "form": AnswerForm(),
        # Its own ids: the accept form's note may be on the same page.
        "ask_form": AnswerForm(auto_id="transfer_%s"),
        "expired": referral.is_expired(),
        "transfer_requests": list(selectors.transfer_requests_of(referral=referral)),
        "transfer_form": transfer_form or TransferAcceptForm(),
    }
    context["pending_request"] = next(
        (t for t in context["transfer_requests"] if t.status == "pending"), None
    )
    return render(
        request,
        "sharing/referral_detail.html",
        context,
        status=400 if transfer_form is not None else 200,
    )


SNAPSHOT_LABELS = {
    "names": _("Names"),
    "age": _("Age"),
    "gender": _("Gender"),
    "citizenship": _("Citizenship"),
    "languages": _("Languages"),
    "codes": _("Case"),
    "last_known_location": _("Last known location"),
    "summary": _("Summary"),
    "contacts": _("Contacts"),
    "identifiers": _("Documents"),
}


def _snapshot_rows(snapshot: dict[str, Any]) -> list[tuple[str, str]]:
    def text(value: Any) -> str:
        if isinstance(value, dict):
            return "; ".join(f"{k}: {text(v)}" for k, v in value.items() if v not in ("", [], None))
        if isinstance(value, list):
            return "; ".join(
                text(v) if not isinstance(v, list) else " ".join(map(str, v)) for v in value
            )
        return str(value)

    return [(str(SNAPSHOT_LABELS.get(k, k)), text(v)) for k, v in snapshot.items()]


def _answer(request: MemberRequest, uid: str, action: Any, done: str) -> HttpResponse:
    referral = selectors.referral_get(actor=request.membership, uid=uid)
    form = AnswerForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        kwargs = {"note": note} if action is not services.referral_revoke else {}
        referral = action(actor=request.membership, referral=referral, request=request, **kwargs)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
        if referral.received_case_id and referral.receiver_id == request.organisation.pk:
            return redirect(referral.received_case)
    return redirect(referral)


@require_POST
@member_required("can_refer_cases")
def referral_accept(request: MemberRequest, uid: str) -> HttpResponse:
    return _answer(request, uid, services.referral_accept, _("Accepted: the case is now yours."))


@require_POST
@member_required("can_refer_cases")
def referral_reject(request: MemberRequest, uid: str) -> HttpResponse:
    return _answer(request, uid, services.referral_reject, _("Rejected."))


@require_POST
@member_required("can_refer_cases")
def referral_revoke(request: MemberRequest, uid: str) -> HttpResponse:
    return _answer(request, uid, services.referral_revoke, _("Revoked."))


# Transfer requests ------------------------------------------------------------------------


def _transfer_answer(request: MemberRequest, uid: str, action: Any, done: str) -> HttpResponse:
    referral = selectors.referral_get(actor=request.membership, uid=uid)
    form = AnswerForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    try:
        action(actor=request.membership, referral=referral, note=note, request=request)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, done)
    return redirect(referral)


@require_POST
@member_required("can_refer_cases")
def transfer_request_create(request: MemberRequest, uid: str) -> HttpResponse:
    return _transfer_answer(
        request, uid, services.transfer_request_create, _("Asked: the owner will answer.")
    )


@require_POST
@member_required("can_refer_cases")
def transfer_request_reject(request: MemberRequest, uid: str) -> HttpResponse:
    return _transfer_answer(request, uid, services.transfer_request_reject, _("Rejected."))


@require_POST
@member_required("can_refer_cases")
def transfer_request_accept(request: MemberRequest, uid: str) -> HttpResponse:
    """The owner accepts a transfer request with the transfer's consent and profile."""
    actor = request.membership
    referral = selectors.referral_get(actor=actor, uid=uid)
    form = TransferAcceptForm(request.POST)
    if form.is_valid():
        # The owner's own case, through its scoped selector; the other side has none to give.
        case = (
            case_get(actor=actor, uid=referral.case.uid)
            if referral.sender_id == actor.organisation_id
            else None
        )
        try:
            made = services.transfer_request_accept(
                actor=actor, referral=referral, case=case, request=request, **form.cleaned_data
            )
        except ValidationError as exc:
            if "__all__" in getattr(exc, "error_dict", {}) and len(exc.error_dict) == 1:
                for message in exc.messages:
                    messages.error(request, message)
                return redirect(referral)
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Transfer sent: the other organisation will answer."))
            return redirect(made.transfer or referral)
    return _referral_page(request, referral, transfer_form=form)


# Operations -------------------------------------------------------------------------------


def _operation_choices(actor: Any) -> dict[str, Any]:
    return {
        "members": [
            m for m in selectors.member_candidates(actor=actor) if m.user_id != actor.user_id
        ],
        "sites": list(visible_sites(actor=actor).order_by("name")[:500]),
        "partners": list(selectors.partner_list(actor=actor)),
    }


def _picked(actor: Any, data: dict[str, Any], choices: dict[str, Any]) -> dict[str, Any]:
    """The chosen objects, from the choices the actor was offered (already scoped)."""
    members = [m for m in choices["members"] if str(m.pk) in set(data.get("members") or [])]
    sites = [s for s in choices["sites"] if str(s.uid) in set(data.get("sites") or [])]
    partners = [p for p in choices["partners"] if str(p.uid) in set(data.get("partners") or [])]
    refs = data.get("cases") or []
    cases = list(visible_cases(actor=actor).filter(reference__in=refs)) if refs else []
    missing = sorted(set(refs) - {c.reference for c in cases})
    if missing:
        raise ValidationError(
            {
                "cases": [
                    _("No case you can see has the reference %(r)s.") % {"r": ", ".join(missing)}
                ]
            }
        )
    return {"members": members, "sites": sites, "partners": partners, "cases": cases}


@member_required("can_view_operations")
def operation_list(request: MemberRequest) -> HttpResponse:
    operations = list(selectors.operation_list(actor=request.membership))
    _listed(request, "sharing.operation.listed", len(operations))
    return render(request, "sharing/operation_list.html", {"operations": operations})


@member_required("can_plan_operations")
def operation_create(request: MemberRequest) -> HttpResponse:
    actor = request.membership
    choices = _operation_choices(actor)
    form = OperationForm(request.POST or None, **choices)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            picked = _picked(actor, data, choices)
            operation = services.operation_create(
                actor=actor,
                codename=data["codename"],
                window_start=data["window_start"],
                window_end=data["window_end"],
                plan=data["plan"],
                rendezvous_landmarks=data["rendezvous_landmarks"],
                request=request,
                **picked,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The operation was opened. Only its members see it."))
            return redirect(operation)
    return render(
        request, "sharing/operation_form.html", {"form": form}, status=400 if form.is_bound else 200
    )


def _operation_page(
    request: MemberRequest,
    operation: Any,
    *,
    add_form: Any = None,
    close_form: Any = None,
    status: int = 200,
) -> HttpResponse:
    actor = request.membership
    members = list(selectors.operation_members(operation=operation))
    cases = selectors.operation_cases(actor=actor, operation=operation)
    choices = _operation_choices(actor)
    context: dict[str, Any] = {
        "operation": operation,
        "members": members,
        "targets": list(selectors.operation_targets(operation=operation)),
        "cases": cases,
        "partners": list(selectors.operation_partners(operation=operation)),
        "briefings": list(selectors.briefings_of_operation(actor=actor, operation=operation))
        if actor.has("can_brief_partners")
        else [],
        "may_plan": actor.has("can_plan_operations")
        and operation.status == OperationStatus.PLANNING,
        "may_brief": actor.has("can_brief_partners")
        and operation.status == OperationStatus.PLANNING,
        "add_form": add_form or OperationAddForm(**choices),
        "close_form": close_form
        or OperationCloseForm(members=members, cases=[row for row, _shown in cases]),
    }
    if operation.outcome == Outcome.SITE_EMPTY and operation.closed_at:
        # Who was told what before the site was found empty: the leak's possible channels.
        context["shares_before"] = list(
            selectors.shares_before(operation=operation, moment=operation.closed_at)
        )
    audit_view(
        actor=request.user,
        organisation=request.organisation,
        obj=operation,
        request=request,
        payload={"case_ids": [row.case_id for row, shown in cases if shown]},
    )
    return render(request, "sharing/operation_detail.html", context, status=status)


@member_required("can_view_operations")
def operation_detail(request: MemberRequest, uid: str) -> HttpResponse:
    operation = selectors.operation_get(actor=request.membership, uid=uid)
    return _operation_page(request, operation)


@require_POST
@member_required("can_view_operations")
def operation_add(request: MemberRequest, uid: str) -> HttpResponse:
    actor = request.membership
    operation = selectors.operation_get(actor=actor, uid=uid)
    choices = _operation_choices(actor)
    form = OperationAddForm(request.POST, **choices)
    if form.is_valid():
        try:
            services.operation_add(
                actor=actor,
                operation=operation,
                request=request,
                **_picked(actor, form.cleaned_data, choices),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Added to the operation."))
            return redirect(operation)
    return _operation_page(request, operation, add_form=form, status=400)


@member_required("can_view_operations")
def operation_close(request: MemberRequest, uid: str) -> HttpResponse:
    actor = request.membership
    operation = selectors.operation_get(actor=actor, uid=uid)
    if request.method != "POST":
        return redirect(operation.get_absolute_url() + "#close")
    members = list(selectors.operation_members(operation=operation))
    cases = [row for row, _shown in selectors.operation_cases(actor=actor, operation=operation)]
    form = OperationCloseForm(request.POST, members=members, cases=cases)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.operation_close(
                actor=actor,
                operation=operation,
                outcome=data["outcome"],
                present_user_ids=[int(u) for u in data["present"]],
                found_case_ids=[int(c) for c in data["found"]],
                notes=data["notes"],
                request=request,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The operation was closed."))
            return redirect(operation)
    return _operation_page(request, operation, close_form=form, status=400)
