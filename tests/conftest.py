"""Shared fixtures. The real packaged model runs once per session for each seed cluster."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
# never write the persistent embedding cache into the user's cache dir from tests
os.environ["DIVERGENCE_CACHE_DIR"] = tempfile.mkdtemp(prefix="divergence-test-cache-")
os.environ["DIVERGENCE_MODEL_DIR"] = tempfile.mkdtemp(prefix="divergence-test-models-")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
CLUSTERS = ["first-call", "ukraine-calls"]
SHARED = ROOT.parent / "shared"


@pytest.fixture(scope="session")
def real_comparisons():
    """Comparisons of both seed clusters with the real packaged MiniLM model."""
    from divergence import Comparer

    comparer = Comparer()
    return {name: comparer.compare([FIXTURES / name]) for name in CLUSTERS}


@pytest.fixture(scope="session")
def fake_comparisons():
    """The same with the model-free hashing embedder (fast)."""
    from divergence import Comparer

    # the renderers' fixtures keep the pair model's scale (their goldens test rendering)
    comparer = Comparer(embedder="hashing", threshold=0.5, scorer="lr")
    return {name: comparer.compare([FIXTURES / name]) for name in CLUSTERS}
