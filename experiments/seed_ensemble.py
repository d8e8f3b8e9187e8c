"""An ensemble of shared-fact judges over adapters trained with different seeds, leaving one dev
cluster out.

    python experiments/seed_ensemble.py --data .bench/judge-ft-clause .bench/judge-ft-clause-s14 \\
        .bench/judge-ft-clause-s15

Each ``--data`` folder holds the cross-fitted clause vectors of one seed's adapters
(``experiments/train_adapter.py --seed N --folds ... --vectors ...``). For each held-out dev
cluster one judge is fitted per seed on the five other clusters (``judge_loco.fit_params``, on
that seed's vectors), and a pair's score is the mean of the judges' probabilities, each on its own
seed's vectors. The grouping threshold and the presence thresholds are chosen on the five
training clusters over the grid of the shipped procedure (``judge_loco.py --grid small
--thresholds 0.3,0.35,0.4,0.45,0.5,0.6``), then the held-out cluster is scored. With one
``--data`` folder this is the shipped procedure itself (a check: it reproduces
``judge_loco.py``'s table).

Unlike a weight "soup" (``soup_adapters.py``, rejected) this costs one encoder pass per seed at
run time. Nothing is written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from experiments import judge_loco as L  # noqa: E402
from experiments.judge_data import DEV  # noqa: E402
from experiments.judge_dev import cluster_pairs, load  # noqa: E402


class Vectors(L._Vectors):
    """Stored vectors of the dev clusters from one data folder."""

    def __init__(self, clusters, out: Path):
        self.sent, self.toks = {}, {}
        for c in clusters:
            d = load(c, out)
            for t, v, k in zip(d["texts"], d["sent"], d["toks"], strict=True):
                self.sent[t], self.toks[t] = v, k


class Ensemble:
    """Mean probability of one judge per seed, each over its own seed's vectors (looked up by
    claim text, so the ``embeddings`` the pipeline passes are not used)."""

    name = "judge"
    needs_sources = True
    signature = "judge-ensemble"

    def __init__(self, params_list, vectors_list):
        from divergence.judge import JudgeScorer

        self.members = [
            JudgeScorer(params=dict(p)).bind(v)
            for p, v in zip(params_list, vectors_list, strict=True)
        ]
        self.vectors = vectors_list
        self._params = dict(params_list[0])

    def bind(self, embedder):
        return self

    @property
    def params(self) -> dict:
        return self._params

    default_threshold = property(lambda self: float(self._params.get("threshold", 0.4)))
    default_unit = property(lambda self: "clause")
    related_threshold = property(lambda self: None)
    presence = property(lambda self: dict(self._params.get("presence", {})))
    align_defaults = property(lambda self: dict(self._params.get("align", {})))

    def score(self, texts, embeddings, *, sources=None) -> np.ndarray:
        return np.mean(
            [
                m.score(texts, v.encode(texts), sources=sources)
                for m, v in zip(self.members, self.vectors, strict=True)
            ],
            axis=0,
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", nargs="+", type=Path, required=True, help="one folder per seed")
    args = ap.parse_args()
    L.UNIT[0] = "clause"
    # the shipped procedure's grid (judge_loco.py --grid small --thresholds ...)
    L.THRESHOLDS[:] = [0.3, 0.35, 0.4, 0.45, 0.5, 0.6]
    L.PRESENT[:] = [0.5, 0.6, 0.7, 0.8, None]
    L.PARTIAL_BELOW[:] = [0.0, 0.2]
    seeds = []
    for out in args.data:
        data = {}
        for c in DEV:
            d = load(c, out)
            if d.get("unit") != "clause":
                sys.exit(f"{out}: not clause data")
            data[c] = cluster_pairs(d)
        seeds.append((data, Vectors(DEV, out)))
    rows = []
    for held in DEV:
        train = [c for c in DEV if c != held]
        params = [L.fit_params(train, data) for data, _ in seeds]
        scorer = L._Memo(Ensemble(params, [v for _, v in seeds]))
        (thr, present, partial, _k), tr = L.choose(train, None, seeds[0][1], scorer)
        r = L.run(held, scorer, seeds[0][1], thr, present, partial)
        rows.append(r)
        print(
            f"{held}: chose thr {thr} present {present} partial {partial} (train {tr:.4f}); "
            f"alignment F1 {r['alignment']['f1']:.4f}, omission macro-F1 "
            f"{r['omission_macro']:.4f}",
            flush=True,
        )
    f1 = float(np.mean([r["alignment"]["f1"] for r in rows]))
    om = float(np.mean([r["omission_macro"] for r in rows]))
    print(
        f"dev mean ({len(args.data)} seed(s)): alignment F1 {f1:.5f}, omission macro-F1 "
        f"{om:.5f}, criterion {(f1 + om) / 2:.5f}"
    )


if __name__ == "__main__":
    main()
