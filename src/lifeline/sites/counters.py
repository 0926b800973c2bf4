"""Counts kept on each site's row: persons last known there, sightings there, and the active
cases of the persons last known there. The map and the site page read them instead of counting
a million sightings per request.

They are kept by recounting, not by adding and subtracting: a service that changes sightings
or cases wraps its writes in ``recounting(person_ids=...)``, which notes the sites where those
persons were last known before the change and recounts those sites, and the sites where they
are last known after it, inside the same transaction. Recounting a handful of sites costs a
few indexed queries, and a recount cannot drift the way increments can. ``lifeline sites
recount`` recounts every site (a repair after a bulk load or a restore).
"""

from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from django.db import transaction
from django.db.models import Count, QuerySet

from lifeline.cases.models import Case
from lifeline.cases.workflow import HTCDS_STATUS
from lifeline.sites.models import Sighting, Site

# Active in the HTCDS sense: the journey is not over (not home, not closed).
ACTIVE_CASE_STATES = sorted(state for state, htcds in HTCDS_STATUS.items() if htcds == "Active")


def latest_sites(*, person_ids: Iterable[int]) -> set[int]:
    """The sites of the persons' latest sightings."""
    ids = sorted(set(person_ids))
    if not ids:
        return set()
    return set(
        Sighting.objects.filter(person_id__in=ids, is_latest=True, site__isnull=False)
        .values_list("site_id", flat=True)
        .distinct()
    )


def recount_sites(*, site_ids: Iterable[int]) -> int:
    """Recount the given sites and write their counts. Must run inside the transaction that
    changed their sightings or cases: it locks the site rows (in id order, so two writers never
    wait on each other crosswise) before counting, so that a concurrent writer's recount sees
    this one's rows once it commits. Returns how many sites changed."""
    ids = sorted(set(site_ids))
    if not ids:
        return 0
    with transaction.atomic():
        return _recount(Site.objects.filter(pk__in=ids), site_ids=ids)


def recount_organisation(*, organisation_id: int) -> tuple[int, int]:
    """Recount every site of the organisation (``lifeline sites recount``): how many sites
    there are and how many had wrong counts."""
    with transaction.atomic():
        sites = Site.objects.filter(organisation_id=organisation_id)
        return sites.count(), _recount(sites, site_ids=None)


def _recount(sites: QuerySet[Site], *, site_ids: list[int] | None) -> int:
    rows = list(
        sites.select_for_update()
        .order_by("pk")
        .values_list("pk", "organisation_id", "people_count", "sighting_count", "active_case_count")
    )
    if not rows:
        return 0
    fresh = count_sites(organisation_id=rows[0][1], site_ids=site_ids)
    changed = 0
    for pk, _org, *kept in rows:
        values = fresh.get(pk, (0, 0, 0))
        if values != tuple(kept):
            Site.objects.filter(pk=pk).update(
                people_count=values[0], sighting_count=values[1], active_case_count=values[2]
            )
            changed += 1
    return changed


def count_sites(
    *, organisation_id: int, site_ids: Iterable[int] | None = None
) -> dict[int, tuple[int, int, int]]:
    """(persons last known there, sightings there, active cases of those persons) per site,
    counted from the rows: the truth the kept counts must equal. ``None``: every site of the
    organisation."""
    sightings = Sighting.objects.filter(organisation_id=organisation_id, site__isnull=False)
    if site_ids is not None:
        sightings = sightings.filter(site_id__in=sorted(set(site_ids)))
    latest = sightings.filter(is_latest=True)
    people = dict(latest.values_list("site_id").annotate(n=Count("pk")).order_by())
    seen = dict(sightings.values_list("site_id").annotate(n=Count("pk")).order_by())
    site_of = dict(latest.values_list("person_id", "site_id"))
    cases: dict[int, int] = {}
    for person_id, n in (
        Case.objects.filter(
            organisation_id=organisation_id,
            status__in=ACTIVE_CASE_STATES,
            person_id__in=latest.values("person_id"),
        )
        .values_list("person_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        cases[site_of[person_id]] = cases.get(site_of[person_id], 0) + n
    return {
        site_id: (people.get(site_id, 0), n, cases.get(site_id, 0)) for site_id, n in seen.items()
    }


@contextmanager
def recounting(*, person_ids: Iterable[int], site_ids: Iterable[int] = ()) -> Iterator[None]:
    """Recount, after the block, the sites where these persons were last known before it and
    after it, and ``site_ids``. Use it inside the service's transaction."""
    ids = sorted(set(person_ids))
    before = latest_sites(person_ids=ids)
    yield
    recount_sites(site_ids=before | latest_sites(person_ids=ids) | set(site_ids))
