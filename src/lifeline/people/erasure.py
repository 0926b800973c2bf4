"""Scrubbing a person (STYLE.md rule 12): what the people app holds about someone.

Called by lifeline.privacy.services, which also scrubs the audit payloads and records the
erasure; nothing here writes to the audit log.
"""

from django.utils import timezone

from lifeline.core.vocabularies import Gender
from lifeline.people.models import ContactHandle, Identifier, NameToken, Person, PersonName


def scrub_person(person: Person) -> dict[str, int]:
    """Delete every name, contact and document of ``person`` and blank its own fields.

    The row stays, marked erased, so that the cases that point at it keep their place in the
    statistics. Returns how many rows of each kind went (counts, never content) and the
    ids of the deleted rows under ``refs`` for the audit scrub.
    """
    counts = {
        "names": PersonName.objects.filter(person=person).count(),
        "contacts": ContactHandle.objects.filter(person=person).count(),
        "identifiers": Identifier.objects.filter(person=person).count(),
    }
    NameToken.objects.filter(person=person).delete()
    PersonName.objects.filter(person=person).delete()
    ContactHandle.objects.filter(person=person).delete()
    Identifier.objects.filter(person=person).delete()
    person.birth_date = None
    person.age = ""
    person.age_band = ""
    person.notes = ""
    person.gender = Gender.UNKNOWN
    person.citizenship = ""
    person.nationalities = []
    person.languages = []
    person.erased_at = timezone.now()
    person.version += 1
    person.save()
    return counts
