"""Writing to the audit log. Every service that changes state calls ``audit_log`` inside its
own transaction, so the change and its record commit or roll back together."""

import hashlib
import re
from collections.abc import Collection, Iterator
from typing import Any

from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone

from lifeline.audit import chain
from lifeline.audit.models import AuditChainHead, AuditEvent

ACTION_CODE = re.compile(r"^[a-z_]+(\.[a-z_]+){2,}$")
SECRET_KEYS = re.compile(r"pass|secret|token|key|otp", re.IGNORECASE)
MAX_PAYLOAD_STRING = 48


class AuditPayloadError(ValueError):
    pass


def _clean_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """Mask secret-looking keys and refuse values that look like free text.

    Payloads carry field names, ids and codes; a long string or one with spaces is almost
    always personal data leaking in, so it is rejected loudly rather than stored.
    """
    cleaned: dict[str, Any] = {}
    for key, value in payload.items():
        if SECRET_KEYS.search(key):
            cleaned[key] = "***"
            continue
        values = value if isinstance(value, list | tuple) else [value]
        for item in values:
            if isinstance(item, str) and (
                len(item) > MAX_PAYLOAD_STRING or any(c.isspace() for c in item)
            ):
                raise AuditPayloadError(f"audit payload {key!r} looks like free text")
            if not isinstance(item, str | int | float | bool | type(None)):
                raise AuditPayloadError(f"audit payload {key!r} must hold scalars")
        cleaned[key] = list(value) if isinstance(value, list | tuple) else value
    return cleaned


def session_ref_for(request: HttpRequest | None) -> str:
    """A stable, non-reversible reference to the session or API token behind a request."""
    if request is None:
        return ""
    token = getattr(request, "api_token", None)
    if token is not None:
        return f"api:{token.lookup}"
    session_key = getattr(getattr(request, "session", None), "session_key", None)
    if session_key:
        return "s:" + hashlib.sha256(session_key.encode()).hexdigest()[:24]
    return ""


@transaction.atomic
def audit_log(
    *,
    actor: Any,
    organisation: Any,
    action: str,
    obj: models.Model | None = None,
    payload: dict[str, Any] | None = None,
    request: HttpRequest | None = None,
    session_ref: str | None = None,
) -> AuditEvent:
    """Append one event to the chain.

    Locks the chain head row (``select_for_update``; SQLite serialises writers anyway) so that
    concurrent appends get consecutive sequence numbers. Must run inside the caller's
    transaction when it records a change, so the record and the change commit together.
    """
    if not ACTION_CODE.match(action):
        raise ValueError(
            f"audit action {action!r} must be a namespaced code like 'cases.case.created'"
        )
    body = _clean_payload(payload or {})
    # The row is created by a migration; get_or_create only matters after a test flush.
    head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
    created_at = timezone.now()
    event = AuditEvent(
        seq=head.seq + 1,
        created_at=created_at,
        organisation=organisation,
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        session_ref=session_ref if session_ref is not None else session_ref_for(request),
        payload=body,
        payload_digest=chain.payload_digest(body),
        prev_hash=head.hash,
    )
    event.hash = chain.row_hash(
        seq=event.seq,
        prev_hash=event.prev_hash,
        created_at=chain.format_time(created_at),
        organisation_id=event.organisation_id,
        actor_id=event.actor_id,
        action=event.action,
        object_type=event.object_type,
        object_id=event.object_id,
        session_ref=event.session_ref,
        payload_digest=event.payload_digest,
    )
    event.save(force_insert=True)
    head.seq, head.hash = event.seq, event.hash
    head.save(update_fields=["seq", "hash"])
    return event


def audit_view(
    *,
    actor: Any,
    organisation: Any,
    obj: models.Model,
    request: HttpRequest | None = None,
    payload: dict[str, Any] | None = None,
) -> AuditEvent:
    """Record that ``actor`` looked at ``obj`` (and, in ``payload``, the ids of other records
    the page showed): every view of personal data is audited (DESIGN.md safety rule 3)."""
    return audit_log(
        actor=actor,
        organisation=organisation,
        obj=obj,
        request=request,
        payload=payload,
        action=f"{obj._meta.app_label}.{obj._meta.model_name}.viewed",
    )


SCRUBBED = "scrubbed_by"


def _references(payload: dict[str, Any]) -> Iterator[tuple[str, Any]]:
    """(model name, id) pairs a payload points at, from keys like ``person_id`` or ``case_ids``."""
    for key, value in payload.items():
        for suffix in ("_ids", "_id"):
            if key.endswith(suffix):
                model = key.removesuffix(suffix)
                for item in value if isinstance(value, list) else [value]:
                    yield model, item
                break


def scrub_payloads(
    *, organisation: Any, objects: Collection[models.Model], erasure: AuditEvent
) -> int:
    """Replace the payload of every event of ``organisation`` that is about one of ``objects``
    or names one of their ids with a marker pointing at ``erasure`` (STYLE.md rule 12).

    The chain hashes each payload's digest, not the payload, so ``audit verify`` still passes:
    it accepts a marker that points at a later erasure event in place of the payload.
    Returns how many payloads were scrubbed.
    """
    by_label = {(obj._meta.label_lower, str(obj.pk)) for obj in objects}
    by_name = {(obj._meta.model_name, obj.pk) for obj in objects}
    marker = {SCRUBBED: erasure.seq}
    scrubbed = []
    rows = AuditEvent.objects.filter(organisation=organisation, seq__lt=erasure.seq).values_list(
        "pk", "object_type", "object_id", "payload"
    )
    for pk, object_type, object_id, payload in rows.iterator(chunk_size=5000):
        if not payload or SCRUBBED in payload:
            continue
        if (object_type, object_id) in by_label or any(
            ref in by_name for ref in _references(payload)
        ):
            scrubbed.append(pk)
    for start in range(0, len(scrubbed), 1000):
        AuditEvent.objects.filter(pk__in=scrubbed[start : start + 1000]).update(payload=marker)
    return len(scrubbed)
