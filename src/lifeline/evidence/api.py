"""The evidence endpoints: list and attach under a case, a request or a site, one file's details with
its custody trail, and the download of the original.

Attaching is a multipart POST with ``file`` and an optional ``description``. A refused file is a
422 on ``["body", "file"]`` whose message says why; nothing is stored.
"""

import datetime
from typing import Any
from uuid import UUID

from django.http import HttpResponse
from ninja import File, Form, Query, Router, Schema, Status
from ninja.files import UploadedFile

from lifeline.cases.schemas import UserRefOut
from lifeline.cases.selectors import case_get, request_get
from lifeline.core.api import (
    READ_ERRORS,
    WRITE_ERRORS,
    ErrorOut,
    PageIn,
    PageOut,
    Uid,
    audit_listing,
    paginate,
    requires,
)
from lifeline.core.http import ApiRequest
from lifeline.evidence import selectors, services
from lifeline.evidence.models import CustodyAction, Evidence
from lifeline.evidence.responses import original_response
from lifeline.sites.selectors import site_get

router = Router(tags=["evidence"])


class EvidenceOut(Schema):
    uid: UUID
    case: UUID | None
    request: UUID | None
    site: UUID | None
    original_name: str
    description: str
    media_type: str
    size: int
    sha256: str
    has_preview: bool
    uploaded_by: UserRefOut | None
    created_at: datetime.datetime

    @staticmethod
    def resolve_case(obj: Evidence) -> UUID | None:
        return obj.case.uid if obj.case is not None else None

    @staticmethod
    def resolve_request(obj: Evidence) -> UUID | None:
        return obj.request.uid if obj.request is not None else None

    @staticmethod
    def resolve_site(obj: Evidence) -> UUID | None:
        return obj.site.uid if obj.site is not None else None

    @staticmethod
    def resolve_original_name(obj: Evidence) -> str:
        return str(obj.original_name)

    @staticmethod
    def resolve_description(obj: Evidence) -> str:
        return str(obj.description)

    @staticmethod
    def resolve_has_preview(obj: Evidence) -> bool:
        return bool(obj.preview_blob_name)


class CustodyEventOut(Schema):
    action: str
    actor: UserRefOut | None
    at: datetime.datetime
    detail: dict[str, Any]


class EvidenceDetailOut(EvidenceOut):
    custody: list[CustodyEventOut]

    @staticmethod
    def resolve_custody(obj: Evidence) -> list[Any]:
        return list(selectors.custody_trail(evidence=obj))


class EvidencePageOut(PageOut[EvidenceOut]):
    pass


def _page(request: ApiRequest, qs: Any, paging: PageIn, obj: Any) -> dict[str, Any]:
    page = paginate(qs.select_related("case", "request", "site", "uploaded_by"), paging)
    audit_listing(
        request, action="evidence.evidence.listed", filters=[], count=len(page["items"]), obj=obj
    )
    return page


def _attach(
    request: ApiRequest, upload: UploadedFile | None, description: str, **parent: Any
) -> Evidence:
    return services.evidence_attach(
        actor=request.auth,
        upload=upload,
        description=description,
        too_large=getattr(request, "upload_too_large", False),
        request=request,
        **parent,
    )


@router.get(
    "/cases/{uid}/evidence",
    response={200: EvidencePageOut, **READ_ERRORS},
    summary="The evidence attached to a case",
)
@requires("can_work_cases")
def case_evidence(request: ApiRequest, uid: Uid, paging: Query[PageIn]) -> dict[str, Any]:
    case = case_get(actor=request.auth, uid=uid)
    return _page(request, selectors.evidence_of_case(case=case), paging, case)


@router.post(
    "/cases/{uid}/evidence",
    response={201: EvidenceOut, **WRITE_ERRORS},
    summary="Attach a file to a case",
)
@requires("can_work_cases")
def case_evidence_attach(
    request: ApiRequest,
    uid: Uid,
    file: UploadedFile | None = File(None),  # noqa: B008
    description: str = Form(""),  # noqa: B008
) -> Status:
    case = case_get(actor=request.auth, uid=uid)
    return Status(201, _attach(request, file, description, case=case))


@router.get(
    "/requests/{uid}/evidence",
    response={200: EvidencePageOut, **READ_ERRORS},
    summary="The evidence attached to a request",
)
@requires("can_triage_requests")
def request_evidence(request: ApiRequest, uid: Uid, paging: Query[PageIn]) -> dict[str, Any]:
    req = request_get(actor=request.auth, uid=uid)
    return _page(request, selectors.evidence_of_request(req=req), paging, req)


@router.post(
    "/requests/{uid}/evidence",
    response={201: EvidenceOut, **WRITE_ERRORS},
    summary="Attach a file to a request",
)
@requires("can_triage_requests")
def request_evidence_attach(
    request: ApiRequest,
    uid: Uid,
    file: UploadedFile | None = File(None),  # noqa: B008
    description: str = Form(""),  # noqa: B008
) -> Status:
    req = request_get(actor=request.auth, uid=uid)
    return Status(201, _attach(request, file, description, req=req))


@router.get(
    "/sites/{uid}/evidence",
    response={200: EvidencePageOut, **READ_ERRORS},
    summary="The evidence attached to a site",
)
@requires("can_handle_evidence")
def site_evidence(request: ApiRequest, uid: Uid, paging: Query[PageIn]) -> dict[str, Any]:
    site = site_get(actor=request.auth, uid=uid)
    return _page(request, selectors.evidence_of_site(actor=request.auth, site=site), paging, site)


@router.post(
    "/sites/{uid}/evidence",
    response={201: EvidenceOut, **WRITE_ERRORS},
    summary="Attach a file to a site",
)
@requires("can_handle_evidence")
def site_evidence_attach(
    request: ApiRequest,
    uid: Uid,
    file: UploadedFile | None = File(None),  # noqa: B008
    description: str = Form(""),  # noqa: B008
) -> Status:
    site = site_get(actor=request.auth, uid=uid)
    return Status(201, _attach(request, file, description, site=site))


@router.get(
    "/evidence/{uid}",
    response={200: EvidenceDetailOut, **READ_ERRORS},
    summary="One evidence file's details and chain of custody",
)
@requires("can_handle_evidence")
def evidence_detail(request: ApiRequest, uid: Uid) -> Evidence:
    evidence = selectors.evidence_get(actor=request.auth, uid=uid)
    services.record_custody(evidence, CustodyAction.VIEWED, request.auth, request=request)
    return evidence


@router.get(
    "/evidence/{uid}/download",
    response={200: None, 409: ErrorOut, **READ_ERRORS},
    summary="Download the original file (as an attachment)",
)
@requires("can_handle_evidence")
def evidence_download(request: ApiRequest, uid: Uid) -> HttpResponse | Status:
    evidence = selectors.evidence_get(actor=request.auth, uid=uid)
    try:
        data = services.evidence_read(actor=request.auth, evidence=evidence, request=request)
    except services.EvidenceUnreadable:
        return Status(
            409,
            {
                "detail": "The stored file is missing or does not match its SHA-256; it was not sent."
            },
        )
    return original_response(evidence, data)
