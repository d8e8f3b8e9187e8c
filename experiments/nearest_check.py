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
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from divergence.evaluate import _coverage, _doc_map, gold_paths, load_gold  # noqa: E402
from divergence.judge import JudgeScorer  # noqa: E402
from divergence.pipeline import Comparer  # noqa: E402
from experiments import judge_loco as L  # noqa: E402
from experiments.judge_dev import cluster_pairs, load  # noqa: E402

DEV = L.DEV
L.UNIT[0] = "clause"
data = {c: cluster_pairs(load(c)) for c in DEV}
chosen = {"drug-recall": 0.45, "privacy-ruling": 0.45}
tot = dict(
    om=0,
    om_false=0,
    om_false_rel=0,
    om_false_near_ok=0,
    om_false_any_ok=0,
    om_true=0,
    om_true_rel=0,
    uq=0,
    uq_false=0,
    uq_false_rel=0,
    uq_false_near_ok=0,
    uq_true=0,
    uq_true_rel=0,
)
for held in DEV:
    params = L.fit_params([c for c in DEV if c != held], data)
    thr = chosen.get(held, 0.4)
    params["related_threshold"] = thr / 2
    sc = JudgeScorer(params=dict(params))
    gold = load_gold(L.ROOT / "fixtures" / f"{held}.gold.json")
    comp = Comparer(
        embedder=L._Vectors([held]),
        scorer=sc,
        threshold=thr,
        attribution=None,
        conflicts=False,
        check_event=False,
        presence=False,
        unit="clause",
    ).compare(gold_paths(gold, L.ROOT / "fixtures" / held))
    doc_of = _doc_map(comp, gold)
    text, junk, cbd, covers, mentioned = _coverage(comp, gold, doc_of)
    gmap = {g.id: g for g in comp.groups}
    for f in comp.findings:
        if f.kind not in ("omission", "unique"):
            continue
        g = gmap[f.group]
        facts = set().union(*(covers[c] for c in g.claims))
        if f.kind == "omission":
            d = doc_of[f.sources[0]]
            false = any(d in mentioned[x] for x in facts)
            tot["om"] += 1
            key = "om_false" if false else "om_true"
            tot[key] += 1
            if f.related:
                tot[key + "_rel"] += 1
            if false and f.related:
                tot["om_false_near_ok"] += bool(covers[f.related[0].claim] & facts)
                tot["om_false_any_ok"] += any(covers[r.claim] & facts for r in f.related)
        else:
            owner = doc_of[f.sources[0]]
            false = any(mentioned[x] - {owner} for x in facts)
            tot["uq"] += 1
            key = "uq_false" if false else "uq_true"
            tot[key] += 1
            if f.related:
                tot[key + "_rel"] += 1
            if false and f.related:
                tot["uq_false_near_ok"] += bool(covers[f.related[0].claim] & facts)
print(tot)
