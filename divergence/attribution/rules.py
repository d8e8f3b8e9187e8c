"""The rule-based cue finder: the attribution frame of one sentence by regular expressions.

>>> f = _rules_find("The talks were useful, Ushakov said.")
>>> (f.cue, f.kind), "The talks were useful, Ushakov said."[f.speaker_start:f.speaker_end]
(('said', 'reported'), 'Ushakov')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .affiliation import _ROLE_ANY
from .lexicon import _CUE_RE, _CUE_TAIL, _DOC_WORDS, _ORG_WORDS, _PRONOUNS, ACCOUNT_FORMS


@dataclass
class _Found:
    """A speaker span and cue found inside one claim (offsets relative to the claim)."""

    speaker_start: int
    speaker_end: int
    cue: str
    cue_start: int
    cue_end: int
    kind: str


_NP = r"((?:[\w.'’\-]+\s+){0,7}?[\w.'’\-]+)"
_ACCORDING_RE = re.compile(r"\baccording\s+to\s+([^,.;:“”\"()]{2,80}?)\s*(?=[,.;:)”\"]|$)", re.I)
_POST_RE = re.compile(
    rf"[,”\"]\s*{_NP}\s+(?:also\s+|later\s+|then\s+)?({_CUE_RE})\b{_CUE_TAIL}\s*(?=[,.;:!?]|$)",
    re.I,
)
_INV_RE = re.compile(rf"[,”\"]\s*({_CUE_RE})\s+{_NP}\s*(?=[,.;:!?]|$)", re.I)
_PRE_RE = re.compile(
    rf"^\s*(?:[^,“”\"]{{0,60}},\s*)?{_NP}(?:,[^,]{{3,60}},)?\s+"
    rf"(?:also\s+|later\s+|then\s+|on\s+\w+\s+)?({_CUE_RE})\b(?=\s+[\w“\"])",
    re.I,
)
_ACCOUNT_RE = re.compile(
    r"^\s*(?:[^,“”\"]{0,40},\s*)?((?:[Tt]he\s+|[Aa]n?\s+)?[\w.'’\-]+(?:\s+[\w.'’\-]+){0,3}?)\s+"
    r"(?:also\s+)?(" + "|".join(sorted(ACCOUNT_FORMS, key=len, reverse=True)) + r")\b"
)
_AFTER_QUOTE_RE = re.compile(rf"[,!?]?[”\"]\s*{_NP}\s+(?:also\s+)?({_CUE_RE})\b", re.I)
_STOP_SUBJ = {
    "that",
    "which",
    "who",
    "it's",
    "there",
    "what",
    "as",
    "when",
    "while",
    "if",
}


_APPOSED_NAME_RE = re.compile(r",\s*((?:[A-Z][\w.'’-]*\s+){0,4}[A-Z][\w.'’-]*)\s*,")
_ROLE_END_RE = re.compile(rf"\b{_ROLE_ANY}$")


def _plausible_subject(span: str) -> bool:
    words = span.split()
    if not words or len(words) > 8:
        return False
    low = [w.lower().strip(",") for w in words]
    if low[0] in _STOP_SUBJ or any(w in {"and", "but", "was", "is", "were", "had"} for w in low):
        return low[0] in _PRONOUNS and len(words) == 1
    return True


def _outside_quotes(text: str, pos: int) -> bool:
    depth = 0
    for ch in text[:pos]:
        if ch == "“":
            depth += 1
        elif ch == "”":
            depth = max(0, depth - 1)
    straight = text[:pos].count('"')
    return depth == 0 and straight % 2 == 0


def _fronted(text: str, f: _Found) -> bool:
    return f.kind == "according-to" and not text[: f.cue_start].strip(' “"')


def _product_recall(text: str, m: re.Match) -> bool:
    """ "recall" with no clause after it recalls a product ("will recall 14 batches"), as in
    the spaCy rules; "recalled that ..." / "recalled how ..." reports."""
    if not m.group(2).lower().startswith("recall"):
        return False
    return re.match(r"\s*(?:that|how|when|what|why|,|:|“|\")", text[m.end(2) :]) is None


def _rules_find(text: str) -> _Found | None:
    """The attribution frame in one sentence, by regular expressions (offsets into ``text``)."""
    found: list[_Found] = []
    for m in _ACCORDING_RE.finditer(text):
        if _outside_quotes(text, m.start()):
            cue_s = m.start()
            found.append(
                _Found(m.start(1), m.end(1), "according to", cue_s, cue_s + 12, "according-to")
            )
    for m in _POST_RE.finditer(text):
        if _plausible_subject(m.group(1)) and _outside_quotes(text, m.start(1)):
            found.append(_Found(m.start(1), m.end(1), m.group(2), m.start(2), m.end(2), "reported"))
    for m in _INV_RE.finditer(text):
        if _plausible_subject(m.group(2)) and _outside_quotes(text, m.start(1)):
            found.append(_Found(m.start(2), m.end(2), m.group(1), m.start(1), m.end(1), "reported"))
    for m in _AFTER_QUOTE_RE.finditer(text):
        if _plausible_subject(m.group(1)) and _outside_quotes(text, m.start(1)):
            found.append(_Found(m.start(1), m.end(1), m.group(2), m.start(2), m.end(2), "reported"))
    m = _ACCOUNT_RE.search(text)
    if m and _outside_quotes(text, m.start(1)):
        words = {w.strip(",.'’s").lower() for w in m.group(1).split()}
        words |= {w.lower() for w in m.group(1).split()}
        if words & (_ORG_WORDS | _DOC_WORDS):
            found.append(_Found(m.start(1), m.end(1), m.group(2), m.start(2), m.end(2), "reported"))
    m = _PRE_RE.search(text)
    if (
        m
        # "the said ...", and an infinitive ("directed the maker to recall"): no report
        and not re.search(r"\b(?:the|a|an|to)\s*$", text[: m.start(2)], re.I)
        and not _product_recall(text, m)
        and _plausible_subject(m.group(1))
        and _outside_quotes(text, m.start(1))
    ):
        found.append(_Found(m.start(1), m.end(1), m.group(2), m.start(2), m.end(2), "reported"))
    if not found:
        return None
    for f in found:  # a sentence-final period is not part of the name
        while f.speaker_end > f.speaker_start and text[f.speaker_end - 1] in ".,;:":
            f.speaker_end -= 1
        # "Its chairman, Justice Benedikt Oruel, said": the person named in the apposition
        # speaks (the role stays in the text before it, where the affiliation is read)
        named = _APPOSED_NAME_RE.match(text, f.speaker_end)
        if (
            named
            and f.speaker_end <= f.cue_start
            and _ROLE_END_RE.search(text[f.speaker_start : f.speaker_end])
        ):
            f.speaker_start, f.speaker_end = named.start(1), named.end(1)
    # a fronted "According to X," scopes over the whole sentence; otherwise prefer reporting
    # verbs over "according to", then the last frame in the sentence
    found.sort(key=lambda f: (_fronted(text, f), f.kind == "reported", f.cue_start))
    return found[-1]
