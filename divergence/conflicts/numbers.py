"""The number test on a pair of texts: two quantities that count the same thing and disagree.

>>> x, y = number_conflict("Five people died.", "Seven people died.")
>>> (x.text, y.text)
('Five', 'Seven')
"""

from __future__ import annotations

import math
import re

from .numscope import _DAYS, scope_differs
from .owner import other_owners
from .quantity import (
    _MONTHS,
    _STOP,
    Quantity,
    _comparable,
    _same,
    _singular,
    quantities,
    title_case,
)
from .quantity import _UNITS_TIME as _TIME_UNITS
from .scope import _scoped, _stem

# past forms that do not end in -ed ("built in 1968", "won in 2012")
_IRREGULAR_PAST = set(
    "built began begun born won lost held made became become took taken set sold bought died "
    "rebuilt founded came left fell broke broken went gone".split()
)
_WORDS_RE = re.compile(r"[A-Za-z][A-Za-z'’-]*")


def _acts(text: str, start: int, end: int, window: int = 5) -> set[str]:
    """Stems of the verbs in a past form ("opened", "built") within ``window`` words of a year:
    the act it dates. "The 2016 election" / "the 2020 election" name two events, not one event
    dated twice, so a noun shared around two years is no evidence that they date one thing.

    >>> sorted(_acts("The bridge opened in 1971, and plenty of people remember", 21, 25))
    ['open']
    >>> _acts("the 2016 presidential election", 4, 8)
    set()
    """
    # within the year's clause: "outraged Americans in the 1950s, has died" dates no death
    lo = max([0] + [k.end() for k in re.finditer(r"[,;:.()—–]", text[:start])])
    hi = min([len(text)] + [end + k.start() for k in re.finditer(r"[,;:.()—–]", text[end:])])
    near = list(_WORDS_RE.finditer(text, lo, start))[-window:]
    near += list(_WORDS_RE.finditer(text, end, hi))[:window]
    out = set()
    for m in near:
        w = m.group(0) if m.start() else m.group(0).lower()  # "Opened in 1968, the bridge"
        if w[:1].islower() and (w.endswith("ed") and len(w) > 4 or w in _IRREGULAR_PAST):
            out.add(_stem(w))
    return out


_RANGE_RE = re.compile(
    r"\d[\d,.]*\s*(?:-|–|to|in|-in-|out\s+of)\s*(?:\d|one|two|three|four|five|ten)"
    r"|(?:one|two|three|four|five|\d+)-in-"
    r"|\b(?:one|two|three|four|five)\s+(?:in|out\s+of)\s+(?:\d|one|two|three|four|five|six|"
    r"seven|eight|nine|ten)",
    re.IGNORECASE,
)


def _ranged(text: str, q: Quantity) -> bool:
    """Whether a number is one end of a range or odds ("40-60 hours", "1 in 3 chance", "one in
    five children")."""
    around = text[max(0, q.start - 12) : q.end + 12]
    return _RANGE_RE.search(around) is not None


_DIGITS_RE = re.compile(r"\d[\d,]*(?:\.\d+)?")


def _plain_values(text: str) -> list[float]:
    """Figures of ``text`` that no parsed quantity holds (bare: "compared to 47")."""
    spans = [(q.start, q.end) for q in quantities(text)]
    out = []
    for m in _DIGITS_RE.finditer(text):
        raw = m.group(0).replace(",", "")
        if raw.replace(".", "", 1).isdigit() and not any(a <= m.start() < b for a, b in spans):
            out.append(float(raw))
    return out


_VAGUE_WORDS = {"dozens", "scores", "hundreds", "thousands", "millions"}


def _digits(q: Quantity) -> float | None:
    """The figure a quantity writes in digits ("about 18,000" -> 18000.0), None for words."""
    m = _DIGITS_RE.search(q.text) if q.kind == "quantity" else None
    return float(m.group(0).replace(",", "")) if m else None


def _written(x: Quantity, others: list[Quantity]) -> bool:
    """Whether another text writes ``x``'s figure in digits as a quantity of no other measure,
    whatever noun it counts ("about 18,000 union members" / "including about 18,000 Ralphs
    employees"); not a figure of another measure ("20 injured" is no "20 people died")."""
    v = _digits(x)
    return v is not None and any(
        _digits(q) == v and (not q.measure or not x.measure or q.measure == x.measure)
        for q in others
    )


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

    def same(x: Quantity, y: Quantity, tx: str, ty: str) -> bool:
        # the looser test: a figure the other side also gives, even of a thing this test cannot
        # tie to it, leaves no disagreement ("Romney leads at 21 percent" on both sides)
        return _comparable(x, y) and (x.kind not in {"date", "year"} or ok(x, y, tx, ty))

    def ok(x: Quantity, y: Quantity, tx: str, ty: str) -> bool:
        if not _comparable(x, y):
            return False
        if x.kind == "date" and (_dateline(tx, x) or _dateline(ty, y)):
            return False  # "announced today (14 October 2011)": when it was written
        if x.kind == "date":  # a date of the same thing: shared words around both
            return len(_scoped(tx, x.start, x.end, 5) & _scoped(ty, y.start, y.end, 5)) >= 1
        if x.kind == "year":  # the year of the same act ("opened in 1968" / "opened in 1971")
            return bool(_acts(tx, x.start, x.end) & _acts(ty, y.start, y.end))
        return _same_thing(x, y, tx, ty)

    def vague(q: Quantity) -> bool:
        return q.text.lower().split()[-1] in _VAGUE_WORDS

    for x in qa:
        # two vague amounts ("thousands of dollars" / "tens of thousands of dollars") give orders
        # of magnitude, often of different parts of a whole: no disagreement to report
        cands = [y for y in qb if ok(x, y, a, b) and not (vague(x) and vague(y))]
        if not cands or any(_agree(x, y) for y in qb if same(x, y, a, b)):
            continue
        if any(x.low <= v <= x.high for v in plain_b) or _written(x, qb):
            # b writes the same figure, counted or not ("compared to 47 the night before"), or
            # of a thing this test cannot tie to it ("including about 18,000 Ralphs employees")
            continue
        for y in cands:
            back = [z for z in qa if same(y, z, b, a)]
            if any(y.low <= v <= y.high for v in plain_a) or _written(y, qa):
                continue
            if not any(_agree(y, z) for z in back):
                return x, y
    return None


def _agree(x: Quantity, y: Quantity) -> bool:
    """Whether two figures agree: their intervals overlap, or one is the other's whole part
    ("rose 56 points" for "56.79 points": news cuts decimals as often as it rounds them). Two
    open lower bounds overlap always, yet "more than 20 injured" against "more than 40 people
    were injured" are two counts: lower bounds agree only when the larger is under half as much
    again as the smaller ("more than 3,700" / "over 3,800").

    >>> q = lambda t: quantities(t)[0]
    >>> _agree(q("56 points"), q("56.79 points")), _agree(q("55 points"), q("56.79 points"))
    (True, False)
    >>> _agree(q("more than 20 people"), q("more than 40 people"))
    False
    >>> _agree(q("more than 3,700 people"), q("at least 3,800 people"))
    True
    """
    if x.high == y.high == math.inf and x.kind == y.kind == "quantity" and min(x.low, y.low) > 0:
        return max(x.low, y.low) < _BOUNDS_APART * min(x.low, y.low)
    if x.overlaps(y):
        return True
    whole, frac = (x, y) if "." not in x.text else (y, x)
    if "." in whole.text or "." not in frac.text or whole.kind != "quantity":
        return False
    digits = whole.text.strip()
    return re.fullmatch(r"\d[\d,]*", digits) is not None and int(digits.replace(",", "")) == int(
        frac.low
    )


# two lower bounds this far apart are two counts ("more than 20" / "more than 40")
_BOUNDS_APART = 1.5
_TIME_WORD_RE = re.compile(
    r"\s*(?:-\s*)?(?:second|minute|hour|day|week|month|year)s?\b(?P<hyphen>\s*-)?", re.I
)
_AGO_RE = re.compile(r"\s+(?:ago|earlier|later|before|after|since)\b", re.I)
_OF_RE = re.compile(r"\s+of\s+(?:the\s+|a\s+|an\s+|his\s+|her\s+|their\s+|its\s+)?([A-Za-z]+)")
_NEXT_RE = re.compile(r"\s*([A-Za-z]+)")
# units that measure an amount of something named elsewhere in the sentence ("364 yards" of
# passing or of a return, "45.8 percent" of some rate), unlike a count of things ("17 people")
_AMOUNT_UNITS = set(
    "percent per point yard mile kilometre kilometer km metre meter foot feet inch pound "
    "kilogram kg ton tonne degree acre hectare gallon barrel dollar euro".split()
)
_CURRENCIES = {"$": "dollar", "£": "pound", "€": "euro", "dollar": "dollar", "euro": "euro"}


def _dateline(text: str, q: Quantity) -> bool:
    """A date that glosses "today" / "yesterday": the day the article was written, which two
    reports written on different days give differently for one event."""
    return re.search(r"\b(?:today|yesterday|tonight)\s*[(,]\s*$", text[: q.start], re.I) is not None


def _complement(text: str, q: Quantity) -> str:
    """What a duration is the length of: "ago" / "after" for a time since, the noun after "of"
    ("five days of rioting") or after a hyphenated unit ("a 90-day stay"); "" for none
    ("within 90 days", "three months to delete")."""
    m = _TIME_WORD_RE.match(text, q.end)
    if m is None:
        return ""
    rel = _AGO_RE.match(text, m.end())
    if rel:
        return rel.group(0).strip().lower()
    of = _OF_RE.match(text, m.end())
    if of:
        return _stem(of.group(1))
    nxt = _NEXT_RE.match(text, m.end())
    hyphenated = text[q.start : q.end].endswith("-") or text[q.end :].lstrip().startswith("-")
    if (m.group("hyphen") or hyphenated) and nxt:
        return _stem(nxt.group(1))
    return ""


def _currency(text: str, q: Quantity) -> str:
    before = text[max(0, q.start - 2) : q.start].strip()
    if before[-1:] in _CURRENCIES:
        return _CURRENCIES[before[-1:]]
    first = q.unit.split()[0].lower().rstrip("s") if q.unit else ""
    return _CURRENCIES.get(first, "")


def _same_thing(x: Quantity, y: Quantity, tx: str, ty: str) -> bool:
    """Beyond the counted noun (:func:`.quantity._comparable`): two durations of the same
    thing ("eight days ago" is no length of "five days of rioting"), amounts in the same
    currency ("2 mn euro" / "$2.6 million"), and amounts of a unit that measures something
    else ("364 yards", "45.8 percent") only with a shared lower-case word around both numbers
    ("rushing for 352 yards" / "226 yards rushing"; not "threw for 364 yards" / "returned an
    interception 35 yards")."""
    if not (x.measure and x.measure == y.measure) and not _same_head(x.unit, y.unit):
        return False  # "350 fire fighters" / "64 fire appliances": two things of one kind
    if _narrowed(x, y, ty, tx) or _narrowed(y, x, tx, ty):
        return False  # "11 Yemeni pirates" / "23 pirates": a part of what the other counts
    if x.unit in _TIME_UNITS:
        cx, cy = _complement(tx, x), _complement(ty, y)
        near_x, near_y = _scoped(tx, x.start, x.end, 5), _scoped(ty, y.start, y.end, 5)
        if cx != cy and not (cx and cx in near_y or cy and cy in near_x):
            return False
    if _currency(tx, x) != _currency(ty, y):
        return False
    if not x.measure and {_direction(tx, x), _direction(ty, y)} == {"gain", "loss"}:
        return False  # "picked up six seats" / "lost nearly 60 seats": two changes
    years_x = {q.low for q in quantities(tx) if q.kind == "year"}
    years_y = {q.low for q in quantities(ty) if q.kind == "year"}
    if years_x and years_y and years_x != years_y:
        return False  # figures of two periods ("the rate for 2014" / "from 2007 through 2014")
    head = x.unit.split()[0].lower() if x.unit else ""
    if not x.measure and (head.rstrip("s") in _AMOUNT_UNITS or head in _AMOUNT_UNITS):
        near = _lower_near(tx, x) & _lower_near(ty, y)
        if not near - {_stem(w) for w in (x.unit + " " + y.unit).split()}:
            return False
    if other_owners(tx, x.start, x.end, ty, y.start, y.end):
        return False  # "the Nasdaq shed 15 points" / "the S&P lost 9 points" (last: it parses)
    # an increment vs a total, one day vs a running total, distances from two places, a count
    # over several events vs one (:mod:`.numscope`)
    return not scope_differs(tx, x.start, x.end, ty, y.start, y.end, x.unit, y.unit)


def _head(unit: str) -> str:
    """The counted noun's head: its last word not a name, singular ("undersea cables" ->
    "cable", "advertising and data-broker firms" -> "company"); "" for none."""
    words = [w for w in unit.split() if not w[:1].isupper()] or unit.split()
    words = [_same(_singular(w)) for w in words if w.lower() not in _STOP]
    return words[-1] if words else ""


def _same_head(u: str, v: str) -> bool:
    """Whether two counted nouns have the same head (or one is a compound ending in the other:
    "firefighters" / "fire fighters"). :func:`.quantity._comparable` asks for any shared word,
    which a modifier gives ("fire fighters" / "fire appliances"); a count whose counted thing
    is known from a measure ("17 passengers aboard" / "30 people on board") needs none.

    >>> _same_head("fire fighters", "firefighters"), _same_head("fire fighters", "fire trucks")
    (True, False)
    """
    a, b = _head(u), _head(v)
    if not a or not b:
        return a == b
    return (
        a == b or len(min(a, b, key=len)) >= 4 and max(a, b, key=len).endswith(min(a, b, key=len))
    )


# days and months name a time, not a part of what is counted ("percent Tuesday morning")
_TIME_NAMES = set(_DAYS) | set(_MONTHS)


def _group_name(word: str, text: str) -> bool:
    """Whether a counted noun is a capitalised plural naming a group ("Australians",
    "Palestinians", "Democrats") in a text that is not written in title case."""
    if not re.fullmatch(r"[A-Z][a-z]+s", word) or word.lower() in _TIME_NAMES:
        return False
    return not title_case(text)


def _narrowed(x: Quantity, y: Quantity, ty: str, tx: str = "") -> bool:
    """Whether ``x``'s counted noun carries a name as modifier (a nationality, a place, a brand)
    that the other text never uses, against a counted noun with no common-word modifier: "11
    Yemeni pirates" against a text that speaks only of "23 pirates" counts a part of them, and
    "one FireWire port" against "three USB ports" another kind of port. "18 illegal Mexican
    immigrants" against "17 undocumented immigrants" describes one group twice, and lower-case
    modifiers alone ("870,000 active users" / "2.3 million users") are how a side disputes a
    total: both left to conflict.

    >>> q = lambda unit: Quantity("quantity", 1, 1, unit, 0, 1, "1")
    >>> _narrowed(q("Yemeni pirates"), q("pirates"), "Police arrested 23 pirates.")
    True
    >>> _narrowed(q("Yemeni pirates"), q("pirates"), "23 pirates, most of them Yemeni")
    False
    >>> _narrowed(q("illegal Mexican immigrants"), q("undocumented immigrants"), "17 undocumented")
    False
    """
    names = [w for w in x.unit.split()[:-1] if w[:1].isupper() and w.lower() not in _TIME_NAMES]
    words = x.unit.split()
    if not names and words and _group_name(words[-1], tx):
        names = words[-1:]  # "Six Australians killed" against "Dozens killed": a part of them
    if not names or any(w[:1].islower() and w.lower() not in _STOP for w in y.unit.split()[:-1]):
        return False
    other_words = {_singular(w) for w in _WORDS_RE.findall(ty)}
    return any(_singular(w) not in other_words for w in names)


def _lower_near(text: str, q: Quantity, window: int = 5) -> set[str]:
    """Stems of the lower-case content words within ``window`` words of a number."""
    near = list(_WORDS_RE.finditer(text, 0, q.start))[-window:]
    near += list(_WORDS_RE.finditer(text, q.end))[:window]
    return {_stem(m.group(0)) for m in near if m.group(0)[:1].islower()} - _STOP


_GAIN_RE = re.compile(r"\b(?:picked\s+up|pick\s+up|gain\w*|won|win|wins|added|flipped)\b", re.I)
_LOSS_RE = re.compile(r"\b(?:lost|lose|loses|losing|shed|sheds)\b", re.I)


def _direction(text: str, q: Quantity) -> str:
    """ "gain" / "loss" for a count of a change ("picked up just six seats", "lost nearly 60
    seats"): a gain or loss verb among the three words before the number; "" otherwise."""
    before = " ".join(re.findall(r"[A-Za-z]+", text[: q.start])[-3:])
    if _LOSS_RE.search(before):
        return "loss"
    return "gain" if _GAIN_RE.search(before) else ""


def other_figures(a: str, b: str) -> bool:
    """Both texts state figures and none of ``a``'s matches one of ``b``'s (of the same kind,
    the values overlap or the counted nouns share a head): they give figures of different
    things, so they are not one content under two stances ("the Clintons earned $140,937,785
    over the eight year span" / "earned nearly $20 million between 2011 and 2014"). One thing
    counted differently ("four suspected militants" / "5 militants") still matches: that is for
    the number test, and the stances may differ too.

    >>> other_figures("He said 23 states have such laws.", "23 states and DC have such laws.")
    False
    >>> other_figures("Four suspected militants died.", "5 militants died.")
    False
    >>> other_figures("A study found it shrank 30 percent.", "It shrank to about 400,000 animals.")
    True
    >>> other_figures("Police said the suspect was arrested.", "The suspect, 34, was arrested.")
    False
    >>> other_figures("It was sent at 6:40 p.m. on Sunday.", "It was sent at 6.40pm on Sunday.")
    False
    """
    qa, qb = quantities(a), quantities(b)
    return bool(qa and qb) and not any(
        x.kind == y.kind
        and (x.low <= y.high and y.low <= x.high or bool(x.unit) and _same_head(x.unit, y.unit))
        for x in qa
        for y in qb
    )
