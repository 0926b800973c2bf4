"""Import dry run of a network's spreadsheet: 50,000 rows of XLSX, checked row by row.

The sheet is what networks keep: names in Chinese, Thai, Vietnamese and Latin script, phones
in local and international forms, WeChat ids, passports, ages, places, statuses in several
languages, dates as Excel date cells, and the bad rows real sheets have (bad phones, unknown
statuses, dates in the future, a formula-injection cell, repeated people, people already on
record). The organisation already holds 1,000 persons, some of whom the sheet repeats.

Measured in-process, as the server does it: the upload (read and encrypt the file, propose a
mapping) and the dry run (decrypt, read with calamine, parse and check every row, duplicate
checks against the organisation's blind indexes) -- target: the dry run under 60 s. Nothing is
written but the batch's list of problems; the bench checks that.

    .venv/bin/python bench/reports_import.py            # 50,000 rows, SQLite
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/lifeline_bench .venv/bin/python bench/reports_import.py
    .venv/bin/python bench/reports_import.py --smoke    # 500 rows (a few seconds; CI)
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import re
import resource
import shutil
import sys
import tempfile
import time
import urllib.parse
import uuid
from pathlib import Path

SEED = 20261129
TARGET_S = 60.0
HEADERS = [
    "姓名",
    "English name",
    "电话",
    "微信",
    "护照号",
    "年龄",
    "地点",
    "状态",
    "求助日期",
    "备注",
]
COLUMNS = {
    "姓名": "name", "English name": "other_name", "电话": "phone", "微信": "wechat",
    "护照号": "passport", "年龄": "age", "地点": "location", "状态": "status",
    "求助日期": "reported_on", "备注": "summary",
}  # fmt: skip
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅鑫宇浩凯俊帅"
THAI_FIRST = ["สมชาย", "สมศรี", "ประยุทธ์", "วิชัย", "สุดา", "มาลี", "อนงค์", "ธนา", "กิตติ", "ปรีชา"]
THAI_LAST = ["ใจดี", "มีสุข", "จันทร์", "ศรีสุข", "ทองดี", "แก้วมณี", "บุญมา", "สายทอง"]
VI_LAST = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Phan", "Vũ", "Đặng", "Bùi", "Đỗ"]
VI_MID = ["Văn", "Thị", "Hữu", "Minh", "Ngọc"]
VI_GIVEN = ["An", "Bình", "Cường", "Dũng", "Hà", "Lan", "Long", "Mai", "Nam", "Tuấn", "Hương"]
PLACES = ["KK园区", "Shwe Kokko", "金木棉", "Sihanoukville", "Bavet", "Poipet", "O'Smach", "妙瓦底"]
STATUSES = ["reported", "Rescued", "已获救", "失联", "Home", "verifying", "sheltered", "ช่วยแล้ว"]


def prepare_environment() -> tuple[dict[str, str], str, str]:
    data_dir = Path(tempfile.mkdtemp(prefix="lifeline-bench-import-"))
    os.environ.update(
        {
            "LIFELINE_DATA_DIR": str(data_dir),
            "DJANGO_SETTINGS_MODULE": "lifeline.settings",
            "LIFELINE_MODE": "embedded",
            "LIFELINE_LOG_LEVEL": "WARNING",
        }
    )
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        return {}, "SQLite", str(data_dir)
    import psycopg

    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/") or "lifeline"
    name = name if name.endswith("bench") else f"{name}_bench"
    if not re.fullmatch(r"[a-z_][a-z0-9_]*", name):
        raise SystemExit(f"unusual database name {name!r}")
    admin = urllib.parse.urlunsplit(("postgresql", parts.netloc, "/postgres", "", ""))
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    os.environ["DATABASE_URL"] = urllib.parse.urlunsplit(
        (parts.scheme, parts.netloc, f"/{name}", parts.query, "")
    )
    return {"admin": admin, "name": name}, f"PostgreSQL ({parts.hostname}/{name})", str(data_dir)


def person(rng: random.Random, i: int) -> tuple[str, str, str]:
    """(name as written, romanised name or "", phone) of the i-th person."""
    kind = rng.random()
    if kind < 0.45:
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        return name, "", f"+86 13{rng.randrange(10**9):09d}"
    if kind < 0.7:
        return (
            f"{rng.choice(THAI_FIRST)} {rng.choice(THAI_LAST)}",
            "",
            f"08{rng.randrange(10**8):08d}",
        )
    if kind < 0.9:
        name = f"{rng.choice(VI_LAST)} {rng.choice(VI_MID)} {rng.choice(VI_GIVEN)}"
        return name, "", f"+84 9{rng.randrange(10**8):08d}"
    return f"Maria {i} Santos", f"Maria Santos {i}", f"+63 917 {rng.randrange(10**7):07d}"


def make_sheet(
    rows: int, existing: list[tuple[str, str]], rng: random.Random
) -> tuple[bytes, dict[str, int]]:
    """The XLSX file and how many of each planted problem it holds."""
    from openpyxl import Workbook

    planted = {"bad_phone": 0, "unknown_status": 0, "future_date": 0, "formula": 0, "duplicate": 0}
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Cases")
    sheet.append(HEADERS)
    today = dt.date.today()  # noqa: DTZ011 - a calendar day for the sheet
    for i in range(rows):
        name, other, phone = person(rng, i)
        status = rng.choice(STATUSES)
        day: object = today - dt.timedelta(days=rng.randrange(1, 900))
        note = "Passport taken, beaten" if rng.random() < 0.3 else ""
        roll = rng.random()
        if roll < 0.01:
            phone, planted["bad_phone"] = "12", planted["bad_phone"] + 1
        elif roll < 0.02:
            status, planted["unknown_status"] = "on holiday", planted["unknown_status"] + 1
        elif roll < 0.025:
            day, planted["future_date"] = today + dt.timedelta(days=30), planted["future_date"] + 1
        elif roll < 0.027:
            note, planted["formula"] = (
                '=HYPERLINK("http://evil.example","x")',
                planted["formula"] + 1,
            )
        elif roll < 0.04 and existing:
            name, phone = rng.choice(existing)
            planted["duplicate"] += 1
        if rng.random() < 0.2 and isinstance(day, dt.date):
            day = day.strftime("%d/%m/%Y")  # typed as text, day first
        sheet.append([name, other, phone, f"wx_{i:06d}" if rng.random() < 0.4 else "", f"E{i:08d}" if rng.random() < 0.5 else "", rng.randrange(15, 60), rng.choice(PLACES), status, day, note])  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue(), planted


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--smoke", action="store_true", help="500 rows, 100 persons on record")
    parser.add_argument("--rows", type=int, default=50_000)
    args = parser.parse_args()
    rows, on_record = (500, 100) if args.smoke else (args.rows, 1_000)
    pg, label, data_dir = prepare_environment()
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))
    import django
    from django.core.management import call_command

    django.setup()
    try:
        call_command("migrate", verbosity=0)
        from django.contrib.auth import get_user_model
        from django.core.exceptions import ValidationError
        from django_scopes import scope

        from lifeline.accounts.models import Membership, Organisation
        from lifeline.cases.models import Case
        from lifeline.people.models import Person
        from lifeline.people.services import ContactInput, NameInput, person_create
        from lifeline.reports.importing import services

        rng = random.Random(SEED)
        org = Organisation.objects.create(
            name="Bench Network", slug="bench", default_phone_region="TH"
        )
        user = get_user_model().objects.create_user(username="bench", password=str(uuid.uuid4()))
        coordinator = Membership.objects.create(user=user, organisation=org, role="coordinator")
        existing = []
        with scope(organisation=org):
            t = time.perf_counter()
            for i in range(on_record):
                name, _other, phone = person(rng, 10**6 + i)
                try:
                    person_create(actor=coordinator, names=[NameInput(name)], contacts=[ContactInput("phone", phone)])  # fmt: skip
                except ValidationError:  # a random number no numbering plan has
                    continue
                existing.append((name, phone))
            fill_s = time.perf_counter() - t
            t = time.perf_counter()
            data, planted = make_sheet(rows, existing, rng)
            sheet_s = time.perf_counter() - t
            persons_before = Person.objects.count()
            t, cpu = time.perf_counter(), time.process_time()
            batch = services.import_upload(actor=coordinator, data=data, filename="cases.xlsx")
            upload_s, upload_cpu = time.perf_counter() - t, time.process_time() - cpu
            t, cpu = time.perf_counter(), time.process_time()
            run = services.import_check(actor=coordinator, batch=batch, columns=COLUMNS)
            check_s, check_cpu = time.perf_counter() - t, time.process_time() - cpu
            batch.refresh_from_db()
            if Person.objects.count() != persons_before or Case.objects.exists():
                raise SystemExit("the dry run wrote persons or cases")
        counts = run.counts()
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"Import dry-run benchmark on {label}: {rows:,}-row XLSX ({len(data) / 1e6:.1f} MB), "
              f"{on_record:,} persons on record (filled in {fill_s:.0f} s, sheet written in {sheet_s:.0f} s)")  # fmt: skip
        print(
            f"  upload   {upload_s:6.2f} s  ({upload_cpu:.2f} s CPU; read with calamine, mapping proposed, file encrypted)"
        )
        verdict = "ok" if check_s <= TARGET_S else "MISSED"
        print(f"  dry run  {check_s:6.2f} s  ({check_cpu:.2f} s CPU; {rows / check_s:,.0f} rows/s)  target <= {TARGET_S:.0f} s  {verdict}")  # fmt: skip
        print(f"  load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (wall time above CPU time: waiting for a CPU)")  # fmt: skip
        print(f"  rows: {batch.result['importable']:,} importable, {batch.result['refused']:,} refused, "
              f"{batch.result['duplicates']:,} already recorded or repeated; peak RSS {rss_mb:.0f} MB")  # fmt: skip
        print(
            "  problems by kind: "
            + ", ".join(f"{code} {n:,}" for code, n in sorted(counts.items()))
        )
        for code in ("bad_phone", "unknown_status", "future_date", "formula"):
            if counts.get(code, 0) < planted[code]:
                raise SystemExit(f"{code}: {planted[code]} planted, {counts.get(code, 0)} found")
        if planted["duplicate"] and counts.get("duplicate", 0) < planted["duplicate"]:
            raise SystemExit(
                f"duplicates: {planted['duplicate']} planted, {counts.get('duplicate', 0)} found"
            )
    finally:
        from django.db import connections

        connections.close_all()
        if pg:
            import psycopg

            with psycopg.connect(pg["admin"], autocommit=True) as conn:
                conn.execute(f'DROP DATABASE IF EXISTS "{pg["name"]}" WITH (FORCE)')
        shutil.rmtree(data_dir, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
