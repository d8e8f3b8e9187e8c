"""Compare pair-model variants on DEV splits only (the record behind docs/DESIGN.md).

Usage: python experiments/pair_model_variants.py [--bench ../shared/bench]

Every variant is fitted on STS-B train (score >= 3, the mix ``experiments/train_pair_model.py``
selects) and scored on STS-B news dev (Spearman), ECB+ dev (ROC-AUC) and SuperPAL dev (AP). The
selection figure is the training script's own: mean of (ECB+ dev ROC-AUC, STS-B news dev
Spearman); SuperPAL dev AP is printed as a second opinion. MSRP, every test split and the seed
gold are never read. Variants:

* ``base12``: the twelve features shipped before the margin;
* ``+margin@K`` (ratio margin ``cos / ((r(x) + r(y)) / 2)``, K nearest neighbours) and
  ``+diff@K`` (distance margin ``cos - (r(x) + r(y)) / 2``, :func:`divergence.features.margin`):
  the hubness correction, neighbourhoods as in :mod:`divergence.bench.featurise`;
* ``+emb``: SBERT-style interaction features ``u * v`` and ``(u - v) ** 2`` of the MiniLM vectors
  (768 more columns; a linear model over them stays a bilinear form, cheap at run time);
* model families: LogisticRegression with C chosen by 5-fold CV on the training pairs, and
  HistGradientBoosting (early stopping on a training split).
"""

from __future__ import annotations

import argparse
import sys

import numpy as np
from scipy.stats import spearmanr
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression, LogisticRegressionCV
from sklearn.metrics import average_precision_score, roc_auc_score
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from divergence.bench.cache import CachedEmbedder, bench_vectors_path
from divergence.bench.data import find_bench_dir, load_pairs
from divergence.bench.featurise import featurise, pool_hubs
from divergence.embed import SentenceTransformerEmbedder
from divergence.features import FEATURES, margin

STS_SAME = 3.0


def hubs_for(pairs, emb, k: int) -> tuple[np.ndarray, np.ndarray]:
    if not pairs.clusters:
        return pool_hubs(pairs.a, pairs.b, pairs.fit_texts, emb, k=k)
    ha, hb = np.zeros(len(pairs)), np.zeros(len(pairs))
    idx: dict[str, list[int]] = {}
    for i, c in enumerate(pairs.clusters):
        idx.setdefault(c, []).append(i)
    for c, rows in idx.items():
        a, b = [pairs.a[i] for i in rows], [pairs.b[i] for i in rows]
        ha[rows], hb[rows] = pool_hubs(a, b, pairs.cluster_texts[c], emb, k=k)
    return ha, hb


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bench", default=None)
    ap.add_argument("--cache", default=str(bench_vectors_path()))
    args = ap.parse_args(argv)
    bench = find_bench_dir(args.bench)
    emb = CachedEmbedder(SentenceTransformerEmbedder(adapter=None), args.cache)
    sets = {
        "train": load_pairs(bench, "stsb", split="train"),
        "sts": load_pairs(bench, "stsb", split="dev", news_only=True),
        "ecb": load_pairs(bench, "ecbplus", split="dev"),
        "sp": load_pairs(bench, "superpal", split="dev"),
    }
    ks = (1, 2, 4, 8)
    data = {}
    for name, p in sets.items():
        X = featurise(p, emb)
        cos = X[:, FEATURES.index("cos")]
        ea, eb = emb.encode(p.a), emb.encode(p.b)
        hubs = {k: hubs_for(p, emb, k) for k in ks}
        data[name] = dict(X=X, cos=cos, hubs=hubs, inter=np.hstack([ea * eb, (ea - eb) ** 2]))
        print(f"featurised {name}: {len(p)} pairs", file=sys.stderr, flush=True)
    y = sets["train"].label >= STS_SAME
    base = [i for i, f in enumerate(FEATURES) if f != "margin"]

    def cols(d, variant: str) -> np.ndarray:
        parts = [d["X"][:, base]]
        for tok in variant.split("+")[1:]:
            kind, _, k = tok.partition("@")
            if kind == "margin":  # ratio margin, denominator floored at 0.05
                ha, hb = d["hubs"][int(k)]
                parts.append((d["cos"] / np.maximum((ha + hb) / 2, 0.05))[:, None])
            elif kind == "diff":  # distance margin: what features.margin computes
                parts.append(margin(d["cos"], *d["hubs"][int(k)])[:, None])
            elif kind == "emb":
                parts.append(d["inter"])
        return np.hstack(parts)

    models = {
        "lr": lambda: make_pipeline(StandardScaler(), LogisticRegression(C=1.0, max_iter=3000)),
        "lrcv": lambda: make_pipeline(
            StandardScaler(),
            LogisticRegressionCV(
                Cs=np.logspace(-3, 2, 11).tolist(), cv=5, max_iter=3000, scoring="neg_log_loss"
            ),
        ),
        "hgb": lambda: HistGradientBoostingClassifier(
            max_iter=300, learning_rate=0.05, early_stopping=True, random_state=0
        ),
    }
    variants = ["base12"] + [f"base12+margin@{k}" for k in ks] + [f"base12+diff@{k}" for k in ks]
    variants += ["base12+emb", "base12+margin@4+emb"]
    print(f"{'variant':28s} {'model':5s} sts_sp  ecb_auc sp_ap   select", flush=True)
    for v in variants:
        for mname in ("lr", "lrcv", "hgb"):
            if "emb" in v and mname == "hgb":
                continue
            m = models[mname]().fit(cols(data["train"], v), y)
            s = {k: m.predict_proba(cols(data[k], v))[:, 1] for k in ("sts", "ecb", "sp")}
            sts = spearmanr(s["sts"], sets["sts"].label)[0]
            ecb = roc_auc_score(sets["ecb"].label, s["ecb"])
            sp = average_precision_score(sets["sp"].label, s["sp"])
            extra = ""
            if mname == "lrcv":
                extra = f" C={m[-1].C_[0]:.3g}"
            print(
                f"{v:28s} {mname:5s} {sts:.4f} {ecb:.4f} {sp:.4f} {(sts + ecb) / 2:.4f}{extra}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
