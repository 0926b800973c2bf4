"""Chinese names: surname tables, pinyin, Wade-Giles, Cantonese and ü spellings."""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from anyascii import anyascii

from lifeline.people.names.chinese_tables import _CANTONESE_DATA, _SURNAME_DATA
from lifeline.people.names.parts import _Part
from lifeline.people.names.scripts import _CACHE, _clean


def _parse_surnames() -> tuple[dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    """Surname form -> pinyin syllables; pinyin (joined) -> listed variants."""
    readings: dict[str, tuple[str, ...]] = {}
    extras: dict[str, tuple[str, ...]] = {}
    for line in _SURNAME_DATA.strip().splitlines():
        forms, pinyin, *variants = line.split()
        syllables = tuple(pinyin.split("-"))
        for form in forms.split("/"):
            readings[form] = syllables
            extras[form] = tuple(variants)
    return readings, extras


_SURNAME_READING, _SURNAME_VARIANTS = _parse_surnames()
_COMPOUND_SURNAMES = frozenset(form for form in _SURNAME_READING if len(form) == 2)
_CANTONESE = {
    ch: roman
    for entry in _CANTONESE_DATA.replace("\n", "|").split("|")
    if entry.strip()
    for chars, roman in [entry.split()]
    for ch in chars
}

_PINYIN_INITIALS = ("zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h",
                    "j", "q", "x", "r", "z", "c", "s", "y", "w")  # fmt: skip
_WG_INITIAL = {"b": "p", "d": "t", "g": "k", "j": "ch", "q": "ch", "x": "hs", "zh": "ch",
               "r": "j", "z": "ts", "c": "ts"}  # fmt: skip
_WG_WHOLE = {"zhi": "chih", "chi": "chih", "shi": "shih", "ri": "jih", "zi": "tzu", "ci": "tzu",
             "si": "ssu", "er": "erh", "yan": "yen", "ye": "yeh", "you": "yu", "yi": "i",
             "yong": "yung", "yue": "yueh", "ve": "ueh"}  # fmt: skip
_WG_TO_O = frozenset([("uo", i) for i in "dtnlzcsr"] + [("e", i) for i in "gkh"])  # duo to, ge ko


@lru_cache(maxsize=4096)
def _wade_giles(syllable: str) -> str:
    """Pinyin syllable (no tone, ü as v) to Wade-Giles without apostrophes or umlauts."""
    if syllable in _WG_WHOLE:
        return _WG_WHOLE[syllable]
    initial = next((i for i in _PINYIN_INITIALS if syllable.startswith(i)), "")
    final = syllable[len(initial) :]
    if not final:
        return syllable
    if initial in ("j", "q", "x"):
        final = {"ue": "ueh", "uan": "uan", "un": "un", "u": "u"}.get(final, final)
    if final.endswith("iong"):
        final = final[:-4] + "iung"
    elif final.endswith("ong"):
        final = final[:-3] + "ung"
    elif final == "ian":
        final = "ien"
    elif final in ("ie", "ue", "ve"):
        final += "h"
    elif (final, initial) in _WG_TO_O:
        final = "o"
    elif final == "ui" and initial in ("g", "k"):
        final = "uei"
    return _WG_INITIAL.get(initial, initial) + final


def _u_forms(syllable: str) -> tuple[str, ...]:
    """Pinyin written with v for ü: passports use LYU, older ones LV or LU."""
    if "v" not in syllable:
        return (syllable,)
    return (syllable.replace("v", "yu"), syllable, syllable.replace("v", "u"))


@lru_cache(maxsize=8192)
def _syllable_variants(syllable: str, char: str) -> frozenset[str]:
    """A pinyin syllable of ``char``: ü forms, Wade-Giles, Cantonese if known."""
    out = set(_u_forms(syllable))
    out.update(_u_forms(_wade_giles(syllable)))
    if char in _CANTONESE:
        out.add(_CANTONESE[char])
    return frozenset(s for s in out if s)


@lru_cache(maxsize=_CACHE)
def _pinyin(text: str) -> tuple[str, ...]:
    """Pinyin syllables (ü as v) of a run of Han characters, phrase-aware."""
    from pypinyin import Style, lazy_pinyin

    text = unicodedata.normalize("NFKC", text)
    out = lazy_pinyin(text, style=Style.NORMAL, errors=lambda chars: [anyascii(c) for c in chars])
    syllables = tuple(_clean(s.lower()) for s in out)
    if len(syllables) != len(text):  # errors callback may merge; fall back char by char
        syllables = tuple(_clean(s.lower()) for c in text for s in lazy_pinyin(c)[:1])
    return syllables


def _canonical(syllable: str) -> str:
    return _u_forms(syllable)[0]


@lru_cache(maxsize=_CACHE)
def _han_surname(surname: str) -> _Part:
    surname = unicodedata.normalize("NFKC", surname)
    if surname in _SURNAME_READING:
        syllables = _SURNAME_READING[surname]
        listed = _SURNAME_VARIANTS[surname]
    else:
        syllables = _pinyin(surname)
        listed = ()
    primary = "".join(_canonical(s) for s in syllables)
    variants = set(listed)
    variants.add("".join(syllables))  # ü as v
    variants.add("".join(s.replace("v", "u") for s in syllables))
    variants.add("".join(_wade_giles(s) for s in syllables))
    if len(surname) == 1 and surname in _CANTONESE:
        variants.add(_CANTONESE[surname])
    return _Part(primary, variants)


@lru_cache(maxsize=_CACHE)
def _han_given(given: str) -> _Part:
    """A given name (or any Han run): joined syllables; each syllable is an index extra."""
    given = unicodedata.normalize("NFKC", given)
    syllables = _pinyin(given)
    primary = "".join(_canonical(s) for s in syllables)
    variants = {
        "".join(s.replace("v", "u") for s in syllables),
        "".join(syllables),
        "".join(_wade_giles(s) for s in syllables),
    }
    if all(c in _CANTONESE for c in given):
        variants.add("".join(_CANTONESE[c] for c in given))
    if len(syllables) == 1:
        variants |= _syllable_variants(syllables[0], given)
        return _Part(primary, variants)
    extra_variants: set[str] = set()
    for syllable, char in zip(syllables, given, strict=False):
        extra_variants |= _syllable_variants(syllable, char)
    return _Part(
        primary,
        variants,
        extra_forms=[_canonical(s) for s in syllables],
        extra_variants=extra_variants,
    )


def _han_parts(runs: list[str]) -> list[_Part]:
    """Han runs of one name in order. A 1-4 character name gets surname treatment."""
    total = sum(len(r) for r in runs)
    if not runs:
        return []
    if total <= 4 and len(runs) <= 2:
        if len(runs) == 2 and len(runs[0]) <= 2:
            return [_han_surname(runs[0]), _han_given(runs[1])]
        if len(runs) == 1:
            run = runs[0]
            cut = 2 if len(run) >= 2 and run[:2] in _COMPOUND_SURNAMES else 1
            parts = [_han_surname(run[:cut])]
            if run[cut:]:
                parts.append(_han_given(run[cut:]))
            return parts
    return [_han_given(r) for r in runs]


def _surname_groups() -> dict[str, frozenset[str]]:
    """Latin spelling -> every spelling of every Chinese surname it can stand for."""
    groups: dict[str, set[str]] = {}
    for form in _SURNAME_READING:
        part = _han_surname(form)
        spellings = part.forms | part.variants
        for spelling in spellings:
            groups.setdefault(spelling, set()).update(spellings)
    return {k: frozenset(v) for k, v in groups.items()}


_SURNAME_GROUPS = _surname_groups()
