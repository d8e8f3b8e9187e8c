"""By-speaker view: regroup the claims of several articles so that each speaker is a source.

    >>> from divergence.records import Attribution, Claim, Source
    >>> a = Source(id="a", name="A", text="X met Y, officials said. Z.")
    >>> c1 = Claim("a#0", "a", "X met Y, officials said.", 0, 24, 0, 0.0,
    ...            attribution=Attribution("officials", "said", 9, 18))
    >>> c2 = Claim("a#1", "a", "Z.", 25, 27, 1, 0.5)
    >>> sources, claims = by_speaker([a], [c1, c2])
    >>> [(s.id, s.name) for s in sources]
    [('speaker:officials@a', 'officials (A)'), ('unattributed:a', '(unattributed) A')]
    >>> sources[0].text[claims[0].start:claims[0].end] == claims[0].text
    True

Every speaker entity (``Attribution.speaker``, already normalised per article) becomes one
source across all articles; entities are merged across articles case-insensitively. A claim with
no attribution goes to its own article's ``(unattributed) <article>`` source: the unattributed
sentences are each outlet's narrator voice, so pooling them across outlets would blur exactly the
outlet differences the tool reports, and dropping them would hide claims. ``sides`` (optional,
only when asked for) maps speaker entities to a side label ("Kremlin" -> "Russia"); speakers
mapped to one side become one source. A speaker that names nobody - a bare common noun such as
"officials", "sources" or "witnesses" that the attribution stage could not tie to a named group -
stays with its article ("officials (Associated Press)"): the officials one outlet cites need not
be those another cites, and a reader wants the speakers the text names, not a common noun.

Each speaker source's ``text`` is its claims joined by blank lines, with claim offsets into that
text; ``meta["origin"]`` maps each claim id to ``[article id, start, end]`` in the article.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from .records import Claim, Source


def speaker_key(name: str) -> str:
    return " ".join(name.lower().replace("’", "'").split())


def by_speaker(
    sources: Sequence[Source],
    claims: Sequence[Claim],
    *,
    sides: Mapping[str, str] | None = None,
) -> tuple[list[Source], list[Claim]]:
    """(speaker sources, their claims) for attributed ``claims`` of ``sources``."""
    side_of = {speaker_key(k): v for k, v in (sides or {}).items()}
    full = _full_names(c.attribution.speaker for c in claims if c.attribution is not None)
    names = {s.id: s.name for s in sources}
    buckets: dict[str, list[Claim]] = {}
    display: dict[str, str] = {}
    for c in claims:
        if c.attribution is not None:
            name = full.get(c.attribution.speaker, c.attribution.speaker)
            label = side_of.get(
                speaker_key(name), side_of.get(speaker_key(c.attribution.speaker), name)
            )
            sid = f"speaker:{speaker_key(label)}"
            if label == name and c.attribution.label != c.attribution.speaker:
                # one person is one source; shown "Name (Organisation)" when a role said so
                label = f"{name} ({c.attribution.affiliation})"
            mapped = speaker_key(name) in side_of or speaker_key(c.attribution.speaker) in side_of
            if not mapped and unnamed(label):  # a side the user named is never split
                # "officials said": unnamed people of this article, not of every article
                sid += f"@{c.source}"
                label = f"{label} ({names.get(c.source, c.source)})"
            # the longest spelling seen names the source ("Jake Sullivan" over "Sullivan")
            if len(label) > len(display.get(sid, "")):
                display[sid] = label
        else:
            sid = f"unattributed:{c.source}"
            display[sid] = f"(unattributed) {names.get(c.source, c.source)}"
        buckets.setdefault(sid, []).append(c)
    order = sorted(buckets, key=lambda k: (k.startswith("unattributed:"), k))
    out_sources: list[Source] = []
    out_claims: list[Claim] = []
    for sid in order:
        parts, origin, pos = [], {}, 0
        for k, c in enumerate(buckets[sid]):
            origin[c.id] = [c.source, c.start, c.end]
            new = replace(c, source=sid, start=pos, end=pos + len(c.text), index=k)
            out_claims.append(new)
            parts.append(c.text)
            pos += len(c.text) + 2
        articles = sorted({c.source for c in buckets[sid]})
        out_sources.append(
            Source(
                id=sid,
                name=display[sid],
                text="\n\n".join(parts),
                meta={"kind": "speaker", "articles": articles, "origin": origin},
            )
        )
    return out_sources, out_claims


def unnamed(speaker: str) -> bool:
    """A speaker that names nobody: one lower-case word ("officials", "sources", "police").

    >>> unnamed("officials"), unnamed("US officials"), unnamed("Kremlin")
    (True, False, False)
    """
    return speaker.islower() and len(speaker.split()) == 1


#: Words that end a company's full name: "Brenmoor" is "Brenmoor Pharma" when both speak.
_COMPANY_TAIL = frozenset(
    """pharma pharmaceuticals systems plc inc inc. ltd ltd. llc group corp corp. corporation
    company co co. holdings technologies labs ag sa""".split()
)


def _full_names(names) -> dict[str, str]:
    """Bare names mapped to the one full name they short-name, across articles: a surname
    ("Biden" -> "Joe Biden" when "Joe Biden" is the only such speaker), else a company's first
    word ("Brenmoor" -> "Brenmoor Pharma", the rest of the name being company words such as
    Pharma, Systems, plc). Ambiguous names stay apart.

    >>> sorted(_full_names(["Biden", "Joe Biden", "Kremlin", "Halcyra", "Halcyra Systems"]).items())
    [('Biden', 'Joe Biden'), ('Halcyra', 'Halcyra Systems')]
    """
    names = set(names)
    out = {}
    for n in names:
        if " " in n or not n[:1].isupper():
            continue
        longer = [m for m in names if " " in m and m.split()[-1] == n and m[:1].isupper()]
        if not longer:
            longer = [
                m
                for m in names
                if m.split()[0] == n
                and len(m.split()) > 1
                and all(w.lower() in _COMPANY_TAIL for w in m.split()[1:])
            ]
        if len(longer) == 1:
            out[n] = longer[0]
    return out
