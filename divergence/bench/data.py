"""Loaders for the external pair data in ``../shared/bench`` (read in place, never copied).

    >>> from divergence.bench.data import load_pairs               # doctest: +SKIP
    >>> pairs = load_pairs("../shared/bench", "stsb", split="train")  # doctest: +SKIP

Every loader returns :class:`Pairs`: texts ``a``/``b``, a float ``label`` (0/1, or the 0-5 STS
score) and ``fit_texts``, the split's sentences that TF-IDF is fitted on (as in the bench README).
Licences (see each folder's README): STS-B scores CC BY-SA and ECB+ CC BY 3.0 may train what we
ship; MSRP and SuperPAL/Multi-News are non-commercial and are only ever evaluated on.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import InputError

TRAINABLE = ("stsb", "ecbplus")
FILES = {
    "msrp": "msrp/msrp.jsonl",
    "stsb": "stsb/stsb.jsonl",
    "ecbplus": "ecbplus/sentence_pairs.jsonl",
    "ecbplus_docs": "ecbplus/docs.jsonl",
    "superpal": "superpal_multinews/crossdoc_sentence_pairs.jsonl",
}


class BenchMissing(InputError):
    """The external benchmark data is not there (benchmarks skip, they do not fail)."""


@dataclass(frozen=True)
class Pairs:
    name: str
    a: list[str]
    b: list[str]
    label: np.ndarray
    fit_texts: list[str]
    #: per pair, the cluster (event) it comes from, and each cluster's sentences: TF-IDF is then
    #: fitted per cluster, as at run time on the compared sources
    clusters: list[str] | None = None
    cluster_texts: dict[str, list[str]] | None = None

    def __len__(self) -> int:
        return len(self.a)


def find_bench_dir(path: str | Path | None = None) -> Path:
    """``path``, else ``$DIVERGENCE_BENCH``, else ``../shared/bench``; raises BenchMissing."""
    cand = Path(path or os.environ.get("DIVERGENCE_BENCH") or Path("..") / "shared" / "bench")
    if not (cand / FILES["stsb"]).exists():
        raise BenchMissing(f"no benchmark data in {cand} (expected {FILES['stsb']} there)")
    return cand


def _rows(path: Path) -> list[dict]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


def _uniq(texts) -> list[str]:
    return sorted(set(texts))


def load_pairs(bench: str | Path, name: str, *, split: str, news_only: bool = False) -> Pairs:
    """Pairs of one dataset split: ``msrp``, ``stsb`` (``news_only``: genre main-news),
    ``ecbplus`` (texts joined from docs.jsonl) or ``superpal``."""
    bench = Path(bench)
    if name == "ecbplus":
        docs = _rows(bench / FILES["ecbplus_docs"])
        sent = {(d["doc"], s["sid"]): s["text"] for d in docs for s in d["sentences"]}
        rows = [r for r in _rows(bench / FILES["ecbplus"]) if r["split"] == split]
        a = [sent[(r["doc_a"], r["sid_a"])] for r in rows]
        b = [sent[(r["doc_b"], r["sid_b"])] for r in rows]
        fit = _uniq(s["text"] for d in docs if d["split"] == split for s in d["sentences"])
        per: dict[str, set[str]] = {}
        for d in docs:
            if d["split"] == split:
                per.setdefault(d["cluster"], set()).update(s["text"] for s in d["sentences"])
        return Pairs(
            f"ecbplus-{split}",
            a,
            b,
            np.array([r["label"] for r in rows], float),
            fit,
            clusters=[r["cluster"] for r in rows],
            cluster_texts={k: sorted(v) for k, v in per.items()},
        )
    if name not in ("msrp", "stsb", "superpal"):
        raise InputError(f"unknown benchmark dataset {name!r}")
    rows = [r for r in _rows(bench / FILES[name]) if r["split"] == split]
    if name == "superpal":
        per: dict[str, set[str]] = {}
        for r in rows:
            per.setdefault(r["cluster"], set()).update((r["a"], r["b"]))
        a, b = [r["a"] for r in rows], [r["b"] for r in rows]
        return Pairs(
            f"superpal-{split}",
            a,
            b,
            np.array([float(r["label"]) for r in rows]),
            _uniq(a + b),
            clusters=[r["cluster"] for r in rows],
            cluster_texts={k: sorted(v) for k, v in per.items()},
        )
    if news_only:
        rows = [r for r in rows if r.get("genre") == "main-news"]
    a, b = [r["a"] for r in rows], [r["b"] for r in rows]
    label = np.array([float(r["label"]) for r in rows])
    tag = f"{name}{'-news' if news_only else ''}-{split}"
    return Pairs(tag, a, b, label, _uniq(a + b))
