"""Reads for duplicate detection, scoped to the actor's organisation.

Only members who see every person of their organisation (``can_review_duplicates``) compare
persons: a pair is about two persons, and both must be visible.
"""

from uuid import UUID

from django.db.models import QuerySet

from lifeline.accounts.models import Membership
from lifeline.linkage.comparison import Comparison, compare
from lifeline.linkage.profiles import person_profile
from lifeline.people.models import Person
from lifeline.people.selectors import person_get, visible_persons


def reviewable_persons(*, actor: Membership) -> QuerySet[Person]:
    """The persons duplicates are looked for among: none unless the actor may review them."""
    qs = visible_persons(actor=actor)
    if not actor.has("can_review_duplicates"):
        return qs.none()
    return qs.filter(erased_at__isnull=True)


def person_pair(
    *, actor: Membership, uid: UUID | str, other_uid: UUID | str
) -> tuple[Person, Person]:
    """Both persons, or a plain 404 if either is missing or not visible to the actor."""
    return person_get(actor=actor, uid=uid), person_get(actor=actor, uid=other_uid)


def compare_persons(*, a: Person, b: Person) -> Comparison:
    """Compare two persons the caller already fetched through a selector (so: in scope)."""
    return compare(person_profile(a), person_profile(b))
