"""Per-recipient choices as codewords far apart from each other.

Each recipient's choices (one alternative per slot, one order per list) are drawn from a keyed
stream; among a few keyed candidates, the one farthest from every recipient already served is
kept (greedy max-min distance). Far-apart codewords are what let a text with a third of its lines
missing still point at one recipient: the slots that survive still disagree with everybody else
in several places."""

from __future__ import annotations

import math

from .keyed import KeyedStream

CANDIDATES = 24


def pair_bits(perm: list[int]) -> int:
    """The order of every pair of items (i < j) in a shown order, one bit per pair."""
    rank = [0] * len(perm)
    for position, item in enumerate(perm):
        rank[item] = position
    # Built as a string of digits (pair k at position k), read in one go: far faster than
    # setting the bits of a growing integer one by one.
    digits = "".join(["1" if ri < rj else "0" for i, ri in enumerate(rank) for rj in rank[i + 1 :]])
    return int(digits[::-1], 2) if digits else 0


def pair_weight(size: int) -> float:
    """The information in one pair's order, in bits: log2(m!) spread over m(m-1)/2 pairs."""
    if size < 2:
        return 0.0
    return math.log2(math.factorial(size)) / (size * (size - 1) / 2)


def assign(
    key: bytes, slot_sizes: list[int], list_sizes: list[int], recipients: int
) -> tuple[list[list[int]], list[list[list[int]]]]:
    """The choices and list orders of each recipient, keyed by `key`."""
    offsets, total = [], 0
    for size in slot_sizes:
        offsets.append(total)
        total += size
    weights = [pair_weight(m) for m in list_sizes]
    chosen: list[tuple[int, list[int]]] = []
    all_choices: list[list[int]] = []
    all_perms: list[list[list[int]]] = []
    for r in range(recipients):
        best: tuple[list[int], list[list[int]], int, list[int]] = ([], [], 0, [])
        best_distance = -1.0
        for c in range(CANDIDATES if r else 1):
            stream = KeyedStream(key, f"recipient:{r}:candidate:{c}")
            choices = [stream.below(size) for size in slot_sizes]
            perms = [stream.permutation(m) for m in list_sizes]
            onehot = sum(1 << (offsets[i] + choice) for i, choice in enumerate(choices))
            pairs = [pair_bits(p) for p in perms]
            distance = min(
                (
                    (onehot ^ other).bit_count() / 2
                    + sum(
                        w * (a ^ b).bit_count()
                        for w, a, b in zip(weights, pairs, others, strict=True)
                    )
                    for other, others in chosen
                ),
                default=0.0,
            )
            if distance > best_distance:
                best, best_distance = (choices, perms, onehot, pairs), distance
        choices, perms, onehot, pairs = best
        chosen.append((onehot, pairs))
        all_choices.append(choices)
        all_perms.append(perms)
    return all_choices, all_perms
