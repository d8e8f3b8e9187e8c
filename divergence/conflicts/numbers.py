"""The number test on a pair of texts: two quantities that count the same thing and disagree.

>>> x, y = number_conflict("Five people died.", "Seven people died.")
>>> (x.text, y.text)
('Five', 'Seven')
"""

from __future__ import annotations

import re

from .quantity import Quantity, _comparable, quantities
from .scope import _scoped

_RANGE_RE = re.compile(
    r"\d[\d,.]*\s*(?:-|–|to|in|-in-|out\s+of)\s*(?:\d|one|two|three|four|five|ten)"
    r"|(?:one|two|three|four|five|\d+)-in-",
    re.IGNORECASE,
)


def _ranged(text: str, q: Quantity) -> bool:
    """Whether a number is one end of a range or odds ("40-60 hours", "1 in 3 chance")."""
    around = text[max(0, q.start - 12) : q.end + 12]
    return _RANGE_RE.search(around) is not None


def _plain_values(text: str) -> list[float]:
    """Figures of ``text`` that no parsed quantity holds (bare: "compared to 47")."""
    spans = [(q.start, q.end) for q in quantities(text)]
    out = []
    for m in re.finditer(r"\d[\d,]*(?:\.\d+)?", text):
        raw = m.group(0).replace(",", "")
        if raw.replace(".", "", 1).isdigit() and not any(a <= m.start() < b for a, b in spans):
            out.append(float(raw))
    return out


_VAGUE_WORDS = {"dozens", "scores", "hundreds", "thousands", "millions"}


def number_conflict(a: str, b: str) -> tuple[Quantity, Quantity] | None:
    """A pair of comparable quantities, one from each text, where each has no match in the
    other text (so "2016 and 2020" vs "2020" is no conflict). Comparable: the same kind, the
    same thing counted (:func:`divergence.conflicts.quantity._comparable`: deaths vs deaths,
    never deaths vs injuries) and, for dates and years, shared words around both.

    >>> number_conflict("more than 3,700 people", "over 3,700 people") is None
    True
    >>> q = number_conflict("tens of thousands of troops", "some 300,000 troops")
    >>> (q[0].text, q[1].text)
    ('tens of thousands', 'some 300,000')
    >>> number_conflict("tens of thousands of troops", "some 95,000 troops") is None
    True
    >>> number_conflict("four people were killed and 20 injured", "20 people died") is not None
    True
    >>> number_conflict("four people were killed", "40 people were injured") is None
    True
    """
    qa, qb = (
        [q for q in quantities(a) if not _ranged(a, q)],
        [q for q in quantities(b) if not _ranged(b, q)],
    )
    plain_a, plain_b = _plain_values(a), _plain_values(b)

    def ok(x: Quantity, y: Quantity, tx: str, ty: str) -> bool:
        if not _comparable(x, y):
            return False
        if x.kind in {"date", "year"}:  # a date of the same thing: shared words around both
            return len(_scoped(tx, x.start, x.end, 5) & _scoped(ty, y.start, y.end, 5)) >= 1
        return True

    def vague(q: Quantity) -> bool:
        return q.text.lower().split()[-1] in _VAGUE_WORDS

    for x in qa:
        # two vague amounts ("thousands of dollars" / "tens of thousands of dollars") give orders
        # of magnitude, often of different parts of a whole: no disagreement to report
        cands = [y for y in qb if ok(x, y, a, b) and not (vague(x) and vague(y))]
        if not cands or any(x.overlaps(y) for y in cands):
            continue
        if any(x.low <= v <= x.high for v in plain_b):
            continue  # b writes the same figure, counted or not ("compared to 47 the night before")
        for y in cands:
            back = [z for z in qa if ok(y, z, b, a)]
            if any(y.low <= v <= y.high for v in plain_a):
                continue
            if not any(y.overlaps(z) for z in back):
                return x, y
    return None
