"""Check that attribution's spaCy pre-filter never skips a sentence spaCy would give a frame.

    PYTHONPATH=$PWD python tools/check_cue_prefilter.py [--bench-dir ../shared/bench] [--limit N]

The spaCy attribution stage parses only sentences holding a reporting-verb form or "according"
(``attribution.may_have_frame``): ``_spacy_find`` needs a token whose lemma is a cue lemma (or
"according"), so a sentence without any inflected form of one cannot yield a frame. This script
parses news sentences (the fixtures, then ECB+ and BASIL documents from ../shared/bench when
present) with the full pipeline and counts (1) tokens spaCy lemmatises to a cue lemma whose
surface form is not in ``CUE_FORMS`` and (2) sentences with a frame that the filter would skip.
Both must be 0; it also prints the share of sentences the filter saves from parsing.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def sentences(bench: Path, limit: int) -> list[str]:
    from divergence.clean import clean
    from divergence.ingest import load_sources
    from divergence.segment import segment

    out: list[str] = []
    for f in sorted((ROOT / "fixtures").glob("*/*.txt")):
        out += [c.text for c in segment(clean(load_sources([f])[0]))]
    ecb = bench / "ecbplus" / "docs.jsonl"
    if ecb.exists():
        for line in ecb.open(encoding="utf-8"):
            out += [s["text"] for s in json.loads(line)["sentences"]]
    basil = bench / "basil" / "docs.jsonl"
    if basil.exists():
        for k, line in enumerate(basil.open(encoding="utf-8")):
            row = json.loads(line)
            text = row.get("text") or ""
            if text.strip():
                src = load_sources([{"id": f"b{k}", "text": text}])[0]
                out += [c.text for c in segment(clean(src))]
    seen: dict[str, None] = dict.fromkeys(out)
    return list(seen)[:limit]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--bench-dir", default=str(ROOT.parent / "shared" / "bench"))
    ap.add_argument("--limit", type=int, default=20000)
    a = ap.parse_args()
    from divergence.attribution import CUE_FORMS, CUE_LEMMAS, load_spacy, may_have_frame
    from divergence.attribution.spacy_rules import _spacy_find

    texts = sentences(Path(a.bench_dir), a.limit)
    lemmas = set(CUE_LEMMAS)
    odd_tokens, missed, skipped = [], [], 0
    for text, doc in zip(texts, load_spacy().pipe(texts, batch_size=64), strict=True):
        for tok in doc:
            if tok.lemma_.lower() in lemmas and tok.lower_ not in CUE_FORMS:
                odd_tokens.append((tok.text, tok.lemma_, text))
        if not may_have_frame(text):
            skipped += 1
            if _spacy_find(doc) is not None:
                missed.append(text)
    print(f"sentences parsed: {len(texts)}")
    print(
        f"tokens lemmatised to a cue lemma with a surface form outside CUE_FORMS: {len(odd_tokens)}"
    )
    for t in odd_tokens[:10]:
        print("  ", t)
    print(f"sentences the filter skips: {skipped} ({skipped / max(len(texts), 1):.1%})")
    print(f"skipped sentences that have a spaCy frame: {len(missed)}")
    for t in missed[:10]:
        print("  ", t)
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
