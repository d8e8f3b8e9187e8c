"""Markdown report: the terminal report's content as tables and quotes, for a code-hosting site
or a newsroom document.

    >>> import divergence
    >>> c = divergence.compare(["Biden called Putin. They spoke of arms.",
    ...                         "Biden called Putin. Navalny came up."], embedder="hashing")
    >>> render_markdown(c).splitlines()[0]
    '# divergence report'

Article text never becomes markup: :func:`md_escape` turns ``& < >`` into entities (no raw HTML),
backslash-escapes ``\\ ` * _ [ ] | ~`` (no code spans, emphasis, links or table breaks) and any
leading block syntax (``#``, ``-``, ``+``, ``=``, ``1.``, ``1)``; ``>`` is an entity already).
"""

from __future__ import annotations

import re
from typing import Any

from ._common import (
    as_read,
    check_first,
    conflict_words,
    emphasis_for,
    emphasis_words,
    labels,
    nearest,
    pct,
    quoted,
    short,
    two_sided,
)

_INLINE = re.compile(r"([\\`*_\[\]|~])")
_LEADING = re.compile(r"^(\s*\d*)([#+=.)-])")


def md_escape(text: Any, limit: int | None = None) -> str:
    """One line of plain text that renders as itself in Markdown (tables included).

    >>> md_escape("# a | `b` <i>")
    '\\\\# a \\\\| \\\\`b\\\\` &lt;i&gt;'
    """
    text = short(str(text), limit) if limit else " ".join(str(text).split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    text = _INLINE.sub(r"\\\1", text)
    m = _LEADING.match(text)
    if m and (m.group(1).strip() == "") == (m.group(2) in "#+=-"):
        text = m.group(1) + "\\" + text[m.end(1) :]
    return text


def _table(header: list[str], rows: list[list[str]], align: list[str]) -> list[str]:
    out = ["| " + " | ".join(header) + " |"]
    out.append("|" + "|".join(":---" if a == "l" else "---:" for a in align) + "|")
    out += ["| " + " | ".join(r) + " |" for r in rows]
    return out


def _quotes(lab: dict[str, str], evidence: list[tuple[str, str]], limit: int) -> list[str]:
    out = []
    for source, text in evidence[:limit]:
        out.append(f"   > **{lab[source]}** “{md_escape(text, 400)}”")
        out.append("   >")
    if out:
        out.pop()
    if len(evidence) > limit:
        out.append(f"   > *… {len(evidence) - limit} more sentence(s)*")
    return out


def _nearest(lab: dict[str, str], near: tuple[str, str, float] | None) -> list[str]:
    if not near:
        return []
    return [f"   *nearest in {lab[near[0]]}, score {near[2]:.2f}:* “{md_escape(near[1], 400)}”"]


def render_markdown(
    comparison: Any, *, max_items: int = 15, max_evidence: int = 3, **_: Any
) -> str:
    sources = comparison.sources
    lab = labels([s.id for s in sources])
    pair = two_sided(comparison)
    n_shared = sum(1 for g in comparison.groups if len(g.sources) > 1)
    out = [
        "# divergence report",
        "",
        f"{len(sources)} sources, {len(comparison.claims)} claims in "
        f"{len(comparison.groups)} claim groups, {n_shared} carried by more than one source.",
        "",
        f"`{comparison.signature.replace('`', '')}`",
        "",
        "## Sources",
        "",
    ]
    by_id = {s.id: s for s in sources}
    rows = []
    for row in comparison.summary():
        s = by_id[row["source"]]
        rows.append(
            [
                f"**{lab[s.id]}**",
                md_escape(s.name, 60),
                md_escape(s.title or "", 90),
                *(
                    str(row[k])
                    for k in (
                        "claims",
                        "carried",
                        "omitted",
                        "unique",
                        "emphasis",
                        "conflicts",
                        "dropped",
                    )
                ),
            ]
        )
    out += _table(
        [
            "",
            "Source",
            "Title",
            "Claims",
            "Carried",
            "Omits",
            "Unique",
            "Emphasis",
            "Conflicts",
            "Dropped",
        ],
        rows,
        ["l", "l", "l"] + ["r"] * 7,
    )
    out += [
        "",
        "*Carried*: claim groups the source carries; *omits*: groups other sources carry that it "
        "lacks; *unique*: groups only it carries; *emphasis*: groups it leads with, buries or "
        "skips while another leads with them.",
    ]
    derivations = getattr(comparison, "derivations", ())
    if derivations:
        from ..derivation import summary_line

        out += ["", "## Text reuse", ""]
        names = {s.id: lab[s.id] for s in sources}
        out += [f"- {md_escape(summary_line(d, names))}" for d in derivations]

    if comparison.topics:
        out += ["", "## Topics", "", "Share of each source's sentences per topic.", ""]
        rows = []
        for t in comparison.topics:
            shares = [t.share.get(s.id, 0.0) for s in sources]
            top = max(shares)
            cells = [f"**{pct(x)}**" if x == top and x > 0 else pct(x) for x in shares]
            rows.append([md_escape(t.label), str(len(t.groups)), *cells])
        out += _table(
            ["Topic", "Groups", *(lab[s.id] for s in sources)],
            rows,
            ["l", "r"] + ["r"] * len(sources),
        )

    for s in sources:
        out += ["", f"## {lab[s.id]}: {md_escape(s.name, 80)}", ""]
        if not pair:
            omissions = comparison.omissions(s.id)
            out += [f"### Omits {len(omissions)} claim(s) that other sources carry", ""]
            if omissions:
                check = check_first(omissions, s.id)
                first = "Most widely carried and most prominent first"
                out += [f"{first}; {check}." if check else f"{first}.", ""]
            for i, f in enumerate(omissions[:max_items], start=1):
                carriers = ", ".join(lab[c] for c in f.carried_by)
                out.append(
                    f"{i}. `{f.group}` carried by {carriers} "
                    f"({f.support}/{f.of} "
                    f"{f.counted or 'sources'}, "
                    f"prominence {f.carrier_prominence:.2f})"
                    + (" - only a source and its copy" if f.copy_only else "")
                )
                out += _quotes(lab, quoted(f), max_evidence)
                out += _nearest(lab, nearest(f, s.id))
            if len(omissions) > max_items:
                out.append(f"\n*… and {len(omissions) - max_items} more (see `--format json`)*")
        partly = comparison.partly(s.id)
        if partly:
            out += ["", f"### Partly carries {len(partly)} claim(s)", ""]
            for i, (g, p) in enumerate(partly[:max_items], start=1):
                lacks = ", ".join(f"**{md_escape(w)}**" for w in p["missing"]) or "(no word)"
                out.append(f"{i}. `{g.id}` lacks {lacks}")
                own = comparison.claim(p["claim"])
                out += _quotes(lab, [(own.source, as_read(own.id, own.text))], 1)
        unique = comparison.unique(s.id)
        if pair:
            other = next(o for o in sources if o.id != s.id)
            out.append(
                f"### Only in {lab[s.id]}, missing from {lab[other.id]}: {len(unique)} claim(s)"
            )
            out += [""] if unique else []
        else:
            out += ["", f"### Only {lab[s.id]} carries {len(unique)} claim(s)"]
            out += [""] if unique else []
        check = check_first(unique)
        out += [f"{check}.", ""] if check else []
        for i, f in enumerate(unique[:max_items], start=1):
            out.append(f"{i}. `{f.group}` (prominence {f.prominence:.2f})")
            out += _quotes(lab, quoted(f), max_evidence)
            out += _nearest(lab, nearest(f))
        if len(unique) > max_items:
            out.append(f"\n*… and {len(unique) - max_items} more (see `--format json`)*")
        emphasis = emphasis_for(comparison, s.id)
        if pair:  # listed once, under the source that leads with the claim
            emphasis = [f for f in emphasis if s.id in f.sources]
        if emphasis:
            out += ["", f"### Emphasis differs on {len(emphasis)} claim(s)", ""]
            for i, f in enumerate(emphasis[:max_items], start=1):
                out.append(f"{i}. `{f.group}` {emphasis_words(f, lab)}")
                out += _quotes(lab, quoted(f), 1)
        conflicts = comparison.conflicts(s.id)
        if conflicts:
            out += ["", f"### Conflicts on {len(conflicts)} claim(s)", ""]
            for i, f in enumerate(conflicts[:max_items], start=1):
                out.append(f"{i}. `{f.group}` {md_escape(conflict_words(f))}")
                out += _quotes(lab, quoted(f), max_evidence)

    out += ["", "---", ""]
    if comparison.dropped:
        out.append(
            f"{len(comparison.dropped)} non-article line(s) left out (related links, bylines, "
            "captions, footers); listed under `dropped` in `--format json`."
        )
        out.append("")
    out.append(" · ".join(f"**{lab[s.id]}** {md_escape(s.name, 80)}" for s in sources))
    return "\n".join(out) + "\n"
