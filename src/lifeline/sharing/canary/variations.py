"""The visible variations of a briefing: where its wording, punctuation, number style, rounding,
landmark and list order may change without changing a fact, and how each recipient's choices are
written into the text.

A *slot* is one such place (or one document-wide choice, such as British or American spelling)
with two or more alternatives. Each alternative has *signatures*: short runs of normalised tokens
(the alternative with a few words of unchanging context) that are found in a leaked text only if
that alternative was sent. A *list order* is a list section whose lines each recipient receives in
a different order.

Never touched: names in lists (only their order changes), the title and headings, times, dates,
years, and any number that is not a count (addresses, gates, floors, units)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Any

from . import normalise, phrases
from .document import Document, Section

CONTEXT_TOKENS = 2
ITEM_KEY_TOKENS = 8
KIND_LABELS = {
    "wording": "wording",
    "approximation": "approximation word",
    "count": "rounded count",
    "number": "number style",
    "spelling": "spelling",
    "comma": "serial comma",
    "landmark": "rendezvous landmark",
}

_MONTHS = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
)
# Times, dates and years: nothing inside them is ever varied.
_PROTECTED = re.compile(
    r"\b\d{1,2}\s*[:.h]\s*\d{2}\b"
    r"|\b\d{1,4}[-/.]\d{1,2}(?:[-/.]\d{1,4})?\b"
    rf"|\b\d{{1,2}}(?:st|nd|rd|th)?\s+(?:of\s+)?(?:{_MONTHS})\b\.?(?:,?\s+\d{{4}})?"
    rf"|\b(?:{_MONTHS})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s+\d{{4}})?"
    r"|\b\d{1,2}\s*(?:am|pm|a\.m\.|p\.m\.|o'clock)"
    r"|\b(?:19|20)\d{2}\b",
    re.IGNORECASE,
)
_APPROX = re.compile(
    r"\b(" + "|".join(phrases.APPROXIMATOR_INPUTS) + r")(\s+)(\d{1,5})\b(?![.,:/]\d)",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"(?<![\w.,:/#$-])(\d{1,2})(?![\w.,:/%-])")
_NUMBER_WORD = re.compile(r"\b(" + "|".join(phrases.NUMBER_WORDS[2:]) + r")\b", re.IGNORECASE)
_NEXT_WORD = re.compile(r"\s+([A-Za-z']+)")
_PREV_WORD = re.compile(r"([^\s]+)\s+$")
_SERIES_AND = re.compile(r"(,?) (and|or) (?=\w)")


def describe(kind: str, where: str, name: str) -> str:
    """One alternative of a slot in words: 'Site, line 2: wording "next to"'."""
    return f"{where}: {KIND_LABELS.get(kind, kind)} \u201c{name}\u201d"


@dataclass
class Occurrence:
    """One place in a line (character span of the base line) and its text for each alternative."""

    section: int
    line: int
    start: int
    end: int
    forms: list[str]


@dataclass
class Slot:
    kind: str
    where: str
    names: list[str]
    occurrences: list[Occurrence]
    signatures: list[list[str]]

    @property
    def size(self) -> int:
        return len(self.names)

    def describe(self, alternative: int) -> str:
        return describe(self.kind, self.where, self.names[alternative])

    def to_json(self) -> list[Any]:
        return [
            self.kind,
            self.where,
            self.names,
            [[o.section, o.line, o.start, o.end, o.forms] for o in self.occurrences],
            self.signatures,
        ]

    @classmethod
    def from_json(cls, data: list[Any]) -> Slot:
        kind, where, names, occurrences, signatures = data
        return cls(
            kind=kind,
            where=where,
            names=list(names),
            occurrences=[Occurrence(*o) for o in occurrences],
            signatures=[list(s) for s in signatures],
        )


@dataclass
class ListOrder:
    """A list section whose lines are permuted per recipient; `keys` find each line in a leaked
    text (None for a line that repeats another and cannot be told apart)."""

    section: int
    where: str
    keys: list[str | None]

    @property
    def size(self) -> int:
        return len(self.keys)

    def to_json(self) -> list[Any]:
        return [self.section, self.where, self.keys]

    @classmethod
    def from_json(cls, data: list[Any]) -> ListOrder:
        section, where, keys = data
        return cls(section=section, where=where, keys=list(keys))

    def bits(self) -> float:
        distinct = sum(1 for k in self.keys if k is not None)
        return math.log2(math.factorial(distinct)) if distinct > 1 else 0.0


def match_case(original: str, form: str) -> str:
    if len(original) > 1 and original.isupper():
        return form.upper()
    if original[:1].isupper():
        return form[:1].upper() + form[1:]
    return form


def _at_sentence_start(line: str, pos: int) -> bool:
    before = line[:pos].rstrip()
    return not before or before[-1] in ".!?:;-\u2013\u2014(\"'"


def _looks_like_name(line: str, start: int, original: str) -> bool:
    """A capitalised word in mid-sentence is taken for part of a name."""
    return original[:1].isupper() and not _at_sentence_start(line, start)


class _Line:
    """The spans of one base line already taken by a slot or protected from any change."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.taken: list[tuple[int, int]] = [m.span() for m in _PROTECTED.finditer(text)]

    def free(self, start: int, end: int) -> bool:
        for a, b in self.taken:
            if start == end and a < start < b:
                return False
            if start < end and start < b and a < end:
                return False
        return True

    def take(self, start: int, end: int) -> None:
        self.taken.append((start, end))


def _phrase_pattern(forms: tuple[str, ...], suffix: str = "") -> re.Pattern[str]:
    alternatives = sorted(forms, key=len, reverse=True)
    body = "|".join(
        re.escape(f).replace(r"\ ", r"\s+").replace("'", "['\u2019]") for f in alternatives
    )
    return re.compile(rf"\b({body})\b{suffix}", re.IGNORECASE)


_PREPOSITIONS = [
    (g, _phrase_pattern(g, r"(?=\s+(?:the|a|an)\b)")) for g in phrases.PREPOSITION_GROUPS
]
_PHRASES = [(g, _phrase_pattern(g)) for g in phrases.PHRASE_GROUPS]
_ATTRIBUTES = [
    (g, re.compile(r"(?<!\bat\s)" + _phrase_pattern(g, r"(?=\s+[a-z])").pattern, re.IGNORECASE))
    for g in phrases.ATTRIBUTE_GROUPS
]
_PLURALS = [(g, _phrase_pattern(g, r"(?=\s+[a-z]+s\b)")) for g in phrases.PLURAL_GROUPS]
_NUMBER_PHRASES = [
    (g, _phrase_pattern(g, r"(?=\s+(?:\d|" + "|".join(phrases.NUMBER_WORDS) + r")\b)"))
    for g in phrases.NUMBER_PHRASE_GROUPS
]
_SPELLINGS = [
    (pair, _phrase_pattern(pair[:1] if pair[0] in phrases.ONE_WAY_SPELLINGS else pair))
    for pair in phrases.SPELLINGS
]


class _Finder:
    """Walks a document once and collects its slots."""

    def __init__(self, doc: Document) -> None:
        self.doc = doc
        self.lines: dict[tuple[int, int], _Line] = {}
        self.slots: list[Slot] = []
        for s, section in enumerate(doc.sections):
            if section.kind == "text":
                for n, text in enumerate(section.lines):
                    self.lines[(s, n)] = _Line(text)

    def where(self, section: int, line: int) -> str:
        sec = self.doc.sections[section]
        return f"{sec.heading}, line {line + 1}" if len(sec.lines) > 1 else sec.heading

    def add(self, kind: str, names: list[str], occurrences: list[Occurrence], where: str) -> None:
        if len(set(names)) < 2 or not occurrences:
            return
        for o in occurrences:
            self.lines[(o.section, o.line)].take(o.start, o.end)
        self.slots.append(Slot(kind, where, names, occurrences, []))

    def landmarks(self) -> None:
        landmarks = list(dict.fromkeys(lm.strip() for lm in self.doc.rendezvous_landmarks))
        landmarks = [lm for lm in landmarks if lm]
        if len(landmarks) < 2:
            return
        pattern = _phrase_pattern(tuple(landmarks))
        found = []
        for (s, n), line in self.lines.items():
            for m in pattern.finditer(line.text):
                if line.free(*m.span()):
                    forms = [match_case(m.group(1), lm) for lm in landmarks]
                    found.append(Occurrence(s, n, m.start(), m.end(), forms))
                    line.take(*m.span())
        self.add("landmark", landmarks, found, "Rendezvous")

    def numbers(self) -> None:
        for (s, n), line in self.lines.items():
            text = line.text
            for m in _APPROX.finditer(text):
                number_end = m.end(3)
                if not line.free(m.start(1), number_end) or self._unit_follows(text, number_end):
                    continue
                word = m.group(1)
                forms = [match_case(word, a) for a in phrases.APPROXIMATORS]
                self.add(
                    "approximation",
                    list(phrases.APPROXIMATORS),
                    [Occurrence(s, n, m.start(1), m.end(1), forms)],
                    self.where(s, n),
                )
                value = int(m.group(3))
                if value >= 20 and value % 10:
                    rounded = [value, (value + 2) // 5 * 5, (value + 5) // 10 * 10]
                    values = [str(v) for v in dict.fromkeys(rounded)]
                    self.add(
                        "count",
                        values,
                        [Occurrence(s, n, m.start(3), m.end(3), values)],
                        self.where(s, n),
                    )
                else:
                    line.take(m.start(3), m.end(3))
            for m in _NUMBER.finditer(text):
                value = int(m.group(1))
                if 2 <= value <= 12 and self._is_count(line, m.start(), m.end()):
                    forms = [m.group(1), phrases.NUMBER_WORDS[value]]
                    self.add(
                        "number", forms, [Occurrence(s, n, *m.span(), forms)], self.where(s, n)
                    )
            for m in _NUMBER_WORD.finditer(text):
                if self._is_count(line, m.start(), m.end()) and m.group(1).islower():
                    value = phrases.NUMBER_WORDS.index(m.group(1))
                    forms = [m.group(1), str(value)]
                    self.add(
                        "number", forms, [Occurrence(s, n, *m.span(), forms)], self.where(s, n)
                    )

    def _unit_follows(self, text: str, end: int) -> bool:
        nxt = _NEXT_WORD.match(text, end)
        return nxt is not None and nxt.group(1).lower().replace("'", "") in phrases.NUMBER_STOPWORDS

    def _is_count(self, line: _Line, start: int, end: int) -> bool:
        """A small number written as a count of things: "4 guards", never "gate 4", "4 pm"."""
        text = line.text
        if not line.free(start, end) or _at_sentence_start(text, start):
            return False
        nxt = _NEXT_WORD.match(text, end)
        if not nxt:
            return False
        word = nxt.group(1)
        if not word.islower() or len(word) < 3 or not word.endswith("s"):
            return False
        if word.replace("'", "") in phrases.NUMBER_STOPWORDS:
            return False
        prev = _PREV_WORD.search(text[:start])
        if prev:
            token = prev.group(1)
            if token[-1:].isdigit() or token.lower().strip(".,") in phrases.NUMBER_PREFIX_STOPWORDS:
                return False
            if token[:1].isupper() and not _at_sentence_start(text, prev.start()):
                return False
        return True

    def wordings(self) -> None:
        groups = _NUMBER_PHRASES + _PREPOSITIONS + _ATTRIBUTES + _PLURALS + _PHRASES
        for (s, n), line in self.lines.items():
            for group, pattern in groups:
                for m in pattern.finditer(line.text):
                    if not line.free(*m.span()) or _looks_like_name(
                        line.text, m.start(), m.group(1)
                    ):
                        continue
                    forms = [match_case(m.group(1), f) for f in group]
                    self.add(
                        "wording",
                        list(group),
                        [Occurrence(s, n, *m.span(), forms)],
                        self.where(s, n),
                    )

    def spelling(self) -> None:
        found = []
        for (s, n), line in self.lines.items():
            for pair, pattern in _SPELLINGS:
                for m in pattern.finditer(line.text):
                    if line.free(*m.span()) and not _looks_like_name(
                        line.text, m.start(), m.group(1)
                    ):
                        found.append(
                            Occurrence(s, n, *m.span(), [match_case(m.group(1), f) for f in pair])
                        )
        self.add("spelling", ["British", "American"], found, "Whole briefing")

    def serial_commas(self) -> None:
        for (s, n), line in self.lines.items():
            text = line.text
            for m in _SERIES_AND.finditer(text):
                sentence_start = max(text.rfind(stop, 0, m.start()) for stop in (".", ";", ":"))
                segments = text[sentence_start + 1 : m.start()].split(", ")
                need = 2 if m.group(1) else 3
                if len(segments) < need or any(
                    len(seg.split()) > 4 for seg in segments[-need + 1 :]
                ):
                    continue
                if len(segments[-1].split()) > 4 or not line.free(m.start(1), m.end(1)):
                    continue
                self.add(
                    "comma",
                    ["with", "without"],
                    [Occurrence(s, n, m.start(1), m.end(1), [",", ""])],
                    self.where(s, n),
                )


def discover(doc: Document) -> tuple[list[Slot], list[ListOrder]]:
    """The slots and list orders of `doc` (signatures filled in)."""
    finder = _Finder(doc)
    finder.landmarks()
    finder.numbers()
    finder.wordings()
    finder.spelling()
    finder.serial_commas()
    slots = finder.slots
    orders = [
        ListOrder(s, section.heading, _item_keys(section))
        for s, section in enumerate(doc.sections)
        if section.kind == "list" and len(set(section.lines)) > 1
    ]
    _fill_signatures(doc, slots)
    # A slot with an alternative that cannot be recognised would only blur the codes.
    slots = [slot for slot in slots if all(slot.signatures)]
    return slots, orders


def with_landmark_line(doc: Document) -> Document:
    """`doc`, with a line naming the first landmark added to its rendezvous section when no line
    mentions any of the landmarks yet (so that the landmark choice is carried at all)."""
    landmarks = [lm.strip() for lm in doc.rendezvous_landmarks if lm.strip()]
    if len(set(landmarks)) < 2:
        return doc
    lowered = [lm.lower() for lm in landmarks]
    for section in doc.sections:
        for line in section.lines:
            if any(lm in line.lower() for lm in lowered):
                return doc
    sections = [Section(s.heading, s.kind, list(s.lines)) for s in doc.sections]
    target = next(
        (s for s in sections if s.kind == "text" and "rendezvous" in s.heading.lower()), None
    )
    if target is None:
        target = Section("Rendezvous", "text", [])
        sections.append(target)
    target.lines.append(f"Landmark to look for: {landmarks[0]}.")
    return Document(doc.title, sections, list(doc.rendezvous_landmarks))


def _item_keys(section: Section) -> list[str | None]:
    toks = [normalise.tokens(line) for line in section.lines]
    keys: list[str | None] = []
    seen: set[str] = set()
    for t in toks:
        full = " ".join(t)
        if not t or full in seen:
            keys.append(None)
            continue
        seen.add(full)
        keys.append(" ".join(t[:ITEM_KEY_TOKENS]))
    # A key cut short may equal another item's: fall back to the whole line for those.
    counts: dict[str, int] = {}
    for k in keys:
        if k is not None:
            counts[k] = counts.get(k, 0) + 1
    return [" ".join(toks[i]) if k is not None and counts[k] > 1 else k for i, k in enumerate(keys)]


def apply(
    doc: Document,
    slots: list[Slot],
    orders: list[ListOrder],
    choices: list[int],
    perms: list[list[int]],
) -> Document:
    """The variant of `doc` with alternative `choices[i]` in slot i and list order `perms[j]`."""
    edits: dict[tuple[int, int], list[tuple[int, int, str]]] = {}
    for slot, choice in zip(slots, choices, strict=True):
        for o in slot.occurrences:
            edits.setdefault((o.section, o.line), []).append((o.start, o.end, o.forms[choice]))
    sections = []
    for s, section in enumerate(doc.sections):
        lines = []
        for n, line in enumerate(section.lines):
            pieces, pos = [], 0
            for start, end, form in sorted(edits.get((s, n), [])):
                pieces.append(line[pos:start])
                pieces.append(form)
                pos = end
            pieces.append(line[pos:])
            lines.append("".join(pieces))
        sections.append(Section(section.heading, section.kind, lines))
    for order, perm in zip(orders, perms, strict=True):
        section = sections[order.section]
        section.lines = [section.lines[i] for i in perm]
    return Document(doc.title, sections, list(doc.rendezvous_landmarks))


def _fill_signatures(doc: Document, slots: list[Slot]) -> None:
    spans: dict[tuple[int, int], list[tuple[int, int]]] = {}
    for slot in slots:
        for o in slot.occurrences:
            spans.setdefault((o.section, o.line), []).append((o.start, o.end))
    owner: dict[str, set[tuple[int, int]]] = {}
    for i, slot in enumerate(slots):
        slot.signatures = [[] for _ in slot.names]
        for o in slot.occurrences:
            text = doc.sections[o.section].lines[o.line]
            others = [sp for sp in spans[(o.section, o.line)] if sp != (o.start, o.end)]
            left_bound = max([b for a, b in others if b <= o.start], default=0)
            right_bound = min([a for a, b in others if a >= o.end], default=len(text))
            left = normalise.tokens(text[left_bound : o.start])[-CONTEXT_TOKENS:]
            right = normalise.tokens(text[o.end : right_bound])[:CONTEXT_TOKENS]
            for alt, form in enumerate(o.forms):
                signature = " ".join(left + normalise.tokens(form) + right)
                if signature:
                    slot.signatures[alt].append(signature)
                    owner.setdefault(signature, set()).add((i, alt))
    # A signature two alternatives could produce proves nothing: drop it.
    ambiguous = {sig for sig, owners in owner.items() if len(owners) > 1}
    widest = max((slot.size for slot in slots), default=0)
    for a in range(widest):
        choices = [a % slot.size for slot in slots]
        variant = apply(doc, slots, [], choices, [])
        grams = normalise.ngram_positions(normalise.tokens(variant.text()), 12)
        for slot, choice in zip(slots, choices, strict=True):
            for alt, sigs in enumerate(slot.signatures):
                for sig in sigs:
                    if (sig in grams) != (alt == choice):
                        ambiguous.add(sig)
    for slot in slots:
        slot.signatures = [
            list(dict.fromkeys(s for s in sigs if s not in ambiguous)) for sigs in slot.signatures
        ]
