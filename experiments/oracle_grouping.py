"""The ceiling of the grouping: perfect pair scores through the real pipeline, per claim unit.

    python experiments/oracle_grouping.py                      # sentence and clause, top_k 2
    python experiments/oracle_grouping.py --unit clause --top-k 1,2,3

For each dev cluster the pipeline's own claims are matched to the gold facts (the gold README's
covering rule, :func:`divergence.evaluate.claim_facts`); the scorer then returns 1 for every
cross-source pair of claims that cover a common fact and 0 otherwise, and the real aligner
(mutual top-k links, average linkage, overlaps) groups them. ``divergence eval``'s metrics on
the result say how far a perfect pair judge could go with that unit: a claim that carries two
facts, grouped with another source's claim that carries one of them, makes that source look as
if it carried the other fact too, so omission macro-F1 stays below 1 even with perfect pairs.
Nothing here is fitted; the figures are a bound, not a model.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from experiments.clusters import DEV  # noqa: E402


def oracle_scorer(params: dict):
    from divergence.judge import JudgeScorer

    class Oracle(JudgeScorer):
        """Scores 1 for claims that cover a common gold fact (``facts``: text -> fact ids)."""

        facts: dict[str, set[str]] = {}

        def bind(self, embedder):
            return self

        def score(self, texts, embeddings, *, sources=None):
            f = [self.facts.get(t, set()) for t in texts]
            m = np.array([[bool(a & b) for b in f] for a in f], dtype=np.float32)
            np.fill_diagonal(m, 0.0)
            return m

    return Oracle(params=params)


def run(cluster: str, unit: str, top_k: int) -> dict:
    from divergence.evaluate import claim_facts, gold_paths, load_gold, score_comparison
    from divergence.pipeline import Comparer

    gold = load_gold(ROOT / "fixtures" / f"{cluster}.gold.json")
    paths = gold_paths(gold, ROOT / "fixtures" / cluster)
    params = json.loads((ROOT / "divergence" / "data" / "judge.json").read_text(encoding="utf-8"))
    params.update(align={"top_k": top_k, "overlap": True, "linkage_slack": 0.1}, presence={})
    scorer = oracle_scorer(params)
    kw = dict(
        embedder="hashing",
        scorer=scorer,
        threshold=0.5,
        attribution=None,
        conflicts=False,
        check_event=False,
        presence=False,
        unit=unit,
    )
    first = Comparer(**kw).compare(paths)  # the claims, to know which facts each covers
    covered = claim_facts(first, gold)
    scorer.facts = {}
    for c in first.claims:
        scorer.facts.setdefault(c.text, set()).update(covered.get(c.id, set()))
    return score_comparison(Comparer(**kw).compare(paths), gold)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--unit", default="sentence,clause")
    ap.add_argument("--top-k", default="2")
    args = ap.parse_args()
    print("| unit | top_k | alignment P / R / F1 | omission macro-F1 | omitted P / R |")
    print("|---|---|---|---|---|")
    for unit in args.unit.split(","):
        for k in [int(x) for x in args.top_k.split(",")]:
            rows = []
            for c in DEV:
                m = run(c, unit, k)
                a, o = m["alignment"], m["omission"]
                rows.append(
                    [
                        a["precision"],
                        a["recall"],
                        a["f1"],
                        o["macro_f1"],
                        o["precision"],
                        o["recall"],
                    ]
                )
            p, r, f, om, op, orc = np.mean(rows, axis=0)
            print(
                f"| {unit} | {k} | {p:.3f} / {r:.3f} / {f:.3f} | {om:.3f} | {op:.3f} / {orc:.3f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
