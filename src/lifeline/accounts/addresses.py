"""The address a login attempt came from, for the per-address lockout."""

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str | None:
    """REMOTE_ADDR, or behind Lifeline's own reverse proxy (LIFELINE_BEHIND_PROXY) the address
    that proxy appended last to X-Forwarded-For: entries before it are the client's to forge,
    and REMOTE_ADDR would be the proxy's, which would lock everybody out at once."""
    if settings.LIFELINE_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if hops:
            return hops[-1]
    address = request.META.get("REMOTE_ADDR")
    return str(address) if address else None
