"""The phonetic key: a coarse key on which transliteration variants of one name collide."""

from __future__ import annotations

import re
from functools import lru_cache

from lifeline.people.names.scripts import _CACHE, _check, _clean, _normalise_latin

# Ordered rewrites. Aim: transliterations of one sound collide (royin "chaidi" and passport
# "jaidee"; "somchai"/"somchay"; Burmese "Htun"/"Tun", "Oo"/"U", "Zar"/"Za"; Indonesian old
# spelling "Soekarno"/"Sukarno", "Djoko"/"Joko"), while different names stay apart ("zhang" is
# "jang", "wang" stays "wang"; "somchai" is "somjai", "somsak" stays "somsak").
_KEY_RULES: tuple[tuple[str, re.Pattern[str], str], ...] = tuple(
    (trigger, re.compile(pattern), repl)  # a rule only runs when its trigger is in the token
    for trigger, pattern, repl in (
        ("sch", r"sch", "s"),
        ("tch", r"tch", "j"),
        ("dj", r"dj", "j"),
        ("tj", r"tj", "c"),
        ("h", r"zh|ch|jh", "j"),
        ("h", r"sh|hs", "s"),
        ("h", r"ph", "p"),
        ("h", r"th", "t"),
        ("h", r"kh", "k"),
        ("h", r"gh", "g"),
        ("h", r"bh", "b"),
        ("h", r"dh", "d"),
        ("t", r"ts|tz", "z"),
        ("x", r"x", "s"),
        ("q", r"q(?=i)", "j"),
        ("q", r"qu", "kw"),
        ("q", r"q", "k"),
        ("ck", r"ck", "k"),
        ("v", r"v", "w"),
        ("y", r"(?<=[aeiou])y(?![aeiou])", "i"),
        ("h", r"^h(?=[^aeiouy])", ""),
        ("ee", r"ee", "i"),
        ("oo", r"oo", "u"),
        ("oe", r"oe(?=[^aeiouy])", "u"),
        ("ae", r"ae", "e"),
        ("h", r"(?<=[aeiou])h(?![aeiou])", ""),
        ("r", r"(?<=[aeiou])r(?![aeiouy])", ""),
        ("", r"(.)\1+", r"\1"),
    )
)


def phonetic_key(token: str) -> str:
    """A deliberately coarse key so that transliteration variants of one name collide."""
    _check(token)
    return _phonetic_key(token)


@lru_cache(maxsize=_CACHE * 4)
def _phonetic_key(token: str) -> str:
    s = _clean(_normalise_latin(token))
    for trigger, pattern, repl in _KEY_RULES:
        if trigger in s:
            s = pattern.sub(repl, s)
    return s
