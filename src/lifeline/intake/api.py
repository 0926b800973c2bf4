"""The intake API: messages from an organisation's messaging bridge, signed with the channel's
secret (docs/intake-api.md), and the management of those channels by org admins."""

import base64
import binascii
import json
from typing import Any

import pydantic
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Router, Status

from lifeline.core.api import READ_ERRORS, WRITE_ERRORS, Uid, requires
from lifeline.core.http import ApiRequest
from lifeline.core.tenancy import scope
from lifeline.intake import selectors, services
from lifeline.intake.inbox import InboxUnavailable, Replayed
from lifeline.intake.models import BotChannel
from lifeline.intake.schemas import (
    ChannelIn,
    ChannelOut,
    ChannelSecretOut,
    MessageIn,
    MessageOut,
    RefusedOut,
)
from lifeline.intake.signing import SignatureRefused

router = Router(tags=["intake"])


@router.post(
    "/intake/messages",
    auth=None,
    response={
        200: MessageOut,
        201: MessageOut,
        400: RefusedOut,
        401: RefusedOut,
        409: RefusedOut,
        422: Any,
        503: RefusedOut,
    },
    summary="A message from the organisation's messaging bridge (HMAC-signed, see the docs)",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {"application/json": {"schema": MessageIn.model_json_schema()}},
        }
    },
)
def message_receive(request: HttpRequest) -> Status[Any]:
    body = request.body
    try:
        channel = services.signed_channel(headers=request.headers, body=body)
    except SignatureRefused as exc:
        return Status(exc.status, {"detail": exc.message})
    try:
        json.loads(body)
    except ValueError:
        return Status(400, {"detail": "Cannot parse request body"})
    try:
        payload = MessageIn.model_validate_json(body)
    except pydantic.ValidationError as exc:
        errors = [
            {"type": e["type"], "loc": ["body", *map(str, e["loc"])], "msg": e["msg"]}
            for e in exc.errors(include_url=False, include_context=False, include_input=False)
        ]
        return Status(422, {"detail": errors})
    try:
        with scope(organisation=channel.organisation):
            answer = services.bot_message_receive(
                channel=channel,
                message=services.BotMessageIn(
                    message_id=payload.message_id,
                    text=payload.text,
                    relation=payload.relation,
                    name=payload.name,
                    contact_kind=payload.contact_kind,
                    contact=payload.contact,
                    location=payload.location,
                    danger_signs=list(payload.danger_signs),
                    language=payload.language,
                    attachments=[
                        _decode(a.filename, a.content_base64) for a in payload.attachments
                    ],
                ),
                signature=request.headers.get("X-Lifeline-Signature", ""),
                request=request,
            )
    except Replayed:
        return Status(409, {"detail": "This signed post was already received (a replay)."})
    except InboxUnavailable:
        return Status(503, {"detail": "Not received: send the message again."})
    return Status(200 if answer.duplicate else 201, answer.__dict__)


def _decode(name: str, content: str) -> tuple[str, bytes]:
    try:
        return name, base64.b64decode(content, validate=True)
    except (binascii.Error, ValueError):
        raise ValidationError({"attachments": ["content_base64 is not valid base64."]}) from None


@router.get(
    "/intake/channels", response={200: list[ChannelOut], **READ_ERRORS}, summary="Bridge channels"
)
@requires("can_manage_channels")
def channel_list(request: ApiRequest) -> list[BotChannel]:
    return list(selectors.channels_of(actor=request.auth))


@router.post(
    "/intake/channels",
    response={201: ChannelSecretOut, **WRITE_ERRORS},
    summary="Add a bridge channel; its secret is in this answer only",
)
@requires("can_manage_channels")
def channel_create(request: ApiRequest, payload: ChannelIn) -> Status:
    channel, secret = services.channel_create(
        actor=request.auth, name=payload.name, kind=payload.kind, request=request
    )
    return Status(201, {**ChannelOut.from_orm(channel).dict(), "secret": secret})


@router.post(
    "/intake/channels/{uid}/secret",
    response={200: ChannelSecretOut, **WRITE_ERRORS},
    summary="Replace a channel's secret; the old one stops working at once",
)
@requires("can_manage_channels")
def channel_new_secret(request: ApiRequest, uid: Uid) -> dict[str, Any]:
    channel = selectors.channel_get(actor=request.auth, uid=uid)
    secret = services.channel_new_secret(actor=request.auth, channel=channel, request=request)
    return {**ChannelOut.from_orm(channel).dict(), "secret": secret}


@router.post(
    "/intake/channels/{uid}/revoke",
    response={200: ChannelOut, **WRITE_ERRORS},
    summary="Revoke a channel: its posts are refused from now on",
)
@requires("can_manage_channels")
def channel_revoke(request: ApiRequest, uid: Uid) -> BotChannel:
    channel = selectors.channel_get(actor=request.auth, uid=uid)
    return services.channel_revoke(actor=request.auth, channel=channel, request=request)
