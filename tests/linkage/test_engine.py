"""The run's engine: blocking by sorted key hashes, comparing in worker processes."""

import datetime as dt
import itertools
import random

import numpy as np

from lifeline.linkage import engine
from lifeline.linkage.blocking import blocking_keys
from lifeline.linkage.comparison import BirthRange, Profile, birth_range_from_age, compare_levels
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


def _mixed_profiles():
    """Simple profiles (compared as columns) beside others (compared one by one), with
    dates that agree, differ by a digit, by two swapped digits, by day and month, or far."""
    rng = random.Random(3)
    names = ["张伟", "Wei Zhang", "Zhang Wei", "Zhang Wie", "สมชาย ใจดี", "Somchai Jaidee", "Li Na"]
    dates = [dt.date(1990, 3, 12), dt.date(1990, 3, 13), dt.date(1990, 3, 21), dt.date(1990, 12, 3)]
    dates += [dt.date(1909, 3, 12), dt.date(2001, 7, 1)]
    profiles = []
    for k in range(60):
        birth = None
        if k % 4 == 1:
            day = rng.choice(dates)
            birth = BirthRange(day, day)
        elif k % 4 == 2:
            birth = birth_range_from_age(rng.randrange(30, 40), told_on=dt.date(2025, 1, 1))
        profiles.append(
            Profile(
                names=tuple(rng.sample(names, 2 if k % 9 == 0 else 1 if k % 7 else 0)),
                phones=frozenset(rng.sample(["+66812345678", "+66899990000"], k % 3)),
                handles=frozenset({"line:somchai"}) if k % 11 == 0 else frozenset(),
                birth=birth,
                citizenships=frozenset({rng.choice(["TH", "CN"])}) if k % 5 else frozenset(),
                gender=rng.choice(["", "Feminine", "Masculine"]),
            )
        )
    return profiles


def test_columns_give_the_levels_compare_levels_gives():
    profiles = _mixed_profiles()
    first, second = (np.array(x) for x in zip(*itertools.combinations(range(60), 2), strict=True))
    frequencies = {"wei zhang": 0.01, "li na": 0.02}
    vectors, tf_u = engine.comparison_vectors(profiles, first, second, frequencies=frequencies)
    for row, (a, b) in enumerate(zip(first.tolist(), second.tolist(), strict=True)):
        levels, share = compare_levels(profiles[a], profiles[b], frequencies=frequencies)
        assert vectors[row].tolist() == level_vector(levels), (a, b)
        assert tf_u[row] == np.float32(share), (a, b)
    simple = engine.columns(profiles, frequencies).simple
    assert simple.sum() > 20 and (~simple).sum() > 10
