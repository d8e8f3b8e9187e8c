"""Derivation: who rewrote whom - text reuse between the sources of one comparison.

    >>> from divergence.records import Claim, Source
    >>> def claims(sid, sents):
    ...     return [Claim(f"{sid}#{i}", sid, t, 0, len(t), i, i / len(sents))
    ...             for i, t in enumerate(sents)]
    >>> wire = ["Biden called Putin on Tuesday about the arms treaty.",
    ...         "The two leaders agreed to extend the New START treaty.",
    ...         "Navalny's arrest was raised by the American president.",
    ...         "The Kremlin said the call was frank and businesslike."]
    >>> copy = [t.replace("American", "US") for t in wire[:3]]
    >>> found = find_derivations([Source("a", "a", ""), Source("b", "b", "")],
    ...                          claims("a", copy) + claims("b", wire))
    >>> [(d.source, d.from_, d.relation, d.direction, d.taken) for d in found]
    [('a', 'b', 'copy', 'known', 3)]

The stage works on the texts alone (not on the alignment): every claim is a row of a character
n-gram TF-IDF matrix (``char_wb`` 3-5 grams, IDF over the comparison's distinct claim texts), and
two claims of different sources *match* when their cosine is at least ``match``. Candidate pairs
come from a sparse product over the n-grams that at most ``CANDIDATE_DF`` distinct claims share
(a near-duplicate pair shares rare n-grams too), so the cost grows with the claims times that
cap, never with all claim pairs of a 500-source event.

For each pair of sources the matches are made one-to-one (best first); the *reused* claims are
the longest run of them in the same order in both texts (longest increasing subsequence of the
matched positions: a spun copy keeps the original's order, two independent reports of an event
do not). Verdict per pair of sources, on the source with the larger reused share:

* ``copy``: at least ``min_claims`` reused claims, a share of at least ``reused``, and at least
  80% of them near-verbatim (cosine >= ``NEAR``) and in order;
* ``rewrite``: the same share, with spun or edited sentences (synonyms, garbles, reorders);
* ``quotes``: a few near-verbatim passages (a statement quoted in an article, a shared quote);
* otherwise independent (not listed).

Direction: the later date when both sources have different dates (``basis: date``); otherwise
the text (``basis: text``): the copy is the source whose claims are more fully taken over (a
copy is a near-subset of its original, which keeps sentences the copy dropped) by at least
``DIRECTION_MARGIN``; else ``direction: unknown``. The changed words of each matched pair come
from :class:`difflib.SequenceMatcher` over word tokens.
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Mapping, Sequence
from dataclasses import replace
from typing import Any

import numpy as np

from .records import Claim, Derivation, Finding, Omission, Source

#: Cosine of two claims' char n-gram TF-IDF vectors from which they count as a match (chosen on
#: the generated set of ``experiments/derivation_set.py``, leave-one-cluster-out;
#: docs/derivation.md).
MATCH = 0.4
#: Share of a source's claims taken over (in order) from which a pair is a copy or rewrite
#: (chosen with MATCH on the generated set, leave-one-cluster-out; docs/derivation.md).
REUSED = 0.4
#: Fewest reused claims for a copy or rewrite verdict.
MIN_CLAIMS = 3
#: Cosine from which a matched pair is near-verbatim (a few words changed).
NEAR = 0.75
#: Share of near-verbatim, in-order matches that makes a reused source a ``copy``.
COPY_SHARE = 0.8
#: Difference of the two reused shares from which the text decides the direction.
DIRECTION_MARGIN = 0.1
#: Claims with fewer word tokens are never matched (datelines, "Oh.", bylines).
MIN_WORDS = 4
#: n-grams shared by more distinct claims are not used to find candidate pairs (bounds the cost).
CANDIDATE_DF = 64
#: Aligned sentence pairs kept as evidence per derivation.
EVIDENCE = 5
RELATIONS = ("copy", "rewrite", "quotes")

_WORD = re.compile(r"\w+(?:['’]\w+)*|[^\w\s]")


def signature(match: float = MATCH, reused: float = REUSED) -> str:
    return f"deriv(char3-5,m{match:g},r{reused:g})"


def _ngram_matrix(texts: Sequence[str]):
    from sklearn.feature_extraction.text import TfidfVectorizer

    vec = TfidfVectorizer(
        analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True, lowercase=True, dtype=np.float32
    )
    return vec.fit_transform(texts).tocsr()


def claim_matches(
    texts: Sequence[str], *, match: float = MATCH, candidate_df: int = CANDIDATE_DF
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Pairs ``(i, j, cosine)`` (i < j) of distinct ``texts`` whose char n-gram cosine is at
    least ``match``, found through the n-grams shared by at most ``candidate_df`` texts.

    >>> i, j, s = claim_matches(["The cat sat on the mat.", "The cat sat on a mat.", "Dogs bark."])
    >>> list(zip(i.tolist(), j.tolist()))
    [(0, 1)]
    """
    import scipy.sparse as sp

    n = len(texts)
    empty = (np.empty(0, np.int64), np.empty(0, np.int64), np.empty(0, np.float32))
    if n < 2:
        return empty
    try:
        x = _ngram_matrix(texts)
    except ValueError:  # no n-gram at all (empty vocabulary)
        return empty
    df = np.diff(x.tocsc().indptr)
    keep = df <= candidate_df
    exact = bool(keep.all())
    xc = x if exact else x[:, np.flatnonzero(keep)]
    prod = sp.triu(xc @ xc.T, k=1).tocoo()
    rows, cols, vals = prod.row.astype(np.int64), prod.col.astype(np.int64), prod.data
    if not exact:  # the pruned product is a lower bound: score candidates on all n-grams
        vals = np.empty(len(rows), np.float32)
        for a in range(0, len(rows), 20_000):
            b = min(len(rows), a + 20_000)
            vals[a:b] = np.asarray(x[rows[a:b]].multiply(x[cols[a:b]]).sum(axis=1)).ravel()
    vals = np.round(vals.astype(np.float64), 6)
    ok = vals >= match
    order = np.lexsort((cols[ok], rows[ok]))
    return rows[ok][order], cols[ok][order], vals[ok][order].astype(np.float32)


def _lis(seq: Sequence[int]) -> list[int]:
    """Indices into ``seq`` of a longest strictly increasing subsequence (patience sorting)."""
    import bisect

    tails: list[int] = []
    tails_at: list[int] = []
    prev = [-1] * len(seq)
    for k, v in enumerate(seq):
        p = bisect.bisect_left(tails, v)
        if p == len(tails):
            tails.append(v)
            tails_at.append(k)
        else:
            tails[p] = v
            tails_at[p] = k
        prev[k] = tails_at[p - 1] if p else -1
    out = []
    k = tails_at[-1] if tails_at else -1
    while k >= 0:
        out.append(k)
        k = prev[k]
    return out[::-1]


def changed_words(old: str, new: str) -> list[list[str]]:
    """The word spans that differ between two matched sentences, as ``[old, new]`` pairs
    (``""`` for an insertion or a deletion).

    >>> changed_words("Biden and Putin held talks on Tuesday.", "Biden, Putin had talks Tuesday.")
    [['and', ','], ['held', 'had'], ['on', '']]
    """
    return [list(pair) for pair in _changed(old, new)]


@functools.lru_cache(maxsize=1 << 16)
def _changed(old: str, new: str) -> tuple[tuple[str, str], ...]:
    # cached: in a big event the same sentence pair recurs across many pairs of wire copies
    if old == new:
        return ()
    a, b = _WORD.findall(old), _WORD.findall(new)
    sm = difflib.SequenceMatcher(
        None, [w.lower() for w in a], [w.lower() for w in b], autojunk=False
    )
    return tuple(
        (" ".join(a[i1:i2]), " ".join(b[j1:j2]))
        for tag, i1, i2, j1, j2 in sm.get_opcodes()
        if tag != "equal"
    )


def _words(text: str) -> int:
    return sum(1 for w in _WORD.findall(text) if w[0].isalnum())


def find_derivations(
    sources: Sequence[Source],
    claims: Sequence[Claim],
    *,
    match: float = MATCH,
    reused: float = REUSED,
    min_claims: int = MIN_CLAIMS,
    candidate_df: int = CANDIDATE_DF,
) -> tuple[Derivation, ...]:
    """The related pairs of sources (copy / rewrite / quotes), sorted by source then from.

    ``claims`` are the comparison's claims (any order); each claim's text is matched against
    the claims of the other sources. Independent pairs are not listed."""
    by_source: dict[str, list[Claim]] = {s.id: [] for s in sources}
    for c in claims:
        by_source.setdefault(c.source, []).append(c)
    for lst in by_source.values():
        lst.sort(key=lambda c: c.index)
    if len(by_source) < 2:
        return ()
    # distinct texts (a verbatim sentence shared by many sources is one row); short claims only
    # match their exact duplicates, longer ones also their near-duplicates
    keyed: dict[str, int] = {}
    owner_rows: list[list[Claim]] = []
    for c in (c for s in sorted(by_source) for c in by_source[s]):
        key = " ".join(c.text.lower().split())
        k = keyed.setdefault(key, len(keyed))
        if k == len(owner_rows):
            owner_rows.append([])
        owner_rows[k].append(c)
    texts = list(keyed)
    long_rows = np.flatnonzero([_words(t) >= MIN_WORDS for t in texts])
    rows, cols, vals = claim_matches(
        [texts[k] for k in long_rows], match=match, candidate_df=candidate_df
    )
    rows, cols = long_rows[rows], long_rows[cols]
    pos = {c.id: p for lst in by_source.values() for p, c in enumerate(lst)}
    # candidate claim pairs per (a, b) source pair, a < b
    cand: dict[tuple[str, str], list[tuple[float, int, int]]] = {}

    def add(ca: Claim, cb: Claim, score: float) -> None:
        if ca.source == cb.source:
            return
        if cb.source < ca.source:
            ca, cb = cb, ca
        cand.setdefault((ca.source, cb.source), []).append((score, pos[ca.id], pos[cb.id]))

    for group in owner_rows:
        for x in range(len(group)):
            for y in range(x + 1, len(group)):
                add(group[x], group[y], 1.0)
    for r, c, v in zip(rows.tolist(), cols.tolist(), vals.tolist(), strict=False):
        for ca in owner_rows[r]:
            for cb in owner_rows[c]:
                add(ca, cb, v)
    dates = {s.id: s.date for s in sources}
    out = []
    for a, b in sorted(cand):
        found = cand.pop((a, b))  # frees the candidates as the verdicts are made (big events)
        found.sort(key=lambda t: (-t[0], t[1], t[2]))
        used_a: set[int] = set()
        used_b: set[int] = set()
        one_to_one = []
        for score, i, j in found:
            if i not in used_a and j not in used_b:
                used_a.add(i)
                used_b.add(j)
                one_to_one.append((i, j, score))
        one_to_one.sort()
        keep = _lis([j for _i, j, _s in one_to_one])
        ordered = [one_to_one[k] for k in keep]
        d = _verdict(
            a,
            b,
            one_to_one,
            ordered,
            by_source,
            dates,
            reused=reused,
            min_claims=min_claims,
        )
        if d is not None:
            out.append(d)
    out.sort(key=lambda d: (d.source, d.from_))
    return tuple(out)


def _verdict(a, b, one_to_one, ordered, by_source, dates, *, reused, min_claims):
    n_a, n_b = len(by_source[a]), len(by_source[b])
    k = len(ordered)
    share_a, share_b = k / max(n_a, 1), k / max(n_b, 1)
    # quotes need a passage, not a shared one-word line ("ENDS")
    near = [m for m in one_to_one if m[2] >= NEAR and _words(by_source[a][m[0]].text) >= MIN_WORDS]
    if k >= min_claims and max(share_a, share_b) >= reused:
        near_in_order = sum(1 for m in ordered if m[2] >= NEAR)
        relation = "copy" if near_in_order >= COPY_SHARE * k else "rewrite"
        matches = ordered
    elif near:
        relation = "quotes"
        matches = near
    else:
        return None
    # direction
    da, db = dates.get(a), dates.get(b)
    if da and db and da != db:
        source, basis = (a, "date") if da > db else (b, "date")
    elif relation != "quotes" and abs(share_a - share_b) >= DIRECTION_MARGIN:
        source, basis = (a, "text") if share_a > share_b else (b, "text")
    else:
        source, basis = (a if share_a >= share_b else b), None
    if source == a:
        frm, pairs = b, [(i, j, s) for i, j, s in matches]
    else:
        frm, pairs = a, [(j, i, s) for i, j, s in matches]
    src_claims, frm_claims = by_source[source], by_source[frm]
    pairs.sort()
    changes = [changed_words(frm_claims[j].text, src_claims[i].text) for i, j, _s in pairs]
    swapped = sum(_words(old) or _words(new) for ch in changes for old, new in ch)
    # evidence: the most changed of the matched pairs (they show the rewriting); one unchanged
    # pair when nothing changed
    ranked = sorted(range(len(pairs)), key=lambda m: (-len(changes[m]), m))[:EVIDENCE]
    ranked = [m for m in ranked if changes[m]] or ranked[:1]
    evidence = tuple(
        {
            "claim": src_claims[pairs[m][0]].id,
            "from_claim": frm_claims[pairs[m][1]].id,
            "text": src_claims[pairs[m][0]].text,
            "from_text": frm_claims[pairs[m][1]].text,
            "score": round(float(pairs[m][2]), 4),
            "changed": changes[m],
        }
        for m in sorted(ranked)
    )
    n_src = len(src_claims)
    return Derivation(
        source=source,
        from_=frm,
        relation=relation,
        direction="unknown" if basis is None else "known",
        basis=basis,
        reused=round(len(pairs) / max(n_src, 1), 4),
        taken=len(pairs),
        claims=n_src,
        words_changed=swapped,
        in_order=round(len(ordered) / max(len(one_to_one), 1), 4),
        matches=tuple(
            (src_claims[i].id, frm_claims[j].id, round(float(s), 4)) for i, j, s in pairs
        ),
        evidence=evidence,
    )


def derived_pairs(derivations: Sequence[Derivation]) -> set[frozenset[str]]:
    """Unordered source pairs judged ``copy`` or ``rewrite``."""
    return {frozenset((d.source, d.from_)) for d in derivations if d.relation != "quotes"}


def voices(source_ids: Sequence[str], derivations: Sequence[Derivation]) -> dict[str, str]:
    """Each source's *voice*: sources linked by copy/rewrite verdicts share one (named after the
    first of them in ``source_ids``); independent sources are their own voice.

    >>> d = Derivation("a", "b", "rewrite", "known", "text", 0.8, 4, 5, 3, 1.0, (), ())
    >>> voices(["b", "a", "c"], [d])
    {'b': 'b', 'a': 'b', 'c': 'c'}
    """
    parent = {s: s for s in source_ids}

    def root(s: str) -> str:
        while parent[s] != s:
            parent[s] = parent[parent[s]]
            s = parent[s]
        return s

    rank = {s: k for k, s in enumerate(source_ids)}
    for pair in derived_pairs(derivations):
        x, y = sorted(pair, key=lambda s: rank.get(s, len(rank)))
        if x in parent and y in parent:
            rx, ry = root(x), root(y)
            if rx != ry:
                lo, hi = sorted((rx, ry), key=rank.__getitem__)
                parent[hi] = lo
    return {s: root(s) for s in source_ids}


def mark_findings(
    findings: Sequence[Finding], derivations: Sequence[Derivation], source_ids: Sequence[str]
) -> list[Finding]:
    """``findings`` with each omission noting how many independent voices carry the claim
    (``voices``) and, when the carriers are only a source and its copy, ``copy_only`` with the
    derived pair(s) (``derived``, ``[[copy, original], ...]``): new findings, as findings never
    change."""
    pairs = derived_pairs(derivations)
    if not pairs:
        return list(findings)
    voice = voices(source_ids, derivations)
    by_pair = {frozenset((d.source, d.from_)): [d.source, d.from_] for d in derivations}
    out: list[Finding] = []
    for f in findings:
        if isinstance(f, Omission):
            carriers = f.carried_by
            n_voices = len({voice.get(s, s) for s in carriers})
            if n_voices != len(carriers):
                derived = sorted(by_pair[p] for p in pairs if p <= set(carriers))
                f = replace(
                    f,
                    voices=n_voices,
                    derived=tuple((a, b) for a, b in derived),
                    copy_only=n_voices == 1,
                )
        out.append(f)
    return out


def summary_line(d: Derivation, names: Mapping[str, str] | None = None) -> str:
    """One line for the text and Markdown summaries.

    >>> d = Derivation("000", "001", "rewrite", "known", "text", 0.75, 15, 20, 38, 1.0, (), ())
    >>> summary_line(d)
    '000 is a rewrite of 001: 15 of 20 claims taken over, 38 words swapped'
    """
    lab = names or {}
    s, f = lab.get(d.source, d.source), lab.get(d.from_, d.from_)
    if d.relation == "quotes":
        head = f"{s} and {f} share {d.taken} near-verbatim passage(s)"
        if d.direction == "known":
            head = f"{s} quotes {f}: {d.taken} near-verbatim passage(s)"
        return head
    what = "a copy" if d.relation == "copy" else "a rewrite"
    if d.direction == "known":
        head = f"{s} is {what} of {f}"
    else:
        head = f"{s} and {f}: one is {what} of the other (direction unknown)"
    return f"{head}: {d.taken} of {d.claims} claims taken over, {d.words_changed} words swapped"


def to_rows(derivations: Sequence[Derivation]) -> list[dict[str, Any]]:
    """Flat rows (one per derivation) for tables and corpus mode."""
    return [
        {
            "source": d.source,
            "from": d.from_,
            "relation": d.relation,
            "direction": d.direction,
            "basis": d.basis,
            "reused": d.reused,
            "taken": d.taken,
            "claims": d.claims,
            "words_changed": d.words_changed,
            "in_order": d.in_order,
        }
        for d in derivations
    ]
