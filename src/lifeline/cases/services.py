"""Writes of requests and cases: triage, workflow moves, urgency, context, assignment and the
timeline. Each service validates before writing, owns its transaction, and records the change
in the audit log (codes and ids only) inside that transaction."""

import datetime
from collections.abc import Callable, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from lifeline.accounts.models import Membership, Organisation
from lifeline.audit.services import audit_log
from lifeline.cases.models import (
    Case,
    CaseAssignment,
    CaseSearchToken,
    Channel,
    RejectionReason,
    ReporterRelation,
    Request,
    RequestStatus,
    TimelineEvent,
    TimelineKind,
)
from lifeline.cases.workflow import CaseStatus, Urgency, UrgencyReason, can_move, suggested_urgency
from lifeline.core.errors import ConflictError, NotPermitted
from lifeline.core.textsearch import text_digests
from lifeline.core.vocabularies import (
    MethodOfControl,
    MethodOfRecruitment,
    RecruitmentApp,
    RelationshipToTrafficker,
    StatusDecidedBy,
    TraffickingStatus,
    TypeOfExploitation,
)
from lifeline.intake.checkins import checkins_to_timeline
from lifeline.people import indexing
from lifeline.people.models import Person
from lifeline.people.services import (
    ContactInput,
    NameInput,
    clean_contact,
    person_create,
    split_names,
)
from lifeline.sites.counters import recounting
from lifeline.sites.mentions import request_link_sites

MAX_TEXT = 20_000
MAX_SHORT = 500


def _check_length(value: str, *, field: str, limit: int) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise ValidationError(
            {field: [_("This text is too long: at most %(n)d characters.") % {"n": limit}]}
        )
    return value


def _check_choices(values: Sequence[str], *, allowed: Sequence[str], field: str) -> list[str]:
    unknown = [value for value in values if value not in allowed]
    if unknown:
        raise ValidationError(
            {field: [_("Unknown value: %(v)s.") % {"v": ", ".join(map(str, unknown))}]}
        )
    return list(dict.fromkeys(values))  # keep order, drop repeats


def _check_choice(value: str, *, allowed: Sequence[str], field: str, blank: bool = True) -> str:
    if (value == "" and blank) or value in allowed:
        return value
    raise ValidationError({field: [_("Unknown value: %(v)s.") % {"v": value}]})


EARLIEST = datetime.datetime(1900, 1, 1, tzinfo=datetime.UTC)


def _check_not_future(moment: datetime.datetime, *, field: str) -> datetime.datetime:
    if timezone.is_naive(moment):
        raise ValidationError({field: [_("Give the time with its time zone.")]})
    if moment > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError({field: [_("This cannot be in the future.")]})
    if moment < EARLIEST:
        raise ValidationError({field: [_("Give a time after 1900.")]})
    # Stored in UTC: PostgreSQL refuses offsets beyond ±15:59, which clients can send.
    return moment.astimezone(datetime.UTC)


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


def _index_text(case: Case, *texts: str) -> None:
    digests = set()
    for text in texts:
        if text:
            digests |= text_digests(text)
    existing = set(CaseSearchToken.objects.filter(case=case).values_list("digest", flat=True))
    CaseSearchToken.objects.bulk_create(
        CaseSearchToken(organisation_id=case.organisation_id, case=case, digest=digest)
        for digest in sorted(digests - existing)
    )


# Requests ---------------------------------------------------------------------------------


def _request_values(
    *,
    org: Organisation,
    channel: str,
    reporter_relation: str,
    language: str,
    reporter_name: str,
    reporter_contact_kind: str,
    reporter_contact: str,
    subject_name: str,
    subject_contact_kind: str,
    subject_contact: str,
    location_text: str,
    text: str,
    danger_signs: Sequence[str],
    received_at: datetime.datetime | None,
) -> dict[str, Any]:
    values: dict[str, Any] = {
        "channel": _check_choice(channel, allowed=Channel.values, field="channel", blank=False),
        "reporter_relation": _check_choice(
            reporter_relation,
            allowed=ReporterRelation.values,
            field="reporter_relation",
            blank=False,
        ),
        "language": _check_length(language, field="language", limit=12),
        "reporter_name": _check_length(reporter_name, field="reporter_name", limit=MAX_SHORT),
        "subject_name": _check_length(subject_name, field="subject_name", limit=MAX_SHORT),
        "location_text": _check_length(location_text, field="location_text", limit=MAX_SHORT),
        "text": _check_length(text, field="text", limit=MAX_TEXT),
        "danger_signs": _check_choices(
            danger_signs, allowed=UrgencyReason.values, field="danger_signs"
        ),
        "received_at": _check_not_future(received_at or timezone.now(), field="received_at"),
    }
    contacts = {
        "reporter": (reporter_contact_kind, reporter_contact),
        "subject": (subject_contact_kind, subject_contact),
    }
    for prefix, (kind, raw) in contacts.items():
        if (raw or "").strip():
            normalised = clean_contact(kind, raw, organisation=org, field=f"{prefix}_contact")
            values[f"{prefix}_contact_kind"], values[f"{prefix}_contact"] = kind, normalised
            if prefix == "subject":
                values["subject_contact_index"] = indexing.contact_digest(kind, normalised)
    if not (values["subject_name"] or values.get("subject_contact") or values["text"]):
        raise ValidationError(
            {"text": [_("Write what is happening, or give the person's name or contact.")]}
        )
    return values


@transaction.atomic
def request_create(
    *,
    actor: Membership,
    channel: str,
    reporter_relation: str,
    language: str = "",
    reporter_name: str = "",
    reporter_contact_kind: str = "",
    reporter_contact: str = "",
    subject_name: str = "",
    subject_contact_kind: str = "",
    subject_contact: str = "",
    location_text: str = "",
    text: str = "",
    danger_signs: Sequence[str] = (),
    urgency: int | None = None,
    received_at: datetime.datetime | None = None,
    request: HttpRequest | None = None,
) -> Request:
    """Record one incoming ask for help. Urgency defaults to the one the danger signs suggest."""
    if not actor.has("can_create_requests"):
        raise NotPermitted
    values = _request_values(
        org=actor.organisation,
        channel=channel,
        reporter_relation=reporter_relation,
        language=language,
        reporter_name=reporter_name,
        reporter_contact_kind=reporter_contact_kind,
        reporter_contact=reporter_contact,
        subject_name=subject_name,
        subject_contact_kind=subject_contact_kind,
        subject_contact=subject_contact,
        location_text=location_text,
        text=text,
        danger_signs=danger_signs,
        received_at=received_at,
    )
    if urgency is not None and urgency not in Urgency.values:
        raise ValidationError({"urgency": [_("Choose critical, high or normal.")]})
    req = Request.objects.create(
        organisation=actor.organisation,
        urgency=urgency if urgency is not None else suggested_urgency(values["danger_signs"]),
        created_by=actor.user,
        **values,
    )
    request_link_sites(req=req)  # for the map's requests per site
    _audit(actor, "cases.request.created", req, request, channel=req.channel, urgency=req.urgency)
    return req


def request_check(
    *,
    organisation: Organisation,
    channel: str,
    reporter_relation: str,
    language: str = "",
    subject_name: str = "",
    subject_contact_kind: str = "",
    subject_contact: str = "",
    location_text: str = "",
    text: str = "",
    danger_signs: Sequence[str] = (),
) -> None:
    """Raise ``ValidationError`` if ``request_receive`` would refuse these values; write nothing.
    The public intake checks a submission with it before acknowledging it, and makes the
    request later (lifeline.intake.inbox)."""
    _request_values(
        org=organisation,
        channel=channel,
        reporter_relation=reporter_relation,
        language=language,
        reporter_name="",
        reporter_contact_kind="",
        reporter_contact="",
        subject_name=subject_name,
        subject_contact_kind=subject_contact_kind,
        subject_contact=subject_contact,
        location_text=location_text,
        text=text,
        danger_signs=danger_signs,
        received_at=None,
    )


@transaction.atomic
def request_receive(
    *,
    organisation: Organisation,
    channel: str,
    reporter_relation: str,
    language: str = "",
    subject_name: str = "",
    subject_contact_kind: str = "",
    subject_contact: str = "",
    location_text: str = "",
    text: str = "",
    danger_signs: Sequence[str] = (),
    urgency: int | None = None,
    source: str = "public",
    received_at: datetime.datetime | None = None,
    request: HttpRequest | None = None,
) -> Request:
    """Record an ask for help that arrived with no member behind it: the public SOS page or an
    organisation's messaging bridge (lifeline.intake). The caller has established which
    organisation it is for; the same checks as ``request_create`` apply, and the audit entry
    ``cases.request.received`` names the ``source`` code instead of an actor. ``received_at``
    is when the sender was told it was received, if earlier than now."""
    values = _request_values(
        org=organisation,
        channel=channel,
        reporter_relation=reporter_relation,
        language=language,
        reporter_name="",
        reporter_contact_kind="",
        reporter_contact="",
        subject_name=subject_name,
        subject_contact_kind=subject_contact_kind,
        subject_contact=subject_contact,
        location_text=location_text,
        text=text,
        danger_signs=danger_signs,
        received_at=received_at,
    )
    suggested = suggested_urgency(values["danger_signs"])
    req = Request.objects.create(
        organisation=organisation,
        urgency=max(suggested, urgency) if urgency is not None else suggested,
        **values,
    )
    request_link_sites(req=req)  # for the map's requests per site
    audit_log(
        actor=None,
        organisation=organisation,
        action="cases.request.received",
        obj=req,
        payload={"channel": req.channel, "urgency": req.urgency, "source": source},
        request=request,
        session_ref="",
    )
    return req


def _lock_request(req: Request) -> Request:
    locked = Request.objects.select_for_update().get(pk=req.pk)
    if locked.status != RequestStatus.NEW:
        raise ConflictError(_("This request has already been triaged by someone else."))
    return locked


@transaction.atomic
def request_reject(
    *, actor: Membership, req: Request, reason: str, request: HttpRequest | None = None
) -> Request:
    if not actor.has("can_triage_requests"):
        raise NotPermitted
    reason = _check_choice(reason, allowed=RejectionReason.values, field="reason", blank=False)
    req = _lock_request(req)
    req.status, req.rejection_reason = RequestStatus.REJECTED, reason
    req.triaged_by, req.triaged_at = actor.user, timezone.now()
    req.save(update_fields=["status", "rejection_reason", "triaged_by", "triaged_at"])
    _audit(actor, "cases.request.rejected", req, request, reason=reason)
    return req


# What a whole page of the queue may be dismissed as at once: only noise, never a judgement
# about a real person's situation.
DISMISS_REASONS = (RejectionReason.SPAM, RejectionReason.TEST)


@transaction.atomic
def request_dismiss(
    *,
    actor: Membership,
    reqs: Sequence[Request],
    reason: str,
    request: HttpRequest | None = None,
) -> int:
    """Reject several new requests at once as spam or test submissions; ``reqs`` come from
    ``selectors.requests_by_uid``. Each keeps its row and gets its own ``cases.request.rejected``
    audit entry (marked ``bulk``): nothing is deleted. Requests someone else triaged meanwhile
    are left alone. Returns how many were dismissed."""
    if not actor.has("can_triage_requests"):
        raise NotPermitted
    reason = _check_choice(reason, allowed=DISMISS_REASONS, field="reason", blank=False)
    now = timezone.now()
    dismissed = 0
    for req in Request.objects.select_for_update().filter(
        organisation=actor.organisation,
        pk__in=[req.pk for req in reqs],
        status=RequestStatus.NEW,
    ):
        req.status, req.rejection_reason = RequestStatus.REJECTED, reason
        req.triaged_by, req.triaged_at = actor.user, now
        req.save(update_fields=["status", "rejection_reason", "triaged_by", "triaged_at"])
        _audit(actor, "cases.request.rejected", req, request, reason=reason, bulk=True)
        dismissed += 1
    return dismissed


def _next_reference(org: Organisation) -> str:
    # The organisation row is the counter's lock, so two coordinators never get the same number.
    Organisation.objects.filter(pk=org.pk).update(case_counter=F("case_counter") + 1)
    number = Organisation.objects.values_list("case_counter", flat=True).get(pk=org.pk)
    return f"{org.case_prefix}-{timezone.localdate().year}-{number:05d}"


@transaction.atomic
def request_open_case(
    *,
    actor: Membership,
    req: Request,
    person: Person | None = None,
    extra_names: Sequence[str] = (),
    request: HttpRequest | None = None,
) -> Case:
    """Turn a request into a case for ``person``, or for a new person made from the request.

    ``person`` must come from a scoped selector (people.selectors.person_get).
    """
    if not actor.has("can_triage_requests"):
        raise NotPermitted
    req = _lock_request(req)
    if person is not None and person.organisation_id != actor.organisation_id:
        raise ValidationError({"person": [_("Choose a person from the suggestions.")]})
    if person is None:
        names = [
            NameInput(value=value)
            for text in [req.subject_name, *extra_names]
            for value in split_names(text)
        ]
        if not names:
            raise ValidationError(
                {"names": [_("The request has no name: enter at least a nickname.")]}
            )
        contacts = (
            [ContactInput(kind=req.subject_contact_kind, value=req.subject_contact)]
            if req.subject_contact
            else []
        )
        person = person_create(actor=actor, names=names, contacts=contacts, request=request)
    now = timezone.now()
    # A known person may be last known at a site: its count of active cases grows.
    with recounting(person_ids=[person.pk]):
        case = Case.objects.create(
            organisation=actor.organisation,
            reference=_next_reference(actor.organisation),
            person=person,
            urgency=req.urgency,
            urgency_reasons=list(req.danger_signs),
            summary=req.text,
            last_known_location=req.location_text,
            created_by=actor.user,
            updated_by=actor.user,
            created_at=now,
            updated_at=now,
            status_changed_at=now,
        )
    TimelineEvent.objects.create(
        organisation=actor.organisation,
        case=case,
        kind=TimelineKind.CREATED,
        occurred_at=req.received_at,
        author=actor.user,
        channel=req.channel,
        location=req.location_text,
        data={"request": str(req.uid), "status": CaseStatus.REPORTED},
    )
    _index_text(case, req.text, req.location_text)
    req.status, req.case = RequestStatus.CONVERTED, case
    req.triaged_by, req.triaged_at = actor.user, now
    req.save(update_fields=["status", "case", "triaged_by", "triaged_at"])
    checkins_to_timeline(req=req, case=case)
    _audit(actor, "cases.case.created", case, request, request_id=req.pk, person_id=person.pk)
    _audit(actor, "cases.request.converted", req, request, case_id=case.pk)
    return case


@transaction.atomic
def request_attach_to_case(
    *, actor: Membership, req: Request, case: Case, request: HttpRequest | None = None
) -> Case:
    """A further report about an existing case: it joins the case's timeline."""
    if not actor.has("can_triage_requests"):
        raise NotPermitted
    req = _lock_request(req)
    if case.organisation_id != actor.organisation_id:
        raise ValidationError({"case": [_("Choose a case from the suggestions.")]})
    TimelineEvent.objects.create(
        organisation=actor.organisation,
        case=case,
        kind=TimelineKind.CONTACT,
        occurred_at=req.received_at,
        author=actor.user,
        channel=req.channel,
        body=req.text,
        location=req.location_text,
        data={"request": str(req.uid)},
    )
    _index_text(case, req.text, req.location_text)
    req.status, req.case = RequestStatus.CONVERTED, case
    req.triaged_by, req.triaged_at = actor.user, timezone.now()
    req.save(update_fields=["status", "case", "triaged_by", "triaged_at"])
    checkins_to_timeline(req=req, case=case)
    _audit(actor, "cases.request.attached", req, request, case_id=case.pk)
    return case


# Cases ------------------------------------------------------------------------------------

CONTEXT_FIELDS = {
    "summary",
    "last_known_location",
    "exploitation_types",
    "methods_of_control",
    "recruitment_method",
    "recruitment_apps",
    "relationship_to_trafficker",
    "trafficking_status",
    "trafficking_status_decided_by",
}


def _require_work(actor: Membership, case: Case) -> None:
    # ``case`` came from a scoped selector, so the actor can see it; working it is a separate right.
    if not actor.has("can_work_cases"):
        raise NotPermitted


def _conflict(case: Case, values: dict[str, Any]) -> ConflictError:
    """The refusal for a write based on an old version: who changed the case, when, and which
    of the actor's fields now differ (yours, current)."""
    current = Case.objects.select_related("updated_by").get(pk=case.pk)
    changes = {
        name: (value, getattr(current, name))
        for name, value in values.items()
        if name != "status_changed_at" and getattr(current, name) != value
    }
    who = str(current.updated_by) if current.updated_by else _("Someone")
    return ConflictError(
        _(
            "%(who)s changed this case at %(when)s while you were working on it. Nothing was saved: "
            "check the current values and try again."
        )
        % {"who": who, "when": timezone.localtime(current.updated_at).strftime("%Y-%m-%d %H:%M")},
        changes=changes,
        current_version=current.version,
    )


def _write_case(
    *, actor: Membership, case: Case, expected_version: int, values: dict[str, Any]
) -> Case:
    """Write ``values`` only if the case is still at ``expected_version``; else ConflictError
    and nothing written. The version check and the write are one UPDATE, so no lock is needed."""
    updated = Case.objects.filter(pk=case.pk, version=expected_version).update(
        **values, version=F("version") + 1, updated_at=timezone.now(), updated_by=actor.user
    )
    if not updated:
        raise _conflict(case, values)
    case.refresh_from_db()
    return case


@transaction.atomic
def case_move(
    *,
    actor: Membership,
    case: Case,
    to_status: str,
    reason: str,
    expected_version: int,
    request: HttpRequest | None = None,
) -> Case:
    """Move the case along an allowed transition, with the reason on the timeline."""
    _require_work(actor, case)
    reason = _check_length(reason, field="reason", limit=MAX_SHORT)
    if not reason:
        raise ValidationError({"reason": [_("Say why the case moves.")]})
    if to_status not in CaseStatus.values:
        raise ValidationError({"to_status": [_("Unknown status: %(v)s.") % {"v": to_status}]})
    current = Case.objects.select_for_update().get(pk=case.pk)
    if current.version != expected_version:
        raise _conflict(case, {"status": to_status})
    if not can_move(current.status, to_status):
        raise ValidationError(
            {
                "to_status": [
                    _("A case cannot move from “%(a)s” to “%(b)s”.")
                    % {"a": CaseStatus(current.status).label, "b": CaseStatus(to_status).label}
                ]
            }
        )
    from_status = current.status
    # Counts of active cases per site (lifeline.sites.counters).
    with recounting(person_ids=[current.person_id]):
        case = _write_case(
            actor=actor,
            case=case,
            expected_version=expected_version,
            values={"status": to_status, "status_changed_at": timezone.now()},
        )
    TimelineEvent.objects.create(
        organisation=actor.organisation,
        case=case,
        kind=TimelineKind.STATUS,
        author=actor.user,
        body=reason,
        data={"from": from_status, "to": to_status},
    )
    _audit(actor, "cases.case.moved", case, request, **{"from": from_status, "to": to_status})
    return case


@transaction.atomic
def case_set_urgency(
    *,
    actor: Membership,
    case: Case,
    urgency: int,
    reasons: Sequence[str],
    expected_version: int,
    note: str = "",
    request: HttpRequest | None = None,
) -> Case:
    _require_work(actor, case)
    if urgency not in Urgency.values:
        raise ValidationError({"urgency": [_("Choose critical, high or normal.")]})
    reasons = _check_choices(reasons, allowed=UrgencyReason.values, field="reasons")
    note = _check_length(note, field="note", limit=MAX_SHORT)
    before = case.urgency
    case = _write_case(
        actor=actor,
        case=case,
        expected_version=expected_version,
        values={"urgency": urgency, "urgency_reasons": reasons},
    )
    TimelineEvent.objects.create(
        organisation=actor.organisation,
        case=case,
        kind=TimelineKind.URGENCY,
        author=actor.user,
        body=note,
        data={"from": before, "to": urgency, "reasons": reasons},
    )
    _audit(actor, "cases.case.urgency_set", case, request, urgency=urgency, reasons=reasons)
    return case


@transaction.atomic
def case_update(
    *,
    actor: Membership,
    case: Case,
    expected_version: int,
    request: HttpRequest | None = None,
    **changes: Any,
) -> Case:
    """Change the case summary, last known location and HTCDS victim context."""
    _require_work(actor, case)
    unknown = set(changes) - CONTEXT_FIELDS
    if unknown:
        raise ValidationError(
            {name: [_("This field cannot be changed here.")] for name in sorted(unknown)}
        )
    values: dict[str, Any] = {}
    checks: dict[str, Callable[[Any], Any]] = {
        "summary": lambda v: _check_length(v, field="summary", limit=MAX_TEXT),
        "last_known_location": lambda v: _check_length(
            v, field="last_known_location", limit=MAX_SHORT
        ),
        "exploitation_types": lambda v: _check_choices(
            v, allowed=TypeOfExploitation.values, field="exploitation_types"
        ),
        "methods_of_control": lambda v: _check_choices(
            v, allowed=MethodOfControl.values, field="methods_of_control"
        ),
        "recruitment_method": lambda v: _check_choice(
            v, allowed=MethodOfRecruitment.values, field="recruitment_method"
        ),
        "recruitment_apps": lambda v: _check_choices(
            v, allowed=RecruitmentApp.values, field="recruitment_apps"
        ),
        "relationship_to_trafficker": lambda v: _check_choice(
            v, allowed=RelationshipToTrafficker.values, field="relationship_to_trafficker"
        ),
        "trafficking_status": lambda v: _check_choice(
            v, allowed=TraffickingStatus.values, field="trafficking_status", blank=False
        ),
        "trafficking_status_decided_by": lambda v: _check_choice(
            v, allowed=StatusDecidedBy.values, field="trafficking_status_decided_by"
        ),
    }
    errors: dict[str, list[str]] = {}
    for name, value in changes.items():
        try:
            values[name] = checks[name](value)
        except ValidationError as exc:
            errors.update(exc.message_dict)
    if errors:
        raise ValidationError(errors)
    changed = sorted(name for name, value in values.items() if getattr(case, name) != value)
    if not changed:
        return case  # nothing to write, so nothing to refuse or record
    case = _write_case(actor=actor, case=case, expected_version=expected_version, values=values)
    if "last_known_location" in changed and values["last_known_location"]:
        TimelineEvent.objects.create(
            organisation=actor.organisation,
            case=case,
            kind=TimelineKind.LOCATION,
            author=actor.user,
            location=values["last_known_location"],
        )
    _index_text(case, values.get("summary", ""), values.get("last_known_location", ""))
    _audit(actor, "cases.case.updated", case, request, fields=changed)
    return case


@transaction.atomic
def case_assign(
    *, actor: Membership, case: Case, assignee: Membership, request: HttpRequest | None = None
) -> CaseAssignment:
    if not actor.has("can_assign_cases"):
        raise NotPermitted
    if assignee.organisation_id != actor.organisation_id or not assignee.has("can_work_cases"):
        raise ValidationError(
            {"assignee": [_("Choose a coordinator or caseworker of this organisation.")]}
        )
    assignment, created = CaseAssignment.objects.get_or_create(
        organisation=actor.organisation,
        case=case,
        user=assignee.user,
        defaults={"assigned_by": actor.user},
    )
    if created:
        TimelineEvent.objects.create(
            organisation=actor.organisation,
            case=case,
            kind=TimelineKind.ASSIGNMENT,
            author=actor.user,
            data={"assigned": assignee.user_id},
        )
        _audit(actor, "cases.case.assigned", case, request, assignee_id=assignee.user_id)
    return assignment


@transaction.atomic
def case_unassign(
    *, actor: Membership, case: Case, user_id: int, request: HttpRequest | None = None
) -> None:
    if not actor.has("can_assign_cases"):
        raise NotPermitted
    deleted, _count = CaseAssignment.objects.filter(
        organisation=actor.organisation, case=case, user_id=user_id
    ).delete()
    if deleted:
        TimelineEvent.objects.create(
            organisation=actor.organisation,
            case=case,
            kind=TimelineKind.ASSIGNMENT,
            author=actor.user,
            data={"unassigned": user_id},
        )
        _audit(actor, "cases.case.unassigned", case, request, assignee_id=user_id)


TIMELINE_ENTRY_KINDS = (TimelineKind.CONTACT, TimelineKind.NOTE, TimelineKind.LOCATION)


@transaction.atomic
def timeline_add(
    *,
    actor: Membership,
    case: Case,
    kind: str,
    body: str = "",
    location: str = "",
    channel: str = "",
    occurred_at: datetime.datetime | None = None,
    request: HttpRequest | None = None,
) -> TimelineEvent:
    """Log a contact, a note or a location mentioned."""
    _require_work(actor, case)
    kind = _check_choice(kind, allowed=TIMELINE_ENTRY_KINDS, field="kind", blank=False)
    body = _check_length(body, field="body", limit=MAX_TEXT)
    location = _check_length(location, field="location", limit=MAX_SHORT)
    channel = _check_choice(channel, allowed=Channel.values, field="channel")
    if not body and not location:
        raise ValidationError({"body": [_("Write what happened.")]})
    if kind == TimelineKind.LOCATION and not location:
        raise ValidationError({"location": [_("Enter the location that was mentioned.")]})
    event = TimelineEvent.objects.create(
        organisation=actor.organisation,
        case=case,
        kind=kind,
        author=actor.user,
        body=body,
        location=location,
        channel=channel,
        occurred_at=_check_not_future(occurred_at or timezone.now(), field="occurred_at"),
    )
    Case.objects.filter(pk=case.pk).update(updated_at=timezone.now())
    _index_text(case, body, location)
    _audit(actor, "cases.timeline.added", case, request, event_id=event.pk, kind=kind)
    return event


# Imported cases (lifeline.reports.importing) ------------------------------------------------


@transaction.atomic
def case_open_imported(
    *,
    actor: Membership,
    person: Person,
    status: str = CaseStatus.REPORTED,
    reported_at: datetime.datetime | None = None,
    summary: str = "",
    last_known_location: str = "",
    batch: str = "",
    request: HttpRequest | None = None,
) -> Case:
    """A case carried over from an organisation's own earlier records (a spreadsheet): it
    opens in the state the records give, dated when it was reported, and its first timeline
    event names the import batch ``batch`` (a uid) it came from. ``person`` must be the
    actor's organisation's (created by the same import, or from a scoped selector)."""
    if not actor.has("can_triage_requests"):
        raise NotPermitted
    if person.organisation_id != actor.organisation_id:
        raise ValidationError({"person": [_("Choose a person from the suggestions.")]})
    status = _check_choice(status, allowed=CaseStatus.values, field="status", blank=False)
    summary = _check_length(summary, field="summary", limit=MAX_TEXT)
    last_known_location = _check_length(
        last_known_location, field="last_known_location", limit=MAX_SHORT
    )
    now = timezone.now()
    opened = _check_not_future(reported_at, field="reported_at") if reported_at else now
    case = Case.objects.create(
        organisation=actor.organisation,
        reference=_next_reference(actor.organisation),
        person=person,
        status=status,
        summary=summary,
        last_known_location=last_known_location,
        created_by=actor.user,
        updated_by=actor.user,
        created_at=opened,
        updated_at=now,
        status_changed_at=now,
    )
    TimelineEvent.objects.create(
        organisation=actor.organisation,
        case=case,
        kind=TimelineKind.CREATED,
        occurred_at=opened,
        author=actor.user,
        channel=Channel.OTHER,
        location=last_known_location,
        data={"import": batch, "status": status},
    )
    _index_text(case, summary, last_known_location)
    _audit(actor, "cases.case.imported", case, request, person_id=person.pk, batch=batch)
    return case
