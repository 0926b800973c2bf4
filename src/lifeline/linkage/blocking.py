"""Blocking: which pairs of persons are worth comparing at all.

Comparing every pair of an organisation's persons is quadratic; a pair is a candidate when the
two share a contact or a document, or two name parts (any spelling, by phonetic key: 张伟 and
"Wei Zhang" share the keys of zhang and wei), or, for names of one part, that part, or one
name part and the first three letters of another (a misspelt part), or one name part and an
exact date of birth (a badly misspelt given name).

Pure Python over profiles held in memory by the caller; lifeline.linkage.engine groups the
keys into blocks and pairs.
"""

from __future__ import annotations

import itertools

from lifeline.linkage.comparison import Profile

# A block this large is a name so common that it says little: its pairs are left to the
# other keys (contacts, documents, the other name parts). Counted in the run's figures.
MAX_BLOCK = 2000


def blocking_keys(profile: Profile) -> set[str]:
    keys: set[str] = {f"p:{phone}" for phone in profile.phones}
    keys |= {f"h:{handle}" for handle in profile.handles}
    keys |= {f"d:{doc.kind}:{doc.number}" for doc in profile.documents}
    born = profile.birth.earliest.isoformat() if profile.birth and profile.birth.exact else ""
    for name_parts in profile.name_parts:
        parts = [(keys, primary) for _spellings, keys, primary in name_parts]
        if born:
            keys |= {f"b:{born}|{k}" for part, _primary in parts for k in part}
        if len(parts) == 1:
            keys |= {f"n1:{k}" for k in parts[0][0]}
        for (first, first_primary), (second, second_primary) in itertools.combinations(parts, 2):
            keys |= {"n2:" + "|".join(sorted(pair)) for pair in itertools.product(first, second)}
            # One part misspelt after its first three letters.
            keys |= {f"np:{k}|{second_primary[:3]}" for k in first}
            keys |= {f"np:{k}|{first_primary[:3]}" for k in second}
    return keys
