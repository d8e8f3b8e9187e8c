"""Where the held-out omission errors come from (dev clusters, leave one cluster out).

    DIVERGENCE_JUDGE_DATA=.bench/judge-ft-clause python experiments/omission_errors.py [-v]

For each held-out dev cluster the judge is fitted on the other five (``judge_loco.fit_params``)
and run at the threshold the shipped procedure chose for that fold (``FOLD_THRESHOLDS``), as
``nearest_check.py`` does. Then every (gold fact, source) decision that ``divergence eval``'s
omission macro-F1 counts is sorted:

* ``false_omission``: the source mentions the fact, the comparison says it does not; split by
  the best judge score between the source's claims covering the fact and the other sources'
  claims covering it (``ge_thr``: a pair at or above the threshold that the grouping did not
  link; ``half``: in [thr/2, thr); ``quarter``: in [thr/4, thr/2); ``low``: below), and
  ``no_claim`` when no claim of the source covers it (the fact sits in a claim the cleaning
  dropped);
* ``false_present``: the source does not mention the fact, but a claim covering it shares a group
  with one of the source's claims; split by that claim: ``partial`` (it shares another fact with
  the claim that covers this one: a right link that carries a second fact along), ``wrong`` (it
  covers facts, none of that claim's), ``no_fact`` (it covers no gold fact); and by how:
  ``direct`` (some such pair scores at or above the threshold) or ``via_group`` (only the group's
  other links join them);
* ``right_omission`` / ``right_present``.

``-v`` prints each false omission with the two claims of its best pair. Nothing is fitted beyond
the fold judges; nothing is written.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from divergence.evaluate import _coverage, _doc_map  # noqa: E402
from divergence.judge import JudgeScorer  # noqa: E402
from experiments import judge_loco as L  # noqa: E402
from experiments.judge_dev import cluster_pairs, load  # noqa: E402


def band(score: float, thr: float) -> str:
    """The score band of a false omission's best pair.

    >>> [band(s, 0.4) for s in (0.5, 0.3, 0.15, 0.05)]
    ['ge_thr', 'half', 'quarter', 'low']
    """
    if score >= thr:
        return "ge_thr"
    if score >= thr / 2:
        return "half"
    return "quarter" if score >= thr / 4 else "low"


def sort_decisions(comp, gold, sim: np.ndarray, thr: float, verbose: bool = False) -> Counter:
    """The counts above for one comparison; ``sim``: its claims' judge scores."""
    doc_of = _doc_map(comp, gold)
    _text, _junk, _claims, covers, mentioned = _coverage(comp, gold, doc_of)
    idx = {c.id: k for k, c in enumerate(comp.claims)}
    cdoc = {c.id: doc_of[c.source] for c in comp.claims}
    groups_of: dict[str, list] = {}
    for g in comp.groups:
        for cid in g.claims:
            groups_of.setdefault(cid, []).append(g)
    out: Counter = Counter()
    for fact in gold["facts"]:
        fid = fact["id"]
        carriers = [c.id for c in comp.claims if fid in covers[c.id]]
        for d in gold["docs"]:
            if not mentioned[fid] - {d}:
                continue
            gold_omitted = d not in mentioned[fid]
            linked = [  # (claim covering the fact elsewhere, d's claim in one of its groups)
                (x, y)
                for x in carriers
                if cdoc[x] != d
                for g in groups_of.get(x, [])
                for y in g.claims
                if cdoc[y] == d
            ]
            if linked and gold_omitted:
                kinds = {
                    "partial" if covers[y] & covers[x] else ("wrong" if covers[y] else "no_fact")
                    for x, y in linked
                }
                kind = next(k for k in ("partial", "wrong", "no_fact") if k in kinds)
                out["false_present"] += 1
                out[f"false_present_{kind}"] += 1
                # through a link of its own (the pair at or above the threshold) or only through
                # the group (its members joined by other links)
                direct = max(float(sim[idx[x], idx[y]]) for x, y in linked) >= thr
                out[f"false_present_{kind}_{'direct' if direct else 'via_group'}"] += 1
            elif linked:
                out["right_present"] += 1
            elif gold_omitted:
                out["right_omission"] += 1
            else:
                out["false_omission"] += 1
                mine = [idx[x] for x in carriers if cdoc[x] == d]
                theirs = [idx[x] for x in carriers if cdoc[x] != d]
                if not mine:
                    out["false_omission_no_claim"] += 1
                    continue
                block = sim[np.ix_(mine, theirs)]
                best = float(block.max())
                out[f"false_omission_{band(best, thr)}"] += 1
                if verbose:
                    a, b = np.unravel_index(int(np.argmax(block)), block.shape)
                    print(
                        f"  {fid} {d}: best {best:.3f} (thr {thr})\n"
                        f"    {comp.claims[mine[a]].text[:150]}\n"
                        f"    {comp.claims[theirs[b]].text[:150]}"
                    )
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-v", "--verbose", action="store_true")
    args = ap.parse_args()
    L.UNIT[0] = L._meta(L.DEV[0]).get("unit", "sentence")
    data = {c: cluster_pairs(load(c)) for c in L.DEV}
    total: Counter = Counter()
    for held in L.DEV:
        params = L.fit_params([c for c in L.DEV if c != held], data)
        thr = L.FOLD_THRESHOLDS.get(held, 0.4)
        vectors = L._Vectors([held])
        scorer = JudgeScorer(params=params).bind(vectors)
        comp, gold = L.compare_cluster(held, scorer, vectors, thr)
        texts = [c.text for c in comp.claims]
        sim = scorer.score(texts, vectors.encode(texts), sources=[c.source for c in comp.claims])
        counts = sort_decisions(comp, gold, sim, thr, args.verbose)
        print(held, dict(sorted(counts.items())), flush=True)
        total.update(counts)
    print("all six", dict(sorted(total.items())))


if __name__ == "__main__":
    main()
