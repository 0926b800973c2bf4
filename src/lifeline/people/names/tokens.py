"""Search tokens: namespaced tokens to index for a stored name, alternatives for a query."""

from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache

from lifeline.people.names.analysis import _analyse
from lifeline.people.names.chinese import _SURNAME_GROUPS
from lifeline.people.names.keys import _phonetic_key
from lifeline.people.names.scripts import _check

KEY_PREFIX = "k:"  # phonetic key of a token written in Latin script
NATIVE_PREFIX = "n:"  # romanisation of native script in its own system (pinyin, royin...)
VARIANT_PREFIX = "v:"  # other spelling of native script (Wade-Giles, Cantonese, passport...)
NATIVE_KEY_PREFIX = "nk:"  # phonetic key of an n: or v: token


def name_tokens(text: str) -> set[str]:
    """All tokens to index for one stored name.

    Text written in Latin script gives plain tokens and ``k:`` keys. Text romanised from
    another script gives ``n:`` (its own romanisation system), ``v:`` (other spellings) and
    ``nk:`` keys, so that two native-script names only meet on their own romanisation
    (王 and 黄 are both "Wong" in Cantonese, but a search for 王 must not find 黄), while a
    Latin query still reaches every spelling.
    """
    _check(text)
    return set(_name_tokens(text))


def _keys(prefix: str, tokens: Iterable[str]) -> set[str]:
    return {prefix + k for k in map(_phonetic_key, tokens) if k}


@lru_cache(maxsize=4096)
def _name_tokens(text: str) -> frozenset[str]:
    parts, latin_joins, native_joins = _analyse(text)
    plain, forms, variants = set(latin_joins), set(native_joins), set()
    for part in parts:
        if part.latin:
            plain |= part.forms | part.extra_forms
        else:
            forms |= part.forms | part.extra_forms
            variants |= part.variants | part.extra_variants
    variants -= forms
    tokens = plain | _keys(KEY_PREFIX, plain)
    tokens |= {NATIVE_PREFIX + f for f in forms} | {VARIANT_PREFIX + v for v in variants}
    tokens |= _keys(NATIVE_KEY_PREFIX, forms | variants)
    tokens.discard("")
    return frozenset(tokens)


def query_tokens(text: str) -> list[set[str]]:
    """One set of alternative tokens per query part; every part must match one of its set.

    A Latin part reaches Latin-stored names (literally, by key, and through the Chinese surname
    groups: "Cheung" also tries "zhang") and native-stored names (by their romanisation, any
    variant spelling, or key). A native-script part reaches native-stored names by its own
    romanisation only, and Latin-stored names by any spelling or key.
    """
    _check(text)
    if not text.strip():
        return []
    parts, _, _ = _analyse(text)
    out: list[set[str]] = []
    for part in parts:
        if part.latin:
            spelled = {part.primary}
            alts = {part.primary, NATIVE_PREFIX + part.primary, VARIANT_PREFIX + part.primary}
            alts |= _keys(NATIVE_KEY_PREFIX, spelled)
            spelled |= _SURNAME_GROUPS.get(part.primary, frozenset())
        else:
            alts = {NATIVE_PREFIX + f for f in part.forms}
            spelled = set(part.forms | part.variants)
        alts |= spelled | _keys(KEY_PREFIX, spelled)
        alts.discard("")
        out.append(alts)
    return out
