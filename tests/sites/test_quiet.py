"""The quiet-site rule: persons last known at one site go silent, are moved or lose contact
within a short window."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from lifeline.cases import services as case_services
from lifeline.sites.quiet import Thresholds, quiet_sites
from lifeline.sites.sightings import sighting_record
from tests.factories import make_case, make_site

NOW = timezone.now()
RULE = Thresholds(
    min_people=3, window=datetime.timedelta(days=7), silence=datetime.timedelta(hours=72)
)


def _hours_ago(hours):
    return NOW - datetime.timedelta(hours=hours)


def _person(coordinator, n):
    return make_case(
        coordinator, subject_name=f"Person {n}", subject_contact=f"+66 81 234 56{n:02d}"
    )


@pytest.fixture
def kk(coordinator_a):
    return make_site(coordinator_a, name="KK Park", aliases=[])


def _check_in(actor, case, site, hours):
    return sighting_record(actor=actor, person=case.person, site=site, source="check_in", seen_at=_hours_ago(hours))  # fmt: skip


def _scan(actor, **kwargs):
    return quiet_sites(actor=actor, thresholds=RULE, now=NOW, **kwargs)


def test_it_raises_an_alert_when_enough_persons_go_silent_within_the_window(coordinator_a, kk):
    cases = [_person(coordinator_a, n) for n in range(3)]
    for case in cases:
        _check_in(coordinator_a, case, kk, hours=80)  # silent for 80 h > 72 h
    [alert] = _scan(coordinator_a)
    assert alert.site == kk and alert.count == 3
    assert {p.reason for p in alert.persons} == {"silent"}


def test_it_stays_calm_below_the_threshold_or_outside_the_window(coordinator_a, kk):
    recent = [_person(coordinator_a, n) for n in range(3)]
    _check_in(coordinator_a, recent[0], kk, hours=80)
    _check_in(coordinator_a, recent[1], kk, hours=80)
    _check_in(coordinator_a, recent[2], kk, hours=10)  # checked in 10 h ago: not silent
    assert _scan(coordinator_a) == []
    old = [_person(coordinator_a, n) for n in range(3, 6)]
    for case in old:
        _check_in(coordinator_a, case, kk, hours=24 * 30)  # went silent weeks ago: old news
    assert _scan(coordinator_a) == []


def test_it_counts_persons_reported_moved_or_out_of_contact(coordinator_a, kk):
    cases = [_person(coordinator_a, n) for n in range(3)]
    for case in cases:
        sighting_record(actor=coordinator_a, person=case.person, site=kk, source="family", seen_at=_hours_ago(200))  # fmt: skip
    for case, status in zip(cases, ["lost_contact", "moved", "lost_contact"], strict=True):
        case_services.case_move(actor=coordinator_a, case=case, to_status="verifying", reason="x", expected_version=case.version)  # fmt: skip
        case.refresh_from_db()
        case_services.case_move(actor=coordinator_a, case=case, to_status=status, reason="x", expected_version=case.version)  # fmt: skip
    [alert] = _scan(coordinator_a)
    assert sorted(p.reason for p in alert.persons) == ["lost_contact", "lost_contact", "moved"]


def test_it_forgets_persons_seen_elsewhere_since(coordinator_a, kk):
    other = make_site(coordinator_a, name="Shwe Kokko", aliases=[])
    cases = [_person(coordinator_a, n) for n in range(3)]
    for case in cases:
        _check_in(coordinator_a, case, kk, hours=80)
    sighting_record(actor=coordinator_a, person=cases[0].person, site=other, source="family", seen_at=_hours_ago(5))  # fmt: skip
    assert _scan(coordinator_a) == []


def test_it_names_persons_only_to_those_who_may_see_them(
    coordinator_a, caseworker_a, analyst_a, admin_a, kk
):
    cases = [_person(coordinator_a, n) for n in range(3)]
    case_services.case_assign(actor=coordinator_a, case=cases[0], assignee=caseworker_a)
    for case in cases:
        _check_in(coordinator_a, case, kk, hours=80)
    assert len(_scan(coordinator_a)[0].visible) == 3
    mine = _scan(caseworker_a)[0]
    assert ([p.person_id for p in mine.visible], mine.hidden) == ([cases[0].person_id], 2)
    assert (_scan(analyst_a)[0].visible, _scan(analyst_a)[0].count) == ([], 3)
    assert _scan(admin_a) == []


def test_it_shows_the_alert_on_the_desk(login, settings, coordinator_a, analyst_a, kk):
    cases = [_person(coordinator_a, n) for n in range(3)]
    for case in cases:
        _check_in(coordinator_a, case, kk, hours=80)
    body = login(coordinator_a).get(reverse("core:home")).content.decode()
    assert "Sites gone quiet" in body and "KK Park" in body and "Person 1" in body
    analyst = login(analyst_a).get(reverse("core:home")).content.decode()
    assert "Sites gone quiet" in analyst and "3 persons" in analyst and "Person 1" not in analyst
    settings.LIFELINE_QUIET_SITE_MIN_PEOPLE = 4
    assert "Sites gone quiet" not in login(coordinator_a).get(reverse("core:home")).content.decode()
