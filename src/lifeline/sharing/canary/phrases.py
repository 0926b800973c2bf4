"""Interchangeable wordings. Every group holds phrases that say the same thing in a briefing, so
that a recipient's wording can differ without any fact changing. Kept deliberately small and
plain: a phrase that could change meaning in some context has no place here."""

from __future__ import annotations

# Swapped only before an article ("opposite the gate"), where they are prepositions, never the
# adjective of "the opposite side".
PREPOSITION_GROUPS: tuple[tuple[str, ...], ...] = (
    ("next to", "beside"),
    ("near", "close to"),
    ("opposite", "across from"),
)

# Swapped wherever they occur, as whole words in any case. Everywhere, a capitalised occurrence in
# mid-sentence is taken for part of a name and left alone.
PHRASE_GROUPS: tuple[tuple[str, ...], ...] = (
    ("located", "situated"),
    ("currently", "at present"),
    ("appears to be", "seems to be"),
    ("motorbike", "motorcycle"),
    ("motorbikes", "motorcycles"),
    ("do not", "don't"),
    ("does not", "doesn't"),
    ("cannot", "can't"),
    ("is not", "isn't"),
    ("are not", "aren't"),
    ("will not", "won't"),
    ("last seen", "last spotted"),
)

# Swapped only before a plain word: "a large building", never the "at large" of a suspect.
ATTRIBUTE_GROUPS: tuple[tuple[str, ...], ...] = (("large", "big"),)

# Swapped only before a plural: "several guards", never the pronoun of "several carry radios".
PLURAL_GROUPS: tuple[tuple[str, ...], ...] = (("several", "a number of"),)

# Swapped only right before a number ("at least 12 guards"), where they cannot mean anything else.
NUMBER_PHRASE_GROUPS: tuple[tuple[str, ...], ...] = (
    ("at least", "no fewer than"),
    ("more than", "over"),
)

# Approximation words before a number ("about 40 workers").
APPROXIMATORS: tuple[str, ...] = ("about", "around", "roughly")
APPROXIMATOR_INPUTS: tuple[str, ...] = ("about", "around", "roughly", "approximately", "some")

# British and American spellings: one choice for the whole document, so that a variant is
# consistent with itself. Some American forms are other words too ("story", "meter", "tires"):
# those pairs are recognised from the British form only (ONE_WAY_SPELLINGS).
SPELLINGS: tuple[tuple[str, str], ...] = (
    ("colour", "color"),
    ("coloured", "colored"),
    ("grey", "gray"),
    ("metres", "meters"),
    ("metre", "meter"),
    ("kilometres", "kilometers"),
    ("centre", "center"),
    ("neighbourhood", "neighborhood"),
    ("organisation", "organization"),
    ("harbour", "harbor"),
    ("storey", "story"),
    ("storeys", "stories"),
    ("towards", "toward"),
    ("car park", "parking lot"),
    ("travelling", "traveling"),
    ("tyres", "tires"),
)

ONE_WAY_SPELLINGS: frozenset[str] = frozenset({"metre", "metres", "storey", "storeys", "tyres"})

NUMBER_WORDS: tuple[str, ...] = (
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
)

# A number followed by one of these is a time, a date, a unit or an address, never restyled.
NUMBER_STOPWORDS: frozenset[str] = frozenset(
    (
        "am",
        "pm",
        "h",
        "hr",
        "hrs",
        "o",
        "oclock",
        "km",
        "m",
        "kg",
        "cm",
        "mm",
        "mph",
        "kph",
        "percent",
        "per",
        "st",
        "nd",
        "rd",
        "th",
        "jan",
        "feb",
        "mar",
        "apr",
        "may",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "january",
        "february",
        "march",
        "april",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    )
)
# Nor a number that follows one of these ("gate 3", "building 12", "room 4").
NUMBER_PREFIX_STOPWORDS: frozenset[str] = frozenset(
    (
        "no",
        "number",
        "gate",
        "building",
        "block",
        "floor",
        "level",
        "room",
        "zone",
        "route",
        "road",
        "street",
        "lane",
        "soi",
        "moo",
        "km",
        "highway",
        "unit",
        "house",
        "plot",
        "phase",
        "tower",
        "wing",
        "at",
        "by",
        "until",
        "from",
        "till",
    )
)
