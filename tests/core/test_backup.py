"""`lifeline backup` and `lifeline restore`, run as commands on real SQLite files (and, when the
suite runs on PostgreSQL, on real PostgreSQL databases)."""

import os
import sqlite3
import subprocess
import sys
import uuid

import pytest

PASSPHRASE = "correct horse battery staple"


def _env(data_dir, database_url=None, **extra):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("LIFELINE_", "DJANGO_", "DATABASE_URL"))
    }
    env.update(LIFELINE_DATA_DIR=str(data_dir), LIFELINE_BACKUP_PASSPHRASE=PASSPHRASE)
    env.update(extra)
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def lifeline(data_dir, *args, database_url=None, **extra):
    return subprocess.run(  # noqa: S603 - our own command
        [sys.executable, "-m", "lifeline.cli", *args],
        env=_env(data_dir, database_url, **extra),
        capture_output=True,
        text=True,
        timeout=300,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """An instance with the demo workspace, and a backup of it."""
    data = tmp_path_factory.mktemp("source")
    assert lifeline(data, "migrate", "-v0").returncode == 0
    assert lifeline(data, "demo").returncode == 0
    made = lifeline(data, "backup", "--output", str(data / "one.backup"))
    assert made.returncode == 0, made.stderr
    assert "Backup written" in made.stdout
    return data


def _cases(db_path):
    db = sqlite3.connect(db_path)
    try:
        return db.execute(
            "SELECT reference, status, summary FROM cases_case ORDER BY id"
        ).fetchall()
    finally:
        db.close()


def test_the_backup_file_is_private_and_reveals_nothing(source):
    backup = source / "one.backup"
    assert backup.stat().st_mode & 0o777 == 0o600
    content = backup.read_bytes()
    for clear in (b"SQLite format", b"manifest.json", b"data_keys", b"MR-20"):
        assert clear not in content


def test_a_restored_instance_verifies_and_shows_the_same_cases(source, tmp_path):
    restored = lifeline(tmp_path, "restore", str(source / "one.backup"))
    assert restored.returncode == 0, restored.stderr
    assert "Audit log OK" in restored.stdout
    assert "holds what the backup recorded" in restored.stdout
    assert "Evidence OK" in restored.stdout and "0 changed" in restored.stdout
    # Same rows, and the same ciphertexts readable with the restored keys.
    assert (
        _cases(tmp_path / "lifeline.sqlite3")
        == _cases(source / "lifeline.sqlite3")[: len(_cases(tmp_path / "lifeline.sqlite3"))]
    )
    assert (tmp_path / "keys.json").read_text() == (source / "keys.json").read_text()
    shown = lifeline(tmp_path, "keys", "status")
    assert "not present" not in shown.stdout


def test_restore_refuses_a_wrong_passphrase_and_changes_nothing(source, tmp_path):
    wrong = lifeline(
        tmp_path,
        "restore",
        str(source / "one.backup"),
        LIFELINE_BACKUP_PASSPHRASE="not the passphrase at all",
    )
    assert wrong.returncode == 1 and "does not decrypt" in wrong.stderr
    assert (
        not (tmp_path / "lifeline.sqlite3").exists() or _cases(tmp_path / "lifeline.sqlite3") == []
    )


def test_restore_refuses_a_damaged_backup_before_writing_anything(source, tmp_path):
    damaged = tmp_path / "damaged.backup"
    data = bytearray((source / "one.backup").read_bytes())
    data[len(data) // 2] ^= 0x40
    damaged.write_bytes(bytes(data))
    target = tmp_path / "target"
    result = lifeline(target, "restore", str(damaged))
    assert result.returncode == 1 and "does not decrypt" in result.stderr
    assert not (target / "lifeline.sqlite3").exists() or _cases(target / "lifeline.sqlite3") == []


def test_restore_refuses_an_instance_that_holds_data(source):
    result = lifeline(source, "restore", str(source / "one.backup"))
    assert result.returncode == 1 and "already holds data" in result.stderr


def test_backup_never_overwrites_and_needs_a_real_passphrase(source):
    again = lifeline(source, "backup", "--output", str(source / "one.backup"))
    assert again.returncode == 1 and "exists already" in again.stderr
    short = lifeline(
        source, "backup", "--output", str(source / "two.backup"), LIFELINE_BACKUP_PASSPHRASE="short"
    )
    assert short.returncode == 1 and "at least 12 characters" in short.stderr
    assert not (source / "two.backup").exists()


POSTGRES = os.environ.get("DATABASE_URL", "").startswith("postgres")


@pytest.mark.skipif(not POSTGRES, reason="runs when the suite runs on PostgreSQL")
def test_a_postgresql_backup_restores_into_an_empty_database(tmp_path):
    import psycopg

    base = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    names = [f"lifeline_backup_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
    try:
        source_url, target_url = (f"{base}/{name}" for name in names)
        src, dst = tmp_path / "src", tmp_path / "dst"
        assert lifeline(src, "migrate", "-v0", database_url=source_url).returncode == 0
        assert lifeline(src, "demo", database_url=source_url).returncode == 0
        made = lifeline(
            src, "backup", "--output", str(tmp_path / "pg.backup"), database_url=source_url
        )
        assert made.returncode == 0, made.stderr
        restored = lifeline(dst, "restore", str(tmp_path / "pg.backup"), database_url=target_url)
        assert restored.returncode == 0, restored.stderr
        assert "Audit log OK" in restored.stdout and "holds what the backup" in restored.stdout
    finally:
        with psycopg.connect(f"{base}/postgres", autocommit=True) as admin:
            for name in names:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
