"""Measure the figures the README's "Reliability" section quotes (hashing embedder).

    python benchmarks/measure_limits.py

Prints, for each case, wall time and the growth of peak RSS over a baseline taken in this
process after the imports and a warm-up comparison (so interpreter and library costs are
excluded). Cases run in increasing size; each in a fresh process, so peaks do not carry over.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CASE = r"""
import json, random, resource, sys, tempfile, time, tracemalloc
from pathlib import Path
sys.path.insert(0, {root!r})
import sklearn.feature_extraction.text, syntok.segmenter  # noqa: F401
from divergence import compare
from divergence.errors import InputError
from divergence.ingest import load_sources

def rss():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

rng = random.Random(7)
words = ("the minister said that talks would continue next week after a long meeting "
         "in the capital city with officials from both sides").split()
def article(n):
    return "Report\n" + "\n".join(
        " ".join(rng.choice(words) for _ in range(rng.randint(8, 20))).capitalize() + "."
        for _ in range(n))
compare(["Warm up. It is short.", "Warm up two. Short too."], embedder="hashing")
case = sys.argv[1]
tmp = Path(tempfile.mkdtemp())
base = rss(); t0 = time.perf_counter(); out = {{"case": case}}
if case.startswith("sentences"):
    n1, n2 = map(int, case.split(":")[1:])
    c = compare([article(n1), article(n2)], embedder="hashing")
    out["claims"] = len(c.claims)
elif case == "fifty-sources":
    c = compare([article(40) for _ in range(50)], embedder="hashing")
    out["claims"] = len(c.claims)
elif case in ("20mb-text", "20mb-jsonl"):
    p = tmp / ("big.txt" if case == "20mb-text" else "big.jsonl")
    if case == "20mb-text":
        p.write_bytes(b"The minister spoke at length. " * 700_000)
    else:
        p.write_text("\n".join(json.dumps({{"text": "The minister spoke at length. " * 66_000}})
                               for _ in range(11)), encoding="utf-8")
    out["bytes"] = p.stat().st_size
    base = rss(); t0 = time.perf_counter()
    tracemalloc.start()
    try:
        load_sources([p])
    except InputError as exc:
        out["error"] = str(exc).replace(str(p), p.name)
    out["tracemalloc_peak_mb"] = round(tracemalloc.get_traced_memory()[1] / 2**20, 1)
out["seconds"] = round(time.perf_counter() - t0, 1)
out["rss_growth_mb"] = round((rss() - base) / 2**20)
print(json.dumps(out))
"""


def main() -> None:
    cases = ["20mb-text", "20mb-jsonl", "fifty-sources", "sentences:5000:20", "sentences:4998:4998"]
    for case in cases:
        code = CASE.format(root=str(ROOT))
        out = subprocess.run([sys.executable, "-c", code, case], capture_output=True, text=True)
        print(out.stdout.strip() or out.stderr.strip().splitlines()[-1])
        sys.stdout.flush()


if __name__ == "__main__":
    main()
