"""The shared-fact judge: does this sentence of B carry a fact of this sentence of A?

    >>> import numpy as np
    >>> X = np.array([[0.9, 0.1], [0.2, 0.8], [0.85, 0.2], [0.1, 0.9]])
    >>> m = fit_judge(X, np.array([True, False, True, False]), ["a", "b"], kind="lr")
    >>> bool(m.predict(X)[0] > 0.5 > m.predict(X)[1])
    True

Features of a pair of claims (:func:`pair_table`), all computed from the one MiniLM forward
pass (sentence vectors and contextual token vectors, :mod:`divergence.tokens`) and the texts:

* ``cos``: sentence cosine;
* ``tm_ab`` / ``tm_ba`` / ``tm_max`` / ``tm_min`` / ``tm_mean``: the asymmetric token match
  (share of one sentence's content words found in the other, :func:`divergence.tokens.token_match`)
  in both directions; a short sentence stating one of a long sentence's facts scores high one
  way only;
* the lexical and agreement features of :mod:`divergence.features` (TF-IDF cosine fitted on the
  compared claims, word overlap and containment, numbers, names, dates, length ratio);
* ``gap_cos`` / ``gap_tm``: how far the pair falls below each side's best match in the other's
  source (0 for a mutual best match): a claim usually states a fact once per source, so a pair
  that is not among either side's best candidates is less likely to share one;
* ``dpos``: how far apart the two claims sit in their articles (relative positions, 0 to 1).

A judge file may add a second stage (its ``stack`` block, :func:`second_stage`): a logistic
regression over the first stage's log-odds and ``dpos``. No shipped judge has one: on dev it won
only within seed noise (docs/judge.md, "Position in the article").

:func:`fit_judge` fits a standardised logistic regression (or, for comparison only, gradient
boosting) on labelled pairs; :class:`Judge` applies a fitted one with plain numpy.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

TOKEN_FEATURES = ("cos", "tm_ab", "tm_ba", "tm_max", "tm_min", "tm_mean")
RANK_FEATURES = ("gap_cos", "gap_tm")


def _gaps(sim: np.ndarray, sources: list[str]) -> np.ndarray:
    """``G[i, j]`` = best ``sim[i, k]`` over k in j's source, minus ``sim[i, j]`` (>= 0)."""
    src = np.asarray(sources)
    best = np.empty_like(sim)
    for s in np.unique(src):
        cols = src == s
        best[:, cols] = sim[:, cols].max(axis=1, keepdims=True)
    return best - sim


def feature_matrices(
    texts: list[str],
    sent: np.ndarray,
    toks: list[np.ndarray],
    sources: list[str],
    *,
    with_margin: bool = False,
    with_positions: bool = False,
) -> dict[str, np.ndarray]:
    """Every judge feature as an (n, n) matrix over the compared claims. The hubness ``margin``
    of :mod:`divergence.features` (not a judge feature: its neighbour pass costs a second
    n x n product) only with ``with_margin=True``; ``dpos`` (no shipped judge uses it) only with
    ``with_positions=True``."""
    from .features import FEATURES, matrix_features
    from .tokens import token_match

    sent = np.asarray(sent, dtype=np.float32)
    cos = np.clip(sent @ sent.T, -1.0, 1.0)
    tm = token_match(toks)
    out = {
        "cos": cos,
        "tm_ab": tm,
        "tm_ba": tm.T,
        "tm_max": np.maximum(tm, tm.T),
        "tm_min": np.minimum(tm, tm.T),
        "tm_mean": (tm + tm.T) / 2,
    }
    lex = matrix_features(list(texts), sent, with_margin=with_margin)
    for k, name in enumerate(FEATURES):
        if name != "margin" or with_margin:
            out[name if name != "cos" else "cos_f64"] = lex[..., k]
    for name, sim in (("gap_cos", cos), ("gap_tm", out["tm_max"])):
        g = _gaps(sim, sources)
        out[name] = np.maximum(g, g.T)
    if with_positions:
        out["dpos"] = _dpos(sources)
    return out


def _dpos(sources) -> np.ndarray:
    """``D[i, j]``: how far apart claims i and j sit in their sources, as relative positions (0
    first, 1 last) of claims listed in source, then document order (as the pipeline and the judge
    data list them)."""
    src = np.asarray([str(s) for s in sources])
    rel = np.zeros(len(src))
    for s in np.unique(src):
        k = np.flatnonzero(src == s)
        rel[k] = np.arange(len(k)) / max(len(k) - 1, 1)
    return np.abs(rel[:, None] - rel[None, :])


#: The second stage's features (:func:`second_stage`): the first stage's log-odds, and how far
#: apart the two claims sit in their articles.
STACK_FEATURES = ("z", "dpos")


def logit(p) -> np.ndarray:
    """Log-odds of probabilities, clipped to [1e-4, 1 - 1e-4] first (a 0 or 1 stays finite)."""
    q = np.clip(np.asarray(p, dtype=np.float64), 1e-4, 1 - 1e-4)
    return np.log(q / (1 - q))


def stack_matrices(p: np.ndarray, sources) -> dict[str, np.ndarray]:
    """The second stage's features of every pair, from the first stage's (n, n) probabilities
    ``p`` over claims listed in source, then document order."""
    return {"z": logit(p), "dpos": _dpos(sources)}


def second_stage(p: np.ndarray, sources, stack: dict, mats: dict | None = None) -> np.ndarray:
    """The judge's second stage: a logistic regression over the first stage's log-odds of a pair
    and ``dpos``, how far apart the two claims sit in their articles (relative positions, 0 to
    1). Reports of one event tell their shared facts in much the same order (the wire's order
    survives in a rewrite; the main facts come first in each), so two claims at the same depth
    are likelier to share a fact than two that merely read alike at opposite ends. Fitted on dev
    with each training cluster's first-stage scores cross-fitted (``experiments/stack_loco.py
    --out``; docs/judge.md, "Position in the article"). Symmetric like ``p``. ``mats``: the
    feature matrices to read instead of :func:`stack_matrices` (experiments try other features).

    >>> p = np.array([[1.0, 0.5, 0.5], [0.5, 1.0, 0.1], [0.5, 0.1, 1.0]])
    >>> st = {"features": ["z", "dpos"], "mean": [0, 0.5], "scale": [1, 0.5],
    ...       "coef": [1.0, -0.5], "intercept": 0.0}
    >>> q = second_stage(p, ["a", "b", "b"], st)
    >>> bool(q[0, 1] > q[0, 2])  # claim 0 heads a; claim 1 heads b, claim 2 ends it
    True
    """
    mats = stack_matrices(p, sources) if mats is None else mats
    unknown = set(stack["features"]) - set(mats)
    if unknown:
        from .errors import UsageError

        raise UsageError(f"judge file names unknown second-stage features {sorted(unknown)}")
    z = float(stack["intercept"]) + sum(
        (mats[f] - m) / sc * c
        for f, m, sc, c in zip(
            stack["features"], stack["mean"], stack["scale"], stack["coef"], strict=True
        )
    )
    q = 1.0 / (1.0 + np.exp(-z))
    return (q + q.T) / 2


def pair_table(texts, sent, toks, sources, ii, jj) -> tuple[np.ndarray, list[str]]:
    """Features of the pairs ``(ii[k], jj[k])`` as rows, and the feature names."""
    mats = feature_matrices(texts, sent, toks, sources, with_margin=True, with_positions=True)
    names = [n for n in mats if n != "cos_f64"]
    return np.column_stack([mats[n][ii, jj] for n in names]).astype(np.float64), names


def isolated_pair_table(
    lex: np.ndarray, toks_a: list[np.ndarray], toks_b: list[np.ndarray]
) -> tuple[np.ndarray, list[str]]:
    """Judge features of pairs seen on their own (pair benchmarks): ``lex`` are the pairs'
    :func:`divergence.features.pair_features` rows; the gap features are 0 (each side is the
    other's only candidate)."""
    from .features import FEATURES

    ab = np.array(
        [float(np.mean((a @ b.T).max(axis=1))) for a, b in zip(toks_a, toks_b, strict=True)]
    )
    ba = np.array(
        [float(np.mean((b @ a.T).max(axis=1))) for a, b in zip(toks_a, toks_b, strict=True)]
    )
    cols = {
        "cos": lex[:, FEATURES.index("cos")],
        "tm_ab": ab,
        "tm_ba": ba,
        "tm_max": np.maximum(ab, ba),
        "tm_min": np.minimum(ab, ba),
        "tm_mean": (ab + ba) / 2,
        **{n: lex[:, k] for k, n in enumerate(FEATURES) if n != "cos"},
        "gap_cos": np.zeros(len(lex)),
        "gap_tm": np.zeros(len(lex)),
        "dpos": np.zeros(len(lex)),
    }
    names = list(cols)
    return np.column_stack([cols[n] for n in names]).astype(np.float64), names


@dataclass(frozen=True)
class Judge:
    """A fitted logistic judge: ``sigmoid(((x - mean) / scale) @ coef + intercept)``."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def predict(self, X: np.ndarray) -> np.ndarray:
        z = ((X - self.mean) / self.scale) @ self.coef + self.intercept
        return 1.0 / (1.0 + np.exp(-z))


class _Sklearn:
    def __init__(self, model, cols):
        self.model, self.cols = model, cols

    def predict(self, X):
        return self.model.predict_proba(X[:, self.cols])[:, 1]


def fit_judge(X, y, names, *, kind: str = "lr", features=None, C: float = 1.0, class_weight=None):
    """Fit a judge on rows ``X`` (columns ``names``) and labels ``y``.

    ``kind``: ``lr`` (shippable: a :class:`Judge`) or ``hgb`` (gradient boosting, for
    comparison). ``features``: the subset of ``names`` to use (default all); ``C`` and
    ``class_weight``: the logistic regression's (the shipped judge uses the defaults; other values
    were tried and rejected, docs/judge.md)."""
    features = list(features or names)
    cols = [names.index(f) for f in features]
    Xs = np.asarray(X, dtype=np.float64)[:, cols]
    if kind == "hgb":
        from sklearn.ensemble import HistGradientBoostingClassifier

        m = HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05, random_state=0)
        return _Sklearn(m.fit(Xs, y), cols)
    from sklearn.linear_model import LogisticRegression

    mean = Xs.mean(axis=0)
    scale = Xs.std(axis=0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=C, max_iter=2000, class_weight=class_weight)
    lr = lr.fit((Xs - mean) / scale, y)
    judge = Judge(tuple(features), mean, scale, lr.coef_[0].copy(), float(lr.intercept_[0]))
    return _Subset(judge, cols)


class _Subset:
    def __init__(self, judge: Judge, cols):
        self.judge, self.cols = judge, cols

    def predict(self, X):
        return self.judge.predict(np.asarray(X, dtype=np.float64)[:, self.cols])


JUDGE_PATH = Path(__file__).parent / "data" / "judge.json"
#: The judge fitted on the vectors of the default model with the shared-fact adapter merged in
#: (:data:`divergence.embed.ADAPTER_PATH`); :data:`JUDGE_PATH` serves every other embedder (the
#: ONNX backend, the base weights, custom models).
ADAPTED_JUDGE_PATH = Path(__file__).parent / "data" / "judge-facts-lora.json"


def judge_path_for(embedder) -> Path:
    """The shipped judge that matches ``embedder``'s vectors: the adapted judge for the shipped
    adapter, the base judge for everything else (another adapter folder included: no judge was
    fitted on its vectors)."""
    from .embed import ADAPTER_PATH

    inner = getattr(embedder, "inner", None) or getattr(embedder, "embedder", embedder)  # caches
    adapter = getattr(inner, "adapter", None)
    shipped = adapter is not None and Path(adapter).resolve() == ADAPTER_PATH.resolve()
    return ADAPTED_JUDGE_PATH if shipped and ADAPTED_JUDGE_PATH.is_file() else JUDGE_PATH


class JudgeScorer:
    """Pair scorer: the fitted shared-fact judge's probability for every pair of claims.

    Needs the claims' token vectors (from the embedder bound with :meth:`bind`: the pipeline
    binds its own, whose forward pass already produced them) and their sources (for the gap
    features). The probability is symmetrised (mean of both orders).

    >>> from divergence.embed import HashingEmbedder
    >>> s = JudgeScorer().bind(HashingEmbedder())
    >>> texts = ["Biden called Putin on Tuesday.", "On Tuesday Biden phoned Putin.",
    ...          "Sales of cars fell 5% in May."]
    >>> p = s.score(texts, HashingEmbedder().encode(texts), sources=["a", "b", "b"])
    >>> bool(p[0, 1] > p[0, 2])
    True
    """

    name = "judge"
    needs_sources = True

    def __init__(self, path=None, *, params: dict | None = None):
        self._explicit = path is not None or params is not None
        self.path = Path(path) if path is not None else JUDGE_PATH
        self._params = params
        self.embedder = None

    def bind(self, embedder) -> JudgeScorer:
        """Read token vectors from ``embedder``; unless a judge file was given, use the shipped
        judge fitted on that embedder's kind of vectors (:func:`judge_path_for`)."""
        self.embedder = embedder
        if not self._explicit:
            path = judge_path_for(embedder)
            if path != self.path:
                self.path, self._params = path, None
        return self

    @property
    def params(self) -> dict:
        if self._params is None:
            import json

            from .errors import UsageError

            try:
                self._params = json.loads(self.path.read_text(encoding="utf-8"))
            except (OSError, ValueError) as exc:
                raise UsageError(f"cannot read judge {self.path}: {exc}") from None
        return self._params

    @property
    def judge(self) -> Judge:
        p = self.params
        return Judge(
            tuple(p["features"]),
            np.asarray(p["mean"]),
            np.asarray(p["scale"]),
            np.asarray(p["coef"]),
            float(p["intercept"]),
        )

    @property
    def signature(self) -> str:
        import hashlib
        import json

        keys = ("features", "mean", "scale", "coef", "intercept", "stack")
        blob = json.dumps({k: self.params[k] for k in keys if k in self.params}, sort_keys=True)
        return f"judge-{hashlib.sha256(blob.encode()).hexdigest()[:8]}"

    @property
    def default_threshold(self) -> float:
        return float(self.params["threshold"])

    @property
    def default_unit(self) -> str:
        """The claim unit this judge was fitted and its settings chosen on."""
        return str(self.params.get("unit", "sentence"))

    @property
    def related_threshold(self) -> float | None:
        r = self.params.get("related_threshold")
        return None if r is None else float(r)

    @property
    def presence(self) -> dict:
        """Presence thresholds (``present``, ``partial``) chosen with this judge on dev."""
        return dict(self.params.get("presence", {}))

    @property
    def align_defaults(self) -> dict:
        return dict(self.params.get("align", {}))

    #: above this many claims the presence stage reads no neighbouring pairs (the joint feature
    #: matrices grow with the square of claims plus pairs)
    ADJACENT_MAX_CLAIMS = 1000

    def score_adjacent(
        self, texts, embeddings, sources
    ) -> tuple[list[tuple[int, int]], np.ndarray] | None:
        """Every claim scored against every pair of neighbouring claims of one source read as one
        text (``texts`` in source, then document order): ``(pairs, scores)`` with ``scores`` of
        shape (n, len(pairs)), for :func:`divergence.presence.find_presence`. No new forward pass:
        a pair's sentence vector is the normalised sum of its two, its token vectors both
        sentences' tokens, its text the two joined. None above :attr:`ADJACENT_MAX_CLAIMS`."""
        from .embed import HashingEmbedder
        from .tokens import encode_tokens

        n = len(texts)
        pairs = [(i, i + 1) for i in range(n - 1) if sources[i] == sources[i + 1]]
        if not pairs or n > self.ADJACENT_MAX_CLAIMS:
            return None
        emb = np.asarray(embeddings, dtype=np.float32)
        toks = encode_tokens(self.embedder or HashingEmbedder(), list(texts))
        joint = emb[[i for i, _ in pairs]] + emb[[j for _, j in pairs]]
        joint /= np.maximum(np.linalg.norm(joint, axis=1, keepdims=True), 1e-12)
        all_texts = list(texts) + [f"{texts[i]} {texts[j]}" for i, j in pairs]
        all_toks = list(toks) + [np.vstack([toks[i], toks[j]]) for i, j in pairs]
        # a pair belongs to a source of its own, so the gap features compare pairs with pairs
        all_sources = [str(x) for x in sources] + [f"{sources[i]}\x00pair" for i, _ in pairs]
        judge, m = self.judge, n + len(pairs)
        mats = feature_matrices(
            all_texts,
            np.vstack([emb, joint]),
            all_toks,
            all_sources,
            with_positions="dpos" in judge.features,
        )
        X = np.stack([mats[f] for f in judge.features], axis=-1).reshape(m * m, -1)
        p = judge.predict(X).reshape(m, m)
        return pairs, ((p[:n, n:] + p[n:, :n].T) / 2).astype(np.float32)

    def score(self, texts, embeddings, *, sources=None) -> np.ndarray:
        from .embed import HashingEmbedder
        from .tokens import encode_tokens

        n = len(texts)
        if n == 0:
            return np.zeros((0, 0), dtype=np.float32)
        try:
            toks = encode_tokens(self.embedder or HashingEmbedder(), list(texts))
        except TypeError as exc:
            from .errors import UsageError

            raise UsageError(
                f"the judge scorer needs token vectors ({exc}); use scorer='lr' with this embedder"
            ) from None
        judge = self.judge
        mats = feature_matrices(
            list(texts),
            embeddings,
            toks,
            list(sources or range(n)),
            with_positions="dpos" in judge.features,
        )
        X = np.stack([mats[f] for f in judge.features], axis=-1).reshape(n * n, -1)
        p = judge.predict(X).reshape(n, n)
        p = (p + p.T) / 2
        if self.params.get("stack"):
            p = second_stage(p, list(sources or range(n)), self.params["stack"])
        np.fill_diagonal(p, 1.0)
        return p.astype(np.float32)
