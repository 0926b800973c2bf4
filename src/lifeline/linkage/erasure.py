"""Scrubbing a person (STYLE.md rule 12): the pairs that link them to other persons.

A pair holds no field of either person, but "these two may be one person" is itself about
them: erasing a person deletes their pairs. Called by lifeline.privacy.services, which also
scrubs the audit payloads of the returned rows; nothing here writes to the audit log.
"""

from django.db.models import Q

from lifeline.linkage.models import CandidatePair, CrossMatch, MergeRecord
from lifeline.people.models import Person


def scrub_pairs(person: Person) -> tuple[dict[str, int], list[CandidatePair]]:
    pairs = list(
        CandidatePair.objects.filter(organisation_id=person.organisation_id).filter(
            Q(person_a=person) | Q(person_b=person)
        )
    )
    CandidatePair.objects.filter(pk__in=[p.pk for p in pairs]).delete()
    CrossMatch.objects.filter(organisation_id=person.organisation_id, person=person).delete()
    return {"duplicate_pairs": len(pairs)}, pairs


def absorbed_records(person: Person) -> list[Person]:
    """The records merged into ``person``: the same human, so erased with them. They keep
    their own fields while merged (so that a merge can be undone), hence they must go too."""
    return list(
        Person.objects.filter(
            organisation_id=person.organisation_id, merged_into=person, erased_at__isnull=True
        )
    )


def merge_records(person: Person) -> list[MergeRecord]:
    """The merges ``person`` took part in: ids only, listed for the audit scrub."""
    return list(
        MergeRecord.objects.filter(organisation_id=person.organisation_id).filter(
            Q(survivor=person) | Q(absorbed=person)
        )
    )
