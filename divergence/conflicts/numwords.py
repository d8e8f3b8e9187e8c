"""The words news writes numbers with: number words and their values, scale words, vague
plurals ("dozens"), months, time units, approximators ("about", "more than") and the fractions
of a scale word ("a quarter of a million"). The lexicon :mod:`.quantity` parses with.

>>> _word_value("twenty-three"), _word_value("forty five")
(23.0, 45.0)
"""

from __future__ import annotations

import re

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
_ABBREVIATED = {"bn": 1e9, "mn": 1e6, "m": 1e6, "dozen": 12}
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
_APPROX_NEAR = r"nearly|almost|just\s+under|as\s+many\s+as|as\s+much\s+as"
_APPROX = r"about|around|some|roughly|approximately|an\s+estimated|estimated|close\s+to|nearly"
_TENS = "twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
_UNITS = "one|two|three|four|five|six|seven|eight|nine"
# "twenty-three", "forty five" before the single words
_WORDNUM = rf"(?:{_TENS})[-\s](?:{_UNITS})\b|" + "|".join(sorted(_SMALL, key=len, reverse=True))
# a fraction of a scale word, as a value the scale then multiplies
_FRACTIONS = {"half a": 0.5, "a half": 0.5, "a quarter of a": 0.25, "three quarters of a": 0.75}
_FRACTION = r"half\s+a|a\s+half|a\s+quarter\s+of\s+a|three[-\s]quarters\s+of\s+a"


def _word_value(word: str) -> float:
    """The value of a number word ("seven", "twenty-three", "forty five")."""
    parts = re.split(r"[-\s]+", word.lower())
    key = " ".join(parts)
    return float(_SMALL[key] if key in _SMALL else sum(_SMALL[w] for w in parts))
