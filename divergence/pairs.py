"""Pair scoring: how likely two claims state the same thing, as an (n, n) matrix.

    >>> import numpy as np
    >>> emb = np.eye(2, dtype=np.float32)
    >>> CosineScorer().score(["a", "b"], emb).tolist()
    [[1.0, 0.0], [0.0, 1.0]]

A scorer has ``name``/``signature`` and ``score(texts, embeddings) -> (n, n) float32``, symmetric,
higher meaning "more likely the same claim". The built-in scorers also score chosen pairs only
(big events, :mod:`divergence.align`'s sparse path): ``pair_scorer(texts, embeddings)`` returns a
function ``(rows, cols) -> float32 scores`` (per-text state computed once) and
``score_pairs(texts, embeddings, rows, cols)`` is the one-shot form; they give the dense
matrix's numbers up to float summation order. The aligner thresholds it, so a scorer defines the
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

    def pair_scorer(self, texts: list[str], embeddings: np.ndarray):
        emb = np.asarray(embeddings, dtype=np.float32)

        def score(rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
            rows, cols = _canonical(rows, cols)
            out = np.empty(len(rows), dtype=np.float32)
            for lo in range(0, len(rows), 1 << 12):  # bounded gathers of embedding rows
                hi = lo + (1 << 12)
                out[lo:hi] = np.einsum("ij,ij->i", emb[rows[lo:hi]], emb[cols[lo:hi]])
            return np.clip(out, -1.0, 1.0)

        return score

    def score_pairs(self, texts, embeddings, rows, cols) -> np.ndarray:
        """Scores of the pairs ``(rows[i], cols[i])``: ``score(...)[rows, cols]`` in O(pairs).

        >>> import numpy as np
        >>> CosineScorer().score_pairs(["a", "b"], np.eye(2), [0, 0], [0, 1]).tolist()
        [1.0, 0.0]
        """
        return self.pair_scorer(texts, embeddings)(rows, cols)


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

    def pair_scorer(self, texts: list[str], embeddings: np.ndarray):
        from .features import FEATURES, FeatureIndex

        index = FeatureIndex.fit(list(texts), np.zeros((len(texts), 1)))
        col = FEATURES.index("tfidf")

        def score(rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
            rows, cols = _canonical(rows, cols)
            out = index.pairs(rows, cols)[:, col].astype(np.float32)
            out[rows == cols] = 1.0
            return out

        return score

    def score_pairs(self, texts, embeddings, rows, cols) -> np.ndarray:
        """Scores of the pairs ``(rows[i], cols[i])``: ``score(...)[rows, cols]`` in O(pairs)."""
        return self.pair_scorer(texts, embeddings)(rows, cols)


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

    def pair_scorer(self, texts: list[str], embeddings: np.ndarray):
        """A function ``(rows, cols) -> float32`` scoring those pairs only, with the features
        (TF-IDF fitted on all ``texts``) of :meth:`score`; per-text state is computed once."""
        from .features import FeatureIndex

        margin = "margin" in self.params["features"]
        index = FeatureIndex.fit(list(texts), embeddings, with_margin=margin)

        def score(rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
            # features are symmetric, so one order gives (p_ij + p_ji) / 2 of the dense path
            rows, cols = _canonical(rows, cols)
            out = self.predict(index.pairs(rows, cols)).astype(np.float32)
            out[rows == cols] = 1.0
            return out

        return score

    def score_pairs(self, texts, embeddings, rows, cols) -> np.ndarray:
        """Scores of the pairs ``(rows[i], cols[i])``: ``score(...)[rows, cols]`` in O(pairs).

        >>> import numpy as np
        >>> s, texts = PairModelScorer(), ["Biden called Putin.", "Biden phoned Putin.", "Rain."]
        >>> emb = np.array([[1, 0], [0.99, 0.14], [0, 1.]])
        >>> bool(np.allclose(s.score_pairs(texts, emb, [0, 1], [1, 2]),
        ...                  s.score(texts, emb)[[0, 1], [1, 2]], atol=1e-6))
        True
        """
        return self.pair_scorer(texts, embeddings)(rows, cols)


def _canonical(rows, cols) -> tuple[np.ndarray, np.ndarray]:
    rows = np.asarray(rows, dtype=np.int64)
    cols = np.asarray(cols, dtype=np.int64)
    return np.minimum(rows, cols), np.maximum(rows, cols)


class SparseScores:
    """Symmetric pair scores of the claims of a big event, held sparsely: the scores of candidate
    pairs are stored (sorted keys, ``12 * pairs`` bytes); any other cross-source pair is scored on
    demand by ``fetch(rows, cols)`` and not kept. :mod:`divergence.align` accepts it wherever it
    takes a dense matrix; only cross-source pairs are ever asked for.

    >>> import numpy as np
    >>> dense = np.array([[1, .9, .1], [.9, 1, .2], [.1, .2, 1]], dtype=np.float32)
    >>> s = SparseScores([0], [1], dense[[0], [1]], sources=["a", "b", "b"],
    ...                  fetch=lambda r, c: dense[r, c])
    >>> s.get([0, 2], [1, 0]).tolist() == dense[[0, 2], [1, 0]].tolist()
    True
    >>> s.neighbours(np.array([1]), at_least=0.5).tolist()
    [0]
    """

    def __init__(self, rows, cols, values, *, sources, fetch):
        _, self.src = np.unique(np.asarray(sources), return_inverse=True)
        self.n = n = len(self.src)
        self.fetch = fetch
        a, b = _canonical(rows, cols)
        values = np.asarray(values, dtype=np.float32)
        cross = self.src[a] != self.src[b]  # only cross-source pairs are ever asked for
        a, b, values = a[cross], b[cross], values[cross]
        keys = a * n + b
        order = np.argsort(keys, kind="stable")
        self.keys, self.values = keys[order], values[order]
        # both directions, grouped by first claim (CSR layout) for neighbour queries
        ei, ej = np.concatenate([a, b]), np.concatenate([b, a])
        ev = np.concatenate([values, values])
        order = np.lexsort((ej, ei))
        self.nbr_idx, self.nbr_val = ej[order], ev[order]
        self.nbr_ptr = np.concatenate([[0], np.cumsum(np.bincount(ei, minlength=n))])

    def __len__(self) -> int:
        return len(self.keys)

    def get(self, rows, cols) -> np.ndarray:
        """float32 scores of the pairs ``(rows[m], cols[m])``: stored ones looked up, the rest
        fetched (and not kept)."""
        a, b = _canonical(rows, cols)
        keys = a * self.n + b
        pos = np.minimum(np.searchsorted(self.keys, keys), max(len(self.keys) - 1, 0))
        found = (self.keys[pos] == keys) if len(self.keys) else np.zeros(len(keys), dtype=bool)
        out = np.empty(len(keys), dtype=np.float32)
        out[found] = self.values[pos[found]]
        miss = ~found
        if miss.any():
            out[miss] = self.fetch(a[miss], b[miss])
        return out

    def block(self, ia, ib) -> np.ndarray:
        """(len(ia), len(ib)) float32 block like ``dense[np.ix_(ia, ib)]`` for its cross-source
        entries; same-source entries are NaN (never used by the aligner)."""
        ia, ib = np.asarray(ia, dtype=np.int64), np.asarray(ib, dtype=np.int64)
        rows, cols = np.repeat(ia, len(ib)), np.tile(ib, len(ia))
        cross = self.src[rows] != self.src[cols]
        out = np.full(len(rows), np.nan, dtype=np.float32)
        if cross.any():
            out[cross] = self.get(rows[cross], cols[cross])
        return out.reshape(len(ia), len(ib))

    def neighbours(self, members: np.ndarray, *, at_least: float) -> np.ndarray:
        """Sorted distinct claims with a stored score of at least ``at_least`` with one of
        ``members`` (members themselves included when they qualify)."""
        found = [
            self.nbr_idx[lo:hi][self.nbr_val[lo:hi] >= at_least]
            for lo, hi in zip(
                self.nbr_ptr[members], self.nbr_ptr[np.asarray(members) + 1], strict=True
            )
        ]
        return np.unique(np.concatenate(found)) if found else np.zeros(0, dtype=np.int64)

    def edges(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Stored pairs in both directions: (from, to, score), grouped by ``from``."""
        ei = np.repeat(np.arange(self.n, dtype=np.int64), np.diff(self.nbr_ptr))
        return ei, self.nbr_idx, self.nbr_val


def sparse_scores(
    scorer,
    texts: list[str],
    embeddings: np.ndarray,
    sources,
    *,
    k: int | None = None,
    decimals: int = 6,
) -> SparseScores:
    """Pair scores for a big event in O(n * k) memory: each claim's ``k`` nearest cross-source
    neighbours by embedding cosine (:func:`divergence.neighbours.candidate_pairs`) are scored
    with ``scorer.pair_scorer``; any other pair is scored when the aligner asks for it. Scores
    are rounded to ``decimals`` like the pipeline's dense matrix.

    >>> import numpy as np
    >>> emb = np.array([[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9]], dtype=np.float32)
    >>> emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    >>> s = sparse_scores(CosineScorer(), ["w", "x", "y", "z"], emb, ["a", "b", "a", "b"], k=1)
    >>> len(s), [round(float(x), 3) for x in s.get([0], [3])]
    (2, [0.11])
    """
    from .neighbours import NEIGHBOURS, candidate_pairs

    if not hasattr(scorer, "pair_scorer"):
        raise UsageError(
            f"pair scorer {getattr(scorer, 'name', scorer)!r} cannot score chosen pairs only "
            "(no pair_scorer method): use the dense path (sparse=False)"
        )
    score = scorer.pair_scorer(list(texts), embeddings)
    # claims with the same text and vector (wire copies) score alike: each distinct pair of
    # (text, vector) classes is scored once per call
    vec = np.ascontiguousarray(np.asarray(embeddings))
    keys = [
        hashlib.blake2b(t.encode("utf-8", "surrogatepass") + b"\x00" + v.tobytes()).digest()
        for t, v in zip(texts, vec, strict=True)
    ]
    _, uid = np.unique(np.asarray(keys, dtype=object), return_inverse=True)
    uid = uid.ravel()
    n_uid = int(uid.max()) + 1 if len(uid) else 1

    def fetch(rows, cols) -> np.ndarray:
        rows, cols = _canonical(rows, cols)
        ua, ub = uid[rows], uid[cols]
        pair = np.minimum(ua, ub) * n_uid + np.maximum(ua, ub)
        _, first, inv = np.unique(pair, return_index=True, return_inverse=True)
        out = np.asarray(score(rows[first], cols[first]), dtype=np.float32)
        np.round(out, decimals, out=out)
        return out[inv.ravel()]

    emb = np.asarray(embeddings, dtype=np.float32)
    norms = np.linalg.norm(emb, axis=1, keepdims=True)
    emb = emb / np.where(norms > 0, norms, 1.0)
    rows, cols = candidate_pairs(emb, sources, k=NEIGHBOURS if k is None else k)
    return SparseScores(rows, cols, fetch(rows, cols), sources=sources, fetch=fetch)


def _judge_scorer():
    from .judge import JudgeScorer

    return JudgeScorer()


SCORERS = {"lr": PairModelScorer, "cos": CosineScorer, "tfidf": TfidfScorer, "judge": _judge_scorer}


def get_scorer(spec: str | Any | None):
    """``None``/``"judge"`` -> :class:`divergence.judge.JudgeScorer` (the default: trained for
    "shares a fact" on the dev clusters), ``"lr"`` -> :class:`PairModelScorer`,
    ``"cos"`` -> :class:`CosineScorer`,
    ``"tfidf"`` -> :class:`TfidfScorer`; an
    object with ``score`` is used as is."""
    if spec is None:
        return _judge_scorer()
    if isinstance(spec, str):
        if spec not in SCORERS:
            raise UsageError(f"unknown pair scorer {spec!r}; choose from {', '.join(SCORERS)}")
        return SCORERS[spec]()
    if hasattr(spec, "score"):
        return spec
    raise UsageError(f"not a pair scorer: {spec!r}")
