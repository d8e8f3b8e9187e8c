"""Conflict findings on real articles, for a precision audit (docs/conflicts-audit.md).

Usage (from the repository root; needs ../shared/bench/basil, read in place)::

    python experiments/conflicts_audit.py --first 50 --events 50 --out /tmp/audit.jsonl

Takes ``--events`` BASIL events from the ``--first``-th (0-based; Fox / NYT / HuffPost on one
event; in the order of ``docs.jsonl``), compares each event's three articles (title as the
first line, then the body) with the default settings, and writes one JSON line per conflict
finding: the event, its type, the explanation, each side's quoted span and the two claims.
Point ``PYTHONPATH`` at another checkout to audit other code with the same events. The article
texts stay in ../shared: the audit file quotes only the spans a finding shows.
"""

from __future__ import annotations

import argparse
import json
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def events(path: Path, first: int, n: int) -> list[list[dict]]:
    by: dict[str, list[dict]] = {}
    for line in path.open(encoding="utf-8"):
        r = json.loads(line)
        by.setdefault(r["cluster"], []).append(r)
    return [sorted(v, key=lambda r: r["source"]) for v in list(by.values())[first : first + n]]


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--basil", default=str(ROOT.parent / "shared" / "bench" / "basil"))
    ap.add_argument("--first", type=int, default=0, help="index of the first event (0-based)")
    ap.add_argument("--events", type=int, default=20)
    ap.add_argument("--out", required=True)
    a = ap.parse_args(argv)
    warnings.simplefilter("ignore")
    import divergence
    from divergence.records import Source

    comparer = divergence.Comparer(cache=True)
    rows = []
    for k, ev in enumerate(events(Path(a.basil) / "docs.jsonl", a.first, a.events), a.first):
        sources = [
            Source(id=r["source"], name=r["source"], text=f"{r['title']}\n\n{r['text']}")
            for r in ev
        ]
        comp = comparer.compare(sources)
        for f in comp.findings:
            if f.kind != "conflict":
                continue
            d = f.detail
            rows.append(
                {
                    "event": k,
                    "title": ev[0]["main_event"],
                    "type": d["type"],
                    "explanation": d["explanation"],
                    "score": d.get("score"),
                    "spans": d["spans"],
                    "claims": {e["source"]: e["text"] for e in d["evidence"]},
                }
            )
    with open(a.out, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{len(rows)} conflict findings in {a.events} events -> {a.out}")


if __name__ == "__main__":
    main()
