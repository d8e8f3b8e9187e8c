"""Presence per source: for each claim group, does each source without a member carry it?

    >>> import numpy as np
    >>> sim = np.array([[1, .9, .5, .1], [.9, 1, .4, .1], [.5, .4, 1, .2], [.1, .1, .2, 1]])
    >>> owners = ["a", "b", "c", "d"]
    >>> groups, partial = find_presence([[0, 1], [2], [3]], sim, owners, present=0.8, partial=0.3)
    >>> groups[0], partial[0]
    ([0, 1], {'c': (2, 0.5)})

The aligner links claims that are each other's best matches; a source that states a group's fact
inside a longer sentence, or in other words, often has no such link and would be reported as
omitting it. This stage asks the question per source instead: for a group and a source with no
member, its best sentence is the one with the highest judge score against any of the group's
members. At or above ``present`` it joins the group (a sentence carrying several facts may join
several groups); at or above ``partial`` the source *partly* carries the claim (no omission is
reported; the words it does not carry are shown, :func:`missing_words`); below, it is absent.
Both thresholds are chosen with the judge on the dev clusters (``experiments/judge_loco.py``).

A fact may also be split over two sentences ("The bridge fell on Tuesday." / "Nine people
died."). With ``adjacent`` scores (:meth:`divergence.judge.JudgeScorer.score_adjacent`: each
pair of neighbouring sentences of a source read as one text), a source's best neighbouring pair
counts when it scores above its best single sentence; the pair's better sentence is the one that
joins the group (or is shown as partly carrying it).
"""

from __future__ import annotations

import numpy as np


def find_presence(
    groups: list[list[int]],
    sim,
    owners: list[str],
    *,
    present: float,
    partial: float,
    agg: str = "max",
    take: str = "best",
    adjacent: tuple[list[tuple[int, int]], np.ndarray] | None = None,
) -> tuple[list[list[int]], list[dict[str, tuple[int, float]]]]:
    """Groups extended by the sentences of sources found to carry them, and per group the
    sources that partly carry it: ``{source: (claim index, score)}``. Indices are rows of
    ``sim`` (dense matrix or :class:`~divergence.pairs.SparseScores`). ``agg``: a candidate's
    score against the group, ``max`` or ``mean`` over the members; ``take``: ``best`` (the
    source's best sentence only) or ``all`` (every sentence at or above ``present``);
    ``adjacent``: ``(pairs, scores)``, the neighbouring sentence pairs (row indices, one source
    each) and the (n, len(pairs)) scores of every claim against each pair read as one text."""
    from .align import _block

    by_source: dict[str, np.ndarray] = {}
    for i, s in enumerate(owners):
        by_source.setdefault(s, []).append(i)
    by_source = {s: np.asarray(v, dtype=np.intp) for s, v in by_source.items()}
    pair_cols: dict[str, np.ndarray] = {}
    if adjacent is not None:
        for k, (i, _) in enumerate(adjacent[0]):
            pair_cols.setdefault(owners[i], []).append(k)
        pair_cols = {s: np.asarray(v, dtype=np.intp) for s, v in pair_cols.items()}
    out_groups: list[list[int]] = []
    out_partial: list[dict[str, tuple[int, float]]] = []
    for members in groups:
        have = {owners[i] for i in members}
        rows = np.asarray(members, dtype=np.intp)
        added: list[int] = []
        part: dict[str, tuple[int, float]] = {}
        for s, cols in by_source.items():
            if s in have:
                continue
            block = np.asarray(_block(sim, rows, cols), dtype=np.float64)
            best = block.max(axis=0) if agg == "max" else block.mean(axis=0)
            k = int(np.argmax(best))
            score = round(float(best[k]), 6)
            if adjacent is not None and s in pair_cols:
                pairs, scores = adjacent
                pblock = scores[np.ix_(rows, pair_cols[s])]
                pbest = pblock.max(axis=0) if agg == "max" else pblock.mean(axis=0)
                q = int(np.argmax(pbest))
                if round(float(pbest[q]), 6) > score:
                    # the pair carries more of the claim than any one sentence: its better
                    # sentence stands for it
                    i, j = pairs[int(pair_cols[s][q])]
                    pos = {int(c): n for n, c in enumerate(cols)}
                    k = pos[i] if best[pos[i]] >= best[pos[j]] else pos[j]
                    score = round(float(pbest[q]), 6)
            if score >= present:
                if take == "all":
                    added.extend(int(c) for c, v in zip(cols, best, strict=True) if v >= present)
                    added.append(int(cols[k]))  # a pair's sentence may be under ``present``
                else:
                    added.append(int(cols[k]))
            elif score >= partial:
                part[s] = (int(cols[k]), score)
        out_groups.append(sorted(set(members) | set(added)))
        out_partial.append(part)
    return out_groups, out_partial


def presence_stage(scorer, groups, sim, owners, texts, emb):
    """:func:`find_presence` with the thresholds of ``scorer.presence`` (chosen with that judge
    on dev), reading neighbouring sentence pairs when they say ``adjacent``."""
    thresholds = dict(scorer.presence)
    adjacent = None
    if thresholds.pop("adjacent", False) and hasattr(scorer, "score_adjacent"):
        adjacent = scorer.score_adjacent(texts, emb, owners)
    return find_presence(groups, sim, owners, adjacent=adjacent, **thresholds)


def missing_words(claim: str, carrier: str) -> list[str]:
    """Content words and numbers of ``claim`` that ``carrier`` does not contain (compared by
    their first five letters, so "collapsed"/"collapse" match), in the claim's order, each once.

    >>> missing_words("Nine people died when the bridge collapsed on Tuesday.",
    ...               "The bridge collapse killed people.")
    ['nine', 'died', 'tuesday']
    """
    from .features import _NUMBER_WORDS, _WORD, _stop_words

    stop = _stop_words() - set(_NUMBER_WORDS)

    def words(text: str) -> list[str]:
        return [w for w in (t.lower() for t in _WORD.findall(text)) if w not in stop]

    have = {w[:5] for w in words(carrier)}
    out: list[str] = []
    for w in words(claim):
        if w[:5] not in have and w not in out:
            out.append(w)
    return out
