"""POST /api/v1/intake/messages: signed posts from an organisation's messaging bridge."""

import base64
import json
import time

import pytest
from django.test import Client

from lifeline.audit.models import AuditEvent
from lifeline.cases.models import Request
from lifeline.evidence.models import Evidence
from lifeline.intake import services
from lifeline.intake.models import BotMessage
from lifeline.intake.signing import sign
from tests.evidence.files import jpeg

pytestmark = pytest.mark.django_db
URL = "/api/v1/intake/messages"


@pytest.fixture
def channel(admin_a):
    channel, secret = services.channel_create(actor=admin_a, name="Telegram bot", kind="telegram")
    return channel, secret


def post(channel_secret, payload, *, timestamp=None, signature=None, client=None, raw=None):
    channel, secret = channel_secret
    body = raw if raw is not None else json.dumps(payload).encode()
    timestamp = str(int(time.time()) if timestamp is None else timestamp)
    headers = {
        "HTTP_X_LIFELINE_CHANNEL": str(channel.uid),
        "HTTP_X_LIFELINE_TIMESTAMP": timestamp,
        "HTTP_X_LIFELINE_SIGNATURE": signature or sign(secret, timestamp, body),
    }
    return (client or Client()).post(URL, body, content_type="application/json", **headers)


def test_it_records_a_signed_message_and_answers_with_a_reply(channel, org_a):
    response = post(channel, {"message_id": "tg-1", "text": "ช่วยด้วย ถูกขังไว้", "name": "สมชาย"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["duplicate"] is False and body["language"] == "th"
    assert body["receipt_code"] in body["reply"].replace(" ", "") or "ได้รับแล้ว" in body["reply"]
    assert body["reply"].startswith("ได้รับแล้ว")
    req = Request.objects.get()
    assert req.organisation == org_a and req.channel == "telegram"
    assert req.language == "th" and "locked_in" in req.danger_signs
    assert AuditEvent.objects.get(action="cases.request.received").actor is None
    assert response.cookies == {} or "sessionid" not in response.cookies


def test_it_is_idempotent_on_the_channel_and_message_id(channel):
    now = int(time.time())
    first = post(channel, {"message_id": "tg-2", "text": "Help me"}, timestamp=now)
    # A bridge that retries signs again, with the time of the retry.
    second = post(channel, {"message_id": "tg-2", "text": "Help me"}, timestamp=now - 1)
    assert first.status_code == 201 and second.status_code == 200
    assert second.json()["duplicate"] is True
    assert first.json()["receipt_code"] == second.json()["receipt_code"]
    assert first.json()["reply"] == second.json()["reply"]
    assert Request.objects.count() == 1 and BotMessage.objects.count() == 1


def test_it_refuses_a_replayed_post(channel):
    body = json.dumps({"message_id": "tg-3", "text": "Help"}).encode()
    timestamp = str(int(time.time()))
    signature = sign(channel[1], timestamp, body)
    assert (
        post(channel, None, raw=body, timestamp=timestamp, signature=signature).status_code == 201
    )
    replay = post(channel, None, raw=body, timestamp=timestamp, signature=signature)
    assert replay.status_code == 409
    assert "replay" in replay.json()["detail"]


# Just past the 300 s window, with room for a slow test run (the server reads its clock later).
@pytest.mark.parametrize("skew", [-330, 330, -10_000])
def test_it_refuses_a_stale_or_future_timestamp(channel, skew):
    response = post(
        channel, {"message_id": "tg-4", "text": "Help"}, timestamp=int(time.time()) + skew
    )
    assert response.status_code == 401
    assert "stale" in response.json()["detail"]
    assert Request.objects.count() == 0


def test_it_refuses_a_wrong_signature_an_unknown_or_revoked_channel(channel, admin_a):
    assert (
        post(channel, {"message_id": "a", "text": "x"}, signature="sha256=" + "0" * 64).status_code
        == 401
    )
    other = (channel[0], "not-the-secret")
    assert post(other, {"message_id": "a", "text": "x"}).status_code == 401
    unsigned = Client().post(URL, b"{}", content_type="application/json")
    assert unsigned.status_code == 401
    services.channel_revoke(actor=admin_a, channel=channel[0])
    assert post(channel, {"message_id": "a", "text": "x"}).status_code == 401
    assert Request.objects.count() == 0


def test_a_new_secret_or_a_revoke_takes_effect_at_the_next_post(channel, admin_a, settings):
    # The server remembers a channel between posts; the row's state still decides each one.
    settings.LIFELINE_INTAKE_ORGANISATION_CACHE = 30
    assert post(channel, {"message_id": "s-1", "text": "Help"}).status_code == 201
    secret = services.channel_new_secret(actor=admin_a, channel=channel[0])
    assert post(channel, {"message_id": "s-2", "text": "Help"}).status_code == 401
    renewed = (channel[0], secret)
    assert post(renewed, {"message_id": "s-2", "text": "Help"}).status_code == 201
    assert post(renewed, {"message_id": "s-3", "text": "Help"}).status_code == 201
    services.channel_revoke(actor=admin_a, channel=channel[0])
    assert post(renewed, {"message_id": "s-4", "text": "Help"}).status_code == 401
    assert Request.objects.count() == 3


def test_it_refuses_a_body_changed_after_signing(channel):
    body = json.dumps({"message_id": "tg-5", "text": "Help"}).encode()
    timestamp = str(int(time.time()))
    signature = sign(channel[1], timestamp, body)
    tampered = body.replace(b"Help", b"Spam")
    assert (
        post(channel, None, raw=tampered, timestamp=timestamp, signature=signature).status_code
        == 401
    )


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"text": "no id"}, "message_id"),
        ({"message_id": "x", "text": "t" * 3001}, "text"),
        ({"message_id": "x", "relation": "boss", "text": "t"}, "relation"),
        ({"message_id": "x", "text": "t", "organisation": 2}, "organisation"),
        ({"message_id": "x", "danger_signs": ["ufo"], "text": "t"}, "danger_signs"),
        # Stored in clear: PostgreSQL refuses NUL in text, so it is refused before that.
        ({"message_id": "a\u0000b", "text": "t"}, "message_id"),
        ({"message_id": "x", "text": "t", "language": "th\u0000"}, "language"),
        ({"message_id": "x"}, "text"),
        ({"message_id": "x", "contact_kind": "phone", "contact": "12"}, "subject_contact"),
        (
            {"message_id": "x", "text": "t", "attachments": [{"content_base64": "!!!"}]},
            "attachments",
        ),
    ],
)
def test_it_refuses_bad_input_and_stores_nothing(channel, payload, field):
    response = post(channel, payload)
    assert response.status_code == 422, response.content
    assert field in json.dumps(response.json())
    assert Request.objects.count() == 0 and BotMessage.objects.count() == 0


def test_it_refuses_a_body_that_is_not_json(channel):
    response = post(channel, None, raw=b"not json")
    assert response.status_code == 400
    assert Request.objects.count() == 0


def test_it_keeps_attachments_without_metadata(channel, evidence_dir, coordinator_a):
    photo = base64.b64encode(jpeg(gps=True)).decode()
    response = post(
        channel,
        {
            "message_id": "tg-6",
            "text": "Gate",
            "attachments": [{"filename": "a.jpg", "content_base64": photo}],
        },
    )
    assert response.status_code == 201, response.content
    evidence = Evidence.objects.get(request=Request.objects.get())
    from lifeline.evidence.services import evidence_read

    stored = evidence_read(actor=coordinator_a, evidence=evidence)
    assert b"PhoneMaker" not in stored and b"Exif" not in stored


def test_it_lets_the_sender_check_in_with_the_bot_receipt_code(channel):
    code = post(channel, {"message_id": "tg-7", "text": "Help", "language": "vi"}).json()[
        "receipt_code"
    ]
    response = Client().post("/check/", {"code": code, "status": "safe"})
    assert response.status_code == 200


def test_it_answers_in_the_language_the_bridge_names(channel):
    body = post(channel, {"message_id": "tg-8", "text": "Help", "language": "km"}).json()
    assert body["language"] == "km" and body["reply"].startswith("បានទទួល")
