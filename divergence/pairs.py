"""Pair scoring: how likely two claims state the same thing, as an (n, n) matrix.

    >>> import numpy as np
    >>> emb = np.eye(2, dtype=np.float32)
    >>> CosineScorer().score(["a", "b"], emb).tolist()
    [[1.0, 0.0], [0.0, 1.0]]

A scorer has ``name``/``signature`` and ``score(texts, embeddings) -> (n, n) float32``, symmetric,
higher meaning "more likely the same claim". The aligner thresholds it, so a scorer defines the
scale its threshold lives on (``default_threshold``) and, optionally, the lower edge of a
"related but not the same" band (``related_threshold``).

* :class:`CosineScorer`: embedding cosine, the baseline every other scorer is measured against.
* :class:`PairModelScorer` (default): a logistic regression over the features of
  :mod:`divergence.features` (embedding cosine, TF-IDF cosine, word overlap and containment,
  agreement of numbers, names and dates, hubness margin over the other compared claims), fitted
  by ``scripts/train_pair_model.py`` on licence-compatible data only (STS-B train, ECB+ train)
  and shipped as ``divergence/data/pair_model.json``. Its score is a probability that the two
  sentences share a claim.
"""

from __future__ import annotations

import hashlib
import json
from functools import cached_property
from pathlib import Path
from typing import Any

import numpy as np

from .errors import UsageError

PAIR_MODEL_PATH = Path(__file__).parent / "data" / "pair_model.json"


class CosineScorer:
    """Cosine of L2-normalised embeddings.

    ``default_threshold`` 0.67 was chosen on external data, not on the seeds: it is the cosine
    that best separates STS-B *train* news pairs that humans scored >= 3 ("roughly equivalent,
    some important information differs": two sentences sharing a claim) from the rest with
    all-MiniLM-L6-v2, at 79.9% accuracy (``scripts/calibrate_cosine_threshold.py``).
    """

    name = "cos"
    default_threshold = 0.67
    related_threshold: float | None = None

    @property
    def signature(self) -> str:
        return self.name

    def score(self, texts: list[str], embeddings: np.ndarray) -> np.ndarray:
        emb = np.asarray(embeddings, dtype=np.float32)
        sim = emb @ emb.T
        np.clip(sim, -1.0, 1.0, out=sim)
        return sim


class TfidfScorer:
    """TF-IDF cosine (sublinear tf) fitted on the compared claims; embeddings are ignored.

    A lexical baseline. ``default_threshold`` 0.44 maximises STS-B *dev* news accuracy at human
    score >= 3 (``divergence bench`` prints the figure); not chosen on the seeds.

    >>> import numpy as np
    >>> TfidfScorer().score(["a red cat", "a red cat", "blue dog"], np.zeros((3, 1)))[0].round(2)
    array([1., 1., 0.], dtype=float32)
    """

    name = "tfidf"
    default_threshold = 0.44
    related_threshold: float | None = None

    @property
    def signature(self) -> str:
        return self.name

    def score(self, texts: list[str], embeddings: np.ndarray) -> np.ndarray:
        from .features import FEATURES, matrix_features

        feats = matrix_features(list(texts), np.zeros((len(texts), 1)))
        sim = feats[..., FEATURES.index("tfidf")].astype(np.float32)
        np.fill_diagonal(sim, 1.0)
        return sim


def file_hash(path: str | Path) -> str:
    """SHA-256 hex digest of a file's bytes."""
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


class PairModelScorer:
    """Calibrated probability that two claims state the same thing.

    >>> import numpy as np
    >>> s = PairModelScorer()
    >>> p = s.score(["Biden called Putin on Tuesday.", "Biden phoned Putin on Tuesday.",
    ...              "Sales of cars fell 5% in May."], np.array([[1, 0], [0.99, 0.14], [0, 1.]]))
    >>> bool(p[0, 1] > s.pair_threshold >= s.default_threshold > p[0, 2])
    True
    """

    name = "lr"

    def __init__(self, path: str | Path | None = None):
        self.path = Path(path) if path is not None else PAIR_MODEL_PATH

    @cached_property
    def params(self) -> dict[str, Any]:
        try:
            params = json.loads(self.path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise UsageError(f"cannot read pair model {self.path}: {exc}") from None
        from .features import FEATURES

        names = params.get("features")
        if not isinstance(names, list) or not names or not set(names) <= set(FEATURES):
            raise UsageError(
                f"pair model {self.path} was fitted on features {names}, "
                f"this version computes {list(FEATURES)}"
            )
        for key in ("mean", "scale", "coef"):
            if not isinstance(params.get(key), list) or len(params[key]) != len(names):
                raise UsageError(f"pair model {self.path}: {key!r} must list one number a feature")
        for key in ("intercept", "threshold", "related_threshold", "pair_threshold"):
            if not isinstance(params.get(key), int | float):
                raise UsageError(f"pair model {self.path}: {key!r} missing or not a number")
        return params

    @cached_property
    def columns(self) -> np.ndarray:
        """Positions in :data:`~divergence.features.FEATURES` of the model's features, in the
        model's order (a model may use a subset, e.g. one fitted before a feature was added)."""
        from .features import FEATURES

        return np.array([FEATURES.index(f) for f in self.params["features"]], dtype=np.intp)

    @property
    def default_threshold(self) -> float:
        return float(self.params["threshold"])

    @property
    def related_threshold(self) -> float:
        return float(self.params["related_threshold"])

    @property
    def pair_threshold(self) -> float:
        """Threshold for a yes/no "same claim" decision on an isolated pair (STS-B dev)."""
        return float(self.params["pair_threshold"])

    @property
    def align_defaults(self) -> dict[str, Any]:
        """Grouping settings chosen with this model on dev clusters (``top_k``, ``overlap``)."""
        return dict(self.params.get("align", {}))

    @property
    def signature(self) -> str:
        return f"{self.name}-{file_hash(self.path)[:8]}"

    def predict(self, features: np.ndarray) -> np.ndarray:
        """Probabilities for a (..., len(FEATURES)) array of :mod:`divergence.features` rows."""
        p = self.params
        z = (features[..., self.columns] - np.asarray(p["mean"])) / np.asarray(p["scale"])
        logit = z @ np.asarray(p["coef"]) + float(p["intercept"])
        return 1.0 / (1.0 + np.exp(-logit))

    def score(self, texts: list[str], embeddings: np.ndarray) -> np.ndarray:
        from .features import feature_blocks

        n = len(texts)
        prob = np.empty((n, n), dtype=np.float64 if n <= 4096 else np.float32)
        # row blocks: the (n, n, features) tensor is never held whole (104 bytes a pair)
        margin = "margin" in self.params["features"]
        for rows, block in feature_blocks(list(texts), embeddings, with_margin=margin):
            prob[rows] = self.predict(block)
        # exact symmetry despite float rounding, in row blocks as well
        out = np.empty((n, n), dtype=np.float32)
        step = max(1, (16 << 20) // max(n * 8, 1))
        for lo in range(0, n, step):
            hi = min(n, lo + step)
            out[lo:hi] = (prob[lo:hi] + prob[:, lo:hi].T) / 2
        np.fill_diagonal(out, 1.0)
        return out


SCORERS = {"lr": PairModelScorer, "cos": CosineScorer, "tfidf": TfidfScorer}


def get_scorer(spec: str | Any | None):
    """``None``/``"lr"`` -> :class:`PairModelScorer`, ``"cos"`` -> :class:`CosineScorer`,
    ``"tfidf"`` -> :class:`TfidfScorer`; an
    object with ``score`` is used as is."""
    if spec is None:
        return PairModelScorer()
    if isinstance(spec, str):
        if spec not in SCORERS:
            raise UsageError(f"unknown pair scorer {spec!r}; choose from {', '.join(SCORERS)}")
        return SCORERS[spec]()
    if hasattr(spec, "score"):
        return spec
    raise UsageError(f"not a pair scorer: {spec!r}")
