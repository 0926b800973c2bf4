"""Property-based tests (hypothesis) of the public form and the signed API: whatever arrives,
the answer is a page or a JSON error, never a server error; a request is stored exactly when
the answer says so; and only a correct, fresh, new signature is ever accepted."""

import itertools
import json
import time

import pytest
from django.core.cache import cache
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from lifeline.cases.models import Request
from lifeline.intake import codes, services
from lifeline.intake.signing import SignatureRefused, check, sign
from tests.intake.conftest import CODE, form_token

pytestmark = pytest.mark.django_db
SETTINGS = settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=400)
FIELDS = {
    "relation": st.sampled_from(["self", "family", "friend", "other", "", "boss"]),
    "names": text,
    "contact_kind": st.sampled_from(["phone", "line", "telegram", "fax", ""]),
    "contact": st.one_of(st.just(""), st.just("+66 81 234 5678"), text),
    "contact_times": text,
    "country": st.sampled_from(["", "KH", "MM", "ZZ"]),
    "town": text,
    "compound": text,
    "signs": st.lists(st.sampled_from(["beaten", "locked_in", "injured", "nope"]), max_size=3),
    "text": st.one_of(text, st.text(max_size=3100)),
    "duress": st.one_of(st.just(""), text),
    "latitude": st.one_of(st.just(""), st.floats(allow_nan=True).map(str)),
    "website": st.one_of(st.just(""), st.just(""), text),
}


@SETTINGS
@given(data=st.fixed_dictionaries({}, optional=FIELDS))
def test_it_answers_any_form_with_a_page_and_stores_only_what_it_acknowledges(public, data):
    cache.clear()
    before = Request.objects.count()
    response = public.post("/help/", {"token": form_token(public), **data})
    assert response.status_code in (200, 400)
    body = response.content.decode()
    acknowledged = CODE.search(body) is not None
    stored = Request.objects.count() - before
    if response.status_code == 400:
        assert not acknowledged and stored == 0
    elif data.get("website"):
        assert acknowledged and stored == 0  # the honeypot: a code that belongs to nothing
    else:
        assert acknowledged and stored == 1
    assert response.cookies == {}


@SETTINGS
@given(raw=st.text(max_size=40))
def test_it_reads_a_receipt_code_however_it_is_typed_or_not_at_all(raw):
    code = codes.normalise_code(raw)
    assert code is None or codes.normalise_code(codes.display_code(code)) == code


@SETTINGS
@given(nonce=st.text(min_size=16, max_size=64))
def test_it_derives_well_formed_codes_that_survive_display(nonce):
    code = codes.receipt_code(nonce)
    assert codes.normalise_code(codes.display_code(code).lower()) == code


@SETTINGS
@given(
    secret=st.text(min_size=1, max_size=50),
    body=st.binary(max_size=500),
    skew=st.integers(min_value=-1000, max_value=1000),
    flip=st.one_of(st.none(), st.integers(min_value=0, max_value=70)),
)
def test_it_accepts_only_the_right_fresh_signature(secret, body, skew, flip):
    now = 1_800_000_000
    timestamp = str(now + skew)
    signature = sign(secret, timestamp, body)
    if flip is not None and flip < len(signature):
        replacement = "0" if signature[flip] != "0" else "1"
        signature = signature[:flip] + replacement + signature[flip + 1 :]
    good = signature == sign(secret, timestamp, body) and abs(skew) <= 300
    try:
        check(secret=secret, timestamp=timestamp, signature=signature, body=body, now=now)
    except SignatureRefused:
        assert not good
    else:
        assert good


@SETTINGS
@given(
    message=st.fixed_dictionaries(
        {"message_id": st.text(max_size=210)},
        optional={
            "text": text,
            "relation": st.sampled_from(["self", "family", "x"]),
            "name": text,
            "danger_signs": st.lists(st.sampled_from(["beaten", "ufo"]), max_size=2),
            "language": st.sampled_from(["", "th", "xx"]),
            "contact_kind": st.sampled_from(["", "phone", "fax"]),
            "contact": text,
            "unknown": st.integers(),
        },
    )
)
def test_it_answers_any_signed_message_with_json_and_is_idempotent(admin_a, message):
    channel, secret = _channel(admin_a)
    # Examples share the database: a fresh id keeps one example's post from replaying another's.
    message = {**message, "message_id": f"{next(_serial)}-{message['message_id']}"}
    answers = []
    now = int(time.time())
    for delay in (0, 1):  # a retry, signed again a second later
        body = json.dumps(message).encode()
        timestamp = str(now - delay)
        response = Client().post(
            "/api/v1/intake/messages",
            body,
            content_type="application/json",
            HTTP_X_LIFELINE_CHANNEL=str(channel.uid),
            HTTP_X_LIFELINE_TIMESTAMP=timestamp,
            HTTP_X_LIFELINE_SIGNATURE=sign(secret, timestamp, body),
        )
        assert response.status_code in (200, 201, 422), (response.content, body, timestamp)
        answers.append(response)
    first, second = answers
    if first.status_code == 422:
        assert second.status_code == 422
    else:
        assert first.status_code == 201 and second.status_code == 200
        assert first.json()["receipt_code"] == second.json()["receipt_code"]


_serial = itertools.count()
_channels: dict[int, tuple] = {}


def _channel(admin):
    if (
        admin.pk not in _channels
        or not type(_channels[admin.pk][0]).objects.filter(pk=_channels[admin.pk][0].pk).exists()
    ):
        _channels[admin.pk] = services.channel_create(actor=admin, name="bot", kind="telegram")
    return _channels[admin.pk]
