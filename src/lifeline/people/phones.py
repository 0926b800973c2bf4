"""Phone numbers and messaging handles: normalise for storage and blind-index search.

Phones are stored and indexed as E.164 ("+85512345678"). People type them in every format:
spaces, dashes, dots, brackets, a leading 00, full-width digits, Thai, Khmer or Myanmar digits.
Handles (WeChat, LINE, Telegram, email...) are normalised so one account always gives one value.

Pure Python (no Django); messages in exceptions are written for the person typing.
"""

from __future__ import annotations

import re
import unicodedata

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat

__all__ = [
    "HANDLE_KINDS",
    "QUERY_REGIONS",
    "InvalidPhone",
    "format_phone",
    "normalise_handle",
    "normalise_phone",
    "phone_query_variants",
]

MAX_PHONE_LENGTH = 40
MAX_HANDLE_LENGTH = 200
MAX_EMAIL_LENGTH = 254

# Regions tried, in order, for a search typed without a country code and without a default.
QUERY_REGIONS = ("KH", "TH", "MM", "LA", "VN", "CN", "ID", "MY", "PH", "TW", "HK")

HANDLE_KINDS = ("phone", "wechat", "line", "telegram", "whatsapp", "facebook", "email", "other")

PHONE_HELP = "Enter a valid phone number with its country code, e.g. +855 12 345 678."


class InvalidPhone(ValueError):  # noqa: N818 - name fixed by the API
    """A phone number that cannot be stored. ``str(exc)`` is a message for the person typing."""

    def __init__(self, message: str = PHONE_HELP) -> None:
        super().__init__(message)


_FORMATTING = " \t\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u3000-\u2010\u2011\u2012\u2013\u2014\u2212.()[]/"
_FORMATTING_RE = re.compile(f"[{re.escape(_FORMATTING)}]")


def _ascii_digits(raw: str) -> str:
    """NFKC (full-width +, digits) and any Unicode decimal digit (Thai ๐-๙, Khmer, Myanmar...)."""
    text = unicodedata.normalize("NFKC", raw)
    return "".join(str(unicodedata.decimal(ch)) if ch.isdecimal() else ch for ch in text)


def _clean(raw: object) -> tuple[str, str]:
    """(number, as_typed): digits with at most a leading "+", a leading "00" read as "+".

    ``as_typed`` keeps the "00" for regions where it is part of a national dialling format.
    Raise InvalidPhone for empty, over-long or non-numeric input.
    """
    if not isinstance(raw, str):
        raise InvalidPhone()
    if len(raw) > MAX_PHONE_LENGTH:
        raise InvalidPhone("A phone number can be at most 40 characters.")
    as_typed = _FORMATTING_RE.sub("", _ascii_digits(raw).strip())
    if not as_typed:
        raise InvalidPhone("Enter a phone number, e.g. +855 12 345 678.")
    text = "+" + as_typed[2:] if as_typed.startswith("00") else as_typed
    if not re.fullmatch(r"\+?[0-9]+", text):
        raise InvalidPhone()
    return text, as_typed


def _parse(text: str, region: str | None) -> str | None:
    """E.164 if ``text`` is a valid number (with ``region`` for national formats), else None."""
    try:
        number = phonenumbers.parse(text, region)
    except NumberParseException:
        return None
    if not (phonenumbers.is_possible_number(number) and phonenumbers.is_valid_number(number)):
        return None
    return phonenumbers.format_number(number, PhoneNumberFormat.E164)


def _region(default_region: str | None) -> str | None:
    if default_region is None or default_region == "":
        return None
    region = str(default_region).upper()
    if region not in phonenumbers.SUPPORTED_REGIONS:
        raise ValueError(f"Unknown phone region: {default_region!r}.")
    return region


def normalise_phone(raw: str, *, default_region: str | None = None) -> str:
    """Return E.164 ("+85512345678") or raise InvalidPhone.

    A number without a country code needs ``default_region`` (ISO 3166 code, e.g. "KH").
    """
    region = _region(default_region)
    text, as_typed = _clean(raw)
    e164 = _parse(text, None if text.startswith("+") else region)
    if e164 is None and region and as_typed != text:
        e164 = _parse(as_typed, region)  # "00..." under the region's own dialling rules
    if e164 is None:
        raise InvalidPhone()
    return e164


def phone_query_variants(raw: str, *, default_region: str | None = None) -> list[str]:
    """E.164 candidates for a search typed in any format; [] if none.

    With a country code ("+" or "00"): that number. Otherwise the ``default_region`` parse,
    and if there is none (or it is not valid there), every valid parse among QUERY_REGIONS;
    digits that are valid as an international number without the "+" are included too.
    """
    region = _region(default_region)
    try:
        text, as_typed = _clean(raw)
    except InvalidPhone:
        return []
    if text.startswith("+"):
        e164 = _parse(text, None)
        if e164 is None and region and as_typed != text:
            e164 = _parse(as_typed, region)
        return [e164] if e164 else []
    out: list[str] = []
    if region:
        e164 = _parse(text, region)
        if e164:
            return [e164]
    for candidate in QUERY_REGIONS:
        e164 = _parse(text, candidate)
        if e164 and e164 not in out:
            out.append(e164)
    e164 = _parse("+" + text, None)  # "855 12 345 678" typed without the plus
    if e164 and e164 not in out:
        out.append(e164)
    return out


def format_phone(e164: str) -> str:
    """International format for display, e.g. "+855 12 345 678"."""
    if not isinstance(e164, str) or not e164.startswith("+"):
        raise InvalidPhone()
    try:
        number = phonenumbers.parse(_clean(e164)[0], None)
    except NumberParseException as exc:
        raise InvalidPhone() from exc
    return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)


# --------------------------------------------------------------------------------------------
# Handles
# --------------------------------------------------------------------------------------------

_TELEGRAM_RE = re.compile(r"[a-z0-9_]{5,32}")
_CHAT_ID_RE = re.compile(r"[a-z0-9._\-+]{1,64}")
_EMAIL_LOCAL_RE = re.compile(r"[a-z0-9!#$%&'*+/=?^_`{|}~.\-]{1,64}")
_DOMAIN_LABEL_RE = re.compile(r"(?!-)[a-z0-9-]{1,63}(?<!-)")
_URL_PREFIX_RE = re.compile(r"^(?:https?://)?(?:www\.|m\.|web\.|mbasic\.)?", re.IGNORECASE)
_CONTROL_RE = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _text(raw: object, label: str) -> str:
    if not isinstance(raw, str):
        raise ValueError(f"Enter the {label}.")
    text = unicodedata.normalize("NFKC", raw).strip()
    if _CONTROL_RE.search(text):
        raise ValueError(f"The {label} contains characters that cannot be stored.")
    if not text:
        raise ValueError(f"Enter the {label}.")
    if len(text) > MAX_HANDLE_LENGTH:
        raise ValueError(f"The {label} can be at most {MAX_HANDLE_LENGTH} characters.")
    return text


def _strip_url(text: str, hosts: tuple[str, ...]) -> str:
    """Strip a profile URL on one of ``hosts`` ("https://t.me/name" -> "name")."""
    without = _URL_PREFIX_RE.sub("", text)
    for host in hosts:
        if without.lower().startswith(host + "/"):
            return without[len(host) + 1 :].strip("/")
    return text


def _email(raw: object) -> str:
    text = _text(raw, "email address").lower()
    if text.startswith("mailto:"):
        text = text[len("mailto:") :]
    local, at, domain = text.rpartition("@")
    if (
        not at
        or len(text) > MAX_EMAIL_LENGTH
        or not _EMAIL_LOCAL_RE.fullmatch(local)
        or local.startswith(".")
        or local.endswith(".")
        or ".." in local
    ):
        raise ValueError("Enter a valid email address, e.g. name@example.org.")
    try:
        ascii_domain = domain.encode("idna").decode("ascii")
    except UnicodeError as exc:
        raise ValueError("Enter a valid email address, e.g. name@example.org.") from exc
    labels = ascii_domain.split(".")
    if len(labels) < 2 or not all(_DOMAIN_LABEL_RE.fullmatch(label) for label in labels):
        raise ValueError("Enter a valid email address, e.g. name@example.org.")
    return f"{local}@{domain}"


def normalise_handle(kind: str, raw: str) -> str:
    """Normalise a contact handle of ``kind`` (one of HANDLE_KINDS); ValueError if invalid.

    phone/whatsapp: E.164 (needs a country code). telegram: lower case, no "@", 5-32 of a-z 0-9 _.
    wechat/line: lower case, no "@". email: lower case, checked. facebook: the profile name or id
    from a URL, lower case. other: trimmed, whitespace collapsed, lower case.
    """
    if kind not in HANDLE_KINDS:
        raise ValueError(f"Unknown contact kind {kind!r}; use one of: {', '.join(HANDLE_KINDS)}.")
    if kind in ("phone", "whatsapp"):
        return normalise_phone(raw)
    if kind == "email":
        return _email(raw)
    if kind == "telegram":
        text = _strip_url(_text(raw, "Telegram username"), ("t.me", "telegram.me"))
        text = text.lstrip("@").lower()
        if not _TELEGRAM_RE.fullmatch(text):
            raise ValueError(
                "Enter a Telegram username of 5 to 32 letters, digits or underscores, e.g. @name_123."
            )
        return text
    if kind in ("wechat", "line"):
        label = "WeChat ID" if kind == "wechat" else "LINE ID"
        text = _text(raw, label)
        if kind == "line":
            text = _strip_url(text, ("line.me/ti/p", "line.me/r/ti/p"))
        text = text.lstrip("@").lower()
        if not _CHAT_ID_RE.fullmatch(text):
            raise ValueError(
                f"Enter the {label} as shown in the app: letters, digits, and . _ - only."
            )
        return text
    if kind == "facebook":
        text = _strip_url(_text(raw, "Facebook name or link"), ("facebook.com", "fb.com"))
        match = re.fullmatch(r"profile\.php\?id=([0-9]+).*", text)
        if match:
            text = match.group(1)
        text = re.sub(r"[?#].*$", "", text).strip("/").lstrip("@")
        text = " ".join(text.split()).lower()
        if not text:
            raise ValueError("Enter the Facebook name or link.")
        return text
    return " ".join(_text(raw, "contact").split()).lower()
