"""ONNX int8 backend vs the default torch fp32 model on the fixtures: vector cosine, and whether
groups and findings are the same (differences listed).

    PYTHONPATH=$PWD python benchmarks/onnx_parity.py
"""

from __future__ import annotations

import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    from divergence import Comparer
    from divergence.embed import OnnxEmbedder, SentenceTransformerEmbedder

    # the ONNX file holds the packaged weights without the shared-fact adapter: compare it
    # with the same weights on torch
    base = SentenceTransformerEmbedder(adapter=None)
    torch_c = Comparer(embedder=base, check_event=False)
    onnx_c = Comparer(backend="onnx", check_event=False)
    for cluster in ("first-call", "ukraine-calls"):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            a = torch_c.compare([ROOT / "fixtures" / cluster])
            b = onnx_c.compare([ROOT / "fixtures" / cluster])
        texts = [c.text for c in a.claims]
        cos = (base.encode(texts) * OnnxEmbedder().encode(texts)).sum(1)
        print(
            f"{cluster}: {len(texts)} sentences; cosine onnx-int8 vs torch-fp32: "
            f"mean {cos.mean():.4f}, min {cos.min():.4f}"
        )
        ga = {tuple(g.claims) for g in a.groups}
        gb = {tuple(g.claims) for g in b.groups}
        fa = {(f.kind, tuple(sorted(a.group(f.group).claims)), f.sources) for f in a.findings}
        fb = {(f.kind, tuple(sorted(b.group(f.group).claims)), f.sources) for f in b.findings}
        print(f"  groups: torch {len(ga)}, onnx {len(gb)}, identical: {ga == gb}")
        print(f"  findings: torch {len(fa)}, onnx {len(fb)}, identical: {fa == fb}")
        text = {c.id: c.text for c in a.claims}
        for g in sorted(ga - gb):
            print("   only torch group:", " || ".join(text[c][:60] for c in g))
        for g in sorted(gb - ga):
            print("   only onnx group: ", " || ".join(text[c][:60] for c in g))
        emb_t = base.encode(texts)
        emb_o = OnnxEmbedder().encode(texts)
        idx = {c.id: i for i, c in enumerate(a.claims)}
        for g in sorted(ga ^ gb):
            if len(g) == 2:
                i, j = idx[g[0]], idx[g[1]]
                print(
                    f"     pair cosine torch {emb_t[i] @ emb_t[j]:.4f} "
                    f"onnx {emb_o[i] @ emb_o[j]:.4f}"
                    f" (threshold {torch_c.aligner.threshold})"
                )
        for f in sorted(fa ^ fb):
            print("   finding only in", "torch:" if f in fa else "onnx: ", f[0], f[2])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
