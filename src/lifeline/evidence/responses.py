"""How stored files leave the server: never as something a browser would run.

Originals go out as attachments with their sniffed (allow-listed) type; only the re-encoded
preview is shown inline, and only as a JPEG or PNG. Both carry ``nosniff`` and a CSP that
sandboxes the response and allows nothing, so even a mistyped file cannot run script.
"""

import re

from django.http import HttpResponse
from django.utils.http import content_disposition_header

from lifeline.evidence.inspection import extension
from lifeline.evidence.models import Evidence

FILE_CSP = "sandbox; default-src 'none'"
INLINE_TYPES = frozenset({"image/jpeg", "image/png"})
UNSAFE_NAME_CHARS = re.compile(r"[^\w\- ]+")


def download_name(evidence: Evidence) -> str:
    """The user's file name, cleaned, with the extension of the type found in the content
    (a PNG uploaded as ``x.html`` downloads as ``x.png``)."""
    stem = str(evidence.original_name).rsplit(".", 1)[0]
    stem = UNSAFE_NAME_CHARS.sub("_", stem).strip(" _")[:60] or "evidence"
    return f"{stem}.{extension(evidence.media_type)}"


def _file_response(data: bytes, *, content_type: str, disposition: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = disposition
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = FILE_CSP
    response["Cache-Control"] = "no-store"
    return response


def original_response(evidence: Evidence, data: bytes) -> HttpResponse:
    content_type = evidence.media_type
    if content_type.startswith("text/") or content_type == "application/json":
        content_type += "; charset=utf-8"
    disposition = content_disposition_header(True, download_name(evidence))
    return _file_response(data, content_type=content_type, disposition=disposition or "attachment")


def preview_response(evidence: Evidence, data: bytes) -> HttpResponse:
    if evidence.preview_media_type not in INLINE_TYPES:
        raise ValueError("only re-encoded JPEG or PNG previews are shown inline")
    name = f"preview.{extension(evidence.preview_media_type)}"
    return _file_response(
        data,
        content_type=evidence.preview_media_type,
        disposition=content_disposition_header(False, name) or "inline",
    )
