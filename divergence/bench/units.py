"""Sentence vs clause claims on SuperPAL/Multi-News: which unit aligns shared propositions better.

    >>> from divergence.bench.units import superpal_units, score_units   # doctest: +SKIP
    >>> clusters = superpal_units("../shared/bench", split="dev")         # doctest: +SKIP

SuperPAL marks, inside each aligned document sentence, the span (``doc_span_offsets``, possibly
several pieces) that conveys a summary proposition. That is the seed gold's structure: facts are
sub-sentence spans, and a sentence can carry several. So each unit type is scored exactly as the
gold README scores a checker: a unit *covers* a proposition when one of the proposition's spans in
that sentence overlaps the unit by at least half of the shorter of the two; gold pairs are the
cross-doc unit pairs covering a common proposition; predicted pairs are cross-doc units placed in
one group by the pipeline's scorer and aligner (defaults). Also reported: *fact recall*, the share
of (proposition, doc pair) cases where some group holds a covering unit of both docs - a figure
that does not depend on how many units a sentence is cut into.

Only the aligned sentences exist (no full articles), so there are no omissions to score, and
clause pieces that cover no proposition act as the background material a real article has.
"""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations
from pathlib import Path

from .data import FILES


@dataclass(frozen=True)
class UnitCluster:
    """One cluster cut into units: texts, owning doc, covered fact ids, whether the unit's
    sentence is annotated (only pairs of annotated units are scored), and fact -> docs."""

    texts: list[str]
    owners: list[str]
    facts: list[frozenset[str]]
    scored: list[bool]
    mentions: dict[str, set[str]]


def _covers(cs: int, ce: int, ms: int, me: int) -> bool:
    overlap = min(ce, me) - max(cs, ms)
    return overlap > 0 and overlap >= 0.5 * min(ce - cs, me - ms)


# a sentence: (doc, text, [(fact, start, end) within text], annotated)
Sentence = tuple[str, str, list[tuple[str, int, int]], bool]


def _cut(
    clusters: dict[str, list[Sentence]], unit: str, method: str | None, min_words: int | None
) -> list[UnitCluster]:
    from ..clauses import MIN_WORDS, split_clauses
    from ..records import Claim, Source
    from ..segment import SyntokSegmenter

    seg = SyntokSegmenter()
    out = []
    for name in sorted(clusters):
        texts, owners, facts, scored = [], [], [], []
        mentions: dict[str, set[str]] = defaultdict(set)
        for doc, text, spans, annotated in clusters[name]:
            src = Source(id="s", name="s", text=text)
            claims = [
                Claim(f"s#{i}", "s", text[a:b], a, b, i, 0.0)
                for i, (a, b) in enumerate(seg.split(text))
            ]
            if unit == "clause":
                claims = split_clauses(src, claims, method=method, min_words=min_words or MIN_WORDS)
            for c in claims:
                texts.append(c.text)
                owners.append(doc)
                facts.append(frozenset(p for p, a, b in spans if _covers(c.start, c.end, a, b)))
                scored.append(annotated)
            for p, _a, _b in spans:
                mentions[p].add(doc)
        out.append(UnitCluster(texts, owners, facts, scored, dict(mentions)))
    return out


def superpal_units(
    bench: str | Path,
    *,
    split: str = "dev",
    unit: str = "sentence",
    method: str | None = "auto",
    min_words: int | None = None,
) -> list[UnitCluster]:
    """Units of every SuperPAL ``split`` cluster: syntok sentences of the aligned doc sentences,
    cut into clauses when ``unit="clause"``; facts = summary propositions, spans from
    ``doc_span_offsets``."""
    path = Path(bench) / FILES["superpal"].replace(
        "crossdoc_sentence_pairs", "summary_doc_alignments"
    )
    with open(path, encoding="utf-8") as fh:
        rows = [json.loads(x) for x in fh]
    sents: dict[tuple[str, str, int], str] = {}
    spans: dict[tuple[str, str, int], list[tuple[str, int, int]]] = defaultdict(list)
    for r in rows:
        if r["split"] != split:
            continue
        key = (r["cluster"], r["doc"], int(r["doc_sentence_char_idx"]))
        sents[key] = r["doc_sentence"]
        for piece in str(r["doc_span_offsets"]).split(";"):
            a, b = (int(x) for x in piece.split(","))
            spans[key].append((r["proposition_id"], a - key[2], b - key[2]))
    clusters: dict[str, list[Sentence]] = defaultdict(list)
    for key in sorted(sents):
        clusters[key[0]].append((key[1], sents[key], spans[key], True))
    return _cut(clusters, unit, method, min_words)


def ecbplus_units(
    bench: str | Path,
    *,
    split: str = "dev",
    unit: str = "sentence",
    method: str | None = "auto",
    min_words: int | None = None,
) -> list[UnitCluster]:
    """Units of every ECB+ ``split`` cluster: every sentence of its (full) documents, cut into
    clauses when ``unit="clause"``; facts = cross-document event chains, spans = the event
    mention's tokens. Un-annotated sentences stay in as distractors but are not scored."""
    bench = Path(bench)
    with open(bench / FILES["ecbplus_docs"], encoding="utf-8") as fh:
        docs = [d for d in map(json.loads, fh) if d["split"] == split]
    # doc -> sid -> (token start offset in the doc, char start of each token in the sentence)
    where: dict[tuple[str, int], tuple[int, list[int], list[int]]] = {}
    for d in docs:
        base = 0
        for s in sorted(d["sentences"], key=lambda x: x["sid"]):
            toks = s["text"].split(" ")
            starts, pos = [], 0
            for t in toks:
                starts.append(pos)
                pos += len(t) + 1
            where[(d["doc"], s["sid"])] = (base, starts, [len(t) for t in toks])
            base += len(toks)
    spans: dict[tuple[str, int], list[tuple[str, int, int]]] = defaultdict(list)
    path = bench / FILES["ecbplus_docs"].replace("docs", "mentions")
    with open(path, encoding="utf-8") as fh:
        mentions_rows = [json.loads(line) for line in fh]
    for m in mentions_rows:
        if m["split"] != split or m["kind"] != "event" or m["chain"].startswith("INTRA"):
            continue
        base, starts, lens = where[(m["doc"], m["sid"])]
        ids = [i - base for i in m["token_ids"] if 0 <= i - base < len(starts)]
        if ids:
            spans[(m["doc"], m["sid"])].append(
                (m["chain"], starts[min(ids)], starts[max(ids)] + lens[max(ids)])
            )
    clusters: dict[str, list[Sentence]] = defaultdict(list)
    for d in sorted(docs, key=lambda d: d["doc"]):
        for s in sorted(d["sentences"], key=lambda x: x["sid"]):
            key = (d["doc"], s["sid"])
            clusters[d["cluster"]].append(
                (d["doc"], s["text"], spans.get(key, []), bool(s.get("annotated")))
            )
    return _cut(clusters, unit, method, min_words)


def score_units(clusters: list[UnitCluster], embedder, comparer=None) -> dict[str, float]:
    """Pair P/R/F1 (gold README rule) and fact recall of the default pipeline's grouping."""
    from ..pipeline import Comparer

    comparer = comparer or Comparer(embedder=embedder)
    tp = fp = fn = 0
    hit = total = 0
    n_units = 0
    for cl in clusters:
        n_units += len(cl.texts)
        sim = comparer.scorer.score(cl.texts, embedder.encode(cl.texts))
        groups = comparer.aligner.group(sim, cl.owners)
        pred = {
            tuple(sorted(p))
            for g in groups
            for p in combinations(g, 2)
            if cl.owners[p[0]] != cl.owners[p[1]]
        }
        n = len(cl.texts)
        gold = {
            (i, j)
            for i in range(n)
            for j in range(i + 1, n)
            if cl.owners[i] != cl.owners[j] and cl.facts[i] & cl.facts[j]
        }
        pred = {(i, j) for i, j in pred if cl.scored[i] and cl.scored[j]}
        tp += len(pred & gold)
        fp += len(pred - gold)
        fn += len(gold - pred)
        for p, docs in cl.mentions.items():
            for d1, d2 in combinations(sorted(docs), 2):
                total += 1
                hit += any(
                    any(cl.owners[i] == d1 and p in cl.facts[i] for i in g)
                    and any(cl.owners[i] == d2 and p in cl.facts[i] for i in g)
                    for g in groups
                )
    prec = tp / (tp + fp) if tp + fp else 0.0
    rec = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {
        "units": n_units,
        "precision": prec,
        "recall": rec,
        "f1": f1,
        "fact_recall": hit / total if total else 0.0,
    }
