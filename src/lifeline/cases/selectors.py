"""Reads of requests and cases, scoped to the actor's organisation and role."""

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.http import Http404

from lifeline.accounts.models import Membership
from lifeline.cases.models import (
    Case,
    CaseAssignment,
    CaseSearchToken,
    Request,
    RequestStatus,
    TimelineEvent,
)
from lifeline.cases.workflow import CaseStatus, Urgency
from lifeline.core.querysets import intersect_ids
from lifeline.core.textsearch import text_tokens, token_digest
from lifeline.people.models import Person, PersonName
from lifeline.people.selectors import (
    filter_by_contact,
    filter_by_name,
    name_match,
    name_person_ids,
)

if TYPE_CHECKING:
    from lifeline.linkage.selectors import Suggestion

REFERENCE = re.compile(r"^[A-Z]{1,8}-\d{4}-\d{3,}$")


def visible_cases(*, actor: Membership) -> QuerySet[Case]:
    """Coordinators see all of their organisation's cases, caseworkers their assigned ones,
    analysts and admins none (they read counts through ``case_counts``)."""
    qs = Case.objects.filter(organisation=actor.organisation)
    if actor.has("can_view_all_cases"):
        return qs
    if actor.has("can_work_cases"):
        mine = CaseAssignment.objects.filter(
            organisation=actor.organisation, user=actor.user, case=OuterRef("pk")
        )
        return qs.filter(Exists(mine))
    return qs.none()


@dataclass
class CaseFilters:
    status: list[str] = field(default_factory=list)
    urgency: int | None = None
    assignee_id: int | None = None
    unassigned: bool = False
    citizenship: str = ""
    q: str = ""
    name: str = ""
    phone: str = ""
    open_only: bool = False


def _with_primary_names(qs: QuerySet[Case]) -> QuerySet[Case]:
    return qs.select_related("person").prefetch_related(
        Prefetch(
            "person__names",
            queryset=PersonName.objects.filter(is_primary=True),
            to_attr="primary_names",
        ),
        Prefetch("assignments", queryset=CaseAssignment.objects.select_related("user")),
    )


def case_list(*, actor: Membership, filters: CaseFilters) -> QuerySet[Case]:
    """Visible cases matching every filter, most urgent then newest first."""
    org_id = actor.organisation_id
    qs = visible_cases(actor=actor)
    if filters.status:
        qs = qs.filter(status__in=filters.status)
    elif filters.open_only:
        qs = qs.exclude(status=CaseStatus.CLOSED)
    if filters.urgency is not None:
        qs = qs.filter(urgency=filters.urgency)
    if filters.assignee_id is not None:
        qs = qs.filter(
            Exists(
                CaseAssignment.objects.filter(
                    organisation_id=org_id, user_id=filters.assignee_id, case=OuterRef("pk")
                )
            )
        )
    if filters.unassigned:
        qs = qs.exclude(
            Exists(CaseAssignment.objects.filter(organisation_id=org_id, case=OuterRef("pk")))
        )
    if filters.citizenship:
        qs = qs.filter(person__citizenship=filters.citizenship.upper())
    if filters.name:
        qs = filter_by_name(
            qs, organisation_id=org_id, query=filters.name, person_field="person_id"
        )
    if filters.phone:
        qs = filter_by_contact(
            qs,
            organisation_id=org_id,
            query=filters.phone,
            default_region=actor.organisation.default_phone_region or None,
            person_field="person_id",
        )
    if filters.q:
        qs = _filter_text(qs, organisation_id=org_id, query=filters.q)
    return _with_primary_names(qs.order_by("-urgency", "-created_at", "-pk"))


def _filter_text(qs: QuerySet[Case], *, organisation_id: int, query: str) -> QuerySet[Case]:
    """A reference, a name in any script, or words of the case's text."""
    query = query.strip()
    if REFERENCE.match(query.upper()):
        return qs.filter(reference=query.upper())
    tokens = text_tokens(query)
    person_ids = name_person_ids(organisation_id=organisation_id, query=query)
    case_ids = intersect_ids(
        CaseSearchToken.objects.filter(
            organisation_id=organisation_id, digest=token_digest(token)
        ).values_list("case_id", flat=True)
        for token in tokens
    )
    if person_ids is not None and case_ids is not None:
        return qs.filter(Q(person_id__in=sorted(person_ids)) | Q(pk__in=sorted(case_ids)))
    # Too many to list: a UNION of the two id subqueries (an OR of them makes PostgreSQL test
    # both against every case of the organisation).
    cases = Case.objects.filter(organisation_id=organisation_id)
    by_name = cases.filter(
        name_match(organisation_id=organisation_id, query=query, person_field="person_id")
    ).values("pk")
    if not tokens:
        return qs.filter(pk__in=by_name)
    by_text = cases
    for token in tokens:
        by_text = by_text.filter(
            pk__in=CaseSearchToken.objects.filter(
                organisation_id=organisation_id, digest=token_digest(token)
            ).values("case_id")
        )
    return qs.filter(pk__in=by_name.union(by_text.values("pk")))


def case_get(*, actor: Membership, uid: UUID | str) -> Case:
    """The case, or a plain 404 for a case that is missing, another organisation's, or not
    visible to the actor."""
    try:
        return _with_primary_names(visible_cases(actor=actor)).get(uid=uid)
    except (Case.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def case_timeline(*, case: Case) -> QuerySet[TimelineEvent]:
    return TimelineEvent.objects.filter(
        organisation_id=case.organisation_id, case=case
    ).select_related("author")


def cases_of_person(*, actor: Membership, person_id: int) -> QuerySet[Case]:
    return visible_cases(actor=actor).filter(person_id=person_id).order_by("-created_at")


def visible_requests(*, actor: Membership) -> QuerySet[Request]:
    qs = Request.objects.filter(organisation=actor.organisation)
    return qs if actor.has("can_triage_requests") else qs.none()


def request_queue(*, actor: Membership, status: str = RequestStatus.NEW) -> QuerySet[Request]:
    """The triage queue: most urgent first, then newest. Each request carries ``duress_checkins``,
    the number of its public check-ins written under duress (lifeline.intake)."""
    return (
        visible_requests(actor=actor)
        .filter(status=status)
        .annotate(duress_checkins=Count("checkins", filter=Q(checkins__under_duress=True)))
        .order_by("-urgency", "-received_at", "-pk")
    )


def requests_by_uid(*, actor: Membership, uids: Sequence[UUID | str]) -> list[Request]:
    """The actor's organisation's requests among ``uids``; any other uid is simply absent."""
    return list(visible_requests(actor=actor).filter(uid__in=list(uids)))


def request_get(*, actor: Membership, uid: UUID | str) -> Request:
    try:
        return visible_requests(actor=actor).select_related("case").get(uid=uid)
    except (Request.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def request_suggestions(*, actor: Membership, req: Request) -> list["Suggestion"]:
    """Persons a new request may be about (same phone or handle, or a similar name), each with
    its match probability (lifeline.linkage), most likely first."""
    from lifeline.linkage.selectors import request_suggestions as scored_suggestions

    return scored_suggestions(actor=actor, req=req)


def assignable_members(*, actor: Membership) -> QuerySet[Membership]:
    from lifeline.accounts.roles import CAPABILITIES

    return (
        Membership.objects.filter(
            organisation=actor.organisation, is_active=True, role__in=CAPABILITIES["can_work_cases"]
        )
        .select_related("user")
        .order_by("user__username")
    )


def citizenships_in_use(*, actor: Membership) -> list[str]:
    """The citizenships of the organisation's persons, for the filter: a country nobody has
    is no use to filter by, and 250 options make every list page slow to render."""
    return list(
        Person.objects.filter(organisation=actor.organisation)
        .exclude(citizenship="")
        .values_list("citizenship", flat=True)
        .distinct()
        .order_by("citizenship")
    )


def case_counts(*, actor: Membership) -> dict[str, object]:
    """Counts without personal data, for every role that may see statistics."""
    cases = Case.objects.filter(organisation=actor.organisation)
    by_status = dict(cases.values_list("status").annotate(n=Count("pk")).order_by())
    by_urgency = dict(
        cases.exclude(status=CaseStatus.CLOSED)
        .values_list("urgency")
        .annotate(n=Count("pk"))
        .order_by()
    )
    requests_new = Request.objects.filter(
        organisation=actor.organisation, status=RequestStatus.NEW
    ).count()
    return {
        "by_status": [
            (status, label, by_status.get(status, 0)) for status, label in CaseStatus.choices
        ],
        "by_urgency": [
            (value, label, by_urgency.get(value, 0)) for value, label in Urgency.choices
        ],
        "open": sum(n for status, n in by_status.items() if status != CaseStatus.CLOSED),
        "total": sum(by_status.values()),
        "requests_waiting": requests_new,
    }
