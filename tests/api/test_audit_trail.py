"""A working day through the API leaves a complete, chained audit trail with no personal data."""

from lifeline.audit.verify import verify_chain
from tests.api import actions, api_client, assert_audit_free_of, call

PERSONAL = [
    "张伟",
    "Zhang",
    "Wei",
    "85512345678",
    "12 345 678",
    "Sihanoukville",
    "KK Park",
    "Li Na",
    "李娜",
    "was beaten",
    "building D",
    "voice message",
    "Fujian",
]


def test_it_audits_a_day_of_work_without_personal_data(
    coordinator_a, caseworker_a, other_caseworker_a
):
    coordinator, worker = api_client(coordinator_a), api_client(caseworker_a)
    created = call(
        worker,
        "post",
        "/api/v1/requests",
        {
            "channel": "wechat",
            "reporter_relation": "family",
            "subject_name": "张伟 / Li Na",
            "subject_contact_kind": "phone",
            "subject_contact": "+855 12 345 678",
            "location_text": "KK Park",
            "text": "He was beaten in Sihanoukville.",
            "danger_signs": ["beaten"],
        },
    ).json()
    coordinator.get("/api/v1/requests")
    coordinator.get(f"/api/v1/requests/{created['uid']}")
    case = call(
        coordinator,
        "post",
        f"/api/v1/requests/{created['uid']}/open-case",
        {"extra_names": ["Zhang Wei"]},
    )
    uid = case.json()["uid"]
    call(coordinator, "post", f"/api/v1/cases/{uid}/assignments", {"user_id": caseworker_a.user_id})
    worker.get(
        "/api/v1/cases", {"name": "Zhang Wei", "phone": "0085512345678", "q": "Sihanoukville"}
    )
    worker.get(f"/api/v1/cases/{uid}")
    call(
        worker, "patch", f"/api/v1/cases/{uid}", {"version": 1, "last_known_location": "building D"}
    )
    call(
        worker,
        "post",
        f"/api/v1/cases/{uid}/timeline",
        {"kind": "contact", "body": "voice message from Fujian"},
    )
    call(
        worker,
        "post",
        f"/api/v1/cases/{uid}/moves",
        {"to_status": "verifying", "reason": "Zhang Wei called", "version": 2},
    )
    worker.get(f"/api/v1/cases/{uid}/timeline")
    worker.get("/api/v1/persons", {"name": "李娜"})
    worker.get(f"/api/v1/persons/{case.json()['person']['uid']}")

    assert {
        "cases.request.created",
        "cases.request.listed",
        "cases.request.viewed",
        "cases.case.created",
        "cases.case.assigned",
        "cases.case.listed",
        "cases.case.viewed",
        "cases.case.updated",
        "cases.timeline.added",
        "cases.case.moved",
        "cases.timeline.listed",
        "people.person.searched",
        "people.person.viewed",
    } <= set(actions())
    assert_audit_free_of(*PERSONAL)
    assert verify_chain()[1] is None
