"""Tracing a leaked text or image back to the variant it came from.

A leaked text is normalised once and cut into token runs; each set then looks its signatures and
list keys up in that table (hash lookups, no scan of the text per set) and scores its recipients
by how many of the observed choices agree with theirs, weighted by the information each carries.
Invisible tags, when they survived, are looked up directly."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import codes, normalise, textmark

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


class TextIndex:
    """Everything a set needs to score a leaked text quickly, built once per loaded set."""

    def __init__(self, cs: CanarySet) -> None:
        self.set_id = cs.set_id
        self.recipients = cs.recipients
        self.slots = cs.slots
        self.signatures: dict[str, tuple[int, int]] = {}
        longest = 1
        for s, slot in enumerate(cs.slots):
            for alt, sigs in enumerate(slot.signatures):
                for sig in sigs:
                    self.signatures[sig] = (s, alt)
                    longest = max(longest, sig.count(" ") + 1)
        self.weights = [math.log2(slot.size) for slot in cs.slots]
        self.by_alt: list[list[list[int]]] = [[[] for _ in slot.names] for slot in cs.slots]
        for r, row in enumerate(cs.choices):
            for s, choice in enumerate(row):
                self.by_alt[s][choice].append(r)
        self.orders = cs.orders
        self.order_weights = [codes.pair_weight(o.size) for o in cs.orders]
        self.ranks: list[list[list[int]]] = []
        for j in range(len(cs.orders)):
            per_recipient = []
            for r in range(cs.recipients):
                rank = [0] * cs.orders[j].size
                for position, item in enumerate(cs.perms[r][j]):
                    rank[item] = position
                per_recipient.append(rank)
            self.ranks.append(per_recipient)
            for key in cs.orders[j].keys:
                if key:
                    longest = max(longest, key.count(" ") + 1)
        self.longest = longest
        self.tags = {tag: r for r, tag in enumerate(cs.tags)}

    def score(self, grams: dict[str, int], tags: Counter[int]) -> list[Match]:
        observed: dict[int, int] = {}
        for sig, (s, alt) in self.signatures.items():
            if sig in grams:
                observed[s] = alt if observed.get(s, alt) == alt else -1
        agree = [0.0] * self.recipients
        evidence = 0.0
        notes: list[list[str]] = [[] for _ in range(self.recipients)]
        for s, alt in observed.items():
            if alt < 0:
                continue  # both alternatives seen: a mixed copy, proves nothing
            weight = self.weights[s]
            evidence += weight
            note = self.slots[s].describe(alt)
            for r in self.by_alt[s][alt]:
                agree[r] += weight
                notes[r].append(note)
        for j, order in enumerate(self.orders):
            found = sorted(
                (grams[key], item) for item, key in enumerate(order.keys) if key and key in grams
            )
            seq = [item for _, item in found]
            pairs = len(seq) * (len(seq) - 1) // 2
            if pairs == 0:
                continue
            weight = self.order_weights[j]
            evidence += weight * pairs
            for r, rank in enumerate(self.ranks[j]):
                ranked = [rank[item] for item in seq]
                concordant = sum(
                    1
                    for a in range(len(ranked))
                    for b in range(a + 1, len(ranked))
                    if ranked[a] < ranked[b]
                )
                agree[r] += weight * concordant
                notes[r].append(f"{order.where}: order ({concordant} of {pairs} pairs as sent)")
        tag_hits = {self.tags[t]: n for t, n in tags.items() if t in self.tags}
        total_tags = sum(tags.values())
        if evidence < MIN_EVIDENCE_BITS and not tag_hits:
            return []
        confidence = evidence / (evidence + EVIDENCE_HALF_BITS) if evidence else 0.0
        matches = []
        for r in range(self.recipients):
            visible = agree[r] / evidence * confidence if evidence else 0.0
            invisible = tag_hits.get(r, 0) / total_tags if total_tags else 0.0
            score = 1 - (1 - visible) * (1 - INVISIBLE_WEIGHT * invisible)
            if score <= 0:
                continue
            matched = list(notes[r])
            if r in tag_hits:
                matched.insert(0, f"invisible text mark ({tag_hits[r]} of {total_tags} lines)")
            matches.append(Match(self.set_id, r, round(score, 6), matched))
        return matches


def rank(matches: list[Match]) -> list[Match]:
    return sorted(matches, key=lambda m: (-m.score, m.set_id, m.index))


def trace_text(leaked: str, sets: Iterable[CanarySet]) -> list[Match]:
    """The recipients whose variant `leaked` matches, best first (only sets with evidence)."""
    indexes = [cs.text_index for cs in sets]
    if not indexes:
        return []
    longest = max(index.longest for index in indexes)
    grams = normalise.ngram_positions(normalise.tokens(leaked), longest)
    tags = Counter(textmark.extract(leaked))
    matches: list[Match] = []
    for index in indexes:
        matches.extend(index.score(grams, tags))
    return rank(matches)


def trace_image(image_bytes: bytes, sets: Iterable[CanarySet]) -> list[Match]:
    """The recipients whose image mark `image_bytes` (a photo or screenshot of a page, or of a
    marked photo) carries, best first."""
    from . import imagemark

    return rank(imagemark.detect(image_bytes, list(sets)))
