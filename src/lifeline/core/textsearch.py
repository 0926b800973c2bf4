"""Word tokens for searching encrypted free text through blind indexes.

Latin-script text is split into case- and accent-folded words. Scripts written without spaces
(Chinese, Thai, Khmer, Burmese) are indexed as overlapping character pairs, and a query of
those scripts is split the same way, so a query matches text that contains it.
"""

import re
import unicodedata

from lifeline.core.crypto import blind_index

PURPOSE = "core.text_token"
MAX_TOKENS = 4000
_WORD = re.compile(r"\w+", re.UNICODE)
_UNSPACED = re.compile(r"[\u0e00-\u0e7f\u1000-\u109f\u1780-\u17ff\u3400-\u9fff\uf900-\ufaff]")


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def text_tokens(text: str) -> list[str]:
    tokens: list[str] = []
    seen: set[str] = set()
    for raw in _WORD.findall(unicodedata.normalize("NFKC", text)):
        if _UNSPACED.search(raw):
            chars = list(raw)
            grams = ["".join(chars[i : i + 2]) for i in range(max(len(chars) - 1, 1))]
        else:
            word = _fold(raw)
            grams = [word] if len(word) >= 2 else []
        for gram in grams:
            if gram not in seen:
                seen.add(gram)
                tokens.append(gram)
                if len(tokens) >= MAX_TOKENS:
                    return tokens
    return tokens


def token_digest(token: str) -> str:
    return blind_index(token, purpose=PURPOSE)


def text_digests(text: str) -> set[str]:
    return {token_digest(token) for token in text_tokens(text)}
