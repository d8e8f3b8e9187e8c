"""The clean stage's rule table: what a single line of a scraped article is, by its text alone.

Patterns for each kind of page furniture (teasers, bylines, datelines, captions, chrome,
footers, sign-offs, contacts, newsletter prompts, disclaimers, release back matter) and the
line-level rules built on them. :mod:`divergence.clean` is the engine: it applies these to each
line, adds the rules that depend on a line's neighbours and position (captions next to a credit,
the title and its copies, lines above the first or after the last sentence, tail blocks,
headings) and fills the source's metadata. The kinds are listed in that module's docstring.

    >>> _header_reason("By Associated Press"), find_date("Updated: March 3, 2021")
    ('byline', '2021-03-03')
"""

from __future__ import annotations

import re
import unicodedata

_TERMINAL = re.compile(r"[.!?…:;][\"'”’)\]]*\s*$")
_WORD = re.compile(r"\w+(?:[-'’.]\w+)*", re.UNICODE)

_MONTHS = {
    m: i
    for i, m in enumerate(
        ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"),
        start=1,
    )
}
_MONTH_RE = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?"
_DATE_PATTERNS = [
    re.compile(r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)\b"),
    re.compile(
        rf"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s+(?P<mon>{_MONTH_RE})\s*,?\s+(?P<y>(?:19|20)\d\d)\b",
        re.I,
    ),
    re.compile(
        rf"\b(?P<mon>{_MONTH_RE})\s+(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\s*,?\s+(?P<y>(?:19|20)\d\d)\b",
        re.I,
    ),
]

_RELATED = re.compile(
    r"^(?:READ(?:\s+MORE)?\b|(?i:also\s+read|read\s+more|related(?:\s+(?:stories|articles|news))?"
    r"\s*:|see\s+also\s*:|recommended\s*:|more\s+from\b|watch\s*:))"
)
_UI_PROMPT = re.compile(
    r"^(?i:sign\s+up\b|subscribe\b|follow\s+us\b|click\s+here\b|download\s+(?:the|our)\s+app\b"
    r"|share\s+(?:this|on)\b|advertisement\b|translate\s+this\b|leave\s+a\s+comment\b"
    r"|print\s+this\b|email\s+this\b|get\s+the\s+latest\b|join\s+our\b)"
)
_CREDIT = re.compile(
    r"(?i)\(photo\b|\bphoto\s*[:|]|\bfile\s+photo\b|\bphoto\s+credit\b|\bgetty\s+images\b"
    r"|\bimage\s*(?:credit)?\s*:|\bcredit\s*:|\bpicture\s*:|\(ap\s+photo\b|\bafp\s+photo\b"
    r"|\breuters/|\bphotograph:"
)
_BYLINE = re.compile(
    r"^(?:By|BY)\s+(?P<name>[A-Z][\w.'’&-]*(?:\s+(?:[A-Z][\w.'’&-]*|and|of|&)){0,6})\s*$"
)
_SOURCE_FIELD = re.compile(
    r"(?i)\bsource\s*:\s*(?P<name>[^|\s]+(?:\s+[^|\s:]+)*?)(?=\s+\w+\s*:|\s*\||\s*$)"
)
_LABELLED_FIELD = re.compile(r"(?:^|\|)\s*[A-Z][\w ]{1,30}\s*:\s*\S")
_DOWNLOAD_CREDIT = re.compile(
    r"(?i)^(?:downloaded\s+from\b|©|\(c\)\s|copyright\b|all\s+rights\s+reserved)"
)
_DATE_LABEL = re.compile(r"(?i)\b(?:published|updated|last\s+updated|posted|date)\b\s*:?")

# Release and document furniture (kinds of line, not known sites).
_END_MARK = re.compile(
    r"(?i)^[-–—\s]*(?:ends?|end\s+of\s+(?:release|statement|text)|#\s*#\s*#|30|xxx)[-–—\s]*$"
)
_WIRE_CREDIT = re.compile(
    r"(?i)^\(?\s*(?:(?:additional|further)\s+)?(?:reporting|writing|editing|edited|compiled"
    r"|produced|research|fact[- ]checking|graphics)\s+by\s"
)
_UPDATE_NOTE = re.compile(
    r"(?i)^(?:this|the)\s+(?:story|article|report|page|post)\s+(?:will\s+be|is\s+being|may\s+be)"
    r"\s+updated\b|^this\s+is\s+a\s+(?:developing|breaking)\s+(?:news\s+)?story\b"
    r"|^(?:more|further\s+details|updates?)\s+to\s+follow\b|^check\s+back\s+(?:later\s+)?for\b"
)
_STANDARDS = re.compile(
    r"(?i)^our\s+(?:standards|editorial\s+(?:standards|values|guidelines|principles|policy)"
    r"|code\s+of\s+(?:practice|conduct|ethics))\b|\btrust\s+principles\b"
)
_CONTACT = re.compile(
    r"(?i)^(?:for\s+)?(?:(?:media|press|news|further|more|general|investor|public|editorial)\s+)?"
    r"(?:enquiries|inquiries|contacts?|information|relations)\s*(?::|–|—|-\s)"
    r"|^(?:press|media|communications)\s+(?:office|team|desk)\s*:"
    r"|^for\s+(?:more|further)\s+information\b.*\b(?:contact|call|email|visit)\b"
)
_SOCIAL = re.compile(
    r"(?i)^follow\s.*(?:\bsocial\s+media\b|\b(?:twitter|x|facebook|instagram|linkedin|youtube"
    r"|tiktok|threads|bluesky|whatsapp|telegram|mastodon)\b|@\w)"
)
# Newsletter sign-ups (an imperative or a "newsletter" with "your inbox"), and membership or
# donation appeals ("Support independent ...", "Donate ...", "Become a member ...").
_NEWSLETTER = re.compile(
    r"(?i)^(?:get|receive|sign\s+up|subscribe|join|never\s+miss|don['’]t\s+miss|stay\s+informed"
    r"|want|enjoy|have)\b.*\b(?:newsletters?|briefing|inbox|email\s+updates)\b"
    r"|\bnewsletter\b.*\byour\s+inbox\b|\byour\s+inbox\b.*\bnewsletter\b"
    r"|^(?:please\s+)?(?:support\s+(?:independent|our|us|local|quality|trusted|public)"
    r"|donate\b|become\s+a\s+(?:member|subscriber|supporter|patron|friend)|help\s+(?:us|fund|keep)"
    r"\b)"
)
_READER_APPEAL = re.compile(
    r"(?i)^(?:got|have\s+you\s+got|do\s+you\s+have|have\s+you\s+seen)\s+(?:a\s+|any\s+)?"
    r"(?:news\s+)?(?:photos?|pictures?|videos?|footage|story|information|tips?|news)\b"
    r"|^(?:send|email|message|contact|tell)\s+us\b"
)
_BLOCK_HEAD = {
    "about-boilerplate": re.compile(
        r"(?i)^(?:about\s+\S|notes?\s+(?:to|for)\s+editors?\b|editors?['’]?\s+notes?\b)"
    ),
    "disclaimer": re.compile(
        r"(?i)^(?:forward[- ]looking\s+(?:statements?|information)|cautionary\s+(?:note|statement)"
        r"|safe\s+harbou?r\b|disclaimers?\b|legal\s+notice|important\s+(?:notice|information))"
    ),
}
_DISCLAIMER_PHRASE = re.compile(
    r"(?i)forward[- ]looking\s+statements?|risks\s+and\s+uncertainties|differ\s+materially"
    r"|does\s+not\s+form\s+part\s+of|only\s+authoritative|not\s+(?:a\s+substitute\s+for|intended"
    r"\s+(?:as|to\s+be)|legal\s+advice)|for\s+information(?:al)?\s+(?:purposes\s+)?only"
    r"|no\s+obligation\s+to\s+update|views\s+expressed|should\s+not\s+be\s+relied\s+upon"
)
_NOTE_LABEL = re.compile(r"(?i)^(?:note|disclaimer|important)\s*:")
_CAPTION = re.compile(
    r"\((?:Appellants?|Respondents?|Claimants?|Defendants?|Petitioners?|Applicants?|Plaintiffs?)\)"
    r"|^[A-Z][\w.&'’ -]+\s+v\.?\s+[A-Z][\w.&'’ -]+$"
)
# An issuer's letterhead names an institution: "MINISTRY OF ...", "... POLICE, CITY", "... PLC".
_INSTITUTION = re.compile(
    r"(?i)\b(?:office|ministry|department|court|tribunal|commission|committee|council|agency"
    r"|authority|service|police|government|city|county|state|republic|kingdom|university|college"
    r"|school|hospital|foundation|association|federation|union|institute|bureau|board|company"
    r"|corporation|group|ltd|limited|inc|plc|llc|gmbh|bank|embassy|parliament|assembly|senate"
    r"|chamber|secretariat|directorate|newsroom|trust|society|centre|center|organi[sz]ation)"
    r"(?:\s+of\b|\s*[,–—|-]|\s*$)"
)
_HEADER_FIELD = re.compile(r"^[A-Z][\w'’]*(?:\s+[\w'’]+){0,3}\s*:\s*\S")
_BYLINE_LONG = re.compile(r"^(?:By|BY|Written\s+by|Words\s+by)\s+[A-Z]")
_NAME_WORDS = {"and", "of", "the", "in", "for", "at", "&", "de", "van", "von", "da", "la", "le"}
# A heading carries a fact when it has a verb form: a closed list of auxiliaries and reporting
# verbs, plus regular past forms ("-ed").
_CLAUSE_WORDS = frozenset(
    """
    is are was were be been being am has have had do does did will would shall should can
    could may might must says said tells told gets got goes went makes made takes took gives
    gave finds found calls warns hits rises falls fell wins won dies kills faces seeks plans
    vows urges backs quits not no never denies claims admits confirms rejects accuses agrees
    announces demands blames orders ends begins starts opens closes
    """.split()
)
_WEEKDAY = re.compile(r"(?i)\b(?:mon|tues?|wed(?:nes)?|thu(?:rs)?|fri|sat(?:ur)?|sun)(?:day)?\b")
_TIME = re.compile(
    r"(?i)\b\d{1,2}[.:]\d{2}(?:\s*[ap]\.?m\.?)?|\b\d{1,2}\s*[ap]\.?m\.?|\bGMT\b|\bUTC\b"
)


def n_words(text: str) -> int:
    return len(_WORD.findall(text))


def is_sentence_like(text: str) -> bool:
    """True for a line that reads as prose: sentence punctuation at its end, or 12+ words."""
    s = text.strip()
    return bool(_TERMINAL.search(s)) or n_words(s) >= 12


def normalise_title(text: str) -> str:
    s = unicodedata.normalize("NFKC", text)
    s = s.translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "\u00a0": " "}))
    return " ".join(s.lower().split())


def find_date(text: str) -> str | None:
    """The first calendar date in ``text`` as ``YYYY-MM-DD``, or None."""
    for pattern in _DATE_PATTERNS:
        m = pattern.search(text)
        if not m:
            continue
        groups = m.groupdict()
        month = int(groups["m"]) if groups.get("m") else _MONTHS[groups["mon"].lower()[:3]]
        day, year = int(groups["d"]), int(groups["y"])
        if 1 <= month <= 12 and 1 <= day <= 31:
            return f"{year:04d}-{month:02d}-{day:02d}"
    return None


def _furniture_reason(s: str) -> str | None:
    """Reason for a line that is page or release furniture wherever it stands, or None."""
    words = n_words(s)
    if _END_MARK.match(s):
        return "sign-off"
    if (
        _WIRE_CREDIT.match(s)
        and words <= 50
        and (s.startswith("(") or ";" in s or not is_sentence_like(s))
    ):
        return "sign-off"
    if _UPDATE_NOTE.match(s) and words <= 16:
        return "sign-off"
    if _STANDARDS.search(s) and words <= 12:
        return "footer"
    if _CONTACT.match(s) and words <= 30:
        return "contact"
    if _SOCIAL.match(s) and words <= 16:
        return "page-chrome"
    if _NEWSLETTER.search(s) and words <= 25:
        return "newsletter"
    if _READER_APPEAL.match(s) and words <= 25:
        return "reader-appeal"
    phrases = len(_DISCLAIMER_PHRASE.findall(s))
    if phrases >= 2 or (phrases and _NOTE_LABEL.match(s)):
        return "disclaimer"
    return None


def _is_long_byline(s: str) -> bool:
    """ "By A. Name, Role, and B. Name": capitalised words and name particles only."""
    if not _BYLINE_LONG.match(s) or _TERMINAL.search(s) or n_words(s) > 14:
        return False
    words = re.sub(r"^(?:Written|Words)\s+by\s+|^(?:By|BY)\s+", "", s).replace(",", " ").split()
    return all(w[0].isupper() or w.lower() in _NAME_WORDS for w in words)


def _date_only(s: str) -> bool:
    """A line that is a date (and time, weekday, place) and little else."""
    rest = s
    for pattern in _DATE_PATTERNS:
        rest = pattern.sub(" ", rest)
    rest = _WEEKDAY.sub(" ", _TIME.sub(" ", rest))
    return n_words(rest) <= 2


def _header_reason(s: str) -> str | None:
    """Reason for a header/byline/metadata line, or None."""
    if _DOWNLOAD_CREDIT.search(s):
        return "footer"
    if _BYLINE.match(s) or _is_long_byline(s):
        return "byline"
    sentence = is_sentence_like(s)
    has_date = find_date(s) is not None
    if has_date and (_DATE_LABEL.search(s) or "|" in s or not sentence) and n_words(s) <= 16:
        return "dateline"
    if has_date and n_words(s) <= 12 and _date_only(s):
        return "dateline"
    if "|" in s and not _TERMINAL.search(s) and n_words(s) <= 16:
        return (
            "byline"
            if re.search(r"(?i)correspondent|staff|reporter|writer|desk|bureau", s)
            else "metadata"
        )
    if len(_LABELLED_FIELD.findall(s)) >= 2 and n_words(s) <= 16:
        return "metadata"
    return None


def _is_prose(s: str) -> bool:
    """A body line: sentence-like, and not an unpunctuated "Label: a, b, c" header field."""
    return is_sentence_like(s) and not (_HEADER_FIELD.match(s) and not _TERMINAL.search(s))


def _above_body_reason(s: str) -> str | None:
    """Reason for a line between the title and the first body sentence, or None (a standfirst,
    which reads as a sentence, is kept)."""
    if is_sentence_like(s) and not _HEADER_FIELD.match(s):
        return None
    letters = [c for c in s if c.isalpha()]
    if (
        letters
        and all(c.isupper() for c in letters)
        and n_words(s) <= 12
        and not re.search(r"\d", s)
        and not _carries_fact(s)
        and _INSTITUTION.search(s)
    ):
        return "letterhead"
    if _CAPTION.search(s) and n_words(s) <= 16:
        return "metadata"
    m = _HEADER_FIELD.match(s)
    if m and not _TERMINAL.search(s) and n_words(s) <= 24:
        # a field, not a "Topic: what happened" headline: a label ending in a preposition
        # ("On appeal from:", "Filed under:") or a value that is a list of three or more names
        label, value = s.split(":", 1)
        items = [v.strip() for v in value.split(",") if v.strip()]
        if re.search(r"(?i)\b(?:from|by|under|in|on|to|for|at)$", label.strip()) or (
            len(items) >= 3 and all(v[0].isupper() for v in items)
        ):
            return "metadata"
    if n_words(s) <= 6:
        return "page-chrome"
    return None


def _carries_fact(s: str) -> bool:
    """A heading with a number, a quotation or a verb form says something: keep it."""
    if re.search(r"\d|[\"“”‘]|^'", s):
        return True
    words = [w.lower() for w in _WORD.findall(s)]
    return any(w in _CLAUSE_WORDS or (len(w) > 4 and w.endswith("ed")) for w in words)


def _names_something(s: str) -> bool:
    """A mixed-case line with a capitalised word after its first names someone or something
    ("Fighting in Blue Nile state"): a news crosshead, not a document's section heading."""
    letters = [c for c in s if c.isalpha()]
    if all(c.isupper() for c in letters):
        return False
    return any(w[0].isupper() for w in _WORD.findall(s)[1:])
