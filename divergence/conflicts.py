"""Conflicts inside aligned groups: numbers, attribution shifts, contradictions.

    >>> [(q.low, q.high, q.unit) for q in quantities("more than 3,700 people were arrested")]
    [(3650.0, inf, 'people')]
    >>> [(q.low, q.high) for q in quantities("some 1,00,000 troops")]
    [(90000.0, 110000.0)]
    >>> [(q.low, q.high) for q in quantities("3,700 people")]
    [(3650.0, 3750.0)]
    >>> [(q.low, q.high) for q in quantities("tens of thousands of troops")]
    [(10000.0, 99999.0)]
    >>> [(q.kind, q.low, q.unit) for q in quantities("arrested on Jan. 17 after a five-year term")]
    [('date', 117.0, ''), ('quantity', 5.0, 'year')]

A finding of kind ``conflict`` is made for a group when two of its sources disagree:

* ``number``: both state a quantity of the same kind (a date; a duration in the same unit; a
  count of the same thing, judged by a shared word in the noun after the number) and the two
  intervals do not overlap. Each quantity is an interval: exact figures carry their rounding
  ("3,700" is 3,650-3,750, at most +-5%), approximators replace that with their own band
  ("about"/"some" +-10%, "nearly" -10%),
  "more than"/"over" open it upwards, "tens of thousands" is 10,000-99,999. Indian digit
  grouping ("1,00,000") is read as the number it writes.
* ``attribution``: one source hedges or distances content ("alleged", "reports of", "blames ...
  on", "claimed") that another states without a hedge. The hedge counts only when words near it
  (its scope: six words either side) also occur in the other source's claim, so the hedge is on
  shared content.
* ``contradiction``: one source negates ("not", "never", "no", "denied", "rejected") or uses the
  antonym of a predicate ("agreed"/"refused", "accepted"/"rejected") that the other states
  positively, with shared content in the negation's scope. No natural-language-inference model
  with weights installable from PyPI is used (none ships its weights there); this is a cue rule.

The rules are written from the definitions above and unit-tested on hand-made sentences
(``tests/test_conflicts.py``), not fitted to the seed gold.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import combinations
from typing import Any

from .attribution import find_hedges
from .records import Claim, ClaimGroup, Finding

_SMALL = {
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
    "a dozen": 12,
    "a hundred": 100,
    "a thousand": 1000,
}
_SCALE = {"hundred": 100, "thousand": 1_000, "million": 1_000_000, "billion": 1_000_000_000}
# vague plurals: lower and upper bound
_VAGUE = {
    "dozens": (24, 99),
    "scores": (40, 99),
    "hundreds": (200, 999),
    "thousands": (2_000, 9_999),
    "tens of thousands": (10_000, 99_999),
    "hundreds of thousands": (200_000, 999_999),
    "millions": (2_000_000, 9_999_999),
}
_MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("jan", "january"),
            ("feb", "february"),
            ("mar", "march"),
            ("apr", "april"),
            ("may",),
            ("jun", "june"),
            ("jul", "july"),
            ("aug", "august"),
            ("sep", "sept", "september"),
            ("oct", "october"),
            ("nov", "november"),
            ("dec", "december"),
        ],
        start=1,
    )
    for m in names
}
_UNITS_TIME = {
    "second": 1 / 3600,
    "minute": 1 / 60,
    "hour": 1,
    "day": 24,
    "week": 168,
    "month": 730,
    "year": 8760,
}
_APPROX_UP = r"more\s+than|over|at\s+least|upwards\s+of|in\s+excess\s+of"
_APPROX_DOWN = r"less\s+than|fewer\s+than|under|up\s+to|at\s+most"
_APPROX_NEAR = r"nearly|almost|just\s+under"
_APPROX = r"about|around|some|roughly|approximately|an\s+estimated|estimated|close\s+to|nearly"
_WORDNUM = "|".join(sorted(_SMALL, key=len, reverse=True))
_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_NUM_RE = re.compile(
    rf"(?:(?P<mod>{_APPROX_UP}|{_APPROX_DOWN}|{_APPROX_NEAR}|{_APPROX})\s+)?"
    rf"(?:(?P<vague>tens\s+of\s+thousands|hundreds\s+of\s+thousands|dozens|scores|hundreds"
    rf"|thousands|millions)"
    rf"|(?P<digits>\d{{1,3}}(?:,\d{{2,3}})+(?:\.\d+)?|\d+(?:\.\d+)?)"
    rf"|(?P<word>{_WORDNUM}))"
    rf"(?:\s*(?P<scale>hundred|thousand|million|billion|bn|m)\b)?"
    rf"(?P<hyphen>-)?",
    re.IGNORECASE,
)
# Every _NUM_RE match contains one of these (its number core), so a text without any has no
# match: a cheaper scan than _NUM_RE's (which tries its approximators at every position).
_NUM_CORE_RE = re.compile(
    rf"\d|{_WORDNUM}|dozens|scores|hundreds|thousands|millions", re.IGNORECASE
)
_DATE_RE = re.compile(
    rf"\b(?:(?P<m1>{_MONTH_RE})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\b"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_MONTH_RE})\b\.?)",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z][A-Za-z\-'’]*")
_PLURALS = {"people", "police", "personnel", "children", "men", "women", "staff", "cattle"}
_STOP = set(
    "a an the of in on at to for from by with and or but as is was were be been being are has "
    "have had that this these those it its his her their they he she we i you which who whom "
    "what when where while will would could should may might can also not no more than over "
    "them us him me those these ones "
    "about some said says told according after before during into across".split()
)


@dataclass(frozen=True)
class Quantity:
    """A number, date or vague amount found in a text, as an interval ``[low, high]``."""

    kind: str  # quantity | date | year
    low: float
    high: float
    unit: str  # the noun after the number ("people"), a time unit, or "" for dates
    start: int
    end: int
    text: str

    def overlaps(self, other: Quantity) -> bool:
        return self.low <= other.high and other.low <= self.high


def _singular(word: str) -> str:
    w = word.lower()
    if w.endswith("ies") and len(w) > 4:
        return w[:-3] + "y"
    if w.endswith("s") and not w.endswith("ss") and len(w) > 3:
        return w[:-1]
    return w


def _rounding(digits: str) -> float:
    """Half a unit of the last significant digit of a written integer: 3,700 -> 50."""
    plain = digits.replace(",", "")
    if "." in plain:
        return 0.5 * 10 ** -(len(plain.split(".")[1]))
    zeros = len(plain) - len(plain.rstrip("0"))
    half = 0.5 * 10**zeros if zeros and plain.strip("0") else 0.5
    return min(half, 0.05 * float(plain))


def _unit_after(text: str, end: int) -> str:
    """The words after a number up to a function word or punctuation ("Russian troops")."""
    words = []
    for m in _WORD.finditer(text, end):
        gap = text[end : m.start()]
        if re.search(r"[,.;:!?()“”\"]", gap) or len(words) >= 4:
            break
        w = m.group(0)
        if w.lower() in {"of"} and not words:
            end = m.end()
            continue
        if w.lower() in _STOP:
            break
        words.append(w)
        end = m.end()
        low = w.lower()
        if low in _PLURALS or (low.endswith("s") and not low.endswith("ss")):
            break  # a plural noun heads the counted phrase: "Russian troops" (massed ...)
    return " ".join(words)


def quantities(text: str) -> list[Quantity]:
    """Numbers, dates and vague amounts in ``text``, normalised to intervals."""
    return list(_quantities(text))


@lru_cache(maxsize=1 << 16)
def _quantities(text: str) -> tuple[Quantity, ...]:
    # memoised: find_conflicts meets each claim once per other member of its group
    found: list[Quantity] = []
    taken: list[tuple[int, int]] = []
    for m in _DATE_RE.finditer(text):
        month = _MONTHS[(m.group("m1") or m.group("m2")).lower().rstrip(".")]
        day = int(m.group("d1") or m.group("d2"))
        if 1 <= day <= 31:
            v = float(month * 100 + day)
            found.append(Quantity("date", v, v, "", m.start(), m.end(), m.group(0)))
            taken.append((m.start(), m.end()))
    for m in _NUM_RE.finditer(text) if _NUM_CORE_RE.search(text) else ():
        if any(
            a
            <= m.start("vague" if m.group("vague") else "digits" if m.group("digits") else "word")
            < b
            for a, b in taken
        ):
            continue
        if m.start() > 0 and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "$£€-"):
            if not m.group("mod"):
                continue
        mod = (m.group("mod") or "").lower()
        if m.group("vague"):
            lo, hi = _VAGUE[" ".join(m.group("vague").lower().split())]
            lo, hi = float(lo), float(hi)
        else:
            if m.group("digits"):
                raw = m.group("digits")
                value = float(raw.replace(",", ""))
                tol = _rounding(raw)
            else:
                value = float(_SMALL[" ".join(m.group("word").lower().split())])
                tol = 0.0
            scale = (m.group("scale") or "").lower()
            if scale:
                mult = {"bn": 1e9, "m": 1e6}.get(scale, _SCALE.get(scale, 1))
                value, tol = value * mult, max(tol * mult, 0.05 * value * mult)
            lo, hi = value - tol, value + tol
            if mod and not re.fullmatch(_APPROX_UP + "|" + _APPROX_DOWN, mod):
                lo = hi = value  # the approximator's band replaces the rounding
            if m.group("digits") and re.fullmatch(r"(1[89]|20)\d\d", m.group("digits")):
                if not scale and not mod:
                    found.append(Quantity("year", value, value, "", m.start(), m.end(), m.group(0)))
                    continue
        if re.fullmatch(_APPROX_UP, mod):
            hi = math.inf
        elif re.fullmatch(_APPROX_DOWN, mod):
            lo = 0.0
        elif re.fullmatch(_APPROX_NEAR, mod):
            lo = round(lo * 0.9, 6)
        elif mod:
            lo, hi = round(lo * 0.9, 6), round(hi * 1.1, 6)
        unit = _unit_after(text, m.end())
        first = unit.split()[0].lower() if unit else ""
        if _singular(first) in _UNITS_TIME:
            unit = _singular(first)
        elif not unit and not m.group("vague") and not m.group("scale"):
            continue  # a bare number with nothing counted ("in 2 of them"): not comparable
        found.append(
            Quantity("quantity", lo, hi, unit, m.start(), m.end(), text[m.start() : m.end()])
        )
    found.sort(key=lambda q: q.start)
    return tuple(found)


def _comparable(a: Quantity, b: Quantity) -> bool:
    if a.kind != b.kind:
        return False
    if a.kind in {"date", "year"}:
        return True
    if a.unit in _UNITS_TIME or b.unit in _UNITS_TIME:
        return a.unit == b.unit
    wa = {_singular(w) for w in a.unit.split()} - _STOP
    wb = {_singular(w) for w in b.unit.split()} - _STOP
    return bool(wa & wb)


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
