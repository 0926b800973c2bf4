"""Matching across organisations without pooling data: encodings, files, refusals."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from lifeline.audit.models import AuditEvent
from lifeline.linkage import clk, services
from lifeline.linkage.comparison import Profile, birth_range_from_age
from lifeline.linkage.models import CrossMatch
from tests.api import assert_audit_free_of
from tests.factories import make_person

SECRET = "correct horse battery staple"


def test_the_same_person_in_two_scripts_encodes_close_and_others_far():
    import datetime

    a = Profile(names=("张伟",), phones=frozenset({"+66812345678"}))
    b = Profile(
        names=("Wei Zhang",),
        phones=frozenset({"+66812345678"}),
        birth=birth_range_from_age(25, told_on=datetime.date(2024, 1, 1)),
    )
    c = Profile(names=("Somchai Jaidee",), phones=frozenset({"+66899999999"}))
    ea, eb, ec = (clk.encode(p, secret=SECRET) for p in (a, b, c))
    assert clk.dice(ea, eb) >= 0.8 > 0.5 > clk.dice(ea, ec)
    # Another secret, other bits: a filter says nothing without the secret.
    assert clk.dice(ea, clk.encode(a, secret=SECRET + "!")) < 0.5


def test_files_carry_no_names_and_refuse_another_secret_or_version():
    data, refs = clk.dump(
        profiles={1: Profile(names=("张伟",))}, secret=SECRET, organisation="Mekong Rescue"
    )
    assert "张伟".encode() not in data and b"zhang" not in data and 1 not in refs
    assert len(clk.load(data, secret=SECRET).records) == 1
    with pytest.raises(clk.EncodingError, match="another secret"):
        clk.load(data, secret="another secret entirely")
    body = json.loads(data)
    body["schema_version"] = 2
    with pytest.raises(clk.EncodingError, match="version 2"):
        clk.load(json.dumps(body).encode(), secret=SECRET)
    with pytest.raises(clk.EncodingError, match="not an encodings file"):
        clk.load(b"<html>", secret=SECRET)
    body["schema_version"] = 1
    body["records"][0]["clk"] = "!!"
    with pytest.raises(clk.EncodingError, match="damaged"):
        clk.load(json.dumps(body).encode(), secret=SECRET)
    with pytest.raises(clk.EncodingError, match="at least 16"):
        clk.dump(profiles={}, secret="short", organisation="x")


@pytest.fixture
def both(coordinator_a, coordinator_b):
    ours = make_person(coordinator_a, "张伟", phone="+66 81 234 5678")
    make_person(coordinator_a, "Lin Mei")
    make_person(coordinator_b, "Zhang Wei", phone="+66 81 234 5678")
    make_person(coordinator_b, "Somchai Jaidee")
    return ours


def test_two_organisations_match_through_files_and_see_only_their_own(
    login, coordinator_a, coordinator_b, both
):
    theirs = services.encodings_export(actor=coordinator_b, secret=SECRET)
    rows = services.encodings_import(actor=coordinator_a, data=theirs, secret=SECRET)
    assert [(r.person, r.partner) for r in rows] == [(both, "Other Network")]
    assert rows[0].score >= 0.8
    page = login(coordinator_a).get(reverse("linkage:partners")).content.decode()
    assert "matches one of theirs at" in page and "contact the coordinator of Other Network" in page
    assert "Zhang Wei" not in page and "Somchai" not in page
    other_side = login(coordinator_b).get(reverse("linkage:partners")).content.decode()
    assert "No matches yet." in other_side
    assert {
        e.action for e in AuditEvent.objects.filter(action__startswith="linkage.encodings")
    } == {
        "linkage.encodings.exported",
        "linkage.encodings.imported",
    }
    assert_audit_free_of("张伟", "Zhang", SECRET)


def test_the_ui_downloads_and_imports_files_and_refuses_a_wrong_secret(
    login, coordinator_a, coordinator_b, both
):
    response = login(coordinator_b).post(reverse("linkage:encodings_export"), {"secret": SECRET})
    assert response.status_code == 200 and "attachment" in response["Content-Disposition"]
    data = response.content
    client = login(coordinator_a)
    from django.core.files.uploadedfile import SimpleUploadedFile

    wrong = client.post(
        reverse("linkage:encodings_import"),
        {"secret": "not the agreed secret", "file": SimpleUploadedFile("e.json", data)},
    )
    assert wrong.status_code == 400 and "another secret" in wrong.content.decode()
    assert not CrossMatch.objects.exists()
    assert AuditEvent.objects.filter(action="linkage.encodings.refused").count() == 1
    right = client.post(
        reverse("linkage:encodings_import"),
        {"secret": SECRET, "file": SimpleUploadedFile("e.json", data)},
        follow=True,
    )
    assert "1 of your records match one of theirs" in right.content.decode()
    short = client.post(reverse("linkage:encodings_export"), {"secret": "short"})
    assert short.status_code == 400 and "at least 16" in short.content.decode()


def test_the_command_line_exports_and_imports(tmp_path, coordinator_a, coordinator_b, both):
    secret_file = tmp_path / "secret"
    secret_file.write_text(SECRET)
    out = tmp_path / "theirs.json"
    call_command(
        "linkage", "export-encodings", "--organisation", "other",
        "--member", coordinator_b.user.username, "--secret-file", str(secret_file),
        "--output", str(out),
    )  # fmt: skip
    assert out.stat().st_mode & 0o777 == 0o600
    call_command(
        "linkage", "import-encodings", "--organisation", "mekong",
        "--member", coordinator_a.user.username, "--secret-file", str(secret_file), str(out),
    )  # fmt: skip
    assert CrossMatch.objects.get().person == both
    secret_file.write_text("another secret entirely")
    with pytest.raises(CommandError, match="another secret"):
        call_command(
            "linkage", "import-encodings", "--organisation", "mekong",
            "--member", coordinator_a.user.username, "--secret-file", str(secret_file), str(out),
        )  # fmt: skip


def test_the_api_exports_compares_and_lists(coordinator_a, coordinator_b, both):
    from tests.api import api_client, call

    theirs = call(
        api_client(coordinator_b), "post", "/api/v1/linkage/encodings", {"secret": SECRET}
    )
    assert theirs.status_code == 200 and theirs.json()["schema_version"] == 1
    client = api_client(coordinator_a)
    url = "/api/v1/linkage/encodings/comparisons"
    wrong = call(client, "post", url, {"secret": "not the agreed secret", "file": theirs.json()})
    assert wrong.status_code == 422 and "another secret" in wrong.json()["detail"][0]["msg"]
    right = call(client, "post", url, {"secret": SECRET, "file": theirs.json()})
    assert right.status_code == 200 and right.json()["items"][0]["person_uid"] == str(both.uid)
    listed = call(client, "get", "/api/v1/linkage/cross-matches").json()
    assert listed["count"] == 1 and listed["items"][0]["partner"] == "Other Network"
    assert (
        call(api_client(coordinator_b), "get", "/api/v1/linkage/cross-matches").json()["count"] == 0
    )


def test_many_against_many_compares_only_what_hashing_proposes_and_misses_no_close_pair():
    import random

    rng = random.Random(3)

    def noisy(bits: int, flips: int) -> int:
        for position in rng.sample(range(clk.BITS), flips):
            bits ^= 1 << position
        return bits

    ours = [sum(1 << p for p in rng.sample(range(clk.BITS), 300)) for _ in range(1500)]
    # Their first 300 are ours changed a little (Dice about 0.9), the rest strangers.
    theirs = [noisy(ours[k], 30) for k in range(300)]
    theirs += [sum(1 << p for p in rng.sample(range(clk.BITS), 300)) for _ in range(1200)]
    assert all(clk.dice(ours[k], theirs[k]) > 0.85 for k in range(300))
    pairs = clk.candidate_pairs(ours, theirs)
    assert {(k, k) for k in range(300)} <= pairs
    assert len(pairs) < 0.01 * len(ours) * len(theirs)
    # Beyond ALL_PAIRS_UP_TO pairs, matches() goes through the hashing and finds them all.
    file = clk.EncodingFile("Mekong Rescue", [(f"r{k}", c) for k, c in enumerate(theirs)])
    found = clk.matches(list(enumerate(ours)), file, threshold=0.8)
    assert {(pid, ref) for pid, ref, _score in found} == {(k, f"r{k}") for k in range(300)}
