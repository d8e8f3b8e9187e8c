"""Features of a :class:`~divergence.bench.data.Pairs` set, as the pipeline would compute them.

    >>> from divergence.bench.featurise import featurise          # doctest: +SKIP
    >>> X = featurise(pairs, embedder)                            # doctest: +SKIP

Where pairs come from clusters (ECB+, SuperPAL), TF-IDF is fitted on each cluster's sentences,
as the pipeline fits it on the compared sources; otherwise on the split's sentences.
"""

from __future__ import annotations

import numpy as np

from ..features import FEATURES, pair_features


def featurise(pairs, embedder) -> np.ndarray:
    """(len(pairs), len(FEATURES)) feature rows."""
    ea, eb = embedder.encode(pairs.a), embedder.encode(pairs.b)
    if not pairs.clusters:
        return pair_features(pairs.a, pairs.b, ea, eb, fit_texts=pairs.fit_texts)
    out = np.zeros((len(pairs), len(FEATURES)))
    idx: dict[str, list[int]] = {}
    for i, c in enumerate(pairs.clusters):
        idx.setdefault(c, []).append(i)
    for c, rows in sorted(idx.items()):
        out[rows] = pair_features(
            [pairs.a[i] for i in rows],
            [pairs.b[i] for i in rows],
            ea[rows],
            eb[rows],
            fit_texts=pairs.cluster_texts[c],
        )
    return out
