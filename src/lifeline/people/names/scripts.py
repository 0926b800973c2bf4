"""Input checks, script detection, and the Latin normalisation and cleaning all scripts share."""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from anyascii import anyascii

MAX_NAME_LENGTH = 200

_CACHE = 65536  # entries per lookup cache: name parts repeat a lot across 200k people


def _check(text: object) -> str:
    if not isinstance(text, str):
        raise TypeError(f"name must be a string, not {type(text).__name__}")
    if len(text) > MAX_NAME_LENGTH:
        raise ValueError("name is too long")
    return text


# --------------------------------------------------------------------------------------------
# Scripts
# --------------------------------------------------------------------------------------------

_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0E00, 0x0E7F, "thai"),
    (0x1000, 0x109F, "myanmar"),
    (0xA9E0, 0xA9FF, "myanmar"),
    (0xAA60, 0xAA7F, "myanmar"),
    (0x1780, 0x17FF, "khmer"),
    (0x19E0, 0x19FF, "khmer"),
    (0x3400, 0x4DBF, "han"),
    (0x4E00, 0x9FFF, "han"),
    (0xF900, 0xFAFF, "han"),
    (0x20000, 0x3134F, "han"),
    (0x3005, 0x3007, "han"),  # 々 〆 〇
    (0x0041, 0x005A, "latin"),
    (0x0061, 0x007A, "latin"),
    (0x00C0, 0x024F, "latin"),
    (0x1E00, 0x1EFF, "latin"),  # Latin Extended Additional (Vietnamese)
    (0xFF21, 0xFF3A, "latin"),  # full-width
    (0xFF41, 0xFF5A, "latin"),
)


@lru_cache(maxsize=4096)
def _char_script(ch: str) -> str:
    """Script of one character; "" for marks, digits, separators (they join the previous run)."""
    cp = ord(ch)
    for lo, hi, script in _RANGES:
        if lo <= cp <= hi:
            if script in ("thai", "myanmar", "khmer") and not ch.isalnum() and not _is_mark(ch):
                return "sep"  # ฯ ๆ ၊ ။ ។ and friends
            return script
    cat = unicodedata.category(ch)
    if cat[0] == "L":
        return "other"
    if cat[0] in "MN":
        return ""
    return "sep"


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch)[0] == "M"


def detect_script(text: str) -> str:
    """Dominant script of ``text``: "han", "thai", "myanmar", "khmer", "latin" or "other"."""
    _check(text)
    counts: dict[str, int] = {}
    for ch in text:
        script = _char_script(ch)
        if script and script != "sep":
            counts[script] = counts.get(script, 0) + 1
    if not counts:
        return "other"
    return max(counts, key=counts.__getitem__)  # ties: the script seen first


# --------------------------------------------------------------------------------------------
# Latin
# --------------------------------------------------------------------------------------------

_WS_RE = re.compile(r"\s+")
_NON_ALNUM_RE = re.compile(r"[^a-z0-9]+")
_APOSTROPHES = "'\u2019\u2018\u02bc\u02bb`\u00b4\u2032"
_APOS_RE = re.compile(f"[{_APOSTROPHES}]")


def normalise_latin(text: str) -> str:
    """NFKC, casefold, strip diacritics to ASCII, collapse whitespace."""
    _check(text)
    return _normalise_latin(text)


@lru_cache(maxsize=_CACHE)
def _normalise_latin(text: str) -> str:
    folded = unicodedata.normalize("NFKC", text).casefold()
    if not folded.isascii():
        folded = anyascii(folded).lower()
    return _WS_RE.sub(" ", folded).strip()


def _clean(text: str) -> str:
    return _NON_ALNUM_RE.sub("", text)
