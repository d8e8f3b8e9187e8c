"""A second judge stage that reads the neighbours of a pair, leaving one dev cluster out.

    DIVERGENCE_JUDGE_DATA=.bench/judge-ft-clause python experiments/stack_loco.py \
        --grid small --thresholds 0.3,0.35,0.4,0.45,0.5,0.6

News reports that share facts often tell them in the same order: when claim i of A shares a
fact with claim j of B, claims i-1 / j-1 or i+1 / j+1 often do too. The first stage (the shipped
judge, :mod:`divergence.judge`) scores each pair on its own; this second stage, a logistic
regression over the first stage's probability matrix, adds for each pair the first-stage score of
its diagonal neighbours (the claims before both, the claims after both, in document order) and
how far the pair falls below each side's best first-stage match in the other's source, and
(``dpos``) how far apart the two claims sit in their articles (relative positions, 0 to 1).

Per held-out cluster: the first stage is fitted on the five others; the second stage is fitted on
the five others' first-stage matrices, each from a first stage fitted on the other four (so it
learns from scores like those it will see); the grouping settings are chosen on the five as
``judge_loco.py`` does; then the held-out cluster is scored. With ``--out`` (and the shipped
features, ``--features z,dpos``) both stages are then fitted and the settings chosen on all
six, and the judge file is written (``divergence/data/judge-facts-lora.json``: the judge's
``stack`` block is the second stage, applied by :func:`divergence.judge.second_stage`).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from experiments import judge_loco as jl  # noqa: E402
from experiments.judge_dev import cluster_pairs, load  # noqa: E402

STACK = ["z", "nb_max", "nb_min", "gap_p"]


def stack_matrices(p: np.ndarray, sources) -> dict[str, np.ndarray]:
    """Second-stage features of every pair from the first stage's (n, n) matrix ``p`` over
    claims in source, then document order: the shipped ones (:func:`divergence.judge.
    stack_matrices`: ``z``, ``dpos``) and the ones tried beside them (``nb_max``, ``nb_min``,
    ``gap_p``)."""
    from divergence.judge import logit
    from divergence.judge import stack_matrices as shipped

    src = np.asarray([str(s) for s in sources])
    n = len(src)
    prev = np.zeros_like(p)  # p[i-1, j-1] when both have a predecessor in their own source
    nxt = np.zeros_like(p)
    if n > 1:
        same = src[1:] == src[:-1]  # k has a same-source predecessor k-1 (for k = 1..n-1)
        has_prev = np.concatenate([[False], same])
        has_next = np.concatenate([same, [False]])
        prev[1:, 1:] = p[:-1, :-1]
        prev[~has_prev, :] = 0
        prev[:, ~has_prev] = 0
        nxt[:-1, :-1] = p[1:, 1:]
        nxt[~has_next, :] = 0
        nxt[:, ~has_next] = 0
    best = np.empty_like(p)
    for s in np.unique(src):
        cols = src == s
        best[:, cols] = p[:, cols].max(axis=1, keepdims=True)
    gap = best - p
    return {
        **shipped(p, src),
        "nb_max": logit(np.maximum(prev, nxt)),
        "nb_min": logit(np.minimum(prev, nxt)),
        "gap_p": np.maximum(gap, gap.T),
        "tri": logit(_third_source(p, src)),
    }


def _third_source(p: np.ndarray, src: np.ndarray) -> np.ndarray:
    """``T[i, j]``: the best support a third source gives the pair, max over claims k of a
    source other than i's and j's of min(p[i, k], p[j, k]) (both claims match one claim of a third
    report); 0 when the event has two sources."""
    n = len(src)
    out = np.zeros((n, n))
    for s in np.unique(src):
        cols = np.flatnonzero(src == s)
        a = p[:, cols]
        t = np.empty((n, n))
        for lo in range(0, n, 64):  # rows in chunks: (64, n, |s|) at a time
            t[lo : lo + 64] = np.minimum(a[lo : lo + 64, None, :], a[None, :, :]).max(axis=2)
        t[src == s, :] = 0
        t[:, src == s] = 0
        out = np.maximum(out, t)
    return out


def first_stage(params: dict, X: np.ndarray, names: list[str]) -> np.ndarray:
    from divergence.judge import JudgeScorer

    j = JudgeScorer(params=params).judge
    return j.predict(X[:, [names.index(f) for f in j.features]])


def p_matrix(cluster: str, params: dict, data: dict) -> np.ndarray:
    X, _, names, ii, jj, _ = data[cluster]
    n = len(jl._meta(cluster)["texts"])
    p = np.zeros((n, n))
    v = first_stage(params, X, names)
    p[ii, jj] = v
    p[jj, ii] = v
    return p


def fit_stack(train: list[str], data: dict, C: float) -> dict:
    from sklearn.linear_model import LogisticRegression

    Xs, ys = [], []
    for c in train:
        inner = [t for t in train if t != c]
        p = p_matrix(c, jl.fit_params(inner, data), data)
        mats = stack_matrices(p, jl._meta(c)["sources"])
        _, y, _, ii, jj, _ = data[c]
        Xs.append(np.column_stack([mats[f][ii, jj] for f in STACK]))
        ys.append(y)
    X, y = np.vstack(Xs), np.concatenate(ys)
    mean, scale = X.mean(axis=0), X.std(axis=0)
    scale[scale == 0] = 1.0
    lr = LogisticRegression(C=C, max_iter=2000).fit((X - mean) / scale, y)
    return {
        "features": list(STACK),
        "mean": mean.tolist(),
        "scale": scale.tolist(),
        "coef": lr.coef_[0].tolist(),
        "intercept": float(lr.intercept_[0]),
    }


def _stacked_scorer_class():
    """The shipped :class:`~divergence.judge.JudgeScorer` (whose ``score`` applies a ``stack``
    block of the shipped features itself), extended to the features tried beside them."""
    from divergence.judge import STACK_FEATURES, JudgeScorer, second_stage

    class Stacked(JudgeScorer):
        def score(self, texts, embeddings, *, sources=None):
            st = self.params.get("stack")
            if not st or set(st["features"]) <= set(STACK_FEATURES):
                return super().score(texts, embeddings, sources=sources)
            first = JudgeScorer(params={k: v for k, v in self.params.items() if k != "stack"})
            p = first.bind(self.embedder).score(texts, embeddings, sources=sources)
            q = second_stage(p, sources, st, mats=stack_matrices(p.astype(np.float64), sources))
            np.fill_diagonal(q, 1.0)
            return q.astype(np.float32)

    return Stacked


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--grid", default="small", choices=["full", "small"])
    ap.add_argument("--thresholds", help="grouping thresholds to try, comma-separated")
    ap.add_argument("--C", type=float, default=1.0, help="the second stage's regularisation")
    ap.add_argument("--features", help="second-stage features, comma-separated (default all)")
    ap.add_argument("--only", help="held-out clusters to run, comma-separated (default all six)")
    ap.add_argument("--out", type=Path, help="then fit on all six and write the judge file here")
    args = ap.parse_args()
    if args.features:
        STACK[:] = args.features.split(",")
    if args.grid == "small":
        jl.THRESHOLDS[:] = [0.3, 0.4, 0.5, 0.6]
        jl.PRESENT[:] = [0.5, 0.6, 0.7, 0.8, None]
        jl.PARTIAL_BELOW[:] = [0.0, 0.2]
    if args.thresholds:
        jl.THRESHOLDS[:] = [float(x) for x in args.thresholds.split(",")]
    jl.UNIT[0] = jl._meta(jl.DEV[0]).get("unit", "sentence")
    data = {}
    for c in jl.DEV:
        d = load(c)
        X, y, names, ii, jj = cluster_pairs(d)
        data[c] = (X, y, names, ii, jj, None)
    vectors = jl._Vectors(jl.DEV)
    Stacked = _stacked_scorer_class()
    rows = []
    held_out = args.only.split(",") if args.only else jl.DEV
    for held in held_out:
        train = [c for c in jl.DEV if c != held]
        params = jl.fit_params(train, data)
        params["stack"] = fit_stack(train, data, args.C)
        print(f"{held}: stack coef {np.round(params['stack']['coef'], 3).tolist()}", flush=True)
        scorer = jl._Memo(Stacked(params=dict(params)))
        key, train_score = jl.choose(train, params, vectors, scorer)
        thr, present, partial, k = key
        scorer.inner._params["align"] = {"top_k": k, "overlap": True, "linkage_slack": 0.1}
        r = jl.run(held, scorer, vectors, thr, present, partial)
        rows.append((held, key, r))
        print(
            f"{held}: chose thr {thr} present {present} partial {partial} (train "
            f"{train_score:.3f}); align F1 {r['alignment']['f1']:.3f}, omission macro-F1 "
            f"{r['omission_macro']:.3f}, unique P {r['unique']['precision']:.3f}",
            flush=True,
        )
    f1 = float(np.mean([r["alignment"]["f1"] for _, _, r in rows]))
    om = float(np.mean([r["omission_macro"] for _, _, r in rows]))
    up = float(np.mean([r["unique"]["precision"] for _, _, r in rows]))
    er = float(np.mean([r["emphasis"]["recall"] for _, _, r in rows]))
    ep = float(np.mean([r["emphasis"]["precision"] for _, _, r in rows]))
    print(
        f"dev mean: alignment F1 {f1:.5f}, omission macro-F1 {om:.5f}, criterion "
        f"{(f1 + om) / 2:.5f}, unique P {up:.3f}, emphasis R / P {er:.3f} / {ep:.3f}"
    )
    if args.out is None or args.only:
        return
    params = jl.fit_params(jl.DEV, data)
    params["stack"] = fit_stack(jl.DEV, data, args.C)
    scorer = jl._Memo(Stacked(params=dict(params)))
    key, score = jl.choose(jl.DEV, params, vectors, scorer)
    params = jl.record(params, key, score, rows)
    params["training"]["script"] = "experiments/stack_loco.py"
    params["training"]["stack"] = {
        "features": list(STACK),
        "C": args.C,
        "fit": "on each dev cluster's first-stage scores from a first stage fitted without it",
    }
    print(f"shipped: thr {key[0]} present {key[1]} (all six: {score:.3f})")
    args.out.write_text(json.dumps(params, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
