"""Conflict findings for aligned groups: the first disagreeing pair of each group and type.

>>> from divergence.records import Claim, ClaimGroup
>>> a = Claim("a#0", "a", "Five people died.", 0, 17, 0, 0.0)
>>> b = Claim("b#0", "b", "Seven people died.", 0, 18, 0, 0.0)
>>> g = ClaimGroup("g0", ("a#0", "b#0"), ("a", "b"), ())
>>> [f.detail["type"] for f in find_conflicts([g], {"a#0": a, "b#0": b})]
['number']
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import combinations
from typing import Any

from ..records import Claim, ClaimGroup, Finding
from .quantity import _WORD
from .rules import _stem, attribution_shift, contradiction, number_conflict


def find_conflicts(
    groups: Sequence[ClaimGroup],
    claims: dict[str, Claim],
    *,
    types: Sequence[str] = ("number", "attribution", "contradiction"),
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
    for g in groups:
        if len(g.sources) < 2:
            continue
        members = sorted((claims[c] for c in g.claims), key=lambda c: (c.source, c.index))
        done: set[str] = set()
        # (text a, text b, a's source sorts first) of ordered pairs that found nothing in this
        # group: ``done`` only grows, so the same texts cannot find anything later either
        nothing: set[tuple[str, str, bool]] = set()
        for x, y in combinations(members, 2):
            if done >= wanted:
                break  # every test below is skipped for a type already in ``done``
            if x.source == y.source:
                continue
            for ca, cb in ((x, y), (y, x)):
                key = (ca.text, cb.text, ca.source < cb.source)
                if key in nothing:
                    continue
                f = _pair_conflict(g, ca, cb, types, done, memo)
                if f is None:
                    nothing.add(key)
                else:
                    done.add(f.detail["type"])
                    findings.append(f)
    return findings


def _memo(memo: dict | None, test, a: str, b: str):
    """``test(a, b)``, looked up in ``memo`` first (None: no memo)."""
    if memo is None:
        return test(a, b)
    key = (test, a, b)
    if key not in memo:
        memo[key] = test(a, b)
    return memo[key]


def _pair_conflict(
    g, ca: Claim, cb: Claim, types, done, memo: dict | None = None
) -> Finding | None:
    if "number" in types and "number" not in done and ca.source < cb.source:
        q = _memo(memo, number_conflict, ca.text, cb.text)
        if q:
            return _finding(
                g,
                "number",
                ca,
                cb,
                q[0].text,
                q[1].text,
                f"{ca.source} says “{q[0].text}” where {cb.source} says “{q[1].text}”"
                + (f" ({q[0].unit})" if q[0].unit else ""),
            )
    if "attribution" in types and "attribution" not in done:
        h = _memo(memo, attribution_shift, ca.text, cb.text)
        if h:
            return _finding(
                g,
                "attribution",
                ca,
                cb,
                _window(ca.text, h[0]),
                _covering(cb.text, h[1]),
                f"{ca.source} distances itself (“{h[0]}”) from what {cb.source} states as fact "
                f"({h[1]})",
            )
    if "contradiction" in types and "contradiction" not in done:
        c = _memo(memo, contradiction, ca.text, cb.text)
        if c:
            return _finding(
                g,
                "contradiction",
                ca,
                cb,
                _window(ca.text, c[0]),
                _covering(cb.text, c[1]),
                f"{ca.source} says “{c[0]}” about what {cb.source} states ({c[1]})",
            )
    return None


def _window(text: str, needle: str, width: int = 60) -> str:
    """About ``width`` characters either side of ``needle``, cut at word boundaries."""
    k = text.lower().find(needle.lower().split(" / ")[0])
    if k < 0:
        k, needle = 0, ""
    lo, hi = max(0, k - width), min(len(text), k + len(needle) + width)
    while lo > 0 and not text[lo - 1].isspace():
        lo -= 1
    while hi < len(text) and not text[hi].isspace():
        hi += 1
    return text[lo:hi].strip()


def _covering(text: str, shared: str, limit: int = 200) -> str:
    """The stretch of ``text`` from the first to the last of the ``shared`` words it holds."""
    words = set(shared.split(", "))
    hits = [m for m in _WORD.finditer(text) if _stem(m.group(0)) in words]
    if not hits:
        return _window(text, "")
    lo, hi = hits[0].start(), hits[-1].end()
    if hi - lo > limit:
        hi = lo + limit
        while hi < len(text) and not text[hi].isspace():
            hi += 1
    return text[lo:hi].strip()


def _finding(g, kind, ca: Claim, cb: Claim, span_a, span_b, explanation) -> Finding:
    return Finding(
        "conflict",
        g.id,
        (ca.source, cb.source),
        {
            "type": kind,
            "claims": [ca.id, cb.id],
            "spans": {ca.source: span_a, cb.source: span_b},
            "explanation": explanation,
            "evidence": [{"claim": c.id, "source": c.source, "text": c.text} for c in (ca, cb)],
        },
    )
