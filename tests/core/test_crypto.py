import json
import os
import stat

import pytest
from django.core.exceptions import ImproperlyConfigured

from lifeline.core import crypto


@pytest.fixture
def fresh_keys():
    keyring = crypto.Keyring.generate()
    previous = crypto.get_keyring()
    crypto.reset_keyring(keyring)
    yield keyring
    crypto.reset_keyring(previous)


def test_it_round_trips_text(fresh_keys):
    token = crypto.encrypt("张伟 +85512345678", purpose="people.PersonName.value")
    assert token.startswith("ll1.k1.")
    assert "张伟" not in token
    assert crypto.decrypt(token, purpose="people.PersonName.value") == "张伟 +85512345678"


def test_it_randomises_ciphertext(fresh_keys):
    assert crypto.encrypt("same", purpose="p") != crypto.encrypt("same", purpose="p")


def test_it_binds_a_token_to_its_purpose(fresh_keys):
    token = crypto.encrypt("secret", purpose="people.PersonName.value")
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, purpose="cases.Case.summary")


def test_it_detects_tampering(fresh_keys):
    token = crypto.encrypt("secret", purpose="p")
    tampered = token[:-2] + ("A" if token[-2] != "A" else "B") + token[-1]
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(tampered, purpose="p")


def test_it_cannot_read_without_the_key(fresh_keys):
    token = crypto.encrypt("secret", purpose="p")
    crypto.reset_keyring(crypto.Keyring.generate())
    with pytest.raises(crypto.DecryptionError):
        crypto.decrypt(token, purpose="p")


def test_it_reads_old_tokens_after_a_new_key_becomes_active(fresh_keys):
    old = crypto.encrypt("before rotation", purpose="p")
    rotated = crypto.Keyring(
        active_key_id="k2",
        data_keys={**fresh_keys.data_keys, "k2": os.urandom(32)},
        index_key=fresh_keys.index_key,
    )
    crypto.reset_keyring(rotated)
    new = crypto.encrypt("after", purpose="p")
    assert crypto.token_key_id(new) == "k2"
    assert crypto.decrypt(old, purpose="p") == "before rotation"


def test_it_makes_blind_indexes_deterministic_keyed_and_purpose_bound(fresh_keys):
    first = crypto.blind_index("+85512345678", purpose="contact")
    assert first == crypto.blind_index("+85512345678", purpose="contact")
    assert len(first) == 32
    assert first != crypto.blind_index("+85512345678", purpose="name")
    crypto.reset_keyring(crypto.Keyring.generate())
    assert first != crypto.blind_index("+85512345678", purpose="contact")


def test_it_serialises_a_keyring(fresh_keys):
    again = crypto.Keyring.from_json(fresh_keys.to_json(), source="test")
    assert again == fresh_keys


@pytest.mark.parametrize(
    "text",
    [
        "not json",
        json.dumps({"format": 9}),
        json.dumps({"format": 1, "active": "k9", "data_keys": {}, "index_key": ""}),
    ],
)
def test_it_refuses_malformed_keys_with_a_clear_message(text):
    with pytest.raises(ImproperlyConfigured, match="(?i)key"):
        crypto.Keyring.from_json(text, source="LIFELINE_KEYS")


def test_it_generates_embedded_keys_with_owner_only_permissions(settings, tmp_path, monkeypatch):
    monkeypatch.delenv("LIFELINE_KEYS", raising=False)
    settings.PRODUCTION = False
    settings.LIFELINE_KEYS_PATH = tmp_path / "keys.json"
    keyring = crypto.load_keyring()
    mode = stat.S_IMODE(os.stat(tmp_path / "keys.json").st_mode)
    assert mode == 0o600
    assert crypto.load_keyring() == keyring  # the second start reads the same keys


def test_it_refuses_to_start_in_production_without_keys(settings, monkeypatch):
    monkeypatch.delenv("LIFELINE_KEYS", raising=False)
    monkeypatch.delenv("LIFELINE_KEYS_FILE", raising=False)
    settings.PRODUCTION = True
    with pytest.raises(ImproperlyConfigured, match="LIFELINE_KEYS"):
        crypto.load_keyring()


def test_it_reads_production_keys_from_a_file(settings, tmp_path, monkeypatch):
    keyring = crypto.Keyring.generate()
    path = tmp_path / "keys.json"
    path.write_text(keyring.to_json())
    monkeypatch.delenv("LIFELINE_KEYS", raising=False)
    monkeypatch.setenv("LIFELINE_KEYS_FILE", str(path))
    settings.PRODUCTION = True
    assert crypto.load_keyring() == keyring


def test_it_refuses_keys_readable_by_others(settings, tmp_path, monkeypatch):
    monkeypatch.delenv("LIFELINE_KEYS", raising=False)
    settings.PRODUCTION = False
    path = tmp_path / "keys.json"
    path.write_text(crypto.Keyring.generate().to_json())
    path.chmod(0o644)
    settings.LIFELINE_KEYS_PATH = path
    with pytest.raises(ImproperlyConfigured, match="chmod 600"):
        crypto.load_keyring()
