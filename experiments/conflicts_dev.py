"""Conflict recall/precision and type accuracy per cluster, and attribution accuracy.

Usage (from the repository root)::

    python experiments/conflicts_dev.py                      # the six dev clusters in fixtures/
    python experiments/conflicts_dev.py first-call ukraine-calls   # the seeds (measure only)
    python experiments/conflicts_dev.py --json out.json

For each cluster ``fixtures/<name>/`` with ``fixtures/<name>.gold.json`` it runs one comparison
with the default settings (the packaged model, today's aligner) and prints:

* end-to-end conflict recall and precision (``divergence eval``'s definitions: a gold conflict is
  found when a conflict finding sits on a group covering its fact; precision is the share of
  conflict findings whose group covers a gold-conflict fact);
* type accuracy end to end: of the found gold conflicts, those with a finding of the gold type;
* oracle-alignment recall (the detector on the claims covering each gold conflict's spans) and
  its type accuracy, plus oracle precision (the detector on every multi-doc gold fact);
* attribution accuracy (gold facts whose gist opens "Per <side>:"; only clusters that have them).

The conflict rules contain no parameter fitted to these clusters (word lists and scope rules;
see docs/conflicts.md), so there is nothing to leave out per fold: each cluster's figures are
those of rules that did not see it as training data. The mean row is the plain mean.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from experiments.clusters import DEV  # noqa: E402


def score(name: str, fixtures: Path, comparer) -> dict:
    from divergence.evaluate import gold_paths, load_gold, score_comparison

    gold = load_gold(fixtures / f"{name}.gold.json")
    comparison = comparer.compare(gold_paths(gold, fixtures / name))
    m = score_comparison(comparison, gold)
    c = m["conflicts"]
    per = c["per_conflict"]
    found = [p for p in per if p["status"] == "found"]
    oracle = [p for p in per if p["oracle_found"]]
    return {
        "cluster": name,
        "gold": c["gold"],
        "findings": c["findings"],
        "recall": c["recall"],
        "precision": c["precision"],
        "type_acc": sum(p["type"] in p["found_types"] for p in found) / len(found) if found else 0,
        "oracle_recall": c["oracle_recall"],
        "oracle_type_acc": (
            sum(p["type"] in p["oracle_found"] for p in oracle) / len(oracle) if oracle else 0
        ),
        "oracle_precision": c["oracle_precision"],
        "attribution": m.get("attribution", {}).get("accuracy"),
        "attribution_mentions": m.get("attribution", {}).get("mentions"),
        "per_conflict": per,
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("clusters", nargs="*", default=DEV)
    ap.add_argument("--fixtures", default="fixtures")
    ap.add_argument("--json", help="write every figure (and each gold conflict's status) here")
    ap.add_argument("--verbose", "-v", action="store_true", help="list each gold conflict")
    a = ap.parse_args(argv)
    warnings.simplefilter("ignore")
    import divergence

    comparer = divergence.Comparer(cache=True)
    rows = [score(n, Path(a.fixtures), comparer) for n in a.clusters]
    cols = [
        "gold",
        "findings",
        "recall",
        "precision",
        "type_acc",
        "oracle_recall",
        "oracle_type_acc",
        "oracle_precision",
        "attribution",
    ]
    print("| cluster | " + " | ".join(cols) + " |")
    print("|---" * (len(cols) + 1) + "|")
    for r in rows:
        cells = [r[k] if isinstance(r[k], int) or r[k] is None else f"{r[k]:.2f}" for k in cols]
        print(f"| {r['cluster']} | " + " | ".join(str(x) for x in cells) + " |")
        if a.verbose:
            for p in r["per_conflict"]:
                print(
                    f"    {p['fact']:<5} {p['type']:<14} {p['status']:<22} "
                    f"e2e {p['found_types']} oracle {p['oracle_found']}",
                    file=sys.stderr,
                )
    if len(rows) > 1:
        mean = {k: sum(r[k] for r in rows) / len(rows) for k in cols[2:-1]}
        pooled = sum(r["recall"] * r["gold"] for r in rows) / max(1, sum(r["gold"] for r in rows))
        print(
            "| mean | "
            + f"{sum(r['gold'] for r in rows)} | {sum(r['findings'] for r in rows)} | "
            + " | ".join(f"{mean[k]:.2f}" for k in cols[2:-1])
            + " | |"
        )
        print(f"pooled recall {pooled:.3f}")
    if a.json:
        Path(a.json).write_text(json.dumps(rows, indent=1, sort_keys=True), encoding="utf-8")


if __name__ == "__main__":
    main()
