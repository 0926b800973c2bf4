"""Near-duplicate offers grouped into campaigns: the same template with another salary, city
or handle.

MinHash signatures of word 3-shingles (character 4-shingles for text written without spaces,
as Chinese, Thai, Khmer and Burmese are), with digits masked so that a changed salary or phone
number changes nothing, indexed with locality-sensitive hashing (datasketch). Offers whose
estimated Jaccard similarity reaches ``threshold`` are linked, and linked offers form one
campaign (union-find), so a chain of small edits stays one campaign.
"""

from __future__ import annotations

import re
from collections.abc import Hashable, Iterable
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from datasketch import MinHash

# datasketch (and with it numpy and scipy) is imported where it is used, not by every server
# process that imports the screening app.

from lifeline.screening.signs import fold

K = TypeVar("K", bound=Hashable)

NUM_PERM = 64
THRESHOLD = 0.6
_DIGITS = re.compile(r"\d+")
_WORD = re.compile(r"\w+")


def shingles(text: str) -> set[bytes]:
    folded = _DIGITS.sub("0", fold(text))
    words = _WORD.findall(folded)
    if len(words) >= 8 and sum(map(len, words)) / len(words) < 12:
        grams = {" ".join(words[i : i + 3]) for i in range(len(words) - 2)}
    else:
        joined = "".join(words)
        grams = {joined[i : i + 4] for i in range(max(1, len(joined) - 3))}
    return {gram.encode("utf-8") for gram in grams}


def signature(text: str, *, num_perm: int = NUM_PERM) -> MinHash:
    from datasketch import MinHash

    minhash = MinHash(num_perm=num_perm)
    minhash.update_batch(list(shingles(text)))
    return minhash


def cluster(
    items: Iterable[tuple[K, str]], *, threshold: float = THRESHOLD, num_perm: int = NUM_PERM
) -> list[list[K]]:
    """Group ``(key, text)`` pairs into campaigns; every key is in exactly one group, groups of
    one included, larger groups first."""
    from datasketch import MinHashLSH

    index = MinHashLSH(threshold=threshold, num_perm=num_perm)
    parent: dict[K, K] = {}

    def root(key: K) -> K:
        while parent[key] != key:
            parent[key] = parent[parent[key]]
            key = parent[key]
        return key

    for key, text in items:
        if key in parent:
            continue
        parent[key] = key
        minhash = signature(text, num_perm=num_perm)
        for other in index.query(minhash):
            a, b = root(key), root(other)
            if a != b:
                parent[a] = b
        index.insert(key, minhash)
    groups: dict[K, list[K]] = {}
    for key in parent:
        groups.setdefault(root(key), []).append(key)
    return sorted(groups.values(), key=len, reverse=True)
