"""Sentence vs clause claims on dev data (SuperPAL/Multi-News dev, ECB+ dev): the evidence for
``unit=``'s default and for ``clauses.MIN_WORDS``. Never reads a test split or the seed gold.

    PYTHONPATH=$PWD HF_HUB_OFFLINE=1 python experiments/clause_dev.py --bench-dir ../shared/bench

Scoring (divergence/bench/units.py): the seed gold README's rule - a unit covers a fact when a
mention overlaps it by >= half of the shorter; pair P/R/F1 over cross-doc unit pairs; fact recall =
share of (fact, doc pair) cases with covering units of both docs in one group. The pipeline's
shipped scorer and grouping defaults are used for every unit type.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from divergence.bench.cache import CachedEmbedder, default_cache_dir  # noqa: E402
from divergence.bench.units import ecbplus_units, score_units, superpal_units  # noqa: E402
from divergence.embed import SentenceTransformerEmbedder  # noqa: E402
from divergence.pipeline import Comparer  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench-dir", default="../shared/bench")
    ap.add_argument("--min-words", default="3,4,5,6")
    ap.add_argument("--datasets", default="superpal,ecbplus")
    args = ap.parse_args()
    emb = CachedEmbedder(
        SentenceTransformerEmbedder(adapter=None), default_cache_dir() / "bench-units.npz"
    )
    comparer = Comparer(embedder=emb)
    loaders = {"superpal": superpal_units, "ecbplus": ecbplus_units}
    print(f"grouping: {comparer.aligner}")
    print(f"{'data':9s} {'unit':16s} {'units':>6s} {'P':>6s} {'R':>6s} {'F1':>6s} {'factR':>6s}")
    for name in args.datasets.split(","):
        runs = [("sentence", None, None)] + [
            ("clause", method, int(m))
            for method in ("spacy", "rules")
            for m in args.min_words.split(",")
        ]
        for unit, method, mw in runs:
            units = loaders[name](
                args.bench_dir, split="dev", unit=unit, method=method, min_words=mw
            )
            r = score_units(units, emb, comparer)
            label = unit if unit == "sentence" else f"clause-{method}-m{mw}"
            print(
                f"{name:9s} {label:16s} {r['units']:6d} {r['precision']:6.3f} {r['recall']:6.3f}"
                f" {r['f1']:6.3f} {r['fact_recall']:6.3f}",
                flush=True,
            )
        if hasattr(emb, "save"):
            emb.save()


if __name__ == "__main__":
    main()
