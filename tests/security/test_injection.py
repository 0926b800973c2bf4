"""Injection and wildcards in every filter and search parameter of every list.

SQL fragments, LIKE and glob wildcards, a backslash, a NUL byte, a very long string and odd
Unicode go into each parameter of each list page and list endpoint. None may end in a 5xx, and
none may return more than a search that matches nothing (``%`` must not match everything): a
search field answers with no rows, a field with fixed values (a status, a code, a page number)
with a 422 from the API or an empty list from the page's form.
"""

import pytest

from tests.api import api_client
from tests.factories import make_case, make_site
from tests.security.conftest import World, session_client

PAYLOADS = [
    "' OR 1=1 --",
    "' OR '1'='1",
    '"; DROP TABLE cases_case; --',
    "1; SELECT pg_sleep(0)",
    "%",
    "_",
    "\\",
    "*",
    "%%",
    "%_%",
    ".*",
    "[a-z]",
    "\x00",
    "a\x00' OR 1=1",
    "x" * 5000,
    "𝕬𝖑𝖎𝖈𝖊",
    "\u202egnp.exe",
    "\ufeff",
    "Z̷͉̈a̶̠͝l̷̰͂g̸̱̈́o̵͚͝",
    "İı",
    "🙂",
    "ﷺ",
]
NOTHING = "qqxzv nomatch"

# Search fields: free text, answered with the rows that match.
API_SEARCH = {
    "/api/v1/cases": ["q", "name", "phone"],
    "/api/v1/persons": ["name", "phone"],
    "/api/v1/sites": ["q"],
}
# Fields with fixed values or numbers: a bad value is a 422.
API_FIXED = {
    "/api/v1/cases": [
        "status",
        "urgency",
        "assignee",
        "citizenship",
        "open_only",
        "page",
        "page_size",
    ],
    "/api/v1/requests": ["status", "page", "page_size"],
    "/api/v1/persons": ["page", "page_size"],
    "/api/v1/cases/{case}/timeline": ["page", "page_size"],
    "/api/v1/sites": ["status", "country", "indicator", "kind", "page", "page_size"],
    "/api/v1/sites/{site}/status-claims": ["page", "page_size"],
    "/api/v1/persons/{person}/sightings": ["page", "page_size"],
}
UI_SEARCH = {"/cases/": ["q", "phone"], "/sites/": ["q"]}
# The case list's form is invalid with such a value, and then lists nothing.
UI_FIXED = {
    "/cases/": ["status", "urgency", "assignee", "citizenship"],
    "/sites/": ["status", "country", "indicator", "kind"],
}
# Narrowing only, or paging: any value may answer, with no more rows than without it.
UI_NARROWING = {"/cases/": ["open_only", "page"], "/requests/": ["page"], "/sites/": ["page"]}
# Terms that do match, so that "no rows" above means refused, not a search that never works.
FINDS = {"q": "Somchai", "name": "Somchai", "phone": "+66 81 234 5678"}


@pytest.fixture
def lists(world: World, coordinator_a, caseworker_a):
    """A few more cases, so that a filter that matched everything would show."""
    make_case(
        coordinator_a,
        assignee=caseworker_a,
        subject_name="Somchai Jaidee",
        subject_contact="+66 81 234 5678",
    )
    make_case(coordinator_a, subject_name="李娜", subject_contact="+86 138 0013 8000")
    make_site(coordinator_a, name="Somchai Plaza", kind="hotel", aliases=[])
    return world


def _api_count(client, url: str, params: dict) -> tuple[int, int | None]:
    response = client.get(url, params)
    assert response.status_code < 500, (url, params)
    if response.status_code != 200:
        return response.status_code, None
    return 200, response.json()["count"]


def _ui_count(client, url: str, params: dict) -> tuple[int, int]:
    response = client.get(url, params)
    assert response.status_code < 500, (url, params)
    page = response.context.get("page") if response.context else None
    return response.status_code, page.paginator.count if page is not None else 0


@pytest.mark.parametrize("url", sorted(API_SEARCH))
def test_it_matches_nothing_with_injected_search_terms(lists, coordinator_a, url):
    client = api_client(coordinator_a)
    for param in API_SEARCH[url]:
        assert _api_count(client, url, {param: FINDS[param]}) == (200, 1), (url, param)
        status, nothing = _api_count(client, url, {param: NOTHING})
        assert status == 200 and nothing == 0, (url, param)
        for payload in PAYLOADS:
            status, count = _api_count(client, url, {param: payload})
            assert status in (200, 422), (url, param, payload, status)
            assert count is None or count <= nothing, (url, param, payload, count)


@pytest.mark.parametrize("url", sorted(API_FIXED))
def test_it_refuses_injected_values_in_fixed_fields(lists, coordinator_a, url):
    client = api_client(coordinator_a)
    params, url = (
        API_FIXED[url],
        url.format(case=lists.case.uid, site=lists.site.uid, person=lists.person.uid),
    )
    status, everything = _api_count(client, url, {})
    assert status == 200 and everything, url
    for param in params:
        for payload in PAYLOADS:
            status, count = _api_count(client, url, {param: payload})
            assert status == 422, (url, param, payload, status, count)


def test_it_lists_nothing_for_injected_terms_in_the_case_list_page(lists, login, coordinator_a):
    client = session_client(login, coordinator_a)
    status, everything = _ui_count(client, "/cases/", {})
    assert status == 200 and everything == 3
    for url, params in UI_SEARCH.items():
        for param in params:
            assert _ui_count(client, url, {param: FINDS[param]}) == (200, 1), (url, param)
            status, nothing = _ui_count(client, url, {param: NOTHING})
            assert (status, nothing) == (200, 0), (url, param)
            for payload in PAYLOADS:
                status, count = _ui_count(client, url, {param: payload})
                assert status == 200 and count <= nothing, (url, param, payload, count)
    for url, params in UI_FIXED.items():
        for param in params:
            for payload in PAYLOADS:
                status, count = _ui_count(client, url, {param: payload})
                assert status == 200 and count == 0, (url, param, payload, count)


def test_it_only_narrows_or_pages_with_injected_values(lists, login, coordinator_a):
    client = session_client(login, coordinator_a)
    for url, params in UI_NARROWING.items():
        status, everything = _ui_count(client, url, {})
        assert status == 200, url
        for param in params:
            for payload in PAYLOADS:
                status, count = _ui_count(client, url, {param: payload})
                assert status == 200 and count <= everything, (url, param, payload, count)


def test_it_keeps_the_data_after_the_injections(lists, coordinator_a):
    """Nothing above dropped or changed a row: the cases are all still there."""
    client = api_client(coordinator_a)
    for payload in PAYLOADS[:4]:
        client.get("/api/v1/cases", {"q": payload})
        client.get("/api/v1/persons", {"name": payload})
    assert client.get("/api/v1/cases").json()["count"] == 3
    assert client.get(f"/api/v1/cases/{lists.case.uid}").status_code == 200
