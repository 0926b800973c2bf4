"""A canary set: one briefing, one variant per recipient, and everything needed to trace a leak
back to a variant later, without the organisation's secret.

`to_json()` holds the base document, the slots with their signatures, each recipient's choices
and list orders, the text tags and the image keys. It names the recipients by index only; the
caller keeps who index i is. It is as sensitive as the briefing itself: store it encrypted."""

from __future__ import annotations

import copy
import math
from functools import cached_property
from typing import Any

from . import codes, textmark, variations
from .document import Document
from .keyed import derive

FORMAT_VERSION = 1
_KEYS = frozenset(
    {"set_id", "document", "slots", "orders", "choices", "perms", "tags", "image_key", "pilot_key"}
)
MAX_RECIPIENTS = 1000
MIN_SECRET_BYTES = 16


class CanarySet:
    """A loaded canary set. It keeps its stored form and decodes each part on first use, so
    that loading hundreds of sets to trace one leak costs little."""

    def __init__(self, stored: dict[str, Any]) -> None:
        if not isinstance(stored, dict) or stored.get("v") != FORMAT_VERSION:
            raise ValueError("not a canary set in a format this engine knows")
        missing = _KEYS - stored.keys()
        if missing:
            raise ValueError(f"canary set lacks {sorted(missing)}")
        if not {"signatures", "longest", "pair_bits"} <= stored.keys():
            stored = {**stored, **_trace_index(stored)}  # stored before the index was kept
        self._stored = stored
        self.set_id: str = stored["set_id"]

    @cached_property
    def base(self) -> Document:
        return Document.from_dict(self._stored["document"])

    @cached_property
    def slots(self) -> list[variations.Slot]:
        return [variations.Slot.from_json(s) for s in self._stored["slots"]]

    @cached_property
    def orders(self) -> list[variations.ListOrder]:
        return [variations.ListOrder.from_json(o) for o in self._stored["orders"]]

    @cached_property
    def choices(self) -> list[list[int]]:
        return [[ord(c) - 48 for c in row] for row in self._stored["choices"]]

    @cached_property
    def perms(self) -> list[list[list[int]]]:
        return [[list(p) for p in row] for row in self._stored["perms"]]

    @cached_property
    def tags(self) -> list[int]:
        return [int(t, 16) for t in self._stored["tags"]]

    @property
    def image_key(self) -> bytes:
        return bytes.fromhex(self._stored["image_key"])

    @property
    def pilot_key(self) -> bytes:
        return bytes.fromhex(self._stored["pilot_key"])

    @property
    def recipients(self) -> int:
        return len(self._stored["choices"])

    def _check(self, index: int) -> None:
        if not 0 <= index < self.recipients:
            raise IndexError(f"recipient index {index} outside 0..{self.recipients - 1}")

    def visible_document(self, index: int) -> Document:
        """Recipient `index`'s variant without the invisible text mark."""
        self._check(index)
        return variations.apply(
            self.base, self.slots, self.orders, self.choices[index], self.perms[index]
        )

    def document(self, index: int) -> Document:
        """Recipient `index`'s variant, the invisible mark embedded in the title and every line."""
        doc = self.visible_document(index)
        tag = self.tags[index]
        doc.title = textmark.embed(doc.title, tag)
        for section in doc.sections:
            section.lines = [textmark.embed(line, tag) for line in section.lines]
        return doc

    def text(self, index: int) -> str:
        return self.document(index).text()

    def page_png(self, index: int, page: int | None = None) -> bytes:
        """The variant as an image (PNG) carrying recipient `index`'s image mark: its A4 pages
        one below the other, or only page `page` (from 0; see `page_count`)."""
        from . import imagemark

        return imagemark.page_png(self.visible_document(index), self, index, page)

    def page_count(self, index: int) -> int:
        """How many A4 pages variant `index` fills."""
        from . import imagemark

        return imagemark.page_count(self.visible_document(index))

    def mark_image(self, image_bytes: bytes, index: int) -> bytes:
        """`image_bytes` (a photo attached to the briefing) carrying recipient `index`'s image
        mark, re-encoded without its metadata (EXIF, GPS)."""
        from . import imagemark

        self._check(index)
        return imagemark.mark_image(image_bytes, self, index)

    def marks(self, index: int) -> list[str]:
        """What tells variant `index` apart, in words (for the coordinator, never a recipient)."""
        self._check(index)
        out = []
        for order, perm in zip(self.orders, self.perms[index], strict=True):
            names = [self.base.sections[order.section].lines[i] for i in perm]
            shown = "; ".join(names[:6]) + ("; \u2026" if len(names) > 6 else "")
            out.append(f"{order.where}: order {shown}")
        for slot, choice in zip(self.slots, self.choices[index], strict=True):
            out.append(slot.describe(choice))
        out.append(f"Invisible text mark {self.tags[index]:08x} in every line")
        out.append("Imperceptible image mark on the printed page and attached photos")
        return out

    @property
    def capacity_bits(self) -> float:
        """How many bits the visible variations can carry (log2 of the distinct variants)."""
        bits = sum(math.log2(slot.size) for slot in self.slots)
        return bits + sum(order.bits() for order in self.orders)

    def to_json(self) -> dict[str, Any]:
        return copy.deepcopy(self._stored)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CanarySet:
        return cls(data)

    @cached_property
    def text_index(self) -> Any:
        from .trace import TextIndex

        return TextIndex(self)

    @cached_property
    def image_patterns(self) -> Any:
        from .imagemark import payload_patterns

        return payload_patterns(self)


def make_set(doc: Document, recipients: int, secret: bytes, set_id: str) -> CanarySet:
    """A canary set of `recipients` variants of `doc`, keyed by the organisation's `secret`."""
    if not isinstance(recipients, int) or not 1 <= recipients <= MAX_RECIPIENTS:
        raise ValueError(f"recipients must be between 1 and {MAX_RECIPIENTS}")
    if len(secret) < MIN_SECRET_BYTES:
        raise ValueError(f"the secret must hold at least {MIN_SECRET_BYTES} bytes")
    if not set_id:
        raise ValueError("a canary set needs an id")
    key = derive(secret, "canary-set", set_id)
    base = variations.with_landmark_line(doc)
    slots, orders = variations.discover(base)
    choices, perms = codes.assign(
        derive(key, "choices"), [s.size for s in slots], [o.size for o in orders], recipients
    )
    tags: list[int] = []
    for r in range(recipients):
        counter = 0
        while True:
            tag = int.from_bytes(derive(key, "text-tag", str(r), str(counter))[:4], "big")
            if tag not in tags:
                break
            counter += 1
        tags.append(tag)
    stored: dict[str, Any] = {
        "v": FORMAT_VERSION,
        "set_id": set_id,
        "document": base.to_dict(),
        "slots": [slot.to_json() for slot in slots],
        "orders": [order.to_json() for order in orders],
        "choices": ["".join(chr(48 + c) for c in row) for row in choices],
        "perms": perms,
        "tags": [f"{t:08x}" for t in tags],
        "image_key": derive(key, "image").hex(),
        "pilot_key": derive(secret, "canary-image-pilot").hex(),
    }
    return CanarySet({**stored, **_trace_index(stored)})


def _trace_index(stored: dict[str, Any]) -> dict[str, Any]:
    """The tracer's tables, kept in the stored form so that loading a set to trace a leak
    rebuilds nothing: signature -> slot * 8 + alternative, the longest token run to look up,
    and per list, per recipient, the order of every pair of items as one integer (hex)."""
    signatures: dict[str, int] = {}
    longest = 1
    for s, slot in enumerate(stored["slots"]):
        for alt, sigs in enumerate(slot[4]):
            for sig in sigs:
                signatures[sig] = s * 8 + alt
                longest = max(longest, sig.count(" ") + 1)
    for _section, _where, keys in stored["orders"]:
        longest = max([longest] + [k.count(" ") + 1 for k in keys if k])
    pair_bits = [
        [f"{codes.pair_bits(row[j]):x}" for row in stored["perms"]]
        for j in range(len(stored["orders"]))
    ]
    return {"signatures": signatures, "longest": longest, "pair_bits": pair_bits}
