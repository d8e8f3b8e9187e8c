"""Attribution conflicts from the judge's pair score: the bar chosen leaving one dev cluster out.

Usage (from the repository root)::

    python experiments/attribution_judge_loco.py [--json out.json]

For each bar in the grid (and off) it runs the six dev clusters end to end
(:func:`experiments.conflicts_dev.score`) with ``divergence.conflicts.detect.JUDGE_BAR`` set to
it. For each held-out cluster the bar is the one with the best conflict F1 (of the mean recall
and mean precision) on the other five, ties going to off, then to the higher bar; the held-out
cluster's figures at that bar are printed next to its figures with the variant off.
"""

from __future__ import annotations

import argparse
import json
import sys
import warnings
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from experiments.clusters import DEV  # noqa: E402
from experiments.conflicts_dev import score  # noqa: E402

GRID = (None, 0.8, 0.7, 0.6, 0.5)  # in order of preference on ties: off first
KEYS = ("recall", "precision", "type_acc", "findings")


def f1(rows: list[dict]) -> float:
    r = sum(x["recall"] for x in rows) / len(rows)
    p = sum(x["precision"] for x in rows) / len(rows)
    return 2 * p * r / (p + r) if p + r else 0.0


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--fixtures", default="fixtures")
    ap.add_argument("--json")
    a = ap.parse_args(argv)
    warnings.simplefilter("ignore")
    import divergence
    from divergence.conflicts import detect

    comparer = divergence.Comparer(cache=True)
    runs: dict = {}
    for bar in GRID:
        detect.JUDGE_BAR = bar
        runs[bar] = {n: score(n, Path(a.fixtures), comparer) for n in DEV}
    detect.JUDGE_BAR = None
    print("| bar | " + " | ".join(DEV) + " | mean R | mean P | F1 |")
    print("|---" * (len(DEV) + 4) + "|")
    for bar, rows in runs.items():
        cells = [f"{rows[n]['recall']:.2f}/{rows[n]['precision']:.2f}" for n in DEV]
        mr = sum(r["recall"] for r in rows.values()) / len(rows)
        mp = sum(r["precision"] for r in rows.values()) / len(rows)
        print(
            f"| {bar or 'off'} | " + " | ".join(cells) + f" | {mr:.2f} | {mp:.2f} | "
            f"{f1(list(rows.values())):.3f} |"
        )
    print()
    print(
        "| held out | b | recall before | after | precision before | after | type acc "
        "before | after | findings before | after |"
    )
    print("|---" * 10 + "|")
    out = []
    for held in DEV:
        rest = [n for n in DEV if n != held]
        best = max(GRID, key=lambda b: (round(f1([runs[b][n] for n in rest]), 6), -GRID.index(b)))
        before, after = runs[None][held], runs[best][held]
        out.append(
            {
                "cluster": held,
                "bar": best,
                **{f"{k}_before": before[k] for k in KEYS},
                **{f"{k}_after": after[k] for k in KEYS},
            }
        )
        cells = [f"{before[k]:.2f} | {after[k]:.2f}" for k in KEYS[:3]]
        cells.append(f"{before['findings']} | {after['findings']}")
        print(f"| {held} | {best or 'off'} | " + " | ".join(cells) + " |")
    mean = {k: sum(r[k] for r in out) / len(out) for k in out[0] if k not in ("cluster", "bar")}
    print(
        "| mean | | "
        + " | ".join(f"{mean[k + '_before']:.2f} | {mean[k + '_after']:.2f}" for k in KEYS)
        + " |"
    )
    for bar, rows in runs.items():
        for n in DEV:
            for p in rows[n]["per_conflict"]:
                q = next(
                    x
                    for x in runs[None][n]["per_conflict"]
                    if x["fact"] == p["fact"] and x["type"] == p["type"]
                )
                if p["found_types"] != q["found_types"]:
                    print(
                        f"  bar {bar}: {n} {p['fact']} {p['type']} {q['found_types']} -> "
                        f"{p['found_types']}",
                        file=sys.stderr,
                    )
    if a.json:
        Path(a.json).write_text(
            json.dumps(
                {"folds": out, "runs": {str(b): r for b, r in runs.items()}},
                indent=1,
                sort_keys=True,
            ),
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
