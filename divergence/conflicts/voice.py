"""Whose words a claim gives: a speaker's frame, a reporting verb, a quotation, an outlet cited at
the end ("..., The New York Times is reporting."), or none (the outlet's own voice, or an
organisation's own statement: :mod:`divergence.attribution.issuer`). The conflict tests
(:mod:`.detect`) ask this of both sides of a pair: two sides that both give someone's words do
not disagree with each other's stance.
"""

from __future__ import annotations

import re

from ..attribution.lexicon import _AMBIGUOUS, _CUE_RE, CUE_FORMS
from ..records import Claim


def _reports(c: Claim) -> bool:
    """Whether a claim gives someone's words: a speaker frame, a reporting verb or a quote."""
    return (
        _speaker(c) is not None
        or _cue_word(c)
        or _OUTLET_FRAME_RE.search(c.text) is not None
        or _quoted(c.text)
    )


def _speaker(c: Claim):
    """Whose words the claim gives: none for an organisation's own statement (own-voice, also
    under its own frame: "The Commission acknowledges that ..."), which states what it says."""
    return None if c.attribution is None or c.attribution.kind == "own-voice" else c.attribution


def _cue_word(c: Claim) -> bool:
    """A reporting verb in the claim (a headline's capitals lowered: "Cruz Accuses Trump"),
    not the issuer's own frame of an own-voice claim."""
    text = c.text.lower() if c.is_title else c.text
    own = "" if _speaker(c) or c.attribution is None else c.attribution.cue.lower()
    return _FACT_CUE_RE.search(text) is not None or any(
        _frame_word(text, m) and m.group(0).lower() != own for m in _CUE_WORD_RE.finditer(text)
    )


# a reporting word that is no frame: the legal adjective ("through the said gate") and a
# gerund after a preposition or a determiner ("capable of revealing visits")
_FIRST_PERSON_RE = re.compile(r"\b(?:I|[Ww]e)\s+(?:(?:can|could|would|must|have|had)\s+)?$")
_BEFORE_SAID_RE = re.compile(r"\bthe\s+$", re.IGNORECASE)
_BEFORE_GERUND_RE = re.compile(r"\b(?:of|for|the|a|an|its|his|her|their)\s+$", re.IGNORECASE)


def _frame_word(text: str, m: re.Match) -> bool:
    if _FIRST_PERSON_RE.search(text[max(0, m.start() - 24) : m.start()]):
        return False  # "What I can tell you is that ...": the source's own voice
    before = text[max(0, m.start() - 8) : m.start()]
    word = m.group(0).lower()
    if word == "said" and _BEFORE_SAID_RE.search(before):
        return False
    return not (word.endswith("ing") and _BEFORE_GERUND_RE.search(before))


# a reporting verb outside the cue list ("scholars counter that"); "documents show that" stays
# the outlet's own evidence (the dev gold reads it as fact)
# a headline that opens with its source ("Report: Red Sox offer ...") attributes it
_FACT_CUE_RE = re.compile(
    r"\bcounter(?:s|ed)?\s+that\b|^\W*(?:reports?|sources?)\s*:", re.IGNORECASE
)


def _question(c: Claim) -> bool:
    """A question states nothing to contradict or to state as fact."""
    return c.text.rstrip(" ”\"'’").endswith("?")


_QUOTE_RE = re.compile(r"[“”\"]|(?<!\w)['‘]|['’](?!\w)")


def _quoted(text: str) -> bool:
    """Whether ``text`` has a quotation mark (a plural possessive, "users’ data", is none)."""
    return _QUOTE_RE.search(re.sub(r"(?<=s)['’](?=\s)", "", text)) is not None


# a reporting verb in the text: the finite cues (ambiguous ones like "report" or "state" only
# before "that"), their -ing forms ("..., saying the drug is flowing") and "according to"
_ING = sorted(
    f for f, lemma in CUE_FORMS.items() if f.endswith("ing") and lemma + "s" not in _AMBIGUOUS
)
_CUE_WORD_RE = re.compile(rf"\b(?:{_CUE_RE}|{'|'.join(_ING)}|according\s+to)\b", re.IGNORECASE)
# an outlet cited at the end of a sentence: "..., The New York Times is reporting." ("report"
# is a reporting verb only in such a frame or before "that")
_OUTLET_FRAME_RE = re.compile(
    r",\s+(?:[Tt]he\s+)?(?:[A-Z][\w.&'’-]*\s+){1,5}(?:is\s+|are\s+|has\s+|have\s+)?"
    r"report(?:s|ed|ing)?\b"
    # inverted: "..., reports this morning's Anchorage Daily News."
    r"|,\s+report(?:s|ed)\s+(?:the\s+|this\s+\w+['’]s\s+)?[A-Z]"
)
