"""Time the derivation stage (docs/derivation.md, "Speed").

    python benchmarks/derivation_speed.py seeds            # compare first-call with/without it
    python benchmarks/derivation_speed.py event e.jsonl    # the stage alone on one big event

``seeds``: the real packaged model, ``compare`` of ``fixtures/first-call`` with the stage
(``Comparer()``) and without it (``Comparer(derivation=False)``), 7 interleaved runs after a
warm-up, medians; then the stage alone (median of 20). ``event``: a JSONL event as written by
``benchmarks/generate_corpus.py --single-event N`` is cleaned and segmented (no model), then
:func:`divergence.derivation.find_derivations` is timed once; peak RSS before and after.
"""

from __future__ import annotations

import json
import resource
import statistics
import sys
import time
from collections import Counter


def _rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024


def seeds() -> dict:
    from divergence import Comparer
    from divergence.derivation import find_derivations

    paths = ["fixtures/first-call"]
    on, off = Comparer(), Comparer(derivation=False)
    on.compare(paths)
    off.compare(paths)
    t: dict[str, list[float]] = {"with": [], "without": []}
    for _ in range(7):
        for k, c in (("without", off), ("with", on)):
            t0 = time.perf_counter()
            c.compare(paths)
            t[k].append(time.perf_counter() - t0)
    comp = on.compare(paths)
    alone = []
    for _ in range(20):
        t0 = time.perf_counter()
        find_derivations(comp.sources, comp.claims)
        alone.append(time.perf_counter() - t0)
    out = {f"compare_{k}_s": round(statistics.median(v), 3) for k, v in t.items()}
    return {**out, "stage_alone_s": round(statistics.median(alone), 4)}


def event(path: str) -> dict:
    import sklearn.feature_extraction.text  # noqa: F401  (imported before timing, as in compare)

    from divergence.clean import clean
    from divergence.derivation import find_derivations
    from divergence.ingest import load_sources
    from divergence.segment import SyntokSegmenter, segment

    rows = [json.loads(line) for line in open(path, encoding="utf-8")]
    rows = [{**r, "id": r["source"]} for r in rows]
    loaded = load_sources(rows, max_sources=10**6, max_total_chars=10**10)
    sources, claims = [], []
    for s in loaded:
        c = clean(s)
        sources.append(c.source)
        claims += segment(c, SyntokSegmenter())
    before = _rss()
    t0 = time.perf_counter()
    found = find_derivations(sources, claims)
    wall = time.perf_counter() - t0
    return {
        "sources": len(sources),
        "claims": len(claims),
        "stage_s": round(wall, 1),
        "derivations": dict(Counter(d.relation for d in found)),
        "peak_rss_before_mib": before,
        "peak_rss_after_mib": _rss(),
    }


if __name__ == "__main__":
    if sys.argv[1:2] == ["seeds"]:
        print(json.dumps(seeds()))
    elif sys.argv[1:2] == ["event"] and len(sys.argv) == 3:
        print(json.dumps(event(sys.argv[2])))
    else:
        raise SystemExit(__doc__)
