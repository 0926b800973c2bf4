"""Writes of partners, referrals and operations. Each one audits inside its transaction.

A refused attempt (revoking twice, accepting an expired referral, an operation without
members) changes nothing and is audited too, as ``sharing.<object>.refused`` with the reason's
code: the refusal is recorded after the transaction that found the problem has ended, so that
its rollback does not take the record with it.
"""

import datetime
import json
from collections.abc import Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from lifeline.accounts.models import Membership, Organisation
from lifeline.audit.services import audit_log
from lifeline.cases.models import Case, CaseAssignment, TimelineEvent, TimelineKind
from lifeline.cases.workflow import CaseStatus
from lifeline.core.errors import NotPermitted
from lifeline.core.tenancy import scope
from lifeline.sharing import redaction
from lifeline.sharing.models import (
    ConsentMethod,
    Operation,
    OperationCase,
    OperationMember,
    OperationPartner,
    OperationStatus,
    OperationTarget,
    Outcome,
    Partner,
    PartnerKind,
    Referral,
    ReferralKind,
    ReferralProfile,
    ReferralStatus,
    TransferRequest,
    TransferRequestStatus,
)

MAX_NAME = 200
MAX_SHORT = 1000
MAX_TEXT = 4000
REFERRAL_DAYS = 14
MAX_REFERRAL_DAYS = 90


def _audit(
    actor: Membership, action: str, obj: Any, request: HttpRequest | None, **payload: Any
) -> None:
    audit_log(
        actor=actor.user,
        organisation=actor.organisation,
        action=action,
        obj=obj,
        payload=payload,
        request=request,
    )


def _refuse(
    actor: Membership,
    action: str,
    obj: Any,
    request: HttpRequest | None,
    *,
    reason: str,
    field: str,
    message: str,
) -> ValidationError:
    """Audit a refused attempt (outside any rolled-back transaction) and return the error."""
    _audit(actor, action, obj, request, reason=reason)
    return ValidationError({field: [message]})


def _text(value: str, *, field: str, limit: int, required: str = "") -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise ValidationError({field: [_("At most %(n)d characters, please.") % {"n": limit}]})
    if required and not value:
        raise ValidationError({field: [required]})
    return value


def _utc(moment: datetime.datetime | None) -> datetime.datetime | None:
    """In UTC: an API client may send any offset, some of which PostgreSQL refuses to store."""
    if moment is None:
        return None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment.astimezone(datetime.UTC)


def _choice(value: str, *, choices: Any, field: str) -> str:
    if value not in choices.values:
        raise ValidationError({field: [_("Choose one of the options.")]})
    return value


# Partners ---------------------------------------------------------------------------------


def _partner_values(
    *, name: str, kind: str, country: str, contact_name: str, contact_details: str, notes: str
) -> dict[str, Any]:
    return {
        "name": _text(name, field="name", limit=MAX_NAME, required=_("Name the partner.")),
        "kind": _choice(kind, choices=PartnerKind, field="kind"),
        "country": (country or "").upper()[:2],
        "contact_name": _text(contact_name, field="contact_name", limit=MAX_NAME),
        "contact_details": _text(contact_details, field="contact_details", limit=MAX_SHORT),
        "notes": _text(notes, field="notes", limit=2000),
    }


@transaction.atomic
def partner_create(
    *,
    actor: Membership,
    name: str,
    kind: str,
    country: str = "",
    contact_name: str = "",
    contact_details: str = "",
    notes: str = "",
    request: HttpRequest | None = None,
) -> Partner:
    if not actor.has("can_manage_partners"):
        raise NotPermitted
    values = _partner_values(
        name=name,
        kind=kind,
        country=country,
        contact_name=contact_name,
        contact_details=contact_details,
        notes=notes,
    )
    partner = Partner.objects.create(
        organisation=actor.organisation, created_by=actor.user, **values
    )
    _audit(actor, "sharing.partner.created", partner, request, kind=partner.kind)
    return partner


@transaction.atomic
def partner_update(
    *,
    actor: Membership,
    partner: Partner,
    name: str,
    kind: str,
    country: str = "",
    contact_name: str = "",
    contact_details: str = "",
    notes: str = "",
    is_active: bool = True,
    request: HttpRequest | None = None,
) -> Partner:
    """Change a partner (from ``selectors.partner_get``); a partner is deactivated, never
    deleted, so that past shares keep naming who received them."""
    if not actor.has("can_manage_partners"):
        raise NotPermitted
    values = _partner_values(
        name=name,
        kind=kind,
        country=country,
        contact_name=contact_name,
        contact_details=contact_details,
        notes=notes,
    )
    changed = sorted(k for k, v in values.items() if getattr(partner, k) != v)
    if partner.is_active != is_active:
        changed.append("is_active")
    for key, value in values.items():
        setattr(partner, key, value)
    partner.is_active = is_active
    partner.updated_at = timezone.now()
    partner.save(update_fields=[*values, "is_active", "updated_at"])
    _audit(actor, "sharing.partner.changed", partner, request, fields=changed)
    return partner


# Referrals and transfers ------------------------------------------------------------------


def referral_create(
    *,
    actor: Membership,
    case: Case,
    receiver: Organisation | None,
    kind: str,
    profile: str,
    consent_given_by: str,
    consent_at: datetime.datetime | None,
    consent_method: str,
    reason: str = "",
    answer_within_days: int = REFERRAL_DAYS,
    request: HttpRequest | None = None,
) -> Referral:
    """Refer or transfer ``case`` (from a scoped selector) to another organisation.

    The victim's consent comes first: without who, when and how, nothing is sent. What the
    receiver will see is the redacted snapshot made now (``redaction.referral_snapshot``).
    """
    if not actor.has("can_refer_cases"):
        raise NotPermitted
    consent_at = _utc(consent_at)
    errors: dict[str, list[str]] = {}
    if receiver is None or receiver.pk == actor.organisation_id:
        errors["receiver"] = [_("Choose another organisation on this Lifeline.")]
    if kind not in ReferralKind.values:
        errors["kind"] = [_("Choose referral or transfer.")]
    if profile not in ReferralProfile.values:
        errors["profile"] = [_("Choose what is shared.")]
    if consent_method not in ConsentMethod.values:
        errors["consent_method"] = [_("Say how the person gave consent.")]
    if not (consent_given_by or "").strip():
        errors["consent_given_by"] = [_("Say who gave consent (the person, or who for them).")]
    elif len(consent_given_by) > MAX_NAME:
        errors["consent_given_by"] = [_("At most %(n)d characters, please.") % {"n": MAX_NAME}]
    if consent_at is None:
        errors["consent_at"] = [_("Say when consent was given.")]
    elif consent_at > timezone.now():
        errors["consent_at"] = [_("Consent cannot be given in the future.")]
    if not 1 <= answer_within_days <= MAX_REFERRAL_DAYS:
        errors["answer_within_days"] = [_("Between 1 and %(n)d days.") % {"n": MAX_REFERRAL_DAYS}]
    if len(reason or "") > MAX_SHORT:
        errors["reason"] = [_("At most %(n)d characters, please.") % {"n": MAX_SHORT}]
    if not errors and case.status == CaseStatus.CLOSED:
        errors["case"] = [_("A closed case cannot be referred.")]
    if errors or receiver is None or consent_at is None:
        _audit(
            actor,
            "sharing.referral.refused",
            case,
            request,
            reason="invalid",
            fields=sorted(errors),
        )
        raise ValidationError(errors)
    with transaction.atomic():
        pending = (
            kind == ReferralKind.TRANSFER
            and Referral.objects.filter(
                case=case, kind=ReferralKind.TRANSFER, status=ReferralStatus.PENDING
            ).exists()
        )
        if not pending:
            snapshot = redaction.referral_snapshot(redaction.gather_case(case), profile=profile)
            referral = Referral.objects.create(
                sender=actor.organisation,
                receiver=receiver,
                kind=kind,
                case=case,
                profile=profile,
                snapshot=json.dumps(snapshot, ensure_ascii=False),
                reason=(reason or "").strip(),
                consent_given_by=consent_given_by.strip(),
                consent_at=consent_at,
                consent_method=consent_method,
                expires_at=timezone.now() + datetime.timedelta(days=answer_within_days),
                created_by=actor.user,
            )
            TimelineEvent.objects.create(
                organisation=actor.organisation,
                case=case,
                kind=TimelineKind.NOTE,
                author=actor.user,
                body=_("%(kind)s to %(org)s sent (%(profile)s).")
                % {
                    "kind": referral.get_kind_display(),
                    "org": receiver.name,
                    "profile": referral.get_profile_display(),
                },
                data={"referral": str(referral.uid)},
            )
            _audit(
                actor,
                f"sharing.referral.{'transfer_sent' if kind == ReferralKind.TRANSFER else 'sent'}",
                referral,
                request,
                case_id=case.pk,
                receiver_id=receiver.pk,
                profile=profile,
                consent_method=consent_method,
            )
            return referral
    raise _refuse(
        actor,
        "sharing.referral.refused",
        case,
        request,
        reason="transfer_pending",
        field="kind",
        message=_("A transfer of this case is already waiting for an answer."),
    )


def _answer_problem(actor: Membership, referral: Referral, *, side: str) -> tuple[str, str] | None:
    """Why ``actor`` may not answer (side "receiver") or revoke (side "sender") now, or None."""
    org = actor.organisation_id
    if side == "receiver" and referral.receiver_id != org:
        return "not_receiver", _("Only the receiving organisation answers a referral.")
    if side == "sender" and referral.sender_id != org:
        return "not_sender", _("Only the sending organisation revokes a referral.")
    if referral.status == ReferralStatus.REVOKED:
        return "revoked", _("This referral was revoked by its sender.")
    if referral.status != ReferralStatus.PENDING:
        return "answered", _("This referral was already %(status)s.") % {
            "status": referral.get_status_display().lower()
        }
    if referral.is_expired():
        return "expired", _("This referral expired on %(when)s without an answer.") % {
            "when": timezone.localtime(referral.expires_at).strftime("%Y-%m-%d %H:%M")
        }
    return None


def _lock(referral: Referral) -> Referral:
    return (
        Referral.objects.select_for_update()
        .select_related("sender", "receiver")
        .get(pk=referral.pk)
    )


def referral_accept(
    *, actor: Membership, referral: Referral, note: str = "", request: HttpRequest | None = None
) -> Referral:
    """The receiver accepts: a case of its own opens from the snapshot (never from the
    sender's live case). A transfer also closes the sender's case: the sender keeps the record
    and its history for its coordinators, and its caseworkers stop working it."""
    if not actor.has("can_refer_cases"):
        raise NotPermitted
    note = _text(note, field="note", limit=MAX_SHORT)
    with transaction.atomic():
        current = _lock(referral)
        problem = _answer_problem(actor, current, side="receiver")
        if problem is None:
            received = _open_received_case(actor=actor, referral=current, request=request)
            now = timezone.now()
            current.status = ReferralStatus.ACCEPTED
            current.answered_by, current.answered_at = actor.user, now
            current.answer_note, current.received_case = note, received
            current.save(
                update_fields=[
                    "status", "answered_by", "answered_at", "answer_note", "received_case"
                ]
            )  # fmt: skip
            if current.kind == ReferralKind.TRANSFER:
                _close_transferred(referral=current)
            _audit(actor, "sharing.referral.accepted", current, request, case_id=received.pk)
            return current
    raise _refuse(
        actor, "sharing.referral.refused", referral, request,
        reason=problem[0], field="__all__", message=problem[1],
    )  # fmt: skip


def _open_received_case(
    *, actor: Membership, referral: Referral, request: HttpRequest | None
) -> Case:
    from lifeline.cases import services as case_services
    from lifeline.people.models import ContactKind, IdentifierKind
    from lifeline.people.services import ContactInput, IdentifierInput, NameInput, person_create

    data = json.loads(referral.snapshot or "{}")
    names = [NameInput(value=n) for n in data.get("names", []) if n] or [
        NameInput(value=_("Unnamed (referred)"))
    ]
    contacts = [
        ContactInput(kind=k if k in ContactKind.values else ContactKind.OTHER, value=v)
        for k, v in data.get("contacts", [])
    ]
    identifiers = [
        IdentifierInput(kind=k if k in IdentifierKind.values else IdentifierKind.OTHER, value=v)
        for k, v in data.get("identifiers", [])
    ]
    age = str(data.get("age") or "")
    person = person_create(
        actor=actor,
        names=names,
        age=int(age) if age.isdigit() else None,
        languages=data.get("languages", []),
        contacts=contacts,
        identifiers=identifiers,
        request=request,
    )
    req = case_services.request_create(
        actor=actor,
        channel="partner",
        reporter_relation="other",
        reporter_name=referral.sender.name,
        subject_name=names[0].value,
        location_text=data.get("last_known_location", "")[:500],
        text=data.get("summary", "") or _("Referred by %(org)s.") % {"org": referral.sender.name},
        request=request,
    )
    return case_services.request_open_case(actor=actor, req=req, person=person, request=request)


def _close_transferred(*, referral: Referral) -> None:
    with scope(organisation=referral.sender):
        case = Case.objects.select_for_update().get(pk=referral.case_id)
        from_status = case.status
        assignees = list(
            CaseAssignment.objects.filter(organisation=referral.sender, case=case).values_list(
                "user_id", flat=True
            )
        )
        CaseAssignment.objects.filter(organisation=referral.sender, case=case).delete()
        Case.objects.filter(pk=case.pk).update(
            status=CaseStatus.CLOSED,
            status_changed_at=timezone.now(),
            updated_at=timezone.now(),
            version=F("version") + 1,
        )
        TimelineEvent.objects.create(
            organisation=referral.sender,
            case=case,
            kind=TimelineKind.STATUS,
            body=_("Transferred to %(org)s, who accepted it.") % {"org": referral.receiver.name},
            data={
                "from": from_status,
                "to": CaseStatus.CLOSED,
                "referral": str(referral.uid),
                "unassigned": assignees,
            },
        )
        audit_log(
            actor=None,
            organisation=referral.sender,
            action="sharing.referral.transfer_closed_case",
            obj=case,
            payload={"referral_id": referral.pk, "from": from_status},
        )


def referral_reject(
    *, actor: Membership, referral: Referral, note: str = "", request: HttpRequest | None = None
) -> Referral:
    if not actor.has("can_refer_cases"):
        raise NotPermitted
    note = _text(note, field="note", limit=MAX_SHORT)
    with transaction.atomic():
        current = _lock(referral)
        problem = _answer_problem(actor, current, side="receiver")
        if problem is None:
            current.status = ReferralStatus.REJECTED
            current.answered_by, current.answered_at = actor.user, timezone.now()
            current.answer_note = note
            current.save(update_fields=["status", "answered_by", "answered_at", "answer_note"])
            _audit(actor, "sharing.referral.rejected", current, request)
            return current
    raise _refuse(
        actor, "sharing.referral.refused", referral, request,
        reason=problem[0], field="__all__", message=problem[1],
    )  # fmt: skip


def referral_revoke(
    *, actor: Membership, referral: Referral, request: HttpRequest | None = None
) -> Referral:
    """The sender takes a referral back before it is answered; its snapshot is emptied, so
    the receiver keeps no copy of what it was never given."""
    if not actor.has("can_refer_cases"):
        raise NotPermitted
    with transaction.atomic():
        current = _lock(referral)
        problem = _answer_problem(actor, current, side="sender")
        if problem is not None and problem[0] == "expired":
            problem = None  # an expired referral may still be revoked: it empties the snapshot
        if problem is None:
            current.status = ReferralStatus.REVOKED
            current.answered_by, current.answered_at = actor.user, timezone.now()
            current.snapshot = ""
            current.save(update_fields=["status", "answered_by", "answered_at", "snapshot"])
            _audit(actor, "sharing.referral.revoked", current, request)
            return current
    raise _refuse(
        actor, "sharing.referral.refused", referral, request,
        reason=problem[0], field="__all__", message=problem[1],
    )  # fmt: skip


# Transfer requests (Primero): the receiver of a referral asks its owner for the case -------


def _pending_request(referral: Referral) -> TransferRequest | None:
    return (
        TransferRequest.objects.select_for_update()
        .filter(referral=referral, status=TransferRequestStatus.PENDING)
        .first()
    )


def transfer_request_create(
    *, actor: Membership, referral: Referral, note: str = "", request: HttpRequest | None = None
) -> TransferRequest:
    """The organisation a case was referred to asks the owner to transfer it."""
    if not actor.has("can_refer_cases"):
        raise NotPermitted
    note = _text(note, field="note", limit=MAX_SHORT)
    with transaction.atomic():
        current = _lock(referral)
        problem: tuple[str, str] | None = None
        if current.receiver_id != actor.organisation_id:
            problem = "not_receiver", _("Only the organisation a case was referred to asks for it.")
        elif current.kind != ReferralKind.REFER:
            problem = "transfer", _("This is a transfer already.")
        elif current.status not in (ReferralStatus.PENDING, ReferralStatus.ACCEPTED):
            problem = (
                "closed",
                _("This referral was %(status)s: there is nothing to ask for.")
                % {"status": current.get_status_display().lower()},
            )
        elif _pending_request(current) is not None:
            problem = "pending", _("A transfer request is already waiting for an answer.")
        if problem is None:
            made = TransferRequest.objects.create(
                referral=current, note=note, requested_by=actor.user
            )
            _audit(actor, "sharing.transfer_request.made", made, request, referral_id=current.pk)
            return made
    raise _refuse(
        actor, "sharing.transfer_request.refused", referral, request,
        reason=problem[0], field="__all__", message=problem[1],
    )  # fmt: skip


def _owner_problem(actor: Membership, referral: Referral) -> tuple[str, str] | None:
    if referral.sender_id != actor.organisation_id:
        return "not_sender", _("Only the organisation that owns the case answers its request.")
    if _pending_request(referral) is None:
        return "none_pending", _("No transfer request is waiting for an answer.")
    return None


def transfer_request_accept(
    *,
    actor: Membership,
    referral: Referral,
    case: Case | None,
    profile: str,
    consent_given_by: str,
    consent_at: datetime.datetime | None,
    consent_method: str,
    reason: str = "",
    answer_within_days: int = REFERRAL_DAYS,
    request: HttpRequest | None = None,
) -> TransferRequest:
    """The owner accepts: a transfer of ``case`` (the referred case, from a scoped selector)
    goes to the requester through the usual consent and profile, and the request names it."""
    if not actor.has("can_refer_cases"):
        raise NotPermitted
    problem = None
    try:
        with transaction.atomic():
            problem = _owner_problem(actor, referral)
            if problem is None and (case is None or case.pk != referral.case_id):
                problem = "case", _("This case is not the one that was referred.")
            pending = _pending_request(referral) if problem is None else None
            if pending is not None and case is not None:
                # A refused transfer (no consent, a closed case) is audited by referral_create and
                # raises: the request stays pending, nothing changes.
                transfer = referral_create(
                    actor=actor, case=case, receiver=referral.receiver, kind=ReferralKind.TRANSFER,
                    profile=profile, consent_given_by=consent_given_by, consent_at=consent_at,
                    consent_method=consent_method, reason=reason,
                    answer_within_days=answer_within_days, request=request,
                )  # fmt: skip
                pending.status = TransferRequestStatus.ACCEPTED
                pending.answered_by, pending.answered_at = actor.user, timezone.now()
                pending.transfer = transfer
                pending.save(update_fields=["status", "answered_by", "answered_at", "transfer"])
                _audit(
                    actor, "sharing.transfer_request.accepted", pending, request,
                    transfer_id=transfer.pk,
                )  # fmt: skip
                return pending
    except ValidationError:
        # The transfer was refused (its refusal rolled back with it): record the attempt here.
        _audit(actor, "sharing.transfer_request.refused", referral, request, reason="invalid")
        raise
    problem = problem or ("none_pending", _("No transfer request is waiting for an answer."))
    raise _refuse(
        actor, "sharing.transfer_request.refused", referral, request,
        reason=problem[0], field="__all__", message=problem[1],
    )  # fmt: skip


def transfer_request_reject(
    *, actor: Membership, referral: Referral, note: str = "", request: HttpRequest | None = None
) -> TransferRequest:
    if not actor.has("can_refer_cases"):
        raise NotPermitted
    note = _text(note, field="note", limit=MAX_SHORT)
    with transaction.atomic():
        problem = _owner_problem(actor, referral)
        pending = _pending_request(referral) if problem is None else None
        if pending is not None:
            pending.status = TransferRequestStatus.REJECTED
            pending.answered_by, pending.answered_at = actor.user, timezone.now()
            pending.answer_note = note
            pending.save(update_fields=["status", "answered_by", "answered_at", "answer_note"])
            _audit(actor, "sharing.transfer_request.rejected", pending, request)
            return pending
    problem = problem or ("none_pending", _("No transfer request is waiting for an answer."))
    raise _refuse(
        actor, "sharing.transfer_request.refused", referral, request,
        reason=problem[0], field="__all__", message=problem[1],
    )  # fmt: skip


# Operations -------------------------------------------------------------------------------


def operation_create(
    *,
    actor: Membership,
    codename: str,
    window_start: datetime.datetime | None,
    window_end: datetime.datetime | None,
    members: Sequence[Membership],
    sites: Sequence[Any] = (),
    cases: Sequence[Case] = (),
    partners: Sequence[Partner] = (),
    plan: str = "",
    rendezvous_landmarks: str = "",
    request: HttpRequest | None = None,
) -> Operation:
    """Open an operation. ``members``, ``sites``, ``cases`` and ``partners`` come from scoped
    selectors; the creator is always a member (else they would lose sight of it at once)."""
    if not actor.has("can_plan_operations"):
        raise NotPermitted
    window_start, window_end = _utc(window_start), _utc(window_end)
    errors: dict[str, list[str]] = {}
    codename = (codename or "").strip()
    if not codename:
        errors["codename"] = [_("Give the operation a code name.")]
    elif len(codename) > 80:
        errors["codename"] = [_("At most %(n)d characters, please.") % {"n": 80}]
    if window_start is None or window_end is None:
        errors["window_start"] = [_("Enter when the window opens and closes.")]
    elif window_end <= window_start:
        errors["window_end"] = [_("The window must close after it opens.")]
    others = [m for m in members if m.user_id != actor.user_id]
    if not others:
        errors["members"] = [_("Choose at least one other member: an operation needs a team.")]
    if any(m.organisation_id != actor.organisation_id for m in members):
        errors["members"] = [_("Choose members of your organisation.")]
    if len(plan or "") > MAX_TEXT:
        errors["plan"] = [_("At most %(n)d characters, please.") % {"n": MAX_TEXT}]
    if len(rendezvous_landmarks or "") > MAX_SHORT:
        errors["rendezvous_landmarks"] = [_("At most %(n)d characters, please.") % {"n": MAX_SHORT}]
    if errors:
        _audit(
            actor,
            "sharing.operation.refused",
            None,
            request,
            reason="invalid",
            fields=sorted(errors),
        )
        raise ValidationError(errors)
    if window_start is None or window_end is None:
        raise ValidationError({"window_start": [_("Enter when the window opens and closes.")]})
    with transaction.atomic():
        operation = Operation.objects.create(
            organisation=actor.organisation,
            codename=codename,
            plan=(plan or "").strip(),
            rendezvous_landmarks=(rendezvous_landmarks or "").strip(),
            window_start=window_start,
            window_end=window_end,
            created_by=actor.user,
        )
        org = actor.organisation
        users = {actor.user_id, *(m.user_id for m in members)}
        OperationMember.objects.bulk_create(
            OperationMember(organisation=org, operation=operation, user_id=u) for u in sorted(users)
        )
        OperationTarget.objects.bulk_create(
            OperationTarget(organisation=org, operation=operation, site=s)
            for s in {s.pk: s for s in sites}.values()
        )
        OperationCase.objects.bulk_create(
            OperationCase(organisation=org, operation=operation, case=c)
            for c in {c.pk: c for c in cases}.values()
        )
        OperationPartner.objects.bulk_create(
            OperationPartner(organisation=org, operation=operation, partner=p)
            for p in {p.pk: p for p in partners}.values()
        )
        _audit(
            actor,
            "sharing.operation.created",
            operation,
            request,
            member_ids=sorted(users),
            site_ids=sorted(s.pk for s in sites),
            case_ids=sorted(c.pk for c in cases),
            partner_ids=sorted(p.pk for p in partners),
        )
        return operation


@transaction.atomic
def operation_add(
    *,
    actor: Membership,
    operation: Operation,
    members: Sequence[Membership] = (),
    sites: Sequence[Any] = (),
    cases: Sequence[Case] = (),
    partners: Sequence[Partner] = (),
    request: HttpRequest | None = None,
) -> Operation:
    """Add members, targets, cases or partners to an open operation (from scoped selectors)."""
    if not actor.has("can_plan_operations"):
        raise NotPermitted
    if operation.status == OperationStatus.CLOSED:
        raise ValidationError({"__all__": [_("This operation is closed.")]})
    org = actor.organisation
    OperationMember.objects.bulk_create(
        [
            OperationMember(organisation=org, operation=operation, user_id=m.user_id)
            for m in members
        ],
        ignore_conflicts=True,
    )
    OperationTarget.objects.bulk_create(
        [OperationTarget(organisation=org, operation=operation, site=s) for s in sites],
        ignore_conflicts=True,
    )
    OperationCase.objects.bulk_create(
        [OperationCase(organisation=org, operation=operation, case=c) for c in cases],
        ignore_conflicts=True,
    )
    OperationPartner.objects.bulk_create(
        [OperationPartner(organisation=org, operation=operation, partner=p) for p in partners],
        ignore_conflicts=True,
    )
    _audit(
        actor,
        "sharing.operation.changed",
        operation,
        request,
        member_ids=sorted(m.user_id for m in members),
        site_ids=sorted(s.pk for s in sites),
        case_ids=sorted(c.pk for c in cases),
        partner_ids=sorted(p.pk for p in partners),
    )
    return operation


def operation_close(
    *,
    actor: Membership,
    operation: Operation,
    outcome: str,
    present_user_ids: Sequence[int] = (),
    found_case_ids: Sequence[int] = (),
    notes: str = "",
    request: HttpRequest | None = None,
) -> Operation:
    """Record how the operation ended: the outcome, who was there, who was found."""
    if not actor.has("can_plan_operations"):
        raise NotPermitted
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": [_("Choose the outcome.")]})
    notes = _text(notes, field="notes", limit=MAX_TEXT)
    with transaction.atomic():
        current = Operation.objects.select_for_update().get(pk=operation.pk)
        if current.status != OperationStatus.CLOSED:
            org = actor.organisation_id
            members = OperationMember.objects.filter(organisation_id=org, operation=current)
            present = set(
                members.filter(user_id__in=list(present_user_ids)).values_list("user_id", flat=True)
            )
            members.filter(user_id__in=present).update(was_present=True)
            rows = OperationCase.objects.filter(organisation_id=org, operation=current)
            found = set(
                rows.filter(case_id__in=list(found_case_ids)).values_list("case_id", flat=True)
            )
            rows.filter(case_id__in=found).update(was_found=True)
            current.status, current.outcome, current.outcome_notes = (
                OperationStatus.CLOSED,
                outcome,
                notes,
            )
            current.closed_at, current.closed_by = timezone.now(), actor.user
            current.save(
                update_fields=["status", "outcome", "outcome_notes", "closed_at", "closed_by"]
            )
            _audit(
                actor,
                "sharing.operation.closed",
                current,
                request,
                outcome=outcome,
                present_user_ids=sorted(present),
                found_case_ids=sorted(found),
            )
            return current
    raise _refuse(
        actor, "sharing.operation.refused", operation, request,
        reason="closed", field="__all__", message=_("This operation was already closed."),
    )  # fmt: skip
