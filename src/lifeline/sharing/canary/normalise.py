"""Text as the tracer compares it: Unicode-folded, invisible characters dropped, lower case,
split into words and punctuation marks, so that retyping, reflowing or re-encoding a leaked
text does not hide its wording."""

from __future__ import annotations

import re
import unicodedata

_TOKEN = re.compile(r"\w+|[^\w\s]")
_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
    }
)


def clean(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in text if unicodedata.category(c) != "Cf")
    return text.translate(_FOLD).lower()


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(clean(text))


def key(text: str) -> str:
    return " ".join(tokens(text))


def ngram_positions(toks: list[str], longest: int) -> dict[str, int]:
    """Every run of 1..`longest` tokens, joined by spaces, with the index where it first occurs."""
    seen: dict[str, int] = {}
    count = len(toks)
    for start in range(count):
        gram = toks[start]
        seen.setdefault(gram, start)
        for end in range(start + 1, min(count, start + longest)):
            gram = f"{gram} {toks[end]}"
            seen.setdefault(gram, start)
    return seen
