"""Key rotation and shredding, in process (the crash test runs the command in a subprocess)."""

import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from lifeline.core import crypto, rotation
from lifeline.core.fields import UnreadableValue
from lifeline.people.models import PersonName
from lifeline.people.services import person_add_name
from tests.factories import make_case


def _tokens() -> list[str]:
    found = []
    with connection.cursor() as cursor:
        for table in rotation.encrypted_tables():
            cols = ", ".join(c for c, _ in table.columns)
            cursor.execute(f"SELECT {cols} FROM {table.table}")  # noqa: S608
            found += [v for row in cursor.fetchall() for v in row if v]
    return found


def _plaintexts() -> dict[str, str]:
    values = {}
    for table in rotation.encrypted_tables():
        with connection.cursor() as cursor:
            cols = ", ".join(c for c, _ in table.columns)
            cursor.execute(f"SELECT {table.pk_column}, {cols} FROM {table.table}")  # noqa: S608
            for row in cursor.fetchall():
                for (column, purpose), token in zip(table.columns, row[1:], strict=True):
                    if token:
                        values[f"{table.table}.{column}.{row[0]}"] = crypto.decrypt(
                            token, purpose=purpose
                        )
    return values


def test_rotation_reencrypts_every_value_and_retires_the_old_key(key_file, coordinator_a):
    make_case(coordinator_a)
    make_case(coordinator_a, subject_name="Somchai Jaidee")
    before = _plaintexts()
    assert {crypto.token_key_id(t) for t in _tokens()} == {"k1"}

    result = rotation.rotate(settle_seconds=0, batch_size=2)

    assert result.new_key_id == "k2" and result.retired == ["k1"]
    assert result.values_reencrypted == len(before)
    assert {crypto.token_key_id(t) for t in _tokens()} == {"k2"}
    assert _plaintexts() == before
    on_disk = json.loads(key_file.read_text())
    assert on_disk["active"] == "k2" and list(on_disk["data_keys"]) == ["k2"]
    assert "retiring" not in on_disk
    assert [n.value for n in PersonName.objects.order_by("pk")][:1] == ["张伟"]


def test_a_value_written_during_the_rotation_is_kept(key_file, coordinator_a):
    case = make_case(coordinator_a)
    person = case.person

    def write_meanwhile(count):
        if not PersonName.objects.filter(person=person, kind="alias").exists():
            person_add_name(actor=coordinator_a, person=person, value="Written Meanwhile")

    rotation.rotate(settle_seconds=0, batch_size=1, progress=write_meanwhile)

    names = sorted(n.value for n in PersonName.objects.filter(person=person))
    assert names == ["Written Meanwhile", "张伟"]
    assert {crypto.token_key_id(t) for t in _tokens()} == {"k2"}


def test_an_interrupted_rotation_resumes_without_encrypting_anything_twice(key_file, coordinator_a):
    make_case(coordinator_a)
    make_case(coordinator_a, subject_name="Nguyễn Văn Nam")
    before = _plaintexts()
    # The crash: the new key was installed and one table swept, then the process died.
    keyring, resumed = rotation.start(key_file)
    assert not resumed
    crypto.reset_keyring()
    first = rotation.encrypted_tables()[0]
    rotation._reencrypt_table(
        first, keyring.retiring, 1, rotation.RotationResult("k2", ["k1"]), lambda n: None
    )
    assert {crypto.token_key_id(t) for t in _tokens()} == {"k1", "k2"}

    result = rotation.rotate(settle_seconds=0)

    assert result.resumed and result.new_key_id == "k2"
    assert {crypto.token_key_id(t) for t in _tokens()} == {"k2"}
    after = _plaintexts()
    assert after == before
    assert not any(v.startswith("ll1.") for v in after.values())


def test_rotation_refuses_keys_given_in_the_environment(monkeypatch, settings):
    monkeypatch.setenv("LIFELINE_KEYS", crypto.Keyring.generate().to_json())
    crypto.reset_keyring()
    try:
        with pytest.raises(CommandError, match="LIFELINE_KEYS_FILE"):
            call_command("keys", "rotate", "--settle-seconds", "0", "--no-progress")
    finally:
        monkeypatch.delenv("LIFELINE_KEYS")
        crypto.reset_keyring()


def test_status_counts_values_per_key(key_file, coordinator_a, capsys):
    make_case(coordinator_a)
    call_command("keys", "status")
    out = capsys.readouterr().out
    assert "active key k1" in out and f"values under k1: {len(_tokens())}" in out


def test_shred_asks_twice_and_then_leaves_everything_unreadable(
    key_file, coordinator_a, case_a, login
):
    fingerprint = crypto.get_keyring().fingerprint
    with pytest.raises(CommandError, match="Not confirmed"):
        call_command("keys", "shred", "--confirm", "destroy the keys", "--confirm", "nope")
    with pytest.raises(CommandError, match="Not confirmed"):
        call_command("keys", "shred", "--confirm", "destroy the keys", interactive=False)
    assert crypto.get_keyring().shredded_at is None

    call_command("keys", "shred", "--confirm", "destroy the keys", "--confirm", fingerprint)

    assert json.loads(key_file.read_text()).keys() == {"format", "shredded_at"}
    name = PersonName.objects.get(person=case_a.person)
    assert isinstance(name.value, UnreadableValue)
    client = login(coordinator_a)
    page = client.get(f"/cases/{case_a.uid}/")
    assert page.status_code == 200
    assert b"[unreadable]" in page.content and b"keys of this server were destroyed" in page.content
    refused = client.post(f"/people/{case_a.person.uid}/names/", {"value": "New", "kind": "alias"})
    assert refused.status_code == 503 and b"Nothing was changed" in refused.content
    assert PersonName.objects.filter(person=case_a.person).count() == 1
    api = client.get("/api/v1/persons", {"name": "Zhang"})
    assert api.status_code == 503 and "destroyed" in api.json()["detail"]
    # A restart does not quietly make new keys over the tombstone.
    crypto.reset_keyring()
    assert crypto.get_keyring().shredded_at is not None
