"""Pair scoring: how likely two claims state the same thing, as an (n, n) matrix.

    >>> import numpy as np
    >>> emb = np.eye(2, dtype=np.float32)
    >>> CosineScorer().score(["a", "b"], emb).tolist()
    [[1.0, 0.0], [0.0, 1.0]]

A scorer has ``name``/``signature`` and ``score(texts, embeddings) -> (n, n) float32``, symmetric,
higher meaning "more likely the same claim". The aligner thresholds it, so a scorer defines the
scale its threshold lives on (``default_threshold``).

:class:`CosineScorer` is embedding cosine, the baseline every other scorer is measured against.
"""

from __future__ import annotations

import numpy as np


class CosineScorer:
    """Cosine of L2-normalised embeddings.

    ``default_threshold`` 0.67 was chosen on external data, not on the seeds: it is the cosine
    that best separates STS-B *train* news pairs that humans scored >= 3 ("roughly equivalent,
    some important information differs": two sentences sharing a claim) from the rest with
    all-MiniLM-L6-v2, at 79.9% accuracy (``scripts/calibrate_cosine_threshold.py``).
    """

    name = "cos"
    default_threshold = 0.67

    @property
    def signature(self) -> str:
        return self.name

    def score(self, texts: list[str], embeddings: np.ndarray) -> np.ndarray:
        emb = np.asarray(embeddings, dtype=np.float32)
        sim = emb @ emb.T
        np.clip(sim, -1.0, 1.0, out=sim)
        return sim
