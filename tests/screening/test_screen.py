"""Screening from the page, the API and the command line: the same result, bad input refused
with a clear message, and nothing stored."""

import io
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lifeline.audit.models import AuditEvent
from tests.api import api_client, call, snapshot
from tests.screening.lures import EXAMPLES, LURE_EN

URL = "/screening/"
API = "/api/v1/screening/offers"
BAD = {
    "": "nothing to check",
    "a" * 1_000_000: "too long",
    "💰💰✈️": "no words",
    "abc\x00def": "not text",
    "<script>alert(1)</script>": "nothing to check",
}


def _writes(captured):
    verbs = ("insert", "update", "delete")
    return [q["sql"] for q in captured.captured_queries if q["sql"].lower().startswith(verbs)]


def test_it_screens_an_offer_on_the_page_and_stores_nothing(login, caseworker_a, tiny_model):
    client = login(caseworker_a)
    before = AuditEvent.objects.count()
    with CaptureQueriesContext(connection) as captured:
        response = client.post(URL, {"text": LURE_EN})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Many warning signs" in page
    assert "A destination known for scam compounds" in page
    assert "What the model weighed" in page
    assert not [sql for sql in _writes(captured) if "session" not in sql]
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("text", list(BAD))
def test_it_explains_bad_input_on_the_page(login, coordinator_a, text, no_model):
    response = login(coordinator_a).post(URL, {"text": text})
    assert response.status_code == 200
    assert BAD[text] in response.content.decode()
    assert response.context["result"] is None


def test_it_escapes_what_it_shows(login, coordinator_a, no_model):
    page = login(coordinator_a).post(URL, {"text": "Typing job <b>now</b> &lt;img src=x&gt;"})
    assert "<img src=x>" not in page.content.decode()


def test_it_says_when_no_model_is_installed(login, coordinator_a, no_model):
    page = login(coordinator_a).get(URL).content.decode()
    assert "No model is installed" in page


def test_it_refuses_the_page_to_roles_without_the_capability(login, analyst_a, admin_a):
    for member in (analyst_a, admin_a):
        assert login(member).post(URL, {"text": LURE_EN}).status_code == 403


def test_it_screens_through_the_api(coordinator_a, tiny_model):
    client = api_client(coordinator_a)
    before = snapshot()
    response = call(client, "post", API, {"text": EXAMPLES["passport_handover"]["zh"]})
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["level"] in {"medium", "high"}
    assert [s["code"] for s in body["signs"]] == ["passport_handover"]
    assert body["signs"][0]["why"] and body["signs"][0]["languages"] == ["zh"]
    assert body["model"]["training_data_sha256"] == tiny_model.meta["training_data"]["sha256"]
    assert snapshot() == before


def test_it_explains_the_signs_in_the_readers_language(coordinator_a, no_model):
    response = call(
        api_client(coordinator_a), "post", API, {"text": LURE_EN}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.json()["signs"][0]["title"] == "Work abroad with the travel paid for you"


@pytest.mark.parametrize("text", list(BAD))
def test_it_refuses_bad_input_through_the_api(coordinator_a, text, no_model):
    client = api_client(coordinator_a)
    before = snapshot()
    response = call(client, "post", API, {"text": text})
    assert response.status_code == 422
    (error,) = response.json()["detail"]
    # Every API body refuses a NUL character before the screening sees it (core/api.py).
    expected = "Null characters" if "\x00" in text else BAD[text]
    assert error["loc"] == ["body", "text"] and expected in error["msg"]
    assert snapshot() == before


def test_it_refuses_the_api_to_roles_without_the_capability(analyst_a):
    response = call(api_client(analyst_a), "post", API, {"text": LURE_EN})
    assert response.status_code == 403


def test_it_refuses_unknown_fields(coordinator_a):
    response = call(api_client(coordinator_a), "post", API, {"text": "x", "save": True})
    assert response.status_code == 422


def test_it_screens_a_file_from_the_command_line(tmp_path, capsys, no_model):
    path = tmp_path / "offer.txt"
    path.write_text(EXAMPLES["compound_destination"]["th"], encoding="utf-8")
    call_command("screen", str(path))
    out = capsys.readouterr().out
    assert "A destination known for scam compounds" in out
    assert "No model installed" in out


def test_it_screens_standard_input_as_json(monkeypatch, capsys, tiny_model):
    stdin = io.TextIOWrapper(io.BytesIO(LURE_EN.encode()))
    monkeypatch.setattr("sys.stdin", stdin)
    call_command("screen", "-", "--json")
    result = json.loads(capsys.readouterr().out)
    assert result["level"] == "high" and result["features"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "nothing to check"),
        (b"\x89PNG\r\n\x1a\n\x00", "not text"),
        (b"a" * 1_000_000, "too long"),
    ],
)
def test_it_refuses_bad_files_from_the_command_line(tmp_path, data, message, no_model):
    path = tmp_path / "offer.bin"
    path.write_bytes(data)
    with pytest.raises(CommandError, match=message):
        call_command("screen", str(path))


def test_it_says_when_the_file_cannot_be_read(tmp_path):
    with pytest.raises(CommandError, match="cannot read"):
        call_command("screen", str(tmp_path / "missing.txt"))
