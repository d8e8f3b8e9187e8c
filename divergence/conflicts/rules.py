"""The three conflict tests on a pair of texts: numbers, attribution shifts, contradictions.

>>> contradiction("The minister did not sign the treaty.", "The minister signed the treaty.")
('not', 'minister, sign, treaty')
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..attribution import find_hedges
from .quantity import _STOP, _WORD, Quantity, _comparable, quantities


def number_conflict(a: str, b: str) -> tuple[Quantity, Quantity] | None:
    """A pair of comparable quantities, one from each text, where each has no match in the
    other text (so "2016 and 2020" vs "2020" is no conflict).

    >>> number_conflict("more than 3,700 people", "over 3,700 people") is None
    True
    >>> q = number_conflict("tens of thousands of troops", "some 300,000 troops")
    >>> (q[0].text, q[1].text)
    ('tens of thousands', 'some 300,000')
    >>> number_conflict("tens of thousands of troops", "some 95,000 troops") is None
    True
    """
    qa, qb = quantities(a), quantities(b)
    for x in qa:
        cands = [y for y in qb if _comparable(x, y)]
        if not cands or any(x.overlaps(y) for y in cands):
            continue
        for y in cands:
            back = [z for z in qa if _comparable(y, z)]
            if not any(y.overlaps(z) for z in back):
                return x, y
    return None


@lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    """Lower case, possessive and common inflections dropped: "Kremlin's" -> "kremlin",
    "signed" -> "sign", "troops" -> "troop"."""
    w = re.sub(r"['’]s?$", "", word.lower())
    for suffix in ("ing", "ed", "es", "s"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4 and not w.endswith("ss"):
            return w[: -len(suffix)]
    return w


@lru_cache(maxsize=1 << 16)
def _content(text: str) -> frozenset[str]:
    return frozenset(
        _stem(w) for w in _WORD.findall(text.replace("-", " ")) if w.lower() not in _STOP
    )


@lru_cache(maxsize=1 << 16)
def _scoped(text: str, start: int, end: int, window: int = 6) -> frozenset[str]:
    words = list(_WORD.finditer(text))
    idx = [k for k, m in enumerate(words) if m.start() < end and m.end() > start]
    if not idx:
        return frozenset()
    lo, hi = max(0, idx[0] - window), min(len(words), idx[-1] + window + 1)
    return frozenset(
        _stem(m.group(0))
        for m in words[lo:hi]
        if m.group(0).lower() not in _STOP and not (m.start() < end and m.end() > start)
    )


def attribution_shift(a: str, b: str) -> tuple[str, str] | None:
    """``(hedge in a, shared words)`` when ``a`` hedges content that ``b`` states unhedged.

    >>> attribution_shift("poisoning that he blames on the Kremlin", "the Kremlin's poisoning")
    ('blames on', 'kremlin, poison')
    >>> attribution_shift("the alleged bribe", "the alleged bribe") is None
    True
    """
    hb = find_hedges(b)
    cb = _content(b)
    for s, e, label in find_hedges(a):
        if label.startswith("den"):
            continue  # a denial is a contradiction cue, not a hedge on the other's words
        shared = _scoped(a, s, e) & cb
        if len(shared) < 2:
            continue
        if any(_scoped(b, s2, e2) & shared for s2, e2, _ in hb):
            continue
        return label, ", ".join(sorted(shared))
    return None


_NEG_RE = re.compile(
    r"\b(?:not|never|no|n't|without|den(?:y|ies|ied)|reject(?:s|ed)?|refus(?:e|es|ed)"
    r"|fail(?:s|ed)?\s+to|unavailable)\b|n't\b",
    re.IGNORECASE,
)
_ANTONYMS = [
    ("agreed", "refused"),
    ("accepted", "rejected"),
    ("confirmed", "denied"),
    ("approved", "rejected"),
    ("increased", "decreased"),
    ("rose", "fell"),
    ("won", "lost"),
    ("allowed", "banned"),
    ("available", "unavailable"),
    ("released", "withheld"),
    ("before", "after"),
]


def contradiction(a: str, b: str) -> tuple[str, str] | None:
    """``(cue, shared words)`` when ``a`` negates content that ``b`` states positively, or the
    two use antonyms around shared content.

    >>> contradiction("The minister did not sign the treaty.", "The minister signed the treaty.")
    ('not', 'minister, sign, treaty')
    >>> contradiction("Talks were held.", "Talks were held.") is None
    True
    """
    cb = _content(b)
    neg_b = [(m.start(), m.end()) for m in _NEG_RE.finditer(b)]
    for m in _NEG_RE.finditer(a):
        shared = _scoped(a, m.start(), m.end()) & cb
        if len(shared) < 2:
            continue
        if any(_scoped(b, s, e) & shared for s, e in neg_b):
            continue
        return m.group(0).lower(), ", ".join(sorted(shared))
    wa, wb = _antonym_spans(a), _antonym_spans(b)
    if not wa or not wb:
        return None
    for x, y in _ANTONYMS:
        for p, q in ((x, y), (y, x)):
            if p in wa and q in wb:
                (sa, ea), (sb, eb) = wa[p], wb[q]
                shared = _scoped(a, sa, ea) & _scoped(b, sb, eb)
                if len(shared) >= 2:
                    return f"{p} / {q}", ", ".join(sorted(shared))
    return None


@lru_cache(maxsize=1 << 16)
def _antonym_spans(text: str) -> dict[str, tuple[int, int]]:
    """First position of each antonym-list word in ``text`` (case-insensitive, whole words);
    memoised, as conflict detection meets each claim once per other member of its group."""
    # one scan for all the words: whole-word matches of different words cannot overlap, so
    # each word's first match is the one a search for that word alone would find
    spans: dict[str, tuple[int, int]] = {}
    for m in _ANTONYM_RE.finditer(text.lower()):
        spans.setdefault(m.group(0), (m.start(), m.end()))
    return spans


_ANTONYM_RE = re.compile(r"\b(?:" + "|".join(w for pair in _ANTONYMS for w in pair) + r")\b")
