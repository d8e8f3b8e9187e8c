"""Terminal report: summary table, topic shares, then per source what it omits, with evidence.

    >>> import divergence
    >>> c = divergence.compare(["Biden called Putin. They spoke of arms.",
    ...                         "Biden called Putin. Navalny came up."], embedder="hashing")
    >>> "divergence report" in render_text(c, width=80)
    True

Rendered with rich into a string. Colour only when ``color=True`` (the CLI passes True only for a
terminal and never with ``--no-color``), so pipes and files get plain text. ``width`` is the
terminal's width (the CLI passes it) or 100. With two sources, one source's omissions are the
other's unique claims, so each list is printed once ("only in A - missing from B").
"""

from __future__ import annotations

import io
from typing import Any

from rich import box
from rich.console import Console
from rich.padding import Padding
from rich.table import Table
from rich.text import Text

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
    two_sided,
)
from ._common import short as _plain_short

# C0/C1 control characters (terminal escapes, bell, ...) except tab and newline, and the
# bidirectional overrides/isolates that reorder what a terminal shows: printed as visible escapes.
_UNSAFE = {c: f"\\x{c:02x}" for c in [*range(0x20), *range(0x7F, 0xA0)] if c not in (9, 10)}
_UNSAFE.update({c: f"\\u{c:04x}" for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]})


def _safe(text: str) -> str:
    """Source text made inert for a terminal (rich markup is already off: ``markup=False``)."""
    return text.translate(_UNSAFE)


def short(text: str, limit: int = 240) -> str:
    """Shortened and terminal-safe article text."""
    return _safe(_plain_short(text, limit))


def _evidence(
    console: Console, lab: dict[str, str], evidence: list[tuple[str, str]], limit: int
) -> None:
    for source, text in evidence[:limit]:
        line = Text()
        line.append(f"{lab[source]} ", style="bold")
        line.append(f"“{short(text)}”", style="italic")
        console.print(Padding(line, (0, 0, 0, 6), expand=False))
    if len(evidence) > limit:
        console.print(Text(f"      … {len(evidence) - limit} more sentence(s)", style="dim"))


def _nearest(console: Console, lab: dict[str, str], near: tuple[str, str, float] | None) -> None:
    """The nearest claim of another (or the omitting) source, dim, under a finding."""
    if near:
        line = Text(f"nearest in {lab[near[0]]}, score {near[2]:.2f}: ", style="dim")
        line.append(f"“{short(near[1])}”", style="dim italic")
        console.print(Padding(line, (0, 0, 0, 6), expand=False))


def render_text(
    comparison: Any,
    *,
    color: bool = False,
    width: int | None = None,
    max_items: int = 15,
    max_evidence: int = 3,
    **_: Any,
) -> str:
    buf = io.StringIO()
    console = Console(
        file=buf,
        width=width or 100,
        force_terminal=color,
        no_color=not color,
        color_system="standard" if color else None,
        highlight=False,
        emoji=False,
        markup=False,
        legacy_windows=False,
    )
    sources = comparison.sources
    lab = labels([s.id for s in sources])
    pair = two_sided(comparison)

    console.print(Text("divergence report", style="bold"))
    n_shared = sum(1 for g in comparison.groups if len(g.sources) > 1)
    console.print(
        f"{len(sources)} sources, {len(comparison.claims)} claims in "
        f"{len(comparison.groups)} claim groups, {n_shared} carried by more than one source."
    )
    console.print(Text(comparison.signature, style="dim"))
    console.print()

    console.print(Text("Sources", style="bold"))
    wide = (width or 100) >= 150  # room for the titles too
    table = Table(expand=False, box=box.SIMPLE_HEAD, pad_edge=False)
    table.add_column("", style="bold", no_wrap=True, min_width=1)
    table.add_column(
        "source", overflow="ellipsis", no_wrap=True, max_width=max(8, min(28, (width or 100) - 68))
    )
    if wide:
        table.add_column(
            "title", overflow="ellipsis", no_wrap=True, max_width=min(60, (width or 100) - 104)
        )
    for col in ("claims", "carried", "omits", "unique", "emph.", "confl.", "dropped"):
        table.add_column(col, justify="right", no_wrap=True, min_width=len(col))
    by_id = {s.id: s for s in sources}
    for row in comparison.summary():
        s = by_id[row["source"]]
        table.add_row(
            lab[s.id],
            _safe(s.name),
            *([short(s.title or "", 120)] if wide else []),
            str(row["claims"]),
            str(row["carried"]),
            Text(str(row["omitted"]), style="yellow" if row["omitted"] else ""),
            Text(str(row["unique"]), style="cyan" if row["unique"] else ""),
            str(row["emphasis"]),
            Text(str(row["conflicts"]), style="red" if row["conflicts"] else ""),
            str(row["dropped"]),
        )
    console.print(table)
    console.print(
        Text(
            "carried: claim groups the source carries; omits: groups others carry that it "
            "lacks; unique: groups only it carries; emph(asis): groups it leads with, buries or "
            "skips while another leads with them; confl(icts): aligned claims that disagree.",
            style="dim",
        )
    )
    derivations = getattr(comparison, "derivations", ())
    if derivations:
        from ..derivation import summary_line

        console.print()
        console.print(Text("Text reuse between the sources", style="bold"))
        names = {s.id: lab[s.id] for s in sources}
        for d in derivations:
            console.print(Text(_safe(f"  • {summary_line(d, names)}")))

    if comparison.topics:
        console.print()
        console.print(Text("Topics (share of each source's sentences)", style="bold"))
        topics = Table(expand=False, box=box.SIMPLE_HEAD, pad_edge=False)
        topics.add_column("topic", overflow="fold", max_width=48)
        topics.add_column("groups", justify="right")
        for s in sources:
            topics.add_column(lab[s.id], justify="right")
        for t in comparison.topics:
            shares = [t.share.get(s.id, 0.0) for s in sources]
            top = max(shares)
            cells = [Text(pct(x), style="bold" if x == top and x > 0 else "") for x in shares]
            topics.add_row(_safe(t.label), str(len(t.groups)), *cells)
        console.print(topics)

    for s in sources:
        console.print()
        console.rule(Text(f"{lab[s.id]}  {_safe(s.name)}", style="bold"), align="left")
        if s.title:
            console.print(Text(short(s.title, 200), style="dim"))
        if not pair:
            omissions = comparison.omissions(s.id)
            check = check_first(omissions, s.id)
            console.print(
                Text(
                    f"Omits {len(omissions)} claim(s) that other sources carry"
                    + (" (most widely carried and most prominent first)" if omissions else "")
                    + (f"; {check}" if check else ""),
                    style="bold yellow",
                )
            )
            for f in omissions[:max_items]:
                carriers = " ".join(lab[c] for c in f.carried_by)
                console.print(
                    Text(
                        f"  • {f.group}: carried by {carriers} "
                        f"({f.support}/{f.of} "
                        f"{f.counted or 'sources'}, "
                        f"prominence {f.carrier_prominence:.2f})"
                        + (" - only a source and its copy" if f.copy_only else "")
                    )
                )
                _evidence(console, lab, quoted(f), max_evidence)
                _nearest(console, lab, nearest(f, s.id))
            if len(omissions) > max_items:
                console.print(
                    Text(f"  … and {len(omissions) - max_items} more (see --format json)")
                )
        partly = comparison.partly(s.id)
        if partly:
            console.print(
                Text(f"Partly carries {len(partly)} claim(s): the words it lacks", style="yellow")
            )
            for g, p in partly[:max_items]:
                console.print(
                    Text(_safe(f"  • {g.id}: lacks {', '.join(p['missing']) or '(no word)'}"))
                )
                own = comparison.claim(p["claim"])
                _evidence(console, lab, [(own.source, as_read(own.id, own.text))], 1)
        unique = comparison.unique(s.id)
        if pair:
            other = next(o for o in sources if o.id != s.id)
            heading = (
                f"Only in {lab[s.id]}, missing from {lab[other.id]}: {len(unique)} claim(s) "
                "(most prominent first)"
            )
        else:
            heading = f"Only {lab[s.id]} carries {len(unique)} claim(s) (most prominent first)"
        check = check_first(unique)
        console.print(Text(heading + (f"; {check}" if check else ""), style="bold cyan"))
        for f in unique[:max_items]:
            console.print(Text(f"  • {f.group} (prominence {f.prominence:.2f})"))
            _evidence(console, lab, quoted(f), max_evidence)
            _nearest(console, lab, nearest(f))
        if len(unique) > max_items:
            console.print(Text(f"  … and {len(unique) - max_items} more (see --format json)"))
        emphasis = emphasis_for(comparison, s.id)
        if pair:  # listed once, under the source that leads with the claim
            emphasis = [f for f in emphasis if s.id in f.sources]
        if emphasis:
            console.print(
                Text(f"Emphasis differs on {len(emphasis)} claim(s)", style="bold magenta")
            )
            for f in emphasis[:max_items]:
                console.print(Text(f"  • {f.group}: {emphasis_words(f, lab)}"))
                _evidence(console, lab, quoted(f), 1)
        conflicts = comparison.conflicts(s.id)
        if conflicts:
            console.print(Text(f"Conflicts on {len(conflicts)} claim(s)", style="bold red"))
            for f in conflicts[:max_items]:
                console.print(Text(_safe(f"  • {f.group}: {conflict_words(f)}")))
                _evidence(console, lab, quoted(f, spans=True), max_evidence)

    console.print()
    if comparison.dropped:
        console.print(
            Text(
                f"{len(comparison.dropped)} non-article line(s) left out "
                "(related links, bylines, captions, footers); "
                "listed under 'dropped' in --format json.",
                style="dim",
            )
        )
    legend = "   ".join(f"{lab[s.id]} {_safe(s.name)}" for s in sources)
    console.print(Text(legend, style="dim"))
    text = buf.getvalue()
    if not color:  # plain text: no padding spaces at line ends
        text = "\n".join(line.rstrip() for line in text.split("\n"))
    return text
