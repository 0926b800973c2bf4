"""Keys and backups at scale: 100,000 persons and cases and 5,000 evidence files.

Fills a fresh database the way bench/case_desk.py does (SQLite in a temporary data folder, or a
PostgreSQL database of its own when DATABASE_URL is set), writes the evidence files through
lifeline.evidence.storage (encrypted blobs and their rows), then times the real commands:

  evidence verify   `lifeline evidence verify`: decrypt and re-hash every file (MB/s)
  key rotation      `lifeline keys rotate`: every encrypted field and file under a new key
  backup            `lifeline backup`: one encrypted snapshot (time and size)
  restore           `lifeline restore` into an empty instance, which then runs audit verify
                    and evidence verify itself

It prints the figures against the targets (rotation of 100,000 records in under 5 minutes;
backup and restore each in under 2 minutes). A missed target does not change the exit code;
a command that fails does (so `--smoke`, run by CI, cannot rot).

    .venv/bin/python bench/keys_and_backup.py            # 100,000 cases, 5,000 files, SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lifeline_bench .venv/bin/python bench/keys_and_backup.py
    .venv/bin/python bench/keys_and_backup.py --smoke    # 300 cases, 30 files
"""

from __future__ import annotations

import argparse
import hashlib
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import case_desk as desk

TARGET_ROTATION_S = 300.0
TARGET_BACKUP_S = 120.0
TARGET_RESTORE_S = 120.0
PASSPHRASE = "bench passphrase, long enough"


def add_evidence(count: int, mean_kb: int, seed: int) -> tuple[int, int]:
    """Write ``count`` encrypted files (sizes around ``mean_kb``) attached to random cases.
    Returns the number of files and their plaintext bytes."""
    from django.db import connection

    from lifeline.cases.models import Case
    from lifeline.core.tenancy import scopes_disabled
    from lifeline.evidence import storage
    from lifeline.evidence.models import Evidence

    rng = random.Random(seed)
    total = 0
    with scopes_disabled():
        case_ids = list(Case.objects.values_list("pk", "organisation_id", "created_by_id"))
        rows = []
        for number in range(count):
            case_id, org_id, user_id = rng.choice(case_ids)
            size = max(1024, int(rng.uniform(0.3, 1.7) * mean_kb * 1024))
            data = rng.randbytes(size)
            blob = storage.write_blob([data])
            total += size
            rows.append(
                Evidence(
                    organisation_id=org_id,
                    case_id=case_id,
                    original_name=f"screenshot-{number}.jpg",
                    description="",
                    media_type="image/jpeg",
                    size=size,
                    sha256=hashlib.sha256(data).hexdigest(),
                    blob_name=blob,
                    uploaded_by_id=user_id,
                )
            )
            if len(rows) == 500:
                Evidence.objects.bulk_create(rows)
                rows = []
        Evidence.objects.bulk_create(rows)
    connection.close()
    return count, total


def timed(env: dict[str, str], *args: str) -> tuple[float, str]:
    started = time.monotonic()
    result = subprocess.run(  # noqa: S603 - our own command
        [str(desk.BIN / "lifeline"), *args], env=env, capture_output=True, text=True, check=False
    )
    elapsed = time.monotonic() - started
    if result.returncode != 0:
        print(result.stdout, result.stderr, file=sys.stderr)
        raise SystemExit(f"`lifeline {' '.join(args)}` failed ({result.returncode})")
    return elapsed, result.stdout


def _verdict(seconds: float, target: float) -> str:
    return "ok" if seconds <= target else "MISSED"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000, help="cases (and persons)")
    parser.add_argument("--files", type=int, default=5_000, help="evidence files")
    parser.add_argument("--file-kb", type=int, default=60, help="mean evidence file size")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 2)
    parser.add_argument("--smoke", action="store_true", help="300 cases, 30 small files")
    parser.add_argument("--keep", action="store_true", help="keep the data folders")
    args = parser.parse_args(argv)
    if args.smoke:
        args.cases, args.files, args.file_kb = 300, 30, 8

    db = desk.prepare_database()
    restore_dir = Path(tempfile.mkdtemp(prefix="lifeline-bench-restore-"))
    restore_env = {**db.env, "LIFELINE_DATA_DIR": str(restore_dir)}
    restore_db = ""
    if db.pg_name:
        restore_db = db.pg_name.replace("bench", "restore_bench")
        desk._pg_admin(db.pg_admin_url, f'DROP DATABASE IF EXISTS "{restore_db}" WITH (FORCE)')
        desk._pg_admin(db.pg_admin_url, f'CREATE DATABASE "{restore_db}"')
        restore_env["DATABASE_URL"] = re.sub(
            r"/[^/?]+(\?|$)", f"/{restore_db}\\1", db.env["DATABASE_URL"]
        )
    backup_file = db.data_dir / "bench.backup"
    for env in (db.env, restore_env):
        env["LIFELINE_BACKUP_PASSPHRASE"] = PASSPHRASE
        env["LIFELINE_SCHEDULER"] = "off"
    try:
        print(f"Database: {db.label}", flush=True)
        subprocess.run(  # noqa: S603
            [str(desk.BIN / "lifeline"), "migrate", "--no-input", "-v", "0"],
            env=db.env,
            check=True,
        )
        _info, _samples, fill_seconds = desk.fill(db, args.cases, args.jobs, analyze=False)
        started = time.monotonic()
        files, evidence_bytes = add_evidence(args.files, args.file_kb, desk.SEED)
        evidence_seconds = time.monotonic() - started
        print(
            f"Filled {args.cases:,} cases in {fill_seconds:.0f} s; {files:,} evidence files "
            f"({evidence_bytes / 1e6:.0f} MB) in {evidence_seconds:.0f} s",
            flush=True,
        )

        verify_s, verify_out = timed(db.env, "evidence", "verify")
        rotate_s, rotate_out = timed(
            db.env, "keys", "rotate", "--settle-seconds", "0", "--no-progress"
        )
        records = int(re.search(r"([\d]+) records", rotate_out).group(1))
        reencrypted = re.search(r"(\d+) values and (\d+) files", rotate_out)
        backup_s, _ = timed(db.env, "backup", "--output", str(backup_file))
        backup_mb = backup_file.stat().st_size / 1e6
        restore_s, restore_out = timed(restore_env, "restore", str(backup_file))
        if "Audit log OK" not in restore_out or "Evidence OK" not in restore_out:
            raise SystemExit(f"the restored instance did not verify:\n{restore_out}")

        print()
        print(f"Keys and backups — {db.label}, {args.cases:,} cases, {files:,} files")
        print(
            f"  evidence verify  {verify_s:7.1f} s  "
            f"{evidence_bytes / 1e6 / verify_s:7.1f} MB/s ({files:,} files + previews)"
        )
        print(
            f"  key rotation     {rotate_s:7.1f} s  {records / rotate_s:7.0f} records/s "
            f"({records:,} records, {reencrypted.group(1)} values, {reencrypted.group(2)} files)"
            f"   target < {TARGET_ROTATION_S:.0f} s: {_verdict(rotate_s, TARGET_ROTATION_S)}"
        )
        print(
            f"  backup           {backup_s:7.1f} s  {backup_mb:7.0f} MB"
            f"   target < {TARGET_BACKUP_S:.0f} s: {_verdict(backup_s, TARGET_BACKUP_S)}"
        )
        print(
            f"  restore+verify   {restore_s:7.1f} s"
            f"   target < {TARGET_RESTORE_S:.0f} s: {_verdict(restore_s, TARGET_RESTORE_S)}"
        )
    finally:
        if args.keep:
            print(f"Kept {db.data_dir} and {restore_dir}")
        else:
            db.drop()
            shutil.rmtree(restore_dir, ignore_errors=True)
            if restore_db:
                desk._pg_admin(
                    db.pg_admin_url, f'DROP DATABASE IF EXISTS "{restore_db}" WITH (FORCE)'
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
