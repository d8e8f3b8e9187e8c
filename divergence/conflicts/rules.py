"""The conflict tests on a pair of texts: attribution shifts and contradictions (numbers:
:mod:`.numbers`).

>>> contradiction("The minister did not sign the treaty.", "The minister signed the treaty.")
('not', 'minister, sign, treaty')
>>> h = contradiction_hit("The firm denied that it sold the data.", "The firm sold the data.")
>>> h.cue, h.text_a, h.text_b
('denied', 'denied that it sold the data', 'sold the data')

Each test looks for the cue *on the shared content*, not anywhere in the sentence:

* a hedge's scope is the words it governs: the noun phrase after "alleged", the clause after
  "reports that" / "claimed" / "accused of", the clause around "reportedly", the modifiers
  before a bare "allegations"; a scare quote's scope is the quoted words themselves (the other
  text must use them unquoted);
* a negation's predicate is the first content word after "not" / "never" / "no" / "failed to";
  the other text must state that predicate, not negate it, and share more content in the clause;
* a denial ("denied", "rejected reports that", "no evidence of", "no ... was found") scopes over
  the clause after it;
* an antonym pair ("ordered" / "voluntary", "agreed" / "refused") needs shared content around
  both words.

A hit carries, for each side, the character span that differs (:class:`Hit`), so a finding
quotes the differing words rather than a whole sentence or a lone name.
"""

from __future__ import annotations

import re
from functools import lru_cache

from ..attribution import find_hedges
from .hedging import _hedge_regions, _hedge_scope, _hedged_stems
from .negation import (
    _AUXILIARY,
    _DENIAL_RE,
    _NO_FOUND_RE,
    _conditional,
    _denied,
    _negated,
    _negated_clause,
    _only_nouns,
    _stated_with,
)
from .scope import (
    Hit,
    _clause_end,
    _clause_start,
    _content,
    _covering,
    _in_quotes,
    _meaningful,
    _negative_scope,
    _scoped,
    _stem,
    _stems_in,
    _tokens,
    _widen,
)


# --------------------------------------------------------------------------------------------
# hedges and attribution
# --------------------------------------------------------------------------------------------
def attribution_hit(a: str, b: str) -> Hit | None:
    """``a`` hedges content that ``b`` states unhedged (the hedge's scope shares two or more
    content words with ``b``, one of them not a name; a scare quote's words must occur in
    ``b`` unquoted).

    >>> attribution_hit("the alleged bribe paid to the mayor", "the bribe paid to the mayor").cue
    'alleged'
    >>> attribution_hit('The lone "no" vote came from Paul.', "Paul voted no.") is None
    True
    >>> attribution_hit("resigns after harassment allegations", "resigns from Congress") is None
    True
    """
    cb = _content(b)
    hedged_b = None
    denied_b = _denied(b)
    for s, e, label in find_hedges(a):
        if label.startswith("den"):
            continue  # a denial is a contradiction cue, not a hedge on the other's words
        if re.search(r"\b(?:reject|den[iy]|disput|dismiss|refut)\w*\s+(?:the\s+)?$", a[:s], re.I):
            continue  # "rejected claims that ...": a denial, not a hedge
        if label.startswith("scare quotes"):
            # audited on real articles (docs/conflicts-audit.md): a quoted word is almost always
            # a quotation of someone's word, which the other side then paraphrases
            continue
        scope = _hedge_scope(a, s, e, label)
        if scope is None:
            continue
        first = next(((x, y) for x, y, _st in _tokens(a) if scope[0] <= x < scope[1]), None)
        if (
            first
            and a[first[0]].isupper()
            and not re.search(r"\b" + re.escape(a[first[0] : first[1]]) + r"\b", b, re.IGNORECASE)
        ):
            continue  # the hedged claim is about someone b does not name ("alleged Cruz had ...")
        if label.startswith("scare quotes"):
            in_scope = _stems_in(a, *scope)
        else:  # the hedge word itself is not shared content ("blames ... on": the rest is)
            in_scope = _stems_in(a, *scope) - {_stem(label.split()[0])}
        shared = in_scope & cb
        if label.startswith("scare quotes"):
            lower = {st for x, _y, st in _tokens(a) if scope[0] <= x < scope[1] and a[x].islower()}
            if not lower or not in_scope <= cb:
                continue  # a quoted name ("in Vietnam") is a quotation, not a distanced word
            words = a[scope[0] : scope[1]].strip()
            quoted = re.search(r"[“\"‘']\s*" + re.escape(words) + r"\W{0,2}[”\"’']", b, re.I)
            if quoted or any(_in_quotes(b, x) for x, _y, st in _tokens(b) if st in in_scope):
                continue  # b quotes the same words: both report them as someone's
        elif not _meaningful(shared, a) or 5 * len(shared) < 2 * len(in_scope):
            continue  # at least two fifths of what the hedge governs
        elif sum(_in_quotes(b, x) for x, _y, st in _tokens(b) if st in shared) * 2 > len(shared):
            continue  # b quotes someone saying it: b does not state it as fact
        if label.startswith("accus") and not _states_the_act(a[scope[0] : scope[1]], b):
            continue  # "accused of killing X" vs "X was killed": b does not say who did it
        if hedged_b is None:
            hedged_b = _hedged_stems(b)
        if shared & (hedged_b | denied_b | _negative_scope(b)):
            continue  # b hedges, denies or negates it too
        if shared & _charged_stems(b):
            continue  # b reports it as a charge, a forecast or a suspicion too
        lo, hi = min(s, scope[0]), max(e, scope[1])
        if label.startswith("scare quotes"):
            lo, hi = s, e
        cue = label if not label.startswith("scare quotes") else a[s:e]
        return Hit(cue, tuple(sorted(shared)), _widen(a, lo, hi), _covering(b, shared), a, b)
    return None


# frames in which a text reports content without stating it: a charge or a criticism of
# someone ("charges X with Y", "criticized X for Y"), an investigation of it, a forecast, a
# suspicion in the predicate ("are suspected"), a possibility ("may be trapped", "possibly", "a
# low likelihood of casualties"), a boast ("has boasted of"), a report in the plural
# ("conflicting messages")
_CHARGED_RE = re.compile(
    r"\b(?:charg(?:es|ed|ing)|criticiz\w*|criticis\w*|condemn\w*|faults?|faulted)\b"
    r"(?=(?:\s+[\w'’.&-]+){1,8}?\s+(?:with|for|over)\b)"
    r"|\b(?:investigations?|probes?|inquir(?:y|ies))\s+(?:of|into)\b"
    r"|\bforecast(?:s|ed|ing)?\b|\bpredict(?:s|ed|ing)?\b|\bprojects\b"
    r"|\b(?:is|are|was|were|be|been)\s+suspected\b"
    r"|\b(?-i:may|might)\s+(?:not\s+)?(?:have\s+)?(?:be|been)\b|\bcould\s+(?:have\s+)?been?\b"
    r"|\b(?:possibly|perhaps|probably)\b"
    r"|\b(?:likelihood|probability|chance|chances|possibility)\s+(?:of|that)\b"
    r"|\b(?:boast|brag)\w*\s+(?:of|about|that)\b"
    r"|\bconflicting\s+\w+",
    re.IGNORECASE,
)


@lru_cache(maxsize=4096)
def _charged_stems(text: str) -> frozenset[str]:
    """Stems of the clause around each frame that reports without stating (:data:`_CHARGED_RE`).

    >>> sorted(_charged_stems("McBride charges Red Hat with trying to undermine the law."))[:3]
    ['charg', 'hat', 'law']
    >>> _charged_stems("Red Hat tried to undermine the law.")
    frozenset()
    """
    out: set[str] = set()
    for m in _CHARGED_RE.finditer(text):
        out |= _stems_in(text, _clause_start(text, m.start()), _clause_end(text, m.end()))
    return frozenset(out)


_PASSIVE_BEFORE = {"was", "were", "been", "being", "be", "is", "are", "found", "got", "get"}


def _states_the_act(alleged: str, b: str) -> bool:
    """Whether ``b`` states the act an accusation names (its first word, "murdering" in
    "accused of murdering two women") as something done by someone: the same verb, not passive
    ("was killed", "found stabbed") and not a plural noun ("the killings"). Audited on the ECB+
    train split (docs/conflicts-audit.md): "accused of killing X" against "X was killed" is no
    conflict, since the other side does not say who killed X.

    >>> _states_the_act("killing two co-workers", "a woman opened fire, killing two workers")
    True
    >>> _states_the_act("killing Zurana Horton", "Zurana Horton, 34, was killed on Oct. 21")
    False
    >>> _states_the_act("murdering two women", "arrested a woman in the 1967 killings")
    False
    """
    words = alleged.split()
    if not words:
        return False
    verb = _stem(words[0].lower())
    for x, y, st in _tokens(b):
        if st != verb or b[x:y].lower().endswith("ings"):
            continue
        if not _PASSIVE_BEFORE & {w.lower() for w in b[:x].split()[-2:]}:
            return True
    return False


def attribution_shift(a: str, b: str) -> tuple[str, str] | None:
    """``(hedge in a, shared words)`` when ``a`` hedges content that ``b`` states unhedged.

    >>> attribution_shift("poisoning that he blames on the Kremlin", "the Kremlin's poisoning")
    ('blames on', 'poisoning, Kremlin')
    >>> attribution_shift("the alleged bribe", "the alleged bribe") is None
    True
    """
    h = attribution_hit(a, b)
    if h is None:
        return None
    label = "scare quotes" if h.cue[:1] in "“\"‘'" else h.cue
    return label, h.words


# --------------------------------------------------------------------------------------------
# contradictions: negation, denial, antonyms
# --------------------------------------------------------------------------------------------
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
    ("ordered", "voluntary"),
    ("directed", "voluntary"),
    ("forced", "voluntary"),
    ("mandatory", "voluntary"),
    ("guilty", "innocent"),
    ("convicted", "acquitted"),
]


def contradiction_hit(a: str, b: str) -> Hit | None:
    """``a`` negates or denies content that ``b`` states positively, or the two use antonyms
    around shared content.

    >>> contradiction_hit("Troops did not cross the river.", "Troops crossed the river.").cue
    'not'
    >>> contradiction_hit("I am not pro-gay marriage, Cheney said.", "her gay marriage stance")
    >>> contradiction_hit("It ordered a recall of the pills.", "a voluntary recall of pills").cue
    'ordered / voluntary'
    """
    cb = _content(b)
    neg_b = _negative_scope(b)
    denied_b = None
    # a denial: the clause after "denied" / "rejected reports that" / "no evidence of"
    for m in list(_DENIAL_RE.finditer(a)) + list(_NO_FOUND_RE.finditer(a)):
        if re.search(r"\b(?:not|never|n't|no)\s+(?:\w+\s+)?$", a[: m.start()], re.I):
            continue  # "does not deny that ...": no denial
        if m.re is _NO_FOUND_RE:
            scope = (m.start(1), m.end(1))
        else:
            scope = (m.end(), _clause_end(a, m.end()))
        shared = _stems_in(a, *scope) & cb
        if not _meaningful(shared, a) or shared & neg_b:
            continue
        head = next((st for x, _y, st in _tokens(a) if scope[0] <= x < scope[1]), None)
        if head not in cb:
            continue  # "no evidence of collusion ... in the election": b must state collusion
        if denied_b is None:
            denied_b = _denied(b)
        if shared & denied_b:
            continue
        span = _widen(a, m.start(), scope[1] if m.re is not _NO_FOUND_RE else m.end())
        return Hit(
            " ".join(m.group(0).split()[:1]).lower(),
            tuple(sorted(shared)),
            span,
            _covering(b, shared),
            a,
            b,
        )
    # a negation on a predicate that b states
    for ns, ne, ps, pe, pred in _negated(a):
        if pred not in cb or pred in neg_b or not a[ps].islower():
            continue  # "not Obama's war": a name is no predicate
        if _negated_clause(b, pred):
            continue  # "a release date ... were not given yet": b denies it in its own clause
        if _in_quotes(a, ns) or _in_quotes(a, ps) or _conditional(a, ns):
            continue  # someone's quoted words, or a condition ("if we don't pass it")
        if re.match(r"\s*(?:have|has|need|needs)\s+to\b|\s*need\b", a[ne:]):
            continue  # "do not have to file": no obligation, not a denial of filing
        if re.search(
            r"\b(?:urg|ask|told|tell|warn|advis|press|beg|call)\w*\s+(?:\w+\s+){0,3}$", a[:ns]
        ) and re.match(r"\s*to\b", a[ne:]):
            continue  # "urged Mr. Trump not to declare": a request, not a statement
        if any(lo <= ns < hi for lo, hi in _hedge_regions(a)):
            continue  # "erroneously claiming the letters didn't ...": someone's claim
        verb = re.search(
            r"\b(has|have|had|is|are|was|were|be)\s+(?:no\s+)?(?:an?\s+|the\s+)?\S+$", a[:pe]
        )
        if verb and not re.search(r"(?:ed|en)$", a[ps:pe].lower()):
            # "does not have a birth certificate": b must say it has one, not just name it
            forms = (
                {"has", "have", "had"}
                if verb.group(1).startswith("ha")
                else {"is", "are", "was", "were", "be", "been"}
            )
            near = [x for x, _y, st in _tokens(b) if st == pred]
            pattern = r"\b(?:" + "|".join(forms) + r")\s+(?:an?\s+|the\s+)?$"
            if not any(re.search(pattern, b[max(0, x - 20) : x], re.I) for x in near):
                continue
        if re.search(
            r"\b(?:is|are|was|were|be|been|being)\s+(?:not|never)\s+(?:\w+ly\s+)?$", a[:ps], re.I
        ) and re.search(r"(?:ed|en)$", a[ps:pe].lower()):
            # a passive ("the man is not identified in the video") against the active verb
            # ("the man identifies himself"): the verb's roles are swapped, no denial of it
            if not any(
                re.search(r"(?:ed|en)$", b[x:y].lower()) for x, y, st in _tokens(b) if st == pred
            ):
                continue
        if a[ns:ne].lower() != "no" and _only_nouns(b, pred):
            continue  # a negated verb ("does not charge Stone") against a noun ("the charges")
        clause = (_clause_start(a, ns), _clause_end(a, pe))
        # an auxiliary is no shared content ("Trump did not respond" / "Trump Jr. did respond")
        shared = (_stems_in(a, *clause) & cb) - _AUXILIARY | {pred}
        if not any(a[x].islower() for x, _y, st in _tokens(a) if st in shared - {pred}):
            continue  # besides the predicate, shared content that is not only a name
        if not _stated_with(b, pred, shared - {pred}):
            continue  # "test results have not been released" / "later released on bail"
        if denied_b is None:
            denied_b = _denied(b)
        if pred in denied_b or pred in _hedged_stems(b) or pred in _charged_stems(b):
            continue  # b denies, only reports the speculation that ..., or gives a chance of it
        span = _widen(a, ns, _clause_end(a, pe, max_words=8))
        return Hit(
            a[ns:ne].lower().split()[0], tuple(sorted(shared)), span, _covering(b, shared), a, b
        )
    wa, wb = _antonym_spans(a), _antonym_spans(b)
    if not wa or not wb:
        return None
    for x, y in _ANTONYMS:
        for p, q in ((x, y), (y, x)):
            if p in wa and q in wb:
                (sa, ea), (sb, eb) = wa[p], wb[q]
                shared = _scoped(a, sa, ea) & _scoped(b, sb, eb)
                if len(shared) >= 1 and _meaningful(shared | {p}, a):
                    return Hit(
                        f"{p} / {q}",
                        tuple(sorted(shared)),
                        _widen(a, *_near(a, sa, ea, shared)),
                        _widen(b, *_near(b, sb, eb, shared)),
                        a,
                        b,
                    )
    return None


def _near(text: str, s: int, e: int, shared) -> tuple[int, int]:
    """From the cue to the farthest shared word within six words of it."""
    lo, hi = s, e
    for a, b, stem in _tokens(text):
        if stem in shared and abs(a - s) < 60:
            lo, hi = min(lo, a), max(hi, b)
    return lo, hi


def contradiction(a: str, b: str) -> tuple[str, str] | None:
    """``(cue, shared words)`` when ``a`` negates content that ``b`` states positively, or the
    two use antonyms around shared content.

    >>> contradiction("Talks were held.", "Talks were held.") is None
    True
    """
    h = contradiction_hit(a, b)
    return None if h is None else (h.cue, h.words)


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


# "won't" is "will not", not "won"
_ANTONYM_RE = re.compile(
    r"\b(?:" + "|".join(w for pair in _ANTONYMS for w in pair) + r")\b(?!['’]t\b)"
)
