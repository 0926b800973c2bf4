"""The one-time form token and the receipt code.

The form token is a random nonce signed with the secret key and a timestamp
(``django.core.signing``): the server keeps nothing until the form comes back. The receipt
code is derived from the nonce with a keyed hash, so that the same submission sent twice gets
the same code shown again, while only the code's own keyed hash is stored.

A receipt code looks like an international registered-mail tracking number (UPU S10: two
letters, eight digits, a check digit, a country code, e.g. ``RR 4731 8802 6 TH``): ordinary on a
phone that someone else reads. Eight random digits and the two-letter prefix give about 36 bits,
and check-ins are rate-limited per address.
"""

import hashlib
import hmac
import re
import secrets

from django.conf import settings
from django.core import signing

from lifeline.core.crypto import blind_index

TOKEN_SALT = "lifeline.intake.form-token"  # noqa: S105 - a signing namespace # nosec B105
_PREFIXES = ("RR", "RB", "RA", "RC", "RE", "RL", "RX", "EE", "EA", "CP", "LX", "LZ")
_WEIGHTS = (8, 6, 4, 2, 3, 5, 9, 7)
_CODE = re.compile(r"^([A-Z]{2})(\d{8})(\d)([A-Z]{2})$")


def new_form_token() -> str:
    return signing.dumps(secrets.token_urlsafe(18), salt=TOKEN_SALT, compress=False)


def read_form_token(token: str) -> str | None:
    """The nonce in ``token`` if it is ours and younger than LIFELINE_INTAKE_TOKEN_MAX_AGE."""
    try:
        nonce = signing.loads(
            token, salt=TOKEN_SALT, max_age=settings.LIFELINE_INTAKE_TOKEN_MAX_AGE
        )
    except signing.BadSignature:
        return None
    return nonce if isinstance(nonce, str) and 16 <= len(nonce) <= 64 else None


def token_digest(nonce: str) -> str:
    return blind_index(nonce, purpose="intake.token")


def _check_digit(digits: str) -> int:
    remainder = sum(int(d) * w for d, w in zip(digits, _WEIGHTS, strict=True)) % 11
    check = 11 - remainder
    return 5 if check == 11 else 0 if check == 10 else check


def receipt_code(nonce: str) -> str:
    """The code for the submission carrying ``nonce``: the same nonce always gives the same
    code, and nobody without the secret key can derive one from the other."""
    mac = hmac.new(settings.SECRET_KEY.encode(), b"lifeline.intake.receipt\x00", hashlib.sha256)
    mac.update(nonce.encode())
    number = int.from_bytes(mac.digest()[:8], "big")
    prefix = _PREFIXES[number % len(_PREFIXES)]
    digits = f"{(number // len(_PREFIXES)) % 10**8:08d}"
    return f"{prefix}{digits}{_check_digit(digits)}{settings.LIFELINE_INTAKE_CODE_COUNTRY}"


def random_code() -> str:
    """A well-formed code that belongs to nothing (shown when the honeypot caught a robot)."""
    return receipt_code(secrets.token_urlsafe(18))


def normalise_code(raw: str) -> str | None:
    """The code as typed (spaces, dashes, lower case allowed), or None if it is not one."""
    code = re.sub(r"[\s\-.]", "", raw or "").upper()
    match = _CODE.match(code)
    if match is None or _check_digit(match.group(2)) != int(match.group(3)):
        return None
    return code


def code_digest(code: str) -> str:
    return blind_index(code, purpose="intake.receipt")


def display_code(code: str) -> str:
    return f"{code[:2]} {code[2:6]} {code[6:10]} {code[10:11]} {code[11:]}"


def normalise_word(raw: str) -> str:
    return " ".join((raw or "").casefold().split())


def duress_digest(word: str) -> str:
    return blind_index(normalise_word(word), purpose="intake.duress")
