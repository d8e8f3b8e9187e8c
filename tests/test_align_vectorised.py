"""The vectorised align functions equal the straightforward loops they replaced.

Each reference below is the package's former code, kept here (not in the package) as the
specification: random matrices with several sources, scores drawn partly from the exact
threshold values and their float32 neighbours, so ties at the thresholds are exercised.
"""

from __future__ import annotations

import numpy as np
import pytest

from divergence.align import attach_overlaps, group_claims


def reference_attach_overlaps(groups, sim, sources, *, threshold, linkage_slack=0.1):
    """The former dense loop of ``attach_overlaps``: every claim against every group."""
    src = np.asarray(sources)
    floor = threshold - linkage_slack
    out = []
    for g in groups:
        members = list(g)
        base = np.asarray(g)
        for i in range(len(sources)):
            if i in g:
                continue
            other = base[src[base] != src[i]]
            if not len(other):
                continue
            scores = sim[i, other]
            if float(scores.max()) >= threshold and float(scores.min()) >= floor:
                members.append(i)
        out.append(sorted(members))
    return out


# 0.7 and 0.3 round *down* to float32, 0.6 and 0.61 round up: a float32 comparison would differ
THRESHOLDS = [(0.7, 0.1), (0.6, 0.1), (0.61, 0.3), (0.5, 0.2), (0.7, 0.4)]


def tie_matrix(rng, n: int, threshold: float, floor: float) -> np.ndarray:
    """Random float32 scores, about half of them exactly at (or one ulp around) the cut-offs."""
    sim = rng.random((n, n)).astype(np.float32)
    ties = []
    for t in (threshold, floor):
        t32 = np.float32(t)
        ties += [t32, np.nextafter(t32, np.float32(0)), np.nextafter(t32, np.float32(1))]
    pick = rng.random((n, n)) < 0.5
    sim[pick] = rng.choice(np.array(ties, dtype=np.float32), size=int(pick.sum()))
    if rng.random() < 0.5:
        sim = np.round((sim + sim.T) / 2, 6)  # the pipeline's symmetric, rounded form
    return sim


def random_partition(rng, n: int) -> list[list[int]]:
    labels = rng.integers(0, max(1, n // 2), n)
    return sorted(
        (np.flatnonzero(labels == k).tolist() for k in np.unique(labels)), key=lambda g: g[0]
    )


@pytest.mark.parametrize("seed", range(40))
def test_attach_overlaps_equals_the_reference_loop(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 40))
    n_src = int(rng.integers(1, 6))
    sources = [f"s{k}" for k in rng.integers(0, n_src, n)]
    if seed % 3 == 0:
        sources.sort()  # the pipeline's canonical order: each source one contiguous block
    threshold, slack = THRESHOLDS[seed % len(THRESHOLDS)]
    sim = tie_matrix(rng, n, threshold, threshold - slack)
    partitions = [random_partition(rng, n)]
    # groups as the aligner builds them, and overlapping / unsorted / empty groups
    partitions.append(group_claims(sim, sources, threshold=threshold, linkage_slack=slack))
    partitions.append(
        [[int(i) for i in rng.permutation(n)[: rng.integers(1, n + 1)]] for _ in range(4)]
    )
    for groups in partitions:
        want = reference_attach_overlaps(
            groups, sim, sources, threshold=threshold, linkage_slack=slack
        )
        got = attach_overlaps(groups, sim, sources, threshold=threshold, linkage_slack=slack)
        assert got == want
        assert all(type(i) is int for g in got for i in g)


def test_attach_overlaps_compares_at_float64_like_the_loop():
    # float32(0.7) < 0.7: a float32 comparison would let claim 2 join; the loop does not
    sim = np.full((3, 3), np.float32(0.7), dtype=np.float32)
    args = dict(threshold=0.7, linkage_slack=0.1)
    want = reference_attach_overlaps([[0, 1], [2]], sim, ["A", "B", "C"], **args)
    assert attach_overlaps([[0, 1], [2]], sim, ["A", "B", "C"], **args) == want == [[0, 1], [2]]


def test_attach_overlaps_nan_scores_never_join():
    sim = np.array([[1, 0.9, np.nan], [0.9, 1, 0.9], [np.nan, 0.9, 1]], dtype=np.float32)
    groups = [[0, 1], [2]]
    want = reference_attach_overlaps(groups, sim, ["A", "B", "C"], threshold=0.6)
    assert attach_overlaps(groups, sim, ["A", "B", "C"], threshold=0.6) == want
