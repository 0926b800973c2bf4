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
    for spelling in _thai_by_syllables(word):
        variants |= _thai_variants(spelling)
    return _Part(royin, variants, forms=[by_pieces])


# --------------------------------------------------------------------------------------------
# Syllable rules: implicit vowels and finals that royin drops or garbles in names
# --------------------------------------------------------------------------------------------

# RTGS initial and final sound of each consonant, as "consonant:initial:final" ("-": none).
_CONSONANT_SOUNDS = """
ก:k:k ข:kh:k ฃ:kh:k ค:kh:k ฅ:kh:k ฆ:kh:k ง:ng:ng จ:ch:t ฉ:ch:t
ช:ch:t ซ:s:t ฌ:ch:t ญ:y:n ฎ:d:t ฏ:t:t ฐ:th:t ฑ:th:t ฒ:th:t
ณ:n:n ด:d:t ต:t:t ถ:th:t ท:th:t ธ:th:t น:n:n บ:b:p ป:p:p
ผ:ph:p ฝ:f:f พ:ph:p ฟ:f:p ภ:ph:p ม:m:m ย:y:i ร:r:n ล:l:n
ว:w:o ศ:s:t ษ:s:t ส:s:t ห:h:- ฬ:l:n อ:-:- ฮ:h:-
"""
_INITIAL = {c: i for c, i, _ in (e.split(":") for e in _CONSONANT_SOUNDS.split())}
_FINAL = {c: f for c, _, f in (e.split(":") for e in _CONSONANT_SOUNDS.split())}
_THAI_CONS = "\u0e01-\u0e2e"
_SILENT_RE = re.compile(f"[{_THAI_CONS}][\u0e34\u0e38]?\u0e4c")  # การันต์: ศักดิ์, พงษ์
_TONE_RE = re.compile("[\u0e48-\u0e4b]")
_RORAN_RE = re.compile(f"รร(?=[{_THAI_CONS}])")  # วรรณ = wan
_BARE_RE = re.compile(f"[{_THAI_CONS}]{{1,2}}")  # no written vowel: ทร, ธน, พล
# two consonants, then a vowel written after the second: อนุ = a-nu, จนา = cha-na
_LEADING_A_RE = re.compile(f"([{_THAI_CONS}])([{_THAI_CONS}])([\u0e30-\u0e39\u0e47].*)")
_OE_RE = re.compile(f"เ([{_THAI_CONS}])ร?\u0e34([{_THAI_CONS}])")  # เสริฐ = soet / sert
_LINKED_PREFIXES = {"ธน": "thana", "วร": "wora"}  # read with a linking vowel before a syllable
_PASSPORT_FINALS = {"ช": "ch", "จ": "ch", "ล": "l"}  # passports keep them: Piyanuch, Thanapol
_LINKING_FINALS = "ฐธฒภศษฆฑ"  # Pali finals that link with "a": ณัฐพล = nat-tha-phon


def _initial(consonant: str) -> str:
    sound = _INITIAL.get(consonant, "")
    return "" if sound == "-" else sound


def _final(consonant: str) -> str:
    sound = _FINAL.get(consonant, "")
    return "" if sound == "-" else sound


def _syllable_forms(syllable: str, *, last: bool) -> tuple[list[str], bool]:
    """Spellings of one written syllable, and whether a Thai rule royin gets wrong applied.

    Returns ([], False) when no rule applies (royin of the syllable is used then).
    """
    s = _TONE_RE.sub("", _SILENT_RE.sub("", syllable))
    if "\u0e31" in s and re.search(f"\u0e31[{_THAI_CONS}]{{2}}$", s):
        s = s[:-1]  # จันทร์: ร์ is silent, and so is the ท before it
    rule = "รร" in s
    if s.endswith("รร"):
        s = s[:-2] + "\u0e31น"
    s = _RORAN_RE.sub("\u0e31", s)  # วรรณ = wan
    if s[-1:] in ("ญ", "ณ") and len(s) > 1:
        s, rule = s[:-1] + "น", True  # กาญ = kan, not royin "kay"
    if not s:
        return [""], False
    if _BARE_RE.fullmatch(s):
        if len(s) == 1:
            return (["a"], True) if s == "อ" and not last else ([], False)  # อ-ดุล = a-dun
        forms = [_initial(s[0]) + "o" + _final(s[1])]  # ทร = thon, พล = phon
        if s[1] in _PASSPORT_FINALS:
            forms.append(forms[0][:-1] + _PASSPORT_FINALS[s[1]])  # พล = phol
        if not last and s in _LINKED_PREFIXES:
            forms.append(_LINKED_PREFIXES[s])  # ธนพล = thana-phon
        return forms, last or len(forms) > 1
    if m := _OE_RE.fullmatch(s):
        head, tail = _initial(m[1]), _final(m[2])
        return [head + "oe" + tail, head + "er" + tail], True
    m = _LEADING_A_RE.fullmatch(s)
    if (
        m
        and m[1] != m[2]  # กิตติ: the first ต closes the syllable before
        and (m[2] not in "รลว" or m[1] == "อ")  # กร, พล, กว are clusters; อรุณ is a-run
        and m[1] not in "หส"  # หนู, สวัสดิ์: ห is silent, สว is a cluster
        and (m[1], m[2]) != ("อ", "ย")  # อยู่: อ is silent
    ):
        return [_initial(m[1]) + "a" + _thai_royin(m[2] + m[3])], True
    form = _thai_royin(s)
    if len(s) > 1 and s[-1] in _PASSPORT_FINALS and form.endswith(_FINAL[s[-1]]):
        return [form, form[:-1] + _PASSPORT_FINALS[s[-1]]], True  # นุช = nut / nuch
    if not last and syllable[-1:] in _LINKING_FINALS:
        return [form, form + _initial(syllable[-1]) + "a"], True  # ณัฐพล = nat-tha-phon
    return [form], rule


@lru_cache(maxsize=_CACHE)
def _thai_by_syllables(word: str) -> frozenset[str]:
    """Spellings built syllable by syllable where royin drops implicit vowels.

    สุนทร is "suntn" in royin, "sunthon" here (passport Sunthorn); กาญจนา "kanchana";
    ณัฐพล "natphon" and "natthaphon"; อนุชา "anucha"; สุวรรณ "suwan". Only when one of these
    rules applied, so every other word keeps exactly the spellings it had.
    """
    from pythainlp.tokenize import syllable_tokenize

    try:
        syllables = syllable_tokenize(word, engine="dict", keep_whitespace=False)
    except Exception:  # noqa: BLE001 - the royin spellings are still indexed
        return frozenset()
    if not syllables or "".join(syllables) != word:
        return frozenset()
    combos = [""]
    applied = False
    for i, syllable in enumerate(syllables):
        forms, rule = _syllable_forms(syllable, last=i == len(syllables) - 1)
        applied = applied or rule
        combos = [c + f for c in combos for f in forms or [_thai_royin(syllable)]][:8]
    if not applied:
        return frozenset()
    return frozenset(_clean(c) for c in combos if _clean(c))
