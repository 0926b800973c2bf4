"""The CTDC release rules (DATA-STANDARDS.md), as pure functions over counted combinations.

Input is a ``Counter`` of quasi-identifier tuples (one tuple per victim, already banded: year,
age band, codes), built by a GROUP BY in the database; nothing here sees a row per victim.

- Victim-level file: every combination released is shared by at least ``k`` records. Records
  in a smaller group have columns withheld (set to "") one group of columns at a time, in
  ``GENERALISATION_ORDER``; a record whose combination is still under ``k`` with every column
  but the year withheld is left out. Every column of the file counts as a quasi-identifier,
  so any subset of columns is k-anonymous too.
- Aggregate tables: each cell is rounded down to a multiple of ``k``; a cell under ``k`` is
  suppressed (left out of the file, counted in the manifest).
"""

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

Combination = tuple[str, ...]

# The victim-level file's columns: HTCDS 2.0 field names with their prefix (prs_, vic_, cas_),
# and CTDC's names for the banded ones (yearOfRegistration, ageBroad, CountryOfExploitation,
# is… flags). isForcedCriminality is Lifeline's extension, kept apart as UNODC does.
COLUMNS: tuple[str, ...] = (
    "yearOfRegistration",
    "ageBroad",
    "prs_Gender",
    "prs_Nationality",
    "CountryOfExploitation",
    "vic_TraffickingStatus",
    "isForcedLabour",
    "isSexualExploit",
    "isOtherExploit",
    "isForcedCriminality",
    "vic_LabourIndustry",
    "vic_RelationshipToTrafficker",
    "cas_Status",
)

# Withheld first: what researchers need least and what singles people out most easily. The
# year stays (it is what every table is broken down by); forced criminality and its industry
# go together, since one follows from the other.
GENERALISATION_ORDER: tuple[tuple[str, ...], ...] = (
    ("vic_RelationshipToTrafficker",),
    ("cas_Status",),
    ("CountryOfExploitation",),
    ("vic_TraffickingStatus",),
    ("isOtherExploit",),
    ("prs_Nationality",),
    ("ageBroad",),
    ("prs_Gender",),
    ("isSexualExploit",),
    ("isForcedLabour", "isForcedCriminality", "vic_LabourIndustry"),
)

WITHHELD = ""


@dataclass
class GeneralisationStep:
    withheld: tuple[str, ...]  # every column withheld at this step
    records: int = 0  # records released at this step


@dataclass
class VictimRelease:
    k: int
    released: Counter[Combination]
    steps: list[GeneralisationStep]
    suppressed: int  # records left out

    @property
    def total(self) -> int:
        return sum(self.released.values()) + self.suppressed

    @property
    def records(self) -> int:
        return sum(self.released.values())


def release_victims(combinations: Counter[Combination], k: int) -> VictimRelease:
    """The k-anonymous release of the victims counted in ``combinations`` (tuples in
    ``COLUMNS`` order). See the module docstring for the rule."""
    if k < 2:
        raise ValueError("k must be at least 2")
    index = {name: i for i, name in enumerate(COLUMNS)}
    released: Counter[Combination] = Counter()
    pending: Counter[Combination] = Counter()
    for combo, n in combinations.items():
        if len(combo) != len(COLUMNS):
            raise ValueError("a combination must have one value per column")
        if n <= 0:
            continue
        if n >= k:
            released[combo] += n
        else:
            pending[combo] += n
    steps: list[GeneralisationStep] = []
    withheld: list[str] = []
    for group in GENERALISATION_ORDER:
        if not pending:
            break
        withheld.extend(group)
        blank = {index[name] for name in withheld}
        step = GeneralisationStep(withheld=tuple(withheld))
        regrouped: Counter[Combination] = Counter()
        for combo, n in pending.items():
            regrouped[tuple(WITHHELD if i in blank else v for i, v in enumerate(combo))] += n
        pending = Counter()
        for combo, n in regrouped.items():
            # Joining a combination already released keeps it at k or more.
            if n + released.get(combo, 0) >= k:
                released[combo] += n
                step.records += n
            else:
                pending[combo] = n
        steps.append(step)
    return VictimRelease(k=k, released=released, steps=steps, suppressed=sum(pending.values()))


def victim_rows(release: VictimRelease) -> Iterable[Combination]:
    """One row per released victim, the combinations in sorted order (so the order of the
    file says nothing about the order of the cases)."""
    for combo in sorted(release.released):
        for _ in range(release.released[combo]):
            yield combo


# Aggregate tables ---------------------------------------------------------------------------


@dataclass
class Table:
    name: str
    columns: tuple[str, ...]  # the dimensions; the file adds "count"
    k: int
    cells: dict[Combination, int] = field(default_factory=dict)  # released, rounded
    suppressed: list[Combination] = field(default_factory=list)  # under k

    def rows(self) -> list[list[Any]]:
        return [[*cell, count] for cell, count in sorted(self.cells.items())]


def round_table(name: str, columns: tuple[str, ...], counts: Counter[Combination], k: int) -> Table:
    """Counts rounded down to multiples of ``k``; cells under ``k`` suppressed."""
    if k < 2:
        raise ValueError("k must be at least 2")
    table = Table(name=name, columns=columns, k=k)
    for cell, n in counts.items():
        if n >= k:
            table.cells[cell] = (n // k) * k
        elif n > 0:
            table.suppressed.append(cell)
    table.suppressed.sort()
    return table


def tally(
    combinations: Counter[Combination],
    project: Callable[[Combination], Iterable[Combination]],
) -> Counter[Combination]:
    """Counts of a table from the counted combinations: ``project`` maps one combination to
    the cells it counts in (several for a victim with several forms of exploitation)."""
    counts: Counter[Combination] = Counter()
    for combo, n in combinations.items():
        for cell in project(combo):
            counts[cell] += n
    return counts


def is_k_anonymous(rows: Iterable[Combination], k: int) -> bool:
    """Whether every distinct row occurs at least ``k`` times (the check the export runs on
    its own output before writing it)."""
    counts = Counter(rows)
    return all(n >= k for n in counts.values())
