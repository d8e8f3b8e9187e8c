"""What a text negates or denies: negations and the predicate each governs ("not", "never",
"failed to", "stopping it from crossing"), denials and the clause they govern ("denied that",
"no trace of ... was found"), and where a predicate stands in a text (:func:`_stated_with`,
:func:`_negated_clause`). The contradiction test (:mod:`.rules`) is built on these.
"""

from __future__ import annotations

import re
from functools import lru_cache

from .scope import _SKIP, _STOP, _clause_end, _not_until, _stem, _stems_in, _tokens

_NEG_RE = re.compile(
    r"\b(?:not(?!\s+(?:only|just|merely)\b)|never|no(?!\.\s*\d)|cannot|fail(?:s|ed)?\s+to"
    r"|refus(?:e|es|ed)\s+to"
    # "stopping it from crossing", "prevented the virus from spreading": the act did not happen
    # (an act, not a habit: "kept", "stopped", "preventing", never "keeps" / "prevents")
    r"|(?:kept|(?:prevent|block)(?:ed|ing)|stop(?:ped|ping)|bar(?:red|ring))\s+"
    r"(?:(?:it|them|him|her|the|a|an|its|their|[a-z]+)\s+){1,3}?from(?=\s+\w+ing\b))\b"
    r"|n['’]t\b",
    re.IGNORECASE,
)
_DENIAL_RE = re.compile(
    r"\b(?:den(?:y|ies|ied|ying)(?=\s+(?:that|any|having|being|wrongdoing|involvement|the\s+\w*\s*"
    r"(?:reports?|claims?|allegations?|accusations?|charges?)|reports?|claims?|allegations?"
    r"|accusations?|charges?)\b)|disput(?:es|ed)\s+that|(?:reject(?:s|ed)?|dismiss(?:es|ed)?|disput(?:es|ed)|refut(?:es|ed)"
    r"|brush(?:es|ed)\s+aside)\s+(?:the\s+|a\s+)?(?:\w+(?:['’]s)?\s+){0,2}"
    r"(?:reports?|claims?|allegations?|argument|accusations?|suggestions?|assertions?)"
    r"|no\s+(?:evidence|sign|proof|trace|indication)\s+(?:of|that)"
    r"|found\s+no)\b",
    re.IGNORECASE,
)
_NO_FOUND_RE = re.compile(
    r"\bno\s+([\w\s'’-]{3,60}?)\s+(?:was|were|had\s+been|has\s+been)\s+found\b", re.IGNORECASE
)
# "not guilty" after a plea verb ("pleaded not guilty"), or "not guilty plea(s)": a plea
_PLEA_RE = re.compile(r"\s*guilty\b(?P<pleas>\s+pleas?\b)?", re.I)
_PLEADED_RE = re.compile(r"\bple(?:a|as|ad|ads|aded|ading|d)\s+(?:\w+\s+)?$", re.I)


def _predicate(text: str, end: int) -> tuple[int, int, str] | None:
    """The first content word after position ``end`` within four words (the negated word)."""
    for k, m in enumerate(re.finditer(r"[A-Za-z][A-Za-z'’-]*", text[end:])):
        if k >= 4:
            return None
        w = m.group(0).lower()
        if w in _SKIP or w in {"to", "a", "an", "the", "single", "one", "any"}:
            continue
        if w in _STOP:
            return None
        return end + m.start(), end + m.end(), _stem(w.split("-")[0])
    return None


@lru_cache(maxsize=1 << 16)
def _negated(text: str) -> tuple[tuple[int, int, int, int, str], ...]:
    """Negations in ``text``: (cue start, cue end, predicate start, predicate end, stem)."""
    out = []
    for m in _NEG_RE.finditer(text):
        if _not_until(text, m.end()):
            continue  # "not ... until": a time limit
        plea = _PLEA_RE.match(text, m.end())
        if plea and (plea.group("pleas") or _PLEADED_RE.search(text[: m.start()])):
            continue  # "pleaded not guilty", "not guilty pleas": a plea, no denial of a verdict
        p = _predicate(text, m.end())
        if p is not None:
            out.append((m.start(), m.end(), *p))
            # "did not use tear gas or resort to lathi charge": the negation covers each verb
            # joined by "or" / "nor" in its clause
            tail = text[p[1] : _clause_end(text, p[1], max_words=12)]
            # (not a noun phrase: "from moving funding to get a barrier or a wall" negates no wall)
            for o in re.finditer(r"\b(?:or|nor)\s+(?!(?:a|an|the)\b)", tail):
                q = _predicate(text, p[1] + o.end())
                if q is not None:
                    out.append((m.start(), m.end(), *q))
    return tuple(out)


def _conditional(text: str, pos: int) -> bool:
    """Whether the negation at ``pos`` is hypothetical: its clause opens with "if" / "unless" /
    "whether", or the sentence supposes ("Let's say there's no ...", "Suppose ...")."""
    cut = [m.end() for m in re.finditer(r"[.;:!?,—–“”\"]|\s-\s|--", text[:pos])]
    clause = text[cut[-1] if cut else 0 : pos].lower()
    if re.search(r"\b(?:if|unless|whether|should)\b", clause):
        return True
    if re.search(r"\b(?:that|which|who|where)\s+(?:\w+\s+){0,2}\w*$", clause):
        return True  # a restrictive relative clause ("states that do not recognize ...")
    hypothetical = r"\b(?:let['’]s\s+say|suppose|imagine|assuming)\b"
    return re.search(hypothetical, text[:pos], re.I) is not None


def _denied(text: str) -> set[str]:
    out: set[str] = set()
    for m in _DENIAL_RE.finditer(text):
        out |= _stems_in(text, m.end(), _clause_end(text, m.end()))
    for m in _NO_FOUND_RE.finditer(text):
        out |= _stems_in(text, m.start(1), m.end(1))
    return out


def _segment(text: str, pos: int, antecedent: bool = False) -> tuple[int, int]:
    """The stretch of ``text`` around ``pos`` between commas or stronger stops; with
    ``antecedent``, a relative clause reaches back to the stretch before it ("the man, who is
    identified as a student")."""
    cuts = [m.end() for m in _SEGMENT_RE.finditer(text, 0, pos)]
    lo = cuts[-1] if cuts else 0
    nxt = _SEGMENT_RE.search(text, pos)
    if antecedent and cuts and re.match(r"\s*(?:who|whom|whose|which|that)\b", text[lo:], re.I):
        lo = cuts[-2] if len(cuts) > 1 else 0
    return lo, nxt.start() if nxt else len(text)


_SEGMENT_RE = re.compile(r"[,.;:!?—–]|\s-\s|--")


def _at(text: str, stem: str) -> list[int]:
    """Where the words of ``text`` with this stem start."""
    return [x for x, _y, st in _tokens(text) if st == stem]


def _stated_with(text: str, stem: str, others) -> bool:
    """Whether ``text`` says ``stem`` of one of ``others``, in one stretch (:func:`_segment`):
    "and later released on bail, did give a blood sample for a blood-alcohol test" releases no
    test results."""
    return any(
        _stems_in(text, *_segment(text, x, antecedent=True)) & others for x in _at(text, stem)
    )


def _negated_clause(text: str, stem: str) -> bool:
    """Whether every stretch of ``text`` that holds ``stem`` also holds a negation ("an exact
    release date and a price were not given yet": the release is denied there too; not "crossed
    the river, not the bridge")."""
    at = _at(text, stem)
    return bool(at) and all(_NEG_RE.search(text, *_segment(text, x)) for x in at)


_AUXILIARY = {_stem(w) for w in _SKIP}
_DETERMINER_BEFORE = re.compile(r"\b(?:the|a|an|its|his|her|their|this|these|those)\s+$", re.I)


def _only_nouns(text: str, stem: str) -> bool:
    """Whether every word of ``text`` with this stem follows a determiner (a noun there)."""
    at = _at(text, stem)
    return bool(at) and all(_DETERMINER_BEFORE.search(text[max(0, x - 8) : x]) for x in at)
