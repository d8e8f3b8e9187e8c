"""Clean: find the lines of a scraped article that are not the article, and say why.

    >>> from divergence.records import Source
    >>> c = clean(Source(id="a", name="a", text="Title here\\nREAD  Unrelated story\\nBody text."))
    >>> [(d.text, d.reason) for d in c.dropped]
    [('READ  Unrelated story', 'related-link')]
    >>> c.source.title
    'Title here'

Each line is classified as a whole (scrapes put junk on lines of its own), by generic rules about
what web pages wrap around news copy, not by a list of known sites:

* ``related-link``: "READ ...", "Also read: ...", "Related: ..." teasers for other stories;
* ``byline``, ``dateline``, ``metadata``: "By Associated Press", "Published: ... | Updated: ...",
  "Source: ... Date: ...", "Topic: ... | Relevant for: ..." header lines;
* ``photo-caption``: lines with a photo credit ("(Photo | AP)", "File Photo", "Getty Images"), and
  a short unpunctuated line next to one (the caption text above its credit);
* ``repeated-title``: a later copy of the title (compared after normalising quotes, case, space);
* ``page-chrome``: short unpunctuated widget text between the title and the first body sentence
  ("Translate This News In"), and UI prompts anywhere ("Sign up for ...", "Subscribe ...");
* ``footer``: short unpunctuated lines after the article's last sentence ("END", "Downloaded
  from ...", "© ...", "Our code of editorial values").

A line that reads like a sentence (ends in sentence punctuation or has 12+ words) is never dropped
by the positional rules, so claim-bearing text is kept. Header lines also fill the source's
metadata when the input gave none: name ("Source: ...", "By ..."), date, and title (the first
line that is not junk).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, replace

from .records import Dropped, Source

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
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


@dataclass(frozen=True)
class Line:
    """A line of the source: ``start``/``end`` exclude the line break."""

    start: int
    end: int
    text: str

    @property
    def stripped(self) -> str:
        return self.text.strip()


@dataclass(frozen=True)
class Cleaned:
    """The clean stage's output: the source with metadata filled in, the kept lines (body and
    title) and the dropped lines with their reasons."""

    source: Source
    kept: tuple[Line, ...]
    dropped: tuple[Dropped, ...]
    title: Line | None


def split_lines(text: str) -> list[Line]:
    """Lines with their offsets (any of ``\\n``, ``\\r\\n``, ``\\r`` ends a line)."""
    lines = []
    for m in _LINE.finditer(text):
        raw = m.group(0)
        if not raw:
            continue
        body = raw.rstrip("\r\n")
        lines.append(Line(m.start(), m.start() + len(body), body))
    return lines


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


def _header_reason(s: str) -> str | None:
    """Reason for a header/byline/metadata line, or None."""
    if _DOWNLOAD_CREDIT.search(s):
        return "footer"
    if _BYLINE.match(s):
        return "byline"
    sentence = is_sentence_like(s)
    has_date = find_date(s) is not None
    if has_date and (_DATE_LABEL.search(s) or "|" in s or not sentence) and n_words(s) <= 16:
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


def _classify(lines: list[Line]) -> dict[int, str]:
    """Map line index -> junk reason, for the non-blank lines that are junk."""
    reasons: dict[int, str] = {}
    content = [i for i, ln in enumerate(lines) if ln.stripped]
    for i in content:
        s = lines[i].stripped
        if _RELATED.match(s):
            reasons[i] = "related-link"
        elif _UI_PROMPT.match(s) and n_words(s) <= 14:
            reasons[i] = "page-chrome"
        elif _CREDIT.search(s) and n_words(s) <= 30:
            reasons[i] = "photo-caption"
        else:
            reason = _header_reason(s)
            if reason:
                reasons[i] = reason
    # The caption text next to a credit line: short and unpunctuated.
    for pos, i in enumerate(content):
        if reasons.get(i) != "photo-caption":
            continue
        for j in (
            content[pos - 1] if pos else None,
            content[pos + 1] if pos + 1 < len(content) else None,
        ):
            if j is not None and j not in reasons:
                s = lines[j].stripped
                if (
                    not is_sentence_like(s)
                    and n_words(s) <= 12
                    and not _is_title_candidate(j, content, reasons)
                ):
                    reasons[j] = "photo-caption"
    # Title: the first content line that is not junk; later copies are junk.
    title_idx = next((i for i in content if i not in reasons), None)
    if title_idx is not None:
        norm = normalise_title(lines[title_idx].stripped)
        for i in content:
            if i != title_idx and i not in reasons and normalise_title(lines[i].stripped) == norm:
                reasons[i] = "repeated-title"
    body = [i for i in content if i not in reasons and i != title_idx]
    prose = [i for i in body if is_sentence_like(lines[i].stripped)]
    if prose:
        first, last = prose[0], prose[-1]
        for i in body:
            s = lines[i].stripped
            if is_sentence_like(s):
                continue
            if i < first and n_words(s) <= 6:
                reasons[i] = "page-chrome"
            elif i > last and n_words(s) <= 8:
                reasons[i] = "footer"
    return reasons


def _is_title_candidate(j: int, content: list[int], reasons: dict[int, str]) -> bool:
    """The first non-junk line is the title; never take it for a caption."""
    first = next((i for i in content if i not in reasons), None)
    return j == first


def clean(source: Source) -> Cleaned:
    """Classify the source's lines; return kept lines, dropped lines and the enriched source."""
    lines = split_lines(source.text)
    reasons = _classify(lines)
    dropped = []
    for i, reason in sorted(reasons.items()):
        ln = lines[i]
        dropped.append(Dropped(source.id, ln.start, ln.end, ln.text, reason))
    kept = [ln for i, ln in enumerate(lines) if ln.stripped and i not in reasons]
    title = kept[0] if kept else None
    # A title is a headline, not prose: a first line that is a long sentence is body text when
    # the input gave its own title (JSONL "title").
    if (
        title is not None
        and source.title
        and normalise_title(title.stripped) != normalise_title(source.title)
    ):
        if is_sentence_like(title.stripped) and n_words(title.stripped) >= 12:
            title = None
    return Cleaned(
        source=_enrich(source, lines, reasons, title),
        kept=tuple(kept),
        dropped=tuple(dropped),
        title=title,
    )


def _enrich(
    source: Source, lines: list[Line], reasons: dict[int, str], title: Line | None
) -> Source:
    """Fill name/date/title from header lines where the input did not give them."""
    name, date = source.name, source.date
    name_from = source.meta.get("name_from", "input")
    header = [
        lines[i].stripped
        for i, r in sorted(reasons.items())
        if r in {"byline", "dateline", "metadata"}
    ]
    for s in header:
        if name_from in {"file", "id"}:
            m = _SOURCE_FIELD.search(s) or _BYLINE.match(s)
            if m:
                found = m.group("name").strip().rstrip(".,;|")
                found = re.sub(r"^(?:https?://)?www\.", "", found)
                if found:
                    name, name_from = found, "header"
        if date is None:
            date = find_date(s)
    title_text = source.title if source.title else (title.stripped if title else None)
    if name == source.name and date == source.date and title_text == source.title:
        return source
    meta = dict(source.meta)
    meta["name_from"] = name_from
    return replace(source, name=name, date=date, title=title_text, meta=meta)
