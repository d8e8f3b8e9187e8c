"""Attribution conflicts from a reported-part paraphrase check: the bar chosen leaving one dev
cluster out (docs/conflicts.md, round 9).

Usage (from the repository root)::

    python experiments/reppart_loco.py [--modes tokens cosine] [--json out.json]

For each (mode, bar) in the grid (and off) it runs the six dev clusters end to end
(:func:`experiments.conflicts_dev.score`) with ``divergence.conflicts.detect.PARAPHRASE_BAR``
and ``PARAPHRASE_MODE`` set to it. The oracle run (the detector alone on the claims covering
each gold conflict) gets the same similarity under the packaged model with its adapter (the
comparison's own embedder), so its recall moves with the bar too. For each held-out cluster the
setting is the one with the best conflict F1 (of the mean recall and mean precision) on the
other five, ties going to off, then to the higher bar; the held-out cluster's figures at that
setting are printed next to its figures with the check off.
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

BARS = (0.9, 0.85, 0.8, 0.75, 0.7)  # in order of preference on ties, after off
KEYS = ("recall", "precision", "type_acc", "oracle_recall", "findings")


def f1(rows: list[dict]) -> float:
    r = sum(x["recall"] for x in rows) / len(rows)
    p = sum(x["precision"] for x in rows) / len(rows)
    return 2 * p * r / (p + r) if p + r else 0.0


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--fixtures", default="fixtures")
    ap.add_argument("--modes", nargs="+", default=["tokens"])
    ap.add_argument("--json")
    a = ap.parse_args(argv)
    warnings.simplefilter("ignore")
    import divergence
    from divergence.conflicts import detect

    comparer = divergence.Comparer(cache=True)
    grid = [None] + [(m, b) for m in a.modes for b in BARS]
    runs: dict = {}
    for setting in grid:
        detect.PARAPHRASE_MODE, detect.PARAPHRASE_BAR = setting or ("tokens", None)
        runs[setting] = {n: score(n, Path(a.fixtures), comparer) for n in DEV}
    detect.PARAPHRASE_MODE, detect.PARAPHRASE_BAR = "tokens", None
    name = lambda s: "off" if s is None else f"{s[0]} {s[1]}"  # noqa: E731
    print("| setting | " + " | ".join(DEV) + " | mean R | mean P | F1 | oracle R |")
    print("|---" * (len(DEV) + 5) + "|")
    for setting, rows in runs.items():
        cells = [f"{rows[n]['recall']:.2f}/{rows[n]['precision']:.2f}" for n in DEV]
        mr = sum(r["recall"] for r in rows.values()) / len(rows)
        mp = sum(r["precision"] for r in rows.values()) / len(rows)
        mo = sum(r["oracle_recall"] for r in rows.values()) / len(rows)
        print(
            f"| {name(setting)} | " + " | ".join(cells) + f" | {mr:.2f} | {mp:.2f} | "
            f"{f1(list(rows.values())):.3f} | {mo:.2f} |"
        )
    print()
    print("| held out | setting | " + " | ".join(f"{k} before | after" for k in KEYS) + " |")
    print("|---" * (2 + 2 * len(KEYS)) + "|")
    out = []
    for held in DEV:
        rest = [n for n in DEV if n != held]
        best = max(grid, key=lambda s: (round(f1([runs[s][n] for n in rest]), 6), -grid.index(s)))
        before, after = runs[None][held], runs[best][held]
        out.append(
            {
                "cluster": held,
                "setting": name(best),
                **{f"{k}_before": before[k] for k in KEYS},
                **{f"{k}_after": after[k] for k in KEYS},
            }
        )
        cells = [f"{before[k]:.2f} | {after[k]:.2f}" for k in KEYS[:-1]]
        cells.append(f"{before['findings']} | {after['findings']}")
        print(f"| {held} | {name(best)} | " + " | ".join(cells) + " |")
    mean = {k: sum(r[k] for r in out) / len(out) for k in out[0] if k not in ("cluster", "setting")}
    print(
        "| mean | | "
        + " | ".join(f"{mean[k + '_before']:.2f} | {mean[k + '_after']:.2f}" for k in KEYS)
        + " |"
    )
    for setting, rows in runs.items():
        for n in DEV:
            for p in rows[n]["per_conflict"]:
                q = next(
                    x
                    for x in runs[None][n]["per_conflict"]
                    if x["fact"] == p["fact"] and x["type"] == p["type"]
                )
                if (p["found_types"], p["oracle_found"]) != (q["found_types"], q["oracle_found"]):
                    print(
                        f"  {name(setting)}: {n} {p['fact']} {p['type']} e2e {q['found_types']} "
                        f"-> {p['found_types']}, oracle {q['oracle_found']} -> {p['oracle_found']}",
                        file=sys.stderr,
                    )
    if a.json:
        Path(a.json).write_text(
            json.dumps(
                {"folds": out, "runs": {name(s): r for s, r in runs.items()}},
                indent=1,
                sort_keys=True,
            ),
            encoding="utf-8",
        )


if __name__ == "__main__":
    main()
