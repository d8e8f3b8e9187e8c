"""Align: group claims from different sources that state the same thing.

    >>> import numpy as np
    >>> from divergence.align import group_claims
    >>> sim = np.array([[1, .9, .1], [.9, 1, .2], [.1, .2, 1]], dtype=np.float32)
    >>> group_claims(sim, ["a", "b", "b"], threshold=0.6)
    [[0, 1], [2]]

Plain "cosine >= t, then connected components" chains unrelated claims together (A~B, B~C, so
A~C): measured on the first-call seeds it gives alignment F1 0.18-0.28. Two guards stop that:

1. **Candidate links are mutual best matches.** For each pair of sources, claim *i* of S links to
   claim *j* of T only if *j* is among *i*'s ``top_k`` most similar claims in T *and* *i* is among
   *j*'s ``top_k`` in S, and their similarity is at least ``threshold``. A claim therefore links
   to at most ``top_k`` claims per other source (as in margin-based bitext mining, this also damps
   "hub" sentences that are close to everything).
2. **Average linkage over those links.** Links are merged greedily from the strongest; two groups
   merge only if the mean similarity over all their cross-source member pairs stays at or above
   ``threshold - linkage_slack``. A chain whose ends do not match fails this test.

A group may hold several claims of one source (a source repeating a claim, or stating in two
sentences what another states in one). The similarity matrix comes from :mod:`divergence.pairs`,
so a better pair scorer improves grouping without touching this module.

**Big events.** Every function here takes either the dense (n, n) matrix or a
:class:`divergence.pairs.SparseScores` (candidate pairs stored, any other pair scored on demand
for the small group blocks). On the sparse structure, the mutual top-k is taken among each
claim's stored pairs, and ``attach_overlaps``/``related_links`` only consider claims with a
stored pair of at least the threshold (the band's lower edge) to a group member, then score them
against the whole group exactly; so the result equals the dense one whenever the pairs that
decide it (mutual best matches, links at the threshold or the band) are among the candidates.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .pairs import SparseScores

#: Slack for preselecting sparse candidates by a float32 score before the exact test.
_EPS = 1e-6
#: Cells of the (claims, group members) block the dense path scores at once (32 MiB float32).
_BUDGET = 1 << 23


def _block(sim, ia, ib) -> np.ndarray:
    if isinstance(sim, SparseScores):
        return sim.block(ia, ib)
    return sim[np.ix_(ia, ib)]


@dataclass(frozen=True)
class Aligner:
    """Grouping settings. ``threshold``: minimum pair score for a link (on the pair scorer's
    scale); ``top_k``: mutual-best-match depth; ``linkage_slack``: how far below ``threshold``
    a merged group's mean cross-source score may fall."""

    threshold: float = 0.6
    top_k: int = 1
    linkage_slack: float = 0.1
    overlap: bool = False

    @property
    def signature(self) -> str:
        sig = f"mnn{self.top_k}-avg|thr:{self.threshold:g}|slack:{self.linkage_slack:g}"
        return sig + ("|overlap" if self.overlap else "")

    def group(self, sim: np.ndarray, sources: list[str]) -> list[list[int]]:
        groups = group_claims(
            sim,
            sources,
            threshold=self.threshold,
            top_k=self.top_k,
            linkage_slack=self.linkage_slack,
        )
        if self.overlap:
            groups = attach_overlaps(
                groups, sim, sources, threshold=self.threshold, linkage_slack=self.linkage_slack
            )
        return groups


def mutual_links(
    sim: np.ndarray, sources: list[str], *, threshold: float, top_k: int = 1
) -> list[tuple[float, int, int]]:
    """Cross-source pairs (score, i, j), i < j, that are mutual top-k matches above threshold."""
    if isinstance(sim, SparseScores):
        return _sparse_mutual_links(sim, threshold=threshold, top_k=top_k)
    src = np.asarray(sources)
    names = sorted(set(sources))
    members = {s: np.flatnonzero(src == s) for s in names}
    links: list[tuple[float, int, int]] = []
    for a_pos, a in enumerate(names):
        ia = members[a]
        for b in names[a_pos + 1 :]:
            ib = members[b]
            block = sim[np.ix_(ia, ib)]
            ka, kb = min(top_k, len(ib)), min(top_k, len(ia))
            # top-k columns per row and top-k rows per column (ties broken by index: stable)
            row_top = np.argsort(-block, axis=1, kind="stable")[:, :ka]
            col_top = np.argsort(-block, axis=0, kind="stable")[:kb, :]
            row_ok = np.zeros_like(block, dtype=bool)
            np.put_along_axis(row_ok, row_top, True, axis=1)
            col_ok = np.zeros_like(block, dtype=bool)
            np.put_along_axis(col_ok, col_top, True, axis=0)
            ok = row_ok & col_ok & (block >= threshold)
            for r, c in zip(*np.nonzero(ok), strict=True):
                i, j = int(ia[r]), int(ib[c])
                links.append((float(block[r, c]), min(i, j), max(i, j)))
    # strongest first; ties by index so the result never depends on dict/set order
    links.sort(key=lambda t: (-t[0], t[1], t[2]))
    return links


def _sparse_mutual_links(
    sim: SparseScores, *, threshold: float, top_k: int
) -> list[tuple[float, int, int]]:
    """:func:`mutual_links` among the stored pairs: per claim and other source, its ``top_k``
    stored partners by score (ties by index, as the dense path)."""
    ei, ej, ev = sim.edges()
    if not len(ei):
        return []
    sj = sim.src[ej]
    order = np.lexsort((ej, -ev, sj, ei))
    grp = ei[order] * (int(sim.src.max()) + 1) + sj[order]
    pos = np.arange(len(order))
    first = np.r_[True, grp[1:] != grp[:-1]]
    rank = pos - np.maximum.accumulate(np.where(first, pos, 0))
    ok = np.zeros(len(order), dtype=bool)
    ok[order] = rank < top_k
    n = sim.n
    fwd = ok & (ei < ej) & (ev >= threshold)
    back = ok & (ei > ej)
    mutual = np.isin(ei[fwd] * n + ej[fwd], ej[back] * n + ei[back])
    i, j, v = ei[fwd][mutual], ej[fwd][mutual], ev[fwd][mutual]
    # ranks among stored pairs are optimistic (an unstored claim of the other source may score
    # higher): check each end against every claim of the other source, as the dense path does
    keep = _in_true_topk(sim, i, j, top_k) & _in_true_topk(sim, j, i, top_k)
    i, j, v = i[keep], j[keep], v[keep]
    links = [(float(s), int(a), int(b)) for s, a, b in zip(v, i, j, strict=True)]
    links.sort(key=lambda t: (-t[0], t[1], t[2]))
    return links


def _in_true_topk(
    sim: SparseScores, i: np.ndarray, j: np.ndarray, top_k: int, *, batch: int = 1 << 17
) -> np.ndarray:
    """Whether ``j[m]`` is among ``i[m]``'s ``top_k`` best claims of ``j[m]``'s source (score
    descending, ties by index), scoring ``i[m]`` against all of that source's claims."""
    ok = np.zeros(len(i), dtype=bool)
    if not len(i):
        return ok
    by_src = np.argsort(sim.src, kind="stable")
    ptr = np.concatenate([[0], np.cumsum(np.bincount(sim.src))])
    lo, hi = ptr[sim.src[j]], ptr[sim.src[j] + 1]
    sizes = hi - lo
    start = 0
    while start < len(i):
        stop = start + max(1, int(np.searchsorted(np.cumsum(sizes[start:]), batch)))
        stop = min(stop, len(i))
        n_of = sizes[start:stop]
        unit = np.repeat(np.arange(stop - start), n_of)
        off = np.arange(len(unit)) - (np.cumsum(n_of) - n_of)[unit]
        cols = by_src[lo[start:stop][unit] + off]
        rows = i[start:stop][unit]
        scores = sim.get(rows, cols)
        target = j[start:stop][unit]
        own = scores[cols == target]  # one per unit, in unit order
        s_u = own[unit]
        better = (scores > s_u) | ((scores == s_u) & (cols < target))
        ok[start:stop] = np.bincount(unit, weights=better, minlength=stop - start) < top_k
        start = stop
    return ok


def group_claims(
    sim: np.ndarray,
    sources: list[str],
    *,
    threshold: float,
    top_k: int = 1,
    linkage_slack: float = 0.1,
) -> list[list[int]]:
    """Partition claim indices into groups (see the module docstring). Groups are returned
    sorted by their smallest member; members sorted; singletons included."""
    n = len(sources)
    parent = list(range(n))
    groups: dict[int, list[int]] = {i: [i] for i in range(n)}
    src = np.asarray(sources)
    dense = not isinstance(sim, SparseScores)

    def find(x: int) -> int:
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
        if dense and len(ga) == 1 and len(gb) == 1:
            # a single pair (most merges): its mean is its score, read without a block
            if src[ga[0]] != src[gb[0]] and float(sim[ga[0], gb[0]]) < floor:
                continue
        else:
            block = _block(sim, ga, gb)
            cross = src[ga][:, None] != src[gb][None, :]
            if cross.any() and float(block[cross].mean()) < floor:
                continue
        keep, gone = (a, b) if a < b else (b, a)
        parent[gone] = keep
        groups[keep] = sorted(groups[keep] + groups.pop(gone))
    return sorted(groups.values(), key=lambda g: g[0])


def attach_overlaps(
    groups: list[list[int]],
    sim: np.ndarray,
    sources: list[str],
    *,
    threshold: float,
    linkage_slack: float = 0.1,
) -> list[list[int]]:
    """Let a claim also join every other cross-source group it has a confident link into.

    A sentence carrying several claims ("Biden raised Navalny, the hack and the bounties") is
    partitioned into one group; here it also joins each other group in which some claim of another
    source scores at least ``threshold`` with it and *every* other-source member scores at least
    ``threshold - linkage_slack`` (complete linkage: joining must not dilute the group). Groups
    are built from the partition only (one pass, no chaining through added members).

    >>> import numpy as np
    >>> sim = np.array([[1, .9, .8], [.9, 1, .1], [.8, .1, 1]], dtype=np.float32)
    >>> attach_overlaps([[0, 1], [2]], sim, ["A", "B", "C"], threshold=0.6)
    [[0, 1], [0, 2]]
    """
    src = np.asarray(sources)
    floor = threshold - linkage_slack
    if isinstance(sim, SparseScores):
        return _sparse_attach_overlaps(groups, sim, src, threshold=threshold, floor=floor)
    return _dense_attach_overlaps(groups, sim, src, threshold=threshold, floor=floor)


def _codes(src) -> tuple[int, np.ndarray]:
    """(number of sources, each claim's source as an integer code)."""
    names, code = np.unique(src, return_inverse=True)
    return len(names), code.reshape(-1)


def _chunks(groups, n: int):
    """Runs of non-empty groups (index, members) whose (n, members) block stays near
    ``_BUDGET`` cells, with the members concatenated and each group's segment start."""
    budget = _BUDGET
    run, size = [], 0
    for k, g in enumerate(groups):
        if not len(g):
            continue
        run.append((k, g))
        size += len(g) * n
        if size >= budget:
            yield _segments(run)
            run, size = [], 0
    if run:
        yield _segments(run)


def _segments(run):
    ks = [k for k, _ in run]
    lens = np.array([len(g) for _, g in run])
    flat = np.concatenate([np.asarray(g, dtype=np.intp) for _, g in run])
    starts = np.concatenate([[0], np.cumsum(lens)[:-1]])
    return ks, flat, starts, np.repeat(np.arange(len(run)), lens)


def _dense_attach_overlaps(groups, sim: np.ndarray, src, *, threshold, floor):
    """:func:`attach_overlaps` on the dense matrix for many groups at once. Each claim's max and
    min score over a group's members of *another* source is a segmented max/min
    (``reduceat``) over the group's columns, in which the claim's own source's columns are
    masked to -inf/+inf: max and min are exact in any order, so these equal the loop's."""
    n = len(src)
    n_src, code = _codes(src)
    rows_of = [np.flatnonzero(code == k) for k in range(n_src)]
    out: list[list[int]] = [[] for _ in groups]
    for ks, flat, starts, seg in _chunks(groups, n):
        block = sim[:, flat]  # (n, members of the chunk)
        top = np.maximum.reduceat(block, starts, axis=1)  # (n, groups of the chunk)
        low = np.minimum.reduceat(block, starts, axis=1)
        own = np.zeros((len(ks), n_src), dtype=np.intp)  # members per group and source
        np.add.at(own, (seg, code[flat]), 1)
        for k in np.unique(code[flat]).tolist():  # claims of a source inside some group
            rows, mine = rows_of[k], code[flat] == k
            sub = block[rows]
            top[rows] = np.maximum.reduceat(np.where(mine, -np.inf, sub), starts, axis=1)
            low[rows] = np.minimum.reduceat(np.where(mine, np.inf, sub), starts, axis=1)
        others = (own.sum(axis=1)[None, :] - own.T[code]) > 0  # (n, groups): anyone to match
        ok = others & (top.astype(np.float64) >= threshold) & (low.astype(np.float64) >= floor)
        ok[flat, seg] = False  # members do not join their own group
        # compared as Python floats (float64) above, as the loop did, not at float32 precision
        col, row = np.nonzero(ok.T)
        cut = np.searchsorted(col, np.arange(len(ks) + 1))
        rows_list = row.tolist()
        for pos, k in enumerate(ks):
            out[k] = sorted(list(groups[k]) + rows_list[cut[pos] : cut[pos + 1]])
    return out


def _sparse_attach_overlaps(groups, sim: SparseScores, src, *, threshold, floor):
    out = []
    for g in groups:
        members = list(g)
        base = np.asarray(g)
        inside = set(g)
        for i in sim.neighbours(base, at_least=threshold - _EPS).tolist():
            if i in inside:
                continue
            other = base[src[base] != src[i]]
            if not len(other):
                continue
            scores = sim.get(np.full(len(other), i), other)
            if float(scores.max()) >= threshold and float(scores.min()) >= floor:
                members.append(i)
        out.append(sorted(members))
    return out


def related_links(
    sim: np.ndarray,
    sources: list[str],
    groups: list[list[int]],
    *,
    low: float,
    high: float,
) -> dict[int, list[tuple[int, float]]]:
    """Per group index: claims of sources *outside* the group whose best score with one of its
    members lies in the "related but not the same" band ``[low, high)`` - same topic, another
    claim. Sorted by score, strongest first; at most 3 per group.

    >>> import numpy as np
    >>> sim = np.array([[1, .5], [.5, 1]], dtype=np.float32)
    >>> related_links(sim, ["A", "B"], [[0], [1]], low=0.3, high=0.7)
    {0: [(1, 0.5)], 1: [(0, 0.5)]}
    """
    src = np.asarray(sources)
    if not isinstance(sim, SparseScores):
        return _dense_related_links(sim, src, groups, low=low, high=high)
    out: dict[int, list[tuple[int, float]]] = {}
    for k, g in enumerate(groups):
        # only claims with a stored pair in the band or above can qualify
        near = sim.neighbours(np.asarray(g), at_least=low - _EPS)
        cand = near[~np.isin(src[near], src[g])]
        if not len(cand):
            continue
        best = _block(sim, cand, g).max(axis=1)
        band = np.flatnonzero((best >= low) & (best < high))
        hits = [(int(cand[r]), round(float(best[r]), 4)) for r in band]
        if hits:
            out[k] = sorted(hits, key=lambda t: (-t[1], t[0]))[:3]
    return out


def _dense_related_links(sim: np.ndarray, src, groups, *, low, high):
    """:func:`related_links` on the dense matrix for many groups at once: each claim's best
    score with a group is a segmented max (``reduceat``) over the group's columns, exact in any
    order; the band test runs on those scores at the matrix's own precision, as the loop did."""
    n = len(src)
    n_src, code = _codes(src)
    out: dict[int, list[tuple[int, float]]] = {}
    for ks, flat, starts, seg in _chunks(groups, n):
        best = np.maximum.reduceat(sim[:, flat], starts, axis=1)  # (n, groups of the chunk)
        carried = np.zeros((len(ks), n_src), dtype=bool)
        carried[seg, code[flat]] = True
        band = ~carried.T[code] & (best >= low) & (best < high)  # outside sources only
        col, row = np.nonzero(band.T)
        cut = np.searchsorted(col, np.arange(len(ks) + 1))
        scores = best[row, col].tolist()
        rows = row.tolist()
        for pos, k in enumerate(ks):
            lo, hi = cut[pos], cut[pos + 1]
            if lo == hi:
                continue
            hits = [(rows[m], round(scores[m], 4)) for m in range(lo, hi)]
            out[k] = sorted(hits, key=lambda t: (-t[1], t[0]))[:3]
    return out


def cohesion(sim: np.ndarray, members: list[int], sources: list[str]) -> float:
    """Mean cross-source similarity inside a group (1.0 when it has no cross-source pair)."""
    if len(members) < 2:
        return 1.0
    src = np.asarray([sources[m] for m in members])
    block = _block(sim, members, members)
    cross = src[:, None] != src[None, :]
    return float(block[cross].mean()) if cross.any() else 1.0
