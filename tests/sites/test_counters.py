"""The counts kept on each site equal a recount from the rows after every operation that
changes sightings or cases: a sighting (newer or older than the latest), a case opened for a
known person, a case moved out of and back into the active states, a merge and its undo, an
erasure. And ``lifeline sites recount`` repairs counts that drifted."""

import datetime
import io

import pytest
from django.core.management import call_command

from lifeline.cases.services import case_move, request_open_case
from lifeline.linkage import services as linkage
from lifeline.linkage.models import MergeRecord
from lifeline.privacy.services import person_erase
from lifeline.sites.counters import ACTIVE_CASE_STATES, count_sites
from lifeline.sites.models import Site
from lifeline.sites.sightings import sighting_record
from tests.factories import make_case, make_person, make_request, make_site

T0 = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC)


def _seen(actor, person, site, *, days=0):
    return sighting_record(
        actor=actor,
        person=person,
        site=site,
        source="family",
        seen_at=T0 + datetime.timedelta(days=days),
    )


def kept(*sites):
    """(persons last known there, sightings, active cases) as kept on each site's row."""
    rows = Site.objects.filter(pk__in=[s.pk for s in sites]).in_bulk()
    return [
        (
            rows[s.pk].people_count,
            rows[s.pk].sighting_count,
            rows[s.pk].active_case_count,
        )
        for s in sites
    ]


def assert_recounted(org_id, *sites):
    truth = count_sites(organisation_id=org_id)
    assert kept(*sites) == [truth.get(s.pk, (0, 0, 0)) for s in sites]


@pytest.fixture
def places(coordinator_a):
    kk = make_site(coordinator_a, name="KK Park", aliases=[], latitude=16.7473, longitude=98.5266)
    romans = make_site(coordinator_a, name="Kings Romans", aliases=[], country="LA", latitude=20.35, longitude=100.08)  # fmt: skip
    return kk, romans


def test_it_counts_sightings_and_the_latest_per_site(coordinator_a, case_a, places):
    kk, romans = places
    org = coordinator_a.organisation_id
    _seen(coordinator_a, case_a.person, kk)
    assert kept(kk, romans) == [(1, 1, 1), (0, 0, 0)]
    assert_recounted(org, kk, romans)
    _seen(coordinator_a, case_a.person, romans, days=3)  # moved on
    assert kept(kk, romans) == [(0, 1, 0), (1, 1, 1)]
    assert_recounted(org, kk, romans)
    _seen(coordinator_a, case_a.person, kk, days=1)  # an older account, recorded later
    assert kept(kk, romans) == [(0, 2, 0), (1, 1, 1)]
    assert_recounted(org, kk, romans)


def test_it_counts_active_cases_as_they_open_and_move(coordinator_a, places):
    kk, romans = places
    org = coordinator_a.organisation_id
    person = make_person(coordinator_a, "Somchai Jaidee")
    _seen(coordinator_a, person, kk)
    assert kept(kk) == [(1, 1, 0)]  # no case yet
    case = request_open_case(
        actor=coordinator_a, req=make_request(coordinator_a, subject_name=""), person=person
    )
    assert kept(kk) == [(1, 1, 1)]
    assert_recounted(org, kk)
    for state in ("rescued", "sheltered", "home"):
        case.refresh_from_db()
        case = case_move(
            actor=coordinator_a,
            case=case,
            to_status=state,
            reason="Step",
            expected_version=case.version,
        )
    assert "home" not in ACTIVE_CASE_STATES
    assert kept(kk) == [(1, 1, 0)]
    assert_recounted(org, kk)


def test_it_recounts_after_a_merge_and_its_undo(coordinator_a, places):
    kk, romans = places
    org = coordinator_a.organisation_id
    case = make_case(coordinator_a, subject_name="张伟", subject_contact="+86 138 0013 8000")
    other = make_person(coordinator_a, "Wei Zhang", phone="+855 12 345 678")
    _seen(coordinator_a, case.person, kk)
    _seen(coordinator_a, other, romans, days=2)
    assert kept(kk, romans) == [(1, 1, 1), (1, 1, 0)]
    linkage.pair_decide(actor=coordinator_a, person=case.person, other=other, decision="same")
    # One person now, last known at Kings Romans, with the case.
    assert kept(kk, romans) == [(0, 1, 0), (1, 1, 1)]
    assert_recounted(org, kk, romans)
    linkage.merge_undo(actor=coordinator_a, record=MergeRecord.objects.get())
    assert kept(kk, romans) == [(1, 1, 1), (1, 1, 0)]
    assert_recounted(org, kk, romans)


def test_it_recounts_after_an_erasure(coordinator_a, case_a, places):
    kk, romans = places
    org = coordinator_a.organisation_id
    _seen(coordinator_a, case_a.person, kk)
    _seen(coordinator_a, case_a.person, romans, days=1)
    person_erase(
        actor=coordinator_a, person=case_a.person, reason="survivor_wish", confirmation="ERASE"
    )
    assert kept(kk, romans) == [(0, 0, 0), (0, 0, 0)]
    assert_recounted(org, kk, romans)


def test_it_repairs_drifted_counts_from_the_command(coordinator_a, case_a, places):
    kk, romans = places
    _seen(coordinator_a, case_a.person, kk)
    Site.objects.filter(pk=kk.pk).update(people_count=7, sighting_count=0)
    Site.objects.filter(pk=romans.pk).update(active_case_count=2)
    out = io.StringIO()
    call_command("sites", "recount", stdout=out)
    assert kept(kk, romans) == [(1, 1, 1), (0, 0, 0)]
    assert f"{coordinator_a.organisation.slug}: 2 sites recounted, 2 corrected." in out.getvalue()
    out = io.StringIO()
    call_command("sites", "recount", "--organisation", coordinator_a.organisation.slug, stdout=out)
    assert "0 corrected" in out.getvalue()
