"""Training the matching model on the organisation's data: u by sampling, m by EM (Splink)."""

import datetime as dt

import numpy as np
import pytest
from django.urls import reverse

from lifeline.linkage import services, training
from lifeline.linkage.comparison import (
    DEFAULT_MODEL,
    FIELDS,
    LEVELS,
    BirthRange,
    Model,
    Profile,
    compare,
    compare_levels,
)
from lifeline.linkage.models import MatchModel
from lifeline.linkage.selectors import current_model
from tests.api import api_client, call
from tests.factories import make_person


def synthetic_vectors(n: int, share: float, seed: int = 1) -> np.ndarray:
    """Comparison vectors drawn from the priors' m (matches) and u (the rest)."""
    rng = np.random.default_rng(seed)
    match = rng.random(n) < share
    columns = []
    for name in FIELDS:
        m = np.array([mu[0] for mu in LEVELS[name].values()])
        u = np.array([mu[1] for mu in LEVELS[name].values()])
        column = np.where(
            match,
            rng.choice(len(m), n, p=m / m.sum()),
            rng.choice(len(u), n, p=u / u.sum()),
        )
        column[rng.random(n) < 0.3] = training.MISSING
        columns.append(column)
    return np.stack(columns, axis=1).astype(np.int8)


def test_em_recovers_the_m_probabilities_and_the_share_of_matches():
    vectors = synthetic_vectors(20_000, share=0.2)
    u = {name: {level: mu[1] for level, mu in LEVELS[name].items()} for name in FIELDS}
    m, prior, iterations = training.estimate_m(vectors, u=u)
    share = 2**prior / (1 + 2**prior)
    assert share == pytest.approx(0.2, abs=0.02)
    assert m["name"]["exact"] == pytest.approx(0.55, abs=0.03)
    assert m["passport"]["same"] == pytest.approx(0.9, abs=0.03)
    assert m["birth"]["far"] < 0.02
    assert 1 <= iterations <= training.EM_MAX_ITERATIONS


def test_the_prior_is_the_chance_that_two_persons_at_random_are_one():
    # 1,000 persons; among the candidate pairs, 500 true pairs (drawn from m), 5,000 not (u).
    vectors = synthetic_vectors(20_000, share=0.5)
    rng = np.random.default_rng(2)
    m = {name: {level: mu[0] for level, mu in LEVELS[name].items()} for name in FIELDS}
    u = {name: {level: mu[1] for level, mu in LEVELS[name].items()} for name in FIELDS}
    weights = training.match_weights(vectors, Model(prior=0.0))
    matches = vectors[weights > 10][:500]
    others = vectors[weights < -10][:5000]
    assert len(matches) == 500 and len(others) == 5000
    sample = np.concatenate([matches, others])[rng.permutation(5500)]
    prior = training.prior_of_all_pairs(sample, m=m, u=u, persons=1000)
    assert 2**prior * 499_500 == pytest.approx(500, rel=0.05)


def test_u_from_random_pairs_is_the_share_of_each_level_among_different_persons():
    born = [dt.date(1990, 1, 1) + dt.timedelta(days=400 * k) for k in range(10)]
    profiles = [
        Profile(names=(f"Person{k} Family{k % 3}",), birth=BirthRange(born[k % 10], born[k % 10]))
        for k in range(60)
    ]
    u, sampled = training.estimate_u(profiles, samples=2000)
    assert sampled == 1770  # every pair of 60, fewer than asked
    assert sum(u["birth"].values()) == pytest.approx(1.0)
    # One in ten persons shares a birth date: about one random pair in ten.
    assert u["birth"]["same_date"] == pytest.approx(0.1, abs=0.03)
    # Never seen: a phone. Kept at its prior.
    assert u["phone"] == {level: mu[1] for level, mu in LEVELS["phone"].items()}


def test_too_little_data_keeps_the_priors_and_says_why():
    few = [Profile(names=("Somchai Jaidee",))] * 10
    result = training.train(few, np.zeros((0, len(FIELDS)), dtype=np.int8))
    assert not result.trained and result.reason == "persons"
    assert result.model == DEFAULT_MODEL


def test_vectorised_weights_are_the_weights_compare_gives():
    a = Profile(names=("张伟",), phones=frozenset({"+66812345678"}), gender="Masculine")
    b = Profile(names=("Wei Zhang",), phones=frozenset({"+66812345678"}), gender="Feminine")
    c = Profile(names=("Zhang Wei",), birth=BirthRange(dt.date(1999, 1, 1), dt.date(1999, 1, 1)))
    model = Model(levels={**LEVELS, "phone": {"same": (0.6, 0.001), "different": (0.4, 0.999)}})
    frequencies = {"wei zhang": 0.01}
    pairs = [(a, b), (a, c), (b, c)]
    vectors, tf_u = [], []
    for x, y in pairs:
        levels, tf = compare_levels(x, y, frequencies=frequencies)
        vectors.append(training.level_vector(levels))
        tf_u.append(tf)
        assert training.vector_levels(vectors[-1]) == levels
    weights = training.match_weights(np.array(vectors, dtype=np.int8), model, np.array(tf_u))
    expected = [compare(x, y, frequencies=frequencies, model=model).match_weight for x, y in pairs]
    assert weights == pytest.approx(expected)


def test_stored_parameters_round_trip_and_another_schema_falls_back_to_the_priors():
    model = Model(levels={**LEVELS, "gender": {"same": (0.9, 0.4), "different": (0.1, 0.6)}})
    assert training.model_from_json(training.model_to_json(model)) == Model(
        levels={name: dict(model.levels[name]) for name in FIELDS}, prior=model.prior
    )
    assert training.model_from_json({"schema": 99, "levels": {}}) == DEFAULT_MODEL


@pytest.fixture
def small_training(monkeypatch):
    """Training thresholds low enough for a handful of persons."""
    monkeypatch.setattr(training, "MIN_PERSONS", 4)
    monkeypatch.setattr(training, "MIN_PAIRS", 2)


def test_a_run_trains_stores_and_scores_with_the_model(small_training, coordinator_a, login):
    for names, phone in (
        (("张伟",), "+66 81 234 5678"),
        (("Wei Zhang",), "+66 81 234 5678"),
        (("Zhang Wei",), "+855 12 345 678"),
        (("Somchai Jaidee",), "+66 89 999 0000"),
        (("สมชาย ใจดี",), "+66 89 999 0000"),
        (("Nguyen Van An",), None),
    ):
        make_person(coordinator_a, *names, phone=phone)
    result = services.dedup_run(organisation=coordinator_a.organisation)
    assert result.trained and result.model_version == 1
    stored = MatchModel.objects.get()
    assert stored.trained and stored.persons == 6 and stored.pairs == result.compared
    assert stored.em_pairs >= 1 and stored.u_samples == 15  # every pair of 6
    assert stored.parameters["schema"] == training.PARAMETERS_SCHEMA
    model = current_model(organisation=coordinator_a.organisation)
    assert model != DEFAULT_MODEL and model.prior == stored.parameters["prior"]
    page = login(coordinator_a).get(reverse("linkage:model")).content.decode()
    assert "Version 1, trained" in page and "expectation maximisation" in page
    services.dedup_run(organisation=coordinator_a.organisation)
    assert list(MatchModel.objects.values_list("version", flat=True).order_by("version")) == [1, 2]


def test_a_run_on_too_little_data_says_it_kept_the_starting_values(coordinator_a, login):
    make_person(coordinator_a, "张伟", phone="+66 81 234 5678")
    make_person(coordinator_a, "Wei Zhang", phone="+66 81 234 5678")
    client = login(coordinator_a)
    assert (
        "No search for duplicates has run yet"
        in client.get(reverse("linkage:model")).content.decode()
    )
    result = services.dedup_run(organisation=coordinator_a.organisation)
    assert not result.trained and result.proposed == 1
    page = client.get(reverse("linkage:model")).content.decode()
    assert "kept the starting values: Too few persons to learn from" in page
    assert current_model(organisation=coordinator_a.organisation) == DEFAULT_MODEL


def test_the_api_shows_each_organisation_its_own_model(
    small_training, coordinator_a, coordinator_b
):
    for k in range(5):
        make_person(coordinator_a, f"Somchai Jaidee{k % 2}", phone="+66 89 999 0000")
    services.dedup_run(organisation=coordinator_a.organisation)
    mine = call(api_client(coordinator_a), "get", "/api/v1/duplicates/model").json()
    assert mine["version"] == 1 and mine["persons"] == 5
    theirs = call(api_client(coordinator_b), "get", "/api/v1/duplicates/model").json()
    assert theirs["version"] == 0 and theirs["reason"] == "none" and not theirs["trained"]
