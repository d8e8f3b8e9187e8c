"""Word lists of the attribution stage: reporting-verb cues and the words that name speakers.

    >>> CUE_FORMS["said"], CUE_FORMS["denies"]
    ('say', 'deny')
    >>> "Kremlin" in _ORG_WORDS, "kremlin" in _ORG_WORDS
    (False, True)

Data only (and the regular expression of cue forms built from it); the rules, the resolver and
the hedge finder import from here, never the other way.
"""

from __future__ import annotations

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
# Verbs that give an organisation's account ("the Kremlin concentrated on Putin's response",
# "the White House highlighted ..."): a frame only when the subject is an organisation or a
# document (a readout, a statement), never a person or a thing ("crews focused on the flank").
ACCOUNT_LEMMAS = (
    "concentrate",
    "focus",
    "highlight",
    "underline",
    "portray",
    "characterize",
    "characterise",
)
ACCOUNT_FORMS = {f: lemma for lemma in ACCOUNT_LEMMAS for f in _forms(lemma)} | {
    "focussed": "focus",
    "focusses": "focus",
    "focussing": "focus",
}
# a court's or an inquiry's judgment ("the court ruled that ...", "investigators found that
# ..."): a frame only with a that-clause (spaCy only)
JUDGMENT_LEMMAS = ("rule", "hold", "find", "conclude", "determine")
JUDGMENT_FORMS = {
    f: lemma
    for lemma, forms in {
        "rule": ("rule", "rules", "ruled", "ruling"),
        "hold": ("hold", "holds", "held", "holding"),
        "find": ("find", "finds", "found", "finding"),
        "conclude": ("conclude", "concludes", "concluded", "concluding"),
        "determine": ("determine", "determines", "determined", "determining"),
    }.items()
    for f in forms
}
# a person's words given by an idiom or a label (spaCy only): "As X puts it, ...", "X put it
# bluntly: ...", "X called the ruling 'a victory'" (a label only with a quotation)
PUT_FORMS = ("put", "puts", "putting")
LABEL_LEMMAS = ("call", "brand", "dub", "label", "hail")
LABEL_FORMS = {f: lemma for lemma in LABEL_LEMMAS for f in _forms(lemma)} | {
    "labelled": "label",
    "labelling": "label",
    "dubbed": "dub",
    "dubbing": "dub",
}
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
    "court",
    "embassy",
    "commission",
    "authority",
    "service",
    "regulator",
    "company",
    "firm",
    "board",
    "union",
    "league",
    "association",
    "institute",
    "university",
    "tribunal",
    "group",
    "bank",
    "plc",
    "ltd",
    "inc",
    "corp",
    "systems",
    "industries",
    "holdings",
    "airlines",
    "pharma",
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
_DOC_WORDS = {
    "readout",
    "statement",
    "summary",
    "note",
    "communique",
    "transcript",
    "report",
    "judgment",
    "judgement",
    "ruling",
    "verdict",
}
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
