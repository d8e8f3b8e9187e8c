"""The scope of a figure, from how news writes figures: two numbers of the same thing disagree
only when they cover the same stretch of it. Six scopes, each read from words around a number:

* an increment ("another 19 patients", "19 more", "a further 19", "19 new cases") is no total;
* a figure of one day or period ("on Wednesday", "in the first hour", "overnight") is no
  cumulative one ("so far", "in total", "to date", "since Monday"), nor one of another day;
* a distance from a reference ("55 km from Banda Aceh", "10 km deep") is no distance from another;
* a count gathered over several events ("31 magazines in five operations") is no count of one;
* a rate ("300 cars per day", "three days a week") is no total, nor a rate per another period;
* an average is no median ("an average of 46 months" / "median survival was 41 months").

>>> scope_differs("Another 19 patients were taken in.", 8, 10, "40 patients so far.", 0, 2)
True
"""

from __future__ import annotations

import re
from functools import lru_cache

_CLAUSE_RE = re.compile(r"[,;:()—–]|\.(?:\s|$)")


def _clause(text: str, start: int, end: int) -> tuple[str, str]:
    """The words of the number's clause before and after it."""
    lo = max([0] + [m.end() for m in _CLAUSE_RE.finditer(text[:start])])
    hi = min([len(text)] + [end + m.start() for m in _CLAUSE_RE.finditer(text[end:])])
    return text[lo:start], text[end:hi]


_INCR_BEFORE_RE = re.compile(
    r"\b(?:another|a\s+further|an\s+additional|an\s+extra|additional|further)\s+"
    r"(?:(?:at\s+least|about|around|some|nearly|almost|over|more\s+than)\s+)?$",
    re.I,
)
_INCR_AFTER_RE = re.compile(
    r"^\s*(?:more|new|additional|further|extra|other|others)\b(?!\s+than)", re.I
)


def increment(text: str, start: int, end: int) -> bool:
    """Whether the number counts an addition to a total ("another 19", "19 more", "19 new cases").

    >>> increment("Another 19 patients arrived", 8, 10), increment("19 patients", 0, 2)
    (True, False)
    """
    before = text[max(0, start - 40) : start]
    return bool(_INCR_BEFORE_RE.search(before) or _INCR_AFTER_RE.match(text[end:]))


_DAYS = "monday tuesday wednesday thursday friday saturday sunday".split()
# case-blind but for the name after "since" ("So far 40 people", "since March")
_CUMUL_RE = re.compile(
    r"\b(?:(?i:so\s+far|thus\s+far|to\s+date|in\s+total|in\s+all|altogether|overall|cumulative)|"
    r"(?i:since)\s+(?:(?i:the)\s+)?"
    r"(?:[A-Z]\w+|\d+|(?i:last|early|late|start|beginning|outbreak|attack)))\b"
)
# a fronted "since" clause governs the figures after it ("Since sinking to 2003 lows in early
# March, the Dow has rallied 13.8%")
_SINCE_CLAUSE_RE = re.compile(r"\s*Since\b[^.;]*,")
_PERIOD_RE = re.compile(
    r"\b(?:(?:on|last|this|early|late)\s+(?P<day>" + "|".join(_DAYS) + r")"
    r"|(?:in|during|within)\s+the\s+(?P<first>first|last|past|previous|next)\s+(?P<n>\w+\s+)?"
    r"(?P<unit>hour|day|week|month|year|night)s?"
    r"|(?P<rel>overnight|yesterday|last\s+night|last\s+year|last\s+week|"
    r"last\s+month|this\s+year|this\s+week))\b",
    re.I,
)


# a bare day name right after the figure dates it too ("strengthens to 6.1184 against USD
# Tuesday"); not "by Monday" (a running total up to it) nor one further off ("on the stand
# Thursday ... after 4 1/2 hours of testimony" dates the stand)
_BARE_DAY_RE = re.compile(
    r"^(?:\s*[\w.,/$%-]+){0,3}?\s+(?<!\bby\s)(?<!until\s)"
    r"(?P<day>" + "|".join(_DAYS) + r")\b(?!['’]s)",
    re.I,
)


_SAID_RE = re.compile(
    r"\b(?:said|says|say|told|announced|reported|confirmed|added|stated|according\s+to)\s*$", re.I
)


def time_scope(text: str, start: int, end: int) -> tuple[str, str] | None:
    """("cumulative", "") for a running total, ("period", key) for one day or period (key "" when
    the day is relative: "yesterday" and "on Wednesday" may be one day), None for neither.

    >>> time_scope("Five soldiers died on Wednesday", 0, 4)
    ('period', 'wednesday')
    >>> time_scope("seven soldiers have died so far", 0, 5)
    ('cumulative', '')
    >>> time_scope("So far 40 people have died", 7, 9)
    ('cumulative', '')
    """
    before, after = _clause(text, start, end)
    near = before + " # " + after
    if _CUMUL_RE.search(near) or _SINCE_CLAUSE_RE.match(text[:start]):
        return "cumulative", ""
    # "officials said on Wednesday" dates the report, not the figure
    periods = [m for m in _PERIOD_RE.finditer(near) if not _SAID_RE.search(near[: m.start()])]
    if not periods:
        bare = _BARE_DAY_RE.match(after)
        if bare and not _SAID_RE.search(after[: bare.start("day")]):
            return "period", bare.group("day").lower()
        return None
    m = periods[0]
    if m.group("day"):
        return "period", m.group("day").lower()
    if m.group("first"):
        n = (m.group("n") or "").strip().lower()
        return "period", f"{m.group('first').lower()} {n} {m.group('unit').lower()}"
    return "period", ""


_DIST_UNITS = set(
    "mile miles km kms kilometre kilometres kilometer kilometers metre metres meter meters "
    "foot feet nautical".split()
)
_REF_RE = re.compile(
    r"^\s*(?:(?:nautical\s+)?(?:miles?|km|kms|kilomet(?:re|er)s?|met(?:re|er)s?|feet|foot)\s*)?"
    r"(?:\([^)]*\)\s*)?\)?\s*(?:away\s+)?"  # "55 km (34 miles) south of": past the bracket
    r"(?:(?:north|south|east|west|northeast|northwest|southeast|southwest|north-east|north-west|"
    r"south-east|south-west|inland|offshore|outside|short)\s+)?"
    r"(?P<prep>from|of|off|outside|beyond|past|into)\s+(?:the\s+|a\s+|an\s+)?(?P<ref>[\w-]+)",
    re.I,
)
_DEPTH_RE = re.compile(r"^\s*(?:[a-z]+\s+)?(?:deep|below|beneath|underground|down)\b", re.I)


def distance_ref(text: str, start: int, end: int, unit: str) -> str | None:
    """What a distance is measured from ("Banda Aceh" -> "banda", "depth" for "10 km deep"), ""
    for a distance with no reference; None when the number is no distance.

    >>> distance_ref("55 kilometers southeast of Takengon", 0, 2, "kilometers")
    'takengon'
    >>> distance_ref("at a depth of 10 kilometers", 14, 16, "kilometers")
    'depth'
    >>> distance_ref("55 km (34 miles) south of Banda Aceh", 8, 10, "miles")
    'banda'
    """
    first = unit.split()[0].lower() if unit else ""
    if first not in _DIST_UNITS:
        return None
    if re.search(
        r"\bdepth\s+of\s+(?:about\s+|some\s+|around\s+)?$", text[max(0, start - 30) : start], re.I
    ):
        return "depth"
    after = text[end:]
    m = _REF_RE.match(after)
    if m:
        return m.group("ref").lower()
    unit_m = re.match(r"^\s*(?:nautical\s+)?[\w-]+", after)
    rest = after[unit_m.end() :] if unit_m else after
    if _DEPTH_RE.match(rest):
        return "depth"
    return ""


_EVENTS = (
    "operations|raids|attacks|incidents|strikes|shootings|seizures|missions|interceptions|"
    "attempts|bombings|assaults|sorties|busts|searches|encounters|clashes|battles"
)
_EVENTS_RE = re.compile(
    r"\b(?:in|during|across|over|from|after)\s+(?:the\s+|their\s+|its\s+|these\s+|those\s+|all\s+)?"
    r"(?P<n>two|three|four|five|six|seven|eight|nine|ten|\d+)\s+(?:[a-z-]+\s+){0,2}"
    r"(?P<ev>" + _EVENTS + r")\b",
    re.I,
)


def events_counted(text: str, start: int, end: int) -> str:
    """The number of events a count is gathered over ("31 magazines in five operations" ->
    "five"), "" for none named; the event count itself gives "".

    >>> events_counted("seized 31 magazines in their five operations", 7, 9)
    'five'
    """
    for m in _EVENTS_RE.finditer(text):
        if not m.start("n") <= start < m.end("n"):
            return m.group("n").lower()
    return ""


# a rate: the unit, then "a week", "per day", "an hour", "each year" ("three days a week", "300
# cars per day"); not a time ("a day after", "an hour ago") nor a period after a preposition ("in
# a week", "for a year": a total over it)
_RATE_RE = re.compile(
    r"^\s*(?:(?!(?:in|within|for|over|during|after|before|of|on|at|by|than|from|to)\b)"
    r"[A-Za-z][\w'’-]*\s+){0,3}?(?:a|an|per|each|every)\s+"
    r"(?P<period>second|minute|hour|day|night|week|fortnight|month|quarter|year|session|game)s?\b"
    r"(?!\s+(?:after|before|later|earlier|ago|of|or|and|to|from)\b)",
    re.I,
)


def rate(text: str, start: int, end: int) -> str:
    """The period a figure is counted per ("three days a week" -> "week"), "" for a total.

    >>> rate("The planes fly three days a week.", 15, 20), rate("They walked seven days.", 12, 17)
    ('week', '')
    >>> rate("20 people died in a week", 0, 2), rate("12 people died a day after", 0, 2)
    ('', '')
    """
    m = _RATE_RE.match(_clause(text, start, end)[1])
    return m.group("period").lower() if m else ""


# ("mean" is left out: news writes it mostly as a verb, "could mean 20 more jobs")
_STATISTIC_RE = re.compile(r"\b(?:median|average)\b", re.I)


def statistic(text: str, start: int, end: int) -> str:
    """The summary a figure's clause names: "median" or "average" ("lived an average of 46
    months" / "median survival was 41 months": two statistics of one sample), "" for none.

    >>> statistic("Patients lived an average of 46 months.", 30, 32)
    'average'
    """
    before, after = _clause(text, start, end)
    m = _STATISTIC_RE.search(before + " # " + after)
    return "" if m is None else m.group(0).lower()


# a figure of a whole less a part
_PART_RE = re.compile(r"\b(?:excluding|except\s+for|not\s+counting)\b", re.I)


def scope_differs(
    tx: str, xs: int, xe: int, ty: str, ys: int, ye: int, ux: str = "", uy: str = ""
) -> bool:
    """Whether two figures (text and span each, with their units) cover different scopes."""
    if increment(tx, xs, xe) != increment(ty, ys, ye):
        return True
    if rate(tx, xs, xe) != rate(ty, ys, ye):
        return True  # "three days a week" / "seven days to reach the camp": a rate, a total
    kx, ky = statistic(tx, xs, xe), statistic(ty, ys, ye)
    if kx and ky and kx != ky:
        return True  # an average against a median
    if bool(_PART_RE.search(tx)) != bool(_PART_RE.search(ty)):
        return True  # "Excluding autos, retail sales rose 0.3%" / "fell 0.2 percent overall"
    sx, sy = time_scope(tx, xs, xe), time_scope(ty, ys, ye)
    if sx and sy and (sx[0] != sy[0] or sx[1] and sy[1] and sx[1] != sy[1]):
        return True
    rx, ry = distance_ref(tx, xs, xe, ux), distance_ref(ty, ys, ye, uy)
    if rx is not None and ry is not None and rx != ry:
        return True
    mx, my = level_move(tx, xs), level_move(ty, ys)
    if mx and my and mx != my:
        return True  # "strengthens to 6.2689" / "weakens to 6.2816": levels of two sessions
    if baselines_differ(tx, ty):
        # two sessions or updates; but two previous levels of one change that both sides give
        # the same new level ("to 25 cents from 12 cents" / "to 25 cents, up from 13") disagree
        if not (_is_baseline(tx, xs) and _is_baseline(ty, ys)) or not _same_new_level(tx, ty):
            return True
    return events_counted(tx, xs, xe) != events_counted(ty, ys, ye)


# when in the day or the story a figure was given ("near midday", "closed", "by Sunday night")
_MOMENT_RE = re.compile(
    r"\b(?:(?:at|by|near|around|as\s+of|in)\s+(?:midday|noon|midnight|mid-?morning|"
    r"mid-?afternoon|the\s+close|the\s+open(?:ing)?|early\s+trading|late\s+trading|"
    r"late-?morning\s+trading|\d{1,2}(?::\d\d)?\s*(?:a\.m\.|p\.m\.|am|pm)\b|"
    r"(?:early\s+|late\s+)?(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday|last)\s+"
    r"(?:morning|afternoon|evening|night))"
    r"|(?:closed|ended|finished|opened)\s+(?:up|down|off|at|higher|lower|unchanged|flat)\b"
    r"|latest|initial(?:ly)?|preliminary|so\s+far"
    # a toll that moves: "death toll touches 15", "deaths rise to 14"
    r"|(?:toll|deaths|dead|casualties)\s+(?:has\s+|have\s+)?(?:rise[sn]?|rose|climb(?:s|ed)?|"
    r"jump(?:s|ed)?|reach(?:es|ed)?|top(?:s|ped)?|touch(?:es|ed)?|pass(?:es|ed)?|hits?)\b)",
    re.I,
)


def moments(tx: str, xs: int, xe: int, ty: str, ys: int, ye: int) -> tuple[str, str] | None:
    """The words that time each figure ("near midday" / "closed down"; "" for none), when they
    differ and at least one side has them: the two figures may be one thing at two moments (an
    index during the day and at the close; a toll first and later), which a reader should weigh.

    >>> tx, ty = "Shares were off 2 cents near midday.", "Shares closed down 4 cents."
    >>> moments(tx, 16, 17, ty, 19, 20)
    ('near midday', 'closed down')
    >>> moments("Shares fell 2 cents.", 12, 13, "Shares fell 4 cents.", 12, 13) is None
    True
    """
    found = []
    for text, s, e in ((tx, xs, xe), (ty, ys, ye)):
        before, after = _clause(text, s, e)
        m = _MOMENT_RE.search(before + " # " + after)
        found.append(" ".join(m.group(0).split()) if m else "")
    a, b = found
    if not (a or b) or a.lower() == b.lower():
        return None
    return a, b


_NUM = r"(\d[\d,]*(?:\.\d+)?)"
# an explicit previous level: "to 4.20 percent from 4.18 percent", "compared with its late U.S.
# level of 137.64"
_FROM_RE = re.compile(
    r"\b(?:from|compared\s+(?:with|to))\s+(?:[A-Za-z.'’/-]+\s+){0,6}?(?:of\s+)?" + _NUM, re.I
)
# a change and the level it led to: "rose 18.25 points, or 0.19 percent, to 9,586.71"
_MOVE_RE = re.compile(
    r"\b(?P<verb>rose|gained|added|climbed|jumped|advanced|up|fell|lost|declined|slipped|eased|"
    r"shed|dropped|down|off)\s+(?:\w+\s+){0,2}?" + _NUM + r"\s+points?,?"
    r"(?:\s+or\s+[\d.]+\s+(?:percent|per\s+cent|%),?)?\s+(?:to|at)\s+" + _NUM,
    re.I,
)
_DOWN = {"fell", "lost", "declined", "slipped", "eased", "shed", "dropped", "down", "off"}


def _float(raw: str) -> float:
    return float(raw.replace(",", ""))


@lru_cache(maxsize=4096)
def baselines(text: str) -> frozenset[float]:
    """The previous levels a text measures its figures from: stated ("from 4.18 percent") or
    implied by a change and the level it led to ("rose 18.25 points to 9,586.71": 9,568.46).

    >>> sorted(baselines("The yield rose to 4.20 percent from 4.18 percent."))
    [4.18]
    >>> sorted(baselines("The Dow rose 18.25 points, or 0.19 percent, to 9,586.71."))
    [9568.46]
    """
    out = {_float(m.group(1)) for m in _FROM_RE.finditer(text)}
    for m in _MOVE_RE.finditer(text):
        change, level = _float(m.group(2)), _float(m.group(3))
        sign = -1 if m.group("verb").lower() in _DOWN else 1
        out.add(round(level - sign * change, 2))
    return frozenset(out)


_UP = (
    r"rose|rises?|risen|gain(?:s|ed)?|climb(?:s|ed)?|jump(?:s|ed)?|advanc(?:es|ed)|"
    r"strengthen(?:s|ed)?|increas(?:es|ed)|soar(?:s|ed)?|surg(?:es|ed)|rall(?:y|ies|ied)|"
    r"firm(?:s|ed)?|rais(?:es|ed)|higher"
)
_DOWN_MOVE = (
    r"fell|falls?|fallen|los(?:es|t)|declin(?:es|ed)|slip(?:s|ped)?|eas(?:es|ed)|"
    r"weaken(?:s|ed)?|drop(?:s|ped)?|decreas(?:es|ed)|sank|sinks?|plung(?:es|ed)|"
    r"tumbl(?:es|ed)|slump(?:s|ed)?|cut(?:s)?|lowered|lower|shed"
)
_LEVEL_RE = re.compile(
    r"\b(?:(?P<up>" + _UP + r")|(?P<down>" + _DOWN_MOVE + r"))\b"
    r"(?:\s+[\w.,%$’'-]+){0,5}?\s+(?:to|at)\s+(?:about\s+|around\s+|a\s+\w+\s+(?:of\s+)?)?\$?$",
    re.I,
)


def level_move(text: str, start: int) -> str:
    """ "up" / "down" for a level reached by a move ("strengthens to 6.2689", "fell 44 points to
    9,543"), "" otherwise: two levels reached by opposite moves are two sessions.

    >>> level_move("China yuan weakens to 6.2816 against USD", 22)
    'down'
    >>> level_move("The yield was 4.2 percent", 14)
    ''
    """
    m = _LEVEL_RE.search(text[max(0, start - 60) : start])
    if not m:
        return ""
    return "up" if m.group("up") else "down"


def _is_baseline(text: str, start: int) -> bool:
    """Whether the figure at ``start`` is a stated previous level ("up from 13 cents")."""
    return any(m.start(1) <= start < m.end(1) for m in _FROM_RE.finditer(text))


def _same_new_level(tx: str, ty: str) -> bool:
    """Whether the two texts give one new level: a figure after "to" or "at" in both ("raised
    its dividend to 25 cents")."""

    def levels(text: str) -> set[float]:
        return {_float(m.group(1)) for m in re.finditer(r"\b(?:to|at)\s+\$?" + _NUM, text)}

    return bool(levels(tx) & levels(ty))


def baselines_differ(tx: str, ty: str) -> bool:
    """Whether both texts measure from a previous level and no level of one is near one of the
    other: two sessions, or two updates, not two accounts of one figure ("to 4.34 percent from
    4.30" / "to 4.20 percent from 4.18"; "rose to 40 from 35" / "rose to 45 from 40" share 40)."""
    bx, by = baselines(tx), baselines(ty)
    if not bx or not by:
        return False
    return not any(abs(a - b) <= _tolerance(a, b) for a in bx for b in by)


def _tolerance(a: float, b: float) -> float:
    """How far two previous levels may lie apart and still be one: a level written to the
    point ("to 9,543") against one written to the cent, or two roundings of a small rate."""
    big = max(a, b)
    return max(1.0, 0.0005 * big) if big >= 100 else 0.011
