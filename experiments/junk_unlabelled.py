"""Held-out precision check on real articles without junk labels (``../shared/bench`` BASIL and
ECB+ texts, read in place): every line the current rules drop that an older ``clean.py`` kept,
printed for a person to judge (article sentences there are false drops).

    git show d53e292:divergence/clean.py > /tmp/clean_old.py
    PYTHONPATH=$PWD python experiments/junk_unlabelled.py /tmp/clean_old.py [BENCH_DIR]

``BENCH_DIR`` defaults to ``$DIVERGENCE_BENCH`` or ``../shared/bench``.
"""

from __future__ import annotations

import importlib.util
import json
import os
import sys
from collections import Counter
from pathlib import Path

from divergence.clean import clean
from divergence.records import Source

BENCH = Path(
    os.environ.get("DIVERGENCE_BENCH")
    or Path(__file__).resolve().parent.parent.parent / "shared" / "bench"
)


def main() -> None:
    spec = importlib.util.spec_from_file_location("divergence._old_clean", sys.argv[1])
    old = importlib.util.module_from_spec(spec)
    old.__package__ = "divergence"
    sys.modules[spec.name] = old
    spec.loader.exec_module(old)
    bench = Path(sys.argv[2]) if len(sys.argv) > 2 else BENCH
    lines = docs = 0
    new_drops: Counter[str] = Counter()
    for name in ("basil", "ecbplus"):
        path = bench / name / "docs.jsonl"
        if not path.exists():
            print(f"{path}: absent, skipped")
            continue
        for row in map(json.loads, path.read_text(encoding="utf-8").splitlines()):
            text = (row.get("title") or "") + "\n" + row["text"]
            src = Source(id="x", name="x", text=text, meta={"name_from": "file"})
            before = {d.text for d in old.clean(src).dropped}
            docs += 1
            lines += sum(1 for ln in text.splitlines() if ln.strip())
            for d in clean(src).dropped:
                if d.text not in before:
                    new_drops[d.reason] += 1
                    print(f"{name} {row['doc']} [{d.reason}] {d.text[:150]!r}")
    print(f"{docs} docs, {lines} lines; newly dropped: {sum(new_drops.values())} {dict(new_drops)}")


if __name__ == "__main__":
    main()
