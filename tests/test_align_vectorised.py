"""The vectorised align functions equal the straightforward loops they replaced.

Each reference below is the package's former code, kept here (not in the package) as the
specification: random matrices with several sources, scores drawn partly from the exact
threshold values and their float32 neighbours, so ties at the thresholds are exercised.
"""

from __future__ import annotations

import numpy as np
import pytest

import divergence.align as align
from divergence.align import attach_overlaps, cohesion, group_claims, mutual_links, related_links


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


# thresholds and floors (threshold - slack) that float32 rounds down (0.7, 0.51, 0.21), up (0.6,
# 0.61, 0.3) or keeps (0.5): comparing at float32 instead of the loop's float64 would differ
THRESHOLDS = [(0.7, 0.1), (0.6, 0.1), (0.61, 0.1), (0.5, 0.2), (0.51, 0.3)]


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


def random_case(seed: int):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(1, 40))
    sources = [f"s{k}" for k in rng.integers(0, int(rng.integers(1, 7)), n)]
    if seed % 3 == 0:
        sources.sort()
    threshold, slack = THRESHOLDS[seed % len(THRESHOLDS)]
    sim = tie_matrix(rng, n, threshold, threshold - slack)
    if seed % 7 == 0:  # a few NaN scores: sorted last, never above a threshold
        sim[rng.random((n, n)) < 0.05] = np.nan
    return rng, sources, sim, threshold, slack


def group_sets(rng, n, sim, sources, threshold, slack):
    """A random partition, the aligner's own groups, and overlapping unsorted groups."""
    return [
        random_partition(rng, n),
        group_claims(sim, sources, threshold=threshold, linkage_slack=slack),
        [[int(i) for i in rng.permutation(n)[: rng.integers(1, n + 1)]] for _ in range(4)],
    ]


@pytest.mark.parametrize("budget", [1 << 23, 1])  # one chunk of groups, or one per group
@pytest.mark.parametrize("seed", range(60))
def test_attach_overlaps_equals_the_reference_loop(seed, budget, monkeypatch):
    monkeypatch.setattr(align, "_BUDGET", budget)
    rng, sources, sim, threshold, slack = random_case(seed)
    for groups in group_sets(rng, len(sources), sim, sources, threshold, slack):
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


def reference_related_links(sim, sources, groups, *, low, high):
    """The former dense ``related_links``: one group at a time."""
    src = np.asarray(sources)
    out = {}
    for k, g in enumerate(groups):
        cand = np.flatnonzero(~np.isin(src, src[g]))
        if not len(cand):
            continue
        best = sim[np.ix_(cand, g)].max(axis=1)
        band = np.flatnonzero((best >= low) & (best < high))
        hits = [(int(cand[r]), round(float(best[r]), 4)) for r in band]
        if hits:
            out[k] = sorted(hits, key=lambda t: (-t[1], t[0]))[:3]
    return out


@pytest.mark.parametrize("budget", [1 << 23, 1])
@pytest.mark.parametrize("seed", range(60))
def test_related_links_equals_the_reference_loop(seed, budget, monkeypatch):
    monkeypatch.setattr(align, "_BUDGET", budget)
    rng, sources, sim, threshold, slack = random_case(seed)
    low = threshold - slack  # the band's edges are the tie values of the matrix
    for groups in group_sets(rng, len(sources), sim, sources, threshold, slack):
        want = reference_related_links(sim, sources, groups, low=low, high=threshold)
        got = related_links(sim, sources, groups, low=low, high=threshold)
        assert got == want
        assert list(got) == sorted(got)


def reference_group_claims(sim, sources, *, threshold, top_k=1, linkage_slack=0.1):
    """The former ``group_claims``: every merge tested on its full cross-source block."""
    n = len(sources)
    parent = list(range(n))
    groups = {i: [i] for i in range(n)}
    src = np.asarray(sources)

    def find(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    floor = threshold - linkage_slack
    for _score, i, j in mutual_links(sim, sources, threshold=threshold, top_k=top_k):
        a, b = find(i), find(j)
        if a == b:
            continue
        ga, gb = groups[a], groups[b]
        block = sim[np.ix_(ga, gb)]
        cross = src[ga][:, None] != src[gb][None, :]
        if cross.any() and float(block[cross].mean()) < floor:
            continue
        keep, gone = (a, b) if a < b else (b, a)
        parent[gone] = keep
        groups[keep] = sorted(groups[keep] + groups.pop(gone))
    return sorted(groups.values(), key=lambda g: g[0])


def reference_cohesion(sim, members, sources):
    if len(members) < 2:
        return 1.0
    src = np.asarray(sources)[members]
    block = sim[np.ix_(members, members)]
    cross = src[:, None] != src[None, :]
    return float(block[cross].mean()) if cross.any() else 1.0


@pytest.mark.parametrize("seed", range(60))
def test_group_claims_and_cohesion_equal_the_reference(seed):
    rng, sources, sim, threshold, slack = random_case(seed)
    # slack 0: a single pair's merge test sits exactly on the link threshold
    for top_k, linkage_slack in ((1, slack), (2, slack), (2, 0.0)):
        args = dict(threshold=threshold, top_k=top_k, linkage_slack=linkage_slack)
        want = reference_group_claims(sim, sources, **args)
        assert group_claims(sim, sources, **args) == want
        for g in want + group_sets(rng, len(sources), sim, sources, threshold, slack)[2]:
            assert cohesion(sim, g, sources) == reference_cohesion(sim, g, sources) or (
                np.isnan(cohesion(sim, g, sources))
                and np.isnan(reference_cohesion(sim, g, sources))
            )
