"""Speakers: a speaker span normalised to the entity it names, and pronouns and re-mentions
resolved to the article's earlier speakers.

    >>> normalise_speaker("the White House")
    'White House'
    >>> r = _Resolver()
    >>> r.resolve("Jake Sullivan", 0, 13)
    ('Jake Sullivan', 0, 13, False)
    >>> r.resolve("he", 40, 42)
    ('Jake Sullivan', 0, 13, True)
"""

from __future__ import annotations

import re

from .affiliation import role_organisation
from .lexicon import (
    _DETERMINERS,
    _DOC_WORDS,
    _NUMBER_WORDS,
    _ORG_WORDS,
    _PRONOUNS,
    _QUANTIFIERS,
    _ROLE_WORDS,
)


def _words(span: str) -> list[str]:
    return [w for w in re.split(r"\s+", span.strip()) if w]


_CITY, _AGENCY = r"[A-Z][A-Z.'’ -]+", r"\([A-Z][\w.& ]{0,20}\)\s*"
_DATELINE_RE = re.compile(
    rf"^(?:{_CITY},[^()–—]{{0,40}}?\s*(?:{_AGENCY})?|(?:{_CITY}\s*)?{_AGENCY})(?:[-–—]+\s+|$)"
)


# what a study gives ("according to research by the League" -> the League)
_EVIDENCE = {"research", "study", "analysis", "survey", "data", "figures", "estimates", "poll"}
# a judgment is a court's: "the judgment said" never names a company or a league
_JUDGMENTS = {"judgment", "judgement", "ruling", "verdict"}
_COURT_RE = re.compile(r"\b(?:[Cc]ourt|[Tt]ribunal|[Jj]ustices|[Jj]udges?)\b")


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
    span = " ".join(span.replace("’", "'").split()).strip(" ,;:\"'“”-–—")
    if span.endswith(".") and not re.search(r"(?:\b[A-Z]\.)+$|\b(?:Mr|Mrs|Ms|Dr|Jr|Sr)\.$", span):
        span = span[:-1]
    # a dateline is no part of a name: "HALMERIN, 17 May (CPA) - the commission", "(CNS) - X"
    span = _DATELINE_RE.sub("", span) or span
    # a sentence-initial article is no part of a name ("The Supreme Court")
    span = re.sub(r"^(?:The|A|An)\s+(?=[A-Z])", "", span)
    # "a readout of the call from the Kremlin" -> the issuer
    issuers = re.findall(r"\b(?:from|by)\s+(?:the\s+)?([A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*)*)", span)
    first = _words(span)[:4]
    if issuers and any(w.lower() in _DOC_WORDS | _EVIDENCE for w in first):
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
    # "two of the seven justices" -> "justices": numbers, and the "of" of a part taken
    while (
        words and (w := words[0].lower()) and (w in _NUMBER_WORDS or w[:1].isdigit() or w == "of")
    ):
        words = words[1:]
    # possessor dropped: "Putin's aide" -> "aide"; "Russia's foreign ministry" -> kept whole
    if len(words) > 1 and words[0].endswith("'s") and words[-1].lower() in _ROLE_WORDS:
        words = words[1:]
    # document words name their issuer: "Kremlin readout" -> "Kremlin"
    if len(words) > 1 and words[-1].lower().rstrip("s") in _DOC_WORDS:
        words = words[:-1]
        words[-1] = re.sub(r"'s$", "", words[-1])  # "the court's ruling" -> "court"
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
    # a plural common noun ("administration officials"), not a name ending in s ("Ines Dimas")
    # nor a company ("Orrin Systems")
    last = words[-1]
    if last.endswith("s") and not last.endswith("ss") and last not in {"nations"} | _ORG_WORDS:
        return "person" if len(words) > 1 and _person_name(entity) == entity else "plural"
    if any(w in _ORG_WORDS for w in words) or entity.isupper():
        return "thing"
    if entity[:1].isupper() or entity.split()[-1][:1].isupper():
        return "person"
    return "person" if words[-1] in _ROLE_WORDS else "thing"


_NAME = r"([A-Z][\w.&-]*(?:\s+(?:&\s+)?[A-Z][\w.&-]*){0,3})"
_DOC = (
    r"(?:readout|statement|summary|note|communique|communiqué|transcript|release|judge?ment|ruling"
    r"|verdict)"
)
_ISSUER_RES = (
    # "the Kremlin's readout", "a White House statement"
    re.compile(rf"\b{_NAME}(?:['’]s)?\s+(?:\w+\s+)?{_DOC}\b"),
    # "a readout of the call from the Kremlin", "a statement issued by the ministry"
    re.compile(
        rf"\b{_DOC}\s+(?:of\s+the\s+\w+\s+)?(?:(?:issued|released|published)\s+)?"
        rf"(?:from|by)\s+(?:the\s+)?{_NAME}"
    ),
)


# a court named in the text: "Ostreland's Supreme Court", "the Court of Appeal"
_COURT_NAME_RE = re.compile(r"\b((?:[A-Z][\w'’-]*\s+){0,3}Court(?:\s+of\s+[A-Z]\w+)?)")


def issuer_before(text: str, pos: int) -> tuple[str, int, int] | None:
    """The organisation that issued the last document named before ``pos`` ("the Kremlin's
    readout", "a statement from the ministry"): ``(name, start, end)`` or None.

    >>> issuer_before("The Kremlin's readout was short. The note said ...", 40)
    ('Kremlin', 4, 11)
    """
    best = None
    for rx in _ISSUER_RES:
        for m in rx.finditer(text, 0, pos):
            name = m.group(1)
            words = name.split()
            while words and words[0].lower() in _DETERMINERS | {"a", "the"}:
                words = words[1:]
            if not words or words[-1].lower().rstrip("s") in _DOC_WORDS:
                continue
            start = m.start(1) + name.index(words[0])
            cand = (" ".join(words), start, start + len(" ".join(words)))
            if best is None or cand[1] > best[1]:
                best = cand
    return best


def titled_name_before(text: str, pos: int, surface: str) -> tuple[str, int, int] | None:
    """The person a definite role re-mention points back to: the last "<Role> <Name>" written
    before ``pos`` ("President Joe Biden" for "the new president"), its capitalised modifiers
    also before the role when the re-mention has some ("the Russian president": "Russian
    President Vladimir Putin", not "President Joe Biden"). None when the surface names no role.

    >>> t = "President Joe Biden called Russian President Vladimir Putin. The new president said"
    >>> titled_name_before(t, t.index("The new"), "The new president")[0]
    'Joe Biden'
    >>> titled_name_before(t, t.index("The new"), "the Russian president")[0]
    'Vladimir Putin'
    >>> titled_name_before(t, t.index("The new"), "the senator") is None
    True
    """
    words = [w.strip(",.") for w in surface.split()]
    if not words or words[-1].lower().rstrip("s") not in _ROLE_WORDS:
        return None
    role = words[-1].lower()
    mods = [w for w in words[1:-1] if w[:1].isupper()]
    pat = re.compile(
        rf"\b{re.escape(role.capitalize())}\s+((?:[A-Z][\w'’-]+\s+){{0,2}}[A-Z][\w'’-]+)"
    )
    plain = modified = None
    for m in pat.finditer(text, 0, pos):
        before = text[max(0, m.start() - 40) : m.start()]
        if not all(mod in before for mod in mods):
            continue
        name = _person_name(f"{role} {m.group(1)}")
        if name:
            last = re.search(r"([A-Z][\w'’-]*)\s+$", before)
            qualified = last is not None and last.group(1) not in ("The", "A", "An")
            hit = (name, m.start(1), m.start(1) + len(name))
            if qualified:
                modified = hit
            else:
                plain = hit
    # a re-mention without a capitalised modifier means the title unqualified ("the new
    # president" is "President Joe Biden", not "Russian President Vladimir Putin")
    return (plain or modified) if not mods else (modified or plain)


_CAPS = r"[A-Z][\w'’&.-]*(?:\s+(?:(?:of|and|&)\s+)?[A-Z][\w'’&.-]*){0,5}"
_OPENING_RE = re.compile(rf"[\s“\"]*(?:The\s+)?({_CAPS})\s+(?:has\s+|have\s+|also\s+)?[a-z]")
# what introduces a company by name: "app maker Halcyra Systems", "the firm Orrin Ltd"
_COMPANY_RE = re.compile(
    r"\b(?:company|firm|maker|makers|group|developer|manufacturer|operator|provider|retailer|"
    rf"lender|insurer|airline|carrier|drugmaker|producer|giant)\s+({_CAPS})"
)


def opening_organisation(text: str, start: int, end: int) -> tuple[str, int, int] | None:
    """The organisation a sentence ``text[start:end]`` opens with as its subject ("The Supreme
    Court allows the appeal."), the referent of an "it" in the next sentence; None when the
    sentence opens otherwise or with a person.

    >>> t = "The Supreme Court allows the appeal. It holds that ..."
    >>> opening_organisation(t, 0, 36)
    ('Supreme Court', 4, 17)
    >>> opening_organisation("Hale allows the appeal.", 0, 23) is None
    True
    """
    m = _OPENING_RE.match(text, start, end)
    if m is None:
        return None
    entity = normalise_speaker(m.group(1))
    if _kind_of(entity) != "thing" or entity.lower() in _DETERMINERS or _is_document(entity):
        return None
    if not any(w in _ORG_WORDS for w in entity.lower().split()) and not entity.isupper():
        return None
    return entity, m.start(1), m.end(1)


def company_before(text: str, pos: int) -> tuple[str, int, int] | None:
    """The company named last before ``pos`` with a word that says it is one ("fitness app
    maker Halcyra Systems"): what "the company" / "the firm" refers to.

    >>> company_before("The drugmaker Orrin Labs fell. The company said ...", 31)
    ('Orrin Labs', 14, 24)
    """
    hits = [m for m in _COMPANY_RE.finditer(text, 0, pos)]
    if not hits:
        return None
    m = hits[-1]
    return m.group(1), m.start(1), m.end(1)


def named_before(text: str, pos: int, head: str) -> tuple[str, int, int] | None:
    """The last name before ``pos`` that ends in ``head`` capitalised: what "the agency" or
    "the Commission" refers to when no speaker was called so.

    >>> named_before("The Dalby Water and Power Agency (DWPA) acted. The agency said", 50, "agency")
    ('Dalby Water and Power Agency', 4, 32)
    """
    word = re.escape(head.capitalize())
    # a name sits on one line: not "PE" of a letterhead's "No. 61/PE" before "The Commission"
    rx = re.compile(rf"\b((?:[A-Z][\w'’-]*[ \t]+(?:(?:of|and|&|for)[ \t]+)?){{1,5}}{word})\b")
    names = [
        (re.sub(r"^(?:The|A|An)\s+", "", m.group(1)), m.end(1)) for m in rx.finditer(text, 0, pos)
    ]
    names = [(n, e) for n, e in names if " " in n]  # a name, not "the Agency" itself
    if not names:
        return None
    name, end = names[-1]
    return name, end - len(name), end


def _is_document(entity: str) -> bool:
    words = entity.lower().split()
    return bool(words) and all(w.rstrip("s") in _DOC_WORDS for w in words)


def _stems(text: str) -> set[str]:
    """Lower-case words without edge punctuation or a plural s, as re-mentions compare them."""
    return {w.strip(",.'’").rstrip("s") for w in text.lower().split()}


class _Resolver:
    """Keeps the article's speakers in order and resolves pronouns, re-mentions and documents
    ("the note said": the organisation that issued it)."""

    def __init__(self, text: str = "") -> None:
        self.text = text
        self.history: list[tuple[str, int, int]] = []  # (entity, start, end)
        self.surfaces: list[tuple[str, int, int, set[str]]] = []  # ... and the span's words
        # the sentence before the one being resolved, in its paragraph (set by the stage)
        self.previous: tuple[int, int] | None = None
        self.organisations: set[str] = set()  # names known to be organisations ("the company")
        self.affiliations: dict[str, str] = {}  # speaker -> the organisation a role tied it to

    def full_name(self, entity: str) -> str:
        if " " not in entity and entity[:1].isupper():
            for known, _s, _e in reversed(self.history):
                if known != entity and known.split()[-1] == entity:
                    return known
        return entity

    def resolve(self, surface: str, start: int, end: int) -> tuple[str, int, int, bool] | None:
        low = surface.lower().strip()
        if low in _QUANTIFIERS or low.split()[:1] in (["none"], ["no"], ["nobody"], ["neither"]):
            return None  # "both said", "none of the complaints discloses": no entity to name
        if low == "it":
            # "The Supreme Court allows the appeal. It holds that ...": the organisation the
            # sentence before opened with, whether or not it spoke there
            found = self._opening_organisation()
            if found is not None:
                self._remember(found[0], found[1], found[2], found[0])
                return (*found, True)
        if low in _PRONOUNS:
            want = _PRONOUNS[low]
            for entity, s, e in reversed(self.history):
                if self._kind(entity) == want:
                    return entity, s, e, True
            return None
        entity = self.full_name(normalise_speaker(surface))
        if _is_document(entity):
            # "the note", "the statement": its issuer, named before in the article
            found = issuer_before(self.text, start)
            judged = any(w.rstrip("s") in _JUDGMENTS for w in entity.lower().split())
            if found is None:
                for known, s, e in reversed(self.history):
                    if self._kind(known) == "thing" and (not judged or _COURT_RE.search(known)):
                        return known, s, e, True
                court = [m for m in _COURT_NAME_RE.finditer(self.text, 0, start)] if judged else []
                if not court:
                    return None  # a document nobody is said to have issued: no speaker
                found = court[-1].group(1), court[-1].start(1), court[-1].end(1)
            name, s, e = found
            entity = normalise_speaker(name)
            self.history.append((entity, s, e))
            self.surfaces.append((entity, s, e, {w.lower() for w in entity.split()}))
            return entity, s, e, True
        words = surface.lower().split()
        bare = len(words) == 1 and surface.strip()[1:].islower()
        if words and (bare or (words[0] in {"the", "these", "those"} and len(words) <= 3)):
            # a definite re-mention ("the officials", "the adviser") or a bare common noun
            # ("officials said") points back to the last speaker whose own mention had the
            # same head word ("senior administration officials")
            head = words[-1].rstrip("s")
            # "the Russian president" is not the last "president" unless he was "Russian" too
            mods = _stems(" ".join(w for w in surface.split()[1:-1] if w[:1].isupper()))
            for known, s, e, seen in reversed(self.surfaces):
                if bare and _kind_of(known) != _kind_of(entity):
                    continue  # "justices said" is not "Justice Thorsby"
                if head in seen and known != entity and mods <= seen:
                    return known, s, e, True
            company = None if bare else self._named_organisation(head, start, len(words) == 2)
            if company is not None:
                # "the company" no earlier speaker was called: the company named last
                name, s, e = company
                self.organisations.add(name)
                self._remember(name, s, e, f"{name} {head}")
                return name, s, e, True
            if not bare:
                # "the new president": no earlier speaker had the title; the person the
                # article titled so last ("President Joe Biden")
                titled = titled_name_before(self.text, start, surface)
                if titled is not None:
                    name, s, e = titled
                    entity = self.full_name(name)
                    self._remember(entity, s, e, surface)
                    return entity, s, e, True
        self._remember(entity, start, end, surface)
        return entity, start, end, False

    def _opening_organisation(self) -> tuple[str, int, int] | None:
        """The organisation the sentence before opened with (what "it" / "its" refers to)."""
        return None if self.previous is None else opening_organisation(self.text, *self.previous)

    def _named_organisation(
        self, head: str, start: int, named: bool
    ) -> tuple[str, int, int] | None:
        """The organisation "the company" / "the firm" (or, ``named``, "the agency") refers to:
        the one the text named last before ``start`` with that word."""
        company = company_before(self.text, start) if head in {"company", "firm"} else None
        if company is None and head in _ORG_WORDS and named:
            company = named_before(self.text, start, head)
        return company

    def affiliation(self, entity: str, start: int, end: int) -> str | None:
        """The organisation a role in the speaker span ``text[start:end]`` ties ``entity`` to
        ("its chairman": the organisation named last; "the commission's chairman": the
        commission as named before), else the one an earlier mention of the same person gave."""
        org = role_organisation(self.text, start, end)
        if org in ("its", "their"):
            found = self._opening_organisation()
            if found is None:
                things = [h for h in self.history if h[1] < start and self._kind(h[0]) == "thing"]
                found = things[-1] if things else None
            org = None if found is None else found[0]
        elif org is not None and " " not in org and org.lower() in _ORG_WORDS:
            # "the commission's chairman", "Commission chairman": the commission named before
            found = self._named_organisation(org.lower(), start, True)
            org = found[0] if found is not None else org
        if org is not None:
            self.affiliations[entity] = org
            return org
        # a re-mention of someone whose role was given: "Justice Oruel" after "Justice Benedikt
        # Oruel, its chairman"
        if entity in self.affiliations:
            return self.affiliations[entity]
        last = entity.split()[-1] if entity.split() and entity[:1].isupper() else None
        same = {o for k, o in self.affiliations.items() if last and k.split()[-1] == last}
        return same.pop() if len(same) == 1 else None

    def _kind(self, entity: str) -> str:
        return "thing" if entity in self.organisations else _kind_of(entity)

    def _remember(self, entity: str, start: int, end: int, surface: str) -> None:
        """A speaker the later re-mentions can point back to, with its mention's words."""
        self.history.append((entity, start, end))
        self.surfaces.append((entity, start, end, _stems(surface)))
