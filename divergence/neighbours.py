"""Neighbours: cross-source top-k similar claims in bounded memory (never an n x n matrix).

    >>> import numpy as np
    >>> emb = np.array([[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9]], dtype=np.float32)
    >>> emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    >>> idx, score = cross_source_topk(emb, ["a", "b", "a", "b"], k=1)
    >>> idx[:, 0].tolist()
    [1, 0, 3, 2]
    >>> [(i, j) for _s, i, j in mutual_topk_links(emb, ["a", "b", "a", "b"], k=1, threshold=0.5)]
    [(0, 1), (2, 3)]

The aligner of :mod:`divergence.align` scores every claim against every claim: an event of
500 sources x 40 sentences is a 20,000 x 20,000 float32 matrix (1.6 GB, several copies while
rounding and slicing). This module is the building block for big events: rows are scored in
blocks of ``block`` claims against all claims (memory ``block x n``), same-source columns are
masked, and only each claim's ``k`` best cross-source neighbours are kept (``n x k``).

How the aligner can use it for big events (a suggestion, the aligner is not changed here):
replace ``mutual_links(sim, ...)`` by :func:`mutual_topk_links` (a claim's mutual top-k over
*all* other sources instead of per source pair, which also bounds the links to ``n x k``), and
compute the average-linkage test for two groups from their members' embeddings on demand
(``emb[ga] @ emb[gb].T``; groups are small) instead of slicing a dense ``sim``. With exact
cosine the result is the dense result restricted to each claim's ``k`` nearest neighbours.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np


def cross_source_topk(
    emb: np.ndarray, sources: Sequence[str], *, k: int = 10, block: int = 1024
) -> tuple[np.ndarray, np.ndarray]:
    """For each row of L2-normalised ``emb``: indices and cosines of its ``k`` most similar rows
    from *other* sources, best first (ties by index). Padded with -1 / -inf when fewer exist."""
    emb = np.asarray(emb, dtype=np.float32)
    n = emb.shape[0]
    _, src = np.unique(np.asarray(sources), return_inverse=True)
    k_eff = max(0, min(k, n - 1))
    idx = np.full((n, k), -1, dtype=np.int64)
    score = np.full((n, k), -np.inf, dtype=np.float32)
    if n == 0 or k_eff == 0:
        return idx, score
    for start in range(0, n, block):
        stop = min(n, start + block)
        sims = emb[start:stop] @ emb.T  # (block, n)
        sims[src[start:stop, None] == src[None, :]] = -np.inf
        part = np.argpartition(-sims, k_eff - 1, axis=1)[:, :k_eff]
        vals = np.take_along_axis(sims, part, axis=1)
        order = np.lexsort((part, -vals), axis=1)  # by score desc, then index
        idx[start:stop, :k_eff] = np.take_along_axis(part, order, axis=1)
        score[start:stop, :k_eff] = np.take_along_axis(vals, order, axis=1)
    idx[~np.isfinite(score)] = -1
    return idx, score


def mutual_topk_links(
    emb: np.ndarray,
    sources: Sequence[str],
    *,
    k: int = 10,
    threshold: float,
    block: int = 1024,
) -> list[tuple[float, int, int]]:
    """Cross-source pairs (cosine, i, j), i < j, that are in each other's top-k and at least
    ``threshold``; strongest first, ties by index (like :func:`divergence.align.mutual_links`)."""
    idx, score = cross_source_topk(emb, sources, k=k, block=block)
    neigh = [set(row[row >= 0].tolist()) for row in idx]
    links = []
    for i in range(len(neigh)):
        for slot, j in enumerate(idx[i]):
            j = int(j)
            if j > i and score[i, slot] >= threshold and i in neigh[j]:
                links.append((round(float(score[i, slot]), 6), i, j))
    links.sort(key=lambda t: (-t[0], t[1], t[2]))
    return links
