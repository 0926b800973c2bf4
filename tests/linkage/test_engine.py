"""The run's engine: blocking by sorted key hashes, comparing in worker processes."""

import itertools

import numpy as np

from lifeline.linkage import engine
from lifeline.linkage.blocking import blocking_keys
from lifeline.linkage.comparison import Profile, compare_levels
from lifeline.linkage.training import level_vector

PROFILES = [
    Profile(names=("张伟",), phones=frozenset({"+66812345678"})),
    Profile(names=("Wei Zhang",), phones=frozenset({"+66812345678"})),
    Profile(names=("Zhang Wei",)),
    Profile(names=("สมชาย ใจดี",)),
    Profile(names=("Somchai Jaidee",), phones=frozenset({"+66899990000"})),
    Profile(names=("Nguyen Van An",), phones=frozenset({"+66899990000"})),
    Profile(names=("Li Na",)),
    Profile(names=("Li Na",)),
    Profile(names=("Li Na",)),
]


def brute_force(profiles, max_block):
    blocks = {}
    for index, profile in enumerate(profiles):
        for key in blocking_keys(profile):
            blocks.setdefault(key, []).append(index)
    return {
        pair
        for members in blocks.values()
        if 2 <= len(members) <= max_block
        for pair in itertools.combinations(sorted(members), 2)
    }


def test_it_finds_every_pair_that_shares_a_key_once_in_order():
    first, second, skipped = engine.candidate_pairs(PROFILES)
    pairs = list(zip(first.tolist(), second.tolist(), strict=True))
    assert pairs == sorted(brute_force(PROFILES, 2000)) and skipped == 0
    assert (0, 1) in pairs and (0, 2) in pairs and (3, 4) in pairs and (4, 5) in pairs


def test_an_oversized_block_is_skipped_and_counted():
    first, second, skipped = engine.candidate_pairs(PROFILES, max_block=2)
    pairs = set(zip(first.tolist(), second.tolist(), strict=True))
    assert pairs == brute_force(PROFILES, 2) and skipped >= 1
    assert (6, 7) not in pairs  # Li Na three times: a block of three


def test_worker_processes_give_the_vectors_one_process_gives(monkeypatch):
    monkeypatch.setattr(engine, "CHUNK", 2)
    first, second, _skipped = engine.candidate_pairs(PROFILES)
    one, tf_one = engine.comparison_vectors(PROFILES, first, second, frequencies={})
    two, tf_two = engine.comparison_vectors(PROFILES, first, second, frequencies={}, workers=2)
    assert np.array_equal(one, two) and np.array_equal(tf_one, tf_two)
    a, b = int(first[0]), int(second[0])
    assert one[0].tolist() == level_vector(compare_levels(PROFILES[a], PROFILES[b])[0])


def test_small_batches_give_the_same_pairs(monkeypatch):
    first, second, _skipped = engine.candidate_pairs(PROFILES)
    monkeypatch.setattr(engine, "PAIR_BATCH", 1)
    again, second_again, _skipped = engine.candidate_pairs(PROFILES)
    assert np.array_equal(first, again) and np.array_equal(second, second_again)
