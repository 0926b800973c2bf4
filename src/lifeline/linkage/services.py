"""Writes of duplicate detection: decisions on pairs, and the full deduplication run.

Each service validates before writing, owns its transaction and writes its audit entry inside
it. Audit payloads carry ids, codes and counts, never a name, a number or a score's inputs.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from lifeline.accounts.models import Membership, Organisation
from lifeline.audit.services import audit_log
from lifeline.linkage.blocking import candidate_pairs
from lifeline.linkage.comparison import Comparison, Profile, compare
from lifeline.linkage.models import DECISIONS, CandidatePair, PairSource, PairStatus
from lifeline.linkage.profiles import person_profile
from lifeline.people.models import ContactHandle, Identifier, Person, PersonName

# Pairs the run puts in the review queue: below this, the evidence is too thin to ask anyone.
QUEUE_THRESHOLD = 0.3

Progress = Callable[[str, int, int], None]


def _levels(comparison: Comparison) -> dict[str, str]:
    return {f.field: f.level for f in comparison.fields}


def _check_pair(actor: Membership, person: Person, other: Person) -> tuple[Person, Person]:
    if person.pk == other.pk:
        raise ValidationError(_("A person cannot be a duplicate of themselves."))
    if not (person.organisation_id == other.organisation_id == actor.organisation_id):
        raise ValidationError(_("Persons of different organisations are never linked here."))
    if person.erased_at is not None or other.erased_at is not None:
        raise ValidationError(_("This person's data was erased: there is nothing to compare."))
    return (person, other) if person.pk < other.pk else (other, person)


@transaction.atomic
def pair_decide(
    *,
    actor: Membership,
    person: Person,
    other: Person,
    decision: str,
    request: HttpRequest | None = None,
) -> CandidatePair:
    """Record that two persons are the same, different, or that the member is not sure.

    A "different" pair is never proposed again by a run; a decision may be changed later (and
    each change is audited). Locks the pair's row.
    """
    if decision not in DECISIONS:
        raise ValidationError({"decision": [_("Choose same, different or not sure.")]})
    a, b = _check_pair(actor, person, other)
    comparison = compare(person_profile(a), person_profile(b))
    pair, created = CandidatePair.objects.select_for_update().get_or_create(
        organisation=actor.organisation,
        person_a=a,
        person_b=b,
        defaults={"source": PairSource.REVIEW},
    )
    previous = "" if created else pair.status
    pair.status = decision
    pair.probability = comparison.probability
    pair.match_weight = comparison.match_weight
    pair.levels = _levels(comparison)
    pair.decided_by = actor.user
    pair.decided_at = timezone.now()
    pair.save(
        update_fields=[
            "status",
            "probability",
            "match_weight",
            "levels",
            "decided_by",
            "decided_at",
        ]
    )
    audit_log(
        actor=actor.user,
        organisation=actor.organisation,
        action="linkage.pair.decided",
        obj=pair,
        payload={"decision": decision, "previous": previous, "person_ids": [a.pk, b.pk]},
        request=request,
    )
    return pair


# --------------------------------------------------------------------------------------------
# The full run
# --------------------------------------------------------------------------------------------


@dataclass
class RunResult:
    persons: int = 0
    compared: int = 0
    proposed: int = 0
    updated: int = 0
    kept_decided: int = 0
    skipped_blocks: int = 0
    seconds: float = 0.0

    def as_payload(self) -> dict[str, int | float]:
        return {
            "persons": self.persons,
            "compared": self.compared,
            "proposed": self.proposed,
            "updated": self.updated,
            "kept_decided": self.kept_decided,
            "skipped_blocks": self.skipped_blocks,
            "seconds": round(self.seconds, 2),
        }


def organisation_profiles(*, organisation: Organisation) -> dict[int, Profile]:
    """Every live person's profile, decrypted in memory (call inside the organisation's scope)."""
    persons = Person.objects.filter(organisation=organisation, erased_at__isnull=True)
    names: dict[int, list[PersonName]] = {}
    contacts: dict[int, list[ContactHandle]] = {}
    identifiers: dict[int, list[Identifier]] = {}
    for row in PersonName.objects.filter(organisation=organisation).order_by("pk"):
        names.setdefault(row.person_id, []).append(row)
    for contact in ContactHandle.objects.filter(organisation=organisation):
        contacts.setdefault(contact.person_id, []).append(contact)
    for identifier in Identifier.objects.filter(organisation=organisation):
        identifiers.setdefault(identifier.person_id, []).append(identifier)
    return {
        person.pk: person_profile(
            person,
            names=names.get(person.pk, []),
            contacts=contacts.get(person.pk, []),
            identifiers=identifiers.get(person.pk, []),
        )
        for person in persons.iterator(chunk_size=2000)
    }


def _noop(stage: str, done: int, total: int) -> None:
    return None


def dedup_run(
    *,
    organisation: Organisation,
    actor: Membership | None = None,
    progress: Progress = _noop,
    threshold: float = QUEUE_THRESHOLD,
) -> RunResult:
    """Compare the organisation's candidate pairs and fill the review queue.

    Pairs already decided (same, different) are left as they are and never proposed again;
    open and not-sure pairs get their new probability. Call inside the organisation's scope.
    The comparing happens outside any transaction; the queue is written in one.
    """
    started = time.monotonic()
    result = RunResult()
    progress("reading", 0, 1)
    profiles = organisation_profiles(organisation=organisation)
    result.persons = len(profiles)
    progress("blocking", 0, 1)
    pairs, result.skipped_blocks = candidate_pairs(profiles)
    total = len(pairs)
    scored: list[tuple[int, int, Comparison]] = []
    for done, (a, b) in enumerate(sorted(pairs), start=1):
        comparison = compare(profiles[a], profiles[b])
        if comparison.probability >= threshold:
            scored.append((a, b, comparison))
        if done % 1000 == 0:
            progress("comparing", done, total)
    result.compared = total
    progress("recording", 0, len(scored))
    _record(organisation=organisation, scored=scored, result=result)
    result.seconds = time.monotonic() - started
    with transaction.atomic():
        audit_log(
            actor=actor.user if actor else None,
            organisation=organisation,
            action="linkage.run.completed",
            payload=result.as_payload(),
        )
    progress("done", total, total)
    return result


@transaction.atomic
def _record(
    *,
    organisation: Organisation,
    scored: Iterable[tuple[int, int, Comparison]],
    result: RunResult,
) -> None:
    existing = {
        (pair.person_a_id, pair.person_b_id): pair
        for pair in CandidatePair.objects.filter(organisation=organisation).select_for_update()
    }
    new: list[CandidatePair] = []
    changed: list[CandidatePair] = []
    for a, b, comparison in scored:
        pair = existing.get((a, b))
        if pair is None:
            new.append(
                CandidatePair(
                    organisation=organisation,
                    person_a_id=a,
                    person_b_id=b,
                    probability=comparison.probability,
                    match_weight=comparison.match_weight,
                    levels=_levels(comparison),
                    source=PairSource.RUN,
                )
            )
        elif pair.status in (PairStatus.OPEN, PairStatus.UNSURE):
            pair.probability = comparison.probability
            pair.match_weight = comparison.match_weight
            pair.levels = _levels(comparison)
            changed.append(pair)
        else:
            result.kept_decided += 1
    CandidatePair.objects.bulk_create(new, batch_size=1000)
    CandidatePair.objects.bulk_update(
        changed, ["probability", "match_weight", "levels"], batch_size=1000
    )
    result.proposed = len(new)
    result.updated = len(changed)
