"""Hashing rules of the audit chain, shared by the writer and the verifier."""

import datetime
import hashlib
import json
from typing import Any


def format_time(moment: datetime.datetime) -> str:
    """One spelling of a timestamp, whatever the database returns it as."""
    return moment.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def canonical(value: Any) -> bytes:
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=True, default=str
    ).encode()


def payload_digest(payload: dict[str, Any]) -> str:
    return hashlib.sha256(canonical(payload)).hexdigest()


def row_hash(
    *,
    seq: int,
    prev_hash: str,
    created_at: str,
    organisation_id: int | None,
    actor_id: int | None,
    action: str,
    object_type: str,
    object_id: str,
    session_ref: str,
    payload_digest: str,
) -> str:
    return hashlib.sha256(
        canonical(
            [
                seq,
                prev_hash,
                created_at,
                organisation_id,
                actor_id,
                action,
                object_type,
                object_id,
                session_ref,
                payload_digest,
            ]
        )
    ).hexdigest()
