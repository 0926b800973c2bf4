"""The dashboard in the API: the same cached snapshot as the page, as tables of codes."""

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from lifeline.audit.services import audit_log
from lifeline.core.api import READ_ERRORS, InputSchema, requires
from lifeline.core.http import ApiRequest
from lifeline.reports import dashboard
from lifeline.reports.dashboard_forms import DashboardFilterForm
from lifeline.sites.selectors import visible_sites

router = Router(tags=["reports"])


# A day as ISO 8601 text: pydantic alone would also take a number as a Unix time.
DAY = r"^\d{4}-\d{2}-\d{2}$"


class DashboardIn(InputSchema):
    start: str | None = Field(
        None,
        pattern=DAY,
        json_schema_extra={"format": "date"},
        description="Cases opened and requests received from this day (YYYY-MM-DD).",
    )
    end: str | None = Field(
        None, pattern=DAY, json_schema_extra={"format": "date"}, description="… to this day."
    )
    country: str = Field(
        "", max_length=2, description="ISO 3166 code: persons sighted there, sites there."
    )
    site: str = Field("", max_length=36, description="A site's uid: persons sighted there.")
    refresh: bool = Field(False, description="Compute now instead of using a cached snapshot.")


class ChartOut(Schema):
    id: str
    title: str
    columns: list[str]
    rows: list[list[str | int | float | None]]
    note: str


class DashboardOut(Schema):
    as_of: datetime.datetime
    computed_in_ms: int
    fresh_for_seconds: int
    filters: dict[str, str]
    cases: int
    charts: list[ChartOut]


@router.get(
    "/reports/dashboard",
    response={200: DashboardOut, **READ_ERRORS},
    summary="The dashboard's figures (aggregates only, no personal data)",
)
@requires("can_view_statistics")
def dashboard_get(request: ApiRequest, query: Query[DashboardIn]) -> dict[str, Any]:
    membership = request.auth
    sites = visible_sites(actor=membership) if membership.has("can_view_sites") else None
    values = query.model_dump(exclude={"refresh"})
    form = DashboardFilterForm({k: v or "" for k, v in values.items()}, sites=sites)
    if not form.is_valid():
        if form.errors.get("site") and sites is not None:
            raise Http404  # a site the member may not see is not found, as any other
        raise ValidationError({k: list(v) for k, v in form.errors.items()})
    filters = form.filters()
    snapshot = dashboard.dashboard_snapshot(
        actor=membership, filters=filters, refresh=query.refresh
    )
    audit_log(
        actor=membership.user,
        organisation=membership.organisation,
        action="reports.dashboard.viewed",
        request=request,
        payload={"filters": filters.names(), "channel": "api"},
    )
    age = (snapshot.computed_at + dashboard.max_age()) - timezone.now()
    return {
        "as_of": snapshot.computed_at,
        "computed_in_ms": snapshot.duration_ms,
        "fresh_for_seconds": max(int(age.total_seconds()), 0),
        "filters": filters.as_dict(),
        "cases": snapshot.data["cases"],
        "charts": [
            {
                "id": c.id,
                "title": c.title,
                "columns": c.csv_header,
                "rows": c.csv_rows,
                "note": c.note,
            }
            for c in dashboard.charts(snapshot)
        ],
    }
