"""Comparing two persons: field by field, into a match probability with its explanation.

The model is Fellegi-Sunter's (the one Splink fits): each field comparison falls into a level
(names: exact, variant spelling, similar, one part in common, different), each level has an
``m`` probability (of that level among pairs that are the same person) and a ``u`` probability
(among pairs that are not), and the level adds ``log2(m / u)`` to the pair's match weight. A
missing field adds nothing. The weights sum to a log2 Bayes factor; with the prior odds of a
candidate pair it gives the probability. Strong conflicts (two passports of one country that
differ, birth years far apart, different sexes) carry large negative weights, so they push a
pair down even when the names agree.

The m and u values below are priors chosen from the field's nature (a passport number almost
never collides by chance, a nationality often does); ``lifeline linkage run`` re-estimates
them on the organisation's own data (lifeline.linkage.training) and scores with a ``Model``
holding what it learnt.

Pure Python (no Django, no database): a ``Profile`` is built from decrypted fields in memory
(lifeline.linkage.profiles) and never written anywhere.
"""

from __future__ import annotations

import datetime
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from rapidfuzz.distance import OSA, JaroWinkler

from lifeline.people import names as name_rules
from lifeline.people.names import phonetic_key

__all__ = [
    "PRIOR_LOG2_ODDS",
    "BirthRange",
    "Comparison",
    "FieldComparison",
    "Model",
    "Profile",
    "birth_range_from_age",
    "compare",
    "compare_levels",
    "compare_name_parts",
    "mrz_check_digit",
    "name_frequencies",
    "name_key",
    "passport_number",
]

# Prior log2 odds that a candidate pair (one that shares a name token, a contact or a document)
# is one person: about 1 in 256.
PRIOR_LOG2_ODDS = -8.0

# (m, u) per field and level.
LEVELS: dict[str, dict[str, tuple[float, float]]] = {
    "name": {
        "exact": (0.55, 0.0008),
        "variant": (0.25, 0.004),
        "similar": (0.10, 0.02),
        "partial": (0.06, 0.12),
        "different": (0.04, 0.856),
    },
    "phone": {"same": (0.45, 0.0001), "different": (0.55, 0.9999)},
    "handle": {"same": (0.45, 0.0001), "different": (0.55, 0.9999)},
    "passport": {
        "same": (0.90, 0.000001),
        "typo": (0.04, 0.0005),  # one character changed, or two swapped
        "conflict": (0.01, 0.9985),
        "other_country": (0.05, 0.0005),
    },
    "birth": {
        "same_date": (0.45, 0.0003),
        "overlap": (0.45, 0.06),
        "near": (0.08, 0.14),
        "far": (0.004, 0.80),
    },
    "citizenship": {"same": (0.95, 0.35), "different": (0.02, 0.65)},
    "gender": {"same": (0.97, 0.5), "different": (0.005, 0.5)},
}

# Outcome shown for each level: agree, partly agree, disagree, or a strong conflict.
OUTCOMES: dict[str, str] = {
    "exact": "agree",
    "same": "agree",
    "same_date": "agree",
    "overlap": "agree",
    "variant": "agree",
    "similar": "partial",
    "partial": "partial",
    "typo": "partial",
    "near": "partial",
    "different": "disagree",
    "other_country": "partial",
    "conflict": "conflict",
    "far": "conflict",
}

# A "different" on these fields is a strong conflict.
STRONG_FIELDS = frozenset({"gender"})


Levels = Mapping[str, Mapping[str, tuple[float, float]]]


@dataclass(frozen=True)
class Model:
    """The m and u probabilities of each level, and the prior log2 odds of a candidate pair:
    the priors above, or what a training on the organisation's data learnt."""

    levels: Levels = field(default_factory=lambda: LEVELS)
    prior: float = PRIOR_LOG2_ODDS


DEFAULT_MODEL = Model()


def weight(field_name: str, level: str, levels: Levels = LEVELS) -> float:
    m, u = levels[field_name][level]
    return math.log2(m / u)


@dataclass(frozen=True)
class BirthRange:
    """The dates a person may have been born on: one day, or a span for an age as told."""

    earliest: datetime.date
    latest: datetime.date

    @property
    def exact(self) -> bool:
        return self.earliest == self.latest

    def gap_years(self, other: BirthRange) -> float:
        """0 when the ranges overlap, else the years between them."""
        if self.latest < other.earliest:
            return (other.earliest - self.latest).days / 365.25
        if other.latest < self.earliest:
            return (self.earliest - other.latest).days / 365.25
        return 0.0


def birth_range_from_age(age: int, *, told_on: datetime.date, about: int = 1) -> BirthRange:
    """An age told on a day is a span of birth dates; ``about`` widens it by that many years
    each side (reported ages are often a guess: "about 25")."""
    latest = _years_before(told_on, age - about)
    earliest = _years_before(told_on, age + 1 + about) + datetime.timedelta(days=1)
    return BirthRange(earliest, latest)


def _years_before(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


# --------------------------------------------------------------------------------------------
# Passports
# --------------------------------------------------------------------------------------------

_MRZ_WEIGHTS = (7, 3, 1)


def _mrz_value(ch: str) -> int:
    if ch.isdigit():
        return int(ch)
    if ch == "<":
        return 0
    return ord(ch) - ord("A") + 10


def mrz_check_digit(field_text: str) -> int:
    """The ICAO 9303 check digit of an MRZ field (weights 7, 3, 1; A=10 … Z=35; < = 0)."""
    text = field_text.upper()
    if not re.fullmatch(r"[0-9A-Z<]*", text):
        raise ValueError("MRZ fields hold only digits, capital letters and <.")
    return sum(_mrz_value(c) * _MRZ_WEIGHTS[i % 3] for i, c in enumerate(text)) % 10


def passport_number(value: str) -> tuple[str, bool]:
    """(number, checked): the number without a trailing MRZ check digit when one is there.

    A number copied from the machine-readable zone comes as the 9-character field (padded with
    "<") followed by its check digit; ``checked`` says the check digit was present and right,
    so that a one-character difference between two checked numbers is a real difference, not a
    typo.
    """
    text = re.sub(r"[\s\-./]", "", value).upper()
    if (
        len(text) == 10
        and text[-1].isdigit()
        and re.fullmatch(r"[0-9A-Z<]{9}", text[:9])
        and mrz_check_digit(text[:9]) == int(text[-1])
    ):
        return text[:9].rstrip("<"), True
    return text.replace("<", ""), False


# --------------------------------------------------------------------------------------------
# Profiles
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Document:
    kind: str  # "passport", "national_id", "other"
    country: str
    number: str
    checked: bool = False


# A name part: (every spelling, their phonetic keys, the best romanisation).
NamePart = tuple[frozenset[str], frozenset[str], str]
NameParts = tuple[NamePart, ...]


@dataclass(frozen=True)
class Profile:
    """What matching needs of one person, normalised, in memory only.

    ``name_parts`` holds each name romanised, made once with the profile: blocking and every
    comparison read it, so a run of a million distinct names romanises each name once.
    """

    names: tuple[str, ...] = ()
    phones: frozenset[str] = frozenset()  # E.164
    handles: frozenset[str] = frozenset()  # "kind:normalised"
    documents: tuple[Document, ...] = ()
    birth: BirthRange | None = None
    citizenships: frozenset[str] = frozenset()
    gender: str = ""  # "" when unknown
    name_parts: tuple[NameParts, ...] = field(default=(), compare=False, repr=False)

    def __post_init__(self) -> None:
        if len(self.name_parts) != len(self.names):
            object.__setattr__(self, "name_parts", tuple(_parts(n) for n in self.names))


@dataclass(frozen=True)
class FieldComparison:
    field: str
    level: str  # a key of LEVELS[field], or "missing"
    weight: float

    @property
    def outcome(self) -> str:
        if self.level == "missing":
            return "missing"
        if self.field in STRONG_FIELDS and self.level == "different":
            return "conflict"
        return OUTCOMES[self.level]


@dataclass(frozen=True)
class Comparison:
    fields: tuple[FieldComparison, ...] = field(default_factory=tuple)
    prior: float = PRIOR_LOG2_ODDS

    @property
    def match_weight(self) -> float:
        return self.prior + sum(f.weight for f in self.fields)

    @property
    def probability(self) -> float:
        w = self.match_weight
        if w > 60:
            return 1.0
        odds = 2.0**w
        return odds / (1.0 + odds)

    @property
    def conflicts(self) -> list[FieldComparison]:
        return [f for f in self.fields if f.outcome == "conflict"]


# --------------------------------------------------------------------------------------------
# Names
# --------------------------------------------------------------------------------------------


# Names met again (a request's, the same name on many persons); a profile keeps its own.
@lru_cache(maxsize=1 << 16)
def _parts(name: str) -> NameParts:
    """(spellings, phonetic keys, primary) of each part."""
    return tuple(
        _name_part(primary, spellings) for primary, spellings in name_rules.part_romanisations(name)
    )


# One tuple for each distinct part: a million names share a few thousand parts, in memory too.
@lru_cache(maxsize=1 << 16)
def _name_part(primary: str, spellings: frozenset[str]) -> NamePart:
    keys = frozenset(k for k in (phonetic_key(s) for s in spellings) if k)
    return (spellings, keys, primary)


_NAME_RANK = {"exact": 4, "variant": 3, "similar": 2, "partial": 1, "different": 0}


def _part_score(a: NamePart, b: NamePart) -> tuple[int, float]:
    """(3 same spelling | 2 same key | 0, best Jaro-Winkler similarity of the spellings)."""
    if a[0] & b[0]:
        return 3, 1.0
    if a[1] & b[1]:
        return 2, 0.95
    # Similarity of the best romanisations only: across every variant spelling, two different
    # names would nearly always find some close pair.
    return 0, JaroWinkler.normalized_similarity(a[2], b[2])


@lru_cache(maxsize=1 << 16)
def compare_names(a: str, b: str) -> str:
    """The level of two names: parts compared as a set, so name order does not matter."""
    return compare_name_parts(_parts(a), _parts(b))


def compare_name_parts(pa: NameParts, pb: NameParts) -> str:
    """``compare_names`` on names romanised already (a profile's ``name_parts``)."""
    if not pa or not pb:
        return "different"
    short, long = (pa, pb) if len(pa) <= len(pb) else (pb, pa)
    unused = list(range(len(long)))
    kinds, sims, edits = [], [], []
    for part in short:
        scored = [(_part_score(part, long[j]), j) for j in unused]
        (kind, sim), j = max(scored, key=lambda item: item[0])
        unused.remove(j)
        kinds.append(kind)
        sims.append(sim)
        edits.append(0 if kind >= 2 else OSA.distance(part[2], long[j][2]))
    if all(k == 3 for k in kinds) and len(pa) == len(pb):
        return "exact"
    if all(k >= 2 for k in kinds) and (len(short) >= 2 or len(pa) == len(pb)):
        return "variant"
    # Every part but one the same, that one misspelt: one letter changed, dropped, added or
    # two swapped (Hunag, Partick), or very close. Jinlian and Jingyi are other names.
    typos = [(s, e) for k, s, e in zip(kinds, sims, edits, strict=True) if k < 2]
    if (
        len(short) >= 2
        and len(typos) == 1
        and typos[0][0] >= 0.8
        and (typos[0][1] <= 1 or typos[0][0] >= 0.92)
    ):
        return "variant"
    if len(short) >= 2 and sum(sims) / len(sims) >= 0.9 and min(sims) >= 0.85:
        return "similar"
    if any(k >= 2 or s >= 0.92 for k, s in zip(kinds, sims, strict=True)):
        return "partial"
    return "different"


def _best_name_level(a: tuple[NameParts, ...], b: tuple[NameParts, ...]) -> str:
    best = "different"
    for x in a:
        for y in b:
            level = compare_name_parts(x, y)
            if _NAME_RANK[level] > _NAME_RANK[best]:
                best = level
                if best == "exact":
                    return best
    return best


# --------------------------------------------------------------------------------------------
# The other fields
# --------------------------------------------------------------------------------------------


def _passport_level(a: tuple[Document, ...], b: tuple[Document, ...]) -> str | None:
    """Passports against passports, national IDs against national IDs."""
    best: str | None = None
    rank = {"conflict": 0, "other_country": 1, "typo": 2}
    for x in a:
        for y in b:
            if x.kind != y.kind or x.kind not in ("passport", "national_id"):
                continue
            if x.number == y.number:
                return "same"
            same_country = not x.country or not y.country or x.country == y.country
            if not same_country:
                level = "other_country"
            elif not (x.checked and y.checked) and OSA.distance(x.number, y.number) <= 1:
                level = "typo"
            else:
                level = "conflict"
            if best is None or rank[level] > rank[best]:
                best = level
    return best


def _birth_level(a: BirthRange | None, b: BirthRange | None) -> str | None:
    if a is None or b is None:
        return None
    if a.exact and b.exact and a.earliest == b.earliest:
        return "same_date"
    if a.exact and b.exact:
        # Two dates written down that differ: a typo (one digit, two swapped, day and month
        # exchanged) or another person.
        x, y = a.earliest, b.earliest
        if OSA.distance(x.strftime("%Y%m%d"), y.strftime("%Y%m%d")) <= 1 or (
            x.year == y.year and (x.month, x.day) == (y.day, y.month)
        ):
            return "near"
        return "far"
    gap = a.gap_years(b)
    if gap == 0:
        return "overlap"
    if gap <= 3:
        return "near"
    return "far"


def _set_level(a: frozenset[str], b: frozenset[str]) -> str | None:
    if not a or not b:
        return None
    return "same" if a & b else "different"


def name_key(name: str) -> str:
    """The name's parts, romanised and sorted: one key for 张伟, Zhang Wei and Wei Zhang."""
    return parts_key(_parts(name))


def parts_key(parts: NameParts) -> str:
    """``name_key`` of a name romanised already."""
    return " ".join(sorted(primary for _s, _k, primary in parts))


# Below this many persons, shares of names say more about chance than about names.
MIN_PERSONS_FOR_FREQUENCIES = 1000
# A name on fewer records than this may be one person reported a few times, not a common
# name: counting those would lower the weight of the very duplicates being looked for.
MIN_RECORDS_FOR_COMMON_NAME = 5


def name_frequencies(profiles: Iterable[Profile]) -> dict[str, float]:
    """How often each common name (``name_key``, on MIN_RECORDS_FOR_COMMON_NAME records or
    more) occurs among ``profiles``, as a share of them: the chance that two persons picked at
    random share it (term-frequency adjustment). Empty for fewer than
    MIN_PERSONS_FOR_FREQUENCIES persons."""
    counts: Counter[str] = Counter()
    total = 0
    for profile in profiles:
        total += 1
        counts.update({parts_key(p) for p in profile.name_parts})
    if total < MIN_PERSONS_FOR_FREQUENCIES:
        return {}
    return {key: n / total for key, n in counts.items() if n >= MIN_RECORDS_FOR_COMMON_NAME}


def _name_tf_u(a: Profile, b: Profile, frequencies: Mapping[str, float]) -> float:
    """The chance that two persons picked at random share the exact name these two share."""
    shared = {parts_key(p) for p in a.name_parts} & {parts_key(p) for p in b.name_parts}
    return max((frequencies.get(key, 0.0) for key in shared), default=0.0)


def name_weight(level: str, tf_u: float, levels: Levels = LEVELS) -> float:
    """An exact name agreement weighs less for a common name (Zhang Wei) than for a rare one."""
    m, u = levels["name"][level]
    if level == "exact":
        u = max(u, tf_u)
    return math.log2(m / u)


FIELDS = ("name", "phone", "handle", "passport", "birth", "citizenship", "gender")


def compare_levels(
    a: Profile, b: Profile, *, frequencies: Mapping[str, float] | None = None
) -> tuple[list[str | None], float]:
    """The level of each of FIELDS (None where either side lacks it), and the share of
    persons bearing the exact name the two share (0.0 when none, or without frequencies)."""
    name_level = _best_name_level(a.name_parts, b.name_parts) if a.names and b.names else None
    levels: list[str | None] = [
        name_level,
        _set_level(a.phones, b.phones),
        _handle_level(a.handles, b.handles),
        _passport_level(a.documents, b.documents),
        _birth_level(a.birth, b.birth),
        _set_level(a.citizenships, b.citizenships),
        None if not (a.gender and b.gender) else "same" if a.gender == b.gender else "different",
    ]
    tf_u = _name_tf_u(a, b, frequencies) if frequencies and name_level == "exact" else 0.0
    return levels, tf_u


def comparison_of(
    levels: list[str | None], tf_u: float = 0.0, *, model: Model = DEFAULT_MODEL
) -> Comparison:
    """The scored comparison of levels found by ``compare_levels``."""
    return Comparison(
        fields=tuple(
            FieldComparison(name, "missing", 0.0)
            if level is None
            else FieldComparison(
                name,
                level,
                name_weight(level, tf_u, model.levels)
                if name == "name"
                else weight(name, level, model.levels),
            )
            for name, level in zip(FIELDS, levels, strict=True)
        ),
        prior=model.prior,
    )


def compare(
    a: Profile,
    b: Profile,
    *,
    frequencies: Mapping[str, float] | None = None,
    model: Model = DEFAULT_MODEL,
) -> Comparison:
    """Compare two profiles field by field. Fields missing on either side weigh nothing.

    ``frequencies`` (from ``name_frequencies`` over the organisation's persons) lowers the
    weight of an exact agreement on a common name; ``model`` holds the m and u probabilities
    (the priors unless the organisation's data trained others).
    """
    levels, tf_u = compare_levels(a, b, frequencies=frequencies)
    return comparison_of(levels, tf_u, model=model)


def _handle_level(a: frozenset[str], b: frozenset[str]) -> str | None:
    """Handles compare only within one platform: a WeChat id and a LINE id never disagree."""
    if a & b:
        return "same"
    kinds_a = {h.split(":", 1)[0] for h in a}
    kinds_b = {h.split(":", 1)[0] for h in b}
    return "different" if kinds_a & kinds_b else None
