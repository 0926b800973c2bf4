"""Reads of the lure library, scoped to the actor's organisation; only members who may manage
it see anything."""

from dataclasses import dataclass
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404

from lifeline.accounts.models import Membership
from lifeline.cases.models import Case
from lifeline.people.models import ContactHandle
from lifeline.screening.models import Lure, RecruiterIdentifier


def visible_lures(*, actor: Membership) -> QuerySet[Lure]:
    qs = Lure.objects.filter(organisation=actor.organisation, erased_at__isnull=True)
    if not actor.has("can_manage_lures"):
        return qs.none()
    return qs


def lure_list(*, actor: Membership) -> QuerySet[Lure]:
    return visible_lures(actor=actor).select_related("case").order_by("-seen_on", "-pk")


def lure_get(*, actor: Membership, uid: UUID | str) -> Lure:
    """The offer, or a plain 404 (missing, another organisation's, or not visible)."""
    try:
        return visible_lures(actor=actor).select_related("case", "campaign").get(uid=uid)
    except (Lure.DoesNotExist, ValueError, ValidationError):
        raise Http404 from None


@dataclass(frozen=True)
class IdentifierUse:
    identifier: RecruiterIdentifier
    lures: int
    cases: int
    persons: int


def identifiers_of_lure(*, lure: Lure) -> list[IdentifierUse]:
    """The recruiters' identifiers in ``lure`` with where else they appear in its organisation:
    in how many offers, how many cases (through their offers) and how many persons' contacts
    (same blind index)."""
    identifiers = RecruiterIdentifier.objects.filter(
        organisation_id=lure.organisation_id, lure_links__lure=lure
    ).order_by("kind", "pk")
    uses = []
    for identifier in identifiers:
        cases = (
            Case.objects.filter(
                organisation_id=lure.organisation_id,
                lures__identifier_links__identifier=identifier,
            )
            .distinct()
            .count()
        )
        persons = (
            ContactHandle.objects.filter(
                organisation_id=lure.organisation_id, value_index=identifier.value_index
            )
            .values("person")
            .distinct()
            .count()
        )
        lures = Lure.objects.filter(
            organisation_id=lure.organisation_id,
            identifier_links__identifier=identifier,
            erased_at__isnull=True,
        ).count()
        uses.append(IdentifierUse(identifier, lures, cases, persons))
    return uses


def campaign_timeline(*, lure: Lure) -> QuerySet[Lure]:
    """The offers of ``lure``'s campaign, oldest sighting first (none if it has no campaign)."""
    if lure.campaign_id is None:
        return Lure.objects.none()
    return Lure.objects.filter(
        organisation_id=lure.organisation_id, campaign_id=lure.campaign_id, erased_at__isnull=True
    ).order_by("seen_on", "pk")
