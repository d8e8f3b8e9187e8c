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
  from ...", "© ...", "Our code of editorial values"), and editorial-standards links;
* ``sign-off``: end marks ("ENDS", "###", "-30-"), wire credits ("(Reporting by ...; Editing by
  ...)") and "this story will be updated" notes;
* ``contact``: labelled contact lines ("Media enquiries: ...", "Press contact: ...");
* ``newsletter``: newsletter, membership and donation prompts ("... in your inbox", "Support
  independent journalism ..."); ``reader-appeal``: "Got a story? Email us ..." prompts;
* ``about-boilerplate`` and ``disclaimer``: the blocks at the end of a release, a heading ("About
  <issuer>", "Notes to editors", "Forward-looking statements", "Disclaimer") and the paragraphs
  under it, when nothing but junk follows; and disclaimer paragraphs anywhere (two or more
  stock legal phrases, or "Note:/Disclaimer:" with one);
* ``letterhead``: an issuer's name or office in capitals above the first sentence (a line naming
  an institution: "office", "ministry", "court", "commission", "company", ... followed by "of",
  a comma or the line's end);
  ``metadata`` also covers labelled header fields ("On appeal from: ...") and case captions;
* ``heading``: section headings of a sectioned document (two or more short lines, each followed
  by a paragraph) that carry no fact: no digit, no verb form from a closed list (is, was, has,
  said, denies, ...), no "-ed" word, no quotation, and (unless in capitals) no capitalised word
  after the first, which would name someone or something as a news crosshead does.

The patterns and single-line rules are in :mod:`divergence.clean_rules` (the rule table); this
module applies them and adds the rules that depend on a line's neighbours and position.

A line that reads like a sentence (ends in sentence punctuation or has 12+ words) is never dropped
by the positional or heading rules, so claim-bearing text is kept; the first line (the title) is
never taken for a header field or a heading. Header lines also fill the source's
metadata when the input gave none: name ("Source: ...", "By ..."), date, and title (the first
line that is not junk).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

# the rule table (patterns and single-line rules); find_date, is_sentence_like, n_words and
# normalise_title stay importable from here
from .clean_rules import (
    _BLOCK_HEAD,
    _BYLINE,
    _CREDIT,
    _RELATED,
    _SOURCE_FIELD,
    _UI_PROMPT,
    _above_body_reason,
    _carries_fact,
    _furniture_reason,
    _header_reason,
    _is_prose,
    _names_something,
    find_date,
    is_sentence_like,
    n_words,
    normalise_title,
)
from .records import Dropped, Source

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")


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


def _classify(lines: list[Line], marked: dict[int, str] | None = None) -> dict[int, str]:
    """Map line index -> junk reason, for the non-blank lines that are junk (``marked``: lines
    already known to be junk, with their reasons)."""
    reasons: dict[int, str] = dict(marked or {})
    content = [i for i, ln in enumerate(lines) if ln.stripped]
    for i in content:
        s = lines[i].stripped
        if i in reasons:
            continue
        if _RELATED.match(s):
            reasons[i] = "related-link"
        elif _UI_PROMPT.match(s) and n_words(s) <= 14:
            reasons[i] = "page-chrome"
        elif _CREDIT.search(s) and n_words(s) <= 30:
            reasons[i] = "photo-caption"
        else:
            reason = _furniture_reason(s) or _header_reason(s)
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
    prose = [i for i in body if _is_prose(lines[i].stripped)]
    if prose:
        first, last = prose[0], prose[-1]
        for i in body:
            s = lines[i].stripped
            if i < first:
                reason = _above_body_reason(s)
                if reason:
                    reasons[i] = reason
                continue
            if is_sentence_like(s):
                continue
            if i > last and n_words(s) <= 8:
                reasons[i] = "footer"
    _tail_blocks(lines, content, reasons)
    _headings(lines, content, reasons, title_idx)
    return reasons


def _tail_blocks(lines: list[Line], content: list[int], reasons: dict[int, str]) -> None:
    """Release back matter: a heading ("About X", "Notes to editors", "Forward-looking
    statements", ...) and the paragraphs under it (up to 4), when only junk or other such blocks
    follow it."""
    heads: list[tuple[int, str]] = []
    for pos, i in enumerate(content):
        s = lines[i].stripped
        if i in reasons or is_sentence_like(s) or n_words(s) > 8:
            continue
        for reason, pattern in _BLOCK_HEAD.items():
            if pattern.match(s):
                heads.append((pos, reason))
                break
    head_pos = {pos for pos, _ in heads}
    for pos, reason in reversed(heads):
        block = [content[pos]]
        k = pos + 1
        while (
            k < len(content)
            and len(block) <= 4
            and k not in head_pos
            and content[k] not in reasons
            and is_sentence_like(lines[content[k]].stripped)
        ):
            block.append(content[k])
            k += 1
        if len(block) > 1 and all(i in reasons for i in content[k:]):
            for i in block:
                reasons[i] = reason


def _headings(
    lines: list[Line], content: list[int], reasons: dict[int, str], title_idx: int | None
) -> None:
    """Section headings of a sectioned document: short unpunctuated lines, each followed by a
    paragraph, that carry no fact; taken when in capitals or when there are two or more."""
    found = []
    for pos, i in enumerate(content[:-1]):
        s = lines[i].stripped
        nxt = content[pos + 1]
        if (
            i in reasons
            or i == title_idx
            or is_sentence_like(s)
            or n_words(s) > 8
            or not s[0].isalpha()
            or nxt in reasons
            or not is_sentence_like(lines[nxt].stripped)
            or _carries_fact(s)
            or _names_something(s)
        ):
            continue
        found.append(i)
    if len(found) >= 2:
        for i in found:
            reasons[i] = "heading"


def _is_title_candidate(j: int, content: list[int], reasons: dict[int, str]) -> bool:
    """The first non-junk line is the title; never take it for a caption."""
    first = next((i for i in content if i not in reasons), None)
    return j == first


def clean(source: Source) -> Cleaned:
    """Classify the source's lines; return kept lines, dropped lines and the enriched source."""
    lines = split_lines(source.text)
    # Lines the reader marked (PDF/Word page headers, footers, numbers): ``[start, end, reason]``.
    spans = {
        (int(span[0]), int(span[1])): str(span[2])
        for span in source.meta.get("junk_lines") or ()
        if isinstance(span, (list, tuple)) and len(span) == 3
    }
    marked = {
        i: spans[(ln.start, ln.end)] for i, ln in enumerate(lines) if (ln.start, ln.end) in spans
    }
    reasons = _classify(lines, marked)
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
