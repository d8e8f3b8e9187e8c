"""Set the two event thresholds of divergence.events on ECB+ (not on the seed fixtures).

    PYTHONPATH=$PWD python experiments/calibrate_events.py [--pairs 150] [--backend onnx]

ECB+ (../shared/bench/ecbplus/docs.jsonl, read in place): 86 clusters, each a set of news
articles about one event; "N_ecb" and "N_ecbplus" are two *different* events of one topic
(e.g. two earthquakes), the hardest negatives. Thresholds are chosen on the train split and
reported on dev+test.

1. ``MIN_EVENT_SIMILARITY``: TF-IDF average-linkage cut for group_events; scored by adjusted
   Rand index and B-cubed F1 against the cluster labels.
2. Claim overlap (divergence.events.source_overlap) of ECB+ article pairs of one event vs
   different events. ECB+ documents hold only their annotated sentences, so 41% of same-event
   pairs share no claim: too short to set ``MIN_OVERLAP``. That is set by :func:`basil` (full
   articles): the largest threshold with at most 10% false alarms on same-event pairs of the
   first half of the BASIL clusters, checked on the second half.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from itertools import combinations
from pathlib import Path

import numpy as np

_ROOT = Path(__file__).resolve().parent.parent
BENCH = next(
    (
        p / "shared" / "bench" / "ecbplus" / "docs.jsonl"
        for p in (_ROOT.parent, _ROOT.parent.parent)
        if (p / "shared" / "bench").is_dir()
    ),
    _ROOT.parent / "shared" / "bench" / "ecbplus" / "docs.jsonl",
)


def bcubed_f1(pred, gold):
    pred, gold = list(pred), list(gold)
    ps, rs = [], []
    for i in range(len(pred)):
        same_p = {j for j in range(len(pred)) if pred[j] == pred[i]}
        same_g = {j for j in range(len(gold)) if gold[j] == gold[i]}
        inter = len(same_p & same_g)
        ps.append(inter / len(same_p))
        rs.append(inter / len(same_g))
    p, r = float(np.mean(ps)), float(np.mean(rs))
    return 2 * p * r / (p + r)


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pairs", type=int, default=150)
    ap.add_argument("--backend", default="onnx")
    args = ap.parse_args()
    if not BENCH.exists():
        print(f"skip: {BENCH} not found")
        return 0
    from sklearn.metrics import adjusted_rand_score

    from divergence import Comparer
    from divergence.events import group_events, source_overlap

    rows = [json.loads(line) for line in BENCH.open()]
    out: dict = {}
    for split in ("train", "dev+test"):
        part = [r for r in rows if (r["split"] == "train") == (split == "train")]
        gold = [r["cluster"] for r in part]
        res = {}
        for thr in (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.4):
            pred = group_events(part, min_similarity=thr).labels
            res[thr] = (round(adjusted_rand_score(gold, pred), 3), round(bcubed_f1(pred, gold), 3))
        out[f"group_events {split} (ARI, B3-F1)"] = res
    print(json.dumps({k: {str(t): v for t, v in d.items()} for k, d in out.items()}, indent=1))

    comparer = Comparer(backend=args.backend, cache=True, check_event=False)
    rng = random.Random(0)
    for split in ("train", "dev+test"):
        part = [r for r in rows if (r["split"] == "train") == (split == "train")]
        by = {}
        for r in part:
            by.setdefault(r["cluster"], []).append(r)
        same = [p for c in by.values() for p in combinations(c, 2)]
        topic_neg = [
            (a, b)
            for a, b in combinations(part, 2)
            if a["topic"] == b["topic"] and a["cluster"] != b["cluster"]
        ]
        other_neg = [(a, b) for a, b in combinations(part, 2) if a["topic"] != b["topic"]]
        sets = {
            "same": rng.sample(same, min(args.pairs, len(same))),
            "same-topic-other-event": rng.sample(topic_neg, min(args.pairs // 2, len(topic_neg))),
            "other-topic": rng.sample(other_neg, min(args.pairs // 2, len(other_neg))),
        }
        vals = {}
        for name, pairs in sets.items():
            v = []
            for a, b in pairs:
                c = comparer.compare(
                    [{"id": "a", "text": a["text"]}, {"id": "b", "text": b["text"]}]
                )
                v.append(next(iter(source_overlap(c).values())))
            vals[name] = np.array(v)
            print(
                split,
                name,
                "n",
                len(v),
                "quantiles 5/25/50/75/95",
                np.round(np.quantile(v, [0.05, 0.25, 0.5, 0.75, 0.95]), 3).tolist(),
                file=sys.stderr,
            )
        for thr in (0.02, 0.05, 0.1, 0.15, 0.2):
            fa = float((vals["same"] < thr).mean())
            hit_t = float((vals["same-topic-other-event"] < thr).mean())
            hit_o = float((vals["other-topic"] < thr).mean())
            print(
                f"{split} thr {thr}: false alarm on same-event {fa:.2f}; warns on "
                f"same-topic-other-event {hit_t:.2f}, other-topic {hit_o:.2f}"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())


def basil(n_pairs: int = 100, backend: str = "onnx") -> None:
    """Claim overlap on BASIL (full articles; Fox/NYT/HuffPost on one event): same-event pairs
    vs pairs from two different events. Clusters split in two halves (set / check).

        PYTHONPATH=$PWD python -c "from experiments.calibrate_events import basil; basil()"
    """
    from divergence import Comparer
    from divergence.events import source_overlap

    path = BENCH.parent.parent / "basil" / "docs.jsonl"
    rows = [json.loads(line) for line in path.open()]
    by: dict[str, list[dict]] = {}
    for r in rows:
        by.setdefault(r["cluster"], []).append(r)
    names = sorted(by)
    comparer = Comparer(backend=backend, cache=True, check_event=False)
    rng = random.Random(0)
    for half, keys in (("first half", names[::2]), ("second half", names[1::2])):
        same = [p for k in keys for p in combinations(by[k], 2)]
        docs = [d for k in keys for d in by[k]]
        other = [(a, b) for a, b in combinations(docs, 2) if a["cluster"] != b["cluster"]]
        vals = {}
        for name, pairs in (
            ("same", rng.sample(same, min(n_pairs, len(same)))),
            ("different", rng.sample(other, min(n_pairs, len(other)))),
        ):
            v = []
            for a, b in pairs:
                c = comparer.compare(
                    [{"id": "a", "text": a["text"]}, {"id": "b", "text": b["text"]}]
                )
                v.append(next(iter(source_overlap(c).values())))
            vals[name] = np.array(v)
            print(
                half,
                name,
                len(v),
                "quantiles 5/25/50/75/95",
                np.round(np.quantile(v, [0.05, 0.25, 0.5, 0.75, 0.95]), 3).tolist(),
                flush=True,
            )
        for thr in (0.02, 0.05, 0.1, 0.15, 0.2):
            print(
                f"{half} thr {thr}: false alarm same-event {(vals['same'] < thr).mean():.2f}, "
                f"warns different-event {(vals['different'] < thr).mean():.2f}",
                flush=True,
            )
