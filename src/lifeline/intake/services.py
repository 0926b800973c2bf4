"""Writes of the public pages: an SOS or a bridge's message is validated and committed to the
durable inbox, then becomes a request (through lifeline.cases.services) with its receipt when
the inbox is drained; a check-in is recorded against the request its code belongs to. No member
is behind these writes; the audit entries name the source instead."""

import base64
import io
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from PIL import Image

from lifeline.accounts.models import Membership, Organisation
from lifeline.audit.services import audit_log
from lifeline.cases.models import Channel, Request
from lifeline.cases.services import request_check, request_receive
from lifeline.core.errors import NotPermitted
from lifeline.core.tenancy import scope
from lifeline.evidence.inspection import (
    PILLOW_FORMATS,
    Rejected,
    detect_type,
    image_preview,
    inspect,
)
from lifeline.evidence.services import evidence_receive
from lifeline.intake import codes, inbox, selectors, signing
from lifeline.intake.checkins import checkin_event
from lifeline.intake.language import detect_language
from lifeline.intake.models import (
    BotChannel,
    BotMessage,
    BridgeKind,
    CheckIn,
    CheckInStatus,
    InboxEntry,
    InboxKind,
    Receipt,
)
from lifeline.intake.pages import LANGUAGE_CODES
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
    """Accept one SOS, once. ``nonce`` comes from the form's signed one-time token: the same
    nonce submitted again (a reload, a retry on a flaky network) gets the first submission's
    receipt code back and stores nothing more.

    When this returns, the submission is committed to the durable inbox (lifeline.intake.inbox)
    and will become a request exactly once: only then may the page say "received". Bad input
    raises ``ValidationError`` and stores nothing; ``inbox.InboxUnavailable`` means not received.
    """
    code = codes.receipt_code(nonce)
    photo, position = (None, None)
    if sos.photo:
        photo, position = clean_photo(sos.photo, keep_location=sos.share_location)
    if position is None and sos.latitude is not None and sos.longitude is not None:
        position = (sos.latitude, sos.longitude)
    words = " ".join([sos.names, sos.text, sos.town, sos.compound])
    values: dict[str, Any] = {
        "channel": Channel.WEB,
        "reporter_relation": sos.relation,
        "language": detect_language(words) or page_language,
        "subject_name": sos.names,
        "subject_contact_kind": sos.contact_kind if sos.contact.strip() else "",
        "subject_contact": sos.contact,
        "location_text": _location_text(sos, position),
        "text": _text(sos),
        "danger_signs": list(dict.fromkeys([*sos.signs, *signs_in_text(sos.text)])),
    }
    request_check(organisation=organisation, **values)
    created = inbox.accept(
        inbox.Submission(
            organisation_id=organisation.pk,
            kind=InboxKind.SOS,
            key=codes.token_digest(nonce),
            code_digest=codes.code_digest(code),
            payload={
                "request": values,
                "duress_digest": codes.duress_digest(sos.duress) if sos.duress else "",
                "duress_length": len(codes.normalise_word(sos.duress)),
                "files": [["photo", _b64(photo)]] if photo is not None else [],
            },
        )
    )
    return Receipted(code=code, created=created)


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _request_from_inbox(entry: InboxEntry, payload: dict[str, Any], source: str) -> Request:
    """The request, receipt and files of an inbox entry (inside the drainer's transaction)."""
    organisation = entry.organisation
    with scope(organisation=organisation):
        req = request_receive(
            organisation=organisation,
            source=source,
            received_at=entry.received_at,
            **payload["request"],
        )
        Receipt.objects.create(
            organisation=organisation,
            request=req,
            token_digest=entry.key,
            code_digest=entry.code_digest,
            duress_digest=payload.get("duress_digest", ""),
            duress_length=payload.get("duress_length", 0),
            created_at=entry.received_at,
        )
        for name, data in payload.get("files", []):
            evidence_receive(req=req, data=base64.b64decode(data), name=name)
    return req


def _sos_from_inbox(entry: InboxEntry, payload: dict[str, Any]) -> Request:
    return _request_from_inbox(entry, payload, "intake_web")


def _bot_from_inbox(entry: InboxEntry, payload: dict[str, Any]) -> Request:
    channel_id, message_id = payload["channel"], payload["message_id"]
    existing = BotMessage.objects.filter(
        organisation_id=entry.organisation_id, channel_id=channel_id, message_id=message_id
    ).first()
    if existing is not None and existing.request is not None:
        return existing.request  # stored before this entry (its tombstone was pruned)
    req = _request_from_inbox(entry, payload, f"intake_bot_{channel_id}")
    BotMessage.objects.create(
        organisation_id=entry.organisation_id,
        channel_id=channel_id,
        message_id=message_id,
        request=req,
        language=payload["request"]["language"],
        received_at=entry.received_at,
    )
    return req


inbox.HANDLERS[InboxKind.SOS] = _sos_from_inbox
inbox.HANDLERS[InboxKind.BOT] = _bot_from_inbox


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
    digest = codes.code_digest(code)
    receipt = selectors.receipt_by_code(organisation=organisation, digest=digest)
    if receipt is None:
        # Acknowledged moments ago and not yet made into a request: make it now.
        key = selectors.inbox_key_by_code(organisation=organisation, digest=digest)
        if key is not None:
            inbox.drain_key(key)
            receipt = selectors.receipt_by_code(organisation=organisation, digest=digest)
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
        # On the case's timeline too, where its team works (earlier ones were copied there when
        # the case was opened: lifeline.intake.checkins).
        checkin_event(checkin, case_id=receipt.request.case_id).save(force_insert=True)
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


# Messaging bridges -------------------------------------------------------------------------

MAX_ATTACHMENTS = 3


def _channel_audit(actor: Membership, action: str, channel: BotChannel, request: Any) -> None:
    audit_log(
        actor=actor.user,
        organisation=actor.organisation,
        action=f"intake.channel.{action}",
        obj=channel,
        payload={"kind": channel.kind},
        request=request,
    )


@transaction.atomic
def channel_create(
    *, actor: Membership, name: str, kind: str, request: HttpRequest | None = None
) -> tuple[BotChannel, str]:
    """A new bridge channel and its secret, which is returned here and never shown again."""
    if not actor.has("can_manage_channels"):
        raise NotPermitted
    name = (name or "").strip()
    if not name or len(name) > 100:
        raise ValidationError({"name": [_("Give the channel a name of at most 100 characters.")]})
    if kind not in BridgeKind.values:
        raise ValidationError({"kind": [_("Unknown value: %(v)s.") % {"v": kind}]})
    secret = secrets.token_urlsafe(32)
    channel = BotChannel.objects.create(
        organisation=actor.organisation, name=name, kind=kind, secret=secret, created_by=actor.user
    )
    _channel_audit(actor, "created", channel, request)
    return channel, secret


@transaction.atomic
def channel_new_secret(
    *, actor: Membership, channel: BotChannel, request: HttpRequest | None = None
) -> str:
    """Replace the channel's secret (the old one stops working at once); returns the new one."""
    if not actor.has("can_manage_channels"):
        raise NotPermitted
    if not channel.is_active:
        raise ValidationError({"channel": [_("This channel was revoked.")]})
    secret = secrets.token_urlsafe(32)
    channel.secret = secret
    channel.save(update_fields=["secret"])
    _channel_audit(actor, "secret_replaced", channel, request)
    return secret


@transaction.atomic
def channel_revoke(
    *, actor: Membership, channel: BotChannel, request: HttpRequest | None = None
) -> BotChannel:
    if not actor.has("can_manage_channels"):
        raise NotPermitted
    if channel.is_active:
        channel.revoked_at = timezone.now()
        channel.secret = ""  # nosec B105 - a revoked channel keeps no secret
        channel.save(update_fields=["revoked_at", "secret"])
        _channel_audit(actor, "revoked", channel, request)
    return channel


def signed_channel(*, headers: Any, body: bytes) -> BotChannel:
    """The channel that signed this post, after the signature, its freshness and its novelty
    were checked (lifeline.intake.signing); raises ``SignatureRefused`` otherwise. Its novelty
    is checked when the message is accepted: the inbox entry keeps the signature's digest."""
    uid = headers.get("X-Lifeline-Channel", "")
    signature = headers.get("X-Lifeline-Signature", "")
    channel = selectors.channel_for_signature(uid=uid) if uid else None
    if channel is None:
        raise signing.SignatureRefused("Unknown or revoked channel.")
    signing.check(
        secret=channel.secret,
        timestamp=headers.get("X-Lifeline-Timestamp", ""),
        signature=signature,
        body=body,
    )
    return channel


@dataclass(frozen=True)
class BotMessageIn:
    message_id: str
    text: str = ""
    relation: str = "self"
    name: str = ""
    contact_kind: str = ""
    contact: str = ""
    location: str = ""
    danger_signs: Sequence[str] = ()
    language: str = ""
    attachments: Sequence[tuple[str, bytes]] = ()


@dataclass(frozen=True)
class BotAnswer:
    message_id: str
    duplicate: bool
    language: str
    receipt_code: str
    reply: str


def _reply(language: str, code: str) -> str:
    with translation.override(language):
        return _(
            "Received. We will contact you the safe way you gave. Your code: %(code)s. "
            "Keep it safe and write it in any later message."
        ) % {"code": codes.display_code(code)}


def _attachment(name: str, data: bytes) -> tuple[str, bytes]:
    """The attachment as it will be stored, after the checks it would meet there: photos are
    re-encoded without metadata, other files must pass the evidence app's inspection."""
    limit = settings.LIFELINE_INTAKE_MAX_PHOTO_BYTES
    if len(data) > limit:
        raise ValidationError({"attachments": [_("The photo is too large.")]})
    if detect_type(data) in PILLOW_FORMATS:
        clean, _position = clean_photo(data, keep_location=False)
        return "photo", clean
    try:
        inspect(data)
    except Rejected as exc:
        raise ValidationError({"attachments": [exc.message]}) from None
    return name[:100], data


def bot_message_receive(
    *,
    channel: BotChannel,
    message: BotMessageIn,
    signature: str = "",
    request: HttpRequest | None = None,
) -> BotAnswer:
    """Accept a message a bridge delivered, once per (channel, message id): the same message
    posted again gets the first answer (same receipt code and reply) and stores nothing. The
    inbox keeps every bridge message's key for good (its tombstone), so this needs no look-up.
    ``signature`` is the post's: the same signed post sent again raises ``inbox.Replayed``.

    Like ``sos_submit``, this returns once the message is committed to the durable inbox.
    Photos are re-encoded without metadata; other files must pass the evidence app's checks.
    Bad input raises ``ValidationError`` and stores nothing."""
    organisation = channel.organisation
    nonce = f"bot:{channel.uid}:{message.message_id}"
    code = codes.receipt_code(nonce)
    language = message.language if message.language in LANGUAGE_CODES else ""
    language = language or detect_language(f"{message.name} {message.text}") or "en"
    files = [_attachment(name, data) for name, data in message.attachments[:MAX_ATTACHMENTS]]
    values: dict[str, Any] = {
        "channel": channel.kind if channel.kind in Channel.values else Channel.OTHER,
        "reporter_relation": message.relation,
        "language": language,
        "subject_name": message.name,
        "subject_contact_kind": message.contact_kind if message.contact.strip() else "",
        "subject_contact": message.contact,
        "location_text": message.location,
        "text": message.text,
        "danger_signs": list(dict.fromkeys([*message.danger_signs, *signs_in_text(message.text)])),
    }
    request_check(organisation=organisation, **values)
    created = inbox.accept(
        inbox.Submission(
            organisation_id=organisation.pk,
            kind=InboxKind.BOT,
            key=codes.token_digest(nonce),
            code_digest=codes.code_digest(code),
            signature_digest=(
                signing.replay_digest(str(channel.uid), signature) if signature else None
            ),
            payload={
                "request": values,
                "channel": channel.pk,
                "message_id": message.message_id,
                "files": [[name, _b64(data)] for name, data in files],
            },
        )
    )
    return BotAnswer(message.message_id, not created, language, code, _reply(language, code))
