"""A speaker's affiliation when the text gives it: the organisation a role ties the person to
in the speaker span or right around it ("its chairman, Justice Oruel", "the commission's
chairman", "police spokeswoman Inspector Drayfield", "a spokesman for Brenmoor Pharma",
"Marcus Thelwell, chief executive of Brenmoor"). Nothing is guessed: a role with no
organisation ("engineer Tom Hale", "Chief executive Marcus Thelwell") gives none.

    >>> t = "Marcus Thelwell, chief executive of Brenmoor, said sales fell."
    >>> role_organisation(t, 0, 15)
    'Brenmoor'
    >>> role_organisation("Police spokeswoman Inspector Anouk Drayfield said", 0, 44)
    'Police'
    >>> role_organisation("Its chairman, Justice Benedikt Oruel, said", 0, 36)
    'its'
    >>> role_organisation("Engineer Tom Hale said", 0, 17) is None
    True
"""

from __future__ import annotations

import re

from .lexicon import _ORG_WORDS

# roles a person holds for an organisation (longest first inside the alternation)
_ROLE = (
    r"(?:chief\s+executive(?:\s+officer)?|chief\s+operating\s+officer|executive\s+director|"
    r"managing\s+director|director[\s-]general|secretary[\s-]general|vice[\s-]president|"
    r"spokes(?:man|woman|person)|chair(?:man|woman|person)?|ceo|president|director|head|"
    r"secretary|minister|commissioner|chief|adviser|advisor|counsel|lawyer|manager)"
)
_ROLE_ANY = rf"(?i:{_ROLE})"
# roles that are only ever held for an organisation: what follows "of"/"for" is one
_ORG_ONLY_ROLES = re.compile(r"(?i)spokes|chief\s+exec|ceo|chair|executive\s+director")
_CAPS = r"[A-Z][\w&.'’-]*(?:\s+(?:(?:of|and|&|for)\s+)?[A-Z][\w&.'’-]*){0,5}"
_ORG = rf"(?:[Tt]he\s+[a-z]+|(?:[Tt]he\s+)?{_CAPS})"

# inside the span: "the commission's chairman", "a spokesman for Brenmoor Pharma",
# "the Chairman of the Commission, Justice Oruel", "Police spokesman Inspector Pell"
_IN_SPAN = (
    re.compile(rf"\b(?P<org>[Ii]ts|[Tt]heir)\s+(?:[a-z]+\s+)?{_ROLE_ANY}\b"),
    re.compile(rf"(?P<org>{_ORG})['’]s\s+(?:[a-z]+\s+)?{_ROLE_ANY}\b"),
    re.compile(rf"(?P<role>{_ROLE_ANY})\s+(?:of|for|at)\s+(?P<org>{_ORG})"),
    re.compile(rf"^(?:[Tt]he\s+)?(?P<org>{_CAPS}|[a-z]+)\s+(?P<role>{_ROLE})\s+[A-Z]"),
)
# just before the span, ending where it starts: "Its chairman, " + "Justice Oruel"
_BEFORE = tuple(re.compile(rx.pattern.lstrip("^") + r"[^,.;]{0,3},\s*$") for rx in _IN_SPAN[:3])
# just after: "Marcus Thelwell" + ", chief executive of Brenmoor"
_AFTER = re.compile(
    rf"^\s*,\s*(?:[Aa]n?\s+|[Tt]he\s+)?(?:[a-z]+\s+)?(?P<role>{_ROLE_ANY})\s+(?:of|for|at)\s+"
    rf"(?P<org>{_ORG})"
)


def role_organisation(text: str, start: int, end: int) -> str | None:
    """The organisation a role in the speaker span ``text[start:end]`` (or just around it, in
    the same sentence) ties the speaker to, as written ("its", "the commission", "Brenmoor
    Pharma"); None when no role names one. The caller resolves "its" and "the commission"."""
    span = text[start:end]
    left = re.split(r"[.!?;“”\"]\s", text[max(0, start - 80) : start])[-1]
    right = re.split(r"[.;“”\"](?:\s|$)", text[end : end + 100])[0]
    hits = [m for rx in _IN_SPAN for m in rx.finditer(span)]
    hits += [m for rx in _BEFORE for m in [rx.search(left)] if m]
    hits += [m for m in [_AFTER.match(right)] if m]
    for m in hits:
        org = _organisation(m)
        if org is not None:
            return org
    return None


def _organisation(m: re.Match) -> str | None:
    org = re.sub(r"^[Tt]he\s+", "", m.group("org")).strip()
    org = re.sub(r"['’]s$", "", org)
    if org.lower() in {"its", "their"}:
        return org.lower()
    words = org.lower().split()
    role = m.groupdict().get("role") or ""
    if any(w in _ORG_WORDS for w in words) or (org.isupper() and len(org) > 1):
        return org
    # "a spokesman for Brenmoor Pharma", "chief executive of Brenmoor": the role says it
    if role and _ORG_ONLY_ROLES.match(role) and org[:1].isupper():
        return org
    return None
