"""Conflict findings on real articles, for a precision audit (docs/conflicts-audit.md).

Usage (from the repository root; needs ../shared/bench/basil, read in place)::

    python experiments/conflicts_audit.py --first 50 --events 50 --out /tmp/audit.jsonl
    python experiments/conflicts_audit.py --ecbplus ../shared/bench/ecbplus --events 36 --out x

With ``--ecbplus`` the events are instead the ECB+ sub-topics with complete texts (dev and test
splits, 36 sub-topics of 4-19 articles each, in sorted order), detokenised; ``--ecb-split train``
takes the train split's 50 sub-topics (annotated sentences only). With ``--superpal`` the events
are the nine SuperPAL Multi-News clusters (../shared/bench/superpal_multinews: each source
article holds only its summary-aligned sentences, in text order, 222 in all), a set no earlier
audit read. With ``--msrp`` each MSRP sentence pair of ``--msrp-split`` is an event of two
one-sentence sources (round 11's unread set). With ``--stsb`` each STS-B news pair from
headlines and deft-news (never MSRpar: those are MSRP pairs) of ``--stsb-split`` rated at least
3 ("roughly equivalent") is such an event (round 12's unread set).

Takes ``--events`` BASIL events from the ``--first``-th (0-based; Fox / NYT / HuffPost on one
event; in the order of ``docs.jsonl``), compares each event's three articles (title as the
first line, then the body) with the default settings, and writes one JSON line per conflict
finding: the event, its type, the explanation, each side's quoted span and the two claims.
Point ``PYTHONPATH`` at another checkout to audit other code with the same events. The article
texts stay in ../shared: the audit file quotes only the spans a finding shows.
"""

from __future__ import annotations

import argparse
import json
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def events(path: Path, first: int, n: int) -> list[list[dict]]:
    by: dict[str, list[dict]] = {}
    for line in path.open(encoding="utf-8"):
        r = json.loads(line)
        by.setdefault(r["cluster"], []).append(r)
    return [sorted(v, key=lambda r: r["source"]) for v in list(by.values())[first : first + n]]


def detokenise(text: str) -> str:
    """ECB+ full texts are tokenised ("Canada 's attorney general said ," / `` ... ''): the
    spacing and quotation marks of running prose back, so that cue rules read them as news."""
    import re

    text = re.sub(r"``\s*", "“", text)
    text = re.sub(r"\s*''", "”", text)
    text = re.sub(r" (n't|'s|'re|'ve|'ll|'d|'m)\b", r"\1", text)
    text = re.sub(r" ([,.;:!?%)\]])", r"\1", text)
    text = re.sub(r"([(\[$]) ", r"\1", text)
    return text


def ecb_events(path: Path, split: str = "complete") -> list[list[dict]]:
    """ECB+ sub-topics whose documents are complete (the dev and test splits), each document a
    source; the first line of each text is its headline. ``split="train"``: the train split's
    50 sub-topics instead, whose documents hold only their annotated sentences (the corpus'
    train texts are not available), a set the earlier audits never read."""
    by: dict[str, list[dict]] = {}
    for line in path.open(encoding="utf-8"):
        r = json.loads(line)
        if (r.get("split") == "train") if split == "train" else r.get("full_text"):
            r = dict(r, source=r["doc"].replace(".xml", ""), title="", main_event=r["cluster"])
            r["text"] = detokenise(r["text"])
            by.setdefault(r["cluster"], []).append(r)
    return [sorted(v, key=lambda r: r["source"]) for _k, v in sorted(by.items())]


def superpal_events(path: Path) -> list[list[dict]]:
    """The SuperPAL Multi-News clusters, each article a source made of its aligned sentences in
    the order of their offsets (the corpus' full texts are not in ../shared)."""
    sents: dict[tuple[str, str], dict[int, str]] = {}
    for line in path.open(encoding="utf-8"):
        r = json.loads(line)
        sents.setdefault((r["cluster"], r["doc"]), {})[r["doc_sentence_char_idx"]] = r[
            "doc_sentence"
        ]
    by: dict[str, list[dict]] = {}
    for (cluster, doc), found in sorted(sents.items()):
        text = "\n\n".join(" ".join(found[k].split()) for k in sorted(found))
        source = doc.replace("_parsed.txt", "").replace(".txt", "")
        row = {"source": source, "title": "", "text": text, "main_event": cluster}
        by.setdefault(cluster, []).append(row)
    return [v for _k, v in sorted(by.items())]


def _pair_event(r: dict, source_a: str, source_b: str) -> list[dict]:
    """A sentence pair ``r`` (keys ``id``, ``a``, ``b``) as an event of two one-sentence sources."""
    return [
        {"source": source_a, "title": "", "text": r["a"], "main_event": r["id"]},
        {"source": source_b, "title": "", "text": r["b"], "main_event": r["id"]},
    ]


def msrp_events(path: Path, split: str) -> list[list[dict]]:
    """MSRP sentence pairs (two news sentences on one story, from different outlets) of one
    split, each pair an event of two one-sentence sources, in file order: a set no conflict
    audit had read before round 11 (MSRP never trains anything here)."""
    out = []
    for line in path.open(encoding="utf-8"):
        r = json.loads(line)
        if r["split"] == split:
            out.append(_pair_event(r, f"a{r['id_a']}", f"b{r['id_b']}"))
    return out


def stsb_events(path: Path, split: str, min_label: float = 3.0) -> list[list[dict]]:
    """STS-B news pairs of one split (``dev+test`` joins the two), headlines and deft-news
    only, rated ``min_label`` or more, each an event of two one-sentence sources, in file order.
    The rating bound keeps pairs on one story (3 is "roughly equivalent, some important
    information differs"), what the tool is for; it was fixed before any finding was read."""
    splits = set(split.split("+"))
    out = []
    for line in path.open(encoding="utf-8"):
        r = json.loads(line)
        if (
            r["split"] in splits
            and r["genre"] == "main-news"
            and r["source_file"] != "MSRpar"
            and r["label"] >= min_label
        ):
            out.append(_pair_event(r, "a", "b"))
    return out


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--basil", default=str(ROOT.parent / "shared" / "bench" / "basil"))
    ap.add_argument("--first", type=int, default=0, help="index of the first event (0-based)")
    ap.add_argument("--events", type=int, default=20)
    ap.add_argument("--out", required=True)
    ap.add_argument(
        "--ecbplus",
        help="audit the ECB+ sub-topics with complete texts (../shared/bench/ecbplus) instead",
    )
    ap.add_argument(
        "--ecb-split",
        default="complete",
        choices=["complete", "train"],
        help="with --ecbplus: the complete dev/test sub-topics, or the train split (partial texts)",
    )
    ap.add_argument(
        "--superpal",
        help="audit the SuperPAL Multi-News clusters (../shared/bench/superpal_multinews) instead",
    )
    ap.add_argument(
        "--msrp",
        help="audit MSRP sentence pairs (../shared/bench/msrp), each pair an event, instead",
    )
    ap.add_argument("--msrp-split", default="test", choices=["train", "test"])
    ap.add_argument(
        "--stsb",
        help="audit STS-B news pairs (../shared/bench/stsb; headlines, deft-news), instead",
    )
    ap.add_argument("--stsb-split", default="train", choices=["train", "dev", "test", "dev+test"])
    a = ap.parse_args(argv)
    warnings.simplefilter("ignore")
    import divergence
    from divergence.records import Source

    comparer = divergence.Comparer(cache=True)
    rows = []
    if a.stsb:
        found = stsb_events(Path(a.stsb) / "stsb.jsonl", a.stsb_split)
        chosen = found[a.first : a.first + a.events]
    elif a.msrp:
        found = msrp_events(Path(a.msrp) / "msrp.jsonl", a.msrp_split)
        chosen = found[a.first : a.first + a.events]
    elif a.superpal:
        found = superpal_events(Path(a.superpal) / "summary_doc_alignments.jsonl")
        chosen = found[a.first : a.first + a.events]
    elif a.ecbplus:
        found = ecb_events(Path(a.ecbplus) / "docs.jsonl", a.ecb_split)
        chosen = found[a.first : a.first + a.events]
    else:
        chosen = events(Path(a.basil) / "docs.jsonl", a.first, a.events)
    for k, ev in enumerate(chosen, a.first):
        sources = [
            Source(
                id=r["source"],
                name=r["source"],
                text=f"{r['title']}\n\n{r['text']}" if r["title"] else r["text"],
            )
            for r in ev
        ]
        comp = comparer.compare(sources)
        for f in comp.findings:
            if f.kind != "conflict":
                continue
            d = f.detail
            rows.append(
                {
                    "event": k,
                    "title": ev[0]["main_event"],
                    "type": d["type"],
                    "explanation": d["explanation"],
                    "score": d.get("score"),
                    "spans": d["spans"],
                    "claims": {e["source"]: e["text"] for e in d["evidence"]},
                }
            )
    with open(a.out, "w", encoding="utf-8") as fh:
        for r in rows:
            fh.write(json.dumps(r, ensure_ascii=False) + "\n")
    print(f"{len(rows)} conflict findings in {a.events} events -> {a.out}")


if __name__ == "__main__":
    main()
