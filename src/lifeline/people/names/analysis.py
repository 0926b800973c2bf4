"""Splitting a name into words and parts in written order, whatever the script; ``romanise``."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from itertools import pairwise

from anyascii import anyascii

from lifeline.people.names.burmese import _my_word
from lifeline.people.names.chinese import _SURNAME_GROUPS, _han_parts
from lifeline.people.names.parts import _Part
from lifeline.people.names.scripts import (
    _APOS_RE,
    _APOSTROPHES,
    _CACHE,
    _char_script,
    _check,
    _clean,
    _normalise_latin,
)
from lifeline.people.names.thai import _thai_part

# --------------------------------------------------------------------------------------------
# Khmer, Latin and everything else
# --------------------------------------------------------------------------------------------

_KHMER_SILENT_RE = re.compile("[\u17c9\u17ca\u17cb\u17cc\u17cd\u17ce\u17cf\u17d0\u17d1\u17dd]")


@lru_cache(maxsize=_CACHE)
def _latin_word(word: str) -> _Part | None:
    """A Latin (or anyascii-romanised) word. Apostrophes join; the pieces are index extras."""
    text = _normalise_latin(word)
    pieces = [_clean(p) for p in _APOS_RE.split(text)]
    joined = "".join(pieces)
    if not joined:
        return None
    return _Part(joined, extra_forms=pieces if len(pieces) > 1 else (), latin=True)


@lru_cache(maxsize=_CACHE)
def _other_word(word: str, script: str) -> _Part | None:
    if script == "khmer":
        word = _KHMER_SILENT_RE.sub("", word)
    roman = _clean(anyascii(unicodedata.normalize("NFKC", word)).lower())
    return _Part(roman) if roman else None


# --------------------------------------------------------------------------------------------
# Splitting and analysis
# --------------------------------------------------------------------------------------------

_HYPHENS = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u30fc"


def _words(text: str) -> list[list[tuple[str, str]]]:
    """Hyphen groups of words; each word is a list of (script, run) in written order.

    Separators: whitespace, punctuation (comma, dot, ·, brackets...) and hyphens. Apostrophes
    stay inside Latin words. Combining marks and digits stay with the run before them.
    """
    groups: list[list[tuple[str, str]]] = []
    group: list[tuple[str, str]] = []
    run, run_script = "", ""

    def flush_run() -> None:
        nonlocal run, run_script
        if run and run_script:
            group.append((run_script, run))
        run, run_script = "", ""

    def flush_group() -> None:
        nonlocal group
        flush_run()
        if group:
            groups.append(group)
        group = []

    for ch in text:
        if ch in _APOSTROPHES:
            if run_script in ("latin", "other"):
                run += ch
            continue
        script = _char_script(ch)
        if script == "sep" or ch.isspace():
            if ch in _HYPHENS:
                flush_run()
                group.append(("-", "-"))
            else:
                flush_group()
            continue
        if script == "":
            if run:
                run += ch
            continue
        if script != run_script:
            flush_run()
            run_script = script
        run += ch
    flush_group()
    return groups


def _han_layout(han_runs: list[str]) -> list[list[_Part]]:
    """Parts for each Han run (a single run may give a surname part and a given-name part)."""
    parts = _han_parts(han_runs)
    if len(han_runs) == 1:
        return [parts]
    return [[p] for p in parts]


def _analyse(text: str) -> tuple[list[_Part], set[str], set[str]]:
    """Name parts in written order, plus joined tokens (Latin, native) for indexing only."""
    groups = _words(unicodedata.normalize("NFC", text))
    han_layout = iter(_han_layout([r for g in groups for s, r in g if s == "han"]))
    parts: list[_Part] = []
    latin_joins: set[str] = set()
    native_joins: set[str] = set()

    def add_join(members: Iterable[_Part]) -> None:
        members = list(members)
        joined = "".join(p.primary for p in members)
        (latin_joins if all(p.latin for p in members) else native_joins).add(joined)

    for group in groups:
        members: list[_Part] = []
        for script, run in group:
            new: list[_Part] = []
            if script == "-":
                continue
            if script == "han":
                new = next(han_layout, [])
            elif script == "thai":
                part = _thai_part(run)
                new = [part] if part else []
            elif script == "myanmar":
                my_parts, my_joins = _my_word(run)
                new = list(my_parts)
                native_joins |= my_joins
            elif script == "latin":
                part = _latin_word(run)
                new = [part] if part else []
            else:
                part = _other_word(run, script)
                new = [part] if part else []
            members.extend(new)
        parts.extend(members)
        if len(members) > 2 and any(s == "-" for s, _ in group):
            add_join(members)  # Anne-Marie-Louise -> annemarielouise
    for pair in pairwise(parts):
        add_join(pair)  # Nur Aini -> nuraini; Jean-Pierre -> jeanpierre
    return parts, latin_joins, native_joins


def romanise(text: str) -> list[str]:
    """Best single romanisation per name part: lower-case ASCII, in written order."""
    _check(text)
    parts, _, _ = _analyse(text)
    return [p.primary for p in parts]


def part_spellings(text: str) -> list[frozenset[str]]:
    """Every spelling of each name part, in written order: the best romanisation, the forms in
    the script's own system and the other spellings (Wade-Giles, Cantonese, Thai passport...); a
    Latin part also carries the spellings of the Chinese surnames it can stand for (Cheung: Zhang).

    For comparing two names part by part (lifeline.linkage); search uses ``name_tokens``.
    """
    return [spellings for _primary, spellings in part_romanisations(text)]


def part_romanisations(text: str) -> list[tuple[str, frozenset[str]]]:
    """(``romanise``, ``part_spellings``) of each part, the name analysed once.

    Only Han runs depend on one another (one surname for the whole name), so the words of a
    name without Han characters are analysed one by one, each word once (cached): a million
    distinct names made of some thousands of words cost some thousands of analyses.
    """
    _check(text)
    words = text.split()
    if len(words) > 1 and not any(_char_script(ch) == "han" for ch in text):
        return [part for word in words for part in _word_romanisations(word)]
    return _romanisations(text)


@lru_cache(maxsize=_CACHE)
def _word_romanisations(word: str) -> tuple[tuple[str, frozenset[str]], ...]:
    return tuple(_romanisations(word))


def _romanisations(text: str) -> list[tuple[str, frozenset[str]]]:
    parts, _, _ = _analyse(text)
    return [
        (
            p.primary,
            frozenset({p.primary} | p.forms | p.variants)
            | (_SURNAME_GROUPS.get(p.primary, frozenset()) if p.latin else frozenset()),
        )
        for p in parts
    ]
