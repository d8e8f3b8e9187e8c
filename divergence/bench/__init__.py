"""Benchmarks of claim alignment on external labelled data (``../shared/bench``) and the seeds.

    >>> from divergence.bench import run_bench                    # doctest: +SKIP
    >>> print(run_bench("../shared/bench", "fixtures").render())  # doctest: +SKIP

The data is third-party and read in place; nothing of it is stored in the project. See
:mod:`divergence.bench.data` for the loaders and :mod:`divergence.bench.quality` for the table.
"""

from __future__ import annotations

from .data import BenchMissing, find_bench_dir

__all__ = ["BenchMissing", "find_bench_dir", "run_bench"]


def run_bench(*args, **kwargs):
    from .quality import run_bench as _run

    return _run(*args, **kwargs)
