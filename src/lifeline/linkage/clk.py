"""Cryptographic linkage keys: matching across organisations without pooling personal data.

Two organisations agree a secret (out of band). Each turns every person into a keyed Bloom
filter (a "CLK", Schnell, Bachteler and Reiher 2011): the bigrams of each romanised name part,
each part's phonetic key, the birth years a person may have been born in, and the phones'
last nine digits, each hashed into a 1,024-bit filter at positions chosen by an HMAC under a
key derived from the secret. Files of filters are exchanged; each side compares the other's
filters with its own (the Dice coefficient of the set bits) and sees only "a record of yours
matches one of theirs at 0.93".

What a file reveals (docs/linkage.md has the full note): to someone without the secret, the
number of records and, per record, how many bits are set (roughly how long the names are and
how many phones); nothing more can be read without guessing the secret. To the partner, who
holds the secret, a filter can be attacked: they can test guesses (is "Zhang Wei, born 1998,
phone …" in this file?) and, with enough records and frequency analysis, re-identify common
names. Exchange files only with partners trusted with the persons themselves.

Matching many records against many compares only the pairs that locality-sensitive hashing
of the filters proposes (``candidate_pairs``), never all pairs. Pure Python and numpy; the
profiles are built by the caller from decrypted fields, in memory.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets as random_tokens
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lifeline.linkage.comparison import Profile

if TYPE_CHECKING:
    import numpy as np

FORMAT = "lifeline-clk"
SCHEMA_VERSION = 1
BITS = 1024
HASHES = {"bigram": 15, "key": 20, "year": 10, "phone": 25}
MIN_SECRET_LENGTH = 16
MAX_FILE_BYTES = 50 * 1024 * 1024


class EncodingError(ValueError):
    """A file or secret that cannot be used; ``str(exc)`` is a message for the user."""


def _key(secret: str, label: bytes) -> bytes:
    return hmac.new(secret.encode("utf-8"), label, hashlib.sha256).digest()


def check_secret(secret: str) -> None:
    if len(secret) < MIN_SECRET_LENGTH:
        raise EncodingError(
            f"Use a shared secret of at least {MIN_SECRET_LENGTH} characters, agreed with the "
            "other organisation over a safe channel."
        )


def secret_check(secret: str) -> str:
    """A value both sides compute from the secret, written in the file: a file made with
    another secret is refused instead of matching nothing. It does not reveal the secret."""
    return hmac.new(_key(secret, b"lifeline-clk-check"), b"schema-1", hashlib.sha256).hexdigest()[
        :32
    ]


def features(profile: Profile) -> list[tuple[str, str]]:
    """(kind, feature) pairs of a profile: name bigrams and keys, birth years, phones."""
    out: list[tuple[str, str]] = []
    for name_parts in profile.name_parts:
        for _spellings, keys, primary in name_parts:
            padded = f"_{primary}_"
            out += [("bigram", "n:" + padded[i : i + 2]) for i in range(len(padded) - 1)]
            out += [("key", "k:" + key) for key in sorted(keys)]
    if profile.birth is not None:
        years = range(profile.birth.earliest.year, profile.birth.latest.year + 1)
        out += [("year", f"y:{year}") for year in years]
    out += [("phone", "p:" + phone[-9:]) for phone in sorted(profile.phones)]
    return out


def encode(profile: Profile, *, secret: str) -> int:
    """The profile's 1,024-bit keyed Bloom filter, as an integer."""
    key = _key(secret, b"lifeline-clk-bloom")
    bits = 0
    for kind, feature in features(profile):
        digest = hmac.new(key, feature.encode("utf-8"), hashlib.sha256).digest()
        h1 = int.from_bytes(digest[:8], "big")
        h2 = int.from_bytes(digest[8:16], "big") | 1
        for i in range(HASHES[kind]):
            bits |= 1 << ((h1 + i * h2) % BITS)
    return bits


def dice(a: int, b: int) -> float:
    total = a.bit_count() + b.bit_count()
    return 2 * (a & b).bit_count() / total if total else 0.0


@dataclass(frozen=True)
class EncodingFile:
    organisation: str
    records: list[tuple[str, int]]  # (opaque reference, filter)


def dump(
    *, profiles: Mapping[int, Profile], secret: str, organisation: str
) -> tuple[bytes, dict[str, int]]:
    """The file to send, and the mapping of its opaque references to person ids (kept by the
    caller in memory only, to show its own matches; the references are random per file)."""
    check_secret(secret)
    refs: dict[str, int] = {}
    records = []
    for person_id, profile in profiles.items():
        if not profile.names:
            continue
        ref = random_tokens.token_hex(8)
        refs[ref] = person_id
        clk = encode(profile, secret=secret).to_bytes(BITS // 8, "big")
        records.append({"ref": ref, "clk": base64.b64encode(clk).decode("ascii")})
    body = {
        "format": FORMAT,
        "schema_version": SCHEMA_VERSION,
        "secret_check": secret_check(secret),
        "organisation": organisation,
        "bits": BITS,
        "records": records,
    }
    return json.dumps(body, separators=(",", ":")).encode("utf-8"), refs


def load(data: bytes, *, secret: str) -> EncodingFile:
    """Read a partner's file; EncodingError with a clear message if it cannot be used."""
    check_secret(secret)
    if len(data) > MAX_FILE_BYTES:
        raise EncodingError("The file is too large.")
    try:
        body = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise EncodingError("This is not an encodings file from Lifeline.") from None
    if not isinstance(body, dict) or body.get("format") != FORMAT:
        raise EncodingError("This is not an encodings file from Lifeline.")
    if body.get("schema_version") != SCHEMA_VERSION:
        raise EncodingError(
            f"The file was made with encodings version {body.get('schema_version')!r}; this "
            f"instance reads version {SCHEMA_VERSION}. Ask the other organisation to export "
            "again with the same Lifeline version."
        )
    if not hmac.compare_digest(str(body.get("secret_check", "")), secret_check(secret)):
        raise EncodingError(
            "The file was made with another secret: agree the secret again with the other "
            "organisation. Nothing was compared."
        )
    records = []
    try:
        for record in body["records"]:
            clk = base64.b64decode(record["clk"], validate=True)
            if len(clk) != BITS // 8:
                raise ValueError
            records.append((str(record["ref"])[:32], int.from_bytes(clk, "big")))
    except (KeyError, TypeError, ValueError):
        raise EncodingError("The file is damaged: a record cannot be read.") from None
    return EncodingFile(organisation=str(body.get("organisation", ""))[:200], records=records)


# Up to this many pairs, every one is compared (exact); beyond, candidates come from
# locality-sensitive hashing of the filters (bit sampling for the Hamming distance): each
# band is BAND_BITS bit positions drawn at random, and two filters that agree on every bit of
# one band are compared. Two filters at Dice 0.8 (of ~300 set bits) agree on a bit about 88%
# of the time, on a band of 20 about 8%, on one of 80 bands 99.9% of the time; two
# unrelated filters (Dice ~0.3) agree on a band about once in 170,000.
ALL_PAIRS_UP_TO = 1_000_000
BANDS = 80
BAND_BITS = 20
# A band value shared by more filters than this is one most filters have (mostly unset bits):
# it says nothing.
MAX_BUCKET = 1000


def _bit_matrix(filters: list[int]) -> np.ndarray:
    import numpy as np

    raw = b"".join(f.to_bytes(BITS // 8, "big") for f in filters)
    return np.unpackbits(
        np.frombuffer(raw, dtype=np.uint8).reshape(len(filters), BITS // 8), axis=1
    )


def candidate_pairs(
    ours: list[int], theirs: list[int], *, bands: int = BANDS, seed: int = 0
) -> set[tuple[int, int]]:
    """(index in ours, index in theirs) of the filters that agree on every bit of a band."""
    import numpy as np

    if not ours or not theirs:
        return set()
    rng = np.random.default_rng(seed)
    a, b = _bit_matrix(ours), _bit_matrix(theirs)
    powers = (1 << np.arange(BAND_BITS)).astype(np.int64)
    found: set[tuple[int, int]] = set()
    for _band in range(bands):
        columns = rng.choice(BITS, BAND_BITS, replace=False)
        key_a = a[:, columns].astype(np.int64) @ powers
        key_b = b[:, columns].astype(np.int64) @ powers
        order = np.argsort(key_b, kind="stable")
        sorted_b = key_b[order]
        low = np.searchsorted(sorted_b, key_a, "left")
        high = np.searchsorted(sorted_b, key_a, "right")
        for i in np.flatnonzero((high > low) & (high - low <= MAX_BUCKET)).tolist():
            found.update((i, int(j)) for j in order[low[i] : high[i]])
    return found


def matches(
    ours: Iterable[tuple[int, int]], theirs: EncodingFile, *, threshold: float
) -> list[tuple[int, str, float]]:
    """(our person id, their reference, Dice score) of every pair at ``threshold`` or more,
    best first: every pair when there are few, else the candidates of ``candidate_pairs``."""
    ours = list(ours)
    their_records = theirs.records
    if len(ours) * len(their_records) <= ALL_PAIRS_UP_TO:
        pairs: Iterable[tuple[int, int]] = (
            (i, j) for i in range(len(ours)) for j in range(len(their_records))
        )
    else:
        pairs = candidate_pairs([c for _p, c in ours], [c for _r, c in their_records])
    found = []
    for i, j in pairs:
        score = dice(ours[i][1], their_records[j][1])
        if score >= threshold:
            found.append((ours[i][0], their_records[j][0], score))
    return sorted(found, key=lambda item: (-item[2], item[0], item[1]))
