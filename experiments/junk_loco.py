"""Junk-line recall/precision per cluster: ingest + clean only (no model), as `divergence eval`
scores junk (dropped lines against the gold's ``boilerplate`` lines).

    PYTHONPATH=$PWD python experiments/junk_loco.py            # the table
    PYTHONPATH=$PWD python experiments/junk_loco.py --errors   # plus each miss / false drop
    PYTHONPATH=$PWD python experiments/junk_loco.py --by-reason  # gold lines caught, per reason

``--by-reason`` shows which clusters each kind of rule finds junk in: a rule that fires in one
cluster only is the one most likely to be fitted to it. The ``loco-R`` column is a pessimistic
held-out recall for that reason: with cluster C left out, the lines C's junk was caught by a kind
of rule (reason) that catches junk in no other dev cluster count as missed, as if that rule had
not been written without C in view.

The rules in ``divergence/clean.py`` hold nothing learned from these clusters, so every cluster
is held out by construction (leave-one-cluster-out is the same as scoring all of them). Dev
clusters come from ``fixtures/`` (copies of ``../shared/dev``); the seeds (first-call,
ukraine-calls) are measured after deciding, never to decide.
"""

from __future__ import annotations

import json
import sys
import warnings
from pathlib import Path

from divergence.clean import clean
from divergence.ingest import load_sources

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from experiments.clusters import DEV, SEEDS  # noqa: E402


def score(cluster: str, by_reason: dict[str, dict[str, int]] | None = None):
    gold = json.loads((ROOT / "fixtures" / f"{cluster}.gold.json").read_text(encoding="utf-8"))
    errors: list[str] = []
    tp = fp = fn = 0
    for doc, info in gold["docs"].items():
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            (source,) = load_sources([ROOT / "fixtures" / cluster / info["file"]])
        gold_lines = set(gold.get("boilerplate", {}).get(doc, []))
        dropped = {d.text: d.reason for d in clean(source).dropped}
        for line, reason in sorted(dropped.items()):
            if line in gold_lines:
                tp += 1
                if by_reason is not None:
                    row = by_reason.setdefault(reason, {})
                    row[cluster] = row.get(cluster, 0) + 1
            else:
                fp += 1
                errors.append(f"  FALSE DROP {doc} [{reason}] {line!r}")
        for line in sorted(gold_lines - set(dropped)):
            fn += 1
            errors.append(f"  MISSED     {doc} {line!r}")
    return tp, fp, fn, errors


def main() -> None:
    show = "--errors" in sys.argv
    by_reason: dict[str, dict[str, int]] = {}
    rows = {c: score(c, by_reason) for c in DEV + SEEDS}
    only_in = {
        reason: next(iter(hits))
        for reason, row in by_reason.items()
        if len(hits := [c for c in DEV if row.get(c)]) == 1
    }
    print(
        f"{'cluster':22} {'gold':>5} {'tp':>4} {'fp':>4} {'fn':>4} {'recall':>7} {'prec':>7}"
        f" {'loco-R':>7}"
    )
    for group, clusters in (("dev (leave-one-out)", DEV), ("seeds", SEEDS)):
        total = [0, 0, 0, 0]
        for c in clusters:
            tp, fp, fn, errors = rows[c]
            own = sum(by_reason[r].get(c, 0) for r, only in only_in.items() if only == c)
            total = [total[0] + tp, total[1] + fp, total[2] + fn, total[3] + own]
            r = tp / (tp + fn) if tp + fn else 1.0
            p = tp / (tp + fp) if tp + fp else 1.0
            lr = (tp - own) / (tp + fn) if tp + fn else 1.0
            print(f"{c:22} {tp + fn:5} {tp:4} {fp:4} {fn:4} {r:7.3f} {p:7.3f} {lr:7.3f}")
            if show and errors:
                print("\n".join(errors))
        tp, fp, fn, own = total
        r = tp / (tp + fn) if tp + fn else 1.0
        p = tp / (tp + fp) if tp + fp else 1.0
        lr = (tp - own) / (tp + fn) if tp + fn else 1.0
        print(f"{'= ' + group:22} {tp + fn:5} {tp:4} {fp:4} {fn:4} {r:7.3f} {p:7.3f} {lr:7.3f}")
    if "--by-reason" in sys.argv:
        names = [c[:10] for c in DEV + SEEDS]
        print(f"\n{'reason':18} " + " ".join(f"{n:>10}" for n in names) + "  dev clusters")
        for reason, row in sorted(by_reason.items()):
            cells = [row.get(c, 0) for c in DEV + SEEDS]
            hit = sum(1 for c in DEV if row.get(c))
            print(f"{reason:18} " + " ".join(f"{n:10}" for n in cells) + f"  {hit}/{len(DEV)}")


if __name__ == "__main__":
    main()
