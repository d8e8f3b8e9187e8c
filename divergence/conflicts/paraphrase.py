"""Whether the reported part of a claim says what another claim states, by the comparison's
embedder: a strict similarity of the two texts (docs/conflicts.md, round 9).

* ``"tokens"``: the content-token match both ways (BERTScore-style: the mean over one side's
  content tokens of the best cosine among the other's), the smaller of the two, so every content
  word of either side must be matched;
* ``"cosine"``: the cosine of the two sentence vectors.

>>> from divergence.embed import HashingEmbedder
>>> sim = Paraphrase(HashingEmbedder(), mode="cosine")
>>> round(sim("the gates opened late", "the gates opened late"), 3)
1.0
"""

from __future__ import annotations

import numpy as np

MODES = ("tokens", "cosine")


class Paraphrase:
    """``sim(a, b) -> float`` under ``embedder`` (None: the packaged model with its adapter,
    :func:`divergence.embed.get_embedder`, loaded when first needed); results are memoised."""

    def __init__(self, embedder=None, mode: str = "tokens"):
        if mode not in MODES:
            raise ValueError(f"unknown paraphrase mode {mode!r}")
        self.embedder, self.mode = embedder, mode
        self._memo: dict[tuple[str, str], float] = {}

    def _embedder(self):
        if self.embedder is None:
            from ..embed import get_embedder

            self.embedder = get_embedder(None)
        return self.embedder

    def __call__(self, a: str, b: str) -> float:
        key = (a, b) if a <= b else (b, a)
        if key not in self._memo:
            self._memo[key] = self._score(a, b)
        return self._memo[key]

    def _score(self, a: str, b: str) -> float:
        emb = self._embedder()
        if self.mode == "cosine":
            v = np.asarray(emb.encode([a, b]), dtype=np.float32)
            return float(v[0] @ v[1])
        from ..tokens import encode_tokens

        ta, tb = encode_tokens(emb, [a, b])
        if not len(ta) or not len(tb):
            return 0.0
        s = ta @ tb.T
        return float(min(s.max(axis=1).mean(), s.max(axis=0).mean()))
