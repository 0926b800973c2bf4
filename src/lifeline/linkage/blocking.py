"""Blocking: which pairs of persons are worth comparing at all.

Comparing every pair of an organisation's persons is quadratic; a pair is a candidate when the
two share a contact or a document, or two name parts (any spelling, by phonetic key: 张伟 and
"Wei Zhang" share the keys of zhang and wei), or, for names of one part, that part.

Pure Python over profiles held in memory by the caller.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Iterable, Iterator, Mapping

from lifeline.linkage.comparison import Profile, name_part_keys

# A block this large is a name so common that it says little: its pairs are left to the
# other keys (contacts, documents, the other name parts). Counted in the run's figures.
MAX_BLOCK = 2000


def blocking_keys(profile: Profile) -> set[str]:
    keys: set[str] = {f"p:{phone}" for phone in profile.phones}
    keys |= {f"h:{handle}" for handle in profile.handles}
    keys |= {f"d:{doc.kind}:{doc.number}" for doc in profile.documents}
    for name in profile.names:
        parts = name_part_keys(name)
        if len(parts) == 1:
            keys |= {f"n1:{k}" for k in parts[0]}
        for first, second in itertools.combinations(parts, 2):
            keys |= {"n2:" + "|".join(sorted(pair)) for pair in itertools.product(first, second)}
    return keys


def candidate_pairs(
    profiles: Mapping[int, Profile], *, max_block: int = MAX_BLOCK
) -> tuple[set[tuple[int, int]], int]:
    """(pairs of ids, the lower first; how many blocks were too large and skipped)."""
    blocks: dict[str, list[int]] = defaultdict(list)
    for person_id, profile in profiles.items():
        for key in blocking_keys(profile):
            blocks[key].append(person_id)
    pairs: set[tuple[int, int]] = set()
    skipped = 0
    for members in blocks.values():
        if len(members) < 2:
            continue
        if len(members) > max_block:
            skipped += 1
            continue
        pairs.update(_pairs(members))
    return pairs, skipped


def _pairs(members: Iterable[int]) -> Iterator[tuple[int, int]]:
    yield from itertools.combinations(sorted(set(members)), 2)
