"""The HTML report's "Who derives from whom" section (:mod:`divergence.derivation`).

>>> from divergence.report.derivation_html import marked
>>> marked("Biden phoned Putin", "Biden called Putin")
'Biden <mark>phoned</mark> Putin'
"""

from __future__ import annotations

import math
from html import escape
from typing import Any

#: A big event's page stays readable: the graph only up to this many related sources, the list
#: and the side-by-side views of the first pairs only (every pair is in the JSON).
MAX_GRAPH = 24
MAX_LISTED = 50
MAX_SIDE_BY_SIDE = 20


def esc(value: Any) -> str:
    return escape(str(value), quote=True)


def marked(text: str, other: str) -> str:
    """``text`` escaped, with the words that differ from ``other`` in <mark>."""
    import difflib

    from ..derivation import _WORD

    a, b = _WORD.findall(other), _WORD.findall(text)
    sm = difflib.SequenceMatcher(
        None, [w.lower() for w in a], [w.lower() for w in b], autojunk=False
    )
    parts = []
    for tag, _i1, _i2, j1, j2 in sm.get_opcodes():
        words = esc(" ".join(b[j1:j2]))
        if words:
            parts.append(words if tag == "equal" else f"<mark>{words}</mark>")
    return " ".join(parts)


def derivation_section(comparison: Any, lab: dict[str, str], color: dict[str, str]) -> list[str]:
    """Who derives from whom: an SVG graph (arrow from the copy to its original) and, for each
    copy or rewrite, its matched sentences side by side with the changed words marked."""
    from ..derivation import summary_line

    ders = comparison.derivations
    ids = sorted({x for d in ders for x in (d.source, d.from_)}, key=list(lab).index)
    n = len(ids)
    w, h, r = 420, 220 if n > 2 else 120, 80 if n > 2 else 0
    pos = {}
    for k, sid in enumerate(ids):
        if n <= 2:
            pos[sid] = (110 + 200 * k, 60)
        else:
            ang = 2 * math.pi * k / n - math.pi / 2
            pos[sid] = (w / 2 + 150 * math.cos(ang), h / 2 + r * math.sin(ang))
    head = '<section id="derivations"><h2>Who derives from whom</h2><div class="card">'
    out = [
        f'<svg role="img" aria-label="derivation graph" width="{w}" height="{h}" '
        f'viewBox="0 0 {w} {h}"><defs><marker id="arr" viewBox="0 0 10 10" refX="10" refY="5" '
        'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
        '<path d="M0,0 L10,5 L0,10 z" fill="#374151"/></marker></defs>',
    ]
    for d in ders:
        (x1, y1), (x2, y2) = pos[d.source], pos[d.from_]
        dx, dy = x2 - x1, y2 - y1
        dist = max(math.hypot(dx, dy), 1.0)
        sx, sy, ex, ey = (
            x1 + dx * 22 / dist,
            y1 + dy * 22 / dist,
            x2 - dx * 22 / dist,
            y2 - dy * 22 / dist,
        )
        dash = ' stroke-dasharray="5,4"' if d.relation == "quotes" else ""
        end = ' marker-end="url(#arr)"' if d.direction == "known" else ""
        out.append(
            f'<line x1="{sx:.1f}" y1="{sy:.1f}" x2="{ex:.1f}" y2="{ey:.1f}" stroke="#374151" '
            f'stroke-width="2"{dash}{end}><title>{esc(summary_line(d, lab))}</title></line>'
            f'<text x="{(x1 + x2) / 2:.1f}" y="{(y1 + y2) / 2 - 6:.1f}" font-size="11" '
            f'text-anchor="middle" fill="#374151">{esc(d.relation)}</text>'
        )
    for sid in ids:
        x, y = pos[sid]
        out.append(
            f'<circle cx="{x:.1f}" cy="{y:.1f}" r="20" fill="{color[sid]}"/>'
            f'<text x="{x:.1f}" y="{y + 5:.1f}" font-size="14" font-weight="bold" '
            f'text-anchor="middle" fill="#fff">{esc(lab[sid])}</text>'
        )
    out.append("</svg>")
    if n > MAX_GRAPH:
        out = [f'<p class="muted">{n} related sources: too many for a graph.</p>']
    out = [head, *out, "<ul>"]
    out += [f"<li>{esc(summary_line(d, lab))}</li>" for d in ders[:MAX_LISTED]]
    if len(ders) > MAX_LISTED:
        out.append(f"<li>… and {len(ders) - MAX_LISTED} more (see --format json)</li>")
    out.append(
        '</ul><p class="muted small">An arrow points from a copy to its original (no arrowhead: '
        "direction unknown); dashed: shared near-verbatim passages.</p>"
    )
    claims = {c.id: c for c in comparison.claims}
    for d in [d for d in ders if d.relation != "quotes"][:MAX_SIDE_BY_SIDE]:
        out.append(
            f"<details><summary>{esc(summary_line(d, lab))}: side by side</summary>"
            '<table class="summary"><thead><tr>'
            f'<th class="l">{esc(lab[d.source])} (changed words marked)</th>'
            f'<th class="l">{esc(lab[d.from_])}</th></tr></thead><tbody>'
        )
        for cid, fid, _score in d.matches:
            a, b = claims[cid].text, claims[fid].text
            out.append(
                f'<tr><td class="l">{marked(a, b)}</td><td class="l">{marked(b, a)}</td></tr>'
            )
        out.append("</tbody></table></details>")
    out.append("</div></section>")
    return out
