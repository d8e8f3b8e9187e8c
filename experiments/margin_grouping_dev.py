"""Grouping-level dev figures of margin models: which neighbourhood, which threshold (dev only).

Usage: python experiments/margin_grouping_dev.py [--bench ../shared/bench]

Fits LogisticRegression on STS-B train with all of FEATURES (margin included) at C=1 and at the
C that 5-fold CV picks (0.0316), takes each model's threshold from STS-B news dev accuracy (the
training script's rule) and also 0.40 (the shipped model's), and groups the SuperPAL and ECB+
*dev* clusters with the best (top_k, overlap, slack) on SuperPAL dev. Two neighbourhoods for the
margin in the clusters: ``all_others`` (every other sentence: what ``features.feature_blocks``
does at run time) and ``cross_source`` (only sentences of other documents, as bitext mining takes
neighbours on the other side; the scorer interface does not see sources, so this one would need
the pipeline to pass them). Prints pair F1 per setting; compare with the shipped 12-feature model,
0.364 (SuperPAL) / 0.636 (ECB+) at 0.40 (``pair_model.json``, ``align``). No test split, MSRP or
seed gold is read.
"""

from __future__ import annotations

import argparse
import sys
import warnings

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

from divergence.align import Aligner
from divergence.bench.cache import CachedEmbedder, bench_vectors_path
from divergence.bench.clusters import dev_clusters, pair_counts, prf
from divergence.bench.data import find_bench_dir, load_pairs
from divergence.bench.featurise import featurise
from divergence.embed import SentenceTransformerEmbedder
from divergence.features import FEATURES, MARGIN_K, matrix_features
from divergence.neighbours import cross_source_topk


def cross_source_hubs(emb: np.ndarray, owners, k: int = MARGIN_K) -> np.ndarray:
    """Mean cosine of each sentence's k nearest sentences from other documents (fewer when
    there are fewer; 0.0 when there are none)."""
    _idx, score = cross_source_topk(emb, owners, k=k)
    found = np.isfinite(score)
    total = np.where(found, score, 0.0).sum(axis=1, dtype=np.float64)
    return np.where(found.any(axis=1), total / np.maximum(found.sum(axis=1), 1), 0.0)


def main(argv: list[str] | None = None) -> int:
    warnings.simplefilter("ignore", FutureWarning)
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bench", default=None)
    ap.add_argument("--cache", default=str(bench_vectors_path()))
    args = ap.parse_args(argv)
    bench = find_bench_dir(args.bench)
    emb = CachedEmbedder(SentenceTransformerEmbedder(adapter=None), args.cache)
    tr = load_pairs(bench, "stsb", split="train")
    Xt, yt = featurise(tr, emb), tr.label >= 3
    dev = load_pairs(bench, "stsb", split="dev", news_only=True)
    Xd = featurise(dev, emb)
    grid = np.round(np.arange(0.05, 0.96, 0.01), 2)
    k_margin, k_cos = FEATURES.index("margin"), FEATURES.index("cos")
    clusters = {}
    for name in ("superpal", "ecbplus"):
        clusters[name] = []
        for texts, owners, labels in dev_clusters(bench, name):
            e = emb.encode(texts).astype(np.float64)
            feats = matrix_features(texts, e)
            hx = cross_source_hubs(e, owners)
            cross = feats.copy()
            cross[..., k_margin] = feats[..., k_cos] - (hx[:, None] + hx[None, :]) / 2
            clusters[name].append(
                {"all_others": feats, "cross_source": cross, "owners": owners, "labels": labels}
            )
    for c in (1.0, 0.0316):
        scaler = StandardScaler().fit(Xt)
        lr = LogisticRegression(C=c, max_iter=3000).fit(scaler.transform(Xt), yt)
        ps = lr.predict_proba(scaler.transform(Xd))[:, 1]
        thr = float(grid[int(np.argmax([((ps >= t) == (dev.label >= 3)).mean() for t in grid]))])
        for mode in ("all_others", "cross_source"):
            for t in (thr, 0.40):
                aligners = {
                    (k, ov, sl): Aligner(threshold=t, top_k=k, overlap=ov, linkage_slack=sl)
                    for k in (1, 2, 3)
                    for ov in (False, True)
                    for sl in (0.0, 0.05, 0.1)
                }
                res = {}
                for name, items in clusters.items():
                    counts = {a: [0, 0, 0] for a in aligners}
                    for item in items:
                        feats = item[mode]
                        n = feats.shape[0]
                        flat = scaler.transform(feats.reshape(-1, feats.shape[-1]))
                        p = lr.predict_proba(flat)[:, 1].reshape(n, n)
                        sim = ((p + p.T) / 2).astype(np.float32)
                        np.fill_diagonal(sim, 1.0)
                        for a, aligner in aligners.items():
                            got = pair_counts(aligner.group(sim, item["owners"]), item["labels"])
                            for i, v in enumerate(got):
                                counts[a][i] += v
                    res[name] = {a: prf(*v) for a, v in counts.items()}
                best = max(aligners, key=lambda a: (res["superpal"][a][2], res["ecbplus"][a][2]))
                print(
                    f"C={c:<7g} {mode:12s} thr={t:.2f} (top_k, overlap, slack)={best} "
                    f"SuperPAL dev F1={res['superpal'][best][2]:.3f} "
                    f"ECB+ dev F1={res['ecbplus'][best][2]:.3f}",
                    flush=True,
                )
    return 0


if __name__ == "__main__":
    sys.exit(main())
