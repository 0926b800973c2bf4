"""Import services: upload, mapping remembered, dry run, import, rollback (and the file)."""

import pytest
from django.core.exceptions import ValidationError

from lifeline.audit.models import AuditEvent
from lifeline.cases.models import Case
from lifeline.core.errors import NotPermitted
from lifeline.evidence import storage
from lifeline.people.models import Person
from lifeline.reports.importing import services, tasks
from lifeline.reports.models import ImportBatch, ImportedRecord, ImportMapping, ImportStatus
from tests.factories import make_person
from tests.reports.sheets import COLUMNS, HEADERS, ROWS, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.usefixtures("evidence_dir")


def _checked(actor, data=None, name="cases.csv", columns=COLUMNS):
    batch = services.import_upload(actor=actor, data=data or csv_bytes(), filename=name)
    run = services.import_check(actor=actor, batch=batch, columns=columns)
    batch.refresh_from_db()
    return batch, run


def test_it_keeps_the_upload_encrypted_and_proposes_columns_from_their_titles(coordinator_a):
    data = csv_bytes()
    batch = services.import_upload(actor=coordinator_a, data=data, filename="cases.csv")
    raw = storage.blob_path(batch.blob).read_bytes()
    assert "张伟".encode() not in raw and b"EG1234567" not in raw
    assert b"".join(storage.open_plaintext(storage.blob_path(batch.blob))) == data
    assert batch.row_count == 3 and batch.headers == HEADERS
    assert batch.columns["姓名"] == "name" and batch.columns["电话"] == "phone"
    assert batch.columns["微信"] == "wechat" and batch.columns["日期"] == "reported_on"
    assert AuditEvent.objects.filter(action="reports.import.uploaded").count() == 1


def test_it_remembers_the_mapping_for_the_next_file_with_the_same_columns(coordinator_a):
    custom = COLUMNS | {"Name (EN)": ""}
    _checked(coordinator_a, columns=custom)
    assert ImportMapping.objects.count() == 1
    shuffled = [HEADERS[::-1]] and csv_bytes(HEADERS[::-1], [row[::-1] for row in ROWS])
    batch = services.import_upload(actor=coordinator_a, data=shuffled, filename="next.csv")
    assert batch.columns == custom


def test_the_dry_run_writes_nothing_and_the_import_creates_persons_and_cases(coordinator_a):
    batch, run = _checked(coordinator_a)
    assert batch.status == ImportStatus.CHECKED and run.importable == 3
    assert not Person.objects.exists() and not Case.objects.exists()
    services.import_start(actor=coordinator_a, batch=batch)
    tasks.run_import.enqueue(batch.pk)
    batch.refresh_from_db()
    assert batch.status == ImportStatus.DONE and batch.done == 3 and batch.blob == ""
    assert Person.objects.count() == 3 and Case.objects.count() == 3
    statuses = sorted(Case.objects.values_list("status", flat=True))
    assert statuses == ["lost_contact", "reported", "rescued"]
    assert ImportedRecord.objects.filter(batch=batch).count() == 6
    assert AuditEvent.objects.filter(action="reports.import.completed").exists()


def test_a_rollback_removes_every_created_person_and_case(coordinator_a):
    batch, _run = _checked(coordinator_a)
    services.import_start(actor=coordinator_a, batch=batch)
    tasks.run_import.enqueue(batch.pk)
    batch.refresh_from_db()
    counts = services.import_rollback(actor=coordinator_a, batch=batch)
    assert counts == {"cases": 3, "persons": 3, "erased": 0}
    assert not Person.objects.exists() and not Case.objects.exists()
    batch.refresh_from_db()
    assert batch.status == ImportStatus.ROLLED_BACK
    assert AuditEvent.objects.filter(action="reports.import.rolled_back").exists()


def test_it_refuses_members_who_may_not_import(caseworker_a, analyst_a):
    for actor in (caseworker_a, analyst_a):
        with pytest.raises(NotPermitted):
            services.import_upload(actor=actor, data=csv_bytes(), filename="c.csv")


def test_it_flags_an_existing_person_as_a_duplicate_and_skips_it(coordinator_a):
    make_person(coordinator_a, "张伟", phone="+855 12 345 678")
    batch, run = _checked(coordinator_a)
    codes = {(p["row"], p["code"]) for p in batch.problems}
    assert (2, "duplicate") in codes
    services.import_start(actor=coordinator_a, batch=batch)
    tasks.run_import.enqueue(batch.pk)
    batch.refresh_from_db()
    assert batch.done == 2 and batch.result["skipped_duplicates"] == 1


def test_xlsx_gives_the_same_import(coordinator_a):
    batch, run = _checked(coordinator_a, data=xlsx_bytes(), name="cases.xlsx")
    assert batch.file_format == "xlsx" and run.importable == 3, batch.problems


def test_confirming_with_refused_rows_needs_only_valid(coordinator_a):
    rows = [*ROWS, ["", "", "not a phone", "", "", "", "", "", "", ""]]
    batch, run = _checked(coordinator_a, data=csv_bytes(HEADERS, rows))
    assert batch.result["refused"] == 1
    with pytest.raises(ValidationError):
        services.import_start(actor=coordinator_a, batch=batch)
    services.import_start(actor=coordinator_a, batch=batch, only_valid=True)
    tasks.run_import.enqueue(batch.pk)
    assert ImportBatch.objects.get(pk=batch.pk).done == 3


def test_titles_sheet_names_and_problems_are_encrypted_at_rest(coordinator_a):
    """A sheet without a title row puts a person's name where the titles belong."""
    from django.db import connection

    batch, _run = _checked(coordinator_a, data=csv_bytes(["Somchai Jaidee", "0812345678"], [["x", "12"]]), columns={"Somchai Jaidee": "name", "0812345678": "phone"})  # fmt: skip
    assert batch.problems and batch.headers == ["Somchai Jaidee", "0812345678"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT headers, columns, problems FROM reports_importbatch")
        stored = " ".join(map(str, cursor.fetchone()))
        cursor.execute("SELECT headers, columns FROM reports_importmapping")
        stored += " ".join(map(str, cursor.fetchone()))
    assert "Somchai" not in stored and "0812345678" not in stored
