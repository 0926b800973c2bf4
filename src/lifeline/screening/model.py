"""The learned half of screening: a text classifier trained on labelled job postings.

TF-IDF of hashed word 1–2-grams into a logistic regression (balanced classes), calibrated with
Platt's sigmoid on 5-fold cross-validation (``ensemble=False``: one regression fit on all the
data, so that each feature's weight explains a score). Trained by ``lifeline screening train``,
saved with skops (never pickle) together with the training data's SHA-256 and its
cross-validated metrics, and loaded without network access from ``LIFELINE_SCREENING_MODEL``.

Loading refuses any type outside ``TRUSTED_TYPES``: a model file is code-free data, and one that
asks for anything else is not loaded.
"""

from __future__ import annotations

import datetime
import hashlib
import io
import json
import threading
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings

from lifeline.core.files import write_atomically

if TYPE_CHECKING:
    import numpy as np

# numpy and scikit-learn are imported where they are used: every server process imports this
# module (through the screening views), and most never screen an offer.

FORMAT = 1
FOLDS = 5
SEED = 20141129
N_FEATURES = 2**18

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
        "numpy.int64",
        "numpy.ndarray",
        "sklearn.calibration.CalibratedClassifierCV",
        "sklearn.calibration._CalibratedClassifier",
        "sklearn.calibration._SigmoidCalibration",
        "sklearn.feature_extraction.text.HashingVectorizer",
        "sklearn.feature_extraction.text.TfidfTransformer",
        "sklearn.linear_model._logistic.LogisticRegression",
        "sklearn.model_selection._split.StratifiedKFold",
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
    pipeline: Any
    meta: dict[str, Any]

    def probabilities(self, texts: Sequence[str]) -> np.ndarray:
        import numpy as np

        return np.asarray(self.pipeline.predict_proba(list(texts))[:, 1])

    def score(self, text: str, *, top: int = 6) -> tuple[float, list[Feature]]:
        """The probability that ``text`` is fraudulent and the terms that moved it most,
        strongest first (positive: towards fraud; none when ``top`` is 0).

        The features are hashed, so the text's own terms name them: each term is hashed as
        the model's hasher does (scikit-learn's signed MurmurHash3, modulo the width).
        """
        from sklearn.utils import murmurhash3_32

        row = self.pipeline[:-1].transform([text])
        probability = float(self.pipeline[-1].predict_proba(row)[0, 1])
        if not top:
            return probability, []
        hasher = self.pipeline.named_steps["hash"]
        regression = self.pipeline.named_steps["clf"].calibrated_classifiers_[0].estimator
        coef = regression.coef_[0]
        contributions = [
            (float(value * coef[index]), int(index))
            for index, value in zip(row.indices, row.data, strict=True)
        ]
        contributions.sort(key=lambda item: -abs(item[0]))
        wanted = {index for weight, index in contributions[:top] if weight}
        term_of: dict[int, str] = {}
        for term in hasher.build_analyzer()(text):
            index = abs(murmurhash3_32(term, seed=0)) % hasher.n_features
            if index in wanted:
                term_of.setdefault(index, term)
        return probability, [
            Feature(term=term_of.get(index, "?"), weight=round(weight, 4))
            for weight, index in contributions[:top]
            if weight
        ]


def build_pipeline() -> Any:
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.feature_extraction.text import HashingVectorizer, TfidfTransformer
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import StratifiedKFold
    from sklearn.pipeline import Pipeline

    # Hashed features: no vocabulary to store (skops writes a 30,000-term one as 20 MB).
    hasher = HashingVectorizer(
        ngram_range=(1, 2), n_features=N_FEATURES, alternate_sign=False, norm=None
    )
    regression = LogisticRegression(C=20, class_weight="balanced", max_iter=3000)
    calibrated = CalibratedClassifierCV(
        regression,
        method="sigmoid",
        cv=StratifiedKFold(FOLDS, shuffle=True, random_state=SEED),
        ensemble=False,
    )
    return Pipeline(
        [("hash", hasher), ("tfidf", TfidfTransformer(sublinear_tf=True)), ("clf", calibrated)]
    )


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
    labels: Sequence[int], scores: Sequence[float], threshold: float
) -> dict[str, float]:
    import numpy as np
    from sklearn.metrics import (
        average_precision_score,
        f1_score,
        precision_score,
        recall_score,
        roc_auc_score,
    )

    y = np.asarray(labels)
    flagged = np.asarray(scores) >= threshold
    return {
        "precision": round(float(precision_score(y, flagged, zero_division=0)), 4),
        "recall": round(float(recall_score(y, flagged, zero_division=0)), 4),
        "f1": round(float(f1_score(y, flagged, zero_division=0)), 4),
        "roc_auc": round(float(roc_auc_score(y, scores)), 4),
        "pr_auc": round(float(average_precision_score(y, scores)), 4),
    }


def train(*, data: Path, out: Path, evaluate: bool = True) -> dict[str, Any]:
    """Fit on ``data``, write the model to ``out`` atomically, and return its metadata."""
    import sklearn
    from sklearn.model_selection import StratifiedKFold, cross_val_predict
    from skops.io import dumps

    texts, labels, sha256 = read_labelled(data)
    metrics: dict[str, Any] = {}
    if evaluate:
        from lifeline.screening.scoring import FLAG_THRESHOLD

        folds = StratifiedKFold(FOLDS, shuffle=True, random_state=SEED)
        scores = cross_val_predict(
            build_pipeline(), texts, labels, cv=folds, method="predict_proba"
        )[:, 1]
        metrics = {"cross_validated": fraud_metrics(labels, scores, FLAG_THRESHOLD), "folds": FOLDS}
    pipeline = build_pipeline().fit(texts, labels)
    meta = {
        "format": FORMAT,
        "trained_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "training_data": {
            "name": data.name,
            "sha256": sha256,
            "rows": len(labels),
            "fraudulent": int(sum(labels)),
        },
        "metrics": metrics,
        "scikit_learn": sklearn.__version__,
    }
    blob = dumps({"pipeline": pipeline, "meta": json.dumps(meta)})
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
        _cache[key] = loaded = LoadedModel(pipeline=bundle["pipeline"], meta=meta)
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
