"""Dev clusters for choosing grouping settings: ECB+ and SuperPAL/Multi-News *dev* splits.

    >>> from divergence.bench.clusters import dev_clusters, pair_prf   # doctest: +SKIP

Each cluster is ``(texts, owners, labels)``: sentences, the doc each comes from, and the labelled
cross-doc pairs ``{(i, j): 0|1}`` (ECB+: annotated sentences, label = a shared coreferent event;
SuperPAL: aligned doc sentences, label = same summary proposition). Only dev splits are read.
"""

from __future__ import annotations

import json
from itertools import combinations
from pathlib import Path

from .data import FILES


def dev_clusters(bench: str | Path, name: str) -> list:
    """[(texts, owners, {(i, j): label})] per dev cluster of ``name`` (ecbplus, superpal)."""
    bench = Path(bench)
    out = []
    rows = [json.loads(x) for x in open(bench / FILES[name], encoding="utf-8")]
    rows = [r for r in rows if r["split"] == "dev"]
    if name == "ecbplus":
        docs = [json.loads(x) for x in open(bench / FILES["ecbplus_docs"], encoding="utf-8")]
        sent = {(d["doc"], s["sid"]): s["text"] for d in docs for s in d["sentences"]}
        key = lambda r: ((r["doc_a"], r["sid_a"]), (r["doc_b"], r["sid_b"]))  # noqa: E731
        text = lambda k: sent[k]  # noqa: E731
    else:
        key = lambda r: ((r["doc_a"], r["a"]), (r["doc_b"], r["b"]))  # noqa: E731
        text = lambda k: k[1]  # noqa: E731
    by = {}
    for r in rows:
        by.setdefault(r["cluster"], []).append(r)
    for _c, rs in sorted(by.items()):
        units = sorted({u for r in rs for u in key(r)})
        ix = {u: i for i, u in enumerate(units)}
        labels = {}
        for r in rs:
            a, b = sorted((ix[key(r)[0]], ix[key(r)[1]]))
            labels[(a, b)] = int(r["label"])
        out.append(([text(u) for u in units], [u[0] for u in units], labels))
    return out


def pair_counts(groups, labels) -> tuple[int, int, int]:
    """(tp, fp, fn) of the cross-doc pairs inside groups against the labelled pairs."""
    pred = {tuple(sorted(p)) for g in groups for p in combinations(g, 2)}
    tp = sum(1 for p, y in labels.items() if y and p in pred)
    fp = sum(1 for p, y in labels.items() if not y and p in pred)
    fn = sum(1 for p, y in labels.items() if y and p not in pred)
    return tp, fp, fn


def prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def sweep(clusters, scorer, embedder, aligners: dict) -> dict[str, tuple[float, float, float]]:
    """P/R/F1 of each named aligner over all clusters (scores computed once per cluster)."""
    counts = {name: [0, 0, 0] for name in aligners}
    for texts, owners, labels in clusters:
        sim = scorer.score(texts, embedder.encode(texts))
        for name, aligner in aligners.items():
            for k, v in enumerate(pair_counts(aligner.group(sim, owners), labels)):
                counts[name][k] += v
    return {name: prf(*c) for name, c in counts.items()}
