"""Issuer: whose own voice a source is, when it is an organisation's statement, release or notice.

    >>> text = ("Drug recall: batches withdrawn\\nVeldoria Medicines Agency\\nDrug Safety Notice\\n"
    ...         "The agency has directed the maker to recall 14 batches.")
    >>> issuer_names(text, title="Drug recall: batches withdrawn")
    ('Veldoria Medicines Agency',)
    >>> issuer_names("Talks resume\\nThe talks will resume in May, officials said.")
    ()
    >>> issuer_names("Rain tomorrow.", name="Kremlin readout")
    ('Kremlin',)
    >>> display_name("NATIONAL ELECTORAL COMMISSION OF THE REPUBLIC OF VELASTRIA")
    'National Electoral Commission of the Republic of Velastria'

In an organisation's own statement, release or notice, a sentence that names no speaker is the
issuer speaking: the attribution stage (:func:`divergence.attribution.attribute`) gives such
sentences the issuer as speaker, ``kind="own-voice"``, so "who said what" (``--by speaker``)
lists the issuer; so does a sentence whose speaker is the issuer naming itself ("The Commission
acknowledges that ...", a court's "It holds that ..."), its cue kept. The conflict stage reads
an own-voice claim as stated, not attributed: the issuer asserts it, so it is not "X said"
against another source's fact.

A source is an issuer's own when the user says so (``meta["issuer"]``), when its name or title
names a document and its issuer ("Kremlin readout", "Statement from the Ministry of Health",
"Halcyra statement on ..."), or when its first lines carry a document marker ("PRESS RELEASE",
"Media release", "Drug Safety Notice", "PRESS SUMMARY", "Company statement") - then the issuer
is the letterhead among those lines: a short line without sentence punctuation that names an
institution ("CITY OF TARRENFORD", "Varrow Uplands Fire and Rescue Service", "SUPREME COURT OF
OSTRELAND"), or the subject of a title that announces ("Brenmoor Pharma announces ..."). A news
article has no marker and no issuer.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from ..clean_rules import _CAPTION, _INSTITUTION

#: Document kinds whose issuer speaks in them.
_KINDS = (
    r"press\s+release|media\s+release|news\s+release|press\s+statement|press\s+note|"
    r"press\s+summary|statement|readout|read-out|notice|communiqu[eé]|declaration|transcript"
)
_MARKER_RE = re.compile(rf"(?i)\b(?:{_KINDS})\b")
_NAMED_AFTER_RE = re.compile(
    rf"(?i)^(?:(?:joint|official|company)\s+)?(?:{_KINDS})\s+(?P<prep>from|by|of)\s+(?:the\s+)?"
    r"(?P<name>[A-Z][^:;,]*?)(?:\s+(?:on|about|regarding|after|following)\b.*)?$"
)
_NAMED_BEFORE_RE = re.compile(
    rf"^(?:the\s+)?(?P<name>[A-Z][\w'’&.-]*(?:\s+[A-Z][\w'’&.-]*){{0,5}})['’]?s?\s+(?:{_KINDS})\b"
)
_OPENS_WITH_KIND_RE = re.compile(
    rf"(?i)(?:(?:joint|official)\s+)?(?:{_KINDS})\s+(?:of|from|by|on)\b"
)
_ANNOUNCES_RE = re.compile(
    r"^(?P<name>[A-Z][\w'’&.-]*(?:\s+(?:and\s+|&\s+)?[A-Z][\w'’&.-]*){0,5})\s+"
    r"(?:announces|confirms|statement|welcomes|responds|says|issues|launches|recalls)\b"
)
# an institution named on a line of its own: the letterhead words the clean stage knows
# ("MINISTRY OF ...", "... Agency", "... PLC"), and heads of state's offices and company names
_HEADS = re.compile(r"(?i)\b(?:white\s+house|kremlin|presidency|cabinet|systems|pharma)\b")
_DATE_RE = re.compile(r"(?i)\b(?:\d{1,2}[./]\d{1,2}[./]\d{2,4}|\d{4}|date|issued|released)\b")
_HEAD_LINES = 6


def _lines(text: str) -> list[str]:
    out = []
    for line in text.splitlines():
        line = " ".join(line.split())
        if line:
            out.append(line)
        if len(out) >= _HEAD_LINES:
            break
    return out


def _named(line: str) -> str | None:
    """The issuer a title or source name names with its document kind, if any: "Statement from
    / by X", "X's readout"; "Statement of X" only when X is an institution ("of the Ministry of
    Health", not "Readout of President Biden's Call with ..." or "Declaration of Results").

    >>> _named("Statement of the Ministry of Health"), _named("Declaration of Results")
    ('Ministry of Health', None)
    """
    for rx in (_NAMED_AFTER_RE, _NAMED_BEFORE_RE):
        m = rx.match(line)
        if m:
            name = m.group("name").strip(" -–—|")
            name = re.sub(r"['’]s?$", "", re.sub(r"^[Tt]he\s+", "", name))  # "The Kremlin's"
            if "prep" in m.groupdict() and m.group("prep").lower() == "of":
                if not _institution(name):
                    return None
            if name and not _MARKER_RE.fullmatch(name):
                return name
    return None


#: Letterhead parts that name a desk, not the issuer ("Halcyra Systems | Newsroom").
_DESKS = frozenset({"newsroom", "press office", "press centre", "media centre", "media center"})


def _institution(part: str) -> bool:
    if part.lower() in _DESKS:
        return False
    return bool(_INSTITUTION.search(part) or _HEADS.search(part))


def _letterhead(line: str) -> list[str]:
    """Institution names on a short header line ("Halcyra Systems | Newsroom" -> both parts)."""
    if len(line.split()) > 12 or line[-1:] in '.?!"”' or _DATE_RE.search(line):
        return []
    if _CAPTION.search(line):
        return []  # a case caption names the parties, not the issuer
    parts = [p.strip() for p in re.split(r"\s+[|•·]\s+", line) if p.strip()]
    return [p for p in parts if _institution(p) and not _MARKER_RE.search(p)]


def issuer_names(
    text: str,
    *,
    name: str | None = None,
    title: str | None = None,
    meta: Mapping[str, object] | None = None,
) -> tuple[str, ...]:
    """The names a source's issuer goes by, when the source is an issuer's own document (see
    the module docstring); ``()`` for a news article or when nothing names the issuer."""
    given = (meta or {}).get("issuer")
    if isinstance(given, str) and given.strip():
        return (given.strip(),)
    head = _lines(text)
    names: list[str] = []
    for line in [name or "", title or "", *head[:1]]:
        found = _named(line)
        if found and found not in names:
            names.append(found)
    # a document marker on a short header line, or a title that opens with its document kind
    # ("Readout of President Biden's Call with ...": the issuer is on the letterhead)
    marked = (
        bool(names)
        or any(_MARKER_RE.search(line) and len(line.split()) <= 8 for line in head[1:])
        or any(_OPENS_WITH_KIND_RE.match(t) for t in (title or "", *head[:1]))
    )
    if not marked:
        return ()
    for line in head[1:]:
        parts = _letterhead(line)
        if parts:  # the first letterhead line only: later ones give an office or an address
            names += [p for p in parts if p not in names]
            break
    if not names and head:
        m = _ANNOUNCES_RE.match(title or head[0])
        if m:
            names.append(m.group("name"))
    return tuple(names)


_SMALL = frozenset("of the and for on in at to a an".split())


def display_name(name: str) -> str:
    """An issuer name as a speaker: a letterhead in capitals in title case, else as written."""
    if not name.isupper():
        return name
    words = name.lower().split()
    return " ".join(
        w if (i and w in _SMALL) else w[:1].upper() + w[1:] for i, w in enumerate(words)
    )


def issuer_span(text: str, name: str) -> tuple[int, int]:
    """Offsets of ``name`` in the source text (its first lines), ``(0, 0)`` when the name was
    given by the user or the source's name rather than the text."""
    i = text.find(name)
    return (i, i + len(name)) if i >= 0 else (0, 0)
