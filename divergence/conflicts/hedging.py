"""Hedges over a text: the words each distancing marker governs ("alleged" over the noun phrase
after it, "reportedly" over its clause, "accused X of Y" over Y, "claims" over its clause but not
"claimed the prize").

>>> text = "He was accused of spending $750,000 on personal items."
>>> s, e, label = find_hedges(text)[0]
>>> text[slice(*_hedge_scope(text, s, e, label))].strip()
'spending $750,000 on personal items'
"""

from __future__ import annotations

import re

from ..attribution import find_hedges
from .scope import _clause_end, _clause_start, _stem, _stems_in

_PRENOMINAL = re.compile(
    r"alleged|purported|supposed|so-called|unconfirmed|unverified|rumou?red|suspected"
)
_PREP = {"to", "by", "in", "on", "at", "for", "from", "with", "of", "into", "as"}
_ADVERB = re.compile(r"allegedly|reportedly|purportedly|supposedly")


# an adverb hedge after these sits inside a noun phrase ("of allegedly abusive priests")
_PRENOMINAL_RE = re.compile(r"\b(?:of|the|a|an|his|her|their|its)\s+$", re.I)
_NP_END = (
    "who|which|that|and|or|but|in|on|at|by|for|with|from|to|of|was|were|is|are|had|has|have|"
    "said|says"
)

# nouns that make "claims" claims filed ("unemployment claims", "insurance claims")
_FILED_RE = re.compile(
    r"\b(?:unemployment|jobless|insurance|benefits?|disability|compensation|damages?|injury|"
    r"warranty|expense|tax|patent|asbestos|liability|medical|welfare|pension|refund|land|"
    r"territorial|class-action|veterans'?|customs)\s+$",
    re.I,
)


def _modifiers(text: str, s: int) -> tuple[int, int] | None:
    """The up to three words of its clause before a hedge word at ``s`` (what a bare noun
    hedges: "harassment allegations", "murder claim over ..."); None when there are none."""
    lo = _clause_start(text, s)
    before = list(re.finditer(r"[\w'’-]+", text[lo:s]))[-3:]
    return (lo + before[0].start(), s) if before else None


def _hedge_scope(text: str, s: int, e: int, label: str) -> tuple[int, int] | None:
    """The characters a hedge governs (None: it governs nothing checkable)."""
    if label.startswith("scare quotes"):
        inner = text[s + 1 : e - 1]
        if inner[:1].isupper() or not re.search(r"[a-z]", inner):
            return None  # a quoted title or name ("Fox & Friends"), not a distanced word
        return s + 1, e - 1
    if _PRENOMINAL.fullmatch(label) and re.match(r"\s+that\b", text[e:]):
        return e, _clause_end(text, e)  # "alleged that ...": a verb over its clause
    if (
        _PRENOMINAL.fullmatch(label)
        and re.match(r"\s+(?:in|over|after)\b", text[e:])
        and re.search(r"[A-Za-z]\w*\s+$", text[:s])
        and not re.search(r"\b(?:the|a|an|his|her|its|their|two|three)\s+$", text[:s], re.I)
    ):
        # after its noun, before a preposition: "Arson suspected in fire that destroyed ..."
        # hedges the arson, not the fire
        return _modifiers(text, s)
    if _PRENOMINAL.fullmatch(label):
        stop = _clause_end(text, e)
        comma = text.find(",", e, stop)  # "After the alleged incident, the man ...": its noun
        nxt = list(re.finditer(r"[\w'’-]+", text[e : comma if comma >= 0 else stop]))[:5]
        for k in range(1, len(nxt) - 1):
            # "a suspected Mafia leader committed suicide": the noun phrase ends before the
            # verb with an object ("the alleged bribe paid to the mayor" keeps its participle)
            if nxt[k].group(0).endswith("ed") and nxt[k + 1].group(0).lower() not in _PREP:
                nxt = nxt[:k]
                break
        return (e, e + nxt[-1].end()) if nxt else None
    if re.fullmatch(r"(?:said|believed|thought|understood) to (?:be|have)", label):
        nxt = list(re.finditer(r"[\w'’-]+", text[e : _clause_end(text, e)]))[:5]
        return (e, e + nxt[-1].end()) if nxt else None
    if label.startswith("accus"):  # "accused X of Y": Y is what is alleged
        # the first "of" not before a name ("accused Senator Schumer of New York, the leader,
        # of capitulating")
        m = re.compile(r"\bof\b(?!\s+[A-Z])").search(text, e - 2, _clause_end(text, e, 40))
        return (m.end(), _clause_end(text, m.end())) if m else None
    if _ADVERB.fullmatch(label):
        if _PRENOMINAL_RE.search(text[:s]) and not re.match(r"\s+\w+ing\b", text[e:]):
            # "his handling of allegedly abusive priests": it governs the noun phrase, as
            # "alleged" does (before a gerund, "for allegedly drinking", it governs a clause)
            m = re.match(
                r"(?:\s+[\w'’-]+){1,4}?(?=\s+(?:" + _NP_END + r")\b|\s*[,.;:)]|$)", text[e:]
            )
            return (e, e + m.end()) if m else None
        lo, hi = _clause_start(text, s), _clause_end(text, e)
        comma = text.find(",", e, hi)
        if text[:lo].rstrip().endswith(",") and comma >= 0:
            hi = comma  # a parenthetical: "the robbers, some reportedly in drag, entered ..."
        return lo, hi
    if re.match(r"(?:speculat|theory|contention|argument)", label):
        return e, _clause_end(text, e)  # "many have speculated that ...": the clause after
    if label.startswith("claim"):
        if _FILED_RE.search(text[max(0, s - 30) : s]):
            return None  # "jobless claims", "insurance claims": claims filed, no distancing
        if re.match(r"\s*by\b", text[e:]):
            return None  # "Kashmir is claimed by both India and Pakistan": owned, not hedged
        if re.match(r"\s*(?:over|about|regarding|surrounding)\b", text[e:]):
            # "Murder claim over Diana's death": the claim is its modifiers, not what it is about
            return _modifiers(text, s)
        if re.match(
            r"\s*(?:the|a|an|another|his|her|their|its)\b(?!(?:\s+\S+){0,5}?\s+"
            r"(?:is|are|was|were|had|has|have|would|will|could|did)\b)",
            text[e:],
        ):
            return None  # "claimed the summer's top prize", "claimed another coach": took, won
        # "class-action claims.", "a backlog of claims for veterans" are claims filed, no
        # distancing word ("claims of vote-rigging", "claims to have seen" are)
        if re.match(
            r"\s*(?:[.;:)]|$|(?:for|from|against|under|filed|made)\b|to\b(?!\s+(?:be|have)\b))",
            text[e:],
        ):
            return None
        if re.match(r"\s*(?:it|he|she|they|we|its|his|her|their|the|a|an|[A-Z]\w*)\b", text[e:]):
            return e, _clause_end(text, e)  # "Halcyra claims it scrapped ...": its clause
    if re.fullmatch(r"(?:allegations?|accusations?)", label) and re.match(
        r"\s+(?:that|of|against)\b", text[e:]
    ):
        return e, _clause_end(text, e)
    if re.fullmatch(r"(?:allegations?|accusations?)", label):
        return _modifiers(text, s)  # a bare noun: "harassment allegations"
    if label.startswith(("blam", "attributed")):
        # "the poisoning that he blames on the Kremlin": the blamed thing may precede the cue
        before = list(re.finditer(r"[\w'’-]+", text[:s]))[-4:]
        return (before[0].start() if before else s), _clause_end(text, e)
    return s, _clause_end(text, e)


def _hedge_regions(text: str) -> list[tuple[int, int]]:
    out = []
    for s, e, label in find_hedges(text):
        scope = None if label.startswith("scare") else _hedge_scope(text, s, e, label)
        if scope is not None:
            out.append((min(s, scope[0]), max(e, scope[1])))
    return out


def _hedged_stems(text: str) -> set[str]:
    out: set[str] = set()
    for s, e, label in find_hedges(text):
        scope = _hedge_scope(text, s, e, label)
        if scope is not None:  # the words it governs, not the hedge word itself
            out |= _stems_in(text, *scope) - {_stem(label.split()[0])}
    return out
