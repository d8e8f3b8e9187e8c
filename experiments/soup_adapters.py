"""Average LoRA adapters trained with different seeds into one adapter (a seed "soup").

    python experiments/soup_adapters.py --inputs .bench/adapters .bench/adapters-s14 \\
        .bench/adapters-s15 --out .bench/adapters-soup --only no-bridge-collapse ... --check

For every fold name (a sub-folder present under each ``--inputs`` dir) the adapters are read as
``peft`` folders and written as one LoRA adapter whose merged weight delta is exactly the mean of
the inputs' merged deltas: the A matrices are stacked along the rank dimension, the B matrices
too with each scaled by 1/n, and ``lora_alpha`` is raised with ``r`` so that ``alpha / r`` (the
LoRA scaling) stays the inputs'. So ``scaling * [B_1/n ... B_n/n] @ [A_1; ...; A_n]`` is the
mean of ``scaling * B_i @ A_i``. Any other saved weight (``modules_to_save``, LoRA biases) is
averaged as is. The result (rank ``n * r``) loads through the shipped path unchanged
(``SentenceTransformerEmbedder(adapter=folder)``: ``PeftModel.from_pretrained`` then
``merge_and_unload``), at no run-time cost.

``--check`` compares, for a few sentences, the soup loaded through that path with the base model
carrying the mean of the inputs' merged weights computed directly (cosine of sentence vectors).
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WEIGHTS = "adapter_model.safetensors"
CONFIG = "adapter_config.json"
CHECK_TEXTS = [
    "The bridge collapsed during the evening rush hour, killing at least nine people.",
    "Six people are still missing after the collapse.",
    "Officials ordered the evacuation of three towns as the wildfire spread.",
    "The company recalled the drug after reports of contamination.",
    "The court ruled that the data collection violated privacy law.",
]


def soup(folders: list[Path], out: Path) -> dict:
    """Write the mean-delta adapter of ``folders`` (peft LoRA folders, same targets) to ``out``."""
    import torch
    from safetensors.torch import load_file, save_file

    cfgs = [json.loads((f / CONFIG).read_text(encoding="utf-8")) for f in folders]
    states = [load_file(str(f / WEIGHTS)) for f in folders]
    n = len(folders)
    base = cfgs[0]
    for cfg in cfgs[1:]:
        for k in ("r", "lora_alpha", "target_modules", "bias", "modules_to_save", "use_rslora"):
            a, b = cfg.get(k), base.get(k)
            if sorted(a) != sorted(b) if isinstance(a, list) and isinstance(b, list) else a != b:
                raise SystemExit(f"adapters differ in {k}: {a} vs {b}")
    if base.get("rank_pattern") or base.get("alpha_pattern") or base.get("use_dora"):
        raise SystemExit("rank/alpha patterns and DoRA are not handled")
    if base.get("use_rslora"):
        raise SystemExit("rsLoRA scaling (alpha / sqrt(r)) is not handled")
    keys = set(states[0])
    if any(set(s) != keys for s in states[1:]):
        raise SystemExit("adapters hold different weights")
    merged = {}
    for k in sorted(keys):
        parts = [s[k] for s in states]
        if ".lora_A." in k:  # (r, in): stack along the rank
            merged[k] = torch.cat(parts, dim=0).contiguous()
        elif ".lora_B." in k:  # (out, r): stack along the rank, each scaled by 1/n
            merged[k] = torch.cat([p / n for p in parts], dim=1).contiguous()
        else:  # modules_to_save, biases: the mean
            merged[k] = (sum(p.double() for p in parts) / n).to(parts[0].dtype).contiguous()
    out.mkdir(parents=True, exist_ok=True)
    save_file(merged, str(out / WEIGHTS))
    cfg = dict(base)
    cfg["r"] = base["r"] * n
    cfg["lora_alpha"] = base["lora_alpha"] * n  # alpha / r, the scaling, unchanged
    (out / CONFIG).write_text(json.dumps(cfg, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    info = {
        "soup_of": [str(f) for f in folders],
        "method": "A stacked, B stacked and scaled 1/n along the rank; r and alpha times n",
        "r": cfg["r"],
        "lora_alpha": cfg["lora_alpha"],
        "bytes": (out / WEIGHTS).stat().st_size,
    }
    # the inputs' manifest (as train_adapter.py writes it) with the soup's record, so the
    # folder reads as a finished fold
    manifest_path = folders[0] / "training.json"
    manifest = json.loads(manifest_path.read_text("utf-8")) if manifest_path.exists() else {}
    manifest["seed"] = [
        json.loads((f / "training.json").read_text("utf-8")).get("seed")
        if (f / "training.json").exists()
        else None
        for f in folders
    ]
    manifest["soup"] = info
    (out / "training.json").write_text(json.dumps(manifest, indent=1) + "\n", encoding="utf-8")
    return info


def check(folders: list[Path], out: Path, texts: list[str] = CHECK_TEXTS) -> float:
    """Smallest cosine, over ``texts``, between the soup's sentence vectors (the shipped loading
    path) and those of the base model carrying the mean of the inputs' merged weights."""
    import torch

    from divergence.embed import SentenceTransformerEmbedder, apply_adapter
    from experiments.train_adapter import base_model

    mean = None
    for f in folders:
        model = base_model()
        apply_adapter(model, f)
        state = {k: v.double() for k, v in model[0].auto_model.state_dict().items()}
        mean = state if mean is None else {k: mean[k] + state[k] for k in mean}
    direct = base_model()
    with torch.no_grad():
        ref = direct[0].auto_model.state_dict()
        direct[0].auto_model.load_state_dict(
            {k: (v / len(folders)).to(ref[k].dtype) for k, v in mean.items()}
        )
    a = direct.encode(texts, normalize_embeddings=True, show_progress_bar=False)
    b = SentenceTransformerEmbedder(adapter=out).encode(texts)
    b = b / np.linalg.norm(b, axis=1, keepdims=True)
    one = SentenceTransformerEmbedder(adapter=folders[0]).encode(texts)
    one = one / np.linalg.norm(one, axis=1, keepdims=True)
    cos = (a * b).sum(axis=1)
    print(
        f"{out}: cosine soup vs mean-delta model min {cos.min():.6f}; "
        f"vs first input min {(one * b).sum(axis=1).min():.4f}",
        flush=True,
    )
    return float(cos.min())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--inputs", type=Path, nargs="+", required=True, help="dirs of fold folders")
    ap.add_argument("--out", type=Path, required=True, help="dir to write the soup folds in")
    ap.add_argument("--only", nargs="*", default=None, help="fold names (default: all shared)")
    ap.add_argument("--check", action="store_true", help="compare with the mean-delta model")
    args = ap.parse_args()
    if len(args.inputs) < 2:
        ap.error("give at least two --inputs")
    names = args.only or sorted(
        set.intersection(*({p.name for p in d.iterdir() if p.is_dir()} for d in args.inputs))
    )
    for name in names:
        folders = [d / name for d in args.inputs]
        missing = [str(f) for f in folders if not (f / WEIGHTS).is_file()]
        if missing:
            sys.exit(f"no adapter in {', '.join(missing)}")
        dest = args.out / name
        if dest.exists():
            shutil.rmtree(dest)
        info = soup(folders, dest)
        print(f"{dest}: rank {info['r']}, {info['bytes'] / 1e6:.2f} MB", flush=True)
        if args.check:
            cos = check(folders, dest)
            if cos < 0.9999:
                sys.exit(f"{dest}: the soup is not the mean-delta model (cosine {cos:.6f})")


if __name__ == "__main__":
    main()
