"""Reads of evidence, scoped to what the actor may see: the evidence of the cases and requests
that ``lifeline.cases.selectors`` lets them see, and of the organisation's sites.

Site evidence (photos of a compound, satellite images, registry extracts) is seen by every
member who handles evidence (coordinators and caseworkers), whatever their cases: a site is
organisation data that the whole desk works from. Analysts see sites but not their files: a
photo of a compound may show the people held there, and nobody has reviewed it."""

from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import Http404

from lifeline.accounts.models import Membership
from lifeline.cases.models import Case, Request
from lifeline.cases.selectors import visible_cases, visible_requests
from lifeline.evidence.models import CustodyEvent, Evidence
from lifeline.sites.models import Site


def visible_evidence(*, actor: Membership) -> QuerySet[Evidence]:
    qs = Evidence.objects.filter(organisation=actor.organisation, erased_at__isnull=True)
    if not actor.has("can_handle_evidence"):
        return qs.none()
    return qs.filter(
        Q(case__in=visible_cases(actor=actor).values("pk"))
        | Q(request__in=visible_requests(actor=actor).values("pk"))
        | Q(site__isnull=False)
    )


def evidence_of_case(*, case: Case) -> QuerySet[Evidence]:
    """The evidence of a case the caller already fetched through ``case_get``."""
    return (
        Evidence.objects.filter(
            organisation_id=case.organisation_id, case=case, erased_at__isnull=True
        )
        .select_related("uploaded_by")
        .order_by("-created_at", "-pk")
    )


def evidence_of_request(*, req: Request) -> QuerySet[Evidence]:
    """The evidence of a request the caller already fetched through ``request_get``."""
    return (
        Evidence.objects.filter(
            organisation_id=req.organisation_id, request=req, erased_at__isnull=True
        )
        .select_related("uploaded_by")
        .order_by("-created_at", "-pk")
    )


def evidence_of_site(*, actor: Membership, site: Site) -> QuerySet[Evidence]:
    """The evidence of a site the caller already fetched through ``site_get``; none for a
    member who does not handle evidence."""
    qs = Evidence.objects.filter(
        organisation_id=site.organisation_id, site=site, erased_at__isnull=True
    )
    if not actor.has("can_handle_evidence"):
        return qs.none()
    return qs.select_related("uploaded_by").order_by("-created_at", "-pk")


def evidence_get(*, actor: Membership, uid: UUID | str) -> Evidence:
    """The evidence, or a plain 404 if it is missing, another organisation's, or attached to a
    case or request the actor may not see."""
    try:
        return (
            visible_evidence(actor=actor)
            .select_related("case", "request", "site", "uploaded_by")
            .get(uid=uid)
        )
    except (Evidence.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


def custody_trail(*, evidence: Evidence) -> QuerySet[CustodyEvent]:
    """Every handling of ``evidence``, oldest first."""
    return CustodyEvent.objects.filter(
        organisation_id=evidence.organisation_id, evidence=evidence
    ).select_related("actor")
