"""The matching engine of a full run, sized for an organisation of a million persons.

    profiles -> blocking keys -> candidate pairs (numpy) -> comparison vectors (the field
    comparisons, in worker processes) -> training -> match weights (numpy)

Blocking keys are hashed to 64-bit integers and grouped by sorting, so the blocks never live
as Python lists; each block's pairs are generated as arrays, a block size at a time, and
deduplicated in batches. A block larger than ``max_block`` is a name so common it says little on
its own: its pairs are left to the other keys (contacts, documents, the other name parts,
the name with a date of birth) and counted. A pair's comparison vector holds one level code
per field (int8), so ten million pairs take 70 MB.

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
from lifeline.linkage.comparison import FIELDS, Profile, compare_levels, name_frequencies
from lifeline.linkage.training import Training, level_vector, match_weights, train

if TYPE_CHECKING:
    import numpy as np

Progress = Callable[[str, int, int], None]
CHUNK = 20_000
# A full run's bound on a block: its pairs grow with the square of its size, and a name part
# shared by hundreds of persons says little on its own (their pairs come through the other
# keys: a contact, a document, the other name part, the name with a date of birth). Counted.
MAX_BLOCK = 200
# Pairs generated before they are deduplicated: bounds the memory blocking takes.
PAIR_BATCH = 5_000_000


def _noop(stage: str, done: int, total: int) -> None:
    return None


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
    # One pair is one int64 (lower * n + higher); batches are deduplicated as they fill, so
    # a pair found through several keys is held once.
    unique = np.zeros(0, dtype=np.int64)
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
                unique = np.unique(np.concatenate([unique, *batch]))
                batch, held = [], 0
    unique = np.unique(np.concatenate([unique, *batch]))
    return unique // n, unique % n, skipped


# Worker processes read the profiles and pairs from the parent's memory (fork, copy on write).
_SHARED: dict[str, object] = {}


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
    it shares. ``workers`` > 1 forks that many processes (a command-line run; a web process
    keeps 1)."""
    import numpy as np

    total = len(first)
    vectors = np.empty((total, len(FIELDS)), dtype=np.int8)
    tf_u = np.zeros(total, dtype=np.float32)
    bounds = [(start, min(start + CHUNK, total)) for start in range(0, total, CHUNK)]
    _SHARED.update(profiles=profiles, frequencies=frequencies, first=first, second=second)
    try:
        if workers > 1 and len(bounds) > 1:
            with multiprocessing.get_context("fork").Pool(workers) as pool:
                results = pool.imap(_compare_chunk, bounds)
                _collect(results, bounds, vectors, tf_u, progress, total)
        else:
            _collect(map(_compare_chunk, bounds), bounds, vectors, tf_u, progress, total)
    finally:
        _SHARED.clear()
    return vectors, tf_u


def _collect(results, bounds, vectors, tf_u, progress: Progress, total: int) -> None:
    import numpy as np

    for (start, end), (vector_bytes, tf_bytes) in zip(bounds, results, strict=True):
        vectors[start:end] = np.frombuffer(vector_bytes, dtype=np.int8).reshape(end - start, -1)
        tf_u[start:end] = np.frombuffer(tf_bytes, dtype=np.float32)
        progress("comparing", end, total)


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


def score(
    profiles: Sequence[Profile],
    *,
    workers: int = 1,
    max_block: int = MAX_BLOCK,
    progress: Progress = _noop,
    seed: int = 0,
) -> Scored:
    """Block, compare, train on the organisation's data, and weigh every candidate pair."""
    progress("blocking", 0, 1)
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
    training = train(profiles, vectors, seed=seed)
    progress("weighing", 0, 1)
    weights = match_weights(vectors, training.model, tf_u.astype("float64"))
    return Scored(first, second, vectors, tf_u, weights, training, skipped)


def default_workers() -> int:
    """Both cores of a small server, more on a larger one; 1 where only one is there."""
    return max(1, min(4, os.cpu_count() or 1))
