"""Whose figure a number is, from the dependency parse the attribution stage already makes.

"The Nasdaq Composite Index shed 15 points" and "The broader Standard & Poor's 500 Index edged
down 9 points" give two indices' changes; the counted noun ("points") cannot tell them apart,
the subject of the verb that governs the figure can. :func:`owner` climbs from the number to
the first verb above it and returns the names (proper nouns, lower-cased) in that verb's
subject; :func:`other_owners` says two figures belong to different named things when each has
such names and neither text names the other's. A figure that is itself the subject ("two men
had died") or whose subject names nothing ("the application collected ... 2.3 million users")
has no owner, so nothing changes for it.

The parse is used only when the attribution or clause stage has loaded spaCy in this process
(the default torch path); this module never loads it, so the torch-free path (rules
attribution) keeps the old test: every figure has no owner and no pair is blocked here.
"""

from __future__ import annotations

import re

from ..attribution.resolve import _kind_of

_VERB_POS = {"VERB", "AUX"}
_SUBJ = {"nsubj", "nsubjpass"}


def owner(text: str, start: int, end: int) -> frozenset[str]:
    """Lower-cased proper nouns in the subject of the verb that governs the number at
    ``text[start:end]``, and in possessives on the way up to it ("Pakistan's 140 million
    people"); empty without spaCy, or when there are none.

    >>> sorted(owner("The Nasdaq Composite Index shed 15 points.", 32, 34))  # doctest: +SKIP
    ['composite', 'index', 'nasdaq']
    """
    doc = _doc(text)
    if doc is None:
        return frozenset()
    toks = [t for t in doc if t.idx < end and t.idx + len(t.text) > start]
    if not toks:
        return frozenset()
    tok, seen = toks[-1], 0
    figure_path = {tok.i}
    names: set[str] = set()
    while tok.pos_ not in _VERB_POS and tok.head.i != tok.i and seen < 8:
        names |= _possessors(tok)  # "Pakistan's 140 million people"
        tok, seen = tok.head, seen + 1
        figure_path.add(tok.i)
    if tok.pos_ not in _VERB_POS:
        return frozenset(names)
    for child in tok.children:
        if child.dep_ in _SUBJ and not figure_path & {t.i for t in child.subtree}:
            for t in child.subtree:
                if t.pos_ == "PROPN":
                    names |= _pieces(t.text)
    return frozenset(names)


def _possessors(tok) -> set[str]:
    """Proper nouns that own a noun on the figure's way up ("Pakistan's" in "Pakistan's 140
    million people")."""
    out: set[str] = set()
    for child in tok.children:
        if child.dep_ == "poss":
            for t in child.subtree:
                if t.pos_ == "PROPN":
                    out |= _pieces(t.text)
    return out


def other_owners(tx: str, xs: int, xe: int, ty: str, ys: int, ye: int) -> bool:
    """Whether the two figures belong to different named things: each figure's subject names
    something the other text never names."""
    ox = owner(tx, xs, xe)
    if not ox:
        return False
    oy = owner(ty, ys, ye)
    if not oy:
        return False
    return bool(ox - _pieces(ty)) and bool(oy - _pieces(tx))


def _pieces(text: str) -> set[str]:
    """Lower-cased runs of letters and digits of two characters or more ("Schering-Plough" ->
    schering, plough; "Poor's" -> poor; "NXTP.O" -> nxtp), so that a name compares the same
    however the parser or the text splits it."""
    return {w for w in re.findall(r"[a-z0-9]+", text.lower()) if len(w) > 1}


def _doc(text: str):
    from ..parsing import load_spacy, parse

    if not load_spacy.cache_info().currsize:
        return None  # spaCy not loaded by the attribution or clause stage: never load it here
    try:
        return parse([text])[0]
    except Exception:  # noqa: BLE001 - a parse failure leaves the figure without an owner
        return None


# a possessive right after the reporting verb: "said his average federal tax rate was ..."
_OWN_RE = re.compile(r"\s+(?:that\s+)?(?:his|her)\b", re.I)


def own_possession(tail: str, speaker: str, other: str) -> bool:
    """Whether a person speaks of his or her own thing ("Bush said his average federal tax rate
    was 36 percent") that the other side, which never names that person, cannot be stating:
    its figure is someone else's ("the Clintons' federal tax rate for 2014 was 35.7 percent").
    Not for a group ("doctors said his condition was critical"), whose "his" is another person.

    >>> own_possession(" his average federal tax rate was 36 percent", "Jeb Bush",
    ...                 "Their federal tax rate for 2014 was 35.7 percent.")
    True
    >>> own_possession(" his condition was critical", "doctors", "He is in critical condition.")
    False
    """
    if not _OWN_RE.match(tail) or _kind_of(speaker) != "person":
        return False
    return speaker.split()[-1].lower() not in other.lower()
