import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from lifeline.audit.models import AuditEvent
from lifeline.cases import services
from lifeline.cases.models import Case, Request, TimelineEvent
from lifeline.cases.workflow import Urgency
from lifeline.core.errors import ConflictError, NotPermitted
from lifeline.people.models import Person
from tests.factories import make_case, make_person, make_request


def test_it_records_a_request_with_suggested_urgency(coordinator_a):
    req = make_request(coordinator_a)
    assert req.urgency == Urgency.CRITICAL
    assert req.subject_contact == "+85512345678"
    assert AuditEvent.objects.filter(action="cases.request.created", object_id=str(req.pk)).exists()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"subject_contact": "12"}, "subject_contact"),
        ({"channel": "pigeon"}, "channel"),
        ({"danger_signs": ["sad"]}, "danger_signs"),
        ({"text": "x" * 20_001}, "text"),
        ({"received_at": timezone.now() + datetime.timedelta(days=2)}, "received_at"),
        ({"subject_name": "", "subject_contact": "", "text": ""}, "text"),
    ],
)
def test_it_refuses_bad_requests_and_writes_nothing(coordinator_a, overrides, field):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as info:
        make_request(coordinator_a, **overrides)
    assert field in info.value.message_dict
    assert Request.objects.count() == 0 and AuditEvent.objects.count() == before


def test_it_opens_a_case_with_a_new_person_from_the_request(coordinator_a):
    req = make_request(coordinator_a, subject_name="张伟 / Zhang Wei")
    case = services.request_open_case(actor=coordinator_a, req=req)
    assert case.reference.startswith("MR-") and case.status == "reported"
    assert sorted(n.value for n in case.person.names.all()) == ["Zhang Wei", "张伟"]
    assert case.person.contacts.get().value == "+85512345678"
    assert case.urgency_reasons == ["locked_in", "beaten", "passport_taken"]
    req.refresh_from_db()
    assert req.status == "converted" and req.case == case
    assert TimelineEvent.objects.filter(case=case, kind="created").exists()


def test_it_numbers_cases_per_organisation(coordinator_a, coordinator_b):
    first = make_case(coordinator_a)
    second = make_case(coordinator_a)
    other = make_case(coordinator_b)
    assert first.reference.endswith("-00001") and second.reference.endswith("-00002")
    assert other.reference.startswith("ON-") and other.reference.endswith("-00001")


def test_it_attaches_a_case_to_an_existing_person(coordinator_a):
    person = make_person(coordinator_a, "Somchai Jaidee")
    req = make_request(coordinator_a, subject_name="สมชาย ใจดี")
    case = services.request_open_case(actor=coordinator_a, req=req, person=person)
    assert case.person == person and Person.objects.count() == 1


def test_it_refuses_to_triage_a_request_twice(coordinator_a):
    req = make_request(coordinator_a)
    services.request_open_case(actor=coordinator_a, req=req)
    with pytest.raises(ConflictError):
        services.request_reject(actor=coordinator_a, req=req, reason="spam")


def test_it_refuses_a_person_of_another_organisation(coordinator_a, coordinator_b):
    stranger = make_person(coordinator_b, "Budi Santoso")
    req = make_request(coordinator_a)
    with pytest.raises(ValidationError):
        services.request_open_case(actor=coordinator_a, req=req, person=stranger)
    assert Case.objects.count() == 0


def test_it_moves_along_allowed_transitions_with_a_reason(case_a, coordinator_a):
    case = services.case_move(
        actor=coordinator_a,
        case=case_a,
        to_status="verifying",
        reason="Called the mother",
        expected_version=case_a.version,
    )
    assert case.status == "verifying" and case.version == case_a.version
    event = TimelineEvent.objects.filter(case=case, kind="status").get()
    assert (
        event.data == {"from": "reported", "to": "verifying"} and event.body == "Called the mother"
    )


def test_it_refuses_a_move_outside_the_workflow(case_a, coordinator_a):
    with pytest.raises(ValidationError) as info:
        services.case_move(
            actor=coordinator_a,
            case=case_a,
            to_status="home",
            reason="?",
            expected_version=case_a.version,
        )
    assert "to_status" in info.value.message_dict
    case_a.refresh_from_db()
    assert case_a.status == "reported"


def test_it_needs_a_reason_to_move(case_a, coordinator_a):
    with pytest.raises(ValidationError):
        services.case_move(
            actor=coordinator_a,
            case=case_a,
            to_status="verifying",
            reason=" ",
            expected_version=case_a.version,
        )


def test_it_refuses_a_stale_write_and_says_what_changed(case_a, coordinator_a, caseworker_a):
    seen = case_a.version
    services.case_update(
        actor=caseworker_a, case=case_a, expected_version=seen, summary="Moved to building D"
    )
    stale = Case.objects.get(pk=case_a.pk)
    stale.version = seen
    with pytest.raises(ConflictError) as info:
        services.case_update(
            actor=coordinator_a, case=stale, expected_version=seen, summary="Still in C"
        )
    assert info.value.changes["summary"] == ("Still in C", "Moved to building D")
    assert str(caseworker_a.user) in info.value.message
    case_a.refresh_from_db()
    assert case_a.summary == "Moved to building D"


def test_it_refuses_a_stale_move(case_a, coordinator_a):
    services.case_move(
        actor=coordinator_a,
        case=case_a,
        to_status="verifying",
        reason="a",
        expected_version=case_a.version,
    )
    with pytest.raises(ConflictError):
        services.case_move(
            actor=coordinator_a,
            case=case_a,
            to_status="located",
            reason="b",
            expected_version=case_a.version - 1,
        )


def test_it_validates_htcds_context(case_a, coordinator_a):
    case = services.case_update(
        actor=coordinator_a,
        case=case_a,
        expected_version=case_a.version,
        exploitation_types=["ForcedCriminality"],
        methods_of_control=["RestrictsMovement", "WithholdsDocuments"],
        recruitment_method="ThroughAnOnlineAdvertisement",
        recruitment_apps=["Telegram"],
        relationship_to_trafficker="Unaquainted",
        trafficking_status="ActualVictimOfTrafficking",
        trafficking_status_decided_by="NGO",
    )
    assert case.exploitation_types == ["ForcedCriminality"]
    with pytest.raises(ValidationError) as info:
        services.case_update(
            actor=coordinator_a,
            case=case,
            expected_version=case.version,
            exploitation_types=["Scamming"],
            methods_of_control=["Hypnosis"],
        )
    assert {"exploitation_types", "methods_of_control"} <= set(info.value.message_dict)
    with pytest.raises(ValidationError) as info:
        services.case_update(
            actor=coordinator_a, case=case, expected_version=case.version, organisation=99
        )
    assert "organisation" in info.value.message_dict
    case.refresh_from_db()
    assert (
        case.exploitation_types == ["ForcedCriminality"]
        and case.organisation_id == coordinator_a.organisation_id
    )


def test_it_sets_urgency_with_reasons(case_a, caseworker_a):
    case = services.case_set_urgency(
        actor=caseworker_a,
        case=case_a,
        urgency=Urgency.NORMAL,
        reasons=[],
        expected_version=case_a.version,
        note="Safe in a hotel now",
    )
    assert case.urgency == Urgency.NORMAL
    assert TimelineEvent.objects.filter(case=case, kind="urgency").exists()


def test_it_lets_only_coordinators_assign(
    case_a, caseworker_a, other_caseworker_a, analyst_a, coordinator_b
):
    with pytest.raises(NotPermitted):
        services.case_assign(actor=caseworker_a, case=case_a, assignee=other_caseworker_a)
    with pytest.raises(NotPermitted):
        services.case_move(
            actor=analyst_a, case=case_a, to_status="verifying", reason="x", expected_version=1
        )


def test_it_refuses_an_assignee_from_another_organisation(case_a, coordinator_a, coordinator_b):
    with pytest.raises(ValidationError):
        services.case_assign(actor=coordinator_a, case=case_a, assignee=coordinator_b)


def test_it_adds_timeline_entries_and_indexes_their_words(case_a, caseworker_a):
    services.timeline_add(
        actor=caseworker_a,
        case=case_a,
        kind="contact",
        channel="wechat",
        body="He says the guards mentioned Myawaddy",
    )
    assert TimelineEvent.objects.filter(case=case_a, kind="contact").exists()
    with pytest.raises(ValidationError):
        services.timeline_add(actor=caseworker_a, case=case_a, kind="status", body="x")
    with pytest.raises(ValidationError):
        services.timeline_add(
            actor=caseworker_a, case=case_a, kind="note", body="", occurred_at=timezone.now()
        )


def test_it_keeps_personal_data_out_of_the_audit_log(case_a, coordinator_a):
    services.timeline_add(
        actor=coordinator_a, case=case_a, kind="note", body="Zhang Wei +85512345678"
    )
    for payload in AuditEvent.objects.values_list("payload", flat=True):
        text = str(payload)
        assert "张伟" not in text and "345678" not in text and "Zhang" not in text


def test_times_with_odd_offsets_or_centuries_ago_are_handled(coordinator_a):
    import datetime

    from django.core.exceptions import ValidationError

    from lifeline.cases.services import request_create

    odd = datetime.datetime(
        2024, 6, 30, 23, 26, tzinfo=datetime.timezone(datetime.timedelta(hours=20, minutes=31))
    )
    req = request_create(
        actor=coordinator_a, channel="phone", reporter_relation="friend", text="x", received_at=odd
    )
    req.refresh_from_db()
    assert req.received_at == odd
    with pytest.raises(ValidationError):
        request_create(
            actor=coordinator_a,
            channel="phone",
            reporter_relation="friend",
            text="x",
            received_at=datetime.datetime(423, 6, 30, tzinfo=datetime.UTC),
        )
