"""Writes of imports: upload, mapping, dry run, import, rollback, abandon.

Contract
- Only members with ``can_import_cases`` (coordinators) call these; each checks it.
- The uploaded file is written encrypted into the evidence folder (``evidence.storage``: the
  same chunked AES-GCM, key rotation and backups as evidence) and destroyed when the import
  ends, fails, is rolled back or abandoned. Nothing of it reaches the disk in clear.
- The dry run parses the stored file again and writes only the batch's list of problems
  (row numbers, column titles, codes); no person or case.
- The import creates each row's person (``people.services.person_create``) and case
  (``cases.services.case_open_imported``) through their services, one transaction per row so
  that progress is real and a crash keeps every acknowledged row; every created object is
  recorded against the batch (``ImportedRecord``) in the same transaction.
- A rollback deletes the batch's cases and persons. A person someone has worked on since (a
  case from elsewhere, a merge, evidence, sightings) is erased through ``privacy`` instead, so
  nothing that others relied on vanishes without its erasure record.
"""

import datetime
import hashlib
import time
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from lifeline.accounts.models import Membership
from lifeline.audit.services import audit_log
from lifeline.cases.models import Case
from lifeline.cases.services import case_open_imported
from lifeline.core.errors import NotPermitted
from lifeline.evidence import storage
from lifeline.people.models import Person
from lifeline.people.services import ContactInput, IdentifierInput, NameInput, person_create
from lifeline.reports.importing import checks, reader
from lifeline.reports.importing.fields import FIELDS, REPEATABLE, header_key, propose_columns
from lifeline.reports.models import ImportBatch, ImportedRecord, ImportMapping, ImportStatus

MAX_BYTES = 20 * 1024 * 1024
MAX_PROBLEMS_KEPT = 5_000  # the full count is in ``result``; the page shows the first ones


def _require(actor: Membership) -> None:
    if not actor.has("can_import_cases"):
        raise NotPermitted


def _audit(
    actor: Membership, action: str, batch: ImportBatch, request: Any, **payload: Any
) -> None:
    audit_log(
        actor=actor.user,
        organisation=actor.organisation,
        action=action,
        obj=batch,
        payload=payload,
        request=request,
    )


def header_signature(headers: list[str]) -> str:
    """The same column titles in any order give the same signature."""
    keys = sorted(header_key(h) for h in headers)
    return hashlib.sha256("\x1f".join(keys).encode()).hexdigest()


def file_bytes(batch: ImportBatch) -> bytes:
    if not batch.blob:
        raise ValidationError(_("The file of this import is no longer kept: upload it again."))
    return b"".join(storage.open_plaintext(storage.blob_path(batch.blob)))


def read_batch(batch: ImportBatch) -> reader.Sheet:
    try:
        return reader.read(
            file_bytes(batch),
            filename=str(batch.filename),
            encoding=batch.encoding if batch.file_format == "csv" else "",
            sheet=str(batch.sheet),
        )
    except reader.ReadError as exc:
        raise ValidationError({"file": [str(exc)]}) from None


def _forget_file(batch: ImportBatch) -> None:
    if batch.blob:
        storage.destroy(storage.blob_path(batch.blob))
        ImportBatch.objects.filter(pk=batch.pk).update(blob="")
        batch.blob = ""


@transaction.atomic
def import_upload(
    *, actor: Membership, data: bytes, filename: str, request: HttpRequest | None = None
) -> ImportBatch:
    """Keep an uploaded spreadsheet (encrypted) and propose a mapping of its columns: the
    organisation's remembered mapping for this header row, else one guessed from the titles.
    A file that cannot be read is refused with the reason, and nothing is kept."""
    _require(actor)
    if not data:
        raise ValidationError({"file": [_("The file is empty.")]})
    if len(data) > MAX_BYTES:
        raise ValidationError({"file": [_("The file is too large (at most 20 MB).")]})
    try:
        fmt = reader.file_format(filename, data)
        sheet = reader.read(data, filename=filename)
    except reader.ReadError as exc:
        raise ValidationError({"file": [str(exc)]}) from None
    batch = ImportBatch(
        organisation=actor.organisation,
        filename=filename[:200],
        file_format=fmt,
        created_by=actor.user,
    )
    _describe(batch, sheet)
    batch.columns = _proposal(actor, sheet.headers, batch.signature)
    batch.blob = storage.write_blob([data])
    try:  # a file whose batch was not recorded must not stay behind
        batch.save()
        _audit(actor, "reports.import.uploaded", batch, request, rows=batch.row_count, format=fmt)
    except BaseException:
        storage.destroy(storage.blob_path(batch.blob))
        raise
    return batch


def _describe(batch: ImportBatch, sheet: reader.Sheet) -> None:
    batch.headers = sheet.headers
    batch.signature = header_signature(sheet.headers)
    batch.encoding = sheet.encoding
    batch.sheet = sheet.sheet
    batch.row_count = len(sheet.rows)
    batch.notices = list(sheet.notices)
    batch.sheets = list(sheet.sheets)


def _proposal(actor: Membership, headers: list[str], signature: str) -> dict[str, str]:
    remembered = ImportMapping.objects.filter(
        organisation=actor.organisation, signature=signature
    ).first()
    if remembered is not None:
        by_key = {header_key(h): f for h, f in remembered.columns.items()}
        return {h: by_key.get(header_key(h), "") for h in headers}
    return propose_columns(headers)


def clean_columns(headers: list[str], columns: dict[str, str]) -> dict[str, str]:
    """A mapping the dry run can use: every title of the file, each to a known field or ""."""
    errors = []
    unknown = set(columns) - set(headers)
    if unknown:
        errors.append(
            _("These columns are not in the file: %(c)s.") % {"c": ", ".join(sorted(unknown))}
        )
    cleaned = {h: (columns.get(h) or "") for h in headers}
    bad = sorted({f for f in cleaned.values() if f and f not in FIELDS})
    if bad:
        errors.append(_("Unknown Lifeline fields: %(f)s.") % {"f": ", ".join(bad)})
    used: dict[str, int] = {}
    for f in cleaned.values():
        if f:
            used[f] = used.get(f, 0) + 1
    twice = sorted(f for f, n in used.items() if n > 1 and f not in REPEATABLE)
    if twice:
        errors.append(
            _("Only one column can be: %(f)s.") % {"f": ", ".join(str(FIELDS[f]) for f in twice)}
        )
    if not {"name", "other_name"} & set(cleaned.values()):
        errors.append(_("Choose the column that holds the names."))
    if errors:
        raise ValidationError({"columns": errors})
    return cleaned


@transaction.atomic
def import_check(
    *,
    actor: Membership,
    batch: ImportBatch,
    columns: dict[str, str],
    encoding: str | None = None,
    sheet: str | None = None,
    request: HttpRequest | None = None,
) -> checks.DryRun:
    """Save the mapping (remembered for the organisation's next file of this shape), then
    run the dry run and keep its problems on the batch. Writes no person and no case."""
    _require(actor)
    batch = ImportBatch.objects.select_for_update().get(
        pk=batch.pk, organisation=actor.organisation
    )
    if batch.status not in (ImportStatus.UPLOADED, ImportStatus.CHECKED):
        raise ValidationError(_("This import has already started: it cannot be checked again."))
    if encoding is not None and batch.file_format == "csv":
        batch.encoding = encoding
    if sheet is not None and batch.file_format == "xlsx":
        batch.sheet = sheet
    parsed = read_batch(batch)
    previous_headers = batch.headers
    _describe(batch, parsed)
    if parsed.headers != previous_headers:  # another sheet: its own mapping
        columns = _proposal(actor, parsed.headers, batch.signature) | {
            h: f for h, f in columns.items() if h in parsed.headers
        }
    batch.columns = clean_columns(parsed.headers, columns)
    ImportMapping.objects.update_or_create(
        organisation=actor.organisation,
        signature=batch.signature,
        defaults={
            "headers": parsed.headers,
            "columns": batch.columns,
            "updated_at": timezone.now(),
            "updated_by": actor.user,
        },
    )
    started = time.monotonic()
    run = checks.dry_run(actor=actor, sheet=parsed, columns=batch.columns)
    batch.problems = run.problems[:MAX_PROBLEMS_KEPT]
    batch.status = ImportStatus.CHECKED
    batch.checked_at = timezone.now()
    batch.result = batch.result | {
        "rows": len(run.plans),
        "importable": run.importable,
        "refused": len(run.plans) - run.importable,
        "duplicates": sum(1 for p in run.plans if p.is_duplicate and not p.blocked),
        "problems": len(run.problems),
        "by_code": run.counts(),
        "seconds": round(time.monotonic() - started, 2),
    }
    batch.save()
    _audit(
        actor,
        "reports.import.checked",
        batch,
        request,
        rows=len(run.plans),
        refused=batch.result["refused"],
        fields=sorted({f for f in batch.columns.values() if f}),
    )
    return run


@transaction.atomic
def import_start(
    *,
    actor: Membership,
    batch: ImportBatch,
    only_valid: bool = False,
    skip_duplicates: bool = True,
    request: HttpRequest | None = None,
) -> ImportBatch:
    """Confirm a checked import (the caller enqueues ``tasks.run_import`` with the batch id).
    Refused while rows are refused, unless ``only_valid``."""
    _require(actor)
    batch = ImportBatch.objects.select_for_update().get(
        pk=batch.pk, organisation=actor.organisation
    )
    if batch.status != ImportStatus.CHECKED:
        raise ValidationError(_("Check the import (the dry run) before confirming it."))
    refused = int(batch.result.get("refused", 0))
    if refused and not only_valid:
        raise ValidationError(
            _(
                "%(n)d rows have problems that keep them out. Correct the file and upload it "
                "again, or import only the valid rows."
            )
            % {"n": refused}
        )
    if refused == batch.row_count:
        raise ValidationError(_("No row can be imported."))
    batch.status = ImportStatus.QUEUED
    batch.result = batch.result | {"only_valid": only_valid, "skip_duplicates": skip_duplicates}
    batch.save(update_fields=["status", "result"])
    _audit(
        actor,
        "reports.import.confirmed",
        batch,
        request,
        only_valid=only_valid,
        skip_duplicates=skip_duplicates,
    )
    return batch


def _noon(day: datetime.date | None) -> datetime.datetime | None:
    if day is None:
        return None
    moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(12)))
    return min(moment, timezone.now())


def _import_row(actor: Membership, batch: ImportBatch, plan: checks.RowPlan) -> None:
    values = plan.values
    with transaction.atomic():
        person = person_create(
            actor=actor,
            names=[NameInput(value=name) for name in plan.names],
            gender=values.get("gender") or "NonSpecifiedUnknown",
            birth_date=values.get("birth_date"),
            age=values.get("age"),
            citizenship=values.get("citizenship", ""),
            contacts=[ContactInput(kind=kind, value=value) for kind, value in plan.contacts],
            identifiers=[
                IdentifierInput(kind=kind, value=value) for kind, value in plan.identifiers
            ],
        )
        case = case_open_imported(
            actor=actor,
            person=person,
            status=values.get("status") or "reported",
            reported_at=_noon(values.get("reported_on")),
            summary=values.get("summary", ""),
            last_known_location=values.get("location", ""),
            batch=str(batch.uid),
        )
        ImportedRecord.objects.bulk_create(
            [
                ImportedRecord(
                    organisation=actor.organisation,
                    batch=batch,
                    model="people.person",
                    object_id=person.pk,
                    row=plan.row,
                ),
                ImportedRecord(
                    organisation=actor.organisation,
                    batch=batch,
                    model="cases.case",
                    object_id=case.pk,
                    row=plan.row,
                ),
            ]
        )
        ImportBatch.objects.filter(pk=batch.pk).update(done=F("done") + 1)


def import_execute(*, batch: ImportBatch) -> ImportBatch:
    """Carry out a confirmed import (the task calls this inside the organisation's scope):
    re-read and re-check the file, then create each importable row's person and case, one
    row per transaction, keeping progress on the batch. The file is destroyed at the end,
    whether the import succeeded or failed; a failure is recorded, then raised."""
    actor = (
        Membership.objects.filter(
            organisation=batch.organisation, user_id=batch.created_by_id, is_active=True
        ).first()
        if batch.created_by_id is not None
        else None
    )
    ImportBatch.objects.filter(pk=batch.pk).update(status=ImportStatus.RUNNING, done=0)
    try:
        if actor is None or not actor.has("can_import_cases"):
            raise ValidationError(_("The member who started this import may no longer import."))
        run = checks.dry_run(actor=actor, sheet=read_batch(batch), columns=batch.columns)
        skip_duplicates = bool(batch.result.get("skip_duplicates", True))
        plans = [p for p in run.plans if not p.blocked and not (skip_duplicates and p.is_duplicate)]
        ImportBatch.objects.filter(pk=batch.pk).update(total=len(plans))
        for plan in plans:
            _import_row(actor, batch, plan)
    except Exception:
        ImportBatch.objects.filter(pk=batch.pk).update(
            status=ImportStatus.FAILED, finished_at=timezone.now()
        )
        _forget_file(batch)
        with transaction.atomic():
            audit_log(
                actor=None,
                organisation=batch.organisation,
                action="reports.import.failed",
                obj=batch,
            )
        raise
    batch.refresh_from_db()
    batch.status = ImportStatus.DONE
    batch.finished_at = timezone.now()
    batch.result = batch.result | {
        "imported": batch.done,
        "skipped_duplicates": sum(1 for p in run.plans if not p.blocked and p.is_duplicate)
        if skip_duplicates
        else 0,
    }
    batch.save(update_fields=["status", "finished_at", "result"])
    _forget_file(batch)
    with transaction.atomic():
        audit_log(
            actor=actor.user,
            organisation=batch.organisation,
            action="reports.import.completed",
            obj=batch,
            payload={"imported": batch.done, "refused": batch.result.get("refused", 0)},
        )
    return batch


def _worked_on_since(person: Person, case_ids: set[int]) -> bool:
    from lifeline.evidence.models import Evidence
    from lifeline.sites.models import Sighting

    return (
        person.merged_into_id is not None
        or Person.objects.filter(merged_into=person).exists()
        or Case.objects.filter(person=person).exclude(pk__in=case_ids).exists()
        or Sighting.objects.filter(person=person).exists()
        or Evidence.objects.filter(case__person=person).exists()
    )


@transaction.atomic
def import_rollback(
    *, actor: Membership, batch: ImportBatch, request: HttpRequest | None = None
) -> dict[str, int]:
    """Undo a finished (or failed) import as a whole: its cases and persons are deleted, or,
    for a person worked on since, erased through ``privacy.services.person_erase``."""
    from lifeline.privacy.services import CONFIRMATION_WORD, person_erase

    _require(actor)
    batch = ImportBatch.objects.select_for_update().get(
        pk=batch.pk, organisation=actor.organisation
    )
    if batch.status not in (ImportStatus.DONE, ImportStatus.FAILED):
        raise ValidationError(_("Only a finished or failed import can be rolled back."))
    records = ImportedRecord.objects.filter(organisation=actor.organisation, batch=batch)
    case_ids = set(records.filter(model="cases.case").values_list("object_id", flat=True))
    person_ids = set(records.filter(model="people.person").values_list("object_id", flat=True))
    counts = {"cases": 0, "persons": 0, "erased": 0}
    persons = list(Person.objects.filter(organisation=actor.organisation, pk__in=person_ids))
    to_erase = [p for p in persons if _worked_on_since(p, case_ids)]
    for person in to_erase:
        if person.erased_at is None:
            person_erase(
                actor=actor,
                person=person,
                reason="entered_in_error",
                confirmation=CONFIRMATION_WORD,
                request=request,
            )
        counts["erased"] += 1
    erased_ids = {p.pk for p in to_erase}
    cases = Case.objects.filter(organisation=actor.organisation, pk__in=case_ids).exclude(
        person_id__in=erased_ids
    )
    counts["cases"] = cases.count()
    cases.delete()
    deletable = Person.objects.filter(
        organisation=actor.organisation, pk__in=person_ids - erased_ids
    )
    counts["persons"] = deletable.count()
    deletable.delete()
    records.delete()
    _forget_file(batch)
    batch.status = ImportStatus.ROLLED_BACK
    batch.rolled_back_at = timezone.now()
    batch.result = batch.result | {"rolled_back": counts}
    batch.save(update_fields=["status", "rolled_back_at", "result"])
    _audit(actor, "reports.import.rolled_back", batch, request, **counts)
    return counts


@transaction.atomic
def import_abandon(
    *, actor: Membership, batch: ImportBatch, request: HttpRequest | None = None
) -> None:
    """Drop an import that was never confirmed: the stored file is destroyed."""
    _require(actor)
    batch = ImportBatch.objects.select_for_update().get(
        pk=batch.pk, organisation=actor.organisation
    )
    if batch.status not in (ImportStatus.UPLOADED, ImportStatus.CHECKED):
        raise ValidationError(_("This import has already started: roll it back instead."))
    _forget_file(batch)
    batch.status = ImportStatus.ROLLED_BACK
    batch.rolled_back_at = timezone.now()
    batch.problems = []
    batch.save(update_fields=["status", "rolled_back_at", "problems"])
    _audit(actor, "reports.import.abandoned", batch, request)
