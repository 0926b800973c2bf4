"""The worked example of docs/intake-api.md, run against the test server: its signing is the
one the server checks."""

import hashlib
import hmac
import json
import re
import subprocess
import time
from pathlib import Path

import pytest
from django.test import Client

from lifeline.intake.services import channel_create

DOC = Path(__file__).resolve().parents[2] / "docs" / "intake-api.md"
pytestmark = pytest.mark.django_db


def test_it_accepts_the_python_example_signature(admin_a):
    channel, secret = channel_create(actor=admin_a, name="Telegram bot", kind="telegram")
    text = DOC.read_text(encoding="utf-8")
    assert (
        'signature = hmac.new(SECRET.encode(), timestamp.encode() + b"." + body, hashlib.sha256)'
        in text
    )
    body = json.dumps({"message_id": "tg-1", "text": "พี่ชายถูกขังไว้"}, ensure_ascii=False).encode()
    timestamp = str(int(time.time()))
    signature = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    response = Client().post(
        "/api/v1/intake/messages",
        body,
        content_type="application/json",
        HTTP_X_LIFELINE_CHANNEL=str(channel.uid),
        HTTP_X_LIFELINE_TIMESTAMP=timestamp,
        HTTP_X_LIFELINE_SIGNATURE="sha256=" + signature.hexdigest(),
    )
    assert response.status_code == 201


def test_it_accepts_the_shell_example_signature(admin_a):
    channel, secret = channel_create(actor=admin_a, name="Telegram bot", kind="telegram")
    line = re.search(r"^SIG=\$\((.*)\)$", DOC.read_text(encoding="utf-8"), re.M).group(1)
    body = '{"message_id":"tg-2","text":"Help, my sister is locked in","relation":"family"}'
    timestamp = str(int(time.time()))
    signature = subprocess.run(  # noqa: S603 - the documented command, fixed
        ["/bin/sh", "-c", line],
        env={"TS": timestamp, "BODY": body, "SECRET": secret, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    response = Client().post(
        "/api/v1/intake/messages",
        body.encode(),
        content_type="application/json",
        HTTP_X_LIFELINE_CHANNEL=str(channel.uid),
        HTTP_X_LIFELINE_TIMESTAMP=timestamp,
        HTTP_X_LIFELINE_SIGNATURE="sha256=" + signature,
    )
    assert response.status_code == 201, (signature, response.content)
