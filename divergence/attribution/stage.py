"""The attribution stage: each claim of a source with its speaker, cue and hedges.

>>> from divergence.records import Source, Claim
>>> text = "Ushakov said the talks were useful."
>>> out = attribute(Source(id="a", name="a", text=text),
...                 [Claim("a#0", "a", text, 0, len(text), 0, 0.0)], method="rules")
>>> out[0].attribution.speaker
'Ushakov'
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from ..errors import UsageError
from ..parsing import spacy_available
from ..records import Attribution, Claim, Source
from .frames import _spacy_frames
from .hedges import find_hedges
from .lexicon import _DOC_WORDS, _QUOTES_OPEN
from .resolve import _Resolver
from .rules import _rules_find

METHODS = ("auto", "spacy", "rules")


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
    resolver = _Resolver(source.text)
    out: list[Claim] = []
    prev: Attribution | None = None
    prev_quote = False
    open_quote = False
    governing: Attribution | None = None  # a frame over the rest of its paragraph
    raw_open = False  # a quotation open at the end of the claim, whoever speaks it
    open_after: list[bool] = []
    prev_end: int | None = None
    for claim, f in zip(hedged, found, strict=True):
        starts_quote, has_quote, still_open = _quote_state(claim.text, open_quote)
        raw_open = _quote_state(claim.text, raw_open)[2]
        open_after.append(raw_open)
        if prev_end is not None and "\n" in source.text[prev_end : claim.start]:
            governing = None  # a new paragraph
            resolver.previous = None
        prev_end = claim.end
        attribution = None
        if f is not None and not claim.is_title:
            kind = "direct-quote" if f.kind == "reported" and has_quote else f.kind
            attribution = _framed(resolver, source.text, claim, f, kind=kind)
            surface = source.text[claim.start + f.speaker_start : claim.start + f.speaker_end]
            governing = attribution if _governs(claim.text, f, surface) else None
        elif (
            prev is not None
            and not claim.is_title
            and (open_quote or (starts_quote and has_quote and prev_quote))
        ):
            attribution = replace(prev, kind="carried-over")
        elif governing is not None and not claim.is_title:
            attribution = replace(governing, kind="carried-over")
        out.append(replace(claim, attribution=attribution))
        resolver.previous = None if claim.is_title else (claim.start, claim.end)
        if not claim.is_title:
            prev = attribution
            prev_quote = attribution is not None and attribution.kind in {
                "direct-quote",
                "carried-over",
            }
            open_quote = still_open and prev is not None
    # a quotation split over sentences with its speaker named at its end: '“We will respond.
    # This is unacceptable,” Peskov said.' - the opening sentences take the closing one's speaker
    for k in range(len(out) - 2, -1, -1):
        nxt = out[k + 1].attribution
        if (
            out[k].attribution is None
            and not out[k].is_title
            and open_after[k]
            and nxt is not None
            and nxt.kind in {"direct-quote", "carried-over", "reported"}
        ):
            out[k] = replace(out[k], attribution=replace(nxt, kind="carried-over"))
    return _own_voice(source, out)


_LATER_CLAUSE_RE = re.compile(r"#\d+\.[1-9]\d*$")
# what opens a coordinated clause before its subject ("while the UCF said ...")
_OPENER_RE = re.compile(r"(?:\s*(?:and|but|while|whereas|although|though|yet|as)\b,?)*\s*", re.I)
_PREPOSITIONS = set("on of in about from for to at by with over into".split())


def clause_speakers(
    source: Source,
    claims: Sequence[Claim],
    *,
    method: str | None = "auto",
    store: Any | None = None,
) -> list[Claim]:
    """Clause claims (:mod:`divergence.clauses`) keep their sentence's speaker, except a later
    clause that opens with a frame of its own: in "Police spokesman Dario Pell said two men had
    died in a crush, while the UCF said the victims had been shot by police" the second clause
    is the UCF's, not Pell's; and the clauses before such a clause lose the speaker when the
    sentence's frame was that clause's ("More than 40 agents have been dispatched, | and the
    minister said they are investigating": the first clause is the outlet's). Only a fronted
    frame whose speaker opens the clause (after a coordinator) counts; a frame at a sentence's
    end ("..., police said") governs the clauses before it, as the sentence's frame says.

    >>> from divergence.records import Source, Claim
    >>> from divergence.clauses import split_clauses
    >>> text = ("Police spokesman Dario Pell said two men had died in a crush, "
    ...         "while the UCF said the victims had been shot by police.")
    >>> src = Source(id="a", name="a", text=text)
    >>> cs = attribute(src, [Claim("a#0", "a", text, 0, len(text), 0, 0.0)], method="spacy")
    >>> cs = clause_speakers(src, split_clauses(src, cs, method="spacy"), method="spacy")
    >>> [(c.text.split()[0], c.attribution.speaker) for c in cs]
    [('Police', 'Dario Pell'), ('while', 'UCF')]
    """
    if method == "auto":
        method = "spacy" if spacy_available() else "rules"
    later = [k for k, c in enumerate(claims) if _LATER_CLAUSE_RE.search(c.id) and not c.is_title]
    if method is None or not later:
        return list(claims)
    lead = {k: _OPENER_RE.match(claims[k].text).end() for k in later}
    texts = [claims[k].text[lead[k] :] for k in later]
    found = _spacy_frames(texts, store) if method == "spacy" else [_rules_find(t) for t in texts]
    out = list(claims)
    for k, f in zip(later, found, strict=True):
        claim = claims[k]
        if f is None or f.kind not in {"reported", "according-to"} or f.speaker_start != 0:
            continue  # no frame the clause opens with
        if claim.text[lead[k] :].split()[0].lower() in {"which", "who", "that", "whom"}:
            continue  # "..., which stressed that ...": the sentence's speaker again
        if not _opens_with_frame(claim.text, lead[k], f):
            continue
        resolver = _Resolver(source.text)
        for c in claims[:k]:  # the speakers named before, for "he said" / "the agency said"
            a = c.attribution
            if a is not None and a.speaker_end <= claim.start:
                resolver._remember(a.speaker, a.speaker_start, a.speaker_end, a.speaker)
        attribution = _framed(resolver, source.text, claim, f, offset=lead[k])
        if attribution is None:
            continue
        out[k] = replace(claim, attribution=attribution)
        # the clauses before it in its sentence that took this clause's frame as the sentence's
        # ("The gates opened at 4.30 pm, and fans said ..."): the frame does not govern them
        sentence = claim.id.rsplit(".", 1)[0] + "."
        for j in range(k - 1, -1, -1):
            before = out[j]
            if not before.id.startswith(sentence):
                break
            a = before.attribution
            if a is not None and claim.start <= a.speaker_start < claim.end:
                out[j] = replace(before, attribution=None)
    return out


def _framed(
    resolver: _Resolver, text: str, claim: Claim, f, *, offset: int = 0, kind: str | None = None
) -> Attribution | None:
    """The attribution that the frame ``f``, found in ``claim.text[offset:]``, gives the claim:
    its speaker resolved (pronouns, re-mentions, documents) and the role's organisation; None
    when the speaker resolves to nobody ("none of the complaints")."""
    s, e = claim.start + offset + f.speaker_start, claim.start + offset + f.speaker_end
    kind = kind or f.kind
    if _outlet_reveals(claim.text[offset:], f):
        kind = "own-voice"
        m = re.search(r"\s+can$", text[s:e])  # the rules' speaker span takes in the modal
        e = s + m.start() if m else e
    resolved = resolver.resolve(text[s:e], s, e)
    if resolved is None:
        return None
    entity, rs, re_, _carried = resolved
    return Attribution(
        speaker=entity,
        cue=claim.text[offset + f.cue_start : offset + f.cue_end],
        speaker_start=rs,
        speaker_end=re_,
        kind=kind,
        affiliation=resolver.affiliation(entity, s, e),
    )


def _outlet_reveals(text: str, f) -> bool:
    """Whether the frame ``f`` of ``text`` is a publication speaking of its own reporting: "And
    VitalWatch can reveal that ...", "The Sun can reveal ...", "We can reveal ...". The idiom is a
    news outlet's claim to a finding of its own, so what follows is the article's own statement
    (``kind="own-voice"``: read as stated, not as a report of what someone else says).

    >>> from types import SimpleNamespace as F
    >>> t = "VitalWatch can reveal that Brenmoor knew."
    >>> _outlet_reveals(t, F(speaker_start=0, speaker_end=10, cue_start=15, cue_end=21))
    True
    >>> t = "The analyst revealed that Brenmoor knew."
    >>> _outlet_reveals(t, F(speaker_start=0, speaker_end=11, cue_start=12, cue_end=20))
    False
    """
    cue = text[f.cue_start : f.cue_end].lower()
    before = text[f.speaker_start : f.cue_start]  # the speaker, and the modal when it is apart
    return cue == "reveal" and re.search(r"\S\s+can\s*$", before) is not None


def _opens_with_frame(text: str, lead: int, f) -> bool:
    """Whether the frame ``f`` found in ``text[lead:]`` (a clause after its coordinator) is a
    speaker's report that the clause opens with."""
    frame = text[lead : lead + f.cue_start]  # the speaker and what follows it to the cue
    after = text[lead + f.cue_end :]
    words = after.split()
    if len(words) <= 3 or after.lstrip()[:1] in {",", ".", ";", ":"}:
        return False  # "..., a spokesman said (on Monday)." ends its sentence: post-posed
    if "," in frame and words[0][:1].isupper():
        return False  # a post-posed frame: "speeding and weaving, said Officer Baehr"
    if re.search(r"[\"“”]|\b(?:which|whom|whose)\b", frame) or len(frame.split()) > 10:
        return False  # a quotation's end, a relative clause ("a dialogue of which ...")
    if re.search(r"\b(?:would|could|might|may|can|should|will)\s+$", frame):
        return False  # "this gamble would suggest that ...": an inference, not a report
    if text[:lead].strip().lower() == "as" and len(after.split(",")[0].split()) <= 3:
        return False  # "as the president said he would, Democrats will ...": an aside
    # a noun that the parse of the clause alone reads as a verb: "and Russian bounty reports on"
    return not (f.cue.lower().endswith("s") and words[0].lower() in _PREPOSITIONS)


def _own_voice(source: Source, claims: list[Claim]) -> list[Claim]:
    """In an organisation's own statement (:mod:`divergence.attribution.issuer`), the claims
    that name no speaker get the issuer, ``kind="own-voice"``; so do those whose speaker is the
    issuer naming itself ("The Commission acknowledges that ...", "It holds that ..." in a
    court's summary): the document asserts them in its own voice, under its own frame.

    >>> from divergence.records import Claim, Source
    >>> text = ("Results declared\\nELECTORAL COMMISSION\\nPress statement\\n"
    ...         "The Commission acknowledges that results were late.")
    >>> src = Source(id="nec", name="nec", text=text)
    >>> at = text.index("The Commission")
    >>> c = Claim("nec#0", "nec", text[at:], at, len(text), 0, 0.0)
    >>> a = attribute(src, [c], method="rules")[0].attribution
    >>> (a.speaker, a.cue, a.kind, text[a.speaker_start:a.speaker_end])
    ('Electoral Commission', 'acknowledges', 'own-voice', 'The Commission')
    """
    from .issuer import display_name, issuer_names, issuer_span

    names = issuer_names(source.text, name=source.name, title=source.title, meta=source.meta)
    if not names:
        return claims
    start, end = issuer_span(source.text, names[0])
    speaker = display_name(names[0])
    own = Attribution(speaker, "own statement", start, end, kind="own-voice")
    issuer_words = [_name_words(display_name(n)) for n in names]
    out = []
    for c in claims:
        a = c.attribution
        if a is None and not c.is_title:
            c = replace(c, attribution=own)
        elif a is not None and a.kind in {"reported", "according-to"}:
            said = _name_words(a.speaker)
            if said and any(said <= words for words in issuer_words):
                c = replace(c, attribution=replace(a, speaker=speaker, kind="own-voice"))
        out.append(c)
    return out


def _name_words(name: str) -> set[str]:
    """A name's words as the issuer test compares them: no article, possessive or company suffix
    ("Brenmoor Pharma plc" is the "Brenmoor Pharma" of the letterhead)."""
    return {w.lower() for w in re.findall(r"[A-Za-z]+", name)} - _NOT_NAME


_NOT_NAME = frozenset("the s plc inc ltd llc corp co".split())


def _governs(text: str, f, surface: str) -> bool:
    """Whether a sentence's frame also governs the sentences after it in its paragraph: a
    fronted "According to X, ..." or a document's account ("The Kremlin's readout said ...")."""
    fronted = f.kind == "according-to" and not text[: f.cue_start].strip(' “"')
    document = any(w.strip(",.'’s").lower() in _DOC_WORDS for w in surface.split())
    return fronted or (document and f.speaker_start < f.cue_start)


def signature(method: str | None) -> str:
    if method == "auto":
        method = "spacy" if spacy_available() else "rules"
    return "none" if method is None else method
