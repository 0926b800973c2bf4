"""Names across scripts: romanisation, search tokens and phonetic keys.

Personal data is encrypted at rest, so name search works on keyed hashes of plaintext *tokens*.
Every stored name is turned into a set of normalised, romanised ASCII tokens (``name_tokens``);
a query is turned into one set of alternatives per part (``query_tokens``); a person matches when
every query part has at least one alternative among the person's tokens. Only equality is
possible on hashed tokens, so "similar" names must meet in a shared token: spelling variants
(Wade-Giles, Cantonese, Hokkien, Thai passport forms, ü as lv/lyu/lu) and a coarse phonetic key
per token.

Tokens are namespaced by where they come from:

- ``zhang``, ``k:jang``: a name written in Latin script, and its phonetic key;
- ``n:zhang``: native script romanised in its own system (pinyin, royin, Burmese rules);
- ``v:cheung``: another spelling of native script (Wade-Giles, Cantonese, passport forms);
- ``nk:jeung``: the phonetic key of an ``n:`` or ``v:`` token.

A Latin query reaches all of them; a native-script query reaches native-script names only
through ``n:`` tokens (typed in Chinese, 王 must not find 黄 although both are "Wong" in
Cantonese) and Latin-script names through any spelling or key.

Pure Python (no Django) so it can be tested and benchmarked on its own. See
shared/DATA-STANDARDS.md, "Names across scripts", for the measurements behind these choices.

This package exposes the public API only. The work is done in:

- ``scripts``: input checks, script detection, Latin normalisation and cleaning;
- ``keys``: the coarse phonetic key;
- ``parts``: one name part, its best romanisation and its other spellings;
- ``chinese`` (with the data in ``chinese_tables``): surnames, pinyin, Wade-Giles, Cantonese;
- ``thai``: royin and passport spellings;
- ``burmese``: Zawgyi conversion, syllables, name spellings and rule-based romanisation;
- ``analysis``: splitting a name into words and parts, Latin and other scripts, ``romanise``;
- ``tokens``: namespaced index tokens and query alternatives.
"""

from lifeline.people.names.analysis import part_romanisations, part_spellings, romanise
from lifeline.people.names.keys import phonetic_key
from lifeline.people.names.scripts import MAX_NAME_LENGTH, detect_script, normalise_latin
from lifeline.people.names.tokens import KEY_PREFIX as KEY_PREFIX
from lifeline.people.names.tokens import NATIVE_KEY_PREFIX as NATIVE_KEY_PREFIX
from lifeline.people.names.tokens import NATIVE_PREFIX as NATIVE_PREFIX
from lifeline.people.names.tokens import VARIANT_PREFIX as VARIANT_PREFIX
from lifeline.people.names.tokens import name_tokens, query_tokens

__all__ = [
    "MAX_NAME_LENGTH",
    "detect_script",
    "name_tokens",
    "normalise_latin",
    "part_romanisations",
    "part_spellings",
    "phonetic_key",
    "query_tokens",
    "romanise",
]
