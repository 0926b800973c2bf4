"""Keyed, deterministic randomness: every per-recipient choice comes from HMAC-SHA256 under a key
derived from the organisation's secret, so nobody without the secret can tell which variant a
recipient should hold, and the same secret and set id always give the same variants."""

from __future__ import annotations

import hashlib
import hmac


def derive(key: bytes, *parts: str) -> bytes:
    """A 32-byte sub-key of `key` for the purpose named by `parts`."""
    return hmac.new(key, "\x1f".join(parts).encode(), hashlib.sha256).digest()


class KeyedStream:
    """An HMAC-SHA256 counter-mode byte stream with unbiased integer draws."""

    def __init__(self, key: bytes, label: str) -> None:
        self._key = derive(key, "stream", label)
        self._counter = 0
        self._buffer = b""

    def read(self, n: int) -> bytes:
        while len(self._buffer) < n:
            block = hmac.new(self._key, self._counter.to_bytes(8, "big"), hashlib.sha256)
            self._buffer += block.digest()
            self._counter += 1
        out, self._buffer = self._buffer[:n], self._buffer[n:]
        return out

    def below(self, n: int) -> int:
        """A uniform integer in [0, n)."""
        if n <= 1:
            return 0
        limit = (1 << 64) - ((1 << 64) % n)
        while True:
            value = int.from_bytes(self.read(8), "big")
            if value < limit:
                return value % n

    def permutation(self, n: int) -> list[int]:
        """A uniform permutation of range(n) (Fisher-Yates)."""
        items = list(range(n))
        for i in range(n - 1, 0, -1):
            j = self.below(i + 1)
            items[i], items[j] = items[j], items[i]
        return items
