"""GET and POST /cases/{uid}/timeline."""

import datetime

from django.utils import timezone

from lifeline.cases.models import TimelineEvent
from lifeline.cases.services import timeline_add
from tests.api import api_client, assert_audit_free_of, call, last_event, query_count, snapshot


def test_it_lists_the_timeline_newest_first(coordinator_a, caseworker_a, case_a):
    timeline_add(actor=caseworker_a, case=case_a, kind="note", body="Mother called from Fujian")
    response = api_client(caseworker_a).get(f"/api/v1/cases/{case_a.uid}/timeline")
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 3 and body["page"] == 1
    assert [item["kind"] for item in body["items"]] == ["note", "assignment", "created"]
    assert body["items"][0]["body"] == "Mother called from Fujian"
    assert body["items"][0]["author"] == {"id": caseworker_a.user_id, "username": "worker_a"}
    assert body["items"][1]["data"] == {"assigned": caseworker_a.user_id}


def test_it_audits_reading_the_timeline(caseworker_a, case_a):
    timeline_add(actor=caseworker_a, case=case_a, kind="note", body="Mother called from Fujian")
    api_client(caseworker_a).get(f"/api/v1/cases/{case_a.uid}/timeline?page_size=2")
    event = last_event("cases.timeline.listed")
    assert (event.object_type, event.object_id) == ("cases.case", str(case_a.pk))
    assert event.payload == {"filters": [], "count": 2}
    assert_audit_free_of("Fujian", "Mother")


def test_it_paginates_the_timeline_in_a_constant_number_of_queries(caseworker_a, case_a):
    client = api_client(caseworker_a)
    one = query_count(client, f"/api/v1/cases/{case_a.uid}/timeline")
    for n in range(5):
        timeline_add(actor=caseworker_a, case=case_a, kind="note", body=f"Call {n}")
    assert query_count(client, f"/api/v1/cases/{case_a.uid}/timeline") == one
    page = client.get(f"/api/v1/cases/{case_a.uid}/timeline?page=2&page_size=5").json()
    assert (page["count"], len(page["items"])) == (7, 2)


def test_it_logs_a_contact(caseworker_a, case_a):
    when = timezone.now() - datetime.timedelta(hours=2)
    response = call(
        api_client(caseworker_a),
        "post",
        f"/api/v1/cases/{case_a.uid}/timeline",
        {
            "kind": "contact",
            "body": "He sent a voice message",
            "channel": "wechat",
            "occurred_at": when.isoformat(),
        },
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert (
        body["kind"] == "contact"
        and body["channel"] == "wechat"
        and body["body"] == "He sent a voice message"
    )
    event = TimelineEvent.objects.get(case=case_a, kind="contact")
    assert abs(event.occurred_at - when) < datetime.timedelta(seconds=1)
    assert last_event("cases.timeline.added").payload == {"event_id": event.pk, "kind": "contact"}
    assert_audit_free_of("voice message")


def test_it_reports_invalid_entries_on_their_field(caseworker_a, case_a):
    client = api_client(caseworker_a)
    url = f"/api/v1/cases/{case_a.uid}/timeline"
    before = snapshot()
    for payload, loc in [
        ({"kind": "location", "body": "Moved"}, ["body", "location"]),
        ({"kind": "note"}, ["body", "body"]),
        ({"kind": "status", "body": "x"}, ["body", "kind"]),
        ({"kind": "note", "body": "x", "channel": "pigeon"}, ["body", "channel"]),
        (
            {"kind": "note", "body": "x", "occurred_at": "2024-01-01T10:00:00"},
            ["body", "occurred_at"],
        ),
        ({"kind": "note", "body": "x", "occurred_at": "next week"}, ["body", "occurred_at"]),
        ([], ["body"]),
    ]:
        response = call(client, "post", url, payload)
        assert response.status_code == 422, payload
        assert response.json()["detail"][0]["loc"] == loc, payload
    assert snapshot() == before


def test_it_refuses_a_forged_organisation_on_the_timeline(caseworker_a, org_b, case_a):
    client = api_client(caseworker_a)
    before = snapshot()
    response = call(
        client,
        "post",
        f"/api/v1/cases/{case_a.uid}/timeline",
        {"kind": "note", "body": "x", "organisation_id": org_b.pk},
    )
    assert response.status_code == 422
    assert snapshot() == before
