"""The dashboard page, its refresh, and each chart's numbers as CSV."""

from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from lifeline.accounts.decorators import member_required
from lifeline.audit.services import audit_log
from lifeline.core.http import MemberRequest
from lifeline.reports import dashboard
from lifeline.reports.dashboard_forms import DashboardFilterForm
from lifeline.sites.selectors import visible_sites


def _form(request: MemberRequest, data: Any) -> DashboardFilterForm:
    """The filter form, bound to ``data`` (None: unbound)."""
    membership = request.membership
    sites = visible_sites(actor=membership) if membership.has("can_view_sites") else None
    return DashboardFilterForm(data, sites=sites)


@member_required("can_view_statistics")
def dashboard_page(request: MemberRequest) -> HttpResponse:
    """Aggregates only: no figure links to a list of cases or persons, so no small cell can be
    opened to names."""
    form = _form(request, request.GET or None)
    snapshot, charts = None, []
    if not form.is_bound or form.is_valid():
        filters = form.filters()
        snapshot = dashboard.dashboard_snapshot(actor=request.membership, filters=filters)
        charts = dashboard.charts(snapshot)
        audit_log(
            actor=request.user,
            organisation=request.organisation,
            action="reports.dashboard.viewed",
            request=request,
            payload={"filters": filters.names()},
        )
    context = {
        "form": form,
        "snapshot": snapshot,
        "charts": charts,
        "age_minutes": int((timezone.now() - snapshot.computed_at).total_seconds() // 60)
        if snapshot
        else 0,
        "query": request.GET.urlencode(),
    }
    return render(request, "reports/dashboard.html", context)


@require_POST
@member_required("can_view_statistics")
def dashboard_refresh(request: MemberRequest) -> HttpResponse:
    form = _form(request, request.POST)
    target = reverse("reports:dashboard")
    if form.is_valid():
        dashboard.dashboard_snapshot(actor=request.membership, filters=form.filters(), refresh=True)
        query = {k: v for k, v in form.filters().as_dict().items() if v}
        if query:
            target += "?" + urlencode(query)
    return redirect(target)


@member_required("can_view_statistics")
def dashboard_csv(request: MemberRequest, chart: str) -> HttpResponse:
    """One chart's numbers (codes, not labels) as CSV, from the same snapshot as the page."""
    form = _form(request, request.GET or None)
    if form.is_bound and not form.is_valid():
        raise Http404
    filters = form.filters()
    snapshot = dashboard.dashboard_snapshot(actor=request.membership, filters=filters)
    found = [c for c in dashboard.charts(snapshot) if c.id == chart]
    if not found:
        raise Http404
    response = HttpResponse(dashboard.chart_csv(found[0]), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="lifeline-{chart}.csv"'
    audit_log(
        actor=request.user,
        organisation=request.organisation,
        action="reports.dashboard.exported",
        request=request,
        payload={"chart": chart, "filters": filters.names(), "rows": len(found[0].csv_rows)},
    )
    return response
