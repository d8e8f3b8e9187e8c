"""Quantities: numbers, dates and vague amounts in a text, each as an interval, and when two
of them count the same thing.

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

Each quantity is an interval: exact figures carry their rounding ("3,700" is 3,650-3,750, at most
+-5%), approximators replace that with their own band ("about"/"some" +-10%, "nearly" -10%),
"more than"/"over" open it upwards, "tens of thousands" is 10,000-99,999. Indian digit grouping
("1,00,000") is read as the number it writes.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from functools import lru_cache

from .measure import _change, _measure
from .numwords import (
    _ABBREVIATED,
    _APPROX,
    _APPROX_DOWN,
    _APPROX_NEAR,
    _APPROX_UP,
    _FRACTION,
    _FRACTIONS,
    _MONTHS,
    _SCALE,
    _UNITS_TIME,
    _VAGUE,
    _WORDNUM,
    _word_value,
)

_MONTH_RE = "|".join(sorted(_MONTHS, key=len, reverse=True))
_NUM_RE = re.compile(
    rf"(?:(?P<mod>{_APPROX_UP}|{_APPROX_DOWN}|{_APPROX_NEAR}|{_APPROX})\s+)?"
    rf"(?:(?P<vague>tens\s+of\s+thousands|hundreds\s+of\s+thousands|dozens|scores|hundreds"
    rf"|thousands|millions)"
    rf"|(?P<digits>\d{{1,3}}(?:,\d{{2,3}})+(?:\.\d+)?|\d+(?:\.\d+)?|(?<![\w.,])\.\d+)"  # ".20"
    rf"|(?P<frac>{_FRACTION})(?=\s+(?:million|billion|dozen)\b)"  # "a quarter of a million"
    rf"|(?P<word>{_WORDNUM}))"
    rf"(?:\s*(?P<scale>hundred\s+(?:thousand|million|billion)|hundred|thousand|million"
    rf"|billion|bn|mn|m|dozen)\b"
    rf"|\s*-\s*(?P<hscale>hundred|thousand|million|billion)\b)?"  # "two-million-euro"
    rf"(?P<hyphen>-)?",
    re.IGNORECASE,
)
_YEAR_RE = re.compile(r"(1[89]|20)\d\d")
_ONE_OF_RE = re.compile(
    r"\s+of\s+(?:the|those|these|them|its|his|her|their|our|us|whom|which)\b", re.IGNORECASE
)
# what follows the hour of a clock time ("6:40 p.m.", "6.40pm", "11am")
_CLOCK_RE = re.compile(r":\d\d|\s*(?:[ap]\.m\.|[ap]\.?m\b)", re.I)
# Every _NUM_RE match contains one of these (its number core), so a text without any has no
# match: a cheaper scan than _NUM_RE's (which tries its approximators at every position).
_NUM_CORE_RE = re.compile(
    rf"\d|{_WORDNUM}|dozens|scores|hundreds|thousands|millions|half|quarter", re.IGNORECASE
)
_DATE_RE = re.compile(
    rf"\b(?:(?P<m1>{_MONTH_RE})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?\b"
    rf"|(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?(?P<m2>{_MONTH_RE})\b\.?)",
    re.IGNORECASE,
)
_WORD = re.compile(r"[A-Za-z][A-Za-z\-'’]*")
# after a number: "-year-old Jermayne", " - year - old, terminally ill": an age and who has it
_AGE_RE = re.compile(
    r"\s*-?\s*years?\s*-?\s*old\b[\s,]*(?P<holder>[A-Za-z][A-Za-z'’]*)?", re.IGNORECASE
)


_URL_RE = re.compile(
    r"(?i)\b(?:https?://|www\.)\S+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|gov|edu|co\.uk)/\S*"
)


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

    kind: str  # quantity | date | year | age | difference ("3,000 above the capacity")
    low: float
    high: float
    unit: str  # the noun after the number ("people"), a time unit, or "" for dates
    start: int
    end: int
    text: str
    #: what the number counts, from the words around it: "death", "injury", "arrest", ... or ""
    measure: str = ""

    def overlaps(self, other: Quantity) -> bool:
        """Whether the intervals share more than a rounding edge: "16" (15.5-16.5) and "17"
        (16.5-17.5) touch but differ; a point on an edge ("9" and "9") overlaps."""
        lo, hi = max(self.low, other.low), min(self.high, other.high)
        if lo < hi:
            return True
        points = self.low == self.high or other.low == other.high
        return lo == hi and points


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
    """The words after a number up to a function word or punctuation ("Russian troops"); a
    percent sign reads as "percent" ("0.41%")."""
    if re.match(r"\s?%", text[end:]):
        return "percent"
    words = []
    for m in _WORD.finditer(text, end):
        gap = text[end : m.start()]
        if re.search(r"[,.;:!?()“”\"]", gap) or len(words) >= 4:
            break
        w = m.group(0)
        if w.lower() in {"of"} and not words:
            end = m.end()
            continue
        if w.lower() in {"and", "or"} and words and re.match(r"\s+[A-Za-z]", text[m.end() :]):
            # coordinated modifiers before the counted noun: "60 advertising and data-broker
            # firms" counts firms (not "20 injured and 30 missing", which ends in no plural)
            rest = _unit_after(text, m.end()).split()
            if rest and len(words) + len(rest) <= 4 and _plural(rest[-1]):
                words += rest
            break
        if w.lower() in _STOP:
            break
        words.append(w)
        end = m.end()
        if _plural(w):
            break  # a plural noun heads the counted phrase: "Russian troops" (massed ...)
    return " ".join(words)


def _plural(word: str) -> bool:
    low = word.lower()
    return low in _PLURALS or (low.endswith("s") and not low.endswith("ss"))


# capitalised words that take a number as part of a name anywhere ("Flight 370 carried", "on
# Flight 370")
_ID_NOUNS = set(
    "flight route article section chapter highway interstate room gate terminal platform level "
    "category stage phase version model series resolution amendment title rule act form class "
    "grade unit district ward zone sector no number apollo boeing airbus".split()
)
_NOT_NAMES = set(_MONTHS) | {"i", "rs", "us"}
_SHARE_OR_YEAR_RE = re.compile(
    r"\d[\d.,]*\s*(?:%|per\s*cent|percent|points?)|(?:1[89]|20)\d\d\b", re.I
)
_ID_PREPS = set("in at on from across throughout near by for to of with".split())


def title_case(text: str) -> bool:
    """Whether most words of ``text`` are capitalised, as in a headline ("Quake Kills 40"):
    its capitals then mark no names."""
    words = re.findall(r"[A-Za-z][a-z]+", text)
    return bool(words) and sum(w[:1].isupper() for w in words) > 0.6 * len(words)


def _identifier(text: str, start: int) -> bool:
    """Whether the number at ``start`` is part of a name: right after a name noun ("Flight 370
    carried 239 people", "Article 5"), or a number of three digits or more, or with letters,
    right after a capitalised word that does not open the sentence ("the Boeing 737 jets",
    "Intel HD 4000 graphics", "GeForce 650M", "Standard & Poor's 500"; but "told the Guardian 41
    bodies"). Not after a month, nor after a place that follows a preposition ("In Gaza 40
    people died"), nor in a title-case headline ("Quake Kills 40").

    >>> _identifier("Flight 370 carried 239 people.", 7), _identifier("Flight 370 carried 239", 19)
    (True, False)
    >>> _identifier("In Gaza 40 people died.", 8), _identifier("Quake Kills 40 In Aceh", 12)
    (False, False)
    """
    prev = re.search(r"(?:^|(?<=[\s(]))([A-Za-z&][\w&'’.-]*)\s$", text[:start])
    if prev is None or not prev.group(1)[:1].isupper() or prev.group(1).lower() in _NOT_NAMES:
        return False
    if _SHARE_OR_YEAR_RE.match(text, start):
        return False  # "Ms Marsk 51.6 per cent", "Personal Data Act 2018"
    if prev.group(1).lower() in _ID_NOUNS:
        return True
    if not re.match(r"\d{3,}|\d+[A-Za-z]", text[start:].replace(",", "")):
        return False  # a small number after a name is a count ("told the Guardian 41 bodies")
    before = text[: prev.start()].rstrip()
    if not before or before[-1] in ".!?:;\"“”'‘’—–-(":
        return False  # the word opens the sentence ("Nearly 300 people")
    if title_case(text):
        return False  # a title-case headline capitalises its verbs too
    return before.rsplit(None, 1)[-1].lower() not in _ID_PREPS


# a number with a slash in it, or a whole number with a vulgar fraction
_SLASH_RE = re.compile(
    r"(?<![\w/.,])(?:(?P<whole>\d+)(?:\s+|-)(?=\d+/))?(?P<num>\d+)/(?P<den>\d+)(?![\w/])"
    r"|(?<![\w.,])(?P<vwhole>\d+)?\s?(?P<vulgar>[½¼¾⅓⅔⅛⅜⅝⅞])"
)
_VULGAR = {"½": 0.5, "¼": 0.25, "¾": 0.75, "⅓": 1 / 3, "⅔": 2 / 3, "⅛": 0.125, "⅜": 0.375}
_VULGAR |= {"⅝": 0.625, "⅞": 0.875}


def _fraction(text: str, m: re.Match) -> Quantity | None:
    """The quantity a fraction writes ("2 1/2 hours" is 2.5 hours, "3/4 mile" 0.75 mile), or
    None for a slash that is no fraction ("24/7", "50/50", "9/11": a numerator not under its
    denominator, or a denominator other than 2, 3, 4 or 8).

    >>> [(q.low, q.high, q.unit) for q in quantities("a 2 1/2 week trial")]
    [(2.5, 2.5, 'week')]
    >>> [(q.low, q.unit) for q in quantities("It took 2½ hours.")]
    [(2.5, 'hour')]
    >>> quantities("the 9/11 attacks and a 24/7 service, split 50/50")
    []
    """
    if m.group("vulgar"):
        value = _VULGAR[m.group("vulgar")] + float(m.group("vwhole") or 0)
    else:
        num, den = int(m.group("num")), int(m.group("den"))
        if den not in {2, 3, 4, 8} or not 0 < num < den:
            return None
        value = num / den + float(m.group("whole") or 0)
    head = text[: m.start()]
    unit = _unit_after(text, m.end())
    if m.group(0).endswith("-") or text[m.end() : m.end() + 1] == "-":
        unit = _unit_after(text, m.end() + 1).split()[:1]
        unit = unit[0] if unit else ""
    first = unit.split()[0].lower() if unit else ""
    if _singular(first) in _UNITS_TIME:
        unit = _singular(first)
    if not unit:
        return None
    lo = hi = value
    if re.search(rf"\b(?:{_APPROX_UP})\s+$", head, re.I):
        hi = math.inf
    elif re.search(rf"\b(?:{_APPROX_DOWN})\s+$", head, re.I):
        lo = 0.0
    elif re.search(rf"\b(?:{_APPROX_NEAR})\s+$", head, re.I):
        lo = round(value * 0.9, 6)
    elif re.search(rf"\b(?:{_APPROX})\s+$", head, re.I):
        lo, hi = round(value * 0.9, 6), round(value * 1.1, 6)
    measure = _measure(text, m.start(), m.end())
    return Quantity("quantity", lo, hi, unit, m.start(), m.end(), m.group(0), measure)


def quantities(text: str) -> list[Quantity]:
    """Numbers, dates and vague amounts in ``text``, normalised to intervals."""
    return list(_quantities(text))


@lru_cache(maxsize=1 << 16)
def _quantities(text: str) -> tuple[Quantity, ...]:
    # memoised: find_conflicts meets each claim once per other member of its group
    found: list[Quantity] = []
    # a web address's digits are a path, not figures ("www.cnn.com/2011/WORLD/03/11/...")
    taken: list[tuple[int, int]] = [(m.start(), m.end()) for m in _URL_RE.finditer(text)]
    for m in _SLASH_RE.finditer(text):
        # "2 1/2 hours", "3/4 mile", "2½ hours": one value; "24/7", "50/50", "9/11", "12/25":
        # a name, a split or a date, no count (neither side of the slash is a figure)
        taken.append((m.start(), m.end()))
        q = _fraction(text, m)
        if q is not None:
            found.append(q)
    for m in _DATE_RE.finditer(text):
        if any(a <= m.start() < b for a, b in taken):
            continue
        month = _MONTHS[(m.group("m1") or m.group("m2")).lower().rstrip(".")]
        day = int(m.group("d1") or m.group("d2"))
        if 1 <= day <= 31:
            v = float(month * 100 + day)
            found.append(Quantity("date", v, v, "", m.start(), m.end(), m.group(0)))
            taken.append((m.start(), m.end()))
    for m in _NUM_RE.finditer(text) if _NUM_CORE_RE.search(text) else ():
        if any(
            a <= m.start(next(k for k in ("vague", "digits", "word", "frac") if m.group(k))) < b
            for a, b in taken
        ):
            continue
        if m.start() > 0 and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "$£€-"):
            if not m.group("mod"):
                continue
        if re.match(r"[a-z]{3,}", text[m.end() :]) and not m.group("hyphen"):
            continue  # a name with digits ("the 76ers"), not a number
        head = text[: m.start()]
        if m.group("digits") and re.search(r"(?<!\d)\d{1,3}[.,] $", head):
            # the tail of a number split by a tokeniser ("2, 117 points", "6. 1"); not after a
            # year or a date ("In 2011, 40 people", "On March 3, 40 people")
            if not any(b == len(head) - 2 for _a, b in taken):
                continue
        if re.match(r"(?:st|nd|rd|th)\b", text[m.end() :], re.IGNORECASE):
            continue  # an ordinal ("4th quarter", "seventh of the season"): a rank, not a count
        if m.group("digits") and not m.group("mod") and _identifier(text, m.start()):
            continue  # a name's number ("Flight 370", "Intel HD 4000 graphics"), not a count
        if re.match(r"['’]s\b", text[m.end() :]) and not _YEAR_RE.fullmatch(m.group(0)):
            continue  # a model's name ("the 8900's screen"); "the 1990's" is a decade
        if _CLOCK_RE.match(text, m.end()) or text[m.start() - 1 : m.start()] == ":":
            continue  # a clock time ("6:40 p.m.", "6.40pm", "11am") says when: no count
        age = _AGE_RE.match(text, m.end())
        if age and not m.group("mod") and not m.group("vague"):
            # "a 16-year-old suspect": an age, comparable only with the age of the same holder
            digits = (m.group("digits") or "").replace(",", "")
            value = float(digits) if digits else _word_value(m.group("word"))
            holder = (age.group("holder") or "").lower()
            found.append(Quantity("age", value, value, holder, m.start(), age.end(), m.group(0)))
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
            elif m.group("frac"):
                value, tol = (
                    _FRACTIONS[" ".join(m.group("frac").lower().replace("-", " ").split())],
                    0.0,
                )
            else:
                value, tol = _word_value(m.group("word")), 0.0
            scale = (m.group("scale") or m.group("hscale") or "").lower()
            if scale:  # "six hundred thousand": each scale word multiplies
                mult = math.prod(_ABBREVIATED.get(w, _SCALE.get(w, 1)) for w in scale.split())
                value, tol = value * mult, max(tol * mult, 0.05 * value * mult)
            lo, hi = value - tol, value + tol
            if mod and not re.fullmatch(_APPROX_UP + "|" + _APPROX_DOWN, mod):
                lo = hi = value  # the approximator's band replaces the rounding
            if m.group("digits") and _YEAR_RE.fullmatch(m.group("digits")):
                if not scale and not mod:
                    # "the 1960s": a decade, every year of it
                    dec = re.match(r"['’]?s\b", text[m.end() :])
                    top, end = (value + 9, m.end() + dec.end()) if dec else (value, m.end())
                    found.append(
                        Quantity("year", value, top, "", m.start(), end, text[m.start() : end])
                    )
                    continue
        if re.fullmatch(_APPROX_UP, mod):
            hi = math.inf
        elif re.fullmatch(_APPROX_DOWN, mod):
            lo = 0.0
        elif re.fullmatch(_APPROX_NEAR, mod):
            lo = round(lo * 0.9, 6)
        elif mod:
            lo, hi = round(lo * 0.9, 6), round(hi * 1.1, 6)
        if re.search(r"(?:\bNo\.|\bno\.|\b[Nn]umber|#)\s*$", text[: m.start()]):
            continue  # "No. 3 position": a rank, not a count
        if (m.group("word") or "").lower() == "one" and not mod and _ONE_OF_RE.match(text, m.end()):
            continue  # "one of the people who died is ...": names a member, counts nothing
        unit = _unit_after(text, m.end())
        if m.group("hyphen") and unit:
            unit = unit.split()[0]  # "four-term senator" counts terms, not senators
        first = unit.split()[0].lower() if unit else ""
        if _singular(first) in _UNITS_TIME:
            unit = _singular(first)
        if re.match(
            r"(?:above|below|beyond|short\s+of|higher|lower|more|fewer|less|ahead|behind)\b", unit
        ):
            # "3,000 above the capacity of 45,000": a difference, not a count of the capacity
            found.append(
                Quantity("difference", lo, hi, unit, m.start(), m.end(), text[m.start() : m.end()])
            )
            continue
        measure = _measure(text, m.start(), m.end())
        if not measure and re.match(r"per\s*cent|percent", unit, re.IGNORECASE):
            measure = _change(text, m.start(), m.end())
        if not unit and not measure and not m.group("vague") and not m.group("scale"):
            continue  # a bare number with nothing counted ("in 2 of them"): not comparable
        if unit == "percent" and not mod and "." not in (m.group("digits") or "."):
            lo, hi = min(lo, value - 0.5), max(hi, value + 0.5)  # "3%" rounds 2.7%
        found.append(
            Quantity(
                "quantity", lo, hi, unit, m.start(), m.end(), text[m.start() : m.end()], measure
            )
        )
    found.sort(key=lambda q: q.start)
    return tuple(found)


def _comparable(a: Quantity, b: Quantity) -> bool:
    """Whether two quantities count the same thing: the same kind; for durations the same unit;
    for counts the same measure when both have one (deaths vs deaths), else a shared word in
    the counted noun."""
    if a.kind != b.kind:
        return False
    if a.kind in {"date", "year"}:
        return True
    if a.kind == "age":  # ages of one holder ("61-year-old Sharron" / "Sixty-year-old Sharron")
        return bool(a.unit) and a.unit == b.unit
    if a.unit in _UNITS_TIME or b.unit in _UNITS_TIME:
        return a.unit == b.unit
    if a.measure and b.measure:
        return a.measure == b.measure
    if "change" in {a.measure, b.measure}:
        return False  # a change in percent against a share in percent: two different figures
    # a name or a nationality is no counted thing ("Russian nationals" / "Russian officers")
    wa = {_same(_singular(w)) for w in a.unit.split() if not w[:1].isupper()} - _STOP
    wb = {_same(_singular(w)) for w in b.unit.split() if not w[:1].isupper()} - _STOP
    return bool(wa & wb)


# counted nouns that name the same thing ("37 companies" / "more than 60 firms")
_SYNONYMS = {"firm": "company", "business": "company", "person": "people", "individual": "people"}


def _same(word: str) -> str:
    return _SYNONYMS.get(word, word)
