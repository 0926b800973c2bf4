"""The invisible text mark: a 32-bit per-recipient tag written in zero-width characters into
every line, so that any copied excerpt of one line names its recipient. Retyping, or stripping
invisible characters, removes it; the visible variations are there for that."""

from __future__ import annotations

import re

# Four zero-width characters, two bits each: 16 of them hold a 32-bit tag.
ALPHABET = "\u200b\u200c\u200d\u2060"
TAG_CHARS = 16
_RUN = re.compile(f"[{ALPHABET}]+")


def encode(tag: int) -> str:
    return "".join(ALPHABET[(tag >> (2 * (TAG_CHARS - 1 - k))) & 3] for k in range(TAG_CHARS))


def embed(line: str, tag: int) -> str:
    """`line` with the tag hidden after its first space (at its end if it has none)."""
    mark = encode(tag)
    space = line.find(" ")
    if space < 0:
        return line + mark
    return line[: space + 1] + mark + line[space + 1 :]


def extract(text: str) -> list[int]:
    """Every tag found in `text`, once per line that carried it."""
    tags = []
    for run in _RUN.findall(text):
        for start in range(0, len(run) - TAG_CHARS + 1, TAG_CHARS):
            chunk = run[start : start + TAG_CHARS]
            value = 0
            for char in chunk:
                value = (value << 2) | ALPHABET.index(char)
            tags.append(value)
    return tags


def strip(text: str) -> str:
    return _RUN.sub("", text)
