"""Writes of evidence: attaching a file, and recording every handling in the custody trail.

Every handling (upload, view, preview, download, and later export and share) goes through
``record_custody``, which writes the custody event and its audit event in one transaction.
"""

import hashlib
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import HttpRequest
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from lifeline.accounts.models import Membership, Organisation
from lifeline.audit.services import audit_log
from lifeline.cases.models import Case, Request
from lifeline.core.filecrypt import FileDecryptionError
from lifeline.evidence import storage
from lifeline.evidence.inspection import Rejected, inspect
from lifeline.evidence.models import CustodyAction, CustodyEvent, Evidence
from lifeline.sites.models import Site

MAX_DESCRIPTION = 2000
MAX_NAME = 255


class EvidenceUnreadable(Exception):
    """The stored file is missing, was changed, or its key is gone: it is not served."""


@transaction.atomic
def record_custody(
    evidence: Evidence,
    action: str,
    actor: Membership | None,
    *,
    detail: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
) -> CustodyEvent:
    """Record one handling of ``evidence`` by ``actor``: a custody event and, in the same
    transaction, the audit event ``evidence.evidence.<action>``.

    ``action`` is a ``CustodyAction``; ``detail`` holds codes and ids only (the audit log
    refuses free text), e.g. ``{"share": 12, "partner": 3}``. The caller has already authorised
    the actor (through ``evidence_get``). ``actor`` is None only for a file that came with a
    public request (``evidence_receive``).
    """
    if action not in CustodyAction.values:
        raise ValueError(f"unknown custody action {action!r}")
    detail = dict(detail or {})
    user = actor.user if actor is not None else None
    audit_log(
        actor=user,
        organisation=evidence.organisation,
        action=f"evidence.evidence.{action}",
        obj=evidence,
        payload=detail,
        request=request,
    )
    return CustodyEvent.objects.create(
        organisation=evidence.organisation,
        evidence=evidence,
        action=action,
        actor=user,
        detail=detail,
    )


def evidence_attach(
    *,
    actor: Membership,
    upload: UploadedFile[Any] | None,
    description: str = "",
    case: Case | None = None,
    req: Request | None = None,
    site: Site | None = None,
    too_large: bool = False,
    request: HttpRequest | None = None,
) -> Evidence:
    """Attach an uploaded file to ``case``, ``req`` or ``site`` (exactly one), which the caller
    fetched through the cases or sites selectors.

    The file is typed by its content and checked (``inspection.inspect``); a refused file raises
    ``ValidationError({"file": [...]})`` and nothing is stored. An accepted one is hashed
    (SHA-256 of the original bytes), written encrypted with its preview, and recorded with its
    ``uploaded`` custody and audit events. Blobs are written before the transaction and
    destroyed again if it fails, so no row ever points at a missing blob.
    """
    if [case, req, site].count(None) != 2:
        raise ValueError("attach evidence to exactly one of a case, a request or a site")
    limit = settings.LIFELINE_EVIDENCE_MAX_BYTES
    if too_large or (upload is not None and (upload.size or 0) > limit):
        raise ValidationError(
            {"file": [_("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)}]}
        )
    if upload is None:
        raise ValidationError({"file": [_("Choose a file to attach.")]})
    if len(description) > MAX_DESCRIPTION:
        raise ValidationError(
            {
                "description": [
                    _("Keep the description under %(n)d characters.") % {"n": MAX_DESCRIPTION}
                ]
            }
        )
    return _store(
        organisation=actor.organisation,
        actor=actor,
        data=upload.read(),
        name=upload.name or "",
        description=description,
        case=case,
        req=req,
        site=site,
        request=request,
    )


def evidence_receive(
    *, req: Request, data: bytes, name: str = "", request: HttpRequest | None = None
) -> Evidence:
    """Attach a file that came with a public request (lifeline.intake), with no member behind
    it. The same content checks as ``evidence_attach`` apply; the caller has already limited
    the size and stripped whatever metadata it must not keep."""
    return _store(
        organisation=req.organisation,
        actor=None,
        data=data,
        name=name,
        description="",
        case=None,
        req=req,
        site=None,
        request=request,
    )


def _store(
    *,
    organisation: Organisation,
    actor: Membership | None,
    data: bytes,
    name: str,
    description: str,
    case: Case | None,
    req: Request | None,
    site: Site | None,
    request: HttpRequest | None,
) -> Evidence:
    try:
        inspection = inspect(data)
    except Rejected as exc:
        raise ValidationError({"file": [exc.message]}) from None

    written: list[str] = []
    try:
        blob_name = storage.write_blob([data])
        written.append(blob_name)
        preview = inspection.preview
        preview_name = storage.write_blob([preview.data]) if preview else None
        if preview_name:
            written.append(preview_name)
        with transaction.atomic():
            evidence = Evidence.objects.create(
                organisation=organisation,
                case=case,
                request=req,
                site=site,
                original_name=name[:MAX_NAME],
                description=description.strip(),
                media_type=inspection.media_type,
                size=len(data),
                sha256=hashlib.sha256(data).hexdigest(),
                blob_name=blob_name,
                preview_blob_name=preview_name,
                preview_media_type=preview.media_type if preview else "",
                preview_sha256=hashlib.sha256(preview.data).hexdigest() if preview else "",
                uploaded_by=actor.user if actor is not None else None,
            )
            parent = (
                {"case": case.pk}
                if case is not None
                else {"request": req.pk}
                if req is not None
                else {"site": site.pk if site else None}
            )
            record_custody(
                evidence,
                CustodyAction.UPLOADED,
                actor,
                detail={**parent, "size": len(data), "media_type": inspection.media_type},
                request=request,
            )
    except BaseException:
        for blob in written:
            storage.destroy(storage.blob_path(blob))
        raise
    return evidence


def evidence_read(
    *,
    actor: Membership,
    evidence: Evidence,
    preview: bool = False,
    request: HttpRequest | None = None,
) -> bytes:
    """The verified content of the original (a download) or of its preview, recorded in the
    custody trail. The whole file is decrypted and its SHA-256 compared with the one taken at
    upload before any byte is returned: a changed or damaged file raises
    ``EvidenceUnreadable`` and nothing is served."""
    name = evidence.preview_blob_name if preview else evidence.blob_name
    expected = evidence.preview_sha256 if preview else evidence.sha256
    if not name:
        raise EvidenceUnreadable("no preview")
    try:
        data = b"".join(storage.open_plaintext(storage.blob_path(name)))
    except (FileNotFoundError, FileDecryptionError) as exc:
        raise EvidenceUnreadable(str(exc)) from None
    if hashlib.sha256(data).hexdigest() != expected:
        raise EvidenceUnreadable("the file does not match its SHA-256")
    action = CustodyAction.PREVIEWED if preview else CustodyAction.DOWNLOADED
    record_custody(evidence, action, actor, request=request)
    return data
