"""Erasing a person's sightings (STYLE.md rule 12).

Registered with lifeline.privacy: erasing a person deletes every sighting of them (the rows
are only about that person), the counts of the sites they were at are recounted, and the audit
payloads that named them are scrubbed with the person's.
"""

from django.db import models

from lifeline.people.models import Person
from lifeline.sites.counters import recounting
from lifeline.sites.models import Sighting


def erase_sightings(person: Person) -> tuple[dict[str, int], list[models.Model]]:
    sightings = list(Sighting.objects.filter(organisation_id=person.organisation_id, person=person))
    # The audit scrub matches rows by type and id: hand over copies that keep their ids.
    touched: list[models.Model] = [Sighting(pk=s.pk) for s in sightings]
    with recounting(person_ids=[person.pk], site_ids={s.site_id for s in sightings if s.site_id}):
        Sighting.objects.filter(pk__in=[s.pk for s in sightings]).delete()
    return {"sightings": len(sightings)}, touched
