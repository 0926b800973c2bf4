"""`lifeline keys rotate` killed with SIGKILL halfway, then run again: every value readable,
nothing encrypted twice. Runs the real command on a real SQLite file in a subprocess."""

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time

from lifeline.core import crypto, rotation


def _env(data_dir):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("LIFELINE_", "DJANGO_", "DATABASE_URL"))
    }
    env["LIFELINE_DATA_DIR"] = str(data_dir)
    return env


def _lifeline(data_dir, *args, timeout=300):
    return subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "lifeline.cli", *args],
        env=_env(data_dir),
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def _tokens(db):
    rows = []
    for table in rotation.encrypted_tables():
        cols = ", ".join(c for c, _ in table.columns)
        for row in db.execute(f"SELECT {table.pk_column}, {cols} FROM {table.table}"):  # noqa: S608
            for (column, purpose), token in zip(table.columns, row[1:], strict=True):
                if token:
                    rows.append((f"{table.table}.{column}.{row[0]}", purpose, token))
    return rows


def _plaintexts(db, keys_path):
    previous = crypto.get_keyring()
    crypto.reset_keyring(crypto.Keyring.from_json(keys_path.read_text(), source="test"))
    try:
        return {ref: crypto.decrypt(token, purpose=purpose) for ref, purpose, token in _tokens(db)}
    finally:
        crypto.reset_keyring(previous)


def test_rotation_killed_halfway_resumes_and_loses_nothing(tmp_path):
    assert _lifeline(tmp_path, "migrate", "-v0").returncode == 0
    assert _lifeline(tmp_path, "demo").returncode == 0
    keys_path = tmp_path / "keys.json"
    db = sqlite3.connect(tmp_path / "lifeline.sqlite3", timeout=30)
    before = _plaintexts(db, keys_path)
    assert len(before) > 1000

    rotating = subprocess.Popen(  # noqa: S603 - our own command
        [
            sys.executable,
            "-m",
            "lifeline.cli",
            "keys",
            "rotate",
            "--batch-size",
            "20",
            "--pause",
            "0.05",
            "--settle-seconds",
            "0",
            "--no-progress",
        ],
        env=_env(tmp_path),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            on_new_key = sum(1 for *_, token in _tokens(db) if token.startswith("ll1.k2."))
            if on_new_key >= 200:
                break
            assert rotating.poll() is None, "the rotation finished before it could be killed"
            time.sleep(0.05)
        os.kill(rotating.pid, signal.SIGKILL)
    finally:
        rotating.wait(timeout=30)
    assert rotating.returncode == -signal.SIGKILL

    halfway = {crypto.token_key_id(token) for *_, token in _tokens(db)}
    assert halfway == {"k1", "k2"}
    keyring = json.loads(keys_path.read_text())
    assert keyring["active"] == "k2" and keyring["retiring"] == ["k1"]
    assert _plaintexts(db, keys_path) == before  # readable even mid-way

    resumed = _lifeline(tmp_path, "keys", "rotate", "--settle-seconds", "0", "--no-progress")
    assert resumed.returncode == 0, resumed.stderr
    assert "Resuming: new key k2" in resumed.stdout

    assert {crypto.token_key_id(token) for *_, token in _tokens(db)} == {"k2"}
    assert list(json.loads(keys_path.read_text())["data_keys"]) == ["k2"]
    after = _plaintexts(db, keys_path)
    assert after == before
    assert not any(value.startswith("ll1.") for value in after.values())
    verified = _lifeline(tmp_path, "audit", "verify")
    assert verified.returncode == 0 and "chain intact" in verified.stdout
