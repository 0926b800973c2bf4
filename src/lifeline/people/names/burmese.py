"""Burmese names: Zawgyi conversion, syllables, usual name spellings, rule-based romanisation."""

from __future__ import annotations

import re
import warnings
from functools import lru_cache
from itertools import pairwise

from anyascii import anyascii

from lifeline.people.names.parts import _Part
from lifeline.people.names.scripts import _CACHE, _clean

_MY_ASAT, _MY_VIRAMA, _MY_DOT, _MY_VISARGA = "\u103a", "\u1039", "\u1037", "\u1038"
_MY_MEDIALS = "\u103b\u103c\u103d\u103e"
_MY_VOWELS = "\u102b\u102c\u102d\u102e\u102f\u1030\u1031\u1032\u1036"


def _my_is_base(ch: str) -> bool:
    return "\u1000" <= ch <= "\u102a" or ch == "\u103f" or "\u104c" <= ch <= "\u104f"


_MY_ONSET = {"က": "k", "ခ": "kh", "ဂ": "g", "ဃ": "g", "င": "ng", "စ": "s", "ဆ": "hs", "ဇ": "z",
             "ဈ": "z", "ဉ": "ny", "ည": "ny", "ဋ": "t", "ဌ": "ht", "ဍ": "d", "ဎ": "d", "ဏ": "n",
             "တ": "t", "ထ": "ht", "ဒ": "d", "ဓ": "d", "န": "n", "ပ": "p", "ဖ": "ph", "ဗ": "b",
             "ဘ": "b", "မ": "m", "ယ": "y", "ရ": "y", "လ": "l", "ဝ": "w", "သ": "th", "ဟ": "h",
             "ဠ": "l", "အ": "", "ဿ": "th"}  # fmt: skip
_MY_ONSET_Y = {"က": "ky", "ခ": "ch", "ဂ": "gy", "င": "ny", "ပ": "py", "ဖ": "phy", "ဗ": "by",
               "ဘ": "by", "မ": "my", "လ": "ly", "န": "ny"}  # fmt: skip
_MY_INDEPENDENT = {"ဣ": "i", "ဤ": "i", "ဥ": "u", "ဦ": "u", "ဧ": "ay", "ဩ": "aw", "ဪ": "aw",
                   "၌": "hnik", "၍": "ywe", "၎": "la", "၏": "i"}  # fmt: skip
_MY_FINAL_CLASS = {"က": "k", "ဂ": "k", "င": "ng", "စ": "c", "ဇ": "c", "ည": "ny", "ဉ": "nyn",
                   "ဋ": "t", "ဍ": "t", "ဏ": "n", "တ": "t", "ထ": "t", "ဒ": "t", "ဓ": "t", "န": "n",
                   "ပ": "t", "ဗ": "t", "ဘ": "t", "မ": "n", "ယ": "y", "လ": "n", "သ": "t"}  # fmt: skip

# Common name syllables in the spelling Burmese people use in passports and on Facebook.
# Value: the usual spelling first, other frequent spellings after.
_MY_NAME_DATA = """
အောင် aung|ကျော် kyaw|သန့် thant|သန်း than|ဇင် zin|ထက် htet|ဝင်း win|မြင့် myint|လှ hla
မြ mya|စု su suu|သူ thu|နိုင် naing|ဦး u oo|ခင် khin|ထွန်း tun htun|စိုး soe|မင်း min minn
ဇော် zaw|ငြိမ်း nyein|မောင် maung|ကို ko|မ ma|ဒေါ် daw|နော် naw|စော saw|သိန်း thein|ဆန်း san
ကြည် kyi|ဖြိုး phyo pyo|မျိုး myo|ပြည့် pyae pyi|ဖြူ phyu|မိုး moe|အေး aye|ခိုင် khaing
ဝေ wai way|ရွှေ shwe|နွယ် nwe|ချစ် chit|လင်း lin|ဟိန်း hein|ထူး htoo htu|ဇာ zar|မာ mar|တာ tar
နု nu|ညွန့် nyunt|ဌေး htay|ထွေး htwe|မြတ် myat|ဖုန်း phone|ပိုင် paing|ရဲ ye|ရင့် yint
ကောင်း kaung|သက် thet|သော် thaw|ဟန် han|ယု yu|ရီ yi yee|သဲ thae|ဝတ် wut|ရည် yi ye|ဖူး phoo
လွင် lwin|ညို nyo|ထိုက် htike|ဆွေ swe|အိ ei|ဆု hsu su|ဇေ zay|ယဉ် yin|မေ may|လေး lay|ဝါ wah
ပန်း pan|တင် tin|တင့် tint|ညီ nyi|ထား htar|နှင်း hnin|နီ ni nee|သင်း thin|ခိုင့် khaing
ဘ ba|ဗ ba|ရ ya|ခ kha|နေ nay|ရေ ye|ဆွဲ swe|ပွင့် pwint|သီ thi|ဒါ dar|ယမင်း yamin|သော thaw
စန်း san|ငွေ ngwe|မြို့ myo|ရွှန်း shun|ကြူ kyu|အိမ့် eaint|နန်း nan|ဖြိုး phyo|လွန်း lun
"""


def _my_components(syllable: str) -> tuple[str, str, str, str, bool, bool]:
    """(onset, medials, vowels, final, dot_below, visarga), each sorted so order never matters."""
    onset = syllable[0]
    medials: list[str] = []
    vowels: list[str] = []
    final = ""
    dot = visarga = False
    chars = syllable[1:]
    for i, ch in enumerate(chars):
        if ch in _MY_MEDIALS:
            medials.append(ch)
        elif ch in _MY_VOWELS:
            vowels.append(ch)
        elif ch == _MY_DOT:
            dot = True
        elif ch == _MY_VISARGA:
            visarga = True
        elif _my_is_base(ch):
            rest = chars[i + 1 :].replace(_MY_DOT, "")
            if rest[:1] in (_MY_ASAT, _MY_VIRAMA):
                final = ch
    return onset, "".join(sorted(medials)), "".join(sorted(vowels)), final, dot, visarga


def _my_canonical(syllable: str) -> str:
    onset, medials, vowels, final, dot, visarga = _my_components(syllable)
    return (
        onset
        + medials
        + vowels.replace("\u102b", "\u102c")
        + (final + _MY_ASAT if final else "")
        + (_MY_DOT if dot else "")
        + (_MY_VISARGA if visarga else "")
    )


def _parse_my_names() -> dict[str, tuple[str, ...]]:
    table: dict[str, tuple[str, ...]] = {}
    for entry in _MY_NAME_DATA.replace("\n", "|").split("|"):
        if entry.strip():
            word, *spellings = entry.split()
            table.setdefault(_my_canonical(word), tuple(spellings))
    return table


_MY_NAMES = _parse_my_names()


def _my_syllables(text: str) -> list[str]:
    """Split Burmese text into syllables; a stacked consonant (virama) starts a new one."""
    out: list[str] = []
    current = ""
    for i, ch in enumerate(text):
        if _my_is_base(ch):
            nxt = text[i + 1 : i + 3].replace(_MY_DOT, "")[:1]
            if nxt not in (_MY_ASAT, _MY_VIRAMA) and current:
                out.append(current)
                current = ""
        current += ch
    if current:
        out.append(current)
    return [s for s in out if _my_is_base(s[0])]


def _my_romanise_rule(syllable: str) -> str:
    """Rule-based romanisation of one syllable, in the style of Burmese personal names."""
    onset, medials, vowels, final, dot, visarga = _my_components(syllable)
    if onset in _MY_INDEPENDENT:
        return _MY_INDEPENDENT[onset]
    base = _MY_ONSET.get(onset, "")
    has_y = "\u103b" in medials or "\u103c" in medials
    has_w = "\u103d" in medials
    if has_y:
        base = _MY_ONSET_Y.get(onset, base + "y")
    if "\u103e" in medials:
        base = "sh" if onset in "ရယ" or (onset == "လ" and has_y) else "h" + base
    e, i, u = "\u1031" in vowels, "\u102d" in vowels or "\u102e" in vowels, "\u102f" in vowels
    u = u or "\u1030" in vowels
    aa = "\u102c" in vowels or "\u102b" in vowels
    cls = _MY_FINAL_CLASS.get(final, "") if final else ("n" if "\u1036" in vowels else "")
    wa_rhyme = False
    if not cls:
        if e and aa:
            rhyme = "aw"
        elif i and u:
            rhyme = "o"
        elif e:
            rhyme = "e" if has_w else "ay"
        elif "\u1032" in vowels:
            rhyme = "ae"
        elif i:
            rhyme = "i"
        elif u:
            rhyme = "u"
        else:
            rhyme = "a"
    elif cls in ("k", "ng"):
        core = {"k": "et", "ng": "in"}[cls]
        if i and u:
            core = {"k": "aik", "ng": "aing"}[cls]
        elif e and aa:
            core = {"k": "auk", "ng": "aung"}[cls]
        rhyme = core
    elif cls == "c":
        rhyme = "it"
    elif cls == "ny":
        rhyme = "i"
    elif cls == "nyn":
        rhyme = "in"
    elif cls == "y":
        rhyme = "e"
    else:  # t / n classes: at an, eik ein, ok on, ut un
        stop = cls == "t"
        if i and u:
            rhyme = "aik" if stop else "aing"
        elif i:
            rhyme = "eik" if stop else "ein"
        elif u:
            rhyme = "ok" if stop else "on"
        elif has_w:
            rhyme, wa_rhyme = ("ut" if stop else "un"), True
        else:
            rhyme = "at" if stop else "an"
    if dot and rhyme in ("in", "an", "un", "ein", "on"):
        rhyme += "t"  # မြင့် Myint, သန့် Thant
    if has_w and not wa_rhyme:
        base += "w"
    return _clean(base + rhyme)


@lru_cache(maxsize=_CACHE)
def _my_syllable_part(syllable: str) -> _Part | None:
    canonical = _my_canonical(syllable)
    spellings = _MY_NAMES.get(canonical)
    if spellings is None and _MY_VISARGA in canonical:
        spellings = _MY_NAMES.get(canonical.replace(_MY_VISARGA, ""))
    if spellings:
        return _Part(spellings[0], spellings[1:])
    if any(not ("\u1000" <= c <= "\u104f") for c in syllable):  # Shan, Mon... extensions
        roman = _clean(anyascii(syllable).lower())
    else:
        roman = _my_romanise_rule(syllable)
    return _Part(roman) if roman else None


_ZAWGYI_THRESHOLD = 0.95


@lru_cache(maxsize=1)
def _zawgyi_tools() -> tuple[object, object] | None:
    """(detector, converter) when myanmartools and python-myanmar are installed, else None."""
    try:
        from myanmar.converter import convert
        from myanmartools import ZawgyiDetector
    except ImportError:
        return None
    with warnings.catch_warnings():  # myanmartools 1.2.1 uses importlib.resources.open_binary
        warnings.simplefilter("ignore", DeprecationWarning)
        return ZawgyiDetector(), convert


@lru_cache(maxsize=_CACHE)
def _to_unicode_burmese(text: str) -> str:
    """Convert legacy Zawgyi-encoded Burmese to Unicode when it is detected."""
    tools = _zawgyi_tools()
    if tools is None:
        return text
    detector, convert = tools
    if detector.get_zawgyi_probability(text) < _ZAWGYI_THRESHOLD:  # type: ignore[attr-defined]
        return text
    try:
        return convert(text, "zawgyi", "unicode")  # type: ignore[operator]
    except Exception:  # noqa: BLE001 - keep the original text rather than lose the record
        return text


_MY_VOICED_RE = re.compile(r"^(?:t|k|p|s)(?!h)")
_MY_VOICING = {"t": "d", "k": "g", "p": "b", "s": "z"}


def _voice(match: re.Match[str]) -> str:
    return _MY_VOICING[match.group(0)]


@lru_cache(maxsize=_CACHE)
def _my_word(word: str) -> tuple[tuple[_Part, ...], frozenset[str]]:
    """Parts (one per syllable) and extra joined tokens for one Burmese word."""
    text = _to_unicode_burmese(word).replace("\u1025\u102e", "\u1026")  # ဥ+ီ typed for ဦ
    parts = tuple(p for p in map(_my_syllable_part, _my_syllables(text)) if p is not None)
    extras = {a.primary + b.primary for a, b in pairwise(parts)}
    # Pali-derived names are written as one word, with the second consonant voiced:
    # သီတာ Thida, စန္ဒာ Sandar, နန္ဒာ Nanda.
    extras |= {a.primary + _MY_VOICED_RE.sub(_voice, b.primary) for a, b in pairwise(parts)}
    if len(parts) > 2:
        extras.add("".join(p.primary for p in parts))
    return parts, frozenset(extras)
