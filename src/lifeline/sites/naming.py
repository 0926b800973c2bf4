"""Site names in any script, for plain search: a site's names are not personal data, so they
are stored in clear with their romanisation and matched with ``contains``."""

import contextlib

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
