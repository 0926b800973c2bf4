"""The learned half of screening: a text classifier trained on labelled job postings.

Two views of one TF-IDF of hashed word 1–2-grams, blended:

- a class-balanced logistic regression, whose weights say which terms of an offer drove its
  score (the explanation shown with each screening);
- the offer's resemblance to the training postings: the mean cosine similarity of its
  ``NEIGHBOURS`` nearest fraudulent postings minus that of its nearest genuine ones. Scams
  reuse templates (impersonated companies, the same "work from home" text), which a nearest
  neighbour catches where a linear weight per term does not.

Each view is standardised on the training postings (the regression on its fitted scores, the
resemblance leaving each posting out) and the two are averaged; Platt's sigmoid, fitted on
5-fold out-of-fold blends, turns the average into a probability, and the flag threshold that
maximises the fraud-class F1 on those same out-of-fold probabilities is kept with the model:
both are chosen on the training data only. Trained by ``lifeline screening train``, saved with
skops (never pickle) together with the training data's SHA-256 and its cross-validated
metrics, and loaded without network access from ``LIFELINE_SCREENING_MODEL``.

Loading refuses any type outside ``TRUSTED_TYPES``: a model file is code-free data, and one that
asks for anything else is not loaded.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import io
import json
import math
import threading
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings

from lifeline.core.files import write_atomically

if TYPE_CHECKING:
    import numpy as np

# numpy and scikit-learn are imported where they are used: every server process imports this
# module (through the screening views), and most never screen an offer.

FORMAT = 2
FOLDS = 5
SEED = 20141129
N_FEATURES = 2**18
NEIGHBOURS = 3
C = 20.0

# Everything a model file may contain besides builtins and numpy arrays (checked on load).
TRUSTED_TYPES = frozenset(
    {
        "builtins.bool",
        "builtins.dict",
        "builtins.float",
        "builtins.int",
        "builtins.list",
        "builtins.str",
        "builtins.tuple",
        "numpy.float64",
        "numpy.int32",
        "numpy.int64",
        "numpy.ndarray",
        "sklearn.feature_extraction.text.HashingVectorizer",
        "sklearn.feature_extraction.text.TfidfTransformer",
        "sklearn.linear_model._logistic.LogisticRegression",
        "sklearn.pipeline.Pipeline",
    }
)


class ModelUnavailable(Exception):
    """No model file, or one that is not a screening model this version can read."""


@dataclass(frozen=True)
class Feature:
    term: str
    weight: float  # the term's contribution to the log-odds of fraud in this text


@dataclass(frozen=True)
class LoadedModel:
    """A fitted model: ``pipeline`` (hasher, TF-IDF, regression), the TF-IDF rows of the
    training postings with their labels (``neighbours``: CSR arrays ``data``, ``indices``,
    ``indptr`` and ``labels``), the standardisation, sigmoid and threshold (``blend``)."""

    pipeline: Any
    neighbours: dict[str, Any]
    blend: dict[str, float]
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def threshold(self) -> float:
        """The probability from which the model alone flags an offer (chosen in training)."""
        return self.blend["threshold"]

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        rows = self.pipeline[:-1].transform(list(texts))
        return self._probability(self.pipeline[-1].decision_function(rows), rows)

    def score(self, text: str, *, top: int = 6) -> tuple[float, list[Feature]]:
        """The probability that ``text`` is fraudulent and the terms that moved it most,
        strongest first (positive: towards fraud; none when ``top`` is 0).

        One offer is vectorised here rather than by the pipeline (whose checks cost more than
        the arithmetic), with the same hashing (scikit-learn's signed MurmurHash3, modulo the
        width) and weighting; the features being hashed, the text's own terms name them.
        """
        import numpy as np

        indices, values, term_of = self._vector(text)
        regression = self.pipeline[-1]
        coef = regression.coef_[0]
        contributions = values * coef[indices]
        decision = np.array([contributions.sum() + regression.intercept_[0]])
        # The offer's similarity to each training posting, from the training columns of its terms.
        similarities = (self._training_columns[:, indices] @ values).reshape(1, -1)
        probability = float(self._probability(decision, similarities=similarities)[0])
        if not top:
            return probability, []
        # A term's share of the regression, in log-odds of the blended probability.
        scale = self.blend["slope"] * 0.5 / self.blend["regression_sd"]
        order = np.argsort(-np.abs(contributions))[:top]
        return probability, [
            Feature(term=term_of[int(indices[i])], weight=round(float(contributions[i] * scale), 4))
            for i in order
            if contributions[i]
        ]

    def _vector(self, text: str) -> tuple[np.ndarray, np.ndarray, dict[int, str]]:
        """The TF-IDF row of ``text`` (column indices, values) and a term for each column."""
        import numpy as np
        from sklearn.utils import murmurhash3_32

        term_of: dict[int, str] = {}
        counts: dict[int, int] = {}
        for term in self.pipeline.named_steps["hash"].build_analyzer()(text):
            hashed = murmurhash3_32(term, seed=0)
            index = (
                (2**31 - N_FEATURES) % N_FEATURES
                if hashed == -(2**31)
                else abs(hashed) % N_FEATURES
            )
            counts[index] = counts.get(index, 0) + 1
            term_of.setdefault(index, term)
        indices = np.fromiter(sorted(counts), dtype=np.int32, count=len(counts))
        values = 1.0 + np.log(np.array([counts[i] for i in indices.tolist()], dtype=np.float64))
        values *= self.pipeline.named_steps["tfidf"].idf_[indices]
        norm = math.sqrt(float(values @ values))
        return indices, values / norm if norm else values, term_of

    def _probability(
        self, decision: np.ndarray, rows: Any = None, similarities: Any = None
    ) -> np.ndarray:
        from scipy.special import expit

        z = self._standardised(decision, rows, similarities)
        return expit(self.blend["slope"] * z + self.blend["intercept"])

    def _standardised(
        self, decision: np.ndarray, rows: Any = None, similarities: Any = None
    ) -> np.ndarray:
        """The average of the two views, each standardised on the training postings; the texts'
        TF-IDF ``rows`` or their ``similarities`` to the training postings."""
        blend = self.blend
        if similarities is None:
            # Training rows times the texts' rows (not the other way round: that would
            # transpose, i.e. copy, the whole training matrix).
            similarities = (self._training_rows @ rows.T).T
        resemblance = _resemblance(similarities, self.neighbours["labels"])
        return (
            0.5 * (decision - blend["regression_mean"]) / blend["regression_sd"]
            + 0.5 * (resemblance - blend["resemblance_mean"]) / blend["resemblance_sd"]
        )

    @functools.cached_property
    def _training_columns(self) -> Any:
        return self._training_rows.tocsc()

    @functools.cached_property
    def _training_rows(self) -> Any:
        import scipy.sparse as sp

        n = self.neighbours
        return sp.csr_matrix(
            (n["data"], n["indices"], n["indptr"]), shape=(len(n["labels"]), N_FEATURES)
        )


def _resemblance(similarities: Any, labels: np.ndarray) -> np.ndarray:
    """Mean similarity to the nearest fraudulent training postings minus that to the nearest
    genuine ones, per row of ``similarities`` (rows: texts; columns: training postings)."""
    import numpy as np

    similarities = similarities.toarray() if hasattr(similarities, "toarray") else similarities

    def nearest(columns: np.ndarray) -> np.ndarray:
        k = min(NEIGHBOURS, columns.shape[1])
        return np.partition(columns, -k, axis=1)[:, -k:].mean(axis=1)

    labels = np.asarray(labels)
    return nearest(similarities[:, labels == 1]) - nearest(similarities[:, labels == 0])


def build_pipeline() -> Any:
    from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import Pipeline

    # Hashed features: no vocabulary to store (skops writes a 30,000-term one as 20 MB).
    hasher = HashingVectorizer(
        ngram_range=(1, 2), n_features=N_FEATURES, alternate_sign=False, norm=None
    )
    regression = LogisticRegression(C=C, class_weight="balanced", max_iter=3000)
    return Pipeline(
        [("hash", hasher), ("tfidf", TfidfTransformer(sublinear_tf=True)), ("clf", regression)]
    )


def _fit_views(texts: Sequence[str], labels: np.ndarray) -> LoadedModel:
    """The pipeline, the training rows and the standardisation of both views (no sigmoid)."""
    import numpy as np

    pipeline = build_pipeline().fit(texts, labels)
    rows = pipeline[:-1].transform(texts)
    decision = pipeline[-1].decision_function(rows)
    similarities = (rows @ rows.T).toarray()
    np.fill_diagonal(similarities, -1.0)  # each posting is left out of its own neighbours
    resemblance = _resemblance(similarities, labels)
    return LoadedModel(
        pipeline=pipeline,
        neighbours={
            "data": rows.data,
            "indices": rows.indices,
            "indptr": rows.indptr,
            "labels": np.asarray(labels, dtype=np.int64),
        },
        blend={
            "regression_mean": float(decision.mean()),
            "regression_sd": float(decision.std()) or 1.0,
            "resemblance_mean": float(resemblance.mean()),
            "resemblance_sd": float(resemblance.std()) or 1.0,
            "slope": 1.0,
            "intercept": 0.0,
            "threshold": 0.5,
        },
    )


def _blended(views: LoadedModel, texts: Sequence[str]) -> np.ndarray:
    rows = views.pipeline[:-1].transform(list(texts))
    return views._standardised(views.pipeline[-1].decision_function(rows), rows)


def best_threshold(
    labels: Sequence[int] | np.ndarray, scores: Sequence[float] | np.ndarray
) -> float:
    """The score from which flagging maximises the fraud-class F1 on these examples."""
    import numpy as np
    from sklearn.metrics import precision_recall_curve

    precision, recall, thresholds = precision_recall_curve(labels, scores)
    f1 = 2 * precision * recall / np.maximum(precision + recall, 1e-12)
    return float(thresholds[int(np.argmax(f1[:-1]))])


def fit(texts: Sequence[str], labels: Sequence[int]) -> LoadedModel:
    """Fit both views on all the examples, and the sigmoid and the flag threshold on 5-fold
    out-of-fold blends of the same examples."""
    import dataclasses

    import numpy as np
    from scipy.special import expit
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold

    texts, y = list(texts), np.asarray(labels)
    folds = min(FOLDS, int(np.bincount(y).min()))
    out_of_fold = np.zeros(len(y))
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=SEED).split(texts, y):
        views = _fit_views([texts[i] for i in train], y[train])
        out_of_fold[test] = _blended(views, [texts[i] for i in test])
    sigmoid = LogisticRegression().fit(out_of_fold.reshape(-1, 1), y)
    slope, intercept = float(sigmoid.coef_[0, 0]), float(sigmoid.intercept_[0])
    threshold = best_threshold(y, expit(slope * out_of_fold + intercept))
    views = _fit_views(texts, y)
    blend = {**views.blend, "slope": slope, "intercept": intercept, "threshold": threshold}
    return dataclasses.replace(views, blend=blend)


def read_labelled(path: Path) -> tuple[list[str], list[int], str]:
    """Texts, labels (1 = fraudulent) and the SHA-256 of a JSON-lines file of
    ``{"text", "label"}`` objects."""
    data = path.read_bytes()
    texts, labels = [], []
    for number, line in enumerate(data.decode("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            texts.append(str(row["text"]))
            labels.append(int(row["label"]))
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{number}: not a {{text, label}} object ({exc})") from None
    if len(set(labels)) != 2:
        raise ValueError(f"{path}: needs both fraudulent and genuine examples")
    return texts, labels, hashlib.sha256(data).hexdigest()


def fraud_metrics(
    labels: Sequence[int] | np.ndarray,
    scores: Sequence[float] | np.ndarray,
    flagged: Sequence[bool] | np.ndarray,
) -> dict[str, float]:
    import numpy as np
    from sklearn.metrics import (
        average_precision_score,
        f1_score,
        precision_score,
        recall_score,
        roc_auc_score,
    )

    y, flagged = np.asarray(labels), np.asarray(flagged)
    return {
        "precision": round(float(precision_score(y, flagged, zero_division=0)), 4),
        "recall": round(float(recall_score(y, flagged, zero_division=0)), 4),
        "f1": round(float(f1_score(y, flagged, zero_division=0)), 4),
        "roc_auc": round(float(roc_auc_score(y, scores)), 4),
        "pr_auc": round(float(average_precision_score(y, scores)), 4),
    }


def cross_validate(
    texts: Sequence[str], labels: Sequence[int], *, folds: int = FOLDS, seed: int = SEED
) -> tuple[np.ndarray, np.ndarray]:
    """Out-of-fold probabilities and flags: each fold is scored by a model fitted on the
    other folds, flagging at the threshold that model chose on its own training data."""
    import numpy as np
    from sklearn.model_selection import StratifiedKFold

    y = np.asarray(labels)
    scores, flagged = np.zeros(len(y)), np.zeros(len(y), dtype=bool)
    for train, test in StratifiedKFold(folds, shuffle=True, random_state=seed).split(texts, y):
        fitted = fit([texts[i] for i in train], y[train])
        scores[test] = fitted.probabilities([texts[i] for i in test])
        flagged[test] = scores[test] >= fitted.threshold
    return scores, flagged


def train(*, data: Path, out: Path, evaluate: bool = True) -> dict[str, Any]:
    """Fit on ``data``, write the model to ``out`` atomically, and return its metadata."""
    import sklearn
    from skops.io import dumps

    texts, labels, sha256 = read_labelled(data)
    metrics: dict[str, Any] = {}
    if evaluate:
        scores, flagged = cross_validate(texts, labels)
        metrics = {"cross_validated": fraud_metrics(labels, scores, flagged), "folds": FOLDS}
    fitted = fit(texts, labels)
    meta = {
        "format": FORMAT,
        "trained_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "training_data": {
            "name": data.name,
            "sha256": sha256,
            "rows": len(labels),
            "fraudulent": int(sum(labels)),
        },
        "threshold": round(fitted.threshold, 4),
        "metrics": metrics,
        "scikit_learn": sklearn.__version__,
    }
    blob = dumps(
        {
            "pipeline": fitted.pipeline,
            "neighbours": fitted.neighbours,
            "blend": fitted.blend,
            "meta": json.dumps(meta),
        }
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(out, lambda handle: handle.write(blob))
    _cache.clear()
    return meta


_cache: dict[tuple[str, float], LoadedModel] = {}
_lock = threading.Lock()


def model_path() -> Path:
    return Path(settings.LIFELINE_SCREENING_MODEL)


def load(path: Path | None = None) -> LoadedModel:
    """The model at ``path`` (default: the configured one), read once per file version."""
    from skops.io import get_untrusted_types, loads

    path = path or model_path()
    try:
        stamp = path.stat().st_mtime
        key = (str(path), stamp)
        if key in _cache:
            return _cache[key]
        data = path.read_bytes()
    except OSError:
        raise ModelUnavailable(f"no screening model at {path}") from None
    with _lock:
        try:
            untrusted = set(get_untrusted_types(data=data))
            present = types_in(data)
        except Exception as exc:  # noqa: BLE001 - any unreadable file is simply not a model
            raise ModelUnavailable(f"{path} is not a screening model ({exc})") from None
        # skops trusts much of scikit-learn by default; a screening model holds only these.
        unexpected = (untrusted | present) - TRUSTED_TYPES
        if unexpected:
            raise ModelUnavailable(f"{path} asks for untrusted types: {sorted(unexpected)}")
        bundle = loads(data, trusted=sorted(untrusted))
        meta = json.loads(bundle["meta"])
        if meta.get("format") != FORMAT:
            raise ModelUnavailable(f"{path} is in format {meta.get('format')}, not {FORMAT}")
        _cache.clear()
        try:
            loaded = LoadedModel(
                pipeline=bundle["pipeline"],
                neighbours=bundle["neighbours"],
                blend={name: float(value) for name, value in bundle["blend"].items()},
                meta=meta,
            )
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ModelUnavailable(f"{path} is not a screening model ({exc})") from None
        _cache[key] = loaded
    return loaded


def types_in(data: bytes) -> set[str]:
    """Every ``module.class`` a skops file names in its schema."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        schema = json.loads(archive.read("schema.json"))
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "__module__" in node and "__class__" in node:
                found.add(f"{node['__module__']}.{node['__class__']}")
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(schema)
    return found


def load_or_none() -> LoadedModel | None:
    try:
        return load()
    except ModelUnavailable:
        return None
