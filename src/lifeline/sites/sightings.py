"""Writes of sightings: a person at a site or a place, at a time, from a source.

Kept apart from ``services`` (the registry) because sightings are personal data: the caller
fetched the person through ``people.selectors.person_get``, so the actor may see them.
"""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django_countries import countries

from lifeline.accounts.models import Membership
from lifeline.audit.services import audit_log
from lifeline.core.errors import NotPermitted
from lifeline.people.models import Person
from lifeline.sites import geo
from lifeline.sites.counters import recounting
from lifeline.sites.models import Sighting, SightingSource, Site

MAX_PLACE = 300
MAX_NOTE = 5000


def _text(value: str, *, field: str, limit: int) -> str:
    value = (value or "").strip()
    if len(value) > limit:
        raise ValidationError(
            {field: [_("This text is too long: at most %(n)d characters.") % {"n": limit}]}
        )
    return value


@transaction.atomic
def sighting_record(
    *,
    actor: Membership,
    person: Person,
    seen_at: datetime.datetime,
    source: str,
    site: Site | None = None,
    place: str = "",
    country: str = "",
    latitude: float | None = None,
    longitude: float | None = None,
    note: str = "",
    request: HttpRequest | None = None,
) -> Sighting:
    """Record that ``person`` was at ``site`` (or at ``place``) at ``seen_at``.

    Locks the person's row, so that two sightings recorded at once keep exactly one marked as
    the person's latest. Refuses an erased person, a sighting with neither or both of a site
    and a place, a time without a zone or in the future, and a point that ``geo.check_point``
    refuses.
    """
    if not actor.has("can_work_cases"):
        raise NotPermitted
    if source not in SightingSource.values:
        raise ValidationError({"source": [_("Unknown value: %(v)s.") % {"v": source}]})
    place = _text(place, field="place", limit=MAX_PLACE)
    note = _text(note, field="note", limit=MAX_NOTE)
    if timezone.is_naive(seen_at):
        raise ValidationError({"seen_at": [_("Give the time with its time zone.")]})
    if seen_at > timezone.now() + datetime.timedelta(minutes=5):
        raise ValidationError({"seen_at": [_("This cannot be in the future.")]})
    has_place = bool(place) or latitude is not None or longitude is not None
    if (site is None) == (not has_place):
        raise ValidationError(
            {"site": [_("Choose a site from the registry, or describe the place: one of them.")]}
        )
    point_text = ""
    if site is not None:
        if site.organisation_id != actor.organisation_id:
            raise ValidationError({"site": [_("Choose a site of the registry.")]})
        country = str(site.country)
    else:
        country = (country or "").upper()
        if country and country not in countries:
            raise ValidationError({"country": [_("Choose a country.")]})
        point = geo.check_point(latitude, longitude, country=country)
        point_text = f"{point[0]},{point[1]}" if point else ""
    locked = Person.objects.select_for_update().get(pk=person.pk)
    if locked.erased_at is not None:
        raise ValidationError(_("Nothing more can be recorded about an erased person."))
    with recounting(person_ids=[locked.pk], site_ids=[site.pk] if site else []):
        latest = Sighting.objects.filter(
            organisation_id=locked.organisation_id, person=locked, is_latest=True
        ).first()
        is_latest = latest is None or seen_at >= latest.seen_at
        if is_latest and latest is not None:
            latest.is_latest = False
            latest.save(update_fields=["is_latest"])
        sighting = Sighting.objects.create(
            organisation=locked.organisation,
            person=locked,
            site=site,
            place=place,
            place_point=point_text,
            country=country,
            seen_at=seen_at,
            source=source,
            note=note,
            is_latest=is_latest,
            recorded_by=actor.user,
        )
    audit_log(
        actor=actor.user,
        organisation=actor.organisation,
        action="sites.sighting.recorded",
        obj=sighting,
        payload={"person_id": locked.pk, "site_id": site.pk if site else None, "source": source},
        request=request,
    )
    return sighting


def mark_latest(person: Person) -> None:
    """Make the person's newest sighting the one marked latest again, after sightings moved
    between records (a merge of two records of one person, or its undo). The caller recounts
    the sites (``counters.recounting``)."""
    sightings = Sighting.objects.filter(organisation_id=person.organisation_id, person=person)
    newest = sightings.order_by("-seen_at", "-pk").values_list("pk", flat=True).first()
    if newest is None:
        return
    sightings.exclude(pk=newest).filter(is_latest=True).update(is_latest=False)
    sightings.filter(pk=newest).update(is_latest=True)
