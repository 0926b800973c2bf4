"""Recruiters' identifiers in the text of an offer: phone numbers (E.164), Telegram, WeChat
and LINE handles, email addresses, company names and payment details (crypto wallets, bank
account numbers). Each comes out normalised as ``lifeline.people`` normalises contacts, so that
its blind index is the one a person's contact of the same value has."""

import contextlib
import re
from dataclasses import dataclass

import phonenumbers

from lifeline.people import phones

_TELEGRAM = re.compile(
    r"(?:t\.me/|telegram\.me/|telegram\s*(?:id)?\s*[:：]?\s*@?|(?<![\w.@])@)([A-Za-z][A-Za-z0-9_]{4,31})\b",
    re.IGNORECASE,
)
_WECHAT = re.compile(
    r"(?:wechat|we\s?chat|weixin|微信|vx)\s*(?:id|号)?\s*[:：]?\s*([A-Za-z][-_A-Za-z0-9]{5,19})",
    re.IGNORECASE,
)
_LINE = re.compile(r"(?:\bline\s*(?:id)?|ไลน์)\s*[:：@]\s*@?([A-Za-z0-9._-]{3,20})", re.IGNORECASE)
_EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}\b")
_WA_ME = re.compile(r"wa\.me/(\d{7,15})")
_COMPANY = (
    re.compile(
        r"\b((?:[A-Z][\w&'-]*\s+){0,4}[A-Z][\w&'-]*)\s+(?:Co\.?,?\s*Ltd\.?|Ltd\.?|Limited|Inc\.?|LLC|Group|Company|Corporation|Sdn\.?\s*Bhd\.?)"
    ),
    re.compile(r"([\u4e00-\u9fff]{2,14}(?:有限公司|集团|公司))"),
    re.compile(r"(?:PT\.?|CV\.?)\s+((?:[A-Z][\w&'-]*\s*){1,4})"),
    re.compile(r"(?:Công ty|CÔNG TY)\s+((?:[\wÀ-ỹ]+\s*){1,5})"),
    re.compile(r"บริษัท\s*([^\s,.;:]{2,40})"),
)
_WALLETS = (
    re.compile(r"\b(T[1-9A-HJ-NP-Za-km-z]{33})\b"),  # USDT on TRON (TRC20)
    re.compile(r"\b(0x[a-fA-F0-9]{40})\b"),  # Ethereum-style (ERC20)
)
_ACCOUNT = re.compile(
    r"(?:account(?:\s*(?:no|number))?|acc\s*no|a/c|账号|卡号|เลขบัญชี|số tài khoản|so tai khoan|rekening|no\.?\s*rek)\s*[:：.]?\s*(\d[\d -]{6,22}\d)",
    re.IGNORECASE,
)
_VAGUE = {"the", "our", "a", "an", "big", "large", "international", "this", "your"}


@dataclass(frozen=True, order=True)
class Found:
    kind: str
    value: str  # normalised: what the blind index is taken of


def extract(text: str, *, default_region: str | None = None) -> list[Found]:
    found: set[Found] = set()
    for match in phonenumbers.PhoneNumberMatcher(text, default_region or None):
        number = phonenumbers.format_number(match.number, phonenumbers.PhoneNumberFormat.E164)
        found.add(Found("phone", number))
    for digits in _WA_ME.findall(text):
        _add_contact(found, "phone", f"+{digits}")
    for handle in _TELEGRAM.findall(text):
        _add_contact(found, "telegram", handle)
    for handle in _WECHAT.findall(text):
        _add_contact(found, "wechat", handle)
    for handle in _LINE.findall(text):
        _add_contact(found, "line", handle)
    for address in _EMAIL.findall(text):
        _add_contact(found, "email", address)
    for pattern in _COMPANY:
        for name in pattern.findall(text):
            words = " ".join(name.split())
            if words and words.split()[0].lower() not in _VAGUE and len(words) <= 80:
                found.add(Found("company", words.casefold()))
    for pattern in _WALLETS:
        for wallet in pattern.findall(text):
            found.add(Found("payment", wallet.lower() if wallet.startswith("0x") else wallet))
    for account in _ACCOUNT.findall(text):
        found.add(Found("payment", re.sub(r"[ -]", "", account)))
    return sorted(found)


def _add_contact(found: set[Found], kind: str, raw: str) -> None:
    # Not a valid handle of that kind: nothing to link.
    with contextlib.suppress(ValueError):
        found.add(Found(kind, phones.normalise_handle(kind, raw)))
