"""Neighbours: cross-source top-k similar claims in bounded memory (never an n x n matrix).

    >>> import numpy as np
    >>> emb = np.array([[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9]], dtype=np.float32)
    >>> emb /= np.linalg.norm(emb, axis=1, keepdims=True)
    >>> idx, score = cross_source_topk(emb, ["a", "b", "a", "b"], k=1)
    >>> idx[:, 0].tolist()
    [1, 0, 3, 2]
    >>> [(i, j) for _s, i, j in mutual_topk_links(emb, ["a", "b", "a", "b"], k=1, threshold=0.5)]
    [(0, 1), (2, 3)]

The dense aligner of :mod:`divergence.align` scores every claim against every claim: an event
of 500 sources x 40 sentences is a 20,000 x 20,000 float32 matrix (1.6 GB, several copies while
rounding and slicing). This module is the building block for big events: rows are scored in
blocks against all claims (memory ``block x n``), same-source columns are masked, and only each
claim's ``k`` best cross-source neighbours are kept (``n x k``). :func:`candidate_pairs` turns
them into the candidate pairs that the pipeline's sparse path scores with the pair scorer
(:class:`divergence.align.SparseScores`).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

#: Cosine neighbours per claim that the sparse path scores with the pair scorer. Not tuned on
#: the seed gold: the aligner links a claim to at most ``top_k`` (2) claims per other source, and
#: 24 leaves room for a claim's best matches in a dozen other sources plus near-duplicates; memory
#: is 12 bytes per claim per neighbour. A claim's mutual best match outside its 24 cosine
#: neighbours (and outside the 24 of the match) is the case where sparse and dense can differ.
NEIGHBOURS = 24
#: Bytes of one block of cosine rows (``block x n`` float32 plus the sort's index array).
BLOCK_BYTES = 32 << 20


def cross_source_topk(
    emb: np.ndarray, sources: Sequence[str], *, k: int = 10, block: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """For each row of L2-normalised ``emb``: indices and cosines of its ``k`` most similar rows
    from *other* sources, best first (ties by index). Padded with -1 / -inf when fewer exist.
    ``block`` rows are scored at a time (default: as many as fit ``BLOCK_BYTES``)."""
    emb = np.asarray(emb, dtype=np.float32)
    n = emb.shape[0]
    if block is None:
        block = max(1, BLOCK_BYTES // max(n * 16, 1))
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


def candidate_pairs(
    emb: np.ndarray, sources: Sequence[str], *, k: int = NEIGHBOURS, block: int | None = None
) -> tuple[np.ndarray, np.ndarray]:
    """Distinct cross-source pairs ``(rows[m], cols[m])``, rows < cols, sorted, where one claim
    is among the other's ``k`` nearest cross-source neighbours by cosine (at most ``n x k``).

    >>> import numpy as np
    >>> emb = np.array([[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9]], dtype=np.float32)
    >>> rows, cols = candidate_pairs(emb, ["a", "b", "a", "b"], k=1)
    >>> list(zip(rows.tolist(), cols.tolist()))
    [(0, 1), (2, 3)]
    """
    idx, _score = cross_source_topk(emb, sources, k=k, block=block)
    n = idx.shape[0]
    i = np.repeat(np.arange(n, dtype=np.int64), idx.shape[1])
    j = idx.ravel()
    ok = j >= 0
    i, j = i[ok], j[ok]
    keys = np.unique(np.minimum(i, j) * n + np.maximum(i, j))
    return keys // max(n, 1), keys % max(n, 1)


def mutual_topk_links(
    emb: np.ndarray,
    sources: Sequence[str],
    *,
    k: int = 10,
    threshold: float,
    block: int | None = None,
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
