"""Printable case summaries and site sheets (lifeline.reports.printing), HTML and PDF."""

from typing import Any

from django.http import HttpResponse
from django.shortcuts import render
from ninja import Query, Router, Schema

from lifeline.accounts.decorators import member_required
from lifeline.cases.selectors import case_get
from lifeline.core.api import READ_ERRORS, Uid
from lifeline.core.http import ApiRequest, MemberRequest
from lifeline.reports import printing
from lifeline.sites.selectors import site_get


def _respond(
    request: Any, sheet: printing.Sheet, fmt: str, filename: str, back_url: str = ""
) -> HttpResponse:
    if fmt == "pdf":
        response = HttpResponse(printing.render_pdf(sheet), content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{filename}.pdf"'
        return response
    return render(request, "reports/print.html", {"sheet": sheet, "back_url": back_url})


def _redacted(request: Any) -> bool:
    return request.GET.get("redacted") in ("1", "on", "true")


@member_required("can_work_cases")
def case_print(request: MemberRequest, uid: Any, fmt: str = "html") -> HttpResponse:
    case = case_get(actor=request.membership, uid=uid)
    redacted = _redacted(request)
    sheet = printing.case_sheet(actor=request.membership, case=case, redacted=redacted)
    printing.audit_print(
        actor=request.membership, obj=case, fmt=fmt, redacted=redacted, request=request
    )
    return _respond(request, sheet, fmt, case.reference, case.get_absolute_url())


@member_required("can_view_sites")
def site_print(request: MemberRequest, uid: Any, fmt: str = "html") -> HttpResponse:
    site = site_get(actor=request.membership, uid=uid)
    sheet = printing.site_sheet(actor=request.membership, site=site)
    printing.audit_print(
        actor=request.membership, obj=site, fmt=fmt, redacted=False, request=request
    )
    return _respond(request, sheet, fmt, "site", site.get_absolute_url())


router = Router(tags=["print"])


class PrintIn(Schema):
    redacted: bool = False


@router.get(
    "/cases/{uid}/print.pdf",
    response={200: None, **READ_ERRORS},
    summary="A one-case summary as a PDF (redacted=true: without personal data)",
)
def case_print_api(request: ApiRequest, uid: Uid, options: Query[PrintIn]) -> HttpResponse:
    case = case_get(actor=request.auth, uid=uid)
    sheet = printing.case_sheet(actor=request.auth, case=case, redacted=options.redacted)
    printing.audit_print(
        actor=request.auth, obj=case, fmt="pdf", redacted=options.redacted, request=request
    )
    return _respond(request, sheet, "pdf", case.reference)


@router.get(
    "/sites/{uid}/print.pdf",
    response={200: None, **READ_ERRORS},
    summary="A site sheet as a PDF (person operators and sources only for who may see persons)",
)
def site_print_api(request: ApiRequest, uid: Uid) -> HttpResponse:
    site = site_get(actor=request.auth, uid=uid)
    sheet = printing.site_sheet(actor=request.auth, site=site)
    printing.audit_print(actor=request.auth, obj=site, fmt="pdf", redacted=False, request=request)
    return _respond(request, sheet, "pdf", "site")
