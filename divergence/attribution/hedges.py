"""Hedges: distancing markers ("alleged", "reports of", scare quotes) inside one claim.

>>> [h[2] for h in find_hedges("Russia's alleged role and reports of bounties.")]
['alleged', 'reports of']
"""

from __future__ import annotations

import re
from functools import lru_cache

from .lexicon import _CUE_RE

_HEDGE_PATTERNS = [
    r"\balleged(?:ly)?\b",
    r"\ballegations?\b",
    r"\breportedly\b",
    r"\bpurported(?:ly)?\b",
    r"\bsupposed(?:ly)?\b",
    r"\bso-called\b",
    r"\bunconfirmed\b",
    r"\bunverified\b",
    r"\brumou?red\b",
    # not a report's relative clause ("a DNA report that showed ..."): it cites, not hedges
    r"\breports?\s+(?:of|that(?!\s+(?:show|find|found|reveal|conclude|said|say)\w*\b))\b",
    r"\b\w+\s+reports\b(?=\s+(?:on|about)\b)",
    r"\bclaim(?:s|ed)?\s+(?:that\b)?",
    r"\bclaims?\s+(?:of|about)\b",
    r"\baccus(?:ed|es|ing|ations?)\b(?:\s+of\b)?",
    r"\bblam(?:es|ed|ing|e)\b(?:\s+\w+){0,3}?\s+(?:on|for)\b",
    r"\battributed\s+to\b",
    r"\bsuspected\b",
    r"\b(?:said|believed|thought|understood)\s+to\s+(?:be|have)\b",
    r"\bden(?:y|ies|ied)\b",
    r"\bspeculat(?:ed|es|ion)\s+(?:that\b)?",
    r"\b(?:falsely|wrongly|erroneously|incorrectly|baselessly|without\s+evidence)\b",
    r"\b(?:theory|contention|argument)\s+(?:is|was)\s+that\b",
]
_HEDGE_RE = re.compile("|".join(f"(?:{p})" for p in _HEDGE_PATTERNS), re.IGNORECASE)
_QUOTED_RE = re.compile(
    r"“([^“”]{1,40})”|\"([^\"]{1,40})\"|(?<!\w)‘([^‘’]{1,40})’(?!\w)|(?<!\w)'([^']{1,40})'(?!\w)"
)
_WORD_RE = re.compile(r"[A-Za-z][\w'’\-]*|\d[\d,.]*")


def find_hedges(text: str) -> list[tuple[int, int, str]]:
    """Distancing markers in ``text`` as ``(start, end, label)``; ``label`` is the matched text,
    or ``scare quotes: “x”`` for a short quoted fragment that no reporting verb introduces.

    >>> [h[2] for h in find_hedges("Russia's alleged role and reports of bounties.")]
    ['alleged', 'reports of']
    >>> [h[2] for h in find_hedges('He ruled out a "reset" in ties.')]
    ['scare quotes: “reset”']
    >>> find_hedges('"We will respond firmly," she said.')
    []
    >>> find_hedges("They presented a DNA report that showed he was the father.")
    []
    """
    return list(_hedges(text))


@lru_cache(maxsize=1 << 16)
def _hedges(text: str) -> tuple[tuple[int, int, str], ...]:
    # memoised: conflict detection asks again for every pair a claim is in
    out = []
    for m in _HEDGE_RE.finditer(text):
        if re.search(
            r"\b(?:no|not\s+any|never\s+any)\s+$", text[max(0, m.start() - 15) : m.start()], re.I
        ):
            continue  # "no reports of harm have been received": a negation, not a hedge
        out.append((m.start(), m.end(), " ".join(m.group(0).split()).lower()))
    for m in _QUOTED_RE.finditer(text):
        inner = next(g for g in m.groups() if g is not None).strip()
        words = _WORD_RE.findall(inner)
        if not 1 <= len(words) <= 3 or inner[-1:] in ".,!?":
            continue
        near = text[max(0, m.start() - 25) : m.start()] + " " + text[m.end() : m.end() + 25]
        if (
            re.search(rf"\b(?:{_CUE_RE})\b", near, re.IGNORECASE)
            and re.search(r"\b(?:as|of)\s+(?:an?|the)?\s*$", text[: m.start()]) is None
        ):
            # a quotation introduced by a reporting verb is a quote, not a scare quote,
            # unless it names a thing ("described it as a 'working conversation'")
            if not re.search(r"\bas\s*$", text[max(0, m.start() - 6) : m.start()]):
                continue
        out.append((m.start(), m.end(), f"scare quotes: “{inner}”"))
    out.sort()
    return tuple(out)
