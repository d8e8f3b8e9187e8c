"""The sparse path for big events: same numbers as the dense path where both run, memory linear.

Forced with ``Comparer(sparse=True)`` on the fixtures it must give the dense path's groups and
findings; on a big generated event its peak memory must stay under a bound linear in the claims.
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import numpy as np
import pytest

from divergence import Comparer
from divergence.align import cohesion, group_claims, mutual_links, related_links
from divergence.embed import HashingEmbedder
from divergence.errors import UsageError
from divergence.features import FEATURES, FeatureIndex
from divergence.pairs import CosineScorer, PairModelScorer, SparseScores, TfidfScorer
from divergence.pipeline import SPARSE_ABOVE

from .conftest import CLUSTERS, FIXTURES, ROOT


def fixture_texts(name: str) -> list[str]:
    comp = Comparer(embedder="hashing", attribution=None, conflicts=False, check_event=False)
    return [c.text for c in comp.compare([FIXTURES / name]).claims]


def without_settings(comp) -> dict:
    d = json.loads(comp.to_json())
    d.pop("signature")
    d.pop("settings")
    return d


def test_pair_features_equal_dense_block_features():
    texts = fixture_texts("first-call")
    emb = HashingEmbedder().encode(texts)
    index = FeatureIndex.fit(texts, emb)
    dense = index.block(slice(0, len(texts)))
    rng = np.random.default_rng(0)
    rows = rng.integers(0, len(texts), 500)
    cols = rng.integers(0, len(texts), 500)
    got = index.pairs(rows, cols, chunk=64)
    np.testing.assert_allclose(got, dense[rows, cols], rtol=0, atol=1e-12)
    # the integer-valued features (shared/conflict/mismatch flags) are exactly equal
    flags = [FEATURES.index(f) for f in ("num_shared", "num_conflict", "ent_conflict")]
    assert (got[:, flags] == dense[rows, cols][:, flags]).all()


@pytest.mark.parametrize("scorer", [PairModelScorer(), CosineScorer(), TfidfScorer()])
def test_score_pairs_equal_the_dense_matrix(scorer):
    texts = fixture_texts("ukraine-calls")
    emb = HashingEmbedder().encode(texts)
    dense = scorer.score(texts, emb)
    rows, cols = np.triu_indices(len(texts))
    got = scorer.score_pairs(texts, emb, rows, cols)
    assert got.dtype == np.float32
    np.testing.assert_allclose(got, dense[rows, cols], rtol=0, atol=1e-6)
    # symmetric by construction
    assert (scorer.score_pairs(texts, emb, cols, rows) == got).all()


def random_sparse(seed: int, n: int = 30, n_src: int = 4, stored: float = 0.3):
    rng = np.random.default_rng(seed)
    sources = [f"s{rng.integers(n_src)}" for _ in range(n)]
    sim = rng.random((n, n)).astype(np.float32)
    sim = np.round((sim + sim.T) / 2, 6)
    np.fill_diagonal(sim, 1.0)
    rows, cols = np.triu_indices(n, 1)
    keep = rng.random(len(rows)) < stored
    rows, cols = rows[keep], cols[keep]
    fetched = []

    def fetch(r, c):
        fetched.append(len(r))
        return sim[r, c]

    return sim, sources, SparseScores(rows, cols, sim[rows, cols], sources=sources, fetch=fetch)


@pytest.mark.parametrize("seed", range(8))
def test_aligner_on_all_pairs_stored_equals_dense(seed):
    """With every pair stored, each align function gives exactly the dense result."""
    sim, sources, _ = random_sparse(seed)
    n = len(sources)
    rows, cols = np.triu_indices(n, 1)
    full = SparseScores(rows, cols, sim[rows, cols], sources=sources, fetch=None)
    for top_k in (1, 2):
        assert mutual_links(full, sources, threshold=0.5, top_k=top_k) == mutual_links(
            sim, sources, threshold=0.5, top_k=top_k
        )
    groups = group_claims(sim, sources, threshold=0.55, top_k=2)
    assert group_claims(full, sources, threshold=0.55, top_k=2) == groups
    assert related_links(full, sources, groups, low=0.3, high=0.55) == related_links(
        sim, sources, groups, low=0.3, high=0.55
    )
    assert [cohesion(full, g, sources) for g in groups] == [
        cohesion(sim, g, sources) for g in groups
    ]


@pytest.mark.parametrize("seed", range(8))
def test_sparse_links_are_a_subset_of_dense_links(seed):
    """Unstored pairs are fetched to check ranks, so a sparse link is always a dense link."""
    sim, sources, sp = random_sparse(seed)
    dense = set(mutual_links(sim, sources, threshold=0.4, top_k=2))
    assert set(mutual_links(sp, sources, threshold=0.4, top_k=2)) <= dense


@pytest.mark.parametrize("name", CLUSTERS)
def test_forced_sparse_equals_dense_on_fixtures_hashing(name):
    dense = Comparer(embedder="hashing", sparse=False, scorer="lr").compare([FIXTURES / name])
    sparse = Comparer(embedder="hashing", sparse=True, scorer="lr").compare([FIXTURES / name])
    assert without_settings(sparse) == without_settings(dense)
    assert sparse.settings["sparse"] is True and "sparse:1" in sparse.signature


def test_default_output_does_not_name_the_path():
    comp = Comparer(embedder="hashing", attribution=None).compare([FIXTURES / "first-call"])
    assert "sparse" not in comp.settings and "sparse" not in comp.signature


@pytest.mark.model
def test_forced_sparse_equals_dense_with_real_model(real_comparisons):
    sparse = Comparer(sparse=True, scorer="lr").compare([FIXTURES / "first-call"])
    dense = Comparer(sparse=False, scorer="lr").compare([FIXTURES / "first-call"])
    assert without_settings(sparse) == without_settings(dense)


def test_automatic_switch_and_options():
    comparer = Comparer(embedder="hashing")
    assert not comparer.use_sparse(SPARSE_ABOVE) and comparer.use_sparse(SPARSE_ABOVE + 1)
    assert not Comparer(embedder="hashing", sparse=False).use_sparse(10 * SPARSE_ABOVE)

    class DenseOnly:
        name = signature = "dense-only"
        default_threshold = 0.5

        def score(self, texts, emb):
            return CosineScorer().score(texts, emb)

    assert not Comparer(embedder="hashing", scorer=DenseOnly()).use_sparse(10 * SPARSE_ABOVE)
    with pytest.raises(UsageError, match="pair_scorer"):
        Comparer(embedder="hashing", scorer=DenseOnly(), sparse=True)
    with pytest.raises(UsageError, match="sparse must be"):
        Comparer(embedder="hashing", sparse="yes")


def test_sparse_is_deterministic_and_independent_of_source_order():
    paths = sorted((FIXTURES / "ukraine-calls").glob("*.txt"))
    comparer = Comparer(embedder="hashing", sparse=True)
    first = comparer.compare(paths)
    assert first.to_json() == comparer.compare(paths).to_json()
    shuffled = comparer.compare(paths[::-1])
    assert [s.id for s in shuffled.sources] != [s.id for s in first.sources]
    assert canon(shuffled) == canon(first)


def canon(comp):
    groups = {g.id: tuple(sorted(g.claims)) for g in comp.groups}
    return sorted(
        (f.kind, groups[f.group], tuple(sorted(f.sources)), json.dumps(f.detail, sort_keys=True))
        for f in comp.findings
        if f.kind != "emphasis"  # its lists follow source order
    )


PROBE = textwrap.dedent(
    """
    import json, resource, sys
    import numpy as np
    from divergence import Comparer

    def event(n_sources, per_source, seed, n_facts=1000):
        rng = np.random.default_rng(seed)
        words = [f"w{i}" for i in range(3000)]
        names = [f"Name{i}" for i in range(300)]
        facts = [" ".join(rng.choice(words, 10)) + " " + rng.choice(names)
                 for _ in range(n_facts)]
        out = []
        for s in range(n_sources):
            picked = rng.choice(len(facts), per_source, replace=False)
            lines = []
            for f in picked:
                toks = facts[f].split()
                toks[rng.integers(len(toks) - 1)] = str(rng.choice(words))
                lines.append("The report said " + " ".join(toks) + ".")
            out.append({"id": f"s{s:04d}", "text": "Title %d\\n" % s + " ".join(lines)})
        return out

    comparer = Comparer(embedder="hashing", attribution="rules", conflicts=False,
                        check_event=False, max_claims=100_000, sparse=True)
    comparer.compare(event(4, 10, 1))  # warm: imports, first allocations
    base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    comp = comparer.compare(event(int(sys.argv[1]), int(sys.argv[2]), 2))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(json.dumps({"claims": len(comp.claims), "growth_mib": (peak - base) / 1024}))
    """
)


def run_probe(n_sources: int, per_source: int) -> dict:
    out = subprocess.run(
        [sys.executable, "-c", PROBE, str(n_sources), str(per_source)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=900,
    )
    assert out.returncode == 0, out.stderr[-2000:]
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_big_event_memory_is_linear_not_quadratic():
    """20 sources x 400 sentences (8,020 claims) on the sparse path. One dense float32 score
    matrix alone would be 245 MiB (n^2 x 4 bytes; the dense path holds several such arrays).
    Measured: +91 MiB at 2,005 claims and +178 MiB at 8,020 (about 15 KiB a claim over a 63 MiB
    start); bound 64 MiB + 20 KiB per claim, which stays under that single dense matrix."""
    res = run_probe(20, 400)
    n = res["claims"]
    assert n >= 8000
    bound = 64 + 20 * n / 1024
    assert res["growth_mib"] < bound, res
    assert bound < n * n * 4 / 2**20
