"""A "same" merges two records; every merge can be undone exactly, keeping later changes."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from lifeline.audit.models import AuditEvent
from lifeline.cases.models import Case
from lifeline.linkage import services
from lifeline.linkage.models import CandidatePair, MergeRecord, PairStatus
from lifeline.people.models import ContactHandle, NameToken, Person, PersonName
from lifeline.people.selectors import person_search
from lifeline.people.services import IdentifierInput, person_add_name, person_update
from tests.api import NOT_FOUND, api_client, assert_audit_free_of, call
from tests.factories import make_case, make_person


@pytest.fixture
def two(coordinator_a):
    """The mother's report (a case) and the victim's own check-in, recorded apart."""
    case = make_case(coordinator_a, subject_name="张伟", subject_contact="+86 138 0013 8000")
    checkin = make_person(
        coordinator_a,
        "Wei Zhang",
        phone="+855 12 345 678",
        birth_date=datetime.date(1998, 3, 4),
        identifiers=[IdentifierInput("passport", "E12345678", "CN")],
    )
    return case.person, checkin, case


def merge(actor, a, b):
    services.pair_decide(actor=actor, person=a, other=b, decision="same")
    return MergeRecord.objects.get()


def snapshot(person):
    person.refresh_from_db()
    return {
        "names": sorted(PersonName.objects.filter(person=person).values_list("pk", "is_primary")),
        "tokens": NameToken.objects.filter(person=person).count(),
        "contacts": sorted(
            ContactHandle.objects.filter(person=person).values_list("pk", flat=True)
        ),
        "identifiers": sorted(person.identifiers.values_list("pk", flat=True)),
        "cases": sorted(Case.objects.filter(person=person).values_list("pk", flat=True)),
        "birth_date": person.birth_date,
        "age_band": person.age_band,
        "merged_into": person.merged_into_id,
    }


def test_it_merges_on_same_and_keeps_everything_with_its_provenance(coordinator_a, two):
    survivor, absorbed, case = two
    record = merge(coordinator_a, survivor, absorbed)
    survivor.refresh_from_db()
    absorbed.refresh_from_db()
    assert record.survivor == survivor and absorbed.merged_into == survivor
    assert {n.value for n in survivor.names.all()} == {"张伟", "Wei Zhang"}
    assert [n.value for n in survivor.names.all() if n.is_primary] == ["张伟"]
    assert set(survivor.contacts.values_list("value", flat=True)) == {
        "+8613800138000",
        "+85512345678",
    }
    assert survivor.identifiers.get().value == "E12345678"
    assert survivor.birth_date == datetime.date(1998, 3, 4)  # filled: it was empty
    assert Case.objects.get(pk=case.pk).person == survivor
    assert record.moved["fields"] == ["birth_date"] and len(record.moved["names"]) == 1
    # Search finds the survivor by the absorbed record's name; the absorbed one is hidden.
    assert list(person_search(actor=coordinator_a, name="Wei Zhang")) == [survivor]
    assert CandidatePair.objects.get().status == PairStatus.SAME
    event = AuditEvent.objects.get(action="linkage.persons.merged")
    assert event.payload["person_ids"] == [survivor.pk, absorbed.pk]
    assert event.payload["names"] == 1 and event.payload["fields"] == ["birth_date"]
    assert_audit_free_of("张伟", "Wei Zhang", "E12345678", "1998")


def test_it_undoes_a_merge_exactly(coordinator_a, two):
    survivor, absorbed, _case = two
    before = snapshot(survivor), snapshot(absorbed)
    record = merge(coordinator_a, survivor, absorbed)
    services.merge_undo(actor=coordinator_a, record=record)
    assert (snapshot(survivor), snapshot(absorbed)) == before
    record.refresh_from_db()
    assert record.undone_at is not None
    assert record.undo_report["gone"] == 0 and record.undo_report["kept_added_since"] == 0
    assert CandidatePair.objects.get().status == PairStatus.UNSURE
    with pytest.raises(ValidationError, match="undone already"):
        services.merge_undo(actor=coordinator_a, record=record)


def test_it_keeps_changes_made_since_the_merge_and_says_so(coordinator_a, two):
    survivor, absorbed, _case = two
    record = merge(coordinator_a, survivor, absorbed)
    survivor.refresh_from_db()
    person_add_name(actor=coordinator_a, person=survivor, value="Ah Wei")
    person_update(
        actor=coordinator_a,
        person=survivor,
        expected_version=survivor.version,
        birth_date=datetime.date(1998, 4, 3),
    )
    record = services.merge_undo(actor=coordinator_a, record=record)
    survivor.refresh_from_db()
    assert record.undo_report["kept_added_since"] == 1
    assert record.undo_report["fields_kept"] == ["birth_date"]
    assert survivor.birth_date == datetime.date(1998, 4, 3)
    assert {n.value for n in survivor.names.all()} == {"张伟", "Ah Wei"}
    assert {n.value for n in absorbed.names.all()} == {"Wei Zhang"}
    event = AuditEvent.objects.get(action="linkage.merge.undone")
    assert event.payload["fields_kept"] == ["birth_date"]


def test_it_refuses_to_merge_a_merged_record_again(coordinator_a, two):
    survivor, absorbed, _case = two
    merge(coordinator_a, survivor, absorbed)
    third = make_person(coordinator_a, "Zhang Wei")
    absorbed.refresh_from_db()
    with pytest.raises(ValidationError, match="merged into another already"):
        services.persons_merge(actor=coordinator_a, person=absorbed, other=third)


def test_the_ui_merges_from_the_pair_page_and_undoes_from_the_history(login, coordinator_a, two):
    survivor, absorbed, _case = two
    client = login(coordinator_a)
    response = client.post(
        reverse("linkage:pair_decide", args=[survivor.uid, absorbed.uid]), {"decision": "same"}
    )
    assert response.status_code == 302
    assert client.get(absorbed.get_absolute_url()).status_code == 404  # hidden while merged
    history = client.get(reverse("linkage:merge_history")).content.decode()
    assert "Undo this merge" in history and "Wei Zhang" in history
    record = MergeRecord.objects.get()
    response = client.post(reverse("linkage:merge_undo", args=[record.uid]), follow=True)
    page = response.content.decode()
    assert "The merge was undone." in page and "Moved back: 1 names, 1 contacts" in page
    assert client.get(absorbed.get_absolute_url()).status_code == 200
    again = client.post(reverse("linkage:merge_undo", args=[record.uid]), follow=True)
    assert "undone already" in again.content.decode()


def test_the_api_lists_and_undoes_merges_and_hides_them_from_others(
    coordinator_a, coordinator_b, two
):
    record = merge(coordinator_a, *two[:2])
    body = call(api_client(coordinator_a), "get", "/api/v1/merges").json()
    assert body["count"] == 1 and body["items"][0]["moved"]["names"] == 1
    url = f"/api/v1/merges/{record.uid}/undo"
    outsider = call(api_client(coordinator_b), "post", url)
    assert outsider.status_code == 404 and outsider.json() == NOT_FOUND
    response = call(api_client(coordinator_a), "post", url)
    assert response.status_code == 200 and response.json()["undo_report"]["names"] == 1
    assert call(api_client(coordinator_a), "post", url).status_code == 422


def test_erasing_the_survivor_erases_the_merged_record_too(coordinator_a, two):
    from lifeline.privacy.services import person_erase

    survivor, absorbed, _case = two
    record = merge(coordinator_a, survivor, absorbed)
    result = person_erase(
        actor=coordinator_a, person=survivor, reason="survivor_wish", confirmation="ERASE"
    )
    absorbed = Person.objects.get(pk=absorbed.pk)
    assert result.counts["merged_records"] == 1
    assert absorbed.erased_at is not None and absorbed.birth_date is None
    assert not PersonName.objects.exists()
    with pytest.raises(ValidationError, match="erased"):
        services.merge_undo(actor=coordinator_a, record=record)


def test_sightings_move_with_the_merge_and_back_with_its_undo(coordinator_a, two):
    from lifeline.sites.models import Sighting
    from lifeline.sites.sightings import sighting_record
    from tests.factories import make_site

    survivor, absorbed, _case = two
    site = make_site(coordinator_a)
    at = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC)
    older = sighting_record(
        actor=coordinator_a, person=survivor, site=site, seen_at=at, source="family"
    )
    newer = sighting_record(
        actor=coordinator_a,
        person=absorbed,
        site=site,
        seen_at=at + datetime.timedelta(days=9),
        source="check_in",
    )

    record = merge(coordinator_a, survivor, absorbed)

    assert set(Sighting.objects.filter(person=survivor).values_list("pk", flat=True)) == {
        older.pk,
        newer.pk,
    }
    assert list(Sighting.objects.filter(is_latest=True).values_list("pk", flat=True)) == [newer.pk]

    services.merge_undo(actor=coordinator_a, record=record)

    assert Sighting.objects.get(pk=older.pk).person_id == survivor.pk
    assert Sighting.objects.get(pk=newer.pk).person_id == absorbed.pk
    assert set(Sighting.objects.filter(is_latest=True).values_list("pk", flat=True)) == {
        older.pk,
        newer.pk,
    }


def test_the_person_page_shows_which_record_each_row_came_from(
    login, coordinator_a, coordinator_b, two
):
    survivor, absorbed, _case = two
    third = make_person(coordinator_a, "Zhang Wei", phone="+66 81 234 5678")
    # The check-in absorbs a friend's report first; then the mother's case absorbs both.
    services.pair_decide(actor=coordinator_a, person=absorbed, other=third, decision="same")
    services.pair_decide(actor=coordinator_a, person=survivor, other=absorbed, decision="same")
    page = login(coordinator_a).get(survivor.get_absolute_url()).content.decode()
    section = page[page.index('id="provenance"') :]
    # Oldest merge first: the friend's report, then the check-in.
    first = section.index("From the record of Zhang Wei")
    second = section.index("From the record of Wei Zhang")
    # Each row is credited to the record it was first written on, not the one it passed through.
    assert "+66 81 234 5678" in section[first:second] and "+855" not in section[first:second]
    assert "+855 12 345 678" in section[second:] and "E12345678" in section[second:]
    assert "+66 81 234 5678" not in section[second:]
    assert login(coordinator_b).get(survivor.get_absolute_url()).status_code == 404
    # Once undone, the rows are back on their own record and the block is gone.
    for record in MergeRecord.objects.order_by("-merged_at"):
        services.merge_undo(actor=coordinator_a, record=record)
    page = login(coordinator_a).get(survivor.get_absolute_url()).content.decode()
    assert 'id="provenance"' not in page


def test_the_merged_records_block_shows_names_as_text(login, coordinator_a):
    probe = '"><script>alert(1)</script>'
    first = make_person(coordinator_a, "Lin Mei", phone="+66 81 234 5678")
    second = make_person(coordinator_a, probe, phone="+66 81 234 5678")
    services.pair_decide(actor=coordinator_a, person=first, other=second, decision="same")
    page = login(coordinator_a).get(first.get_absolute_url()).content.decode()
    section = page[page.index('id="provenance"') :]
    assert "<script>alert(1)" not in section and "&lt;script&gt;alert(1)" in section
