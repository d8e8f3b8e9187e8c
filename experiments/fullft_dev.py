"""Held-out pair ranking of encoder variants for chosen LOCO folds (full fine-tune vs LoRA).

    python experiments/train_adapter.py --full --lr 2e-5 --epochs 3 --folds .bench/fullft \\
        --only no-bridge-collapse no-privacy-ruling
    python experiments/train_adapter.py --folds .bench/fullft --svd-rank 16 32 64 \\
        --only no-bridge-collapse no-privacy-ruling
    python experiments/fullft_dev.py --held bridge-collapse privacy-ruling \\
        lora=.bench/adapters full=.bench/fullft svd16=.bench/fullft-svd16 ...

Each variant is a folder of fold encoders (``no-<cluster>``: a peft adapter, or a ``--full``
fine-tune's ``full_model.safetensors``; ``base`` for the packaged weights). For every held-out
cluster, the fold encoder that never saw it embeds all six dev clusters (claims of ``--unit``,
``judge_data.write_cluster``'s format, under ``--out``); then, as ``judge_dev.py`` does, for the
held-out cluster's cross-source pairs: ROC-AUC, average precision and F1 at the threshold chosen
on the five training clusters, of the cosine, the token match and the judge (the shipped feature
set, fitted on the five). The five training clusters' vectors come from the same fold encoder,
which was trained on them (no cross-fitting with two folds): their cosine looks better than it
will on unseen text, so the judge's figures lean against the encoders that fit their training
data hardest; cosine and token-match AUC / AP need no fitting and are the cleaner comparison.
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from experiments.clusters import DEV  # noqa: E402


def embedder(folder: Path | None):
    from divergence import embed
    from experiments.train_adapter import FULL_FILE, load_full

    if folder is None:
        return embed.SentenceTransformerEmbedder(adapter=None)
    if not (folder / FULL_FILE).exists():
        return embed.SentenceTransformerEmbedder(adapter=folder)

    class Full(embed.SentenceTransformerEmbedder):
        def _key(self) -> str:
            return f"{self._resolve()}|full:{folder}"

        def load(self):
            key = self._key()
            if key not in embed._MODELS:
                from sentence_transformers import SentenceTransformer

                model = SentenceTransformer(self._resolve(), device="cpu")
                load_full(model, folder)
                embed._MODELS[key] = model
            return embed._MODELS[key]

    return Full(adapter=None)


def vectors(name: str, root: Path | None, held: str, out: Path, unit: str) -> Path:
    from experiments import judge_data

    dest = out / unit / name / f"no-{held}"
    if all((dest / f"{c}.npz").exists() for c in DEV):
        return dest
    dest.mkdir(parents=True, exist_ok=True)
    enc = embedder(root / f"no-{held}" if root else None)
    for c in DEV:
        judge_data.write_cluster(c, enc, dest, unit=unit)
    return dest


def scores(dest: Path, held: str, judge_from: Path | None = None) -> dict:
    from sklearn.metrics import average_precision_score, roc_auc_score

    from divergence.judge import fit_judge
    from experiments.judge_dev import best_f1, cluster_pairs, f1_at, load
    from experiments.judge_loco import FEATURES

    data = {c: cluster_pairs(load(c, dest)) for c in DEV}
    names = data[DEV[0]][2]
    X, y = data[held][0], data[held][1]
    train = [c for c in DEV if c != held]
    Xt = np.vstack([data[c][0] for c in train])
    yt = np.concatenate([data[c][1] for c in train])
    res = {}
    if judge_from is not None:  # judge (and its threshold) fitted on another encoder's data
        other = {c: cluster_pairs(load(c, judge_from)) for c in train}
        Xj = np.vstack([other[c][0] for c in train])
        yj = np.concatenate([other[c][1] for c in train])
    else:
        Xj, yj = Xt, yt
    for n in ("cos", "tm_mean"):
        s, st = X[:, names.index(n)], Xt[:, names.index(n)]
        res[n] = (
            roc_auc_score(y, s),
            average_precision_score(y, s),
            f1_at(y, s, best_f1(yt, st)[1]),
        )
    model = fit_judge(Xj, yj, names, kind="lr", features=list(FEATURES))
    s = model.predict(X)
    thr = best_f1(yj, model.predict(Xj))[1]
    res["judge"] = (roc_auc_score(y, s), average_precision_score(y, s), f1_at(y, s, thr))
    return res


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("variants", nargs="+", help="NAME=FOLDS_DIR, NAME=@JUDGE_DATA_DIR, or base")
    ap.add_argument("--held", nargs="+", default=["bridge-collapse", "privacy-ruling"])
    ap.add_argument("--unit", default="clause", choices=["sentence", "clause"])
    ap.add_argument("--out", type=Path, default=ROOT / ".bench" / "fullft-vec")
    ap.add_argument("--json", type=Path, help="also write the figures here")
    ap.add_argument(
        "--judge-from",
        type=Path,
        help="fit the judge on this judge data's training clusters instead (e.g. the shipped "
        "adapter's cross-fitted vectors): no in-sample encoder under the judge, another encoder",
    )
    args = ap.parse_args()
    from experiments import judge_data

    # one clean + segment (+ clause parse) per cluster, whatever the number of variants
    judge_data.cluster_claims = functools.lru_cache(maxsize=None)(judge_data.cluster_claims)
    rows = {}
    for spec in args.variants:
        name, _, root = spec.partition("=")
        for held in args.held:
            if root.startswith("@"):  # ready judge data (e.g. the shipped cross-fitted vectors)
                dest = Path(root[1:])
            else:
                dest = vectors(name, Path(root) if root else None, held, args.out, args.unit)
            rows[(name, held)] = scores(dest, held, args.judge_from)
            cells = {k: tuple(round(x, 3) for x in v) for k, v in rows[(name, held)].items()}
            print(name, held, cells, flush=True)
    names = list(dict.fromkeys(n for n, _ in rows))
    for kind in ("cos", "tm_mean", "judge"):
        print(f"\n{kind}: AUC / AP / F1 at the threshold chosen on the five training clusters")
        print("| encoder | " + " | ".join(args.held) + " | mean |")
        print("|---" * (len(args.held) + 2) + "|")
        for n in names:
            vals = [rows[(n, h)][kind] for h in args.held]
            mean = np.mean(vals, axis=0)
            cells = [f"{v[0]:.3f} / {v[1]:.3f} / {v[2]:.3f}" for v in vals]
            print(
                f"| {n} | "
                + " | ".join(cells)
                + f" | {mean[0]:.3f} / {mean[1]:.3f} / {mean[2]:.3f} |"
            )
    if args.json:
        out = {f"{n}|{h}": v for (n, h), v in rows.items()}
        args.json.write_text(json.dumps(out, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
