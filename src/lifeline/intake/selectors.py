"""Reads of the public pages. They run with no member behind them, inside the scope of the
organisation the pages serve (LIFELINE_INTAKE_ORGANISATION), and reach nothing outside intake
but that organisation's row."""

import time
from typing import Any
from uuid import UUID

from django.conf import settings
from django.db import connection
from django.db.models import QuerySet
from django.http import Http404

from lifeline.accounts.models import Membership, Organisation
from lifeline.cases.models import Request
from lifeline.core.tenancy import scopes_disabled
from lifeline.intake.models import BotChannel, BotMessage, CheckIn, InboxEntry, Receipt
from lifeline.sites.models import Site

# The public page stays small: a few hundred names at most.
MAX_COMPOUND_SUGGESTIONS = 300

_remembered: dict[str, tuple[float, Organisation | None]] = {}


def intake_organisation() -> Organisation | None:
    """The organisation whose public pages these are, or None when none is configured (the
    pages then answer 404).

    A server process remembers it for LIFELINE_INTAKE_ORGANISATION_CACHE seconds: a public
    submission then needs no database query before its inbox commit (on SQLite, not even a
    connection)."""
    slug = settings.LIFELINE_INTAKE_ORGANISATION
    if not slug:
        return None
    ttl = settings.LIFELINE_INTAKE_ORGANISATION_CACHE
    remembered = _remembered.get(slug)
    if ttl and remembered is not None and time.monotonic() - remembered[0] < ttl:
        return remembered[1]
    organisation = Organisation.objects.filter(slug=slug).first()
    if ttl:
        _remembered[slug] = (time.monotonic(), organisation)
    return organisation


def receipt_by_token(*, organisation: Organisation, digest: str) -> Receipt | None:
    return (
        Receipt.objects.filter(organisation=organisation, token_digest=digest)
        .select_related("request")
        .first()
    )


def receipt_by_code(*, organisation: Organisation, digest: str) -> Receipt | None:
    return (
        Receipt.objects.filter(organisation=organisation, code_digest=digest)
        .select_related("request")
        .first()
    )


def inbox_key_by_code(*, organisation: Organisation, digest: str) -> str | None:
    """The key of the pending inbox entry whose receipt code has ``digest``, if any: a check-in
    may come before the drainer made the entry's request."""
    return (
        InboxEntry.objects.filter(
            organisation=organisation, code_digest=digest, drained_at__isnull=True
        )
        .values_list("key", flat=True)
        .first()
    )


def checkins_of_request(*, req: Request) -> list[CheckIn]:
    """The check-ins of a request the caller has already authorised (cases.selectors)."""
    return list(CheckIn.objects.filter(organisation_id=req.organisation_id, request=req))


def has_duress_word(*, req: Request) -> bool:
    return (
        Receipt.objects.filter(organisation_id=req.organisation_id, request=req)
        .exclude(duress_digest="")
        .exists()
    )


def channels_of(*, actor: Membership) -> QuerySet[BotChannel]:
    if not actor.has("can_manage_channels"):
        return BotChannel.objects.none()
    return BotChannel.objects.filter(organisation=actor.organisation)


def channel_get(*, actor: Membership, uid: UUID | str) -> BotChannel:
    """One of the actor's organisation's channels, or 404 (another organisation's or none)."""
    try:
        return BotChannel.objects.get(organisation=actor.organisation, uid=str(UUID(str(uid))))
    except (ValueError, BotChannel.DoesNotExist):
        raise Http404 from None


# Signed posts come in bursts from a few bridges, and building the ORM query was nearly all of
# a post's channel lookup (1.4 ms). A server process keeps each channel it has loaded and checks
# it on every post against its row's current state (id, revocation, encrypted secret) with one
# small query, so a revoke or a new secret still takes effect at the very next post. The
# channel's organisation (its phone region checks the message) is read again as often as the
# public pages' (LIFELINE_INTAKE_ORGANISATION_CACHE).
_channels: dict[str, tuple[tuple[Any, ...], float, BotChannel]] = {}


def _channel_state(key: str) -> tuple[Any, ...] | None:
    meta = BotChannel._meta
    quote = connection.ops.quote_name
    column = {field.name: str(field.column) for field in meta.concrete_fields}
    uid = meta.get_field("uid").get_db_prep_value(UUID(key), connection)
    selected = ", ".join(quote(column[name]) for name in ("id", "revoked_at", "secret"))
    # Names from the model, the value a parameter.
    sql = f"SELECT {selected} FROM {quote(meta.db_table)} WHERE {quote(column['uid'])} = %s"  # noqa: S608  # nosec B608
    with connection.cursor() as cursor:
        cursor.execute(sql, [uid])
        row = cursor.fetchone()
    return tuple(row) if row is not None else None


def channel_for_signature(*, uid: str) -> BotChannel | None:
    """The active channel a signed post names, whatever its organisation: the signature, not a
    login, says who is posting. The caller opens that organisation's scope afterwards."""
    try:
        key = str(UUID(uid))
    except ValueError:
        return None
    state = _channel_state(key)
    if state is None or state[1] is not None:  # unknown or revoked
        _channels.pop(key, None)
        return None
    remembered = _channels.get(key)
    ttl = settings.LIFELINE_INTAKE_ORGANISATION_CACHE
    if remembered is not None and remembered[0] == state and time.monotonic() - remembered[1] < ttl:
        return remembered[2]
    with scopes_disabled():
        channel = (
            BotChannel.objects.filter(uid=key, revoked_at__isnull=True)
            .select_related("organisation")
            .first()
        )
    if channel is not None and ttl:
        _channels[key] = (state, time.monotonic(), channel)
    return channel


def bot_message_get(*, channel: BotChannel, message_id: str) -> BotMessage | None:
    return BotMessage.objects.filter(
        organisation_id=channel.organisation_id, channel=channel, message_id=message_id
    ).first()


def public_compound_names(*, organisation: Organisation) -> list[str]:
    """The names and aliases of the organisation's sites a coordinator chose to suggest on the
    public form (``Site.suggest_publicly``), and nothing else about them: every other site
    stays unknown to the public page."""
    names: dict[str, None] = {}
    rows = (
        Site.objects.filter(organisation=organisation, suggest_publicly=True)
        .order_by("name", "pk")
        .values_list("name", "aliases")
    )
    for name, aliases in rows:
        for value in [name, *aliases]:
            names.setdefault(value, None)
    return sorted(names, key=str.casefold)[:MAX_COMPOUND_SUGGESTIONS]
