"""A POST without its CSRF token is refused everywhere a browser session can write.

Every route of the URL resolver gets a POST without a token, from a persona who may use it
(the one the authorization matrix gives a success, else the coordinator): 403, and nothing is
written. The same POST with the token then gets the matrix's designed answer, so the 403 was
the CSRF check and not something else. A route that only answers GET must refuse the POST just
as well: no view is exempt. Session-authenticated API writes are held to the same rule.
"""

import re

import pytest
from django.db import transaction

from tests.api import snapshot
from tests.security.conftest import World, session_client
from tests.security.test_authorization_matrix import (
    API,
    PERSONAS,
    UI,
    Go,
    _fill,
    _matches,
    _send_json,
    _values,
)

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
# The public SOS, check-in and job-check pages set no cookie, so Django's CSRF check (a cookie
# or a session) cannot apply; they refuse cross-site posts by their Origin / Sec-Fetch-Site
# headers instead, and the SOS and report forms carry a signed one-time token
# (docs/public-pages.md).
PUBLIC_PAGES = ("intake_sos", "intake_check_in", "job_check")


def _allowed(expected) -> bool:
    if isinstance(expected, Go):
        return "login" not in expected.target
    return 200 <= expected < 300


def _post_case(key: str):
    """(persona, url, data, expected with the token) for the route's POST, or a plain POST by
    the coordinator to a GET-only route."""
    for entry in UI[key]:
        if entry.method == "POST":
            for persona, expected in zip(PERSONAS, entry.expected, strict=True):
                if persona != "anonymous" and _allowed(expected):
                    return persona, entry.url, entry.data, expected
            return "coordinator", entry.url, entry.data, None
    return "coordinator", UI[key][0].url, {}, None


def _csrf_token(client) -> str:
    match = TOKEN.search(client.get("/accounts/tokens/").content.decode())
    assert match, "no CSRF token on the tokens page"
    return match.group(1)


@pytest.mark.parametrize("key", sorted(set(UI) - set(PUBLIC_PAGES)))
def test_it_refuses_a_post_without_its_csrf_token(world: World, login, key):
    persona, url, raw_data, expected = _post_case(key)
    values = _values(world)
    url, data = _fill(url, values), _fill(raw_data, values)
    with transaction.atomic():
        client = session_client(login, world.personas[persona], enforce_csrf_checks=True)
        before = snapshot()
        response = client.post(url, data or {})
        assert response.status_code == 403, f"{key}: POST {url} without a token as {persona}"
        assert snapshot() == before
        if expected is not None:
            token = _csrf_token(client)
            data = _fill(raw_data, values)  # an upload is read once: a fresh one
            accepted = client.post(url, {**(data or {}), "csrfmiddlewaretoken": token})
            assert _matches(accepted, expected, values), (
                f"{key}: POST {url} with the token as {persona} got {accepted.status_code}"
            )
        transaction.set_rollback(True)


@pytest.mark.parametrize("key", PUBLIC_PAGES)
@pytest.mark.parametrize(
    "headers", [{"HTTP_ORIGIN": "https://evil.example"}, {"HTTP_SEC_FETCH_SITE": "cross-site"}]
)
def test_it_refuses_a_cross_site_post_to_the_public_pages(world: World, login, key, headers):
    _persona, url, raw_data, _expected = _post_case(key)
    with transaction.atomic():
        client = session_client(login, world.personas["coordinator"], enforce_csrf_checks=True)
        before = snapshot()
        response = client.post(url, _fill(raw_data, _values(world)) or {}, **headers)
        assert response.status_code == 403
        assert snapshot() == before
        transaction.set_rollback(True)


# The bridges' endpoint takes no session at all (a session is no signature): 401 either way.
SIGNED_API = ("POST /api/v1/intake/messages",)
API_WRITES = sorted(
    key for key, entry in API.items() if entry.method != "GET" and key not in SIGNED_API
)


@pytest.mark.parametrize("key", API_WRITES)
def test_it_refuses_a_session_api_write_without_its_csrf_token(world: World, login, key):
    entry = API[key]
    values = _values(world)
    url = _fill(entry.url, values)
    expected = entry.expected[PERSONAS.index("coordinator")]
    with transaction.atomic():
        client = session_client(login, world.membership("coordinator"), enforce_csrf_checks=True)
        before = snapshot()
        response = _send_json(client, entry.method, url, _fill(entry.data, values))
        assert response.status_code == 403, f"{key} without a token"
        assert snapshot() == before
        token = _csrf_token(client)
        accepted = _send_json(
            client, entry.method, url, _fill(entry.data, values), HTTP_X_CSRFTOKEN=token
        )
        assert accepted.status_code == expected, f"{key} with the token: {accepted.content!r}"
        transaction.set_rollback(True)
