"""What a figure measures, from the words around it: the event it counts (deaths, injuries,
arrests, ...) and whether a percentage is a change or a share. Used by :mod:`.quantity` when it
reads a number; no other module of the package is imported here.

>>> _measure("killing at least four people", 16, 20)
'death'
"""

from __future__ import annotations

import re

# where a number's clause ends, for both tests: punctuation, "and", "while"
_CLAUSE_BREAK = re.compile(r"[,;:.()—–]|\band\b|\bwhile\b")
_MEASURES = {
    "death": r"kill\w*|dead|deaths?|died|dies|die|fatalit\w+|perished|lives|bodies|death\s+toll",
    "injury": r"injur\w*|wounded|hurt|hospitali[sz]ed|hospital|treated",
    "arrest": r"arrest\w*|detain\w*|detention|custody",
    "missing": r"missing|unaccounted",
    "evacuation": r"evacuat\w*|displaced|fled|homeless|forced\s+(?:from|out)|left\s+their\s+homes",
    "capacity": r"capacity|seating",
    "aboard": r"passengers?|aboard|on\s+board",
}
_MEASURE_RE = re.compile(
    "|".join(f"(?P<{k}>\\b(?:{v})\\b)" for k, v in _MEASURES.items()), re.IGNORECASE
)


def _measure(text: str, start: int, end: int) -> str:
    """What a number counts, judged by the nearest event word in its clause: up to three words
    before it or seven after, not across a comma or a clause break ("killing at least four
    people" -> death; "four people, injuring more than 20" -> 20 is injury).

    >>> _measure("killing at least four people, injuring more than 20", 16, 20)
    'death'
    >>> _measure("killing at least four people, injuring more than 20", 40, 52)
    'injury'
    """
    # an apposition does not end the number's clause: "19 persons, including three children,
    # were killed"
    rest = re.sub(r"^(\s*[\w-]+)?\s*,\s*(?:including|among\s+them)\b[^,;.]*,", r"\1", text[end:])
    after = _CLAUSE_BREAK.split(rest, maxsplit=1)[0]
    after = " ".join(after.split()[:7])
    before = _CLAUSE_BREAK.split(text[:start])[-1]
    before = " ".join(before.split()[-3:])
    hits = [(0, m.lastgroup) for m in _MEASURE_RE.finditer(after)][:1]
    hits += [(1, m.lastgroup) for m in _MEASURE_RE.finditer(before)][-1:]
    return hits[0][1] if hits else ""


_CHANGE_RE = re.compile(
    r"\b(?:cuts?|reduc\w+|increas\w+|ris(?:e|es|en|ing)|rose|drop\w*|f[ae]ll\w*|declin\w+|"
    r"decreas\w+|growth|grew|gains?|loss|losses|lost|rais\w+|hikes?|jump\w*|slump\w*|"
    r"soar\w*|plung\w*)\b",
    re.IGNORECASE,
)


def _change(text: str, start: int, end: int) -> str:
    """``"change"`` when a percentage is a change ("a 23 percent cut", "rose 5 percent") rather
    than a share ("77 percent of benefits"): a change word in its clause, three words before it
    or four after (the same clause bounds as :func:`_measure`).

    >>> _change("seniors would face a 23 percent cut in benefits", 21, 23)
    'change'
    >>> _change("it will pay 77 percent of promised benefits", 12, 14)
    ''
    """
    after = _CLAUSE_BREAK.split(text[end:], maxsplit=1)[0]
    before = _CLAUSE_BREAK.split(text[:start])[-1]
    window = " ".join(before.split()[-3:] + after.split()[:4])
    return "change" if _CHANGE_RE.search(window) else ""
