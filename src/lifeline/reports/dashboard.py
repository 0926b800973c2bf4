"""The dashboard: cached snapshots of the figures (lifeline.reports.statistics) and the charts,
tables and CSV files made from them.

A snapshot is kept per organisation, per set of filters, and per "sees the site registry or
not" (members who do not see sites get no site names). It is reused while younger than
``LIFELINE_DASHBOARD_MAX_AGE_SECONDS``, so that a busy dashboard costs one indexed read; the page
shows when it was computed and offers a refresh. ``lifeline report dashboard --refresh`` can warm
it from cron.
"""

import datetime
import hashlib
import json
import time
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django_countries import countries

from lifeline.accounts.models import Membership
from lifeline.cases.workflow import CaseStatus
from lifeline.core.csvsafe import csv_text
from lifeline.core.vocabularies import Gender
from lifeline.reports import dashboard_charts as draw
from lifeline.reports.models import DashboardSnapshot
from lifeline.reports.statistics import OTHER, UNKNOWN, DashboardFilters, compute_dashboard
from lifeline.sites.models import SiteStatus

SNAPSHOT_VERSION = 1
SNAPSHOT_KEPT = datetime.timedelta(days=1)


def max_age() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.LIFELINE_DASHBOARD_MAX_AGE_SECONDS)


def snapshot_key(*, organisation_id: int, filters: DashboardFilters, include_sites: bool) -> str:
    text = json.dumps(
        {
            "v": SNAPSHOT_VERSION,
            "org": organisation_id,
            "sites": include_sites,
            **filters.as_dict(),
        },
        sort_keys=True,
    )
    return hashlib.sha256(text.encode()).hexdigest()


def dashboard_snapshot(
    *, actor: Membership, filters: DashboardFilters, refresh: bool = False
) -> DashboardSnapshot:
    """The actor's organisation's snapshot for these filters: the cached one while fresh,
    else computed now and stored (a cache row: aggregates only, not audited as a change).
    The caller checks ``can_view_statistics``."""
    include_sites = actor.has("can_view_sites")
    key = snapshot_key(
        organisation_id=actor.organisation_id, filters=filters, include_sites=include_sites
    )
    cached = DashboardSnapshot.objects.filter(
        organisation_id=actor.organisation_id, key=key
    ).first()
    now = timezone.now()
    if cached is not None and not refresh and now - cached.computed_at < max_age():
        return cached
    started = time.perf_counter()
    data = compute_dashboard(actor=actor, filters=filters, include_sites=include_sites, now=now)
    values = {
        "filters": filters.as_dict(),
        "data": data,
        "computed_at": now,
        "duration_ms": int((time.perf_counter() - started) * 1000),
        "computed_by": actor.user,
    }
    try:
        with transaction.atomic():
            # Snapshots of filters nobody asked for again are dropped after a day.
            DashboardSnapshot.objects.filter(
                organisation_id=actor.organisation_id, computed_at__lt=now - SNAPSHOT_KEPT
            ).delete()
            snapshot, _created = DashboardSnapshot.objects.update_or_create(
                organisation_id=actor.organisation_id, key=key, defaults=values
            )
    except IntegrityError:  # another request stored the same snapshot first: theirs is as fresh
        snapshot = DashboardSnapshot.objects.get(organisation_id=actor.organisation_id, key=key)
    return snapshot


# Charts ---------------------------------------------------------------------------------------


@dataclass
class Chart:
    id: str
    title: str
    header: list[str]  # for people
    rows: list[list[Any]]  # for people: labels, numbers
    csv_header: list[str]  # for machines: codes
    csv_rows: list[list[Any]]
    svg: SafeString | None = None
    note: str = ""
    links: list[str] = field(default_factory=list)  # per row, a site's uid (or none)

    @property
    def table(self) -> list[tuple[str, Any, list[Any]]]:
        """(site uid or "", first cell, the other cells) per row, for the template."""
        links = self.links + [""] * (len(self.rows) - len(self.links))
        return [(link, row[0], row[1:]) for link, row in zip(links, self.rows, strict=True)]


def _label(kind: str, code: str) -> str:
    if code == UNKNOWN or code == "":
        return _("Unknown")
    if code == OTHER:
        return _("Other")
    try:
        if kind == "state":
            return str(CaseStatus(code).label)
        if kind == "gender":
            return str(Gender(code).label)
        if kind == "site_status":
            return str(SiteStatus(code).label)
    except ValueError:
        return code
    if kind == "country":
        return str(countries.name(code)) or code
    return code


def _simple(
    id: str, title: str, kind: str, rows: list[list[Any]], heading: str, code: str
) -> Chart:
    shown = [[_label(kind, str(code)), n] for code, n in rows]
    return Chart(
        id=id,
        title=title,
        header=[heading, _("Count")],
        rows=shown,
        csv_header=[code, "count"],
        csv_rows=[[code, n] for code, n in rows],
        svg=draw.bars(title, [(label, [n]) for label, n in shown]),
    )


def _duration(id: str, title: str, figures: dict[str, Any]) -> Chart:
    weeks = figures["weeks"]
    last = len(weeks) - 1
    labels = [f"{w}" if w < last else f"{w}+" for w, _n in weeks]
    if figures["n"]:
        note = (
            _(
                "%(n)s cases: median %(median)s days, half of them between %(p25)s and %(p75)s "
                "days (shortest %(min)s, longest %(max)s)."
            )
            % figures
        )
    else:
        note = _("No case has made this step yet.")
    return Chart(
        id=id,
        title=title,
        header=[_("Weeks"), _("Cases")],
        rows=[[label, n] for label, (_w, n) in zip(labels, weeks, strict=True)],
        csv_header=["week", "cases"],
        csv_rows=[[label, n] for label, (_w, n) in zip(labels, weeks, strict=True)],
        svg=draw.columns(title, list(zip(labels, [n for _w, n in weeks], strict=True)), every=4),
        note=note,
    )


def charts(snapshot: DashboardSnapshot) -> list[Chart]:
    """The charts of a snapshot, in the page's order."""
    data = snapshot.data
    result: list[Chart] = []
    open_rows = data["open_by_state"]
    title = _("Open cases by state and urgency")
    result.append(
        Chart(
            id="open_by_state",
            title=title,
            header=[_("State"), _("Critical"), _("High"), _("Normal")],
            rows=[[_label("state", s), c, h, n] for s, c, h, n in open_rows],
            csv_header=["state", "critical", "high", "normal"],
            csv_rows=open_rows,
            svg=draw.bars(
                title, [(_label("state", s), [c, h, n]) for s, c, h, n in open_rows], series=3
            ),
            note=_("Red: critical, orange: high, blue: normal."),
        )
    )
    per_day = data["requests_per_day"]
    title = _("Requests per day")
    result.append(
        Chart(
            id="requests_per_day",
            title=title,
            header=[_("Day"), _("Requests")],
            rows=per_day,
            csv_header=["day", "requests"],
            csv_rows=per_day,
            svg=draw.columns(
                title, [(day[5:], n) for day, n in per_day], every=max(len(per_day) // 6, 1)
            ),
            note=_("From %(start)s to %(end)s.")
            % {"start": data["requests_start"], "end": data["requests_end"]},
        )
    )
    durations = data["durations"]
    result.append(
        _duration("request_to_rescue", _("From request to rescue"), durations["request_to_rescue"])
    )
    result.append(
        _duration("rescue_to_home", _("From rescue to home"), durations["rescue_to_home"])
    )
    result.append(
        _simple(
            "citizenship",
            _("Victims by citizenship"),
            "country",
            data["citizenship"],
            _("Citizenship"),
            "citizenship",
        )
    )
    result.append(
        _simple(
            "age_bands",
            _("Victims by age band"),
            "band",
            data["age_bands"],
            _("Age band"),
            "age_band",
        )
    )
    result.append(
        _simple("gender", _("Victims by gender"), "gender", data["gender"], _("Gender"), "gender")
    )
    result.append(
        _simple(
            "sites_by_status",
            _("Sites by status"),
            "site_status",
            data["sites_by_status"],
            _("Status"),
            "status",
        )
    )
    waiting = data["waiting_too_long"]
    title = _("Cases waiting too long in one state")
    result.append(
        Chart(
            id="waiting_too_long",
            title=title,
            header=[_("State"), _("Waiting too long"), _("Limit (days)"), _("Longest wait (days)")],
            rows=[[_label("state", s), n, limit, oldest] for s, n, limit, oldest in waiting],
            csv_header=["state", "waiting_too_long", "limit_days", "longest_wait_days"],
            csv_rows=waiting,
            svg=draw.bars(title, [(_label("state", s), [n]) for s, n, _l, _o in waiting]),
        )
    )
    if data.get("include_sites"):
        people = data["people_by_site"]
        title = _("People by site")
        result.append(
            Chart(
                id="people_by_site",
                title=title,
                header=[_("Site"), _("Persons"), _("Sightings")],
                rows=[[name, persons, seen] for name, _uid, persons, seen in people],
                csv_header=["site", "persons", "sightings"],
                csv_rows=[[name, persons, seen] for name, _uid, persons, seen in people],
                svg=draw.bars(title, [(name, [persons]) for name, _uid, persons, _s in people]),
                note=_("The sites where most persons were sighted (distinct persons)."),
                links=[uid for _name, uid, _p, _s in people],
            )
        )
        quiet = data["quiet_sites"]
        title = _("Quiet-site alerts")
        result.append(
            Chart(
                id="quiet_sites",
                title=title,
                header=[_("Site"), _("Persons"), _("Silent"), _("Moved"), _("Lost contact")],
                rows=[[name, n, s, m, lost] for name, _uid, n, s, m, lost in quiet],
                csv_header=["site", "persons", "silent", "moved", "lost_contact"],
                csv_rows=[[name, n, s, m, lost] for name, _uid, n, s, m, lost in quiet],
                svg=draw.bars(title, [(name, [n]) for name, _uid, n, _s, _m, _l in quiet])
                if quiet
                else None,
                note=_(
                    "Sites where several persons fell silent, were moved or lost contact at once."
                ),
                links=[uid for _name, uid, _n, _s, _m, _l in quiet],
            )
        )
    return result


def chart_csv(chart: Chart) -> str:
    return csv_text(chart.csv_header, chart.csv_rows)
