"""Writes of the public pages: an SOS becomes a request (through lifeline.cases.services) with
its receipt, and a check-in is recorded against the request its code belongs to. No member is
behind these writes; the audit entries name the source instead."""

import io
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _
from PIL import Image

from lifeline.accounts.models import Organisation
from lifeline.audit.services import audit_log
from lifeline.cases.models import Channel, Request, TimelineEvent, TimelineKind
from lifeline.cases.services import request_receive
from lifeline.evidence.inspection import PILLOW_FORMATS, Rejected, detect_type, image_preview
from lifeline.evidence.services import evidence_receive
from lifeline.intake import codes, selectors
from lifeline.intake.language import detect_language
from lifeline.intake.models import CheckIn, CheckInStatus, Receipt
from lifeline.intake.signs import signs_in_text

# Long enough to read a screenshot of a chat; everything else about the photo is dropped.
PHOTO_EDGE = 2560
GPS_IFD = 0x8825


@dataclass(frozen=True)
class Sos:
    relation: str
    names: str = ""
    contact_kind: str = ""
    contact: str = ""
    contact_times: str = ""
    country: str = ""
    town: str = ""
    compound: str = ""
    signs: Sequence[str] = ()
    text: str = ""
    duress: str = ""
    photo: bytes | None = None
    share_location: bool = False
    latitude: float | None = None
    longitude: float | None = None


@dataclass(frozen=True)
class Receipted:
    request: Request
    code: str
    created: bool


def clean_photo(data: bytes, *, keep_location: bool) -> tuple[bytes, tuple[float, float] | None]:
    """The photo re-encoded without any metadata, and its GPS position when the sender agreed
    to share it (and it has one). Raises ``ValidationError({"photo": ...})`` for anything that
    is not a readable image."""
    media_type = detect_type(data)
    if media_type not in PILLOW_FORMATS:
        raise ValidationError({"photo": [_("Please send a photo or a screenshot.")]})
    try:
        clean = image_preview(data, expected_format=PILLOW_FORMATS[media_type], edge=PHOTO_EDGE)
    except Rejected:
        raise ValidationError(
            {"photo": [_("This photo cannot be read. Please try another.")]}
        ) from None
    return clean.data, (_photo_position(data) if keep_location else None)


def _photo_position(data: bytes) -> tuple[float, float] | None:
    # Only called after image_preview accepted the image (size and pixel limits).
    try:
        with Image.open(io.BytesIO(data)) as image:
            gps = image.getexif().get_ifd(GPS_IFD)
        lat = _degrees(gps[2], gps[1])
        lon = _degrees(gps[4], gps[3])
    except (KeyError, ValueError, TypeError, ZeroDivisionError, OSError):
        return None
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None
    return lat, lon


def _degrees(value: Any, ref: Any) -> float:
    d, m, s = (float(part) for part in value)
    degrees = d + m / 60 + s / 3600
    return -degrees if str(ref).upper() in ("S", "W") else degrees


def _location_text(sos: Sos, position: tuple[float, float] | None) -> str:
    parts = [
        ("Country", sos.country),
        ("Town", sos.town.strip()),
        ("Building or company", sos.compound.strip()),
    ]
    if position is not None:
        parts.append(("Position", f"{position[0]:.5f},{position[1]:.5f}"))
    return "\n".join(f"{label}: {value}" for label, value in parts if value)


def _text(sos: Sos) -> str:
    text = sos.text.strip()
    if sos.contact_times.strip():
        text += f"\n\nSafe times to contact: {sos.contact_times.strip()}"
    return text.strip()


def sos_submit(
    *,
    organisation: Organisation,
    nonce: str,
    sos: Sos,
    page_language: str,
    request: HttpRequest | None = None,
) -> Receipted:
    """Record one SOS, once. ``nonce`` comes from the form's signed one-time token: the same
    nonce submitted again (a reload, a retry on a flaky network) returns the first
    submission's request and the same receipt code, and stores nothing more.

    When this returns, the request, its receipt and its photo are committed: only then may the
    page say "received". Bad input raises ``ValidationError`` and stores nothing.
    """
    digest = codes.token_digest(nonce)
    code = codes.receipt_code(nonce)
    existing = selectors.receipt_by_token(organisation=organisation, digest=digest)
    if existing is not None:
        return Receipted(request=existing.request, code=code, created=False)
    photo, position = (None, None)
    if sos.photo:
        photo, position = clean_photo(sos.photo, keep_location=sos.share_location)
    if position is None and sos.latitude is not None and sos.longitude is not None:
        position = (sos.latitude, sos.longitude)
    words = " ".join([sos.names, sos.text, sos.town, sos.compound])
    signs = list(dict.fromkeys([*sos.signs, *signs_in_text(sos.text)]))
    try:
        with transaction.atomic():
            req = request_receive(
                organisation=organisation,
                channel=Channel.WEB,
                reporter_relation=sos.relation,
                language=detect_language(words) or page_language,
                subject_name=sos.names,
                subject_contact_kind=sos.contact_kind if sos.contact.strip() else "",
                subject_contact=sos.contact,
                location_text=_location_text(sos, position),
                text=_text(sos),
                danger_signs=signs,
                source="intake_web",
                request=request,
            )
            Receipt.objects.create(
                organisation=organisation,
                request=req,
                token_digest=digest,
                code_digest=codes.code_digest(code),
                duress_digest=codes.duress_digest(sos.duress) if sos.duress else "",
                duress_length=len(codes.normalise_word(sos.duress)),
            )
            if photo is not None:
                evidence_receive(req=req, data=photo, name="photo", request=request)
    except IntegrityError:
        # The same form arrived twice at the same moment and the other copy was stored first.
        existing = selectors.receipt_by_token(organisation=organisation, digest=digest)
        if existing is None:
            raise
        return Receipted(request=existing.request, code=code, created=False)
    return Receipted(request=req, code=code, created=True)


def holds_duress_word(receipt: Receipt, message: str) -> bool:
    """Whether ``message`` contains the receipt's duress word. The word is known only by its
    keyed hash and length, so every stretch of the message of that length is hashed: this
    finds it inside scripts written without spaces (Thai, Khmer, Burmese, Chinese) too."""
    if not receipt.duress_digest or not receipt.duress_length:
        return False
    text = codes.normalise_word(message)
    size = receipt.duress_length
    stretches = {text[i : i + size] for i in range(max(len(text) - size + 1, 0))}
    return any(codes.duress_digest(stretch) == receipt.duress_digest for stretch in stretches)


@transaction.atomic
def check_in_submit(
    *,
    organisation: Organisation,
    code: str,
    status: str,
    message: str,
    language: str,
    request: HttpRequest | None = None,
) -> CheckIn | None:
    """Record a check-in for the request behind ``code``, or return None if no request has it.

    A message holding the duress word agreed at intake marks the check-in ``under_duress``;
    the caller answers the sender exactly as for any other check-in."""
    if status not in CheckInStatus.values:
        raise ValidationError({"status": [_("Please choose one.")]})
    receipt = selectors.receipt_by_code(organisation=organisation, digest=codes.code_digest(code))
    if receipt is None:
        return None
    checkin = CheckIn.objects.create(
        organisation=organisation,
        request=receipt.request,
        status=status,
        message=message.strip(),
        under_duress=holds_duress_word(receipt, message),
        language=detect_language(message) or language,
    )
    if receipt.request.case_id is not None:
        # On the case's timeline too, where its team works; the message stays encrypted there.
        TimelineEvent.objects.create(
            organisation=organisation,
            case_id=receipt.request.case_id,
            kind=TimelineKind.CHECKIN,
            channel=Channel.WEB,
            body=checkin.message,
            data={"status": status, "duress": checkin.under_duress, "checkin": checkin.pk},
        )
    audit_log(
        actor=None,
        organisation=organisation,
        action="intake.checkin.received",
        obj=receipt.request,
        payload={"checkin": checkin.pk, "status": status},
        request=request,
        session_ref="",
    )
    return checkin
