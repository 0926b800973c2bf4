"""The matching engine of a full run, sized for an organisation of a million persons.

    profiles (names romanised once) -> blocking keys -> candidate pairs (numpy) -> comparison
    vectors (columns; names once per distinct pair of names, in worker processes) ->
    training -> match weights (numpy)

Blocking keys are hashed to 64-bit integers and grouped by sorting, so the blocks never live
as Python lists; each block's pairs are generated as arrays, a block size at a time, and
deduplicated in batches. A block larger than ``block_bound`` is a name so common it says
little on its own: its pairs are left to the other keys (contacts, documents, the other name
parts, the name with a date of birth) and counted.

Comparing: the pairs of two simple profiles (one name, phone and citizenship at most, no
handle or document: nearly all) are compared as numpy columns (phone, birth, citizenship,
sex), and their names once per distinct pair of names, in Python; the other pairs by
``compare_levels`` one by one. Both give the same levels. A pair's comparison vector holds one
level code per field (int8), so ten million pairs take 70 MB.

Pure Python and numpy over profiles held in memory by the caller (no Django, no database).
"""

from __future__ import annotations

import multiprocessing
import os
from array import array
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from lifeline.linkage.blocking import blocking_keys
from lifeline.linkage.comparison import (
    FIELDS,
    NameParts,
    Profile,
    compare_levels,
    compare_name_parts,
    name_frequencies,
    parts_key,
)
from lifeline.linkage.training import (
    LEVEL_CODES,
    MISSING,
    Training,
    level_vector,
    match_weights,
    random_pairs,
    train,
)

if TYPE_CHECKING:
    import numpy as np

Progress = Callable[[str, int, int], None]
CHUNK = 20_000
# A full run's bound on a block: its pairs grow with the square of its size, and a name part
# shared by hundreds of persons says little on its own (their pairs come through the other
# keys: a contact, a document, the other name part, the name with a date of birth). Counted.
MAX_BLOCK = 200
# Pairs grow with the persons times the blocks' size: beyond 200,000 persons the bound on a
# block shrinks so that persons x bound stays within this (40 persons at a million: a name
# part shared by more says little more than its shares of a phone, a date of birth or the
# other name part, which still pair them). Never below MIN_BLOCK.
PAIR_BUDGET = 40_000_000
MIN_BLOCK = 20
# Pairs generated before they are deduplicated: bounds the memory blocking takes.
PAIR_BATCH = 5_000_000


def _noop(stage: str, done: int, total: int) -> None:
    return None


def block_bound(persons: int) -> int:
    """The largest block a run of ``persons`` pairs in full."""
    return min(MAX_BLOCK, max(MIN_BLOCK, PAIR_BUDGET // max(persons, 1)))


def candidate_pairs(
    profiles: Sequence[Profile], *, max_block: int = MAX_BLOCK
) -> tuple[np.ndarray, np.ndarray, int]:
    """(first indexes, second indexes, blocks too large and skipped): every pair of
    ``profiles`` that shares a blocking key, once, the lower index first, in order."""
    import numpy as np

    hashes = array("q")
    owners = array("q")
    for index, profile in enumerate(profiles):
        for key in blocking_keys(profile):
            # A collision of two keys only merges two blocks: more pairs compared, none lost.
            hashes.append(hash(key))
            owners.append(index)
    keys = np.frombuffer(hashes, dtype=np.int64)
    members = np.frombuffer(owners, dtype=np.int64)
    order = np.argsort(keys, kind="stable")
    keys, members = keys[order], members[order]
    del order
    starts = np.flatnonzero(np.r_[True, keys[1:] != keys[:-1]])
    sizes = np.diff(np.r_[starts, len(keys)])
    skipped = int((sizes > max_block).sum())
    n = max(len(profiles), 1)
    # One pair is one int64 (lower * n + higher); each batch is deduplicated as it fills, and
    # the batches once at the end (not the whole again at every batch), so a pair found
    # through several keys is held once.
    done: list[np.ndarray] = []
    batch: list[np.ndarray] = []
    held = 0
    for size in np.unique(sizes[(sizes >= 2) & (sizes <= max_block)]).tolist():
        i, j = np.triu_indices(size, 1)
        all_first = starts[sizes == size]
        step = max(1, PAIR_BATCH // len(i))
        for k in range(0, len(all_first), step):
            block = members[all_first[k : k + step, None] + np.arange(size)]
            low = np.minimum(block[:, i], block[:, j]).ravel()
            high = np.maximum(block[:, i], block[:, j]).ravel()
            batch.append(low * n + high)
            held += len(low)
            if held >= PAIR_BATCH:
                done.append(np.unique(np.concatenate(batch)))
                batch, held = [], 0
    unique = np.unique(np.concatenate([np.zeros(0, dtype=np.int64), *done, *batch]))
    del done, batch
    return unique // n, unique % n, skipped


# Worker processes read the name table, the profiles and the pairs from the parent's memory
# (fork, copy on write).
_SHARED: dict[str, object] = {}


@dataclass
class Columns:
    """The simple fields of every profile as numpy columns, for the pairs of two *simple*
    profiles (at most one name, phone and citizenship, no handle, no document: nearly all).
    A pair with another profile is compared by ``compare_levels`` itself."""

    simple: np.ndarray  # bool
    name: np.ndarray  # int32 index into ``names``, -1 without a name
    key: np.ndarray  # int32 index of the name's ``parts_key``, -1 without a name
    phone: np.ndarray  # int32 phone id, -1 without
    citizenship: np.ndarray  # int32, -1 without
    gender: np.ndarray  # int32, -1 unknown
    born_from: np.ndarray  # int32 proleptic ordinal of the earliest birth date, 0 without
    born_to: np.ndarray  # int32, of the latest
    names: list[NameParts]  # each distinct name romanised, once
    key_share: np.ndarray  # float32: the share of persons bearing each key (tf_u)


def columns(profiles: Sequence[Profile], frequencies: Mapping[str, float]) -> Columns:
    import numpy as np

    n = len(profiles)
    simple = np.zeros(n, dtype=bool)
    ints = {k: np.full(n, -1, dtype=np.int32) for k in ("name", "key", "phone", "cit", "gender")}
    born_from = np.zeros(n, dtype=np.int32)
    born_to = np.zeros(n, dtype=np.int32)
    ids: dict[str, dict[object, int]] = {k: {} for k in ("name", "key", "phone", "cit", "gender")}
    names: list[NameParts] = []
    for index, profile in enumerate(profiles):
        if (
            len(profile.names) > 1
            or len(profile.phones) > 1
            or len(profile.citizenships) > 1
            or profile.handles
            or profile.documents
        ):
            continue
        simple[index] = True
        if profile.names:
            name = profile.names[0]
            if name not in ids["name"]:
                ids["name"][name] = len(names)
                names.append(profile.name_parts[0])
            ints["name"][index] = ids["name"][name]
            key = parts_key(profile.name_parts[0])
            ints["key"][index] = ids["key"].setdefault(key, len(ids["key"]))
        for field_name, values in (
            ("phone", profile.phones),
            ("cit", profile.citizenships),
            ("gender", (profile.gender,) if profile.gender else ()),
        ):
            for value in values:
                ints[field_name][index] = ids[field_name].setdefault(value, len(ids[field_name]))
        if profile.birth is not None:
            born_from[index] = profile.birth.earliest.toordinal()
            born_to[index] = profile.birth.latest.toordinal()
    key_share = np.array([frequencies.get(str(key), 0.0) for key in ids["key"]], dtype=np.float32)
    return Columns(
        simple,
        ints["name"],
        ints["key"],
        ints["phone"],
        ints["cit"],
        ints["gender"],
        born_from,
        born_to,
        names,
        key_share,
    )


def _code(field_name: str, level: str) -> int:
    return LEVEL_CODES[field_name].index(level)


def _set_codes(field_name: str, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    import numpy as np

    codes = np.where(a == b, _code(field_name, "same"), _code(field_name, "different"))
    return np.where((a < 0) | (b < 0), MISSING, codes).astype(np.int8)


def _date_digits(ordinals: np.ndarray) -> np.ndarray:
    """The YYYYMMDD digits of dates given as ordinals (n x 8)."""
    import numpy as np

    days = (ordinals - 1).astype("timedelta64[D]") + np.datetime64("0001-01-01")
    text = np.datetime_as_string(days, unit="D")
    return np.char.replace(text, "-", "").astype("S8").view(np.uint8).reshape(-1, 8)


def _birth_codes(cols: Columns, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``_birth_level`` of comparison.py, on arrays."""
    import numpy as np

    a_from, a_to = cols.born_from[a], cols.born_to[a]
    b_from, b_to = cols.born_from[b], cols.born_to[b]
    codes = np.full(len(a), MISSING, dtype=np.int8)
    known = (a_from > 0) & (b_from > 0)
    exact = known & (a_from == a_to) & (b_from == b_to)
    codes[exact & (a_from == b_from)] = _code("birth", "same_date")
    written = np.flatnonzero(exact & (a_from != b_from))
    if len(written):
        # Two dates written down that differ: one digit changed, two swapped, or day and
        # month exchanged is a typo ("near"), anything else another person ("far").
        x, y = _date_digits(a_from[written]), _date_digits(b_from[written])
        differ = x != y
        count = differ.sum(axis=1)
        swapped = np.zeros(len(written), dtype=bool)
        for k in range(7):
            swapped |= (
                differ[:, k]
                & differ[:, k + 1]
                & (x[:, k] == y[:, k + 1])
                & (x[:, k + 1] == y[:, k])
            )
        day_month = (
            (x[:, :4] == y[:, :4]).all(axis=1)
            & (x[:, 4:6] == y[:, 6:8]).all(axis=1)
            & (x[:, 6:8] == y[:, 4:6]).all(axis=1)
        )
        near = (count == 1) | ((count == 2) & swapped) | day_month
        codes[written] = np.where(near, _code("birth", "near"), _code("birth", "far"))
    spans = known & ~exact
    gap_days = np.maximum(np.maximum(b_from - a_to, a_from - b_to), 0)
    gap = gap_days / 365.25
    span_codes = np.where(
        gap == 0,
        _code("birth", "overlap"),
        np.where(gap <= 3, _code("birth", "near"), _code("birth", "far")),
    )
    codes[spans] = span_codes[spans]
    return codes


def _name_chunk(bounds: tuple[int, int]) -> bytes:
    import numpy as np

    names: list[NameParts] = _SHARED["names"]  # type: ignore[assignment]
    left: np.ndarray = _SHARED["left"]  # type: ignore[assignment]
    right: np.ndarray = _SHARED["right"]  # type: ignore[assignment]
    start, end = bounds
    codes = LEVEL_CODES["name"]
    out = np.fromiter(
        (
            codes.index(compare_name_parts(names[x], names[y]))
            for x, y in zip(left[start:end].tolist(), right[start:end].tolist(), strict=True)
        ),
        dtype=np.int8,
        count=end - start,
    )
    return out.tobytes()


def _compare_chunk(bounds: tuple[int, int]) -> tuple[bytes, bytes]:
    import numpy as np

    profiles: Sequence[Profile] = _SHARED["profiles"]  # type: ignore[assignment]
    frequencies: Mapping[str, float] = _SHARED["frequencies"]  # type: ignore[assignment]
    first: np.ndarray = _SHARED["first"]  # type: ignore[assignment]
    second: np.ndarray = _SHARED["second"]  # type: ignore[assignment]
    start, end = bounds
    vectors = np.empty((end - start, len(FIELDS)), dtype=np.int8)
    tf_u = np.zeros(end - start, dtype=np.float32)
    pairs = zip(first[start:end].tolist(), second[start:end].tolist(), strict=True)
    for row, (a, b) in enumerate(pairs):
        levels, tf_u[row] = compare_levels(profiles[a], profiles[b], frequencies=frequencies)
        vectors[row] = level_vector(levels)
    return vectors.tobytes(), tf_u.tobytes()


def _run(function, total: int, workers: int, progress: Progress, done: int, grand: int):
    """``function`` over chunks of ``total`` rows, in ``workers`` forked processes when > 1."""
    bounds = [(start, min(start + CHUNK, total)) for start in range(0, total, CHUNK)]
    if workers > 1 and len(bounds) > 1:
        with multiprocessing.get_context("fork").Pool(workers) as pool:
            for (_start, end), result in zip(bounds, pool.imap(function, bounds), strict=True):
                progress("comparing", done + end, grand)
                yield result
    else:
        for (_start, end), result in zip(bounds, map(function, bounds), strict=True):
            progress("comparing", done + end, grand)
            yield result


def comparison_vectors(
    profiles: Sequence[Profile],
    first: np.ndarray,
    second: np.ndarray,
    *,
    frequencies: Mapping[str, float],
    workers: int = 1,
    progress: Progress = _noop,
) -> tuple[np.ndarray, np.ndarray]:
    """(vectors, tf_u): each pair's level codes and the share of persons with the exact name
    it shares: ``compare_levels`` of every pair. Pairs of simple profiles are compared as
    columns, their names once per distinct pair of names; the others one by one. ``workers``
    > 1 forks that many processes (a command-line run; a web process keeps 1)."""
    import numpy as np

    total = len(first)
    vectors = np.empty((total, len(FIELDS)), dtype=np.int8)
    tf_u = np.zeros(total, dtype=np.float32)
    cols = columns(profiles, frequencies)
    plain = np.flatnonzero(cols.simple[first] & cols.simple[second])
    other = np.flatnonzero(~(cols.simple[first] & cols.simple[second]))
    a, b = first[plain], second[plain]
    # Each distinct (name, name) is compared once, in the pair's order.
    named = np.flatnonzero((cols.name[a] >= 0) & (cols.name[b] >= 0))
    width = max(len(cols.names), 1)
    name_pairs, inverse = np.unique(
        cols.name[a[named]].astype(np.int64) * width + cols.name[b[named]], return_inverse=True
    )
    grand = len(name_pairs) + len(other)
    _SHARED.update(
        names=cols.names,
        left=name_pairs // width,
        right=name_pairs % width,
        profiles=profiles,
        frequencies=frequencies,
        first=first[other],
        second=second[other],
    )
    try:
        name_codes = np.frombuffer(
            b"".join(_run(_name_chunk, len(name_pairs), workers, progress, 0, grand)),
            dtype=np.int8,
        )
        rows = np.full(len(plain), MISSING, dtype=np.int8)
        rows[named] = name_codes[inverse.ravel()]
        column = {name: k for k, name in enumerate(FIELDS)}
        vectors[plain, column["name"]] = rows
        vectors[plain, column["phone"]] = _set_codes("phone", cols.phone[a], cols.phone[b])
        vectors[plain, column["handle"]] = MISSING
        vectors[plain, column["passport"]] = MISSING
        vectors[plain, column["birth"]] = _birth_codes(cols, a, b)
        vectors[plain, column["citizenship"]] = _set_codes(
            "citizenship", cols.citizenship[a], cols.citizenship[b]
        )
        vectors[plain, column["gender"]] = _set_codes("gender", cols.gender[a], cols.gender[b])
        if frequencies:
            shared = (rows == _code("name", "exact")) & (cols.key[a] == cols.key[b])
            tf_u[plain[shared]] = cols.key_share[cols.key[a[shared]]]
        done = len(name_pairs)
        offset = 0
        for vector_bytes, tf_bytes in _run(
            _compare_chunk, len(other), workers, progress, done, grand
        ):
            chunk = np.frombuffer(vector_bytes, dtype=np.int8).reshape(-1, len(FIELDS))
            vectors[other[offset : offset + len(chunk)]] = chunk
            tf_u[other[offset : offset + len(chunk)]] = np.frombuffer(tf_bytes, dtype=np.float32)
            offset += len(chunk)
    finally:
        _SHARED.clear()
    return vectors, tf_u


@dataclass
class Scored:
    """A run's candidate pairs (indexes into the profiles), their vectors and their weights."""

    first: np.ndarray
    second: np.ndarray
    vectors: np.ndarray
    tf_u: np.ndarray
    weights: np.ndarray
    training: Training
    skipped_blocks: int
    max_block: int = MAX_BLOCK


def score(
    profiles: Sequence[Profile],
    *,
    workers: int = 1,
    max_block: int | None = None,
    progress: Progress = _noop,
    seed: int = 0,
) -> Scored:
    """Block, compare, train on the organisation's data, and weigh every candidate pair.
    ``max_block``: the largest block paired in full (``block_bound`` of the persons unless
    given)."""
    progress("blocking", 0, 1)
    max_block = block_bound(len(profiles)) if max_block is None else max_block
    first, second, skipped = candidate_pairs(profiles, max_block=max_block)
    # How common each name is here: an exact agreement on a common name weighs less.
    frequencies = name_frequencies(profiles)
    progress("comparing", 0, len(first))
    vectors, tf_u = comparison_vectors(
        profiles,
        first,
        second,
        frequencies=frequencies,
        workers=workers,
        progress=progress,
    )
    progress("training", 0, 1)
    # u is learnt from random pairs, compared as the candidate pairs are.
    random_first, random_second = random_pairs(len(profiles), seed=seed)
    random_vectors, _tf = comparison_vectors(
        profiles, random_first, random_second, frequencies={}, workers=workers
    )
    training = train(profiles, vectors, seed=seed, random_vectors=random_vectors)
    progress("weighing", 0, 1)
    weights = match_weights(vectors, training.model, tf_u.astype("float64"))
    return Scored(first, second, vectors, tf_u, weights, training, skipped, max_block)


def default_workers() -> int:
    """Both cores of a small server, more on a larger one; 1 where only one is there."""
    return max(1, min(4, os.cpu_count() or 1))
