"""Features of a :class:`~divergence.bench.data.Pairs` set, as the pipeline would compute them.

    >>> from divergence.bench.featurise import featurise          # doctest: +SKIP
    >>> X = featurise(pairs, embedder)                            # doctest: +SKIP

Where pairs come from clusters (ECB+, SuperPAL), TF-IDF is fitted on each cluster's sentences,
as the pipeline fits it on the compared sources; otherwise on the split's sentences. The margin's
neighbourhood (:func:`~divergence.features.neighbour_means`) is that same pool of distinct
sentences: the cluster, else the split (for STS-B news, the split's news sentences).
"""

from __future__ import annotations

import numpy as np

from ..features import FEATURES, MARGIN_K, neighbour_means, pair_features


def pool_hubs(a: list[str], b: list[str], pool: list[str], embedder, *, k: int = MARGIN_K):
    """Neighbour means of each ``a[i]`` and ``b[i]`` within the distinct sentences of ``pool``
    (which must hold them all)."""
    uniq = sorted(set(pool))
    r = dict(zip(uniq, neighbour_means(embedder.encode(uniq), k=k), strict=True))
    return np.array([r[t] for t in a]), np.array([r[t] for t in b])


def featurise(pairs, embedder) -> np.ndarray:
    """(len(pairs), len(FEATURES)) feature rows."""
    ea, eb = embedder.encode(pairs.a), embedder.encode(pairs.b)
    if not pairs.clusters:
        hubs = pool_hubs(pairs.a, pairs.b, pairs.fit_texts, embedder)
        return pair_features(pairs.a, pairs.b, ea, eb, fit_texts=pairs.fit_texts, hubs=hubs)
    out = np.zeros((len(pairs), len(FEATURES)))
    idx: dict[str, list[int]] = {}
    for i, c in enumerate(pairs.clusters):
        idx.setdefault(c, []).append(i)
    for c, rows in sorted(idx.items()):
        a, b = [pairs.a[i] for i in rows], [pairs.b[i] for i in rows]
        out[rows] = pair_features(
            a,
            b,
            ea[rows],
            eb[rows],
            fit_texts=pairs.cluster_texts[c],
            hubs=pool_hubs(a, b, pairs.cluster_texts[c], embedder),
        )
    return out
