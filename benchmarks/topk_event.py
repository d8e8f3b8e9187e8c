"""Bounded-memory cross-source neighbours for one event (hashing vectors): the building block
the aligner needs for big events. Prints claims and links.

    python benchmarks/topk_event.py event.jsonl
"""

from __future__ import annotations

import json
import sys


def main() -> int:
    from divergence.clean import clean
    from divergence.embed import HashingEmbedder
    from divergence.ingest import load_sources
    from divergence.neighbours import mutual_topk_links
    from divergence.segment import segment

    rows = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
    rows = [{**r, "id": r["source"]} for r in rows]
    claims = [c for s in load_sources(rows) for c in segment(clean(s))]
    emb = HashingEmbedder().encode([c.text for c in claims])
    links = mutual_topk_links(emb, [c.source for c in claims], k=10, threshold=0.5, block=512)
    print(json.dumps({"claims": len(claims), "links": len(links)}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
