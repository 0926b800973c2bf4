"""The CTDC export in the API: a preview (counts of what is released and withheld) and the zip."""

import io
from typing import Any

from django.http import HttpResponse
from ninja import Field, Query, Router, Schema

from lifeline.core.api import READ_ERRORS, InputSchema, requires
from lifeline.core.http import ApiRequest
from lifeline.reports import ctdc

router = Router(tags=["reports"])


class CtdcIn(InputSchema):
    k: int = Field(
        default_factory=ctdc.default_k, description="Smallest group released (default 11)."
    )
    from_year: int | None = Field(None, description="First year of registration included.")
    to_year: int | None = Field(None, description="Last year of registration included.")


class StepOut(Schema):
    withheld: list[str]
    records: int


class TableOut(Schema):
    name: str
    columns: list[str]
    cells_released: int
    cells_suppressed: int


class CtdcPreviewOut(Schema):
    k: int
    records_considered: int
    records_released: int
    records_released_unchanged: int
    generalised: list[StepOut]
    records_suppressed: int
    tables: list[TableOut]


def _params(query: CtdcIn) -> ctdc.ExportParameters:
    return ctdc.check_parameters(k=query.k, from_year=query.from_year, to_year=query.to_year)


@router.get(
    "/reports/ctdc/preview",
    response={200: CtdcPreviewOut, **READ_ERRORS},
    summary="What a CTDC export with these parameters would release and withhold",
)
@requires("can_view_statistics")
def ctdc_preview(request: ApiRequest, query: Query[CtdcIn]) -> dict[str, Any]:
    release = ctdc.build_release(actor=request.auth, params=_params(query))
    victims = release.manifest()["victims"]
    return {
        "k": release.params.k,
        "records_considered": victims["records_considered"],
        "records_released": victims["records_released"],
        "records_released_unchanged": victims["records_released_unchanged"],
        "generalised": victims["records_generalised"],
        "records_suppressed": victims["records_suppressed"],
        "tables": [
            {
                "name": t.name,
                "columns": [*t.columns, "count"],
                "cells_released": len(t.cells),
                "cells_suppressed": len(t.suppressed),
            }
            for t in release.tables
        ],
    }


@router.get(
    "/reports/ctdc/export",
    response={200: None, **READ_ERRORS},
    summary="The CTDC export: a zip of victims.csv, aggregate tables and manifest.json (audited)",
)
@requires("can_view_statistics")
def ctdc_export(request: ApiRequest, query: Query[CtdcIn]) -> HttpResponse:
    out = io.BytesIO()
    ctdc.ctdc_export(
        actor=request.auth, params=_params(query), out=out, request=request, channel="api"
    )
    response = HttpResponse(out.getvalue(), content_type="application/zip")
    response["Content-Disposition"] = 'attachment; filename="lifeline-ctdc.zip"'
    return response
