"""Pair data for the shared-fact judge: every cross-source sentence pair of a gold cluster.

    python experiments/judge_data.py            # writes .bench/judge/<cluster>.npz

For each fixture cluster with gold (the six ``../shared/dev`` copies and, for measuring only,
the two seed clusters) the pipeline's own claims (clean + segment, no model) are matched to the
gold facts with the gold README's covering rule (:func:`divergence.evaluate.claim_facts`); a
cross-source pair is positive when both claims cover one common fact. The sentence vectors and
the contextual token vectors come from one forward pass of the packaged all-MiniLM-L6-v2.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from experiments.clusters import DEV, SEEDS  # noqa: E402

OUT = Path(os.environ.get("DIVERGENCE_JUDGE_DATA", ROOT / ".bench" / "judge"))


def cluster_claims(cluster: str, unit: str = "sentence"):
    """(comparison with claims only, claim -> facts) for a fixture cluster; ``unit`` is the
    pipeline's claim unit (sentence, or clause: sentences cut at clause boundaries)."""
    from divergence import compare
    from divergence.evaluate import claim_facts, gold_paths, load_gold

    gold = load_gold(ROOT / "fixtures" / f"{cluster}.gold.json")
    comp = compare(
        gold_paths(gold, ROOT / "fixtures" / cluster),
        embedder="hashing",
        conflicts=False,
        attribution=None,
        check_event=False,
        unit=unit,
    )
    return comp, claim_facts(comp, gold)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("clusters", nargs="*", default=DEV + SEEDS)
    ap.add_argument("--unit", default="sentence", choices=["sentence", "clause"])
    args = ap.parse_args()
    from divergence.embed import SentenceTransformerEmbedder

    enc = SentenceTransformerEmbedder(adapter=None)
    OUT.mkdir(parents=True, exist_ok=True)
    for cluster in args.clusters:
        write_cluster(cluster, enc, OUT, unit=args.unit)


def write_cluster(cluster: str, enc, out: Path, unit: str = "sentence") -> None:
    """The cluster's claims, gold facts, sentence and token vectors (``enc``) under ``out``."""
    comp, facts = cluster_claims(cluster, unit)
    claims = list(comp.claims)
    texts = [c.text for c in claims]
    sent = enc.encode(texts)
    toks = enc.encode_tokens(texts)
    offsets = np.cumsum([0] + [len(t) for t in toks])
    np.savez_compressed(
        out / f"{cluster}.npz",
        sent=sent,
        tok=np.concatenate(toks).astype(np.float16),
        offsets=offsets,
    )
    meta = {
        "unit": unit,
        "texts": texts,
        "sources": [c.source for c in claims],
        "index": [c.index for c in claims],
        "facts": [sorted(facts[c.id]) for c in claims],
        "ids": [c.id for c in claims],
    }
    (out / f"{cluster}.json").write_text(json.dumps(meta), encoding="utf-8")
    n_pos = sum(
        1
        for i in range(len(claims))
        for j in range(i + 1, len(claims))
        if claims[i].source != claims[j].source and set(meta["facts"][i]) & set(meta["facts"][j])
    )
    print(f"{cluster}: {len(claims)} claims, {n_pos} positive pairs", flush=True)


if __name__ == "__main__":
    main()
