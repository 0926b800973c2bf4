"""The quiet-site rule: several persons linked to one site stop checking in, are reported
moved or lose contact within a short window (the sign of a mass transfer before or after a
raid).

A person counts for a site when their latest sighting is there and, within the window, either
- their last check-in (a sighting from the person themself) there has gone unanswered for
  ``silence_hours``, the silence having begun inside the window; or
- one of their cases moved to "moved" or "lost contact".
A site with at least ``min_people`` such persons raises an alert. Thresholds come from the
settings (``LIFELINE_QUIET_SITE_*``). Two queries over the whole organisation, whatever the
number of sites.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings
from django.utils import timezone

from lifeline.accounts.models import Membership
from lifeline.cases.models import Case
from lifeline.cases.workflow import CaseStatus
from lifeline.people.selectors import visible_persons
from lifeline.sites.models import Sighting, SightingSource, Site

QUIET_STATUSES = (CaseStatus.MOVED, CaseStatus.LOST_CONTACT)


@dataclass(frozen=True)
class Thresholds:
    min_people: int
    window: datetime.timedelta
    silence: datetime.timedelta

    @classmethod
    def from_settings(cls) -> "Thresholds":
        return cls(
            min_people=settings.LIFELINE_QUIET_SITE_MIN_PEOPLE,
            window=datetime.timedelta(days=settings.LIFELINE_QUIET_SITE_WINDOW_DAYS),
            silence=datetime.timedelta(hours=settings.LIFELINE_QUIET_SITE_SILENCE_HOURS),
        )


@dataclass
class QuietPerson:
    person_id: int
    reason: str  # "silent", "moved" or "lost_contact"
    last_sighting: Sighting


@dataclass
class QuietSite:
    site: Site
    persons: list[QuietPerson] = field(default_factory=list)
    # Filled per actor: the persons they may see (the others are only counted).
    visible: list[QuietPerson] = field(default_factory=list)

    @property
    def count(self) -> int:
        return len(self.persons)

    @property
    def hidden(self) -> int:
        return self.count - len(self.visible)


def quiet_sites(
    *,
    actor: Membership,
    thresholds: Thresholds | None = None,
    now: datetime.datetime | None = None,
) -> list[QuietSite]:
    """The organisation's quiet sites, most persons first. Needs ``can_view_sites``; persons
    are named only to members who may see them."""
    if not actor.has("can_view_sites"):
        return []
    limits = thresholds or Thresholds.from_settings()
    now = now or timezone.now()
    org_id = actor.organisation_id
    start = now - limits.window
    latest = Sighting.objects.filter(
        organisation_id=org_id, is_latest=True, site__isnull=False
    ).select_related("person")
    by_site: dict[int, dict[int, QuietPerson]] = defaultdict(dict)
    # Silent: the last word was a check-in, and the silence began inside the window.
    for sighting in latest.filter(
        source=SightingSource.CHECK_IN,
        seen_at__lte=now - limits.silence,
        seen_at__gte=start - limits.silence,
    ):
        by_site[sighting.site_id][sighting.person_id] = QuietPerson(  # type: ignore[index]
            sighting.person_id, "silent", sighting
        )
    # Moved or lost contact inside the window, last known at a site.
    changed = dict(
        Case.objects.filter(
            organisation_id=org_id, status__in=QUIET_STATUSES, status_changed_at__gte=start
        ).values_list("person_id", "status")
    )
    if changed:
        for sighting in latest.filter(person_id__in=sorted(changed)):
            by_site[sighting.site_id].setdefault(  # type: ignore[index]
                sighting.person_id,
                QuietPerson(sighting.person_id, changed[sighting.person_id], sighting),
            )
    alerting = {site_id: p for site_id, p in by_site.items() if len(p) >= limits.min_people}
    if not alerting:
        return []
    sites = Site.objects.filter(organisation_id=org_id, pk__in=sorted(alerting)).in_bulk()
    may_see: set[int] = set()
    if actor.has("can_view_persons"):
        everyone = {pid for persons in alerting.values() for pid in persons}
        may_see = set(
            visible_persons(actor=actor)
            .filter(pk__in=sorted(everyone))
            .values_list("pk", flat=True)
        )
    result = []
    for site_id, persons in alerting.items():
        listed = sorted(persons.values(), key=lambda p: p.last_sighting.seen_at, reverse=True)
        result.append(
            QuietSite(
                site=sites[site_id],
                persons=listed,
                visible=[p for p in listed if p.person_id in may_see],
            )
        )
    result.sort(key=lambda quiet: (-quiet.count, quiet.site.name))
    return result
