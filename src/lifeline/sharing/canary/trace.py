"""Tracing a leaked text or image back to the variant it came from.

A leaked text is normalised once and cut into token runs; each set then looks its signatures and
list keys up in that table (hash lookups, no scan of the text per set) and scores its recipients
by how many of the observed choices agree with theirs, weighted by the information each carries.
Invisible tags, when they survived, are looked up directly."""

from __future__ import annotations

import heapq
import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from . import codes, normalise, textmark, variations

if TYPE_CHECKING:
    from .canaryset import CanarySet

# Evidence (in bits) at which the visible score reaches half its agreement: a set seen through
# one or two common phrases cannot claim a recipient with confidence.
EVIDENCE_HALF_BITS = 4.0
# A set is reported only when at least this much visible evidence, or a tag, points at it.
MIN_EVIDENCE_BITS = 3.0
INVISIBLE_WEIGHT = 0.95


@dataclass
class Match:
    set_id: str
    index: int
    score: float
    matched: list[str] = field(default_factory=list)


@dataclass
class _Observation:
    """What one set saw in a leaked text: slot choices, list orders, tags."""

    slots: list[tuple[int, str, float]]  # slot, alternative (as stored: a character), weight
    orders: list[tuple[int, int, int, int]]  # list, pair mask, pair values, pairs seen
    tags: dict[int, int]  # recipient: lines carrying its tag
    total_tags: int
    evidence: float


class TextIndex:
    """Everything a set needs to score a leaked text, read straight from its stored form (no
    variant is rebuilt): signatures to (slot, alternative), each recipient's choices as a
    string, each list's pair orders as integers."""

    def __init__(self, cs: CanarySet) -> None:
        stored = cs._stored
        self.set_id = cs.set_id
        self.rows: list[str] = stored["choices"]
        self.signatures: dict[str, int] = stored["signatures"]
        self.slots: list[list[Any]] = stored["slots"]
        self.weights = [math.log2(len(slot[2])) for slot in self.slots]
        self.orders: list[list[Any]] = stored["orders"]
        self.keys: list[list[str | None]] = [order[2] for order in self.orders]
        self.pair_hex: list[list[str]] = stored["pair_bits"]
        self.longest: int = stored["longest"]
        self.tags = {int(tag, 16): r for r, tag in enumerate(stored["tags"])}

    def observe(self, grams: dict[str, int], tags: Counter[int]) -> _Observation | None:
        seen: dict[int, int] = {}
        for sig, code in self.signatures.items():
            if sig in grams:
                s, alt = divmod(code, 8)
                seen[s] = alt if seen.get(s, alt) == alt else -1
        evidence = 0.0
        slots = []
        for s, alt in seen.items():
            if alt >= 0:  # both alternatives seen (a mixed copy) proves nothing
                slots.append((s, chr(48 + alt), self.weights[s]))
                evidence += self.weights[s]
        orders = []
        for j, keys in enumerate(self.keys):
            found = sorted(
                (grams[key], item) for item, key in enumerate(keys) if key and key in grams
            )
            seq = [item for _, item in found]
            pairs = len(seq) * (len(seq) - 1) // 2
            if pairs == 0:
                continue
            size = len(keys)
            mask = value = 0
            for a in range(len(seq)):
                for b in range(a + 1, len(seq)):
                    i, k = seq[a], seq[b]
                    low, high = (i, k) if i < k else (k, i)
                    bit = 1 << (low * size - low * (low + 1) // 2 + high - low - 1)
                    mask |= bit
                    if i < k:  # the lower item shown first
                        value |= bit
            orders.append((j, mask, value, pairs))
            evidence += codes.pair_weight(size) * pairs
        tag_hits = {self.tags[t]: n for t, n in tags.items() if t in self.tags}
        if evidence < MIN_EVIDENCE_BITS and not tag_hits:
            return None
        return _Observation(slots, orders, tag_hits, sum(tags.values()), evidence)

    def scores(self, obs: _Observation) -> list[float]:
        """Each recipient's score in [0, 1]: the weighted share of the observed choices that are
        theirs, damped when there is little evidence, raised by their invisible tag."""
        agree = [sum(w for s, alt, w in obs.slots if row[s] == alt) for row in self.rows]
        for j, mask, value, _pairs in obs.orders:
            weight = codes.pair_weight(len(self.keys[j]))
            for r, bits in enumerate(self.pair_hex[j]):
                agree[r] += weight * (~(value ^ int(bits, 16)) & mask).bit_count()
        confidence = obs.evidence / (obs.evidence + EVIDENCE_HALF_BITS) if obs.evidence else 0.0
        out = []
        for r, matched in enumerate(agree):
            visible = matched / obs.evidence * confidence if obs.evidence else 0.0
            invisible = obs.tags.get(r, 0) / obs.total_tags if obs.total_tags else 0.0
            out.append(1 - (1 - visible) * (1 - INVISIBLE_WEIGHT * invisible))
        return out

    def notes(self, obs: _Observation, r: int) -> list[str]:
        """Which observed marks recipient `r`'s variant shares, in words."""
        row = self.rows[r]
        out = []
        if r in obs.tags:
            out.append(f"invisible text mark ({obs.tags[r]} of {obs.total_tags} lines)")
        for s, alt, _w in obs.slots:
            if row[s] == alt:
                kind, where, names = self.slots[s][:3]
                out.append(variations.describe(kind, where, names[ord(alt) - 48]))
        for j, mask, value, pairs in obs.orders:
            same = (~(value ^ int(self.pair_hex[j][r], 16)) & mask).bit_count()
            out.append(f"{self.orders[j][1]}: order ({same} of {pairs} pairs as sent)")
        return out


def rank(matches: list[Match]) -> list[Match]:
    return sorted(matches, key=lambda m: (-m.score, m.set_id, m.index))


def trace_text(leaked: str, sets: Iterable[CanarySet], *, limit: int = 50) -> list[Match]:
    """The recipients whose variant `leaked` matches, best first: at most `limit`, from sets
    with enough evidence, with a score above zero."""
    indexes = [cs.text_index for cs in sets]
    if not indexes:
        return []
    longest = max(index.longest for index in indexes)
    grams = normalise.ngram_positions(normalise.tokens(leaked), longest)
    tags = Counter(textmark.extract(leaked))
    ranked: list[tuple[float, str, int, TextIndex, _Observation]] = []
    for index in indexes:
        obs = index.observe(grams, tags)
        if obs is None:
            continue
        for r, score in enumerate(index.scores(obs)):
            if score > 0:
                ranked.append((-round(score, 6), index.set_id, r, index, obs))
    # Only the best `limit` are named: a partial selection, not a sort of every recipient.
    best = heapq.nsmallest(limit, ranked, key=lambda entry: entry[:3])
    return [
        Match(set_id, r, -negative, index.notes(obs, r)) for negative, set_id, r, index, obs in best
    ]


def trace_image(image_bytes: bytes, sets: Iterable[CanarySet], *, limit: int = 50) -> list[Match]:
    """The recipients whose image mark `image_bytes` (a photo or screenshot of a page, or of a
    marked photo) carries, best first, at most `limit`."""
    from . import imagemark

    return rank(imagemark.detect(image_bytes, list(sets)))[:limit]
