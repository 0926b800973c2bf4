"""Thai names: royin romanisation (whole word and by pieces) and passport spellings."""

from __future__ import annotations

import re
from functools import lru_cache

from anyascii import anyascii

from lifeline.people.names.parts import _Part
from lifeline.people.names.scripts import _CACHE, _clean

_THAI_RULES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"^ch", "j"),  # จ is written J on passports (Jaidee), royin writes ch
        (r"(?<=[^aeiou])i$", "ee"),  # long final i: chaidi -> chaidee
        (r"(?<=[^aeiou])u(?=[^aeiou]|$)", "oo"),  # bun -> boon
        (r"ph", "p"),
        (r"th", "t"),
        (r"kh", "k"),
        (r"(?<=[^aeiou])o$", "oh"),
        (r"^w", "v"),  # Wichai / Vichai
    )
)


@lru_cache(maxsize=_CACHE)
def _thai_royin(word: str) -> str:
    from pythainlp.transliterate import romanize as thai_romanize

    try:
        out = thai_romanize(word, engine="royin")
    except Exception:  # noqa: BLE001 - a romaniser bug must not stop a record being saved
        out = ""
    return _clean(out.lower()) or _clean(anyascii(word).lower())


@lru_cache(maxsize=_CACHE)
def _thai_by_pieces(word: str) -> str:
    """royin of each dictionary word inside ``word``, joined.

    royin on the whole word sometimes inserts a linking vowel that is not there
    (ดวงพร "duangaphon"; by pieces "duangphon"), so both forms are kept.
    """
    from pythainlp.tokenize import word_tokenize

    try:
        pieces = word_tokenize(word, engine="newmm", keep_whitespace=False)
    except Exception:  # noqa: BLE001 - fall back to the whole-word romanisation
        return ""
    if len(pieces) < 2:
        return ""
    return "".join(_thai_royin(piece) for piece in pieces)


def _thai_variants(royin: str) -> set[str]:
    """Passport-style spellings of a royin romanisation (chaidi -> jaidee, bunmi -> boonmee)."""
    out = {royin}
    everything = keep_aspirates = royin
    for pattern, repl in _THAI_RULES:
        out.add(pattern.sub(repl, royin))
        everything = pattern.sub(repl, everything)
        if repl not in ("p", "t", "k"):
            keep_aspirates = pattern.sub(repl, keep_aspirates)
    out.add(everything)  # chaidi -> jaidee
    out.add(keep_aspirates)  # thongdi -> thongdee
    return out


@lru_cache(maxsize=_CACHE)
def _thai_part(word: str) -> _Part | None:
    royin = _thai_royin(word)
    if not royin:
        return None
    variants = _thai_variants(royin)
    by_pieces = _thai_by_pieces(word)
    if by_pieces:
        variants |= _thai_variants(by_pieces)
    return _Part(royin, variants, forms=[by_pieces])
