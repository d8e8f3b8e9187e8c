"""How often the "nearest" claim the reports show under an omission or a unique claim is one
that states the claim (dev clusters, held out).

    DIVERGENCE_JUDGE_DATA=.bench/judge-ft-clause python experiments/nearest_check.py

For each held-out dev cluster the judge is fitted on the other five (``judge_loco.py``) with the
threshold the shipped LOCO procedure chose for that fold (0.45 for drug-recall and
privacy-ruling, else 0.4) and the related band from half of it, as shipped. An omission finding
is *false* when the omitting source mentions a gold fact that one of the group's claims covers;
a unique finding is false when another source mentions one. Counts: findings, false ones, false
ones with a nearest line, and those whose nearest claim (first shown) covers one of the group's
facts (for omissions also: any of the up to three related claims). Nothing is fitted here.
"""

import sys
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from divergence.evaluate import _coverage, _doc_map  # noqa: E402
from divergence.judge import JudgeScorer  # noqa: E402
from experiments import judge_loco as L  # noqa: E402
from experiments.judge_dev import cluster_pairs, load  # noqa: E402


def main() -> None:
    L.UNIT[0] = L._meta(L.DEV[0]).get("unit", "sentence")
    data = {c: cluster_pairs(load(c)) for c in L.DEV}
    tot: Counter[str] = Counter()
    for held in L.DEV:
        params = L.fit_params([c for c in L.DEV if c != held], data)
        thr = L.FOLD_THRESHOLDS.get(held, 0.4)
        params["related_threshold"] = thr / 2
        comp, gold = L.compare_cluster(held, JudgeScorer(params=params), L._Vectors([held]), thr)
        doc_of = _doc_map(comp, gold)
        _text, _junk, _claims, covers, mentioned = _coverage(comp, gold, doc_of)
        members = {g.id: g.claims for g in comp.groups}
        for f in comp.findings:
            if f.kind not in ("omission", "unique"):
                continue
            facts = set().union(*(covers[c] for c in members[f.group]))
            doc = doc_of[f.sources[0]]
            if f.kind == "omission":  # false: the omitting source mentions a fact of the group
                false = any(doc in mentioned[x] for x in facts)
            else:  # false: another source mentions one
                false = any(mentioned[x] - {doc} for x in facts)
            key = ("om" if f.kind == "omission" else "uq") + ("_false" if false else "_true")
            tot[key[:2]] += 1
            tot[key] += 1
            tot[key + "_rel"] += bool(f.related)
            if f.kind == "omission":  # how right an omission is, with and without a nearest line
                tot[f"om_{'with' if f.related else 'without'}_nearest"] += 1
                tot[f"om_{'with' if f.related else 'without'}_nearest_false"] += false
            if false and f.related:
                tot[key + "_near_ok"] += bool(covers[f.related[0].claim] & facts)
                if f.kind == "omission":
                    tot["om_false_any_ok"] += any(covers[r.claim] & facts for r in f.related)
    print(dict(sorted(tot.items())))


if __name__ == "__main__":
    main()
