from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from lifeline.accounts.decorators import member_required
from lifeline.cases.selectors import case_get, request_get
from lifeline.core.http import MemberRequest
from lifeline.evidence import selectors, services
from lifeline.evidence.models import CustodyAction, Evidence
from lifeline.evidence.responses import original_response, preview_response
from lifeline.sites.selectors import site_get


def _attach(request: MemberRequest, **parent) -> Evidence | None:
    try:
        evidence = services.evidence_attach(
            actor=request.membership,
            upload=request.FILES.get("file"),
            description=request.POST.get("description", ""),
            too_large=getattr(request, "upload_too_large", False),
            request=request,
            **parent,
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return None
    messages.success(request, _("The file was attached."))
    return evidence


@require_POST
@member_required("can_work_cases")
def case_upload(request: MemberRequest, uid) -> HttpResponse:
    case = case_get(actor=request.membership, uid=uid)
    evidence = _attach(request, case=case)
    return redirect(evidence or f"{case.get_absolute_url()}#evidence")


@require_POST
@member_required("can_triage_requests")
def request_upload(request: MemberRequest, uid) -> HttpResponse:
    req = request_get(actor=request.membership, uid=uid)
    evidence = _attach(request, req=req)
    return redirect(evidence or f"{req.get_absolute_url()}#evidence")


@require_POST
@member_required("can_handle_evidence")
def site_upload(request: MemberRequest, uid) -> HttpResponse:
    site = site_get(actor=request.membership, uid=uid)
    evidence = _attach(request, site=site)
    return redirect(evidence or f"{site.get_absolute_url()}#evidence")


@member_required("can_handle_evidence")
def detail(request: MemberRequest, uid) -> HttpResponse:
    evidence = selectors.evidence_get(actor=request.membership, uid=uid)
    services.record_custody(evidence, CustodyAction.VIEWED, request.membership, request=request)
    context = {"evidence": evidence, "custody": selectors.custody_trail(evidence=evidence)}
    return render(request, "evidence/evidence_detail.html", context)


@member_required("can_handle_evidence")
def preview(request: MemberRequest, uid) -> HttpResponse:
    evidence = selectors.evidence_get(actor=request.membership, uid=uid)
    if not evidence.preview_blob_name:
        raise Http404
    try:
        data = services.evidence_read(
            actor=request.membership, evidence=evidence, preview=True, request=request
        )
    except services.EvidenceUnreadable:
        raise Http404 from None
    return preview_response(evidence, data)


@member_required("can_handle_evidence")
def download(request: MemberRequest, uid) -> HttpResponse:
    evidence = selectors.evidence_get(actor=request.membership, uid=uid)
    try:
        data = services.evidence_read(actor=request.membership, evidence=evidence, request=request)
    except services.EvidenceUnreadable:
        messages.error(
            request,
            _("The stored file is missing or does not match its SHA-256; it was not sent."),
        )
        return redirect(evidence)
    return original_response(evidence, data)
