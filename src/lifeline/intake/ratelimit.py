"""Fixed-window rate limits for the public pages, per address and overall, on Django's cache.

Addresses are keyed by a keyed hash, so the cache never holds one in clear. With the default
local-memory cache each server process counts on its own: the real limit is the configured one
times the number of processes (``lifeline serve --workers``), which still stops a flood; a
shared cache (Redis, Memcached) makes the count exact.
"""

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

from lifeline.accounts.addresses import client_address
from lifeline.core.crypto import blind_index


def _hit(key: str, limit: int, window: int) -> bool:
    """Count one hit on ``key``; True while the count stays within ``limit``."""
    bucket = f"intake-rate:{key}:{int(time.time()) // window}"
    if cache.add(bucket, 1, timeout=window + 5):
        return limit >= 1
    try:
        return cache.incr(bucket) <= limit
    except ValueError:  # expired between add and incr
        cache.add(bucket, 1, timeout=window + 5)
        return True


def allow(request: HttpRequest, *, kind: str) -> bool:
    """Whether one more submission of ``kind`` from ``request``'s address may go through.
    The overall count is taken first, so a flood from many addresses is stopped as a whole."""
    window = settings.LIFELINE_INTAKE_RATE_WINDOW
    if not _hit(f"{kind}:all", settings.LIFELINE_INTAKE_RATE_OVERALL, window):
        return False
    address = blind_index(client_address(request) or "-", purpose="intake.address")
    return _hit(f"{kind}:{address}", settings.LIFELINE_INTAKE_RATE_PER_ADDRESS, window)
