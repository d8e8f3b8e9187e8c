"""How many of the dense path's mutual links the sparse path sees, on one event JSONL.

    PYTHONPATH=$PWD python benchmarks/sparse_coverage.py event.jsonl [--model hashing]

Scores the event's claims both ways (dense ``PairModelScorer.score`` and
``pairs.sparse_scores``), runs ``align.mutual_links`` on each with the scorer's grouping
defaults, and prints one JSON line: claims, stored pairs, dense links, dense links among the
stored pairs, sparse links, and whether every sparse link is a dense link. Dense memory: n^2.
"""

from __future__ import annotations

import argparse
import json

import numpy as np


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("path")
    ap.add_argument("--model", default="hashing")
    a = ap.parse_args()
    from divergence.align import mutual_links
    from divergence.clean import clean
    from divergence.embed import get_embedder
    from divergence.ingest import load_sources
    from divergence.pairs import PairModelScorer, sparse_scores
    from divergence.segment import segment

    rows = [json.loads(line) for line in open(a.path, encoding="utf-8")]
    rows = [{**r, "id": r["source"]} for r in rows]
    claims = [c for s in load_sources(rows) for c in segment(clean(s))]
    claims.sort(key=lambda c: (c.source, c.index))  # the pipeline's canonical order
    texts, owners = [c.text for c in claims], [c.source for c in claims]
    emb = get_embedder(a.model).encode(texts)
    scorer = PairModelScorer()
    thr, top_k = scorer.default_threshold, int(scorer.align_defaults.get("top_k", 1))
    dense = scorer.score(texts, emb)
    np.round(dense, 6, out=dense)
    sparse = sparse_scores(scorer, texts, emb, owners)
    dl = {(i, j) for _, i, j in mutual_links(dense, owners, threshold=thr, top_k=top_k)}
    sl = {(i, j) for _, i, j in mutual_links(sparse, owners, threshold=thr, top_k=top_k)}
    stored = set(sparse.keys.tolist())
    print(
        json.dumps(
            {
                "claims": len(texts),
                "stored_pairs": len(sparse),
                "dense_links": len(dl),
                "dense_links_stored": sum(1 for i, j in dl if i * sparse.n + j in stored),
                "sparse_links": len(sl),
                "sparse_links_all_dense": sl <= dl,
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
