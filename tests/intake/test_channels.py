"""Org admins manage the messaging bridges' channels, in the UI and the API."""

import json
import time

import pytest
from django.db import connection
from django.test import Client

from lifeline.accounts.roles import Role
from lifeline.audit.models import AuditEvent
from lifeline.intake.models import BotChannel
from lifeline.intake.signing import sign
from tests.api import api_client, call
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def _post_message(uid, secret, message_id="m1"):
    body = json.dumps({"message_id": message_id, "text": "Help"}).encode()
    ts = str(int(time.time()))
    return Client().post(
        "/api/v1/intake/messages",
        body,
        content_type="application/json",
        HTTP_X_LIFELINE_CHANNEL=str(uid),
        HTTP_X_LIFELINE_TIMESTAMP=ts,
        HTTP_X_LIFELINE_SIGNATURE=sign(secret, ts, body),
    )


def test_it_shows_a_new_channels_secret_once_and_it_signs(login, admin_a):
    client = login(admin_a)
    response = client.post("/settings/channels/", {"name": "LINE bot", "kind": "line"})
    assert response.status_code == 201
    channel = BotChannel.objects.get()
    page = response.content.decode()
    secret = channel.secret
    assert secret in page and str(channel.uid) in page
    assert secret not in client.get("/settings/channels/").content.decode()
    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM intake_botchannel")
        assert secret not in cursor.fetchone()[0]  # encrypted at rest
    assert _post_message(channel.uid, secret).status_code == 201
    assert AuditEvent.objects.filter(action="intake.channel.created").count() == 1


def test_it_replaces_and_revokes_secrets(login, admin_a):
    client = login(admin_a)
    client.post("/settings/channels/", {"name": "Signal bot", "kind": "signal"})
    channel = BotChannel.objects.get()
    old = channel.secret
    client.post(f"/settings/channels/{channel.uid}/secret/")
    channel.refresh_from_db()
    assert channel.secret != old
    assert _post_message(channel.uid, old).status_code == 401
    assert _post_message(channel.uid, channel.secret, "m2").status_code == 201
    client.post(f"/settings/channels/{channel.uid}/revoke/")
    channel.refresh_from_db()
    assert channel.revoked_at is not None and channel.secret == ""
    assert _post_message(channel.uid, "", "m3").status_code == 401


def test_it_refuses_a_channel_without_a_name(login, admin_a):
    response = login(admin_a).post("/settings/channels/", {"name": "", "kind": "line"})
    assert response.status_code == 400
    assert BotChannel.objects.count() == 0


def test_it_manages_channels_through_the_api(admin_a):
    client = api_client(admin_a)
    created = call(
        client, "post", "/api/v1/intake/channels", {"name": "WA bot", "kind": "whatsapp"}
    )
    assert created.status_code == 201
    body = created.json()
    assert body["secret"] and body["kind"] == "whatsapp"
    listed = call(client, "get", "/api/v1/intake/channels").json()
    assert [c["uid"] for c in listed] == [body["uid"]] and "secret" not in listed[0]
    renewed = call(client, "post", f"/api/v1/intake/channels/{body['uid']}/secret")
    assert renewed.json()["secret"] != body["secret"]
    revoked = call(client, "post", f"/api/v1/intake/channels/{body['uid']}/revoke")
    assert revoked.json()["revoked_at"]
    bad = call(client, "post", "/api/v1/intake/channels", {"name": "x", "kind": "fax"})
    assert bad.status_code == 422


def test_it_hides_another_organisations_channels(admin_a, org_b):
    admin_b = MembershipFactory(organisation=org_b, role=Role.ORG_ADMIN, user__username="admin_b")
    uid = call(
        api_client(admin_a), "post", "/api/v1/intake/channels", {"name": "A", "kind": "line"}
    ).json()["uid"]
    other = api_client(admin_b)
    assert call(other, "get", "/api/v1/intake/channels").json() == []
    assert call(other, "post", f"/api/v1/intake/channels/{uid}/revoke").status_code == 404
    assert call(other, "post", f"/api/v1/intake/channels/{uid}/secret").status_code == 404
    assert BotChannel.objects.get().revoked_at is None
