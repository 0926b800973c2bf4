import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import timezone

from lifeline.sharing import briefings
from lifeline.sharing.models import Operation
from tests.api import NOT_FOUND, api_client, assert_audit_free_of, call
from tests.sharing.test_briefings import _past_window


def test_partners_through_the_api(coordinator_a, coordinator_b):
    client = api_client(coordinator_a)
    made = call(
        client,
        "post",
        "/api/v1/partners",
        {"name": "Police liaison", "kind": "police", "contact_details": "+66 81 555 0101"},
    )
    assert made.status_code == 201 and made.json()["contact_details"] == "+66 81 555 0101"
    uid = made.json()["uid"]
    assert call(client, "get", "/api/v1/partners").json()["count"] == 1
    assert call(api_client(coordinator_b), "get", f"/api/v1/partners/{uid}").json() == NOT_FOUND
    extra = call(
        client, "post", "/api/v1/partners", {"name": "X", "kind": "police", "organisation": 2}
    )
    assert extra.status_code == 422
    assert_audit_free_of("+66 81 555 0101")


def test_a_referral_through_the_api(coordinator_a, coordinator_b, case_a, org_b):
    body = {
        "receiver": org_b.pk, "kind": "transfer", "profile": "location", "consent_given_by": "Herself",
        "consent_at": (timezone.now() - datetime.timedelta(hours=2)).isoformat(), "consent_method": "message",
    }  # fmt: skip
    sent = call(api_client(coordinator_a), "post", f"/api/v1/cases/{case_a.uid}/referrals", body)
    assert sent.status_code == 201, sent.json()
    uid = sent.json()["uid"]
    receiver = api_client(coordinator_b)
    seen = call(receiver, "get", f"/api/v1/referrals/{uid}").json()
    assert seen["direction"] == "incoming" and seen["case_uid"] is None
    assert "contacts" not in seen["snapshot"] and seen["snapshot"]["names"] == ["张伟"]
    accepted = call(receiver, "post", f"/api/v1/referrals/{uid}/accept", {"note": ""}).json()
    assert accepted["status"] == "accepted" and accepted["case_uid"]
    again = call(receiver, "post", f"/api/v1/referrals/{uid}/accept", {"note": ""})
    assert again.status_code == 422 and "already accepted" in str(again.json())
    refused = call(
        api_client(coordinator_a),
        "post",
        f"/api/v1/cases/{case_a.uid}/referrals",
        {**body, "receiver": coordinator_a.organisation_id},
    )
    assert refused.status_code == 422


def test_an_operation_briefing_link_and_trace_through_the_api(
    coordinator_a, caseworker_a, case_a, site_a, partners
):
    client = api_client(coordinator_a)
    now = timezone.now()
    body = {
        "codename": "Kite", "window_start": (now - datetime.timedelta(hours=1)).isoformat(),
        "window_end": (now + datetime.timedelta(hours=4)).isoformat(), "members": [caseworker_a.user_id],
        "sites": [str(site_a.uid)], "cases": [str(case_a.uid)], "partners": [str(p.uid) for p in partners],
        "rendezvous_landmarks": ["the petrol station", "the pharmacy", "the night market"],
    }  # fmt: skip
    made = call(client, "post", "/api/v1/operations", body)
    assert made.status_code == 201, made.json()
    op = made.json()["uid"]
    assert call(api_client(caseworker_a), "get", f"/api/v1/operations/{op}").status_code == 200
    briefed = call(
        client,
        "post",
        f"/api/v1/operations/{op}/briefings",
        {"level": "people", "partners": [str(p.uid) for p in partners]},
    )
    assert briefed.status_code == 201 and briefed.json()["status"] == "ready"
    shares = briefed.json()["shares"]
    text = call(client, "get", f"/api/v1/shares/{shares[1]['uid']}/text").json()
    assert "Golden Gate Park" in text["text"] and text["marks"]
    link = call(
        client,
        "post",
        f"/api/v1/shares/{shares[1]['uid']}/link",
        {"expires_in_hours": 1, "max_views": 1},
    ).json()
    assert Client().get(link["url"]).status_code == 200
    assert Client().get(link["url"]).status_code == 404
    traced = call(client, "post", "/api/v1/leaks/trace", {"text": text["text"]}).json()
    assert traced[0]["partner"] == partners[1].name and traced[0]["matched"]
    closed = call(
        client,
        "post",
        f"/api/v1/operations/{op}/close",
        {"outcome": "site_empty", "found": [str(case_a.uid)]},
    ).json()
    assert [s["partner"] for s in closed["shares_before"]] == [p.name for p in partners]
    assert closed["found"] == [case_a.reference]


def test_an_early_briefing_through_the_api(
    coordinator_a, second_coordinator_a, operation, partners
):
    briefed = call(
        api_client(coordinator_a),
        "post",
        f"/api/v1/operations/{operation.uid}/briefings",
        {"level": "site", "partners": [str(partners[0].uid)]},
    ).json()
    assert briefed["status"] == "awaiting" and briefed["reveals_target_early"]
    share = briefed["shares"][0]["uid"]
    assert call(api_client(coordinator_a), "get", f"/api/v1/shares/{share}/text").status_code == 403
    assert (
        call(
            api_client(coordinator_a), "post", f"/api/v1/briefings/{briefed['uid']}/approve"
        ).status_code
        == 422
    )
    # Outside the compartment, the second coordinator does not find it.
    assert (
        call(
            api_client(second_coordinator_a), "post", f"/api/v1/briefings/{briefed['uid']}/approve"
        ).status_code
        == 404
    )
    Operation.objects.get(pk=operation.pk)  # untouched
    briefing = operation.briefings.get()
    assert briefings.approval_needed(briefing)


def test_a_page_image_traced_through_the_api(coordinator_a, coordinator_b, operation, partners):
    briefing = briefings.briefing_create(
        actor=coordinator_a, level="people", partners=partners, operation=_past_window(operation)
    )
    share = briefing.shares.get(variant=2)
    png = briefings.share_deliver(actor=coordinator_a, share=share, form="image")
    url = "/api/v1/leaks/trace-image"
    traced = api_client(coordinator_a).post(url, {"image": SimpleUploadedFile("leak.png", png)})
    assert traced.status_code == 200, traced.json()
    assert traced.json()[0]["share"] == str(share.uid)
    assert traced.json()[0]["partner"] == partners[2].name
    # Another organisation's trace sees none of this organisation's briefings.
    other = api_client(coordinator_b).post(url, {"image": SimpleUploadedFile("leak.png", png)})
    assert other.status_code == 200 and other.json() == []
    bad = api_client(coordinator_a).post(url, {"image": SimpleUploadedFile("x.png", b"not png")})
    assert bad.status_code == 422 and "could not be read as an image" in str(bad.json())
    missing = api_client(coordinator_a).post(url, {})
    assert missing.status_code == 422
