"""Topics: cluster the claim groups into a handful of topics and measure each source's share.

    >>> import numpy as np
    >>> from divergence.records import Claim, ClaimGroup
    >>> claims = [Claim(id=f"a:{i}", source="a", text=t, start=0, end=1, index=i, position=0.0)
    ...           for i, t in enumerate(["Navalny jailed.", "Navalny poisoned.",
    ...                                  "Treaty extended.", "Treaty expires."])]
    >>> groups = [ClaimGroup(id=f"g{i}", claims=(c.id,), sources=("a",), missing_from=())
    ...           for i, c in enumerate(claims)]
    >>> emb = np.array([[1, 0], [0.9, 0.1], [0, 1], [0.1, 0.9]], dtype=np.float32)
    >>> topics = find_topics(groups, claims, emb, ["a"])
    >>> [(t.groups, t.terms[0]) for t in topics]
    [(('g0', 'g1'), 'navalny'), (('g2', 'g3'), 'treaty')]
    >>> topics[0].share
    {'a': 0.5}

A pipeline stage like the others: it takes the claim groups and the embeddings the pipeline has
already computed (one row per claim, in ``claims`` order), never embeds anything itself.

* Each group is represented by the normalised mean of its claims' embeddings.
* Groups are clustered as scikit-learn's ``AgglomerativeClustering`` clusters them (Ward
  linkage on the unit vectors, i.e. on cosine distance; deterministic, no random seed; average
  linkage was tried first and peels off outliers one at a time, leaving one giant topic); the
  tree is built once (scipy's ``ward``) and cut for each candidate number. The number of
  topics is the ``k`` in ``2..max_topics`` with the highest cosine silhouette score (ties:
  fewer topics); with fewer than four groups, or when no split scores above
  ``min_silhouette``, everything is one topic.
* Each topic is labelled by its most characteristic words: class-based TF-IDF (each topic's
  claim texts are one document; ``tf(t, topic) * log(1 + A / tf(t, all))`` with ``A`` the mean
  number of words per topic), English stop words removed.
* ``share[source]`` is the fraction of that source's sentences (claims) in the topic's groups:
  the "what does each side dwell on" view. A claim in several groups counts once, in the topic
  of its first group, so shares of one source sum to 1 over the topics.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from heapq import heappush, heappushpop

import numpy as np

from .records import Claim, ClaimGroup, Topic

MAX_TOPICS = 8
MIN_SILHOUETTE = 0.02
N_TERMS = 4


#: Groups above which the silhouette's distance matrix is float32 (fixture-sized events keep
#: float64 and their exact output).
BIG_TOPICS = 2_000


def _group_vectors(
    groups: Sequence[ClaimGroup], claims: Sequence[Claim], emb: np.ndarray
) -> np.ndarray:
    row = {c.id: i for i, c in enumerate(claims)}
    vecs = np.stack([emb[[row[cid] for cid in g.claims]].mean(axis=0) for g in groups])
    norms = np.linalg.norm(vecs, axis=1, keepdims=True)
    norms[norms == 0] = 1.0
    return (vecs / norms).astype(np.float64)


def choose_clusters(
    vecs: np.ndarray, *, max_topics: int = MAX_TOPICS, min_silhouette: float = MIN_SILHOUETTE
) -> np.ndarray:
    """Cluster labels (0..k-1) for ``vecs``, ``k`` chosen by silhouette over ``2..max_topics``.

    >>> import numpy as np
    >>> vecs = np.array([[1, 0], [0.99, 0.14], [0, 1], [0.14, 0.99], [0.1, 0.99]])
    >>> choose_clusters(vecs).tolist()
    [0, 0, 1, 1, 1]

    The labels are those of scikit-learn's ``AgglomerativeClustering(n_clusters=k,
    linkage="ward").fit_predict(vecs)``: that builds the full Ward tree (scipy's ``ward``) and cuts
    it, for every ``k``; here the tree is built once and cut for each ``k`` (:func:`_cut_tree`).
    """
    from scipy.cluster.hierarchy import ward
    from sklearn import config_context
    from sklearn.metrics import silhouette_score
    from sklearn.metrics.pairwise import cosine_distances

    n = len(vecs)
    best_labels = np.zeros(n, dtype=int)
    if n < 4:
        return best_labels
    best = min_silhouette
    # once, not once per k (same values silhouette would compute); above BIG_TOPICS groups in
    # float32: the (n, n) matrix is the stage's peak memory (5,000 groups: 100 MB, not 200)
    dist = cosine_distances(vecs if n <= BIG_TOPICS else np.asarray(vecs, dtype=np.float32))
    # Ward on unit vectors: squared euclidean distance = 2 - 2 cos, so this is cosine-based.
    children = ward(np.require(vecs, requirements="W"))[:, :2].astype(np.intp)
    # the arguments below are valid by construction: skip scikit-learn's per-call check of
    # their types (a third of silhouette_score's time on ~100 groups), not any computation
    with config_context(skip_parameter_validation=True):
        for k in range(2, min(max_topics, n - 1) + 1):
            labels = _cut_tree(children, n, k)
            score = float(silhouette_score(dist, labels, metric="precomputed"))
            if score > best + 1e-9:
                best, best_labels = score, labels
    return np.asarray(best_labels, dtype=int)


def _cut_tree(children: np.ndarray, n_leaves: int, k: int) -> np.ndarray:
    """Labels of the ``k`` clusters left by undoing the last ``k - 1`` merges of a
    ``children`` tree (scipy linkage order), numbered as scikit-learn's ``_hc_cut`` numbers
    them (the heap order of the cluster roots), so they equal ``AgglomerativeClustering``'s.

    >>> import numpy as np
    >>> _cut_tree(np.array([[0, 1], [2, 3], [4, 5]]), 4, 2).tolist()
    [1, 1, 0, 0]
    """
    kids = children.tolist()
    nodes = [-(max(kids[-1]) + 1)]  # negated node ids: the heap's first is the latest merge
    for _ in range(k - 1):
        left, right = kids[-nodes[0] - n_leaves]
        heappush(nodes, -left)
        heappushpop(nodes, -right)
    labels = np.zeros(n_leaves, dtype=np.intp)
    for i, node in enumerate(nodes):
        stack, leaves = [-node], []
        while stack:
            x = stack.pop()
            if x < n_leaves:
                leaves.append(x)
            else:
                stack.extend(kids[x - n_leaves])
        labels[leaves] = i
    return labels


def topic_terms(docs: Sequence[str], *, n_terms: int = N_TERMS) -> list[tuple[str, ...]]:
    """The ``n_terms`` most characteristic words of each document (class-based TF-IDF).

    >>> topic_terms(["navalny prison navalny", "treaty arms treaty"], n_terms=1)
    [('navalny',), ('treaty',)]
    """
    from sklearn.feature_extraction.text import CountVectorizer

    try:
        vec = CountVectorizer(
            stop_words="english", token_pattern=r"(?u)\b[^\W\d_][\w'-]*[^\W_]\b", lowercase=True
        )
        counts = vec.fit_transform(docs).toarray().astype(np.float64)
    except ValueError:  # nothing but stop words
        return [() for _ in docs]
    words = vec.get_feature_names_out()
    tf = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1.0)
    avg_words = counts.sum() / max(len(docs), 1)
    idf = np.log1p(avg_words / np.maximum(counts.sum(axis=0), 1.0))
    ctfidf = tf * idf
    out = []
    for row in ctfidf:
        # highest score (to 12 decimals) first, ties alphabetical (words are sorted already, and
        # a stable sort keeps their order): stable and readable
        order = np.argsort(-np.round(row, 12), kind="stable")[:n_terms]
        out.append(tuple(str(words[j]) for j in order if row[j] > 0))
    return out


def find_topics(
    groups: Sequence[ClaimGroup],
    claims: Sequence[Claim],
    emb: np.ndarray,
    source_ids: Sequence[str],
    *,
    max_topics: int = MAX_TOPICS,
    n_terms: int = N_TERMS,
) -> tuple[Topic, ...]:
    """Topics over ``groups``; ``emb[i]`` is the embedding of ``claims[i]`` (already computed).

    Topics are ordered by how many claims they hold (most first), then by first group.
    """
    if not groups:
        return ()
    labels = choose_clusters(_group_vectors(groups, claims, emb), max_topics=max_topics)
    by_id = {c.id: c for c in claims}
    members: dict[int, list[ClaimGroup]] = {}
    for g, lab in zip(groups, labels, strict=True):
        members.setdefault(int(lab), []).append(g)
    first: dict[ClaimGroup, int] = {}  # groups.index(g), i.e. the first equal group's position
    for i, g in enumerate(groups):
        first.setdefault(g, i)
    clusters = sorted(
        members.values(),
        key=lambda gs: (-sum(len(g.claims) for g in gs), first[gs[0]]),
    )
    docs = [" ".join(by_id[cid].text for g in gs for cid in g.claims) for gs in clusters]
    terms = topic_terms(docs, n_terms=n_terms)
    totals = Counter(c.source for c in claims)
    # A claim may sit in several groups (partial coverage): count it once, in the topic of its
    # first group, so that each source's shares sum to 1.
    home: dict[str, tuple[int, int]] = {}
    for k, gs in enumerate(clusters):
        for g in gs:
            for cid in g.claims:
                if cid not in home or first[g] < home[cid][1]:
                    home[cid] = (k, first[g])
    counts = Counter((k, by_id[cid].source) for cid, (k, _) in home.items())
    topics = []
    for i, (gs, words) in enumerate(zip(clusters, terms, strict=True), start=1):
        share = {}
        for s in source_ids:
            share[s] = counts[i - 1, s] / totals[s] if totals[s] else 0.0
        topics.append(Topic(id=f"t{i}", terms=words, groups=tuple(g.id for g in gs), share=share))
    return tuple(topics)
