"""Score a comparison against a gold annotation file (format: ``../shared/gold/README.md``).

    >>> from divergence.evaluate import evaluate_gold          # doctest: +SKIP
    >>> evaluate_gold("fixtures/first-call.gold.json", "fixtures/first-call")  # doctest: +SKIP

Definitions, as in the gold README:

* a claim **covers** a fact in a doc when one of the fact's mentions in that doc overlaps the
  claim's span by at least half of the shorter of the two;
* **alignment**: predicted pairs are cross-doc claim pairs in one group; a pair is correct when
  both claims cover a common fact; gold pairs are all cross-doc claim pairs covering a common fact;
* **omission** (fact x doc, where another doc mentions the fact): "present" when a group holding a
  claim of another doc covering the fact also holds a claim of this doc; P/R/F1 of "omitted" and
  macro-F1 over omitted/present;
* **unique** (fact x doc): facts only one doc mentions, reported when a claim of that doc
  covering the fact sits in a group no other doc carries;
* **emphasis**: facts with a lede doc that are buried in or absent from another doc; recall =
  such facts with an emphasis finding on a group covering them, precision = emphasis findings
  whose group covers such a fact;
* **conflicts**: recall of gold conflicts by conflict findings on a group covering the fact,
  precision = conflict findings whose group covers a gold-conflict fact;
* **junk**: P/R of dropped lines against the gold boilerplate lines;
* **attribution** (fact x doc, for facts whose gist opens "Per <side>:" or "Per <side>, ..."):
  a mention counts as correct when a claim covering it is attributed to a speaker that names one
  of the gist's sides (the side without articles and document words - "White House", "Kremlin",
  "officials", "commission" - or a titled person's surname - "Sullivan" for "Per National
  Security Adviser Jake Sullivan" - occurs in the speaker or the speaker's span); accuracy over
  all such mentions, and precision over those with any attribution;
* **conflicts per gold conflict**: found / aligned-but-missed / not aligned (the gold's conflict
  spans are not in one group), and an **oracle-alignment** recall: the conflict detector run on
  the claims covering each gold conflict's spans, as if the aligner had grouped them (labelled
  as such; it measures the detector alone). Its precision counterpart runs the detector on every
  gold fact's covering claims and counts findings on facts without a gold conflict.
"""

from __future__ import annotations

import json
import re
from itertools import combinations
from pathlib import Path
from typing import Any

from .comparison import Comparison
from .errors import InputError


def _prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(f, 4),
        "tp": tp,
        "fp": fp,
        "fn": fn,
    }


def load_gold(path: str | Path) -> dict[str, Any]:
    try:
        gold = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise InputError(f"{path}: not a gold JSON file ({exc})") from None
    for key in ("docs", "facts"):
        if key not in gold:
            raise InputError(f"{path}: not a gold file (no '{key}')")
    return gold


def gold_paths(gold: dict[str, Any], docs_dir: str | Path) -> list[Path]:
    """The gold's doc files inside ``docs_dir``, in the gold's doc order."""
    paths = []
    for doc, info in gold["docs"].items():
        p = Path(docs_dir) / info["file"]
        if not p.exists():
            raise InputError(f"{p}: gold doc {doc} not found in {docs_dir}")
        paths.append(p)
    return paths


def _boilerplate_spans(text: str, lines: list[str]) -> list[tuple[int, int]]:
    spans = []
    for line in lines:
        start = 0
        while (k := text.find(line, start)) >= 0:
            spans.append((k, k + len(line)))
            start = k + 1
    return spans


def _mention_spans(text: str, mention: str, junk: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out, start = [], 0
    while (k := text.find(mention, start)) >= 0:
        if not any(a <= k and k + len(mention) <= b for a, b in junk):
            out.append((k, k + len(mention)))
        start = k + 1
    return out


def _covers(cs: int, ce: int, ms: int, me: int) -> bool:
    overlap = min(ce, me) - max(cs, ms)
    return overlap > 0 and overlap >= 0.5 * min(ce - cs, me - ms)


def _doc_map(comparison: Comparison, gold: dict[str, Any]) -> dict[str, str]:
    doc_of: dict[str, str] = {}
    for s in comparison.sources:
        for doc, info in gold["docs"].items():
            if s.path and Path(s.path).name == info["file"] or s.id == Path(info["file"]).stem:
                doc_of[s.id] = doc
    missing = set(gold["docs"]) - set(doc_of.values())
    if missing:
        raise InputError(f"gold docs not among the compared sources: {', '.join(sorted(missing))}")
    return doc_of


def _coverage(comparison: Comparison, gold: dict[str, Any], doc_of: dict[str, str]):
    text = {doc_of[s.id]: s.text for s in comparison.sources}
    junk = {d: _boilerplate_spans(text[d], gold.get("boilerplate", {}).get(d, [])) for d in text}
    claims_by_doc: dict[str, list] = {}
    for c in comparison.claims:
        claims_by_doc.setdefault(doc_of[c.source], []).append(c)
    covers: dict[str, set[str]] = {c.id: set() for c in comparison.claims}
    mentioned: dict[str, set[str]] = {}
    for fact in gold["facts"]:
        for doc, mentions in fact["mentions"].items():
            mentioned.setdefault(fact["id"], set()).add(doc)
            for m in mentions:
                for ms, me in _mention_spans(text[doc], m, junk[doc]):
                    for c in claims_by_doc.get(doc, []):
                        if _covers(c.start, c.end, ms, me):
                            covers[c.id].add(fact["id"])
    return text, junk, claims_by_doc, covers, mentioned


def claim_facts(comparison: Comparison, gold: dict[str, Any]) -> dict[str, set[str]]:
    """The gold facts each claim covers (claim id -> fact ids), by the gold README's rule.

    Used to score and to build training pairs (``experiments/judge_data.py``)."""
    return _coverage(comparison, gold, _doc_map(comparison, gold))[3]


def score_comparison(comparison: Comparison, gold: dict[str, Any]) -> dict[str, Any]:
    """All metrics of ``comparison`` against ``gold``; sources are matched to gold docs by file
    name (``Source.path``) or id (file stem)."""
    doc_of = _doc_map(comparison, gold)
    text, junk, claims_by_doc, covers, mentioned = _coverage(comparison, gold, doc_of)
    claim_doc = {c.id: doc_of[c.source] for c in comparison.claims}

    # alignment over cross-doc claim pairs
    gold_pairs = set()
    ids = [c.id for c in comparison.claims]
    for a, b in combinations(ids, 2):
        if claim_doc[a] != claim_doc[b] and covers[a] & covers[b]:
            gold_pairs.add((a, b) if a < b else (b, a))
    pred_pairs = set()
    for g in comparison.groups:
        for a, b in combinations(g.claims, 2):
            if claim_doc[a] != claim_doc[b]:
                pred_pairs.add((a, b) if a < b else (b, a))
    alignment = _prf(
        len(pred_pairs & gold_pairs), len(pred_pairs - gold_pairs), len(gold_pairs - pred_pairs)
    )

    # omissions
    docs = list(gold["docs"])
    groups_of_claim: dict[str, list] = {}
    for g in comparison.groups:
        for cid in g.claims:
            groups_of_claim.setdefault(cid, []).append(g)
    o_tp = o_fp = o_fn = p_tp = p_fp = p_fn = 0
    for fact in gold["facts"]:
        fid = fact["id"]
        for d in docs:
            others = mentioned[fid] - {d}
            if not others:
                continue
            gold_omitted = d not in mentioned[fid]
            present = False
            for c in comparison.claims:
                if claim_doc[c.id] != d and fid in covers[c.id]:
                    for g in groups_of_claim.get(c.id, []):
                        if any(claim_doc[x] == d for x in g.claims) or any(
                            doc_of[s] == d for s in g.partial
                        ):
                            present = True
            pred_omitted = not present
            if pred_omitted and gold_omitted:
                o_tp += 1
                p_tp += 0
            elif pred_omitted and not gold_omitted:
                o_fp += 1
                p_fn += 1
            elif not pred_omitted and gold_omitted:
                o_fn += 1
                p_fp += 1
            else:
                p_tp += 1
    omitted = _prf(o_tp, o_fp, o_fn)
    present_prf = _prf(p_tp, p_fp, p_fn)
    omission = dict(
        omitted,
        macro_f1=round((omitted["f1"] + present_prf["f1"]) / 2, 4),
        present_f1=present_prf["f1"],
    )

    # unique
    unique_groups = {f.group for f in comparison.findings if f.kind == "unique"}
    pred_unique = set()
    for g in comparison.groups:
        if g.id in unique_groups:
            for cid in g.claims:
                for fid in covers[cid]:
                    pred_unique.add((fid, claim_doc[cid]))
    gold_unique = {(f, next(iter(ds))) for f, ds in mentioned.items() if len(ds) == 1}
    unique = _prf(
        len(pred_unique & gold_unique),
        len(pred_unique - gold_unique),
        len(gold_unique - pred_unique),
    )

    # emphasis
    divergent = set()
    for fact in gold["facts"]:
        if fact.get("lede_in"):
            rest = set(docs) - set(fact["lede_in"])
            if any(d in fact.get("buried_in", []) or d not in mentioned[fact["id"]] for d in rest):
                divergent.add(fact["id"])
    group_facts = {g.id: set().union(*(covers[c] for c in g.claims)) for g in comparison.groups}
    emph = [f for f in comparison.findings if f.kind == "emphasis"]
    e_hit = {fid for f in emph for fid in group_facts[f.group] & divergent}
    e_good = sum(1 for f in emph if group_facts[f.group] & divergent)
    emphasis = {
        "recall": round(len(e_hit) / len(divergent), 4) if divergent else 0.0,
        "precision": round(e_good / len(emph), 4) if emph else 0.0,
        "gold": len(divergent),
        "findings": len(emph),
    }

    # conflicts
    conflicts_gold = gold.get("conflicts", [])
    conf = [f for f in comparison.findings if f.kind == "conflict"]
    conflict_facts = {c["fact"] for c in conflicts_gold}
    found = [c for c in conflicts_gold if any(c["fact"] in group_facts[f.group] for f in conf)]
    conflicts = {
        "recall": round(len(found) / len(conflicts_gold), 4) if conflicts_gold else 0.0,
        "precision": round(
            sum(1 for f in conf if group_facts[f.group] & conflict_facts) / len(conf), 4
        )
        if conf
        else 0.0,
        "gold": len(conflicts_gold),
        "findings": len(conf),
        "found": sorted(c["fact"] for c in found),
    }

    conflicts.update(_conflict_detail(comparison, gold, covers, claim_doc, text, junk, conf))
    attribution = _attribution_accuracy(comparison, gold, covers, claim_doc)

    # junk lines
    gold_junk = {(d, line) for d, lines in gold.get("boilerplate", {}).items() for line in lines}
    pred_junk = {(doc_of[x.source], x.text) for x in comparison.dropped}
    junk_metrics = _prf(
        len(pred_junk & gold_junk), len(pred_junk - gold_junk), len(gold_junk - pred_junk)
    )

    return {
        "cluster": gold.get("cluster"),
        "signature": comparison.signature,
        "claims": len(comparison.claims),
        "groups": len(comparison.groups),
        "alignment": alignment,
        "omission": omission,
        "unique": unique,
        "emphasis": emphasis,
        "conflicts": conflicts,
        "attribution": attribution,
        "junk": junk_metrics,
    }


def evaluate_gold(gold_path: str | Path, docs_dir: str | Path, **settings: Any) -> dict[str, Any]:
    """Compare the gold's docs found in ``docs_dir`` and score the result."""
    from .pipeline import compare

    gold = load_gold(gold_path)
    comparison = compare(gold_paths(gold, docs_dir), **settings)
    return score_comparison(comparison, gold)


def _claims_covering(comparison: Comparison, doc: str, span: str, claim_doc, text, junk) -> list:
    out = []
    for ms, me in _mention_spans(text[doc], span, junk[doc]):
        for c in comparison.claims:
            if claim_doc[c.id] == doc and _covers(c.start, c.end, ms, me):
                out.append(c)
    return out


def _conflict_detail(comparison, gold, covers, claim_doc, text, junk, conf) -> dict[str, Any]:
    """Per gold conflict: status (found / aligned, missed / not aligned) and oracle recall."""
    from itertools import combinations as pairs

    group_of: dict[str, set[str]] = {}
    for g in comparison.groups:
        for cid in g.claims:
            group_of.setdefault(cid, set()).add(g.id)
    conflict_groups = {f.group for f in conf}
    per: list[dict[str, Any]] = []
    oracle_found = 0
    for k, gc in enumerate(gold.get("conflicts", [])):
        members = {
            d: _claims_covering(comparison, d, span, claim_doc, text, junk)
            for d, span in gc["docs"].items()
        }
        # aligned: some two docs' covering claims share a group
        aligned = any(
            group_of.get(a.id, set()) & group_of.get(b.id, set())
            for d1, d2 in pairs(members, 2)
            for a in members[d1]
            for b in members[d2]
        )
        found = any(
            gid in conflict_groups
            for cs in members.values()
            for c in cs
            for gid in group_of.get(c.id, ())
        )
        found_types = sorted(
            {
                f.type
                for f in conf
                for cs in members.values()
                for c in cs
                if f.group in group_of.get(c.id, ())
            }
        )
        status = "found" if found else ("aligned, not detected" if aligned else "not aligned")
        claims = [c for cs in members.values() for c in cs]
        oracle = _oracle(claims, gc["fact"], k)
        oracle_types = sorted({f.type for f in oracle})
        oracle_found += bool(oracle)
        per.append(
            {
                "fact": gc["fact"],
                "type": gc["type"],
                "status": status,
                "found_types": found_types,
                "oracle_found": oracle_types,
            }
        )
    # oracle precision: the detector on every multi-doc gold fact's covering claims
    gold_facts = {c["fact"] for c in gold.get("conflicts", [])}
    hits = total = 0
    for k, fact in enumerate(gold["facts"]):
        if len(fact["mentions"]) < 2:
            continue
        claims = []
        for d, spans in fact["mentions"].items():
            for span in spans:
                claims.extend(_claims_covering(comparison, d, span, claim_doc, text, junk))
        found = _oracle(claims, fact["id"], 1000 + k)
        total += bool(found)
        hits += bool(found) and fact["id"] in gold_facts
    n = len(gold.get("conflicts", []))
    return {
        "per_conflict": per,
        "oracle_recall": round(oracle_found / n, 4) if n else 0.0,
        "oracle_precision": round(hits / total, 4) if total else 0.0,
        "oracle_flagged_facts": total,
    }


def _oracle(claims, fact_id: str, k: int) -> list:
    """Conflict findings for one group made of ``claims`` (deduplicated)."""
    from .conflicts import find_conflicts
    from .records import ClaimGroup

    uniq = {c.id: c for c in claims}
    srcs = tuple(sorted({c.source for c in uniq.values()}))
    if len(srcs) < 2:
        return []
    g = ClaimGroup(id=f"oracle-{fact_id}-{k}", claims=tuple(uniq), sources=srcs, missing_from=())
    return find_conflicts([g], uniq)


# titles before a person's name in a gist ("Chief Fire Officer Hedda Marrowick"): the side is
# the name after the last one, matched by its surname (articles name people by surname)
_TITLES = set(
    "president governor mayor justice judge chief officer commander commissioner minister ceo "
    "secretary director spokesman spokeswoman spokesperson adviser advisor senator general chair "
    "inspector superintendent chairman chairwoman prosecutor professor dr mr mrs ms".split()
)
_JOINS = {"and", "of", "the", "for"}
_SIDE_DROP = {"the", "readout", "summary", "us", "u.s.", "his", "her", "its", "their", "a", "an"}


def _names(side: str, speaker: str) -> bool:
    """Whether a speaker ("entity | surface", lower case) names a side: the side occurs in it,
    or the side is an acronym (2-5 letters, one word) of a run of its words ("vmha": "veldoria
    medicines and healthcare agency")."""
    if side in speaker:
        return True
    if " " in side or not 2 <= len(side) <= 5 or not side.isalpha():
        return False
    initials = "".join(w[0] for w in re.findall(r"[a-z][\w'’-]*", speaker) if w not in _JOINS)
    return side in initials


def _side_head(part: str) -> str | None:
    """One side as matched: "the commission" -> "commission", "the Kremlin readout" ->
    "kremlin"; a person after a capitalised title by the surname ("Chief Fire Officer Hedda
    Marrowick" -> "marrowick"), after lower-case role words by the name ("resident Mirela Stanek
    of Quarry Lane" -> "mirela stanek")."""
    words = [w for w in part.split() if w.lower() not in _SIDE_DROP]
    titled = [i for i, w in enumerate(words) if w.lower().strip(".") in _TITLES]
    if titled and titled[-1] + 1 < len(words) and words[titled[-1] + 1][:1].isupper():
        name = words[titled[-1] + 1 :]
        name = name[: name.index("of")] if "of" in name else name
        return name[-1].lower()
    lead = 0
    while lead < len(words) and words[lead][:1].islower():
        lead += 1
    if 0 < lead < len(words):  # "resident Mirela Stanek", "daughter Hanne Pellow"
        words = words[lead:]
        words = words[: words.index("of")] if "of" in words else words
    return " ".join(words).lower() or None


def _sides(gist: str) -> list[str] | None:
    """The sides a gist attributes its fact to ("Per <side>: ..." or "Per <side>, ..."), None for
    nobody or "both". The side ends at the first colon or comma, or where a new noun phrase opens
    after a capitalised word ("Per the VMHA the added risk ..." -> "vmha"); a side ended neither
    way is not read. Several sides split on "/" and parentheses ("the Kremlin (Ushakov)")."""
    if not gist.startswith("Per "):
        return None
    rest = gist[4:]
    cut = re.search(r"[:,]", rest)
    head = rest[: cut.start()] if cut else rest
    words, named = [], False
    for w in head.split():
        if named and w in {"the", "a", "an", "its", "his", "her", "their"}:
            cut = True  # the side ends where the sentence goes on
            break
        named = named or w[:1].isupper()
        words.append(w)
    if not cut or not words or words[0].lower() == "both":
        return None
    names = []
    for part in " ".join(words).replace("(", "/").replace(")", "").split("/"):
        side = _side_head(part)
        if side:
            names.append(side)
    return names or None


def _attribution_accuracy(comparison, gold, covers, claim_doc) -> dict[str, Any]:
    text = {c.id: c for c in comparison.claims}
    src_text = {s.id: s.text for s in comparison.sources}
    total = correct = predicted = 0
    rows = []
    for fact in gold["facts"]:
        sides = _sides(fact.get("gist", ""))
        if not sides:
            continue
        for doc in fact["mentions"]:
            claims = [
                c
                for c in comparison.claims
                if claim_doc[c.id] == doc and fact["id"] in covers[c.id]
            ]
            if not claims:
                continue
            total += 1
            speakers = []
            for c in claims:
                a = text[c.id].attribution
                if a is not None:
                    surface = src_text[c.source][a.speaker_start : a.speaker_end]
                    speakers.append(f"{a.label} | {surface}".lower())
            predicted += bool(speakers)
            ok = any(_names(side, sp) for side in sides for sp in speakers)
            correct += ok
            row = {"fact": fact["id"], "doc": doc, "sides": sides, "speakers": speakers}
            rows.append(row | {"correct": ok})
    return {
        "accuracy": round(correct / total, 4) if total else 0.0,
        "precision": round(correct / predicted, 4) if predicted else 0.0,
        "mentions": total,
        "attributed": predicted,
        "correct": correct,
        "per_mention": rows,
    }
