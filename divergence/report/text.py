"""Terminal report: a summary table, then per source its omissions, unique claims and emphasis.

Rendered with rich into a string; colour only when ``color=True`` (the CLI passes True only for a
terminal, so pipes and files stay plain text).
"""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console
from rich.table import Table
from rich.text import Text

# C0/C1 control characters (terminal escapes, bell, ...) except tab and newline, and the
# bidirectional overrides/isolates that reorder what a terminal shows: printed as visible escapes.
_UNSAFE = {c: f"\\x{c:02x}" for c in [*range(0x20), *range(0x7F, 0xA0)] if c not in (9, 10)}
_UNSAFE.update({c: f"\\u{c:04x}" for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]})


def _safe(text: str) -> str:
    """Source text made inert for a terminal (rich markup is already off: ``markup=False``)."""
    return text.translate(_UNSAFE)


def _short(text: str, limit: int = 220) -> str:
    text = _safe(" ".join(text.split()))
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def render_text(
    comparison: Any,
    *,
    color: bool = False,
    width: int = 100,
    max_items: int = 15,
    **_: Any,
) -> str:
    buf = io.StringIO()
    console = Console(
        file=buf,
        width=width,
        force_terminal=color,
        color_system="standard" if color else None,
        highlight=False,
        emoji=False,
        markup=False,
    )
    names = {s.id: _safe(s.name) for s in comparison.sources}
    label = {
        s.id: f"[{chr(65 + i)}]" if i < 26 else f"[{i}]" for i, s in enumerate(comparison.sources)
    }

    console.print(Text("divergence report", style="bold"))
    console.print(Text(comparison.signature, style="dim"))
    console.print()
    table = Table(title=None, show_lines=False, expand=False)
    for col, justify in [
        ("", "left"),
        ("source", "left"),
        ("title", "left"),
        ("claims", "right"),
        ("omits", "right"),
        ("unique", "right"),
        ("emphasis", "right"),
        ("conflicts", "right"),
        ("dropped", "right"),
    ]:
        table.add_column(col, justify=justify, overflow="fold")
    by_id = {s.id: s for s in comparison.sources}
    for row in comparison.summary():
        s = by_id[row["source"]]
        table.add_row(
            label[s.id],
            names[s.id],
            _short(s.title or "", 40),
            str(row["claims"]),
            str(row["omitted"]),
            str(row["unique"]),
            str(row["emphasis"]),
            str(row["conflicts"]),
            str(row["dropped"]),
        )
    console.print(table)
    n_shared = sum(1 for g in comparison.groups if len(g.sources) > 1)
    console.print(
        f"{len(comparison.groups)} claim groups, {n_shared} carried by more than one source."
    )

    for s in comparison.sources:
        console.print()
        console.rule(Text(f"{label[s.id]} {names[s.id]}", style="bold"), align="left")
        omissions = comparison.omissions(s.id)
        console.print(
            Text(f"Omits {len(omissions)} claim(s) that others carry", style="bold yellow")
        )
        for f in omissions[:max_items]:
            carriers = ", ".join(label[c] for c in f.detail["carried_by"])
            console.print(
                Text(f"  • carried by {carriers} ({f.detail['support']}/{f.detail['of']})")
            )
            for ev in f.detail["evidence"][:3]:
                console.print(
                    Text(f"      {label[ev['source']]} “{_short(ev['text'])}”", style="dim")
                )
        if len(omissions) > max_items:
            console.print(Text(f"  … and {len(omissions) - max_items} more (see --format json)"))
        unique = comparison.unique(s.id)
        console.print(Text(f"Only {label[s.id]} carries {len(unique)} claim(s)", style="bold cyan"))
        for f in unique[:max_items]:
            ev = f.detail["evidence"][0]
            console.print(Text(f"  • “{_short(ev['text'])}”"))
        if len(unique) > max_items:
            console.print(Text(f"  … and {len(unique) - max_items} more (see --format json)"))
        emphasis = [
            f
            for f in comparison.emphasis()
            if s.id in f.sources or s.id in f.detail["buried"] or s.id in f.detail["absent"]
        ]
        console.print(Text(f"Emphasis differs on {len(emphasis)} claim(s)", style="bold magenta"))
        for f in emphasis[:max_items]:
            parts = [f"lede in {', '.join(label[x] for x in f.detail['lede'])}"]
            if f.detail["buried"]:
                parts.append(f"buried in {', '.join(label[x] for x in f.detail['buried'])}")
            if f.detail["absent"]:
                parts.append(f"absent from {', '.join(label[x] for x in f.detail['absent'])}")
            ev = f.detail["evidence"][0]
            console.print(Text(f"  • {'; '.join(parts)}: “{_short(ev['text'], 160)}”"))
        conflicts = comparison.conflicts(s.id)
        if conflicts:
            console.print(Text(f"Conflicts on {len(conflicts)} claim(s)", style="bold red"))
            for f in conflicts[:max_items]:
                console.print(
                    Text(
                        _safe(f"  • {f.detail.get('type', '')}: {f.detail.get('explanation', '')}")
                    )
                )
    if comparison.dropped:
        console.print()
        console.print(
            Text(
                f"{len(comparison.dropped)} non-article line(s) left out "
                "(related links, bylines, captions, footers); "
                "listed under 'dropped' in --format json.",
                style="dim",
            )
        )
    legend = "  ".join(f"{label[i]} {n}" for i, n in names.items())
    console.print(Text(legend, style="dim"))
    return buf.getvalue()
