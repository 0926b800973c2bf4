"""Blind-index digests for searching encrypted personal data.

Normalisation (the names package, phones.py) happens first; the keyed HMAC (core.crypto) second, so the
database only ever sees digests of normalised values.
"""

import re

from lifeline.core.crypto import blind_index
from lifeline.people import names, phones

NAME_PURPOSE = "people.name_token"
CONTACT_PURPOSE = "people.contact"
IDENTIFIER_PURPOSE = "people.identifier"

# Phone-like handles share one index family, so a WhatsApp number is found by a phone search.
PHONE_KINDS = frozenset({"phone", "whatsapp"})


def name_digests(value: str) -> set[str]:
    return {blind_index(token, purpose=NAME_PURPOSE) for token in names.name_tokens(value)}


def query_name_digest_groups(query: str) -> list[set[str]]:
    """One set of alternative digests per query part; a match needs one from every set."""
    return [
        {blind_index(token, purpose=NAME_PURPOSE) for token in alternatives}
        for alternatives in names.query_tokens(query)
    ]


def normalise_contact(kind: str, raw: str, *, default_region: str | None = None) -> str:
    """Raise ValueError (with a message for the person typing) if ``raw`` is not valid."""
    if kind in PHONE_KINDS:
        return phones.normalise_phone(raw, default_region=default_region or None)
    return phones.normalise_handle(kind, raw)


def contact_digest(kind: str, normalised: str) -> str:
    family = "phone" if kind in PHONE_KINDS else kind
    return blind_index(f"{family}:{normalised}", purpose=CONTACT_PURPOSE)


def phone_query_digests(raw: str, *, default_region: str | None = None) -> list[str]:
    return [
        contact_digest("phone", e164)
        for e164 in phones.phone_query_variants(raw, default_region=default_region or None)
    ]


def handle_query_digests(raw: str) -> list[str]:
    """Digests for a handle typed without its kind: try every non-phone kind it is valid for."""
    digests = []
    for kind in ("wechat", "line", "telegram", "facebook", "email", "other"):
        try:
            digests.append(contact_digest(kind, phones.normalise_handle(kind, raw)))
        except ValueError:
            continue
    return digests


def normalise_identifier(value: str) -> str:
    cleaned = re.sub(r"[\s\-./]", "", value).upper()
    if not cleaned or len(cleaned) > 40 or not cleaned.isalnum():
        raise ValueError("Enter the document number as printed: letters and digits only.")
    return cleaned


def identifier_digest(kind: str, normalised: str) -> str:
    return blind_index(f"{kind}:{normalised}", purpose=IDENTIFIER_PURPOSE)
