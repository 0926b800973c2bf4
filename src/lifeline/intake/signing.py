"""The signature on a messaging bridge's post (docs/intake-api.md).

    X-Lifeline-Channel:   the channel's uid
    X-Lifeline-Timestamp: Unix time in seconds when the bridge signed the post
    X-Lifeline-Signature: sha256=<hex HMAC-SHA256(secret, timestamp + "." + raw body)>

The timestamp is inside the signed bytes, so a captured post cannot be given a fresh one; a
post older (or newer) than ``MAX_SKEW`` is stale, and one already accepted is a replay.
"""

import hashlib
import hmac
import time

MAX_SKEW = 300
PREFIX = "sha256="


class SignatureRefused(Exception):
    def __init__(self, message: str, *, status: int = 401) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


def sign(secret: str, timestamp: str, body: bytes) -> str:
    mac = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return PREFIX + mac.hexdigest()


def check(
    *, secret: str, timestamp: str, signature: str, body: bytes, now: float | None = None
) -> None:
    """Raise ``SignatureRefused`` unless ``signature`` is this secret's over the timestamp and
    body, and the timestamp is within ``MAX_SKEW`` seconds of ``now``. The comparison takes the
    same time whatever the signature."""
    if not timestamp.isdigit() or len(timestamp) > 12:
        raise SignatureRefused("The timestamp header is missing or not Unix seconds.")
    if not hmac.compare_digest(sign(secret, timestamp, body), signature):
        raise SignatureRefused("The signature does not match.")
    if abs((now if now is not None else time.time()) - int(timestamp)) > MAX_SKEW:
        raise SignatureRefused("The timestamp is stale: sign each post when you send it.")


def replay_digest(channel_uid: str, signature: str) -> str:
    return hashlib.sha256(f"{channel_uid}:{signature}".encode()).hexdigest()
