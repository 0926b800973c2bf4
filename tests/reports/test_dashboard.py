"""The dashboard: figures computed in SQL, cached with their age, shown as SVG beside tables,
each with a CSV; aggregates only, for coordinators, analysts and org admins."""

import csv
import datetime
import io
import math

import pytest
from django.core.management import call_command
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from lifeline.audit.models import AuditEvent
from lifeline.cases import services as case_services
from lifeline.cases.models import Case, Request, TimelineEvent
from lifeline.people.models import Person
from lifeline.reports import dashboard, statistics
from lifeline.reports.models import DashboardSnapshot
from lifeline.reports.statistics import DashboardFilters, quantiles, weekly
from lifeline.sites.sightings import sighting_record
from tests.api import api_client
from tests.factories import claim, make_case, make_site

NOW = timezone.now()


def _move(actor, case, *path):
    for status in path:
        case.refresh_from_db()
        case_services.case_move(
            actor=actor, case=case, to_status=status, reason="step", expected_version=case.version
        )
    case.refresh_from_db()
    return case


def _set_person(case, **values):
    Person.objects.filter(pk=case.person_id).update(**values)


@pytest.fixture
def desk(coordinator_a, caseworker_a):
    """Three cases of organisation A (one rescued and home), one of B."""
    first = make_case(coordinator_a, subject_name="Zawadi Kettleborough", danger_signs=["beaten"])
    _set_person(first, citizenship="VN", age_band="18--20", gender="Feminine")
    second = make_case(coordinator_a, subject_name="Lin Mei", danger_signs=[])
    _set_person(second, citizenship="VN", age_band="21--23", gender="Masculine")
    third = make_case(coordinator_a, subject_name="Somchai", danger_signs=["threatened"])
    _set_person(third, citizenship="TH", age_band="21--23", gender="Masculine")
    _move(coordinator_a, third, "rescued", "home")
    # Rescued 10 days after the request, home 20 days after the rescue.
    request = Request.objects.get(case=third)
    Request.objects.filter(pk=request.pk).update(received_at=NOW - datetime.timedelta(days=30))
    TimelineEvent.objects.filter(case=third, data__to="rescued").update(
        occurred_at=NOW - datetime.timedelta(days=20)
    )
    TimelineEvent.objects.filter(case=third, data__to="home").update(occurred_at=NOW)
    return first, second, third


def test_it_takes_quantiles_from_a_histogram():
    assert quantiles({}) == {"n": 0, "median": None, "p25": None, "p75": None, "min": None, "max": None}  # fmt: skip
    figures = quantiles({1: 1, 2: 1, 3: 1, 10: 1})
    assert (figures["n"], figures["median"], figures["p25"], figures["p75"]) == (4, 2, 1, 3)
    assert (figures["min"], figures["max"]) == (1, 10)
    assert quantiles({5: 7})["median"] == 5


@given(st.dictionaries(st.integers(0, 400), st.integers(1, 50), min_size=1, max_size=40))
def test_it_takes_the_same_quantiles_as_the_sorted_list(histogram):
    values = sorted(day for day, n in histogram.items() for _ in range(n))
    figures = quantiles(histogram)
    for key, percent in (("p25", 25), ("median", 50), ("p75", 75)):
        assert figures[key] == values[math.ceil(percent * len(values) / 100) - 1]
    assert (figures["min"], figures["max"], figures["n"]) == (values[0], values[-1], len(values))


def test_it_folds_days_into_weeks_with_a_last_open_bin():
    weeks = weekly({0: 1, 6: 1, 7: 2, 400: 3, -2: 1})
    assert (
        weeks[0] == [0, 3] and weeks[1] == [1, 2] and weeks[-1] == [statistics.HISTOGRAM_WEEKS, 3]
    )


def test_it_computes_the_figures(desk, coordinator_a, coordinator_b):
    make_case(coordinator_b)  # another organisation: never counted
    data = statistics.compute_dashboard(
        actor=coordinator_a, filters=DashboardFilters(), include_sites=True
    )
    assert data["cases"] == 3
    open_by_state = {row[0]: row[1:] for row in data["open_by_state"]}
    # critical, high, normal; the third case is home (still open, follow-up).
    assert open_by_state["reported"] == [1, 0, 1]
    assert open_by_state["home"] == [0, 1, 0]
    assert dict(data["citizenship"]) == {"VN": 2, "TH": 1}
    assert dict(data["age_bands"])["21--23"] == 2
    assert dict(data["gender"])["Masculine"] == 2
    assert sum(n for _day, n in data["requests_per_day"]) == 3  # the last 90 days
    durations = data["durations"]
    assert durations["request_to_rescue"]["median"] == 10
    assert durations["rescue_to_home"]["median"] == 20
    assert durations["rescue_to_home"]["n"] == 1


def test_it_counts_cases_waiting_too_long(desk, coordinator_a):
    first = desk[0]
    Case.objects.filter(pk=first.pk).update(status_changed_at=NOW - datetime.timedelta(days=5))
    data = statistics.compute_dashboard(
        actor=coordinator_a, filters=DashboardFilters(), include_sites=False
    )
    waiting = {row[0]: row[1:] for row in data["waiting_too_long"]}
    assert waiting["reported"][0] == 1  # over the two-day limit
    assert waiting["reported"][2] == 5
    assert waiting["home"][0] == 0


def test_it_filters_by_period_country_and_site(desk, coordinator_a):
    first, second, _third = desk
    kk = make_site(coordinator_a, name="KK Park")
    claim(coordinator_a, kk, "active")
    sighting_record(
        actor=coordinator_a, person=first.person, site=kk, seen_at=NOW, source="rescued"
    )
    by_site = statistics.compute_dashboard(
        actor=coordinator_a, filters=DashboardFilters(site=kk), include_sites=True
    )
    assert by_site["cases"] == 1
    assert by_site["people_by_site"][0][0] == "KK Park" and by_site["people_by_site"][0][2] == 1
    assert dict(by_site["sites_by_status"])["active"] == 1
    by_country = statistics.compute_dashboard(
        actor=coordinator_a, filters=DashboardFilters(country="KH"), include_sites=True
    )
    assert by_country["cases"] == 0 and dict(by_country["sites_by_status"])["active"] == 0
    Case.objects.filter(pk=second.pk).update(created_at=NOW - datetime.timedelta(days=400))
    recent = statistics.compute_dashboard(
        actor=coordinator_a,
        filters=DashboardFilters(start=(NOW - datetime.timedelta(days=100)).date()),
        include_sites=False,
    )
    assert recent["cases"] == 2


def test_it_caches_a_snapshot_and_recomputes_when_stale_or_asked(desk, coordinator_a, settings):
    first = dashboard.dashboard_snapshot(actor=coordinator_a, filters=DashboardFilters())
    make_case(coordinator_a)
    again = dashboard.dashboard_snapshot(actor=coordinator_a, filters=DashboardFilters())
    assert again.pk == first.pk and again.data["cases"] == 3  # cached
    fresh = dashboard.dashboard_snapshot(
        actor=coordinator_a, filters=DashboardFilters(), refresh=True
    )
    assert fresh.data["cases"] == 4
    DashboardSnapshot.objects.update(computed_at=NOW - datetime.timedelta(hours=1))
    settings.LIFELINE_DASHBOARD_MAX_AGE_SECONDS = 60
    make_case(coordinator_a)
    stale = dashboard.dashboard_snapshot(actor=coordinator_a, filters=DashboardFilters())
    assert stale.data["cases"] == 5
    assert DashboardSnapshot.objects.count() == 1
    # Snapshots of other filters not asked for in a day are dropped.
    dashboard.dashboard_snapshot(actor=coordinator_a, filters=DashboardFilters(country="VN"))
    assert DashboardSnapshot.objects.count() == 2
    DashboardSnapshot.objects.filter(filters__country="VN").update(
        computed_at=NOW - datetime.timedelta(days=2)
    )
    dashboard.dashboard_snapshot(actor=coordinator_a, filters=DashboardFilters(), refresh=True)
    assert DashboardSnapshot.objects.count() == 1


def test_it_keeps_separate_snapshots_for_members_who_do_not_see_sites(desk, coordinator_a, admin_a):
    kk = make_site(coordinator_a, name="KK Park")
    sighting_record(
        actor=coordinator_a, person=desk[0].person, site=kk, seen_at=NOW, source="rescued"
    )
    with_sites = dashboard.dashboard_snapshot(actor=coordinator_a, filters=DashboardFilters())
    without = dashboard.dashboard_snapshot(actor=admin_a, filters=DashboardFilters())
    assert with_sites.key != without.key
    assert "KK Park" in str(with_sites.data) and "KK Park" not in str(without.data)
    assert [c.id for c in dashboard.charts(without)][-1] == "waiting_too_long"


def _page(login, membership, query=""):
    response = login(membership).get(f"/reports/{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_charts_tables_and_freshness_without_personal_data(desk, login, analyst_a):
    page = _page(login, analyst_a)
    assert page.count("<svg") >= 9 and "<table>" in page
    assert "As of" in page and "Refresh" in page
    for personal in ["Zawadi", "Kettleborough", "Lin Mei", "Somchai", desk[0].reference, str(desk[0].uid), str(desk[0].person.uid)]:  # fmt: skip
        assert personal not in page
    assert "/cases/" not in page and "/people/" not in page  # nothing to drill into
    event = AuditEvent.objects.filter(action="reports.dashboard.viewed").latest("seq")
    assert event.payload == {"filters": []}


def test_it_refuses_a_bad_period_with_a_message(desk, login, coordinator_a):
    page = _page(login, coordinator_a, "?start=2026-05-01&end=2026-04-01")
    assert "must not be before its start" in page
    assert "<svg" not in page
    assert DashboardSnapshot.objects.count() == 0


def test_it_refreshes_on_demand(desk, login, coordinator_a):
    client = login(coordinator_a)
    client.get("/reports/")
    make_case(coordinator_a)
    response = client.post("/reports/refresh/", {"country": "VN"})
    assert response.status_code == 302 and response["Location"] == "/reports/?country=VN"
    response = client.post("/reports/refresh/", {})
    assert response["Location"] == "/reports/"
    assert DashboardSnapshot.objects.get(filters__country="").data["cases"] == 4


def test_it_downloads_a_chart_as_safe_csv(desk, login, coordinator_a):
    kk = make_site(coordinator_a, name='=HYPERLINK("http://x")')
    sighting_record(
        actor=coordinator_a, person=desk[0].person, site=kk, seen_at=NOW, source="rescued"
    )
    response = login(coordinator_a).get("/reports/dashboard/people_by_site.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["site", "persons", "sightings"]
    assert rows[1][0].startswith("'=")
    event = AuditEvent.objects.filter(action="reports.dashboard.exported").latest("seq")
    assert event.payload["chart"] == "people_by_site"
    citizenship = login(coordinator_a).get("/reports/dashboard/citizenship.csv").content.decode()
    assert "VN,2" in citizenship
    assert login(coordinator_a).get("/reports/dashboard/nothing.csv").status_code == 404


def test_it_escapes_site_names_in_the_charts(desk, login, coordinator_a):
    kk = make_site(coordinator_a, name="<script>alert(1)</script>")
    sighting_record(
        actor=coordinator_a, person=desk[0].person, site=kk, seen_at=NOW, source="rescued"
    )
    page = _page(login, coordinator_a)
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_it_gives_the_figures_in_the_api(desk, analyst_a, coordinator_b):
    response = api_client(analyst_a).get("/api/v1/reports/dashboard?country=")
    assert response.status_code == 200
    body = response.json()
    assert body["cases"] == 3 and body["fresh_for_seconds"] > 0
    charts = {c["id"]: c for c in body["charts"]}
    assert charts["citizenship"]["rows"] == [["VN", 2], ["TH", 1]]
    assert "Zawadi" not in response.content.decode()
    other = api_client(coordinator_b).get("/api/v1/reports/dashboard").json()
    assert other["cases"] == 0


def test_it_refuses_bad_filters_in_the_api(desk, coordinator_a, coordinator_b):
    client = api_client(coordinator_a)
    assert (
        client.get("/api/v1/reports/dashboard?start=2026-05-01&end=2026-04-01").status_code == 422
    )
    assert client.get("/api/v1/reports/dashboard?country=XX").status_code == 422
    assert client.get("/api/v1/reports/dashboard?end=0001-01-01").status_code == 422
    assert client.get("/api/v1/reports/dashboard?start=2026-02-31").status_code == 422
    assert client.get("/api/v1/reports/dashboard?start=0").status_code == 422
    # Another organisation's site is not found, as a missing one.
    theirs = make_site(coordinator_b, name="Theirs")
    response = client.get(f"/api/v1/reports/dashboard?site={theirs.uid}")
    assert response.status_code == 404 and response.json() == {"detail": "Not found."}


def test_it_prints_the_dashboard_from_the_command_line(desk, coordinator_a, capsys):
    call_command("report", "dashboard", "--organisation", "mekong", "--member", "coord_a", "--json")
    out = capsys.readouterr().out
    assert '"cases": 3' in out and "Zawadi" not in out
    call_command("report", "dashboard", "--organisation", "mekong", "--member", "coord_a")
    assert "Open cases by state and urgency" in capsys.readouterr().out


def test_it_keeps_the_chosen_filters_in_the_form(desk, login, coordinator_a):
    kk = make_site(coordinator_a, name="KK Park")
    page = _page(login, coordinator_a, f"?country=KH&site={kk.uid}")
    assert '<option value="KH" selected>' in page
    assert f'<option value="{kk.uid}" selected>KK Park</option>' in page
