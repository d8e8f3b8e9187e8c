"""Run one command in a child process; print JSON with its wall time and peak RSS (MiB).

python benchmarks/measure.py -- divergence corpus in.jsonl --out o
"""

from __future__ import annotations

import json
import resource
import subprocess
import sys
import time


def main() -> int:
    cmd = sys.argv[sys.argv.index("--") + 1 :]
    t0 = time.perf_counter()
    proc = subprocess.run(cmd, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    rss_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(
        json.dumps(
            {
                "rc": proc.returncode,
                "wall_s": round(wall, 3),
                "peak_mib": round(rss_kib / 1024, 1),
                "stdout": proc.stdout[-2000:],
                "stderr": proc.stderr[-2000:],
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
