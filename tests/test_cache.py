"""Persistent embedding cache: keys, reuse across runs, two processes, env override."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest

from divergence.cache import CachedEmbedder, EmbeddingCache, default_cache_dir, text_key
from divergence.embed import HashingEmbedder

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


class CountingEmbedder:
    """Wraps the hashing embedder and counts every text sent to it."""

    def __init__(self, name="counting", revision="r1"):
        self.inner = HashingEmbedder()
        self.name = name
        self.revision = revision
        self.calls = 0
        self.texts = 0

    def encode(self, texts):
        self.calls += 1
        self.texts += len(texts)
        return self.inner.encode(texts)


def test_second_run_over_same_input_does_not_embed(tmp_path):
    from divergence import Comparer

    counting = CountingEmbedder()
    first = Comparer(embedder=counting, cache=tmp_path, threshold=0.5).compare(
        [FIXTURES / "first-call"]
    )
    assert counting.texts > 20
    embedded_once = counting.texts
    counting2 = CountingEmbedder()
    second = Comparer(embedder=counting2, cache=tmp_path, threshold=0.5).compare(
        [FIXTURES / "first-call"]
    )
    assert counting2.calls == 0 and counting2.texts == 0
    assert first.to_json() == second.to_json()
    assert EmbeddingCache(tmp_path).count() == embedded_once


def test_cached_vectors_equal_uncached(tmp_path):
    texts = ["Biden called Putin.", "The call lasted an hour.", "Biden called Putin."]
    plain = HashingEmbedder().encode(texts)
    cached = CachedEmbedder(HashingEmbedder(), tmp_path)
    a, b = cached.encode(texts), cached.encode(texts)
    assert np.allclose(a, plain) and np.array_equal(a, b)
    assert cached.stats == {"hits": 2, "embedded": 2}
    assert cached.encode([]).shape[0] == 0


def test_whitespace_variants_share_an_entry(tmp_path):
    counting = CountingEmbedder()
    cached = CachedEmbedder(counting, tmp_path)
    cached.encode(["Biden  called\nPutin.", " Biden called Putin."])
    assert counting.texts == 1


def test_model_revision_is_part_of_the_key(tmp_path):
    a = CachedEmbedder(CountingEmbedder(revision="r1"), tmp_path)
    a.encode(["One sentence."])
    b_inner = CountingEmbedder(revision="r2")
    CachedEmbedder(b_inner, tmp_path).encode(["One sentence."])
    assert b_inner.texts == 1  # a new revision re-embeds
    c_inner = CountingEmbedder(name="other", revision="r1")
    CachedEmbedder(c_inner, tmp_path).encode(["One sentence."])
    assert c_inner.texts == 1  # so does another model name
    assert EmbeddingCache(tmp_path).count() == 3


def test_env_var_overrides_cache_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("DIVERGENCE_CACHE_DIR", str(tmp_path / "c"))
    assert default_cache_dir() == tmp_path / "c"
    cache = EmbeddingCache()
    assert cache.path == tmp_path / "c" / "embeddings.sqlite" and cache.path.exists()


def test_float32_blobs(tmp_path):
    cache = EmbeddingCache(tmp_path)
    vec = np.arange(6, dtype=np.float64).reshape(2, 3)
    cache.put("m", [b"k1", b"k2"], vec)
    got = cache.get("m", [b"k1", b"k2", b"k3"])
    assert set(got) == {b"k1", b"k2"}
    assert got[b"k2"].dtype == np.float32 and got[b"k2"].tolist() == [3.0, 4.0, 5.0]
    assert text_key("a  b") == text_key("a b")


def test_two_processes_share_the_cache(tmp_path):
    """Two processes write and read the same file at once: both finish, nothing is lost."""
    script = textwrap.dedent(
        f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from divergence.cache import CachedEmbedder
        from divergence.embed import HashingEmbedder
        which = int(sys.argv[1])
        emb = CachedEmbedder(HashingEmbedder(), {str(tmp_path)!r})
        for round_ in range(20):
            texts = [f"sentence {{i}} of batch {{round_}}" for i in range(50)]
            texts += [f"process {{which}} own {{round_}} {{i}}" for i in range(10)]
            out = emb.encode(texts)
            assert out.shape == (60, 512), out.shape
        print(emb.stats["embedded"] + emb.stats["hits"])
        """
    )
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", script, str(k)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for k in (1, 2)
    ]
    outs = [p.communicate(timeout=120) for p in procs]
    for p, (out, err) in zip(procs, outs, strict=True):
        assert p.returncode == 0, err
        assert int(out.strip()) == 20 * 60
    # 20 x 50 shared sentences + 2 x 20 x 10 own ones, each stored once
    assert EmbeddingCache(tmp_path).count() == 20 * 50 + 2 * 20 * 10


def test_cache_is_picklable(tmp_path):
    import pickle

    cache = EmbeddingCache(tmp_path)
    cache.put("m", [b"k"], np.ones((1, 2)))
    again = pickle.loads(pickle.dumps(CachedEmbedder(HashingEmbedder(), cache)))
    assert again.cache.get("m", [b"k"])[b"k"].tolist() == [1.0, 1.0]


@pytest.mark.model
def test_real_model_revision_is_stable():
    from divergence.embed import SentenceTransformerEmbedder, model_revision

    assert model_revision(SentenceTransformerEmbedder()) == model_revision(
        SentenceTransformerEmbedder()
    )


def test_locked_database_is_retried_not_fatal():
    """Two processes creating one cache file at once can see "database is locked" when the
    file is switched to WAL (SQLite does not call the busy handler there; CI saw it once in the
    two-process test): such calls are retried until the timeout, other errors are not."""
    import sqlite3

    from divergence.cache import _while_locked

    calls = []

    def flaky():
        calls.append(1)
        if len(calls) < 3:
            raise sqlite3.OperationalError("database is locked")
        return "done"

    assert _while_locked(flaky, timeout=5) == "done" and len(calls) == 3

    def broken():
        raise sqlite3.OperationalError("no such table: x")

    with pytest.raises(sqlite3.OperationalError, match="no such table"):
        _while_locked(broken, timeout=5)

    def always_locked():
        raise sqlite3.OperationalError("database is locked")

    with pytest.raises(sqlite3.OperationalError, match="locked"):
        _while_locked(always_locked, timeout=0.05)


def test_many_processes_create_one_cache_at_once(tmp_path):
    """Six processes open a new cache file at the same moment, three times over: all succeed."""
    code = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r}); "
        "from divergence.cache import EmbeddingCache; EmbeddingCache(sys.argv[1])"
    )
    for trial in range(3):
        d = tmp_path / f"t{trial}"
        procs = [
            subprocess.Popen(
                [sys.executable, "-c", code, str(d)], stderr=subprocess.PIPE, text=True
            )
            for _ in range(6)
        ]
        for p in procs:
            _, err = p.communicate(timeout=120)
            assert p.returncode == 0, err
