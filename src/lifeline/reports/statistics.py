"""The dashboard's figures, computed in the database.

Every figure is a GROUP BY (``values().annotate()``) or one aggregate query: nothing here loops
in Python over cases, requests or sightings, only over the grouped rows (a few hundred at most),
so that the cost grows with the database's scan, not with the interpreter. The result holds
codes and counts only — no names, no references, no uids of cases or persons — so that it can
be cached and shown to analysts as it is.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, Max, Min, Q, QuerySet
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from lifeline.accounts.models import Membership
from lifeline.cases.models import Case, Request, TimelineEvent, TimelineKind
from lifeline.cases.workflow import OPEN_STATES, CaseStatus, Urgency
from lifeline.core.vocabularies import AGE_BANDS, Gender
from lifeline.people.models import Person
from lifeline.sites.models import Sighting, Site, SiteStatus
from lifeline.sites.quiet import quiet_sites

DEFAULT_DAYS = 90
TOP_COUNTRIES = 12
TOP_SITES = 15
HISTOGRAM_WEEKS = 26
OTHER = "other"
UNKNOWN = "unknown"

# How long a case may stay in one state before the dashboard counts it as waiting too long, in
# days. The issue left the thresholds open; these follow the workflow's rhythm (a new report is
# verified within days, a shelter stay lasts weeks) and can be overridden in the settings.
DEFAULT_WAIT_DAYS: dict[str, int] = {
    CaseStatus.REPORTED: 2,
    CaseStatus.VERIFYING: 7,
    CaseStatus.LOCATED: 14,
    CaseStatus.RESCUE_PLANNED: 14,
    CaseStatus.RESCUED: 7,
    CaseStatus.SHELTERED: 30,
    CaseStatus.REPATRIATING: 30,
    CaseStatus.HOME: 60,
    CaseStatus.LOST_CONTACT: 14,
    CaseStatus.MOVED: 7,
    CaseStatus.DETAINED: 30,
    CaseStatus.DECLINED_HELP: 60,
}


def wait_days() -> dict[str, int]:
    return {**DEFAULT_WAIT_DAYS, **getattr(settings, "LIFELINE_DASHBOARD_WAIT_DAYS", {})}


@dataclass(frozen=True)
class DashboardFilters:
    """The period (cases opened, requests received, sightings made within it), and one country
    or one site (cases of persons sighted there; sites there)."""

    start: datetime.date | None = None
    end: datetime.date | None = None
    country: str = ""
    site: Site | None = None

    def as_dict(self) -> dict[str, str]:
        return {
            "start": self.start.isoformat() if self.start else "",
            "end": self.end.isoformat() if self.end else "",
            "country": self.country,
            "site": str(self.site.uid) if self.site else "",
        }

    def names(self) -> list[str]:
        return sorted(k for k, v in self.as_dict().items() if v)


def _day_start(day: datetime.date) -> datetime.datetime:
    # Midnight where the organisation works (TIME_ZONE), as the per-day counts are grouped.
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _period(qs: QuerySet[Any], field: str, filters: DashboardFilters) -> QuerySet[Any]:
    if filters.start:
        qs = qs.filter(**{f"{field}__gte": _day_start(filters.start)})
    if filters.end:
        qs = qs.filter(**{f"{field}__lt": _day_start(filters.end + datetime.timedelta(days=1))})
    return qs


def _sightings(org_id: int, filters: DashboardFilters) -> QuerySet[Sighting]:
    qs = Sighting.objects.filter(organisation_id=org_id)
    if filters.country:
        qs = qs.filter(country=filters.country)
    if filters.site is not None:
        qs = qs.filter(site_id=filters.site.pk)
    return qs


def case_cohort(org_id: int, filters: DashboardFilters) -> QuerySet[Case]:
    """The cases the figures speak of: opened in the period, of persons sighted in the country
    or at the site when one is chosen."""
    cases = _period(Case.objects.filter(organisation_id=org_id), "created_at", filters)
    if filters.country or filters.site is not None:
        cases = cases.filter(person_id__in=_sightings(org_id, filters).values("person_id"))
    return cases


# Quantiles from a histogram -----------------------------------------------------------------


def quantiles(histogram: dict[int, int]) -> dict[str, Any]:
    """n, median, quartiles and range (nearest rank) of whole days, from ``{days: count}``."""
    n = sum(histogram.values())
    if n == 0:
        return {"n": 0, "median": None, "p25": None, "p75": None, "min": None, "max": None}
    days = sorted(histogram)

    def rank(percent: int) -> int:
        target = max(1, -(-percent * n // 100))  # ceil(percent / 100 * n), in integers
        seen = 0
        for day in days:
            seen += histogram[day]
            if seen >= target:
                return day
        return days[-1]

    return {
        "n": n,
        "median": rank(50),
        "p25": rank(25),
        "p75": rank(75),
        "min": days[0],
        "max": days[-1],
    }


def weekly(histogram: dict[int, int]) -> list[list[Any]]:
    """Days folded into weeks (0–6 days is week 0), the last bin holding everything longer."""
    bins = [0] * (HISTOGRAM_WEEKS + 1)
    for day, count in histogram.items():
        bins[min(max(day, 0) // 7, HISTOGRAM_WEEKS)] += count
    return [[week, count] for week, count in enumerate(bins)]


# The durations: one GROUP BY per case, folded into a GROUP BY of whole days ------------------

_DAYS_BETWEEN = {
    "sqlite": "CAST(julianday(t.{b}) - julianday(t.{a}) AS INTEGER)",
    "postgresql": "CAST(FLOOR(EXTRACT(EPOCH FROM (t.{b} - t.{a})) / 86400) AS INTEGER)",
}


def _duration_histograms(
    org_id: int, cases: QuerySet[Case], filtered: bool
) -> dict[str, dict[int, int]]:
    """``{"request_to_rescue": {days: count}, "rescue_to_home": …}`` for the cases: from the
    first request (or the opening, for a case with no request) to the first move to rescued,
    and from there to the first move home. One pass: a GROUP BY per case folded into a GROUP
    BY of both durations in whole days."""
    events = TimelineEvent.objects.filter(organisation_id=org_id, kind=TimelineKind.STATUS)
    if filtered:
        events = events.filter(case_id__in=cases.values("pk"))
    per_case = (
        events.filter(data__to__in=[CaseStatus.RESCUED, CaseStatus.HOME])
        .values("case_id")
        .annotate(
            rescued=Min("occurred_at", filter=Q(data__to=CaseStatus.RESCUED)),
            home=Min("occurred_at", filter=Q(data__to=CaseStatus.HOME)),
            started=Coalesce(Min("case__requests__received_at"), Min("case__created_at")),
        )
        .order_by()
    )
    inner, params = per_case.query.sql_with_params()
    days = _DAYS_BETWEEN[connection.vendor]
    to_rescue, to_home = days.format(a="started", b="rescued"), days.format(a="rescued", b="home")
    # The inner query is Django's own, compiled with its parameters; only the fixed column
    # names above are formatted in.
    sql = f"SELECT {to_rescue}, {to_home}, COUNT(*) FROM ({inner}) t WHERE t.rescued IS NOT NULL GROUP BY 1, 2"  # noqa: S608 # nosec B608
    result: dict[str, dict[int, int]] = {"request_to_rescue": {}, "rescue_to_home": {}}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for rescue_days, home_days, n in cursor.fetchall():
            for name, value in (("request_to_rescue", rescue_days), ("rescue_to_home", home_days)):
                if value is not None:
                    result[name][int(value)] = result[name].get(int(value), 0) + int(n)
    return result


# The dashboard ------------------------------------------------------------------------------


def compute_dashboard(
    *,
    actor: Membership,
    filters: DashboardFilters,
    include_sites: bool,
    now: datetime.datetime | None = None,
) -> dict[str, Any]:
    """Every figure of the dashboard for the actor's organisation. ``include_sites`` adds the
    figures that name sites (people by site, quiet sites), for members who see the registry."""
    now = now or timezone.now()
    org_id = actor.organisation_id
    cases = case_cohort(org_id, filters)

    open_rows = (
        cases.filter(status__in=sorted(OPEN_STATES))
        .values_list("status", "urgency")
        .annotate(n=Count("pk"))
        .order_by()
    )
    by_state: dict[str, dict[int, int]] = {}
    for status, urgency, n in open_rows:
        by_state.setdefault(status, {})[urgency] = n
    urgencies = [Urgency.CRITICAL, Urgency.HIGH, Urgency.NORMAL]
    open_by_state = [
        [state, *(by_state.get(state, {}).get(u, 0) for u in urgencies)]
        for state in CaseStatus.values
        if state in OPEN_STATES
    ]

    # Requests per day: the chosen period, or the last DEFAULT_DAYS days.
    end = filters.end or timezone.localdate(now)
    start = filters.start or end - datetime.timedelta(days=DEFAULT_DAYS - 1)
    requests = Request.objects.filter(
        organisation_id=org_id,
        received_at__gte=_day_start(start),
        received_at__lt=_day_start(end + datetime.timedelta(days=1)),
    )
    if filters.country or filters.site is not None:
        requests = requests.filter(
            case__person_id__in=_sightings(org_id, filters).values("person_id")
        )
    per_day = dict(
        requests.annotate(day=TruncDate("received_at"))
        .values_list("day")
        .annotate(n=Count("pk"))
        .order_by()
    )
    span = min((end - start).days + 1, 3660)
    requests_per_day = [
        [
            (start + datetime.timedelta(days=i)).isoformat(),
            per_day.get(start + datetime.timedelta(days=i), 0),
        ]  # fmt: skip
        for i in range(max(span, 0))
    ]

    histograms = _duration_histograms(org_id, cases, filtered=bool(filters.names()))
    durations = {
        name: {**quantiles(hist), "weeks": weekly(hist)} for name, hist in histograms.items()
    }

    # Victims: one row per person, grouped by the three banded or coded attributes at once.
    persons = (
        Person.objects.filter(organisation_id=org_id, pk__in=cases.values("person_id"))
        .values_list("citizenship", "age_band", "gender")
        .annotate(n=Count("pk"))
        .order_by()
    )
    citizenship: dict[str, int] = {}
    age: dict[str, int] = {}
    gender: dict[str, int] = {}
    for country, band, sex, n in persons:
        code = str(country) if country else UNKNOWN
        citizenship[code] = citizenship.get(code, 0) + n
        age[band or UNKNOWN] = age.get(band or UNKNOWN, 0) + n
        gender[sex or Gender.UNKNOWN] = gender.get(sex or Gender.UNKNOWN, 0) + n
    top = sorted(citizenship.items(), key=lambda item: (-item[1], item[0]))
    citizenship_rows = [[c, n] for c, n in top[:TOP_COUNTRIES]]
    if len(top) > TOP_COUNTRIES:
        citizenship_rows.append([OTHER, sum(n for _c, n in top[TOP_COUNTRIES:])])
    band_order = [label for _lowest, label in AGE_BANDS] + [UNKNOWN]
    age_rows = [[band, age.get(band, 0)] for band in band_order]
    gender_rows = [[code, gender.get(code, 0)] for code in Gender.values]

    sites = Site.objects.filter(organisation_id=org_id)
    if filters.country:
        sites = sites.filter(country=filters.country)
    if filters.site is not None:
        sites = sites.filter(pk=filters.site.pk)
    status_counts = dict(sites.values_list("status").annotate(n=Count("pk")).order_by())
    sites_by_status = [[code or UNKNOWN, status_counts.get(code, 0)] for code in [*SiteStatus.values, ""]]  # fmt: skip

    # Waiting too long: each open state against its own threshold, in one GROUP BY.
    limits = wait_days()
    overdue = Q(pk__in=[])
    for state, days in limits.items():
        overdue |= Q(status=state, status_changed_at__lt=now - datetime.timedelta(days=days))
    waiting = {
        status: (n, oldest)
        for status, n, oldest in cases.filter(status__in=sorted(OPEN_STATES))
        .values_list("status")
        .annotate(n=Count("pk", filter=overdue), oldest=Min("status_changed_at"))
        .order_by()
    }
    waiting_rows = []
    for state in CaseStatus.values:
        if state not in OPEN_STATES or state not in limits:
            continue
        n, oldest = waiting.get(state, (0, None))
        oldest_days = (now - oldest).days if (n and oldest) else 0
        waiting_rows.append([state, n, limits[state], oldest_days])

    data: dict[str, Any] = {
        "cases": cases.count(),
        "open_by_state": open_by_state,
        "requests_per_day": requests_per_day,
        "requests_start": start.isoformat(),
        "requests_end": end.isoformat(),
        "durations": durations,
        "citizenship": citizenship_rows,
        "age_bands": age_rows,
        "gender": gender_rows,
        "sites_by_status": sites_by_status,
        "waiting_too_long": waiting_rows,
        "include_sites": include_sites,
        "people_by_site": [],
        "quiet_sites": [],
    }
    if include_sites:
        data["people_by_site"] = _people_by_site(org_id, filters)
        data["quiet_sites"] = _quiet(actor, filters, now)
    return data


def _people_by_site(org_id: int, filters: DashboardFilters) -> list[list[Any]]:
    sightings = _period(_sightings(org_id, filters).filter(site__isnull=False), "seen_at", filters)
    top = list(
        sightings.values("site_id")
        .annotate(
            persons=Count("person_id", distinct=True),
            sightings=Count("pk"),
            latest=Max("seen_at"),
        )
        .order_by("-persons", "-sightings", "site_id")[:TOP_SITES]
    )
    names = Site.objects.filter(
        organisation_id=org_id, pk__in=[row["site_id"] for row in top]
    ).in_bulk()
    return [
        [
            names[row["site_id"]].name,
            str(names[row["site_id"]].uid),
            row["persons"],
            row["sightings"],
        ]  # fmt: skip
        for row in top
        if row["site_id"] in names
    ]


def _quiet(actor: Membership, filters: DashboardFilters, now: datetime.datetime) -> list[list[Any]]:
    rows = []
    for quiet in quiet_sites(actor=actor, now=now):
        site = quiet.site
        if filters.country and str(site.country) != filters.country:
            continue
        if filters.site is not None and site.pk != filters.site.pk:
            continue
        reasons = {"silent": 0, "moved": 0, "lost_contact": 0}
        for person in quiet.persons:
            reasons[person.reason] = reasons.get(person.reason, 0) + 1
        rows.append(
            [
                site.name,
                str(site.uid),
                quiet.count,
                reasons["silent"],
                reasons["moved"],
                reasons["lost_contact"],
            ]  # fmt: skip
        )
    return rows
