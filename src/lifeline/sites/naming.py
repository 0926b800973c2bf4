"""Site names in any script, for plain search and for finding the sites a text names: a site's
names are not personal data, so they are stored in clear with their romanisation, matched with
``contains`` by the registry's search, and as ``NameKey`` rows by ``sites_named_in``."""

import contextlib
import re
from collections.abc import Sequence
from dataclasses import dataclass

from anyascii import anyascii

from lifeline.people.names import romanise


def name_forms(text: str) -> list[str]:
    """The text lower-cased, and when it is not plain ASCII also romanised (pinyin, royin,
    Burmese rules) and transliterated. ASCII is left as typed: romanisation drops punctuation,
    so "[a-z]" would otherwise search for the letters a and z."""
    forms = [text.strip().casefold()]
    if text.isascii():
        return [form for form in forms if form]
    with contextlib.suppress(ValueError):  # romanise refuses text it cannot read as a name
        forms.append(" ".join(romanise(text)))
    forms.append(anyascii(text).casefold())
    return [form for form in dict.fromkeys(forms) if form.strip()]


# Matching site names in free text (a request's place and story) -----------------------------

MIN_KEY = 3  # letters of a Latin-script name worth matching ("KK" alone is not)
MIN_NATIVE_KEY = 2  # characters of a name in another script (金木, two characters, is a name)


@dataclass(frozen=True)
class NameKey:
    """One way a site's name may be written in a text: ``key`` lower-case words joined by single
    spaces ("kings romans"), or with no spaces (``joined``: "kingsromans", "金木棉"). ``lead`` is
    the word or character a text must hold for the key to be worth checking (it is indexed)."""

    key: str
    lead: str
    joined: bool


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text.casefold())


def name_keys(values: Sequence[str]) -> set[NameKey]:
    """The keys of a site's name and aliases, in their own script and romanised."""
    keys: set[NameKey] = set()
    for value in values:
        for form in name_forms(value):
            words = _words(form)
            if not words:
                continue
            spaced = " ".join(words)
            if spaced.isascii():
                if len(spaced) >= MIN_KEY:
                    keys.add(NameKey(spaced, words[0], joined=False))
                if len(words) > 1:
                    keys.add(NameKey("".join(words), words[0], joined=True))
            elif len("".join(words)) >= MIN_NATIVE_KEY:
                # Thai, Chinese and Burmese are written without spaces between words.
                native = "".join(words)
                keys.add(NameKey(native, native[0], joined=True))
    return keys


@dataclass
class TextForms:
    """A text as words in its own script, romanised and transliterated, for ``NameKey.found``."""

    spaced: list[str]
    joined: list[str]
    leads: set[str]

    @classmethod
    def of(cls, text: str) -> "TextForms":
        words = _words(text)[:MAX_TEXT_WORDS]
        romanised: list[str] = []
        transliterated: list[str] = []
        leads = set(words)
        for word in words:
            if word.isascii():
                romanised.append(word)
                transliterated.append(word)
                continue
            leads.update(word)
            try:
                romanised.extend(_words(" ".join(romanise(word))))
            except ValueError:  # romanise refuses text it cannot read as a name
                romanised.extend(_words(anyascii(word)))
            transliterated.extend(_words(anyascii(word)))
        forms = [words, romanised, transliterated]
        leads.update(romanised, transliterated)
        return cls(
            spaced=[f" {' '.join(form)} " for form in forms],
            joined=["".join(form) for form in forms],
            leads=leads,
        )

    def holds(self, key: str, *, joined: bool) -> bool:
        if joined:
            return any(key in form for form in self.joined)
        return any(f" {key} " in form for form in self.spaced)


# A long story is matched on its first words only: the place is usually named early.
MAX_TEXT_WORDS = 400
