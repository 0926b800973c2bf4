import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from lifeline.audit.models import AuditEvent
from lifeline.cases import services
from lifeline.cases.models import Case, Request, TimelineEvent
from lifeline.people.models import Person
from tests.factories import make_case, make_person, make_request

# Requests ---------------------------------------------------------------------------------


def test_it_sends_anonymous_visitors_to_log_in(client, org_a):
    response = client.get(reverse("cases:request_list"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_shows_the_triage_queue_most_urgent_then_newest(login, coordinator_a):
    make_request(coordinator_a, subject_name="Budi Santoso", danger_signs=[])
    make_request(coordinator_a, subject_name="Siti Rahayu", danger_signs=["beaten"])
    make_request(coordinator_a, subject_name="Nguyễn Văn Nam", danger_signs=[])
    response = login(coordinator_a).get(reverse("cases:request_list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert body.index("Siti Rahayu") < body.index("Nguyễn Văn Nam") < body.index("Budi Santoso")


def test_it_lists_the_queue_in_a_constant_number_of_queries(login, coordinator_a):
    client = login(coordinator_a)
    for _ in range(3):
        make_request(coordinator_a)
    client.get(
        reverse("cases:request_list")
    )  # the first request after login also updates the session
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("cases:request_list"))
    for _ in range(10):
        make_request(coordinator_a)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("cases:request_list"))
    assert len(many) == len(few), [q["sql"][:90] for q in many.captured_queries]


@pytest.mark.parametrize("persona", ["caseworker_a", "analyst_a", "admin_a"])
def test_it_keeps_the_queue_from_roles_that_do_not_triage(login, request, persona, coordinator_a):
    make_request(coordinator_a)
    assert (
        login(request.getfixturevalue(persona)).get(reverse("cases:request_list")).status_code
        == 403
    )


def test_it_records_a_request_from_the_short_form(login, coordinator_a, org_b):
    response = login(coordinator_a).post(
        reverse("cases:request_create"),
        {
            "channel": "wechat",
            "reporter_relation": "family",
            "subject_name": "李娜",
            "subject_contact_kind": "wechat",
            "subject_contact": "lina_1998",
            "text": "She is in Myawaddy",
            "danger_signs": ["about_to_be_moved"],
            "organisation": org_b.pk,
        },
    )
    req = Request.objects.get()
    assert response.status_code == 302 and response["Location"] == req.get_absolute_url()
    assert req.organisation == coordinator_a.organisation  # a forged organisation is ignored
    assert req.urgency == 30 and req.subject_contact == "lina_1998"


def test_it_shows_the_form_again_with_the_bad_field_marked(login, coordinator_a):
    response = login(coordinator_a).post(
        reverse("cases:request_create"),
        {
            "channel": "phone",
            "reporter_relation": "self",
            "subject_contact_kind": "phone",
            "subject_contact": "12345",
            "text": "help",
        },
    )
    assert response.status_code == 200
    assert (
        "has-error" in response.content.decode()
        and "valid phone number" in response.content.decode()
    )
    assert Request.objects.count() == 0


def test_it_lets_a_caseworker_log_a_call(login, caseworker_a):
    response = login(caseworker_a).post(
        reverse("cases:request_create"),
        {"channel": "phone", "reporter_relation": "self", "subject_name": "Budi", "text": "help"},
    )
    assert response.status_code == 302 and Request.objects.count() == 1


def test_it_suggests_the_same_person_across_scripts_and_by_phone(
    login, coordinator_a, coordinator_b
):
    known = make_person(coordinator_a, "张伟")
    by_phone = make_person(coordinator_a, "Wei Z.", phone="+855 12 345 678")
    make_person(coordinator_b, "张伟", phone="+855 12 345 678")
    req = make_request(coordinator_a, subject_name="Zhang Wei", subject_contact="0085512345678")
    response = login(coordinator_a).get(req.get_absolute_url())
    suggested = [s.person for s in response.context["suggestions"]]
    assert suggested[0] == by_phone and known in suggested and len(suggested) == 2
    assert AuditEvent.objects.filter(action="cases.request.viewed", object_id=str(req.pk)).exists()


def test_it_hides_requests_of_another_organisation(login, coordinator_a, coordinator_b):
    req = make_request(coordinator_b)
    assert login(coordinator_a).get(req.get_absolute_url()).status_code == 404


def test_it_opens_a_case_for_a_new_person(login, coordinator_a):
    req = make_request(coordinator_a, subject_name="สมชาย ใจดี")
    response = login(coordinator_a).post(
        reverse("cases:request_open_case", args=[req.uid]),
        {"person": "", "extra_names": "Somchai Jaidee"},
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"] == case.get_absolute_url()
    assert sorted(n.value for n in case.person.names.all()) == ["Somchai Jaidee", "สมชาย ใจดี"]


def test_it_opens_a_case_for_a_suggested_person(login, coordinator_a):
    person = make_person(coordinator_a, "张伟")
    req = make_request(coordinator_a)
    login(coordinator_a).post(
        reverse("cases:request_open_case", args=[req.uid]), {"person": str(person.uid)}
    )
    assert Case.objects.get().person == person and Person.objects.count() == 1


def test_it_refuses_a_person_of_another_organisation_as_404(login, coordinator_a, coordinator_b):
    stranger = make_person(coordinator_b, "张伟")
    req = make_request(coordinator_a)
    response = login(coordinator_a).post(
        reverse("cases:request_open_case", args=[req.uid]), {"person": str(stranger.uid)}
    )
    assert response.status_code == 404 and Case.objects.count() == 0


def test_it_rejects_a_request(login, coordinator_a):
    req = make_request(coordinator_a)
    response = login(coordinator_a).post(
        reverse("cases:request_reject", args=[req.uid]), {"reason": "spam"}
    )
    req.refresh_from_db()
    assert response.status_code == 302 and req.status == "rejected"


def test_it_refuses_an_unknown_rejection_reason(login, coordinator_a):
    req = make_request(coordinator_a)
    response = login(coordinator_a).post(
        reverse("cases:request_reject", args=[req.uid]), {"reason": "bored"}
    )
    req.refresh_from_db()
    assert response.status_code == 400 and req.status == "new"


# Case list --------------------------------------------------------------------------------


def _listed(client, **params):
    response = client.get(reverse("cases:case_list"), params)
    assert response.status_code == 200
    return {case.reference for case in response.context["page"].object_list}


def test_it_shows_a_caseworker_only_assigned_cases(
    login, coordinator_a, caseworker_a, other_caseworker_a
):
    mine = make_case(coordinator_a, assignee=caseworker_a)
    make_case(coordinator_a)
    assert _listed(login(caseworker_a)) == {mine.reference}
    assert _listed(login(other_caseworker_a)) == set()
    assert len(_listed(login(coordinator_a))) == 2


def test_it_keeps_the_case_list_from_analysts(login, analyst_a, case_a):
    assert login(analyst_a).get(reverse("cases:case_list")).status_code == 403


def test_it_never_lists_another_organisations_cases(login, coordinator_a, coordinator_b):
    make_case(coordinator_b)
    assert _listed(login(coordinator_a)) == set()


def test_it_filters_by_name_in_any_script_and_phone_in_any_format(login, coordinator_a):
    zhang = make_case(coordinator_a, subject_name="张伟", subject_contact="+855 12 345 678")
    somchai = make_case(coordinator_a, subject_name="สมชาย ใจดี", subject_contact="+66 81 234 5678")
    client = login(coordinator_a)
    assert _listed(client, q="Zhang Wei") == {zhang.reference}
    assert _listed(client, q="wei zhang") == {zhang.reference}
    assert _listed(client, q="Somchai") == {somchai.reference}
    assert _listed(client, q="สมชาย") == {somchai.reference}
    assert _listed(client, phone="081-234-5678") == {
        somchai.reference
    }  # the organisation's region is TH
    assert _listed(client, phone="0085512345678") == {zhang.reference}
    assert _listed(client, q=zhang.reference) == {zhang.reference}
    assert _listed(client, q="Wang Fang") == set()


def test_it_finds_words_of_the_case_text(login, coordinator_a):
    case = make_case(coordinator_a, text="He is held at KK Park near Myawaddy")
    make_case(coordinator_a, text="Poipet casino")
    assert _listed(login(coordinator_a), q="myawaddy") == {case.reference}


def test_it_filters_by_status_urgency_assignee_and_citizenship(login, coordinator_a, caseworker_a):
    assigned = make_case(coordinator_a, assignee=caseworker_a)
    calm = make_case(coordinator_a, danger_signs=[])
    services.case_move(
        actor=coordinator_a,
        case=calm,
        to_status="verifying",
        reason="r",
        expected_version=calm.version,
    )
    from lifeline.people.services import person_update

    person_update(
        actor=coordinator_a,
        person=calm.person,
        expected_version=calm.person.version,
        citizenship="VN",
    )
    client = login(coordinator_a)
    assert _listed(client, status="verifying") == {calm.reference}
    assert _listed(client, urgency=30) == {assigned.reference}
    assert _listed(client, assignee=str(caseworker_a.user_id)) == {assigned.reference}
    assert _listed(client, assignee="none") == {calm.reference}
    assert _listed(client, citizenship="VN") == {calm.reference}


def test_it_lists_cases_in_a_constant_number_of_queries(login, coordinator_a, caseworker_a):
    client = login(coordinator_a)
    make_case(coordinator_a, assignee=caseworker_a)
    client.get(reverse("cases:case_list"))  # the first request after login also updates the session
    with CaptureQueriesContext(connection) as few:
        client.get(reverse("cases:case_list"), {"q": "zhang"})
    for _ in range(8):
        make_case(coordinator_a, assignee=caseworker_a)
    with CaptureQueriesContext(connection) as many:
        client.get(reverse("cases:case_list"), {"q": "zhang"})
    assert len(many) == len(few), [q["sql"][:90] for q in many.captured_queries]


def test_it_reports_bad_filters_without_crashing(login, coordinator_a, case_a):
    response = login(coordinator_a).get(
        reverse("cases:case_list"), {"status": "flying", "urgency": "x"}
    )
    assert response.status_code == 200 and list(response.context["page"].object_list) == []


# Case page --------------------------------------------------------------------------------


def test_it_shows_the_case_to_its_caseworker_and_audits_the_view(login, case_a, caseworker_a):
    response = login(caseworker_a).get(case_a.get_absolute_url())
    assert response.status_code == 200 and "张伟" in response.content.decode()
    event = AuditEvent.objects.filter(action="cases.case.viewed", object_id=str(case_a.pk)).get()
    assert event.actor == caseworker_a.user and event.session_ref.startswith("s:")


@pytest.mark.parametrize("persona", ["other_caseworker_a", "coordinator_b"])
def test_it_answers_404_to_those_who_may_not_see_the_case(login, request, case_a, persona):
    client = login(request.getfixturevalue(persona))
    for name in ("case_detail", "case_edit"):
        assert client.get(reverse(f"cases:{name}", args=[case_a.uid])).status_code == 404
    for name in ("case_move", "case_urgency", "case_timeline_add"):
        assert client.post(reverse(f"cases:{name}", args=[case_a.uid]), {}).status_code == 404


def test_it_gives_the_same_404_for_a_case_that_does_not_exist(
    login, coordinator_a, coordinator_b, case_a
):
    import uuid

    client = login(coordinator_b)
    hidden = client.get(case_a.get_absolute_url())
    missing = client.get(reverse("cases:case_detail", args=[uuid.uuid4()]))
    without_tokens = [re.sub(rb'value="[^"]{40,}"', b"", r.content) for r in (hidden, missing)]
    assert (
        hidden.status_code == missing.status_code == 404 and without_tokens[0] == without_tokens[1]
    )


def test_it_keeps_case_pages_from_analysts(login, analyst_a, case_a):
    assert login(analyst_a).get(case_a.get_absolute_url()).status_code == 403


def test_it_moves_a_case(login, case_a, caseworker_a):
    response = login(caseworker_a).post(
        reverse("cases:case_move", args=[case_a.uid]),
        {"to_status": "verifying", "reason": "Mother confirmed", "version": case_a.version},
    )
    case_a.refresh_from_db()
    assert response.status_code == 302 and case_a.status == "verifying"


def test_it_refuses_a_move_outside_the_workflow_with_a_message(login, case_a, caseworker_a):
    response = login(caseworker_a).post(
        reverse("cases:case_move", args=[case_a.uid]),
        {"to_status": "home", "reason": "?", "version": case_a.version},
    )
    case_a.refresh_from_db()
    assert response.status_code == 400 and "cannot move" in response.content.decode()
    assert case_a.status == "reported"


def test_it_refuses_a_stale_move_and_shows_what_changed(login, case_a, coordinator_a, caseworker_a):
    seen = case_a.version
    services.case_move(
        actor=coordinator_a, case=case_a, to_status="verifying", reason="x", expected_version=seen
    )
    response = login(caseworker_a).post(
        reverse("cases:case_move", args=[case_a.uid]),
        {"to_status": "located", "reason": "y", "version": seen},
    )
    body = response.content.decode()
    assert response.status_code == 409 and "Nothing was saved" in body and "Verifying" in body
    case_a.refresh_from_db()
    assert case_a.status == "verifying"


def test_it_refuses_a_stale_edit_and_keeps_the_other_persons_words(
    login, case_a, coordinator_a, caseworker_a
):
    seen = case_a.version
    services.case_update(
        actor=coordinator_a, case=case_a, expected_version=seen, summary="Now in Bavet"
    )
    response = login(caseworker_a).post(
        reverse("cases:case_edit", args=[case_a.uid]),
        {
            "version": seen,
            "summary": "Still in Sihanoukville",
            "trafficking_status": "PossibleVictimOfTrafficking",
        },
    )
    body = response.content.decode()
    assert (
        response.status_code == 409 and "Now in Bavet" in body and "Still in Sihanoukville" in body
    )
    case_a.refresh_from_db()
    assert case_a.summary == "Now in Bavet"


def test_it_edits_the_victim_context(login, case_a, caseworker_a):
    response = login(caseworker_a).post(
        reverse("cases:case_edit", args=[case_a.uid]),
        {
            "version": case_a.version,
            "summary": "s",
            "exploitation_types": ["ForcedCriminality"],
            "methods_of_control": ["RestrictsMovement"],
            "recruitment_method": "ThroughAnOnlineAdvertisement",
            "recruitment_apps": ["Telegram"],
            "trafficking_status": "ActualVictimOfTrafficking",
        },
    )
    case_a.refresh_from_db()
    assert response.status_code == 302
    assert case_a.exploitation_types == ["ForcedCriminality"] and case_a.methods_of_control == [
        "RestrictsMovement"
    ]


def test_it_sets_urgency(login, case_a, caseworker_a):
    response = login(caseworker_a).post(
        reverse("cases:case_urgency", args=[case_a.uid]),
        {"urgency": 10, "reasons": [], "note": "safe now", "version": case_a.version},
    )
    case_a.refresh_from_db()
    assert response.status_code == 302 and case_a.urgency == 10


def test_it_adds_to_the_timeline(login, case_a, caseworker_a):
    response = login(caseworker_a).post(
        reverse("cases:case_timeline_add", args=[case_a.uid]),
        {"kind": "location", "location": "Poipet, casino hotel", "body": ""},
    )
    assert response.status_code == 302
    assert TimelineEvent.objects.filter(case=case_a, kind="location").exists()


def test_it_refuses_an_oversize_timeline_entry(login, case_a, caseworker_a):
    response = login(caseworker_a).post(
        reverse("cases:case_timeline_add", args=[case_a.uid]),
        {"kind": "note", "body": "x" * 20_001},
    )
    assert response.status_code == 400
    assert not TimelineEvent.objects.filter(case=case_a, kind="note").exists()


def test_it_lets_coordinators_assign_and_unassign(login, case_a, coordinator_a, other_caseworker_a):
    client = login(coordinator_a)
    client.post(
        reverse("cases:case_assign", args=[case_a.uid]), {"assignee": other_caseworker_a.pk}
    )
    assert case_a.assignments.filter(user=other_caseworker_a.user).exists()
    client.post(reverse("cases:case_unassign", args=[case_a.uid, other_caseworker_a.user_id]))
    assert not case_a.assignments.filter(user=other_caseworker_a.user).exists()


def test_it_forbids_a_caseworker_to_assign(login, case_a, caseworker_a, other_caseworker_a):
    response = login(caseworker_a).post(
        reverse("cases:case_assign", args=[case_a.uid]), {"assignee": other_caseworker_a.pk}
    )
    assert response.status_code == 403


def test_it_refuses_an_assignee_of_another_organisation(
    login, case_a, coordinator_a, coordinator_b
):
    response = login(coordinator_a).post(
        reverse("cases:case_assign", args=[case_a.uid]), {"assignee": coordinator_b.pk}
    )
    assert response.status_code == 400
    assert not case_a.assignments.filter(user=coordinator_b.user).exists()


def test_it_audits_a_search_without_what_was_searched(login, coordinator_a, case_a):
    login(coordinator_a).get(
        reverse("cases:case_list"), {"q": "Zhang Wei", "phone": "+85512345678"}
    )
    event = AuditEvent.objects.filter(action="cases.case.listed").get()
    assert event.payload == {"filters": ["phone", "q"], "count": 1}


def test_it_searches_the_same_when_too_many_ids_to_list(login, coordinator_a, monkeypatch):
    from lifeline.core import querysets

    zhang = make_case(coordinator_a, subject_name="张伟", text="held near Myawaddy")
    make_case(coordinator_a, subject_name="王芳", text="Poipet casino")
    client = login(coordinator_a)
    monkeypatch.setattr(querysets, "MAX_INLINE_IDS", 0)  # every id set is "too large"
    assert _listed(client, q="Zhang Wei") == {zhang.reference}
    assert _listed(client, q="myawaddy") == {zhang.reference}
    assert _listed(client, q="Wang Wei") == set()


def test_it_audits_which_persons_a_request_page_suggested(login, coordinator_a):
    known = make_person(coordinator_a, "张伟")
    req = make_request(coordinator_a, subject_name="Zhang Wei", subject_contact="")
    login(coordinator_a).get(req.get_absolute_url())
    event = AuditEvent.objects.filter(action="cases.request.viewed", object_id=str(req.pk)).get()
    assert event.payload == {"suggested_persons": [known.pk]}
