"""An on-disk embedding cache for benchmark runs (thousands of external sentences).

    >>> from divergence.bench.cache import CachedEmbedder          # doctest: +SKIP
    >>> CachedEmbedder(embedder, "/tmp/emb.npz").encode(["a", "b"]).shape  # doctest: +SKIP

Keys are the SHA-1 of each text; vectors are stored as float32 in one ``.npz`` next to nothing
else. Only benchmark and training code use it; the comparison pipeline embeds afresh.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np


def default_cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "divergence"


def bench_vectors_path(embedder=None) -> Path:
    """Where the benchmark and the dev/training scripts keep the MiniLM vectors of the external
    sentences (one file shared by all of them); an ``embedder`` with an adapter gets its own
    file, named by the adapter's revision."""
    adapter = getattr(embedder, "adapter", None)
    if adapter is None:
        return default_cache_dir() / "bench-all-MiniLM-L6-v2.npz"
    rev = embedder.revision.rsplit("+", 1)[-1][:10]
    return default_cache_dir() / f"bench-{embedder.name}-{rev}.npz"


def _key(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()


class CachedEmbedder:
    """Wrap an embedder; vectors already in ``path`` are reused, new ones appended on save."""

    def __init__(self, embedder, path: str | Path):
        self.embedder = embedder
        self.name = embedder.name
        self.path = Path(path)
        self._store: dict[str, np.ndarray] = {}
        if self.path.exists():
            data = np.load(self.path)
            self._store = dict(zip(data["keys"].tolist(), data["vecs"], strict=True))
        self._dirty = False

    def encode(self, texts: list[str]) -> np.ndarray:
        keys = [_key(t) for t in texts]
        todo = sorted({t for t, k in zip(texts, keys, strict=True) if k not in self._store})
        if todo:
            vecs = self.embedder.encode(todo)
            for t, v in zip(todo, vecs, strict=True):
                self._store[_key(t)] = np.asarray(v, dtype=np.float32)
            self._dirty = True
            self.save()
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([self._store[k] for k in keys]).astype(np.float32)

    def save(self) -> None:
        if not self._dirty:
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        keys = sorted(self._store)
        tmp = self.path.with_suffix(".tmp.npz")
        np.savez(tmp, keys=np.array(keys), vecs=np.stack([self._store[k] for k in keys]))
        os.replace(tmp, self.path)
        self._dirty = False
