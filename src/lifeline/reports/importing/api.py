"""Import endpoints (``can_import_cases``): upload, map and dry run, confirm, follow, roll back.

The same steps as the screens: ``POST /imports`` keeps the file and proposes a mapping;
``POST /imports/{uid}/check`` saves the mapping and runs the dry run; ``POST
/imports/{uid}/confirm`` queues the import; ``GET /imports/{uid}`` shows progress and problems;
``POST /imports/{uid}/rollback`` undoes it; ``DELETE /imports/{uid}`` abandons one never
confirmed. An import the actor may not see (another organisation's, or any for a member who may
not import) is a 404 from the selector.
"""

import datetime
from typing import Any

from ninja import Field, File, Query, Router, Schema, Status
from ninja.files import UploadedFile

from lifeline.core.api import (
    READ_ERRORS,
    WRITE_ERRORS,
    InputSchema,
    PageIn,
    PageOut,
    Uid,
    audit_listing,
    paginate,
    requires,
)
from lifeline.core.http import ApiRequest
from lifeline.reports.importing import selectors, services, tasks
from lifeline.reports.importing.fields import FIELDS
from lifeline.reports.models import ImportBatch

router = Router(tags=["imports"])
MAX_PROBLEMS_SHOWN = 1000


class ProblemOut(Schema):
    row: int
    column: str
    field: str
    code: str
    message: str
    blocking: bool


class ImportItemOut(Schema):
    uid: str
    status: str
    file_format: str
    row_count: int
    created_at: datetime.datetime
    done: int
    total: int


class ImportOut(ImportItemOut):
    headers: list[str]
    columns: dict[str, str] = Field(
        description="column title -> Lifeline field ('' = not imported)"
    )
    fields: dict[str, str] = Field(description="the Lifeline fields a column can map to")
    encoding: str
    sheet: str
    sheets: list[str] = Field(description="XLSX: the visible sheets, to choose from")
    notices: list[str]
    result: dict[str, Any]
    problems: list[ProblemOut] = Field(description=f"the first {MAX_PROBLEMS_SHOWN} problems")


class ImportPageOut(PageOut[ImportItemOut]):
    pass


class CheckIn(InputSchema):
    columns: dict[str, str] = Field(..., description="column title -> Lifeline field or ''")
    encoding: str | None = Field(None, max_length=20, description="CSV only: its encoding")
    sheet: str | None = Field(None, max_length=100, description="XLSX only: the sheet to read")


class ConfirmIn(InputSchema):
    only_valid: bool = False
    skip_duplicates: bool = True


class RollbackOut(Schema):
    cases: int
    persons: int
    erased: int


def import_out(batch: ImportBatch) -> dict[str, Any]:
    return {
        "uid": str(batch.uid),
        "status": batch.status,
        "file_format": batch.file_format,
        "row_count": batch.row_count,
        "created_at": batch.created_at,
        "done": batch.done,
        "total": batch.total,
        "headers": batch.headers,
        "columns": batch.columns,
        "fields": {code: str(label) for code, label in FIELDS.items()},
        "encoding": batch.encoding,
        "sheet": str(batch.sheet),
        "sheets": list(batch.sheets),
        "notices": batch.notices,
        "result": batch.result,
        "problems": batch.problems[:MAX_PROBLEMS_SHOWN],
    }


@router.post(
    "/imports",
    response={201: ImportOut, **WRITE_ERRORS},
    summary="Upload a spreadsheet (CSV or XLSX): kept encrypted, columns proposed",
)
@requires("can_import_cases")
def import_upload(request: ApiRequest, file: UploadedFile = File(...)) -> Any:  # noqa: B008
    batch = services.import_upload(
        actor=request.auth, data=file.read(), filename=file.name or "", request=request
    )
    return Status(201, import_out(batch))


@router.get(
    "/imports", response={200: ImportPageOut, **READ_ERRORS}, summary="Imports, newest first"
)
@requires("can_import_cases")
def import_list(request: ApiRequest, paging: Query[PageIn]) -> dict[str, Any]:
    page = paginate(selectors.import_batches(actor=request.auth), paging)
    page["items"] = [import_out(batch) for batch in page["items"]]
    audit_listing(request, action="reports.import.listed", filters=[], count=len(page["items"]))
    return page


@router.get(
    "/imports/{uid}",
    response={200: ImportOut, **READ_ERRORS},
    summary="One import: progress and problems",
)
def import_get(request: ApiRequest, uid: Uid) -> dict[str, Any]:
    return import_out(selectors.import_batch_get(actor=request.auth, uid=uid))


@router.post(
    "/imports/{uid}/check",
    response={200: ImportOut, **WRITE_ERRORS},
    summary="Save the mapping (remembered) and run the dry run: nothing is written",
)
def import_check(request: ApiRequest, uid: Uid, body: CheckIn) -> dict[str, Any]:
    batch = selectors.import_batch_get(actor=request.auth, uid=uid)
    services.import_check(
        actor=request.auth,
        batch=batch,
        columns=body.columns,
        encoding=body.encoding,
        sheet=body.sheet,
        request=request,
    )
    batch.refresh_from_db()
    return import_out(batch)


@router.post(
    "/imports/{uid}/confirm",
    response={200: ImportOut, **WRITE_ERRORS},
    summary="Confirm a checked import: it runs in the background (follow it with GET)",
)
def import_confirm(request: ApiRequest, uid: Uid, body: ConfirmIn) -> dict[str, Any]:
    batch = selectors.import_batch_get(actor=request.auth, uid=uid)
    services.import_start(
        actor=request.auth,
        batch=batch,
        only_valid=body.only_valid,
        skip_duplicates=body.skip_duplicates,
        request=request,
    )
    tasks.run_import.enqueue(batch.pk)
    batch.refresh_from_db()
    return import_out(batch)


@router.post(
    "/imports/{uid}/rollback",
    response={200: RollbackOut, **WRITE_ERRORS},
    summary="Roll back a finished import as a whole",
)
def import_rollback(request: ApiRequest, uid: Uid) -> dict[str, int]:
    batch = selectors.import_batch_get(actor=request.auth, uid=uid)
    return services.import_rollback(actor=request.auth, batch=batch, request=request)


@router.delete(
    "/imports/{uid}",
    response={204: None, **WRITE_ERRORS},
    summary="Abandon an import never confirmed: its file is destroyed",
)
def import_abandon(request: ApiRequest, uid: Uid) -> Any:
    batch = selectors.import_batch_get(actor=request.auth, uid=uid)
    services.import_abandon(actor=request.auth, batch=batch, request=request)
    return Status(204, None)
