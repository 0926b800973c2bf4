"""Input and output schemas of the intake API (docs/intake-api.md)."""

import datetime
import uuid
from typing import Literal

from ninja import Field, Schema

from lifeline.core.api import InputSchema
from lifeline.intake.forms import MAX_CONTACT, MAX_NAMES, MAX_TEXT

Relation = Literal["self", "family", "friend", "other"]
ContactKind = Literal["", "phone", "wechat", "line", "telegram", "whatsapp", "other"]
Sign = Literal[
    "injured",
    "beaten",
    "electrocution_threat",
    "threatened",
    "locked_in",
    "passport_taken",
    "debt_demanded",
    "about_to_be_moved",
    "other",
]
# Base64 of at most LIFELINE_INTAKE_MAX_PHOTO_MB; the whole body must also stay under
# DATA_UPLOAD_MAX_MEMORY_SIZE (2 MB).
MAX_BASE64 = 12 * 1024 * 1024


class AttachmentIn(InputSchema):
    filename: str = Field("", max_length=255)
    content_base64: str = Field(..., min_length=1, max_length=MAX_BASE64)


class MessageIn(InputSchema):
    # Stored in clear (it makes the call idempotent): printable characters only.
    message_id: str = Field(
        ...,
        min_length=1,
        max_length=200,
        pattern=r"^[^\x00-\x1f\x7f]+$",
        description="The app's own id",
    )
    text: str = Field("", max_length=MAX_TEXT)
    relation: Relation = Field("self", description="Who is writing, to the person in danger")
    name: str = Field("", max_length=MAX_NAMES, description="The person's name(s), any script")
    contact_kind: ContactKind = ""
    contact: str = Field("", max_length=MAX_CONTACT, description="A safe number or handle")
    location: str = Field("", max_length=450)
    danger_signs: list[Sign] = Field([], max_length=9)
    language: str = Field(
        "",
        max_length=12,
        pattern=r"^[A-Za-z0-9-]*$",
        description="A page language code, if known",
    )
    attachments: list[AttachmentIn] = Field([], max_length=3)


class MessageOut(Schema):
    message_id: str
    duplicate: bool = Field(description="True when this message id was already received")
    language: str
    receipt_code: str
    reply: str = Field(description="The text to send back to the sender, in their language")


class ChannelIn(InputSchema):
    name: str = Field(..., min_length=1, max_length=100)
    kind: Literal["telegram", "whatsapp", "line", "signal", "wechat", "other"]


class ChannelOut(Schema):
    uid: uuid.UUID
    name: str
    kind: str
    created_at: datetime.datetime
    revoked_at: datetime.datetime | None


class ChannelSecretOut(ChannelOut):
    secret: str = Field(description="Shown once: store it in the bridge's configuration")


class RefusedOut(Schema):
    detail: str
