"""Pair features: the signals the calibrated pair scorer combines, computable at run time.

    >>> import numpy as np
    >>> f = pair_features(["Biden called Putin on Tuesday."], ["Biden phoned Putin on Monday."],
    ...                   np.ones((1, 2)) / np.sqrt(2), np.ones((1, 2)) / np.sqrt(2))
    >>> {k: round(float(v), 3) for k, v in zip(FEATURES, f[0])}["date_conflict"]
    1.0

Every feature is a number per sentence pair, higher or 1.0 meaning what its name says:

* ``cos``: cosine of the two sentence embeddings (L2-normalised, so a dot product);
* ``tfidf``: cosine of TF-IDF vectors (sublinear tf) fitted on the texts being compared (at run
  time: all claims of the compared sources; in training: the sentences of the dataset split or
  of the event cluster); 1.0 for texts identical up to case and spacing;
* ``overlap`` / ``containment``: Jaccard and ``|A & B| / min(|A|, |B|)`` of content words
  (lower-cased word tokens, stop words removed);
* ``num_shared`` / ``num_conflict``: both sentences state numbers and share one / share none
  ("3,700" and "3700" are one number);
* ``ent_overlap`` / ``ent_conflict``: Jaccard of capitalised name tokens (not sentence-initial),
  and 1.0 when both name someone or something and share no name at all;
* ``ent_mismatch`` / ``num_mismatch``: each sentence has a name (number) the other lacks
  ("Biden spoke with Stoltenberg" vs "Biden spoke with Putin");
* ``date_conflict``: both name a weekday or month and share none;
* ``len_ratio``: shorter content-word count over longer;
* ``margin``: hubness-corrected similarity, the "distance" margin of margin-based bitext mining
  (Artetxe & Schwenk 2019; CSLS halved): ``cos(x, y) - (r(x) + r(y)) / 2`` where ``r(x)`` is the
  mean cosine of ``x``'s ``MARGIN_K`` nearest neighbours in its *neighbourhood*. A "hub" sentence
  close to everything (a generic lede, a boilerplate line) has a high ``r`` and so a lower margin
  with each of its matches than a specific sentence with the same cosine. The neighbourhood is
  the set of texts being compared, minus the text itself: at run time every claim of the
  compared sources (:func:`feature_blocks` sees them all); in training and benchmarks the
  distinct sentences of the pool TF-IDF is fitted on (an event cluster for ECB+ and SuperPAL, the
  dataset split otherwise; :func:`neighbour_means`, then ``pair_features(..., hubs=...)``). The
  form (distance, not ratio) and ``k`` = 2 were chosen on dev splits
  (``experiments/pair_model_variants.py``, figures in docs/evaluation.md).

The same code serves a claims x claims matrix (:func:`matrix_features`, the pipeline) and a list
of (a, b) pairs (:func:`pair_features`, training and benchmarks), so the shipped model sees at run
time exactly the features it was fitted on.
"""

from __future__ import annotations

import re

import numpy as np
from scipy import sparse

FEATURES = (
    "cos",
    "tfidf",
    "overlap",
    "containment",
    "num_shared",
    "num_conflict",
    "ent_overlap",
    "ent_conflict",
    "ent_mismatch",
    "num_mismatch",
    "date_conflict",
    "len_ratio",
    "margin",
)

#: neighbours averaged in the margin (chosen among 1, 2, 4, 8 on dev splits)
MARGIN_K = 2

_WORD = re.compile(r"\w+", re.UNICODE)
_CAP = re.compile(r"\b[A-Z][\w'’.-]*")
_DATES = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april may "
    "june july august september october november december jan feb mar apr jun jul aug sep sept "
    "oct nov dec yesterday today tomorrow".split()
)
_NUMBER_WORDS = {
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
    "ten": "10",
    "dozen": "12",
    "hundred": "100",
    "thousand": "1000",
    "million": "1000000",
    "billion": "1000000000",
}


def _stop_words() -> frozenset[str]:
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return frozenset(ENGLISH_STOP_WORDS)


def content_words(text: str) -> list[str]:
    """Lower-cased word tokens without stop words or bare numbers.

    >>> content_words("The President spoke with 3 leaders.")
    ['president', 'spoke', 'leaders']
    """
    stop = _stop_words()
    return [
        w for w in (t.lower() for t in _WORD.findall(text)) if w not in stop and not w.isdigit()
    ]


def numbers(text: str) -> list[str]:
    """Numbers stated in ``text``, normalised ("3,700" -> "3700"; "five" -> "5").

    >>> numbers("More than 3,700 people, five of them 2.5 times")
    ['3700', '5', '2.5']
    """
    out = []
    for m in re.finditer(r"(?<![\w.])\d[\d,]*(?:\.\d+)?|\b[A-Za-z]+\b", text):
        tok = m.group(0)
        if tok[0].isdigit():
            out.append(tok.replace(",", "").rstrip("."))
        elif tok.lower() in _NUMBER_WORDS:
            out.append(_NUMBER_WORDS[tok.lower()])
    return out


def names(text: str) -> list[str]:
    """Capitalised tokens that are not the sentence's first word, nor a stop word or date.

    >>> names("The call: Biden told Vladimir Putin on Tuesday")
    ['biden', 'vladimir', 'putin']
    """
    stop = _stop_words()
    out = []
    first = _WORD.search(text)
    first_at = first.start() if first else -1
    for m in _CAP.finditer(text):
        if m.start() == first_at:
            continue
        tok = m.group(0).rstrip(".'’-").lower()
        if tok and tok not in stop and tok not in _DATES:
            out.append(tok)
    return out


def dates(text: str) -> list[str]:
    """Weekday, month and relative-day words.

    >>> dates("On Tuesday, Jan. 26")
    ['tuesday', 'jan']
    """
    return [w for w in (t.lower() for t in _WORD.findall(text)) if w in _DATES]


def _incidence(token_lists: list[list[str]]) -> sparse.csr_matrix:
    """Binary (n, vocabulary) matrix of which tokens each text has."""
    vocab: dict[str, int] = {}
    rows, cols = [], []
    for i, toks in enumerate(token_lists):
        for t in sorted(set(toks)):
            rows.append(i)
            cols.append(vocab.setdefault(t, len(vocab)))
    data = np.ones(len(rows), dtype=np.float64)
    return sparse.csr_matrix((data, (rows, cols)), shape=(len(token_lists), max(len(vocab), 1)))


#: the features each token kind gives: (feature, statistic of the two token sets)
_STATS = {
    "words": (("overlap", "jaccard"), ("containment", "containment"), ("len_ratio", "ratio")),
    "numbers": (
        ("num_shared", "shared"),
        ("num_conflict", "conflict"),
        ("num_mismatch", "mismatch"),
    ),
    "names": (
        ("ent_overlap", "jaccard"),
        ("ent_conflict", "conflict"),
        ("ent_mismatch", "mismatch"),
    ),
    "dates": (("date_conflict", "conflict"),),
}
_COLUMN = {name: j for j, name in enumerate(FEATURES)}


def _quotient(out: np.ndarray, num, den, empty: float) -> None:
    """``out[...] = num / den`` where ``den > 0``, else ``empty`` (broadcast)."""
    out[...] = empty
    np.divide(num, den, out=out, where=den > 0)


def _set_stats(out: np.ndarray, kind: str, inter: np.ndarray, sa, sb) -> None:
    """Write the features of token kind ``kind`` (:data:`_STATS`) into their columns of ``out``
    (``out[..., j]``), from the sizes of the two token sets (``sa``, ``sb``, broadcast) and of
    their intersection. Each statistic is one elementwise operation on the same operands
    whatever the shape, so the dense and pair paths give the same bits."""
    both = None
    for name, stat in _STATS[kind]:
        col = out[..., _COLUMN[name]]
        if stat == "jaccard":
            _quotient(col, inter, sa + sb - inter, 0.0)
        elif stat == "containment":
            _quotient(col, inter, np.minimum(sa, sb), 0.0)
        elif stat == "ratio":
            _quotient(col, np.minimum(sa, sb), np.maximum(sa, sb), 1.0)
        elif stat == "mismatch":
            # each side has something the other lacks (Stoltenberg vs Putin, both with Biden)
            col[...] = (sa - inter > 0) & (sb - inter > 0)
        else:  # shared | conflict: both sides have some, and share some | none
            if both is None:
                both = (sa > 0) & (sb > 0)
            col[...] = both & ((inter > 0) if stat == "shared" else (inter == 0))


def _tfidf(fit_texts: list[str]):
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(sublinear_tf=True)
    try:
        vec.fit(fit_texts)
    except ValueError:  # nothing but stop words / empty vocabulary
        return None
    return vec


def neighbour_means(embeddings: np.ndarray, *, k: int = MARGIN_K, block: int = 2048) -> np.ndarray:
    """Mean cosine of each row's ``k`` nearest *other* rows (fewer when there are fewer; 0.0
    for a lone row), in row blocks of ``block`` (memory ``block x n``).

    >>> import numpy as np
    >>> emb = np.array([[1, 0], [0.8, 0.6], [0, 1.0]])
    >>> neighbour_means(emb, k=1).round(2).tolist()
    [0.8, 0.8, 0.6]
    """
    emb = np.asarray(embeddings, dtype=np.float64)
    n = emb.shape[0]
    out = np.zeros(n, dtype=np.float64)
    k_eff = min(k, n - 1)
    if k_eff <= 0:
        return out
    for lo in range(0, n, block):
        hi = min(n, lo + block)
        sims = np.clip(emb[lo:hi] @ emb.T, -1.0, 1.0)
        sims[np.arange(hi - lo), np.arange(lo, hi)] = -np.inf  # not its own neighbour
        top = np.partition(sims, n - k_eff, axis=1)[:, n - k_eff :]
        out[lo:hi] = top.mean(axis=1)
    return out


def margin(cos: np.ndarray, hub_a: np.ndarray, hub_b: np.ndarray) -> np.ndarray:
    """Distance margin ``cos - (hub_a + hub_b) / 2``, broadcast (``hub_*``: neighbour means).

    >>> import numpy as np
    >>> margin(np.array([0.8, 0.8]), np.array([0.8, 0.4]), np.array([0.8, 0.4])).round(2).tolist()
    [0.0, 0.4]
    """
    hub = (np.asarray(hub_a, np.float64) + np.asarray(hub_b, np.float64)) / 2
    return np.asarray(cos, np.float64) - hub


def _features_array(shape: tuple[int, ...]) -> np.ndarray:
    """An empty C-ordered ``shape + (len(FEATURES),)`` float64 array (the layout the scorer's
    ``predict`` has always been given)."""
    return np.empty(tuple(shape) + (len(FEATURES),), dtype=np.float64)


_EXTRACTORS = {"words": content_words, "numbers": numbers, "names": names, "dates": dates}


def matrix_features(
    texts: list[str], embeddings: np.ndarray, *, with_margin: bool = True
) -> np.ndarray:
    """(n, n, len(FEATURES)) features of every pair of ``texts`` (TF-IDF fitted on ``texts``).

    >>> import numpy as np
    >>> matrix_features(["a cat", "a dog"], np.eye(2)).shape
    (2, 2, 13)

    Holds 104 bytes per pair: for many claims use :func:`feature_blocks`, which yields the same
    values a block of rows at a time. ``with_margin=False`` skips the neighbour pass (the
    ``margin`` column is then NaN).
    """
    n = len(texts)
    out = np.zeros((n, n, len(FEATURES)), dtype=np.float64)
    for rows, block in feature_blocks(texts, embeddings, with_margin=with_margin):
        out[rows] = block
    return out


def feature_blocks(
    texts: list[str],
    embeddings: np.ndarray,
    *,
    max_bytes: int = 64 << 20,
    with_margin: bool = True,
):
    """Yield ``(slice, (b, n, len(FEATURES)) array)`` for consecutive row blocks of the pair
    feature matrix, each block using about ``max_bytes``: memory stays linear in ``n`` apart from
    what the caller keeps. TF-IDF, token incidences and the margin's neighbour means are computed
    once for all rows. ``with_margin=False`` (a model that does not use it) skips the neighbour
    pass and fills the ``margin`` column with NaN."""
    n = len(texts)
    if n == 0:
        return
    index = FeatureIndex.fit(texts, embeddings, with_margin=with_margin)
    per_row = max(n * len(FEATURES) * 8 * 4, 1)  # features + a few same-size temporaries
    step = max(1, min(n, max_bytes // per_row))
    for lo in range(0, n, step):
        rows = slice(lo, min(n, lo + step))
        yield rows, index.block(rows)


class FeatureIndex:
    """Per-text state of the pair features (embeddings, sparse TF-IDF rows, token incidences),
    computed once; features of any pairs of those texts on demand.

    >>> import numpy as np
    >>> index = FeatureIndex.fit(["a red cat", "a red cat", "blue dog"], np.eye(3))
    >>> index.pairs(np.array([0, 0]), np.array([1, 2]))[:, FEATURES.index("tfidf")].round(2)
    array([1., 0.])
    >>> bool((index.pairs(np.array([0]), np.array([2])) == index.block(slice(0, 1))[0, 2]).all())
    True

    :meth:`block` (rows x all texts, the dense path of :func:`feature_blocks`) and :meth:`pairs`
    (a list of index pairs, the sparse path of big events) run the same per-pair code
    (:meth:`_features`); they differ only in how operands are paired, so they agree to float
    summation order. Memory: one sparse row per text.
    """

    def __init__(self, emb, tfidf, same_id, incid, hubs):
        self.emb = emb
        self.tfidf = tfidf
        self.same_id = same_id
        self.incid = incid
        self.hubs = hubs

    @classmethod
    def fit(
        cls, texts: list[str], embeddings: np.ndarray, *, with_margin: bool = True
    ) -> FeatureIndex:
        """``with_margin=False`` skips the neighbour pass (``margin`` column NaN)."""
        emb = np.asarray(embeddings, dtype=np.float64)
        # Per-text work is done once per distinct text (wire copy repeats texts) and its rows
        # repeated: a text's TF-IDF row and tokens depend on that text (and the fitted
        # vocabulary) only, and the first-seen order keeps the token columns' order.
        first: dict[str, int] = {}
        inv = np.array([first.setdefault(x, len(first)) for x in texts], dtype=np.intp)
        distinct = list(first)
        vec = _tfidf(texts)
        t = vec.transform(distinct)[inv] if vec is not None else None
        if t is not None:
            t.sum_duplicates()  # sorted indices, one entry per term: _rowwise_dot relies on it
        # identical texts (after case/space normalisation) get TF-IDF 1 even without vocabulary
        _, same_id = np.unique([" ".join(x.lower().split()) for x in texts], return_inverse=True)
        incid = {}
        for key, fn in _EXTRACTORS.items():
            x = _incidence([fn(s) for s in distinct])[inv]
            x.sum_duplicates()
            incid[key] = (x, np.asarray(x.sum(axis=1)).ravel())
        # per claim, once: the margin's neighbourhood is all of texts
        hubs = neighbour_means(emb) if with_margin else np.full(len(texts), np.nan)
        return cls(emb, t, same_id, incid, hubs)

    def block(self, rows: slice) -> np.ndarray:
        """(b, n, len(FEATURES)) features of rows ``rows`` against every text."""
        return self._features(rows, None)

    def pairs(self, rows: np.ndarray, cols: np.ndarray, *, chunk: int = 1 << 12) -> np.ndarray:
        """(m, len(FEATURES)) features of the pairs ``(rows[i], cols[i])``, ``chunk`` pairs at a
        time (each chunk gathers two ``chunk x dim`` float64 embedding blocks: 25 MB for 4,096
        pairs of 384-d vectors)."""
        rows = np.asarray(rows, dtype=np.int64)
        cols = np.asarray(cols, dtype=np.int64)
        out = _features_array((len(rows),))
        for lo in range(0, len(rows), chunk):
            hi = min(len(rows), lo + chunk)
            self._features(rows[lo:hi], cols[lo:hi], out=out[lo:hi])
        return out

    def _features(self, rows, cols, *, out: np.ndarray | None = None) -> np.ndarray:
        # cols None: rows x all texts (broadcast); else element-wise pairs rows[i], cols[i]
        def ends(v):
            return (v[rows, None], v[None, :]) if cols is None else (v[rows], v[cols])

        def cross(x):
            if cols is None:
                return (x[rows] @ x.T).toarray()
            return _rowwise_dot(x, rows, cols)

        emb, t = self.emb, self.tfidf
        if cols is None:
            cos = np.clip(emb[rows] @ emb.T, -1.0, 1.0)
        else:
            cos = np.clip(np.einsum("ij,ij->i", emb[rows], emb[cols]), -1.0, 1.0)
        if out is None:
            out = _features_array(cos.shape)
        out[..., _COLUMN["cos"]] = cos
        tfidf = cross(t) if t is not None else np.zeros(cos.shape)
        a, b = ends(self.same_id)
        tfidf[a == b] = 1.0
        out[..., _COLUMN["tfidf"]] = tfidf
        for key, (x, size) in self.incid.items():
            _set_stats(out, key, cross(x), *ends(size))
        out[..., _COLUMN["margin"]] = margin(cos, *ends(self.hubs))
        return out


def _rowwise_dot(x: sparse.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """``x[rows[m]] . x[cols[m]]`` for each m, with numpy only (scipy's fancy row indexing costs
    milliseconds a call, and the sparse aligner makes thousands of small calls)."""
    ptr, idx, val = x.indptr, x.indices, x.data
    width = x.shape[1]

    def expand(r):
        lens = ptr[r + 1] - ptr[r]
        m = np.repeat(np.arange(len(r), dtype=np.int64), lens)
        pos = ptr[r][m] + np.arange(len(m)) - (np.cumsum(lens) - lens)[m]
        return m, m * width + idx[pos], val[pos]

    ma, ka, va = expand(rows)
    _mb, kb, vb = expand(cols)
    _, ia, ib = np.intersect1d(ka, kb, assume_unique=True, return_indices=True)
    return np.bincount(ma[ia], weights=va[ia] * vb[ib], minlength=len(rows)).astype(np.float64)


def pair_features(
    a: list[str],
    b: list[str],
    emb_a: np.ndarray,
    emb_b: np.ndarray,
    *,
    fit_texts: list[str] | None = None,
    hubs: tuple[np.ndarray, np.ndarray] | None = None,
) -> np.ndarray:
    """(m, len(FEATURES)) features of the pairs ``(a[i], b[i])``; TF-IDF is fitted on
    ``fit_texts`` (default: all of ``a`` and ``b``). ``hubs``: the :func:`neighbour_means` of
    each ``a[i]`` and ``b[i]`` in their neighbourhood (default: the distinct texts of ``a`` and
    ``b``)."""
    if len(a) != len(b):
        raise ValueError("a and b must have the same length")
    cos = np.clip((np.asarray(emb_a, np.float64) * np.asarray(emb_b, np.float64)).sum(1), -1, 1)
    vec = _tfidf(list(fit_texts) if fit_texts is not None else list(a) + list(b))
    if vec is not None:
        ta, tb = vec.transform(a), vec.transform(b)
        tfidf = np.asarray(ta.multiply(tb).sum(axis=1)).ravel()
    else:
        tfidf = np.zeros(len(a))
    same = np.array(
        [
            " ".join(x.lower().split()) == " ".join(y.lower().split())
            for x, y in zip(a, b, strict=True)
        ]
    )
    tfidf[same] = 1.0  # identical texts, even when TF-IDF has no vocabulary for them
    out = _features_array(cos.shape)
    out[:, _COLUMN["cos"]] = cos
    out[:, _COLUMN["tfidf"]] = tfidf
    for key, fn in _EXTRACTORS.items():
        x = _incidence([fn(s) for s in list(a) + list(b)])
        xa, xb = x[: len(a)], x[len(a) :]
        inter = np.asarray(xa.multiply(xb).sum(axis=1)).ravel()
        sa = np.asarray(xa.sum(axis=1)).ravel()
        sb = np.asarray(xb.sum(axis=1)).ravel()
        _set_stats(out, key, inter, sa, sb)
    if hubs is None:
        hubs = _default_hubs(list(a) + list(b), np.vstack([emb_a, emb_b]), len(a))
    out[:, _COLUMN["margin"]] = margin(cos, hubs[0], hubs[1])
    return out


def _default_hubs(texts: list[str], emb: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Neighbour means of ``texts[:m]`` and ``texts[m:]`` among the distinct ``texts``."""
    first: dict[str, int] = {}
    for i, t in enumerate(texts):
        first.setdefault(t, i)
    slot = {t: j for j, t in enumerate(first)}
    r = neighbour_means(np.asarray(emb, np.float64)[list(first.values())])
    per_text = r[[slot[t] for t in texts]] if texts else np.zeros(0)
    return per_text[:m], per_text[m:]
