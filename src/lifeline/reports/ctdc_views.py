"""The CTDC export: a preview of what would be released and withheld, and the download."""

import io

from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from lifeline.accounts.decorators import member_required
from lifeline.core.http import MemberRequest
from lifeline.reports import ctdc
from lifeline.reports.ctdc_forms import CtdcForm


@member_required("can_view_statistics")
def ctdc_preview(request: MemberRequest) -> HttpResponse:
    """What the export would hold with these parameters. Suppressed victim-level combinations
    are described by the columns withheld and by counts, never listed: the list itself would
    be the small cells."""
    form = CtdcForm(request.GET or None)
    release = None
    if form.is_bound and form.is_valid():
        release = ctdc.build_release(actor=request.membership, params=form.cleaned_data["params"])
    return render(
        request,
        "reports/ctdc_preview.html",
        {"form": form, "release": release, "query": request.GET.urlencode()},
    )


@member_required("can_view_statistics")
def ctdc_download(request: MemberRequest) -> HttpResponse:
    form = CtdcForm(request.GET)
    if not form.is_valid():
        return render(request, "reports/ctdc_preview.html", {"form": form}, status=400)
    out = io.BytesIO()
    ctdc.ctdc_export(
        actor=request.membership, params=form.cleaned_data["params"], out=out, request=request
    )
    response = HttpResponse(out.getvalue(), content_type="application/zip")
    stamp = timezone.now().strftime("%Y%m%d")
    response["Content-Disposition"] = f'attachment; filename="lifeline-ctdc-{stamp}.zip"'
    return response
