"""Training the matching model on the organisation's own data.

The comparison itself stays the project's own (names across scripts need pypinyin, royin and
the surname tables, which no SQL engine has): each pair becomes a comparison vector, one level
code per field. What a field's levels are worth is then learnt the way Splink learns it:

- ``u`` (how often a level occurs among pairs that are not one person) by random sampling:
  pairs of persons drawn at random are nearly all different persons, so the share of each
  level among them is its u (Splink's ``estimate_u_using_random_sampling``);
- ``m`` (how often a level occurs among pairs that are one person) by expectation
  maximisation over the candidate pairs, with u held fixed (Splink's
  ``estimate_parameters_using_expectation_maximisation``, run by Splink on DuckDB over the
  comparison vectors);
- the prior odds that a candidate pair is one person, from the same EM.

Too few persons or pairs to learn from keeps the priors of lifeline.linkage.comparison, and
the training says so. The same Splink settings run on Spark (``SparkAPI`` instead of
``DuckDBAPI``) for deployments too large for one machine: docs/linkage.md.

Pure Python over comparison vectors held in memory by the caller; numpy, pandas, DuckDB and
Splink are imported only when a training runs.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from lifeline.linkage.comparison import (
    DEFAULT_MODEL,
    FIELDS,
    LEVELS,
    Model,
    Profile,
    compare_levels,
)

if TYPE_CHECKING:
    import numpy as np

PARAMETERS_SCHEMA = 1

# Below these, the estimates would say more about chance than about the organisation's data.
MIN_PERSONS = 200
MIN_PAIRS = 50
# Random pairs compared to estimate u, and candidate pairs EM learns m from (a sample of them
# beyond this: the estimates do not move with more, the time does).
# Splink samples a million; 30,000 saw too few of the rare levels (a variant spelling of a
# name, met by chance in about 1 pair in 12,000) and kept floors that out-weighed an exact name.
U_SAMPLE_PAIRS = 300_000
EM_MAX_PAIRS = 50_000
EM_MAX_ITERATIONS = 25
# No level is impossible: a probability learnt as 0 would make one field decide alone.
FLOOR = 1e-6

# Birth dates far apart keep the m of their prior: EM over unlabelled pairs counts namesakes
# (a common name, other fields missing) partly as matches and would learn that one match in
# ten was born years apart, so that a far birth year no longer pushed a pair down. (The other
# conflicts are learnt: a second passport or ID number of a true duplicate is a real case, and
# FEBRL's IDs show it.)
FIXED_M = frozenset({("birth", "far")})

LEVEL_CODES: dict[str, tuple[str, ...]] = {name: tuple(LEVELS[name]) for name in FIELDS}
MISSING = -1


@dataclass
class Training:
    """What a training learnt (or why it kept the priors), with the figures behind it."""

    model: Model = field(default_factory=lambda: DEFAULT_MODEL)
    trained: bool = False
    reason: str = ""  # why the priors were kept, for the page
    persons: int = 0
    pairs: int = 0
    u_samples: int = 0
    em_pairs: int = 0
    iterations: int = 0

    def parameters(self) -> dict[str, Any]:
        """The model as JSON: what is stored, versioned, per organisation."""
        return model_to_json(self.model)


def model_to_json(model: Model) -> dict[str, Any]:
    return {
        "schema": PARAMETERS_SCHEMA,
        "prior": model.prior,
        "levels": {
            name: {level: [m, u] for level, (m, u) in model.levels[name].items()} for name in FIELDS
        },
    }


def model_from_json(data: dict[str, Any]) -> Model:
    """The stored model; the priors for any field or level it lacks (a later schema may add
    levels), and the priors altogether for another schema."""
    if not isinstance(data, dict) or data.get("schema") != PARAMETERS_SCHEMA:
        return DEFAULT_MODEL
    stored = data.get("levels") or {}
    levels = {
        name: {
            level: tuple(stored.get(name, {}).get(level, prior))
            for level, prior in LEVELS[name].items()
        }
        for name in FIELDS
    }
    return Model(levels=levels, prior=float(data.get("prior", DEFAULT_MODEL.prior)))


def level_vector(levels: Sequence[str | None]) -> list[int]:
    """The comparison vector of ``compare_levels``' levels: the level's index, or MISSING."""
    return [
        MISSING if level is None else LEVEL_CODES[name].index(level)
        for name, level in zip(FIELDS, levels, strict=True)
    ]


def vector_levels(vector: Sequence[int]) -> list[str | None]:
    """The levels of a comparison vector (the reverse of ``level_vector``)."""
    return [
        None if code == MISSING else LEVEL_CODES[name][code]
        for name, code in zip(FIELDS, (int(c) for c in vector), strict=True)
    ]


def estimate_u(
    profiles: Sequence[Profile], *, samples: int = U_SAMPLE_PAIRS, seed: int = 0
) -> tuple[dict[str, dict[str, float]], int]:
    """(u of each field's levels, pairs sampled) from pairs of persons drawn at random,
    compared one by one (the engine compares its sample as columns: ``random_pairs``)."""
    import numpy as np

    first, second = random_pairs(len(profiles), samples=samples, seed=seed)
    vectors = np.array(
        [
            level_vector(compare_levels(profiles[i], profiles[j])[0])
            for i, j in zip(first.tolist(), second.tolist(), strict=True)
        ],
        dtype=np.int8,
    ).reshape(-1, len(FIELDS))
    return u_from_vectors(vectors), len(vectors)


def random_pairs(
    n: int, *, samples: int = U_SAMPLE_PAIRS, seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Two arrays of indexes: ``samples`` pairs of two of ``n`` persons drawn at random (all
    pairs' worth at most), the lower index first."""
    import numpy as np

    generator = np.random.default_rng(seed)
    samples = min(samples, n * (n - 1) // 2)
    first = generator.integers(0, n, samples)
    # The second of each pair is another person, drawn uniformly among the n - 1 others.
    second = (first + generator.integers(1, max(n, 2), samples)) % max(n, 1)
    return np.minimum(first, second), np.maximum(first, second)


def u_from_vectors(vectors: np.ndarray) -> dict[str, dict[str, float]]:
    """u of each field's levels: their shares among the comparison vectors of random pairs."""
    import numpy as np

    u: dict[str, dict[str, float]] = {}
    for k, name in enumerate(FIELDS):
        counts = np.bincount(
            vectors[:, k][vectors[:, k] != MISSING].astype(np.int64),
            minlength=len(LEVEL_CODES[name]),
        )
        seen = int(counts.sum())
        if seen == 0:
            u[name] = {level: prior_u for level, (_m, prior_u) in LEVELS[name].items()}
            continue
        # A level never seen at random is rare among different persons: keep its prior u
        # unless the sample says it could be no rarer than 1 in (2 x the sample).
        raw = {
            level: int(counts[code]) / seen
            if counts[code]
            else min(LEVELS[name][level][1], 0.5 / seen)
            for code, level in enumerate(LEVEL_CODES[name])
        }
        total = sum(raw.values())
        u[name] = {level: max(value / total, FLOOR) for level, value in raw.items()}
    return u


def estimate_m(
    vectors: np.ndarray,
    *,
    u: dict[str, dict[str, float]],
    prior: float = DEFAULT_MODEL.prior,
    fields: Sequence[str] = FIELDS,
) -> tuple[dict[str, dict[str, float]], float, int]:
    """(m of the levels of ``fields``, log2 odds that a pair of ``vectors`` is one person, EM
    iterations): EM by Splink on DuckDB over the comparison vectors (one row per pair), u
    fixed. ``vectors`` has a column for each of FIELDS; only ``fields`` are compared."""
    import logging

    import pandas as pd  # type: ignore[import-untyped]
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    # Splink reports levels it could not train (a field nobody here has) as warnings: the
    # priors stay for those, as the page says.
    logging.getLogger("splink").setLevel(logging.ERROR)

    frame = pd.DataFrame(
        {
            "unique_id": range(len(vectors)),
            "pair_id": range(len(vectors)),
            **{
                name: pd.array(vectors[:, k], dtype="Int8")
                for k, name in enumerate(FIELDS)
                if name in fields
            },
        }
    )
    for name in fields:
        frame.loc[frame[name] == MISSING, name] = pd.NA
    comparisons: list[Any] = [
        {
            "output_column_name": name,
            "comparison_levels": [
                {
                    "sql_condition": f'"{name}_l" IS NULL',
                    "label_for_charts": "missing",
                    "is_null_level": True,
                },
                *(
                    {
                        "sql_condition": f'"{name}_l" = {code}',
                        "label_for_charts": level,
                        "m_probability": LEVELS[name][level][0],
                        "u_probability": u[name][level],
                        "fix_m_probability": (name, level) in FIXED_M,
                    }
                    for code, level in enumerate(LEVEL_CODES[name])
                ),
            ],
        }
        for name in fields
    ]
    # Each pair is one row in each of two copies of the table, joined on its pair id: Splink
    # sees exactly the candidate pairs, compared already.
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=comparisons,
        blocking_rules_to_generate_predictions=[block_on("pair_id")],
        probability_two_random_records_match=_probability(prior),
        retain_intermediate_calculation_columns=False,
        max_iterations=EM_MAX_ITERATIONS,
    )
    db_api = DuckDBAPI()
    tables = [db_api.register(frame, dataset_display_name=side) for side in ("pairs_l", "pairs_r")]
    linker = Linker(tables, settings, log_level=None)
    session = linker.training.estimate_parameters_using_expectation_maximisation(
        block_on("pair_id"), fix_u_probabilities=True
    )
    learnt = linker.misc.save_model_to_json()
    m: dict[str, dict[str, float]] = {}
    for comparison in learnt["comparisons"]:
        name = comparison["output_column_name"]
        m[name] = {}
        for level in comparison["comparison_levels"]:
            label = level.get("label_for_charts")
            if label in LEVELS.get(name, {}):
                value = level.get("m_probability")
                m[name][label] = LEVELS[name][label][0] if value is None else float(value)
    # Splink keeps the share of matches among the blocked pairs of each iteration: among
    # candidate pairs, that is the prior this model scores them with.
    history = session._lambda_history_records
    lam = min(max(float(history[-1]["probability_two_random_records_match"]), 1e-6), 0.999)
    return m, math.log2(lam / (1 - lam)), len(history) - 1


def _probability(log2_odds: float) -> float:
    odds = 2.0**log2_odds
    return odds / (1.0 + odds)


def _weights(m: dict[str, dict[str, float]], u: dict[str, dict[str, float]]) -> np.ndarray:
    """A (fields x (levels + 1)) table of log2(m/u); the last column (MISSING) weighs 0."""
    import numpy as np

    width = max(len(codes) for codes in LEVEL_CODES.values()) + 1
    table = np.zeros((len(FIELDS), width))
    for k, name in enumerate(FIELDS):
        for code, level in enumerate(LEVEL_CODES[name]):
            table[k, code] = math.log2(max(m[name][level], FLOOR) / max(u[name][level], FLOOR))
    return table


def match_weights(vectors: np.ndarray, model: Model, tf_u: np.ndarray | None = None) -> np.ndarray:
    """Each pair's match weight under ``model``, vectorised (the same sum ``compare`` makes:
    the prior, the fields' weights, an exact name's weight lowered by its frequency)."""
    import numpy as np

    m = {name: {level: mu[0] for level, mu in model.levels[name].items()} for name in FIELDS}
    u = {name: {level: mu[1] for level, mu in model.levels[name].items()} for name in FIELDS}
    table = _weights(m, u)
    rows = np.arange(len(FIELDS))
    total = table[rows, vectors.astype(np.int64)].sum(axis=1) + model.prior
    if tf_u is not None:
        exact = LEVEL_CODES["name"].index("exact")
        m_exact, u_exact = model.levels["name"]["exact"]
        common = (vectors[:, 0] == exact) & (tf_u > u_exact)
        total[common] += np.log2(u_exact / tf_u[common])
        del m_exact
    return total


# Splink's way round the bias of blocking: EM learns a field's m only on pairs that were not
# selected by that field. Pairs sharing a contact or a document teach the m of names, birth,
# citizenship and sex; pairs whose names agree teach the m of the other fields.
SESSIONS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("contact", ("name", "birth", "citizenship", "gender")),
    ("name", ("phone", "handle", "passport", "birth", "citizenship", "gender")),
)


def _session_rows(vectors: np.ndarray, session: str) -> np.ndarray:
    column = {name: k for k, name in enumerate(FIELDS)}
    if session == "contact":
        return (
            (vectors[:, column["phone"]] == LEVEL_CODES["phone"].index("same"))
            | (vectors[:, column["handle"]] == LEVEL_CODES["handle"].index("same"))
            | (vectors[:, column["passport"]] == LEVEL_CODES["passport"].index("same"))
        )
    names = vectors[:, column["name"]]
    return (names == LEVEL_CODES["name"].index("exact")) | (
        names == LEVEL_CODES["name"].index("variant")
    )


def prior_of_all_pairs(
    vectors: np.ndarray,
    *,
    m: dict[str, dict[str, float]],
    u: dict[str, dict[str, float]],
    persons: int,
) -> float:
    """The log2 odds that two persons drawn at random are one, given m and u: EM on that share
    alone over every pair, the pairs blocking left out counting as different persons."""
    import numpy as np

    all_pairs = persons * (persons - 1) / 2
    bayes = np.exp2(
        np.clip(
            _weights(m, u)[np.arange(len(FIELDS)), vectors.astype(np.int64)].sum(axis=1), -60, 60
        )
    )
    lam = min(persons / all_pairs, 0.5)  # a start: one duplicate per person
    for _ in range(100):
        odds = bayes * lam / (1 - lam)
        new = float(np.clip((odds / (1 + odds)).sum() / all_pairs, 1 / all_pairs, 0.5))
        if abs(new - lam) <= 1e-4 * lam:
            lam = new
            break
        lam = new
    return math.log2(lam / (1 - lam))


def train(
    profiles: Sequence[Profile],
    vectors: np.ndarray,
    *,
    seed: int = 0,
    random_vectors: np.ndarray | None = None,
) -> Training:
    """Learn u by random sampling over ``profiles`` and m by EM over ``vectors`` (one row per
    candidate pair, from ``level_vector``). ``random_vectors``: the comparison vectors of
    ``random_pairs``, when the caller compared them already. Keeps the priors, saying why, on
    too little data."""
    import numpy as np

    result = Training(persons=len(profiles), pairs=len(vectors))
    if len(profiles) < MIN_PERSONS:
        result.reason = "persons"
        return result
    if len(vectors) < MIN_PAIRS:
        result.reason = "pairs"
        return result
    if random_vectors is None:
        u, result.u_samples = estimate_u(profiles, seed=seed)
    else:
        u, result.u_samples = u_from_vectors(random_vectors), len(random_vectors)
    learnt: dict[str, dict[str, list[float]]] = {name: {} for name in FIELDS}
    generator = np.random.default_rng(seed)
    for session, fields in SESSIONS:
        rows = np.flatnonzero(_session_rows(vectors, session))
        if len(rows) < MIN_PAIRS:
            continue
        if len(rows) > EM_MAX_PAIRS:
            rows = np.sort(generator.choice(rows, EM_MAX_PAIRS, replace=False))
        m_session, _prior, iterations = estimate_m(vectors[rows], u=u, fields=fields)
        result.em_pairs += len(rows)
        result.iterations += iterations
        for name in fields:
            for level, value in m_session.get(name, {}).items():
                learnt[name].setdefault(level, []).append(value)
    if result.em_pairs == 0:
        result.reason = "pairs"
        return result
    m = {
        name: {
            level: max(sum(values) / len(values), FLOOR)
            if (values := learnt[name].get(level))
            else LEVELS[name][level][0]
            for level in LEVEL_CODES[name]
        }
        for name in FIELDS
    }
    prior = prior_of_all_pairs(vectors, m=m, u=u, persons=len(profiles))
    levels = {
        name: {level: (m[name][level], u[name][level]) for level in LEVEL_CODES[name]}
        for name in FIELDS
    }
    result.model = Model(levels=levels, prior=prior)
    result.trained = True
    return result
