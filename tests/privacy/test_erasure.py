"""Erasing a person: every personal field, the audit payloads, and a chain that still verifies."""

import datetime
import json

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from lifeline.audit.models import AuditEvent
from lifeline.audit.verify import verify_chain
from lifeline.cases import services as case_services
from lifeline.cases.models import Case, CaseSearchToken, Request, TimelineEvent
from lifeline.core.errors import NotPermitted
from lifeline.people.models import ContactHandle, Identifier, NameToken, Person, PersonName
from lifeline.people.selectors import person_search
from lifeline.people.services import person_add_identifier, person_add_name
from lifeline.privacy.services import person_erase
from tests.factories import make_case

SECRETS = [
    "张伟",
    "Zhang Wei",
    "Sihanoukville",
    "locked in",
    "+85512345678",
    "E1234567",
    "beaten daily",
]


def _raw_rows() -> str:
    """Every encrypted value decrypted, plus the clear columns, as one string to search."""
    dumped = []
    for model in (Person, PersonName, ContactHandle, Identifier, Case, Request, TimelineEvent):
        for obj in model.objects.all():
            dumped.append(
                json.dumps(
                    {f.name: str(getattr(obj, f.attname)) for f in model._meta.concrete_fields},
                    ensure_ascii=False,
                )
            )
    return "\n".join(dumped)


@pytest.fixture
def victim_case(coordinator_a, caseworker_a):
    case = make_case(coordinator_a, assignee=caseworker_a)
    case_services.case_update(
        actor=coordinator_a,
        case=case,
        expected_version=case.version,
        summary="Locked in at Sihanoukville, beaten",
        last_known_location="Sihanoukville building C",
    )
    case_services.timeline_add(
        actor=coordinator_a, case=case, kind="note", body="He says he is beaten daily"
    )
    person_add_identifier(
        actor=coordinator_a, person=case.person, kind="passport", value="E1234567"
    )
    person_add_name(actor=coordinator_a, person=case.person, value="Zhang Wei")
    case.refresh_from_db()
    return case


def test_erasure_scrubs_every_personal_field_and_keeps_the_counts(coordinator_a, victim_case):
    before = _raw_rows()
    assert all(secret in before for secret in ["张伟", "Sihanoukville", "E1234567", "beaten daily"])

    result = person_erase(
        actor=coordinator_a,
        person=victim_case.person,
        reason="survivor_wish",
        confirmation="ERASE",
    )

    after = _raw_rows()
    for secret in SECRETS:
        assert secret not in after
    assert result.counts["names"] == 2 and result.counts["identifiers"] == 1
    assert NameToken.objects.count() == 0 and CaseSearchToken.objects.count() == 0
    # The case stays as a number, for the statistics.
    case = Case.objects.get(pk=victim_case.pk)
    assert case.erased_at is not None and case.status == victim_case.status
    assert Person.objects.get(pk=victim_case.person_id).erased_at is not None
    assert not person_search(actor=coordinator_a, name="Zhang Wei").exists()


def test_erasure_scrubs_audit_payloads_and_the_chain_still_verifies(coordinator_a, victim_case):
    person = victim_case.person
    about = AuditEvent.objects.filter(object_type="cases.case", object_id=str(victim_case.pk))
    assert about.exclude(payload={}).exists()
    # Events about the case, its person and its requests are scrubbed; the others must not be.
    # (Ids of different tables only coincide by chance, as on a fresh SQLite database.)
    about_victim = {
        ("cases.case", str(victim_case.pk)),
        ("people.person", str(person.pk)),
        *(("cases.request", str(pk)) for pk in victim_case.requests.values_list("pk", flat=True)),
    }
    unrelated_payloads = {
        e.pk: e.payload
        for e in AuditEvent.objects.all()
        if (e.object_type, e.object_id) not in about_victim
        and str(e.object_id) not in (str(victim_case.pk), str(person.pk))
        and "request_id" not in e.payload
    }

    person_erase(actor=coordinator_a, person=person, reason="subject_request", confirmation="ERASE")

    erasure = AuditEvent.objects.get(action="privacy.person.erased")
    assert erasure.payload["reason"] == "subject_request"
    for event in AuditEvent.objects.filter(object_id__in=[str(victim_case.pk), str(person.pk)]):
        if event.seq < erasure.seq:
            assert event.payload == {"scrubbed_by": erasure.seq}
    for pk, payload in unrelated_payloads.items():
        assert AuditEvent.objects.get(pk=pk).payload == payload
    checked, problem = verify_chain()
    assert problem is None and checked == AuditEvent.objects.count()


def test_a_forged_scrub_marker_fails_verification(coordinator_a, victim_case):
    event = (
        AuditEvent.objects.filter(action="cases.case.moved").first()
        or AuditEvent.objects.exclude(payload={}).first()
    )
    AuditEvent.objects.filter(pk=event.pk).update(payload={"scrubbed_by": event.seq + 1})
    _checked, problem = verify_chain()
    assert problem is not None and problem.seq == event.seq


def test_erasure_needs_the_confirmation_word_and_a_reason(coordinator_a, victim_case):
    before = _raw_rows()
    with pytest.raises(ValidationError):
        person_erase(
            actor=coordinator_a,
            person=victim_case.person,
            reason="survivor_wish",
            confirmation="erase it",
        )
    with pytest.raises(ValidationError):
        person_erase(
            actor=coordinator_a, person=victim_case.person, reason="retention", confirmation="ERASE"
        )
    assert _raw_rows() == before


def test_only_coordinators_erase(caseworker_a, analyst_a, victim_case):
    for actor in (caseworker_a, analyst_a):
        with pytest.raises(NotPermitted):
            person_erase(
                actor=actor, person=victim_case.person, reason="survivor_wish", confirmation="ERASE"
            )


def test_an_erased_person_takes_no_new_data(coordinator_a, victim_case):
    person_erase(
        actor=coordinator_a, person=victim_case.person, reason="survivor_wish", confirmation="ERASE"
    )
    person = Person.objects.get(pk=victim_case.person_id)
    with pytest.raises(ValidationError):
        person_add_name(actor=coordinator_a, person=person, value="Zhang Wei")
    with pytest.raises(ValidationError):
        person_erase(
            actor=coordinator_a, person=person, reason="survivor_wish", confirmation="ERASE"
        )


def test_no_ciphertext_of_the_erased_values_is_left_in_the_database(coordinator_a, victim_case):
    person_erase(
        actor=coordinator_a, person=victim_case.person, reason="survivor_wish", confirmation="ERASE"
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM people_personname")
        assert cursor.fetchone()[0] == 0
        cursor.execute("SELECT summary, last_known_location FROM cases_case")
        assert cursor.fetchall() == [("", "")]
        cursor.execute("SELECT body FROM cases_timelineevent")
        assert {row[0] for row in cursor.fetchall()} == {""}


def test_erasure_does_not_touch_another_person(coordinator_a, victim_case):
    other = make_case(coordinator_a, subject_name="Somchai Jaidee")
    person_erase(
        actor=coordinator_a, person=victim_case.person, reason="survivor_wish", confirmation="ERASE"
    )
    other.refresh_from_db()
    assert other.erased_at is None
    assert [n.value for n in other.person.names.all()] == ["Somchai Jaidee"]
    assert (
        timezone.now() - datetime.timedelta(minutes=1)
        < Case.objects.get(pk=victim_case.pk).erased_at
    )
