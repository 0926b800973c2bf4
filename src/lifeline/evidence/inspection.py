"""What an uploaded file is, judged by its content alone, and whether it may be kept.

Contract
- ``inspect(data)`` returns the ``Inspection`` of an accepted file (its media type and, for
  images, a re-encoded preview without metadata) or raises ``Rejected`` with a message for the
  person who uploaded it. It never writes anything anywhere.
- The declared content type and the file name play no part: a PNG called ``chat.txt`` is a PNG.
- Refused: types outside ``ACCEPTED``; files that match two types; images or audio or PDFs
  carrying HTML or script markers; anything with a ZIP archive appended (a PDF or JPEG + ZIP
  polyglot); HTML posing as text; ZIP archives over the member, size or ratio limits, with
  nested archives, encrypted members or unsafe member names (archives are read in memory and
  never extracted); images over ``LIFELINE_EVIDENCE_MAX_PIXELS`` (decompression bombs).
"""

from __future__ import annotations

import io
import json
import warnings
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _
from filetype.types import TYPES
from PIL import Image, ImageOps, UnidentifiedImageError

# Media type → (label, extension of downloads).
ACCEPTED: dict[str, tuple[str, str]] = {
    "image/jpeg": ("JPEG image", "jpg"),
    "image/png": ("PNG image", "png"),
    "image/webp": ("WebP image", "webp"),
    "image/gif": ("GIF image", "gif"),
    "image/heic": ("HEIC image", "heic"),
    "application/pdf": ("PDF document", "pdf"),
    "audio/ogg": ("Ogg/Opus audio", "ogg"),
    "audio/mpeg": ("MP3 audio", "mp3"),
    "audio/mp4": ("M4A audio", "m4a"),
    "audio/x-wav": ("WAV audio", "wav"),
    "audio/amr": ("AMR audio", "amr"),
    "text/plain": ("Text", "txt"),
    "application/json": ("JSON", "json"),
    "application/zip": ("ZIP archive (chat export)", "zip"),
}
# Images Pillow decodes: checked for bombs and given a preview. HEIC needs a plugin Lifeline
# does not ship, so it is kept without a preview.
PILLOW_FORMATS = {
    "image/jpeg": "JPEG",
    "image/png": "PNG",
    "image/webp": "WEBP",
    "image/gif": "GIF",
}
HTML_MARKERS = (
    b"<script",
    b"<html",
    b"<!doctype",
    b"<iframe",
    b"<svg",
    b"<body",
    b"<?php",
    b"javascript:",
    b"<object",
    b"<embed",
)
NESTED_ARCHIVE_MAGIC = (
    b"PK\x03\x04",
    b"Rar!",
    b"7z\xbc\xaf",
    b"\x1f\x8b",
    b"BZh",
    b"\xfd7zXZ",
    b"\x28\xb5\x2f\xfd",
)
NESTED_ARCHIVE_NAMES = (".zip", ".rar", ".7z", ".gz", ".tgz", ".bz2", ".xz", ".tar", ".zst")
SNIFF_BYTES = 8192
PREVIEW_EDGE = 1024
READ_STEP = 64 * 1024


class Rejected(Exception):
    """The file may not be kept; ``message`` says why, for the person who uploaded it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Preview:
    data: bytes
    media_type: str


@dataclass(frozen=True)
class Inspection:
    media_type: str
    preview: Preview | None


def label(media_type: str) -> str:
    return ACCEPTED.get(media_type, (media_type, "bin"))[0]


def extension(media_type: str) -> str:
    return ACCEPTED.get(media_type, (media_type, "bin"))[1]


def inspect(data: bytes) -> Inspection:
    """Type ``data`` by its content and check it (see the module docstring)."""
    if not data:
        raise Rejected(_("The file is empty."))
    media_type = detect_type(data)
    if media_type == "application/zip":
        check_zip(data)
    elif media_type in ("text/plain", "application/json"):
        if _holds_zip(data):
            raise Rejected(_("The file has a ZIP archive hidden inside it, so it is refused."))
    else:
        _check_markers(data, media_type)
    preview = None
    if media_type in PILLOW_FORMATS:
        preview = image_preview(data, expected_format=PILLOW_FORMATS[media_type])
    return Inspection(media_type=media_type, preview=preview)


def detect_type(data: bytes) -> str:
    if data[4:8] == b"ftyp":
        return _iso_media_type(data)
    head = bytearray(data[:SNIFF_BYTES])
    matches = {matcher.mime for matcher in TYPES if matcher.match(head)}
    if len(matches) > 1:
        raise Rejected(_("The file looks like more than one type at once, so it is refused."))
    if matches:
        (media_type,) = matches
        if media_type not in ACCEPTED:
            raise Rejected(
                _("Files of this type (%(type)s) are not accepted.") % {"type": media_type}
            )
        return media_type
    return _detect_text(data)


def _iso_media_type(data: bytes) -> str:
    # MP4, M4A, MOV, HEIC and AVIF share one container, and several of filetype's matchers
    # accept any of its brands; the major brand alone says which one the file is.
    brand = data[8:12]
    if brand in (b"M4A ", b"M4B "):
        return "audio/mp4"
    if brand in (b"heic", b"heix", b"mif1", b"msf1", b"heim", b"heis"):
        return "image/heic"
    raise Rejected(_("Videos and other MP4-family files are not accepted."))


def _detect_text(data: bytes) -> str:
    if b"\x00" in data:
        raise Rejected(_("This kind of file is not accepted."))
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError:
        raise Rejected(_("This kind of file is not accepted.")) from None
    start = text.lstrip("\ufeff \t\r\n")[:64].lower()
    if start.startswith(("<!doctype", "<html", "<script", "<svg", "<?xml", "<head", "<body")):
        raise Rejected(_("Web pages (HTML, SVG, XML) are not accepted."))
    if start.startswith(("{", "[")):
        try:
            json.loads(text)
        except ValueError:
            return "text/plain"
        return "application/json"
    return "text/plain"


def _check_markers(data: bytes, media_type: str) -> None:
    lowered = data.lower()
    if any(marker in lowered for marker in HTML_MARKERS):
        raise Rejected(
            _("The file carries web-page or script content besides the %(type)s, so it is refused.")
            % {"type": label(media_type)}
        )
    if media_type != "application/pdf" and b"%pdf-" in lowered[:1024]:
        raise Rejected(_("The file is also a PDF, so it is refused."))
    if _holds_zip(data):
        raise Rejected(_("The file has a ZIP archive hidden inside it, so it is refused."))


def _holds_zip(data: bytes) -> bool:
    # A ZIP is read from its end, so one appended to an image or PDF opens as an archive.
    # Requiring a readable central directory with members keeps stray bytes from counting.
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return bool(archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError, EOFError):
        return False


def check_zip(data: bytes) -> None:
    """Refuse archive bombs, nested archives, encrypted members and unsafe names. Every member
    is decompressed in memory, counting bytes, so that declared sizes cannot lie."""
    max_members: int = settings.LIFELINE_EVIDENCE_ZIP_MAX_MEMBERS
    max_total: int = settings.LIFELINE_EVIDENCE_ZIP_MAX_TOTAL_BYTES
    max_ratio: int = settings.LIFELINE_EVIDENCE_ZIP_MAX_RATIO
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise Rejected(_("The ZIP archive is damaged.")) from None
    if len(members) > max_members:
        raise Rejected(
            _("The archive has more than %(n)d files, so it is refused.") % {"n": max_members}
        )
    total = 0
    for member in members:
        name = member.filename.replace("\\", "/")
        if name.startswith("/") or ".." in name.split("/"):
            raise Rejected(_("The archive holds a file with an unsafe path, so it is refused."))
        if member.flag_bits & 0x1:
            raise Rejected(_("Password-protected archives are not accepted."))
        if name.lower().endswith(NESTED_ARCHIVE_NAMES):
            raise Rejected(_("Archives inside the archive are not accepted."))
        if member.is_dir():
            continue
        size = 0
        first = b""
        try:
            with archive.open(member) as stream:
                while block := stream.read(READ_STEP):
                    if not first:
                        first = block[:8]
                    size += len(block)
                    total += len(block)
                    if total > max_total:
                        raise Rejected(
                            _("The archive unpacks to more than %(mb)d MB, so it is refused.")
                            % {"mb": max_total // (1024 * 1024)}
                        )
                    if size > 1024 * 1024 and size > max_ratio * max(member.compress_size, 1):
                        raise Rejected(
                            _("The archive is compressed suspiciously well (a zip bomb?).")
                        )
        except (zipfile.BadZipFile, NotImplementedError, RuntimeError, OSError, EOFError):
            raise Rejected(_("The ZIP archive is damaged or uses an unsupported method.")) from None
        if first.startswith(NESTED_ARCHIVE_MAGIC):
            raise Rejected(_("Archives inside the archive are not accepted."))
    if total > 1024 * 1024 and total > max_ratio * len(data):
        raise Rejected(_("The archive is compressed suspiciously well (a zip bomb?)."))


def image_preview(data: bytes, *, expected_format: str, edge: int = PREVIEW_EDGE) -> Preview:
    """Decode the image (refusing decompression bombs) and re-encode a copy, at most ``edge``
    pixels on its longer side, without any metadata: no EXIF, GPS, comments or ICC profile
    survive. JPEG, or PNG if it has transparency."""
    max_pixels: int = settings.LIFELINE_EVIDENCE_MAX_PIXELS
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            opened = Image.open(io.BytesIO(data), formats=[expected_format])
            width, height = opened.size
            if width * height > max_pixels:
                raise Rejected(_("The image is too large in pixels, so it is refused."))
            opened.load()
            image = ImageOps.exif_transpose(opened)
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise Rejected(_("The image is too large in pixels, so it is refused.")) from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise Rejected(_("The image is damaged and cannot be read.")) from None
    has_alpha = image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info)
    image = image.convert("RGBA" if has_alpha else "RGB")
    image.thumbnail((edge, edge))
    out = io.BytesIO()
    if has_alpha:
        image.save(out, format="PNG", optimize=True)
        return Preview(data=out.getvalue(), media_type="image/png")
    image.save(out, format="JPEG", quality=85)
    return Preview(data=out.getvalue(), media_type="image/jpeg")
