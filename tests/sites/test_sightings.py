"""Sightings: the trail of a person who is moved, who was last known at a site, and erasure."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from lifeline.audit.models import AuditEvent
from lifeline.privacy.services import person_erase
from lifeline.sites import selectors
from lifeline.sites.models import Sighting
from lifeline.sites.sightings import sighting_record
from lifeline.sites.trail import trail_map
from tests.api import api_client, call
from tests.factories import make_case, make_site

T0 = datetime.datetime(2026, 1, 5, 9, 0, tzinfo=datetime.UTC)


def _seen(actor, person, *, days=0, **where):
    where.setdefault("source", "family")
    return sighting_record(
        actor=actor, person=person, seen_at=T0 + datetime.timedelta(days=days), **where
    )


@pytest.fixture
def sites(coordinator_a):
    kk = make_site(coordinator_a, name="KK Park", aliases=[], latitude=16.7473, longitude=98.5266)
    romans = make_site(coordinator_a, name="Kings Romans", aliases=["金木棉"], country="LA", latitude=20.35, longitude=100.08)  # fmt: skip
    return kk, romans


def test_it_keeps_one_latest_sighting_per_person_in_any_order(coordinator_a, case_a, sites):
    kk, romans = sites
    person = case_a.person
    _seen(coordinator_a, person, days=10, site=romans)
    _seen(coordinator_a, person, days=0, site=kk)  # an older account recorded later
    latest = Sighting.objects.filter(person=person, is_latest=True).get()
    assert latest.site == romans
    _seen(coordinator_a, person, days=20, place="Bus station, Houayxay", country="LA")
    assert (
        Sighting.objects.filter(person=person, is_latest=True).get().place
        == "Bus station, Houayxay"
    )
    assert [s.site_id for s in selectors.person_trail(person=person)] == [kk.pk, romans.pk, None]


@pytest.mark.parametrize(
    "where,field",
    [
        ({}, "site"),
        ({"place": "Poipet", "site": "both"}, "site"),
        ({"place": "Poipet", "country": "KH", "latitude": 13.65, "longitude": None}, "longitude"),
        ({"place": "Poipet", "country": "KH", "latitude": 102.56, "longitude": 13.65}, "latitude"),
    ],
)
def test_it_refuses_a_sighting_without_exactly_one_place(
    coordinator_a, case_a, sites, where, field
):
    if where.get("site") == "both":
        where["site"] = sites[0]
    with pytest.raises(ValidationError) as exc:
        _seen(coordinator_a, case_a.person, **where)
    assert field in exc.value.message_dict
    assert not Sighting.objects.exists()


def test_it_refuses_a_sighting_in_the_future_or_without_a_zone(coordinator_a, case_a, sites):
    for when in (timezone.now() + datetime.timedelta(days=1), datetime.datetime(2026, 1, 1)):  # noqa: DTZ001
        with pytest.raises(ValidationError):
            sighting_record(actor=coordinator_a, person=case_a.person, seen_at=when, source="family", site=sites[0])  # fmt: skip


def test_it_encrypts_the_place_and_note(coordinator_a, case_a):
    from django.db import connection

    sighting = _seen(coordinator_a, case_a.person, place="Behind the durian market", note="Called from a guard's phone")  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SELECT place, note FROM sites_sighting WHERE id = %s", [sighting.pk])
        assert "durian" not in "".join(cursor.fetchone())


def test_it_shows_who_was_last_known_at_a_site_by_case_permission(
    coordinator_a, caseworker_a, analyst_a, case_a, sites
):
    kk, _romans = sites
    other = make_case(
        coordinator_a, subject_name="Somchai Jaidee", subject_contact="+66 81 234 5678"
    )
    _seen(coordinator_a, case_a.person, site=kk)
    _seen(coordinator_a, other.person, site=kk)
    full = selectors.site_occupancy(actor=coordinator_a, site=kk)
    assert (full.total, len(full.visible)) == (2, 2)
    mine = selectors.site_occupancy(actor=caseworker_a, site=kk)
    assert (mine.total, [s.person_id for s in mine.visible], mine.hidden) == (
        2,
        [case_a.person_id],
        1,
    )
    # Two persons are too few to count for an analyst: "fewer than 3".
    counts = selectors.site_occupancy(actor=analyst_a, site=kk)
    assert (counts.total, counts.visible, counts.few, counts.active_cases) == (0, [], True, None)


def test_it_shows_the_trail_on_the_person_page(login, caseworker_a, coordinator_a, case_a, sites):
    kk, romans = sites
    _seen(coordinator_a, case_a.person, site=kk, source="rescued")
    _seen(coordinator_a, case_a.person, days=3, site=romans)
    body = login(caseworker_a).get(case_a.person.get_absolute_url()).content.decode()
    assert body.index("KK Park") < body.index("Kings Romans")
    assert "crossed a border" in body and "<svg" in body and "<polyline" in body


def test_it_records_a_sighting_from_the_person_page(login, caseworker_a, case_a, sites):
    kk, _romans = sites
    url = reverse("sites:sighting_add", args=[case_a.person.uid])
    response = login(caseworker_a).post(url, {"seen_at": "2026-01-05T10:00", "source": "check_in", "site": "kk park"})  # fmt: skip
    assert response.status_code == 302 and response["Location"].endswith("#trail")
    assert Sighting.objects.get().site == kk
    refused = login(caseworker_a).post(url, {"seen_at": "2026-01-05T10:00", "source": "check_in"})
    assert refused.status_code == 400 and Sighting.objects.count() == 1


def test_it_hides_persons_on_the_site_page_from_analysts(
    login, analyst_a, coordinator_a, case_a, sites
):
    kk, _romans = sites
    _seen(coordinator_a, case_a.person, site=kk)
    page = login(analyst_a).get(kk.get_absolute_url()).content.decode()
    assert "Fewer than 3 persons whose last sighting is here" in page and "张伟" not in page
    page = login(coordinator_a).get(kk.get_absolute_url()).content.decode()
    assert "张伟" in page
    event = AuditEvent.objects.filter(action="sites.site.viewed").order_by("-seq").first()
    assert event.payload["person_ids"] == [case_a.person_id]


def test_it_refuses_sightings_of_persons_the_member_may_not_see(
    login, other_caseworker_a, coordinator_b, case_a
):
    url = reverse("sites:sighting_add", args=[case_a.person.uid])
    data = {"seen_at": "2026-01-05T10:00", "source": "check_in", "place": "Poipet"}
    assert login(other_caseworker_a).post(url, data).status_code == 404
    assert login(coordinator_b).post(url, data).status_code == 404


def test_it_erases_sightings_with_the_person(coordinator_a, case_a, sites):
    kk, _romans = sites
    person = case_a.person
    sighting = _seen(coordinator_a, person, site=kk, note="Seen at the gate")
    result = person_erase(actor=coordinator_a, person=person, reason="survivor_wish", confirmation="ERASE")  # fmt: skip
    assert result.counts["sightings"] == 1
    assert not Sighting.objects.exists()
    recorded = AuditEvent.objects.get(action="sites.sighting.recorded")
    assert "person_id" not in recorded.payload and recorded.object_id == str(sighting.pk)
    with pytest.raises(ValidationError):
        _seen(coordinator_a, person, site=kk)


def test_it_draws_the_trail_in_its_box():
    class Step:
        def __init__(self, point):
            self.point, self.site_id, self.place = point, None, "x"

    drawn = trail_map([Step((16.7, 98.5)), Step(None), Step((20.35, 100.08))])
    assert [p.n for p in drawn.points] == [1, 3]
    assert all(0 <= p.x <= drawn.width and 0 <= p.y <= drawn.height for p in drawn.points)
    assert trail_map([Step(None)]) is None


def test_it_serves_the_trail_and_occupancy_in_the_api(
    coordinator_a, caseworker_a, analyst_a, case_a, sites
):
    kk, romans = sites
    client = api_client(caseworker_a)
    url = f"/api/v1/persons/{case_a.person.uid}/sightings"
    made = call(client, "post", url, {"seen_at": "2026-01-05T09:00:00+07:00", "source": "rescued", "site": str(kk.uid)})  # fmt: skip
    assert made.status_code == 201, made.json()
    assert made.json()["site_name"] == "KK Park" and made.json()["latitude"] == 16.7473
    bad = call(client, "post", url, {"seen_at": "2026-01-06T09:00:00+07:00", "source": "rescued"})
    assert bad.status_code == 422 and bad.json()["detail"][0]["loc"] == ["body", "site"]
    assert client.get(url).json()["count"] == 1
    assert api_client(analyst_a).get(url).status_code == 404
    occupancy = api_client(coordinator_a).get(f"/api/v1/sites/{kk.uid}/occupancy").json()
    assert occupancy == {"total": 1, "persons": [{"person": str(case_a.person.uid), "seen_at": "2026-01-05T02:00:00Z", "source": "rescued"}]}  # fmt: skip
    assert api_client(analyst_a).get(f"/api/v1/sites/{kk.uid}/occupancy").json() == {"total": None, "persons": []}  # fmt: skip
