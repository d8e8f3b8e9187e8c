"""Conflict findings for aligned groups: the first disagreeing pair of each group and type.

>>> from divergence.records import Claim, ClaimGroup
>>> a = Claim("a#0", "a", "Five people died.", 0, 17, 0, 0.0)
>>> b = Claim("b#0", "b", "Seven people died.", 0, 18, 0, 0.0)
>>> g = ClaimGroup("g0", ("a#0", "b#0"), ("a", "b"), ())
>>> [f.detail["type"] for f in find_conflicts([g], {"a#0": a, "b#0": b})]
['number']
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Sequence
from itertools import combinations
from typing import Any

from ..attribution.lexicon import CUE_FORMS
from ..records import Claim, ClaimGroup, Finding
from .numbers import number_conflict, other_figures
from .numscope import moments
from .owner import own_possession
from .rules import _hedged_stems, attribution_hit, contradiction_hit
from .scope import (
    Hit,
    _clause_end,
    _content,
    _covering,
    _meaningful,
    _negative_scope,
    _stem,
    _tokens,
    _widen,
)
from .voice import _OUTLET_FRAME_RE, _cue_word, _question, _quoted, _reports, _speaker


def find_conflicts(
    groups: Sequence[ClaimGroup],
    claims: dict[str, Claim],
    *,
    types: Sequence[str] = ("number", "attribution", "contradiction"),
    pair_score: Callable[[str, str], float] | None = None,
    min_score: float | None = None,
) -> list[Finding]:
    """Conflict findings for groups carried by two or more sources; at most one finding per
    group and type, naming the first disagreeing pair of sources found (claims taken in
    (source id, position) order, so the pair does not depend on the order sources were given).

    The three tests depend on the two texts only, and wire copy repeats the same texts across
    the members of a group, so each test runs once per distinct ordered pair of texts in this
    call (a memo dropped on return); a group stops being scanned once it has a finding of every
    requested type, as no further pair could add one."""
    findings: list[Finding] = []
    wanted = set(types)
    memo: dict[tuple[Any, str, str], Any] = {}
    # the aligner may put the same two claims in several groups: one finding per pair and type
    reported: set[tuple[str, frozenset[str]]] = set()
    for g in groups:
        if len(g.sources) < 2:
            continue
        members = sorted((claims[c] for c in g.claims), key=lambda c: (c.source, c.index))
        done: set[str] = set()
        # (text a, text b, a's source sorts first) of ordered pairs that found nothing in this
        # group: ``done`` only grows, so the same texts cannot find anything later either
        nothing: set[tuple] = set()
        for x, y in combinations(members, 2):
            if done >= wanted:
                break  # every test below is skipped for a type already in ``done``
            if x.source == y.source:
                continue
            score = None if pair_score is None else float(pair_score(x.id, y.id))
            if min_score is not None and score is not None and score < min_score:
                continue
            reported_ok = True
            for ca, cb in ((x, y), (y, x)):
                key = (ca.text, cb.text, ca.source < cb.source, ca.attribution, cb.attribution)
                if key in nothing:
                    continue
                f = _pair_conflict(g, ca, cb, types, done, memo, reported_ok)
                if f is None:
                    nothing.add(key)
                else:
                    if score is not None:
                        f = dataclasses.replace(f, score=round(score, 3))
                    done.add(f.detail["type"])
                    # two figures of one thing: the number finding says what differs; that one
                    # side reports its figure ("Bush said ... 30 percent") attributes nothing
                    # the other states (a hedge on the counted thing still can: "suspected")
                    reported_ok = f.detail["type"] != "number"
                    pair = (f.detail["type"], frozenset(f.detail["claims"]))
                    if pair not in reported:
                        reported.add(pair)
                        findings.append(f)
    return findings


def _moment_note(ta: str, x, tb: str, y) -> str:
    """ "; possibly one figure at two moments (“near midday” / “closed down”)" when the words
    that time the two figures differ (:func:`.numscope.moments`; "untimed" for a side without
    them), else ""."""
    m = moments(ta, x.start, x.end, tb, y.start, y.end)
    if m is None:
        return ""
    a, b = (f"“{w}”" if w else "untimed" for w in m)
    return f"; possibly one figure at two moments ({a} / {b})"


def _memo(memo: dict | None, test, a: str, b: str):
    """``test(a, b)``, looked up in ``memo`` first (None: no memo)."""
    if memo is None:
        return test(a, b)
    key = (test, a, b)
    if key not in memo:
        memo[key] = test(a, b)
    return memo[key]


def _pair_conflict(
    g, ca: Claim, cb: Claim, types, done, memo: dict | None = None, reported_ok: bool = True
) -> Finding | None:
    if (
        "number" in types
        and "number" not in done
        and ca.source < cb.source
        and not (_RELATIVE_CLAUSE_RE.match(ca.text) or _RELATIVE_CLAUSE_RE.match(cb.text))
    ):
        q = _memo(memo, number_conflict, ca.text, cb.text)
        if q:
            x, y = q
            span_a, span_b = _quantity_span(ca.text, x), _quantity_span(cb.text, y)
            what = x.measure or y.measure or x.unit
            return _finding(
                g,
                "number",
                ca,
                cb,
                span_a,
                span_b,
                f"{ca.source} says “{span_a}” where {cb.source} says “{span_b}”"
                + (f" ({_MEASURE_NAMES.get(what, what)})" if what else "")
                + _moment_note(ca.text, x, cb.text, y),
                values={ca.source: x.text, cb.source: y.text},
            )
    if "attribution" in types and "attribution" not in done:
        h = None if _question(cb) else _memo(memo, attribution_hit, ca.text, cb.text)
        attributed_b = (
            _speaker(cb) is not None
            or _cue_word(cb)
            or _OUTLET_FRAME_RE.search(cb.text) is not None
        )
        if h and (
            attributed_b or _no_statement(cb.text, h.shared) or other_figures(ca.text, cb.text)
        ):
            # hedged against reported: on real articles (docs/conflicts-audit.md) these were
            # mostly two outlets giving the same speaker's account in different words
            h = None
        if h:
            stance_b = "attributed" if attributed_b else "fact"
            return _finding(
                g,
                "attribution",
                ca,
                cb,
                h.text_a,
                h.text_b,
                f"{ca.source} distances itself (“{h.cue}”) from what {cb.source} states "
                f"{'as fact' if stance_b == 'fact' else 'as reported'} ({h.words})",
                stance={ca.source: "hedged", cb.source: stance_b},
            )
        r = _reported(ca, cb, memo) if reported_ok else None
        if r:
            speaker = ca.attribution.speaker if ca.attribution else ""
            return _finding(
                g,
                "attribution",
                ca,
                cb,
                r.text_a,
                r.text_b,
                f"{ca.source} attributes it to {speaker} (“{r.cue}”) where {cb.source} states "
                f"it as fact ({r.words})",
                stance={ca.source: "attributed", cb.source: "fact"},
            )
    if "contradiction" in types and "contradiction" not in done:
        # a headline's few words ("No Legislation Until After Tax Cut") are no statement to
        # contradict or be contradicted by
        titles = ca.is_title or cb.is_title or _question(ca) or _question(cb)
        # only the outlets' own voices can contradict each other: a sentence that reports a
        # speaker ("Fox says Mexico will not pay") gives that speaker's position, which the other
        # outlet may report too (the audit on real articles: docs/conflicts-audit.md)
        voiced = _reports(ca) or _reports(cb)
        c = None if titles or voiced else _memo(memo, contradiction_hit, ca.text, cb.text)
        if c:
            return _finding(
                g,
                "contradiction",
                ca,
                cb,
                c.text_a,
                c.text_b,
                f"{ca.source} says “{c.cue}” about what {cb.source} states ({c.words})",
            )
    return None


# the fact side does not state the shared content when it calls it a claim or a case, expects
# it, or asks about any of it ("repeated his false claims", "settled a harassment case", "is
# expected to", "sue for any role")
_CLAIM_WORD_RE = re.compile(
    r"\b(?:claim(?:s|ed)?|allegations?|alleg(?:es|ed|edly)|accus\w+|false(?:ly)?|rumou?rs?)\b"
    r"|\b(?:is|are|was|were|be)\s+expected\s+to\b|\bexpects?\b"
    # a suspicion with its holder: "investigators suspect arson" (not "the suspect fled")
    r"|\b(?:investigators|police|officials|authorities|detectives|experts|they|we)\s+"
    r"(?:now\s+|still\s+)?suspect(?:s|ed)?\b",
    re.IGNORECASE,
)
# (not the head of a compound: a "lathi-charge" or "baton-charge" is a police action)
_LEGAL_RE = re.compile(r"(?<![-\w])(?:case|lawsuit|suit|charges?|indictment)\b", re.IGNORECASE)


def _no_statement(text: str, shared) -> bool:
    toks = _tokens(text)
    at = [k for k, (_x, _y, st) in enumerate(toks) if st in set(shared)]
    for m in _CLAIM_WORD_RE.finditer(text):
        # the claim word governs the shared words: they follow it in its clause ("repeated
        # his false claims that Mexico was paying") or modify it ("harassment allegations");
        # not "a rigged vote that the commission claims has returned him to power"
        end = _clause_end(text, m.end())
        after = {k for k, (x, _y, _s) in enumerate(toks) if m.end() <= x < end}
        # its modifiers: the content words right before it ("sexual harassment allegations")
        before = {
            k
            for k, (x, _y, _s) in enumerate(toks)
            if x < m.start()
            and not re.search(r"[^\w\s'’-]|\b(?:that|which|who)\b", text[x : m.start()])
        }
        if (after | set(sorted(before)[-3:])) & set(at):
            return True
    for m in _LEGAL_RE.finditer(text):
        before = [k for k, (x, _y, _s) in enumerate(toks) if x < m.start()][-3:]
        if set(before) & set(at):
            return True  # "a sexual harassment case": the case, not the harassment
    for m in re.finditer(r"\bany\b", text, re.IGNORECASE):
        after = [k for k, (x, _y, _s) in enumerate(toks) if x > m.end()][:3]
        if set(after) & set(at):
            return True
    return False


_PERFORMATIVE = {"announce", "pledge", "vow", "urge", "warn", "predict", "caution", "declare"}
# a post-posed frame leaves only adjuncts after its verb ("..., police said on Tuesday.")
_FRAME_TAIL = 8
_TAIL_CLAUSE_RE = re.compile(
    r"\b(?:that|could|would|will|may|might|can|should|must|is|are|was|were|had|has|have)\b",
    re.IGNORECASE,
)
_PREMISE_RE = re.compile(r"\b(?:because|since|although|though(?!,)|whereas)\b", re.IGNORECASE)
_MEASURE_NAMES = {"death": "deaths", "injury": "injured", "arrest": "arrests"}


# a word after a bare number that says nothing of what it counts ("kills 14 in Kabul")
_SPAN_STOP_RE = re.compile(
    r"\s*(?:[,;:)]|(?:in|at|on|and|or|but|as|after|of|to|for|with|by|from|when|while)\b)", re.I
)


def _quantity_span(text: str, q) -> str:
    """The number with what it counts ("at least four people"), at least two words; for a
    number that counts nothing named, with the word before it ("kills 14", not "14 in")."""
    end = q.end
    if q.unit:
        k = text.find(q.unit.split()[-1], q.end, q.end + 60)
        if k >= 0:
            end = k + len(q.unit.split()[-1])
    elif len(text[q.start : q.end].split()) < 2 and _SPAN_STOP_RE.match(text[q.end :]):
        prv = re.search(r"[\w'’-]+\s+$", text[: q.start])
        if prv:
            return text[prv.start() : q.end].strip(" ,;:.")
    lo, hi = _widen(text, q.start, end, min_words=2)
    return text[lo:hi].strip(" ,;:.")


def _reported(ca: Claim, cb: Claim, memo: dict | None) -> Hit | None:
    """``ca`` reports, through its speaker's frame, content that ``cb`` states unattributed and
    unhedged: the reported part of ``ca`` (the words before a post-posed "..., X said", after a
    fronted "X said"; the whole sentence for "according to") shares three or more content
    words with ``cb``, one not a name, none of them the speaker's name: at least half the
    reported part's words and a quarter of ``cb``'s. Quotations on either side, a reporting
    verb in ``cb`` and questions are left alone (both sides then give someone's words)."""
    att = _speaker(ca)
    if att is None or _speaker(cb) is not None or ca.is_title or cb.is_title:
        return None
    if att.kind not in {"reported", "according-to"} or _quoted(cb.text):
        return None  # a quotation on either side: both report someone's words
    if _cue_word(cb) or _OUTLET_FRAME_RE.search(cb.text):
        return None  # b names a reporting verb: it attributes too
    if CUE_FORMS.get(att.cue.lower()) in _PERFORMATIVE:
        return None  # "announced he will endorse Perry": the act itself, not a claim about it
    if _not_a_report(ca.text, att) or _same_document(att.speaker, cb.text):
        return None
    key = ("reported", ca.text, cb.text, att)
    if memo is not None and key in memo:
        return memo[key]
    out = None
    text = ca.text
    speaker = _content(att.speaker) | {_stem(w) for w in att.speaker.split()}
    cue_at = text.find(att.cue) if att.cue else -1
    tail = text[cue_at + len(att.cue) :] if cue_at >= 0 else ""
    if att.kind == "reported" and cue_at < 0 and att.speaker_start < ca.end:
        # a clause after its sentence's frame ("X said on Monday that ..., and whether it
        # colluded with ...", "The Authority found that ... and imposed a fine"): the frame
        # governs the clause it opens, not this one. A frame after the claim ("..., police
        # said") governs the clauses before it
        return None
    if att.kind in {"according-to", "carried-over"} or cue_at < 0:
        part = (0, len(text))
    elif (
        cue_at > 0.5 * len(text)
        and not att.cue.lower().endswith("ing")  # "..., saying it gives away too much"
        and len(tail.split()) <= _FRAME_TAIL
        and not _TAIL_CLAUSE_RE.search(tail)  # "... said could reveal visits": its report
        and not _far_subject(text, att.speaker, cue_at)
    ):
        part = (0, cue_at)  # a post-posed frame: "..., police said (on Tuesday)."
    else:
        # the frame governs what follows its verb, also inside a clause ("..., after the CEO
        # said in an interview that he backs ..."); a reason or concession it gives ("because
        # the drug remains illegal") is the speaker's premise, which both sides may share
        part = (cue_at + len(att.cue), len(text))
        stop = _PREMISE_RE.search(text, part[0])
        if stop:
            part = (part[0], stop.start())
    if _quoted(text[part[0] : part[1]]) or cb.text.rstrip().endswith("?"):
        return None
    if _ADVICE_RE.search(text, *part):
        return None  # advice ("stressed that patients should not stop"): no fact to state
    if cue_at >= 0 and own_possession(tail, att.speaker, cb.text):
        return None
    # a non-restrictive relative clause or an apposition with one is background the speaker
    # does not assert ("He said that Officer Wilson, who shot Mr. Brown, had been interviewed")
    aside = [(m.start(), m.end()) for m in _RELATIVE_RE.finditer(text, *part)]
    reported = {
        st
        for x, y, st in _tokens(text)
        if part[0] <= x and y <= part[1] and not any(lo <= x < hi for lo, hi in aside)
    }
    reported -= speaker | {_stem(att.cue)}
    shared = reported & _content(cb.text)
    if (
        len(shared) >= 3
        and 2 * len(shared) >= len(reported)  # the same content, not a few shared words
        and 4 * len(shared) >= len(_content(cb.text) - speaker)
        and _meaningful(shared, text)
        # the same content beyond names and titles: two shared words written lower-case
        and len(shared & {st for x, _y, st in _tokens(text) if text[x].islower()}) >= 2
        and not _no_statement(cb.text, shared)
        and not other_figures(text[part[0] : part[1]], cb.text)
        and not (shared & _hedged_stems(cb.text))
        # the same polarity: one side denying what the other states is another claim (or a
        # contradiction); both denying it ("said it never sold data" / "has never sold data")
        # is the same claim
        and bool(shared & _negative_scope(cb.text)) == bool(shared & _negative_scope(text))
    ):
        lo, hi = _covering(text, shared)
        if cue_at >= 0:
            lo, hi = min(lo, cue_at), max(hi, cue_at + len(att.cue))
        lo, hi = _widen(text, lo, hi)
        out = Hit(
            att.cue, tuple(sorted(shared)), (lo, hi), _covering(cb.text, shared), text, cb.text
        )
    if memo is not None:
        memo[key] = out
    return out


_RELATIVE_RE = re.compile(
    r",\s+(?:(?:the|a|an)\s+[^,;]*?\b)?(?:who|whom|whose|which)\b[^,;]*(?=,|;|$)"
)
# documents a report cites, by kind; a fact side naming a document of the same kind cites it
# too ("according to tax returns" / "the tax returns ... show", "the June decision found" /
# "the ruling allows")
_DOCUMENTS = [
    "returns documents records filing filings papers figures data",
    "ruling judgment decision verdict opinion",
    "report study survey poll",
    "indictment complaint",
    "statement",
]
_DOCUMENT_KIND = {w: k for k, words in enumerate(_DOCUMENTS) for w in words.split()}


def _far_subject(text: str, speaker: str, cue_at: int) -> bool:
    """Whether the speaker is named well before the cue ("KANSAS CITY, Mo. - Leaders of the
    largest civil rights group accused ..."): no post-posed frame ("..., police said")."""
    words = speaker.split()
    at = text.rfind(words[-1], 0, cue_at) if words else -1
    return at >= 0 and len(text[at:cue_at].split()) > 4


def _same_document(speaker: str, other: str) -> bool:
    words = speaker.lower().split()
    if not words or words[-1] not in _DOCUMENT_KIND:
        return False
    kind = _DOCUMENT_KIND[words[-1]]
    return any(_DOCUMENT_KIND.get(w.lower()) == kind for w in re.findall(r"[A-Za-z]+", other))


def _not_a_report(text: str, att) -> bool:
    """A cue that reports nothing here: an infinitive of purpose ("called Abbott to tell him
    about his resignation"), "maintained" with an object ("maintained regular contact"), or
    "according to" a body of data ("according to city figures", "according to data from the US
    Geological Survey"): the outlet naming where a datum comes from, not distancing itself from
    someone's claim."""
    if att.kind == "according-to" and _DATA_SOURCE_RE.search(text):
        return True
    at = text.find(att.cue)
    if at < 0:
        return False
    if re.search(r"\bto\s+$", text[:at]):
        return True
    after = text[at + len(att.cue) :]
    return CUE_FORMS.get(att.cue.lower()) == "maintain" and not re.match(r"\s*(?:that|,|$)", after)


# a clause that opens with its relative pronoun ("which burned more than 11,000 hectares", cut
# from "the 2009 Kelloway fire, which ..."): what its figure belongs to is in another claim
_RELATIVE_CLAUSE_RE = re.compile(r"\W*(?:which|who|whose|whom)\b", re.IGNORECASE)
_ADVICE_RE = re.compile(r"\b(?:should|must)\b", re.IGNORECASE)
_DATA_SOURCE_RE = re.compile(
    r"\baccording\s+to\s+(?:[\w'’.-]+\s+){0,3}?(?:figures|data|statistics|records|census)\b",
    re.IGNORECASE,
)


def _finding(g, kind, ca: Claim, cb: Claim, span_a, span_b, explanation, **extra) -> Finding:
    detail = {
        "type": kind,
        "claims": [ca.id, cb.id],
        "spans": {ca.source: span_a, cb.source: span_b},
        "explanation": explanation,
        "evidence": [{"claim": c.id, "source": c.source, "text": c.text} for c in (ca, cb)],
    }
    detail.update(extra)
    return Finding.from_detail("conflict", g.id, (ca.source, cb.source), detail)
