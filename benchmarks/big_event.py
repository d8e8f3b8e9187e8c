"""Compare one big event (a JSONL of its articles) with the dense or the sparse pair scores.

    python benchmarks/big_event.py event.jsonl --pairs sparse|dense|auto [--model hashing]

Same settings as ``divergence corpus`` (default attribution, conflicts, calibrated scorer), with
``max_claims`` lifted so that the dense path can be measured past its default cap. Prints one
JSON line: claims, groups, findings, which path ran, seconds in ``compare``.
"""

from __future__ import annotations

import argparse
import json
import time


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("path")
    ap.add_argument("--pairs", choices=["auto", "dense", "sparse"], default="auto")
    ap.add_argument("--model", default="hashing")
    ap.add_argument("--out", help="write the groups (claim ids) as JSON here")
    a = ap.parse_args()
    from divergence import Comparer

    rows = [json.loads(line) for line in open(a.path, encoding="utf-8")]
    rows = [{**r, "id": r["source"]} for r in rows]
    sparse = {"auto": None, "dense": False, "sparse": True}[a.pairs]
    comparer = Comparer(embedder=a.model, sparse=sparse, max_claims=1_000_000)
    t0 = time.perf_counter()
    comp = comparer.compare(rows)
    wall = time.perf_counter() - t0
    if a.out:  # the groups only: the full JSON of a 500-source event is hundreds of MB
        with open(a.out, "w", encoding="utf-8") as fh:
            json.dump({"groups": [{"claims": list(g.claims)} for g in comp.groups]}, fh)
    print(
        json.dumps(
            {
                "claims": len(comp.claims),
                "groups": len(comp.groups),
                "findings": len(comp.findings),
                "path": "sparse" if comparer.use_sparse(len(comp.claims)) else "dense",
                "compare_s": round(wall, 2),
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
