"""Run one command in a child process; print JSON with its wall time and peak memory (MiB).

python benchmarks/measure.py -- divergence corpus in.jsonl --out o

``peak_mib`` is the peak resident memory of the whole process tree (the command plus any worker
processes it starts, summed), sampled from ``/proc`` every 50 ms; ``peak_single_mib`` is the
largest single process's peak from ``getrusage`` (exact, but blind to a second process).
Without ``/proc`` only the latter exists and ``peak_mib`` falls back to it.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import threading
import time

PAGE_KIB = os.sysconf("SC_PAGE_SIZE") // 1024 if hasattr(os, "sysconf") else 4


def _tree_rss_kib(root: int) -> int:
    """Summed resident memory of ``root`` and its descendants, from /proc."""
    children: dict[int, list[int]] = {}
    rss: dict[int, int] = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat") as fh:
                stat = fh.read()
            with open(f"/proc/{name}/statm") as fh:
                resident = int(fh.read().split()[1])
        except OSError:  # the process ended meanwhile
            continue
        ppid = int(stat[stat.rindex(")") + 2 :].split()[1])
        children.setdefault(ppid, []).append(int(name))
        rss[int(name)] = resident * PAGE_KIB
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss.get(pid, 0)
        todo.extend(children.get(pid, []))
    return total


def main() -> int:
    cmd = sys.argv[sys.argv.index("--") + 1 :]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = [0]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], _tree_rss_kib(proc.pid))
            stop.wait(0.05)

    sampler = None
    if os.path.isdir("/proc"):
        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
    out, err = proc.communicate()
    wall = time.perf_counter() - t0
    stop.set()
    if sampler is not None:
        sampler.join()
    single = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(
        json.dumps(
            {
                "rc": proc.returncode,
                "wall_s": round(wall, 3),
                "peak_mib": round(max(peak[0], single) / 1024, 1),
                "peak_single_mib": round(single / 1024, 1),
                "stdout": out[-2000:],
                "stderr": err[-2000:],
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
