"""Token vectors and the asymmetric token match: does sentence B carry the words of sentence A?

    >>> import numpy as np
    >>> a = [np.eye(3, dtype=np.float32)[:2]]            # two tokens
    >>> b = [np.eye(3, dtype=np.float32)[:1]]            # one of them
    >>> token_match(a + b).round(2).tolist()             # row: share of its tokens found in col
    [[1.0, 0.5], [1.0, 1.0]]

A long sentence carrying three facts shares one of them with a short sentence elsewhere: the
sentence vectors of the two are far apart, but nearly every content word of the short one has a
close contextual match among the long one's tokens. :func:`token_match` measures that, in the
style of BERTScore (Zhang et al. 2020): for each content token of A, its best cosine among B's
token vectors, averaged over A's tokens. ``M[a, b]`` is "how much of A is in B" (B's recall of
A); ``M.T`` is the other direction. The token vectors come from the same MiniLM forward pass as
the sentence vectors (``encode_tokens`` of the embedders in :mod:`divergence.embed`), so they
cost no second model run.

Content tokens: word pieces that are not special tokens, not punctuation and not English stop
words (scikit-learn's list, the one :mod:`divergence.features` uses); a sentence of stop words
only keeps all its word pieces.
"""

from __future__ import annotations

import numpy as np

#: Token rows per block when matching (bounds memory: block x all tokens float32).
_BLOCK_TOKENS = 2048
_SPECIAL = frozenset({"[CLS]", "[SEP]", "[PAD]", "[UNK]", "<s>", "</s>", "<pad>"})


def content_mask(pieces: list[str]) -> np.ndarray:
    """Which word pieces are content: not special, not punctuation, not an English stop word
    (a continuation piece ``##x`` belongs to its word and is kept). A text with no content piece
    keeps every non-special piece.

    >>> content_mask(["[CLS]", "the", "kremlin", "said", ",", "##s", "[SEP]"]).tolist()
    [False, False, True, True, False, True, False]
    """
    from .features import _stop_words

    stop = _stop_words()
    keep = np.array(
        [
            p not in _SPECIAL
            and any(ch.isalnum() for ch in p)
            and (p.startswith("##") or p.lower() not in stop)
            for p in pieces
        ],
        dtype=bool,
    )
    if not keep.any():
        keep = np.array([p not in _SPECIAL for p in pieces], dtype=bool)
    return keep


class TokenMemo:
    """Content-token vectors by text, kept from the embedding pass (bounded, oldest dropped).

    Stored as unit float16 rows (a sentence's ~15 tokens take ~12 KB); a text with no content
    token keeps its sentence vector as its one token.

    >>> memo = TokenMemo(limit=1)
    >>> memo.put("a", np.ones((2, 3)), np.ones(3)); memo.put("b", np.ones((0, 3)), np.ones(3))
    >>> "a" in memo, memo.get("b").shape
    (False, (1, 3))
    """

    def __init__(self, limit: int = 50_000):
        from collections import OrderedDict

        self.limit = limit
        self._data: OrderedDict[str, np.ndarray] = OrderedDict()

    def __contains__(self, text: str) -> bool:
        return text in self._data

    def put(self, text: str, tokens: np.ndarray, sentence: np.ndarray) -> None:
        vecs = np.asarray(tokens, dtype=np.float32)
        if not len(vecs):
            vecs = np.asarray(sentence, dtype=np.float32).reshape(1, -1)
        vecs = vecs / np.maximum(np.linalg.norm(vecs, axis=1, keepdims=True), 1e-12)
        self._data[text] = vecs.astype(np.float16)
        self._data.move_to_end(text)
        while len(self._data) > self.limit:
            self._data.popitem(last=False)

    def get(self, text: str) -> np.ndarray:
        return self._data[text].astype(np.float32)


def has_tokens(embedder) -> bool:
    """Whether ``embedder`` (or an embedder it wraps) gives token vectors."""
    seen = embedder
    for _ in range(4):
        if seen is None:
            return False
        if hasattr(seen, "encode_tokens"):
            return True
        seen = next(
            (getattr(seen, a) for a in ("inner", "embedder", "_inner") if hasattr(seen, a)), None
        )
    return False


def encode_tokens(embedder, texts: list[str]) -> list[np.ndarray]:
    """Content-token vectors of ``texts`` from ``embedder`` (or the embedder it wraps: a cache
    wrapper's ``inner``/``embedder``); an embedder without token vectors raises ``TypeError``."""
    seen = embedder
    for _ in range(4):
        if hasattr(seen, "encode_tokens"):
            return seen.encode_tokens(list(texts))
        seen = next(
            (getattr(seen, a) for a in ("inner", "embedder", "_inner") if hasattr(seen, a)), None
        )
        if seen is None:
            break
    raise TypeError(f"{getattr(embedder, 'name', embedder)!r} gives no token vectors")


def token_match(tokens: list[np.ndarray]) -> np.ndarray:
    """``M[a, b]``: mean over A's content tokens of the best cosine among B's tokens, (n, n).

    Blocked over token rows, so memory is ``_BLOCK_TOKENS x total tokens`` floats.
    """
    n = len(tokens)
    if n == 0:
        return np.zeros((0, 0), dtype=np.float32)
    lengths = np.array([len(t) for t in tokens])
    allt = np.concatenate(tokens).astype(np.float32)
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    out = np.zeros((n, n), dtype=np.float32)
    a = 0
    while a < n:
        b = a
        rows = 0
        while b < n and (rows == 0 or rows + lengths[b] <= _BLOCK_TOKENS):
            rows += lengths[b]
            b += 1
        block = allt[starts[a] : starts[a] + rows] @ allt.T  # (rows, total)
        best = np.maximum.reduceat(block, starts, axis=1)  # (rows, n): best per other sentence
        sums = np.add.reduceat(best, starts[a:b] - starts[a], axis=0, dtype=np.float64)
        out[a:b] = (sums / lengths[a:b, None]).astype(np.float32)
        a = b
    np.clip(out, -1.0, 1.0, out=out)
    return out
