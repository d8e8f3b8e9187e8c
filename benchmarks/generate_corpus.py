"""Synthetic-but-realistic corpus for benchmarks: real articles + wire syndication.

    PYTHONPATH=$PWD python benchmarks/generate_corpus.py --events 20 --outlets 8 --out corpus.jsonl

Each event starts from one real cluster of articles about one event: the two seed fixture
clusters, then BASIL triplets (Fox/NYT/HuffPost) and ECB+ clusters from ../shared/bench when
that folder is present (read in place, never copied into the repository; skipped otherwise).
An event's first outlets carry the cluster's original articles; the remaining outlets run *wire
copy*: the cluster's first article with small edits, as syndicating outlets do - a new headline,
one or two sentences cut, a word changed in one sentence, sometimes a line of boilerplate.
``--single-event N`` writes one event with N sources instead (the scaling curve).
"""

from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SHARED = next(
    (
        p / "shared" / "bench"
        for p in (ROOT.parent, ROOT.parent.parent)
        if (p / "shared" / "bench").is_dir()
    ),
    None,
)
EDITS = [
    ("said", "told reporters"),
    ("on Tuesday", "Tuesday"),
    ("President", "Pres."),
    ("percent", "%"),
    ("the", "the"),
    ("will", "would"),
]
BOILER = [
    "Reporting by staff; editing by the desk.",
    "(Additional reporting by our bureau.)",
    "This story has been updated.",
]


def base_clusters() -> list[list[dict]]:
    """Real clusters: fixtures first, then BASIL and ECB+ when ../shared/bench exists."""
    clusters = []
    for name in ("first-call", "ukraine-calls"):
        clusters.append(
            [
                {"source": p.stem, "title": None, "text": p.read_text(encoding="utf-8")}
                for p in sorted((FIXTURES / name).glob("*.txt"))
            ]
        )
    for sub in ("basil", "ecbplus"):
        path = SHARED / sub / "docs.jsonl" if SHARED else None
        if not path or not path.exists():
            continue
        by: dict[str, list[dict]] = {}
        for line in path.open(encoding="utf-8"):
            r = json.loads(line)
            if r.get("text"):
                by.setdefault(r["cluster"], []).append(
                    {
                        "source": r.get("source") or r["doc"],
                        "title": r.get("title"),
                        "text": r["text"],
                        "date": r.get("date"),
                    }
                )
        clusters.extend(c for c in by.values() if len(c) >= 2)
    return clusters


def _sentences(text: str) -> list[str]:
    return [s for s in re.split(r"(?<=[.!?])\s+(?=[A-Z\"“])", text.strip()) if s]


def wire_copy(article: dict, rng: random.Random, outlet: int) -> dict:
    sents = _sentences(article["text"])
    if len(sents) > 6:
        for _ in range(rng.randint(1, 2)):
            sents.pop(rng.randrange(2, len(sents)))
    if sents:
        k = rng.randrange(len(sents))
        a, b = rng.choice(EDITS)
        sents[k] = sents[k].replace(a, b, 1)
    if rng.random() < 0.5:
        sents.append(rng.choice(BOILER))
    title = (article.get("title") or sents[0][:60]) + rng.choice(["", " - update", " (wire)"])
    return {
        "source": f"outlet{outlet:03d}",
        "title": title,
        "text": "\n\n".join(sents),
        "date": article.get("date"),
    }


def generate(n_events: int, outlets: int, seed: int = 0, sentences: int = 0) -> list[dict]:
    """``sentences``: use only base clusters whose first article has ``sentences`` to
    ``1.25 * sentences`` sentences (e.g. 40 for the issue's "500 sources x 40 sentences")."""
    rng = random.Random(seed)
    pool = base_clusters()
    if sentences:
        pool = [c for c in pool if sentences <= len(_sentences(c[0]["text"])) <= sentences * 1.25]
        if not pool:
            raise SystemExit(f"no base cluster with {sentences} sentences (is ../shared present?)")
    rows = []
    for e in range(n_events):
        cluster = pool[e % len(pool)]
        ev = f"ev{e:05d}"
        for o in range(outlets):
            if o < len(cluster):
                art = dict(cluster[o])
                art["source"] = f"outlet{o:03d}"
            else:
                art = wire_copy(cluster[0], rng, o)
            rows.append({"event": ev, **{k: v for k, v in art.items() if v is not None}})
    return rows


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--events", type=int, default=20)
    ap.add_argument("--outlets", type=int, default=8)
    ap.add_argument("--single-event", type=int, default=0, help="one event with N sources")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument(
        "--sentences", type=int, default=0, help="base articles of about N sentences only"
    )
    ap.add_argument("--out", type=Path, required=True)
    a = ap.parse_args()
    rows = (
        generate(1, a.single_event, a.seed, a.sentences)
        if a.single_event
        else generate(a.events, a.outlets, a.seed, a.sentences)
    )
    a.out.parent.mkdir(parents=True, exist_ok=True)
    a.out.write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8"
    )
    print(
        f"{a.out}: {len(rows)} articles, {len({r['event'] for r in rows})} events, "
        f"{len(base_clusters())} base clusters"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
