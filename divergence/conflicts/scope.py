"""Words and their scope: stems, clauses, quotations, and the span a finding quotes.

>>> _stem("signed"), _stem("Kremlin's"), _stem("serve")
('sign', 'kremlin', 'serv')
>>> text = "The talks ended; both sides said they were useful."
>>> text[_clause_start(text, 20) : _clause_end(text, 20)]
' both sides said they were useful'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from .quantity import _STOP, _WORD

_SKIP = set(
    "be been being is are was were have has had do does did yet ever even any a an the so "
    "only just also really actually always immediately still fully formally officially".split()
)
_CLAUSE_END = re.compile(
    r"[.;:!?]|,\s+(?:but|while|although|though|and|which|who)\b|—|–"
    r"|\s(?:and|but)\s+(?=[a-z]+(?:ed|ing)\b)"  # "disputed claims of racism and called on"
    r"|\s-\s|--"
    # a participle frame: "repeated claims of vote-rigging, alleging that ballot boxes ..."
    r"|,\s+(?:alleging|saying|claiming|adding|arguing|insisting)\b"
    # a resumptive apposition: "alleged that police fired tear gas, a claim the police deny"
    r"|,\s+(?:a|an)\s+(?:claim|allegation|accusation|charge|assertion|account|version)\b"
)
_OPEN_Q = "“‘"
_CLOSE_Q = "”’"


def _in_quotes(text: str, pos: int) -> bool:
    """Whether ``pos`` lies inside a quotation (curly quotes counted, straight ones paired)."""
    before, after = text[:pos], text[pos:]
    depth = sum(before.count(q) for q in "“") - sum(before.count(q) for q in "”")
    if depth > 0 or before.count('"') % 2 == 1:
        return True
    # a quotation opened in an earlier sentence and closed in this one: '... alone,” he said.'
    return after.count("”") > after.count("“") and "”" in after


@dataclass(frozen=True)
class Hit:
    """One side's cue on content the other states differently: ``cue`` (as in the text),
    ``shared`` (stems both state), ``span_a``/``span_b`` (characters that differ)."""

    cue: str
    shared: tuple[str, ...]
    span_a: tuple[int, int]
    span_b: tuple[int, int]
    a: str
    b: str

    @property
    def text_a(self) -> str:
        return self.a[self.span_a[0] : self.span_a[1]].strip(" ,;:")

    @property
    def text_b(self) -> str:
        return self.b[self.span_b[0] : self.span_b[1]].strip(" ,;:")

    @property
    def words(self) -> str:
        """The shared content as a reader sees it: each stem's first word as written in ``a``
        (else in ``b``), in ``a``'s order ("bridge, inspected, March", not "bridg, inspect,
        march").

        >>> Hit("not", ("inspect", "march"), (0, 1), (0, 1), "Inspected in March.", "").words
        'Inspected, March'
        """
        out: dict[str, str] = {}
        for text in (self.a, self.b):
            for s, e, stem in _tokens(text):
                if stem in self.shared and stem not in out:
                    out[stem] = text[s:e]
        return ", ".join([*out.values(), *(st for st in self.shared if st not in out)])


# --------------------------------------------------------------------------------------------
# words
# --------------------------------------------------------------------------------------------
# words of one sense, read as one stem: a halt, a pause and a suspension of production
_ONE_SENSE = {"paus": "suspend", "halt": "suspend", "suspens": "suspend"}


@lru_cache(maxsize=1 << 16)
def _stem(word: str) -> str:
    """Lower case, possessive and common inflections dropped: "Kremlin's" -> "kremlin",
    "signed" -> "sign", "troops" -> "troop"; "paused" and "halted" read as "suspend"."""
    w = _inflection(word)
    return _ONE_SENSE.get(w, w)


def _inflection(word: str) -> str:
    w = re.sub(r"['’]s?$", "", word.lower())
    if w.endswith(("tion", "sion")) and len(w) >= 8:
        return w[:-3]  # "inspection" like "inspected", "investigation" like "investigated"
    for suffix in ("ing", "ed", "es", "s"):
        if w.endswith(suffix) and len(w) - len(suffix) >= 4 and not w.endswith("ss"):
            return w[: -len(suffix)]
    if w.endswith("e") and len(w) > 4:
        return w[:-1]  # "serve" like "served" and "serving"
    return w


@lru_cache(maxsize=1 << 16)
def _content(text: str) -> frozenset[str]:
    return frozenset(
        _stem(w) for w in _WORD.findall(text.replace("-", " ")) if w.lower() not in _STOP
    )


@lru_cache(maxsize=1 << 16)
def _tokens(text: str) -> tuple[tuple[int, int, str], ...]:
    """Content words of ``text`` as ``(start, end, stem)`` (hyphenated words split)."""
    out = []
    for m in re.finditer(r"[A-Za-z][A-Za-z'’]*", text):
        if m.group(0).lower() not in _STOP:
            out.append((m.start(), m.end(), _stem(m.group(0))))
    return tuple(out)


def _stems_in(text: str, start: int, end: int) -> set[str]:
    return {s for a, b, s in _tokens(text) if a >= start and b <= end}


@lru_cache(maxsize=1 << 16)
def _scoped(text: str, start: int, end: int, window: int = 6) -> frozenset[str]:
    words = list(_WORD.finditer(text))
    idx = [k for k, m in enumerate(words) if m.start() < end and m.end() > start]
    if idx:
        lo, hi = max(0, idx[0] - window), min(len(words), idx[-1] + window + 1)
    else:  # a span without letters ("1968"): the words on either side of it
        k = sum(m.end() <= start for m in words)
        lo, hi = max(0, k - window), min(len(words), k + window)
    return frozenset(
        _stem(m.group(0))
        for m in words[lo:hi]
        if m.group(0).lower() not in _STOP and not (m.start() < end and m.end() > start)
    )


def _clause_end(text: str, pos: int, max_words: int = 20) -> int:
    m = _CLAUSE_END.search(text, pos)
    end = m.start() if m else len(text)
    words = list(re.finditer(r"\S+", text[pos:end]))
    if len(words) > max_words:
        end = pos + words[max_words - 1].end()
    return end


def _clause_start(text: str, pos: int) -> int:
    cut = [
        m.end()
        for m in re.finditer(
            r"[.;:!?,—–“”\"]|\s-\s|--|\b(?:when|where|because|after|before|while|although"
            r"|though|since|if|that)\b",
            text[:pos],
        )
    ]
    return cut[-1] if cut else 0


def _covering(text: str, shared, limit: int = 160) -> tuple[int, int]:
    """The stretch of ``text`` from the first to the last word whose stem is in ``shared``,
    widened to at least three words."""
    words = set(shared)
    hits = [(a, b) for a, b, s in _tokens(text) if s in words]
    if not hits:
        return 0, min(len(text), limit)
    lo, hi = hits[0][0], hits[-1][1]
    if hi - lo > limit:
        hi = lo + limit
        while hi < len(text) and not text[hi].isspace():
            hi += 1
    return _widen(text, lo, hi)


def _widen(text: str, lo: int, hi: int, min_words: int = 3) -> tuple[int, int]:
    """Grow ``[lo, hi)`` by whole words (right first) until it holds ``min_words`` words."""
    while len(text[lo:hi].split()) < min_words:
        nxt = re.match(r"\s*\S+", text[hi:])
        prv = re.search(r"\S+\s*$", text[:lo])
        if nxt and not re.match(r"\s*[.;!?]", text[hi:]):
            hi += nxt.end()
        elif prv:
            lo = prv.start()
        else:
            break
    return lo, hi


def _meaningful(shared: set[str], text: str) -> bool:
    """At least two shared stems, one of them not only a capitalised name in ``text``."""
    if len(shared) < 2:
        return False
    lower = {s for a, b, s in _tokens(text) if text[a].islower()}
    return bool(shared & lower)


_NEG_SCOPE_RE = re.compile(
    r"\b(?:not|never|no(?!\.\s*\d)|cannot|without|against|oppos\w*|nothing|none|refus\w*|reject\w*"
    r"|den(?:y|ies|ied|ial)|rebuff\w*|spurn\w*|resist\w*|dismiss\w*|declin(?:e|es|ed|ing)\s+to)\b"
    r"|n['’]t\b",
    re.I,
)


def _not_until(text: str, end: int) -> bool:
    """ "did not reach them until after 6.40pm": a time limit ("only after"), not a negation."""
    return re.match(r"(?:\s+\S+){1,6}?\s+(?:until|till)\b", text[end : end + 80]) is not None


@lru_cache(maxsize=1 << 16)
def _negative_scope(text: str) -> frozenset[str]:
    """Stems within five words after any negative word of ``text`` ("stood against any
    substantial changes"): content the text does not state positively."""
    out: set[str] = set()
    for m in _NEG_SCOPE_RE.finditer(text):
        if _not_until(text, m.end()):
            continue
        span = text[m.end() : m.end() + 80]
        n = 5
        if m.group(0).lower() in {"no", "none", "nothing"}:
            # "no adverse events related to the impurity have been reported": the determiner
            # negates its whole clause
            span, n = re.split(r"[,;:.!?]", text[m.end() : m.end() + 120], maxsplit=1)[0], 12
        words = list(re.finditer(r"[A-Za-z][A-Za-z'’]*", span))[:n]
        out |= {_stem(w.group(0)) for w in words}
    return frozenset(out)
