"""Pair judges side by side on the dev clusters, leaving one cluster out.

    python experiments/judge_data.py       # once: claims, gold facts, vectors
    python experiments/judge_dev.py        # the table (docs/judge.md)

For each held-out dev cluster: every cross-source sentence pair, labelled "shares a fact" by the
gold; ROC-AUC, average precision, the best F1 any threshold reaches (an oracle figure) and the F1
at the threshold chosen on the five training clusters (the honest one). Trained judges are
fitted on the five other clusters only.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from experiments.judge_data import DEV, OUT, SEEDS  # noqa: E402


def load(cluster: str, out: Path = OUT) -> dict:
    if not (out / f"{cluster}.json").exists():
        sys.exit(f"no pair data for {cluster} in {out}: run experiments/judge_data.py first")
    meta = json.loads((out / f"{cluster}.json").read_text(encoding="utf-8"))
    z = np.load(out / f"{cluster}.npz")
    off = z["offsets"]
    tok = z["tok"].astype(np.float32)
    meta["sent"] = z["sent"]
    meta["toks"] = [tok[off[i] : off[i + 1]] for i in range(len(off) - 1)]
    return meta


def cluster_pairs(d: dict, extra: dict | None = None):
    """Feature table of all cross-source pairs (i < j), their labels and (i, j)."""
    from divergence.judge import pair_table

    n = len(d["texts"])
    src = np.array(d["sources"])
    ii, jj = np.triu_indices(n, 1)
    keep = src[ii] != src[jj]
    ii, jj = ii[keep], jj[keep]
    facts = [set(f) for f in d["facts"]]
    y = np.array([bool(facts[i] & facts[j]) for i, j in zip(ii, jj, strict=True)])
    X, names = pair_table(d["texts"], d["sent"], d["toks"], list(d["sources"]), ii, jj)
    from divergence.pairs import PairModelScorer

    old = PairModelScorer().score(d["texts"], d["sent"])[ii, jj]
    X, names = np.column_stack([X, old]), names + ["lr_old"]
    if extra is not None:  # a second encoder's vectors of the same claims: its "ft_" columns
        assert extra["texts"] == d["texts"]
        Xe, ne = pair_table(d["texts"], extra["sent"], extra["toks"], list(d["sources"]), ii, jj)
        X, names = np.column_stack([X, Xe]), names + [f"ft_{n}" for n in ne]
    return X, y, names, ii, jj


#: the columns of the second encoder that "judge_both" adds
FT_EXTRA = ("cos", "tm_max", "tm_min", "tm_mean", "gap_cos", "gap_tm")


def best_f1(y, s) -> tuple[float, float]:
    from sklearn.metrics import precision_recall_curve

    p, r, t = precision_recall_curve(y, s)
    f = 2 * p * r / np.maximum(p + r, 1e-12)
    k = int(np.argmax(f[:-1])) if len(t) else 0
    return float(f[k]), float(t[k]) if len(t) else 0.0


def f1_at(y, s, thr) -> float:
    pred = s >= thr
    tp = int((pred & y).sum())
    fp = int((pred & ~y).sum())
    fn = int((~pred & y).sum())
    return 2 * tp / max(2 * tp + fp + fn, 1)


def main() -> None:
    from sklearn.metrics import average_precision_score, roc_auc_score

    from divergence.judge import fit_judge

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--seeds", action="store_true", help="also score the seeds (after deciding)")
    ap.add_argument("--models", default="judge,lr,hgb")
    ap.add_argument(
        "--extra", type=Path, help="a second encoder's judge data (e.g. an adapter's): ft_ columns"
    )
    args = ap.parse_args()
    data = {
        c: cluster_pairs(load(c), load(c, args.extra) if args.extra else None)
        for c in DEV + (SEEDS if args.seeds else [])
    }
    names = data[DEV[0]][2]
    single = [
        n
        for n in ("cos", "lr_old", "tm_max", "tm_min", "tm_mean", "tfidf", "ft_cos", "ft_tm_mean")
        if n in names
    ]
    rows = []
    for held in DEV + (SEEDS if args.seeds else []):
        X, y, _, _, _ = data[held]
        train = [c for c in DEV if c != held]
        Xt = np.vstack([data[c][0] for c in train])
        yt = np.concatenate([data[c][1] for c in train])
        res = {"cluster": held}
        for n in single:
            s = X[:, names.index(n)]
            st = Xt[:, names.index(n)]
            thr = best_f1(yt, st)[1]
            res[n] = (
                roc_auc_score(y, s),
                average_precision_score(y, s),
                best_f1(y, s)[0],
                f1_at(y, s, thr),
            )
        from experiments.judge_loco import FEATURES

        for kind in args.models.split(","):
            # "judge": the shipped feature set; "lr"/"hgb": every column, old score included;
            # with --extra, "judge_ft": the shipped set on the second encoder's vectors, and
            # "judge_both": the shipped set plus its cos/token-match/gap columns from the second
            feats = {
                "judge": FEATURES,
                "judge_ft": [f"ft_{f}" for f in FEATURES],
                "judge_both": FEATURES + [f"ft_{f}" for f in FEATURES if f in FT_EXTRA],
            }.get(kind)
            model = fit_judge(Xt, yt, names, kind="lr" if feats else kind, features=feats)
            s = model.predict(X)
            thr = best_f1(yt, model.predict(Xt))[1]
            res[kind] = (
                roc_auc_score(y, s),
                average_precision_score(y, s),
                best_f1(y, s)[0],
                f1_at(y, s, thr),
            )
        rows.append(res)
        print(
            held,
            {k: tuple(round(x, 3) for x in v) for k, v in res.items() if k != "cluster"},
            flush=True,
        )
    keys = [k for k in rows[0] if k != "cluster"]
    print("\n| judge | " + " | ".join(r["cluster"] for r in rows) + " | dev mean |")
    print("|---" * (len(rows) + 2) + "|")
    for k in keys:
        cells = [f"{r[k][0]:.3f} / {r[k][1]:.3f} / {r[k][3]:.3f}" for r in rows]
        dev = [r[k] for r in rows if r["cluster"] in DEV]
        mean = np.mean(dev, axis=0)
        print(
            f"| {k} | " + " | ".join(cells) + f" | {mean[0]:.3f} / {mean[1]:.3f} / {mean[3]:.3f} |"
        )
    print("\ncells: ROC-AUC / AP / F1 at the threshold chosen on the training clusters")


if __name__ == "__main__":
    main()
