"""HTML report: one self-contained page, the sources side by side, each claim group one row.

    >>> import divergence
    >>> c = divergence.compare(["Biden called Putin. <b>Arms</b> came up.",
    ...                         "Biden called Putin."], embedder="hashing")
    >>> page = render_html(c)
    >>> page.startswith("<!doctype html>"), "<b>Arms" in page, "&lt;b&gt;Arms" in page
    (True, False, True)

The page makes no network request: CSS and JS (:mod:`divergence.report.page_assets`) are
inline, there is no font, image or CDN, and a Content-Security-Policy forbids any fetch and lets
only the page's own script run (by its hash).
All article text goes through :func:`html.escape` with ``quote=True``; the data the script needs
is JSON with ``<``, ``>`` and ``&`` written as ``\\u`` escapes, inside a non-executing
``<script type="application/json">``, and the script inserts text with ``textContent`` only.

Sections: summary table; a coverage matrix (sources x claim groups: carried, with prominence as
shade; omitted; absent) and a topic heatmap (share of each source's sentences per topic); the
headline omissions per source; then the aligned view: one column per source, one row per claim
group in story order, omissions as visible hatched gaps, unique claims, lede/buried emphasis and
conflicts marked. Hovering a row (or clicking it, to pin) shows the group across sources.
"""

from __future__ import annotations

import json
from html import escape
from typing import Any

from ._common import (
    as_read,
    check_first,
    conflict_words,
    emphasis_words,
    labels,
    nearest,
    pct,
    short,
)

# the stylesheet, the script and the CSP admitting only that script (JS stays importable here)
from .page_assets import CSS, JS  # noqa: F401
from .page_assets import csp as _csp

HEADLINE = 3  # omissions per source in the headline cards; all are in the aligned view
PALETTE = ["#2563eb", "#d97706", "#059669", "#7c3aed", "#db2777", "#0891b2", "#65a30d", "#b91c1c"]


def esc(value: Any) -> str:
    """HTML-escape any value for text and double-quoted attributes."""
    return escape(str(value), quote=True)


def json_for_script(data: Any) -> str:
    """JSON safe inside a ``<script>`` element: no ``<``, ``>`` or ``&`` characters at all.

    >>> json_for_script({"t": "</script><b>"})
    '{"t": "\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e"}'
    """
    text = json.dumps(data, ensure_ascii=False, sort_keys=True)
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def _badge(label: str, color: str) -> str:
    return f'<span class="badge" style="background:{color}">{esc(label)}</span>'


def _nearest_html(
    findings: list[Any], source_id: str, lab: dict[str, str] | None = None, limit: int = 200
) -> str:
    """``source_id``'s nearest claim on the topic (the first of ``findings`` with a ``related``
    claim of it: an omission's or a unique claim's), so the reader can check the finding or the
    gap; ``lab`` names the source in the line."""
    for f in findings:
        near = nearest(f, source_id)
        if near:
            where = f" in {esc(lab[near[0]])}" if lab else ""
            return (
                f'<div class="small muted">nearest{where}, score {near[2]:.2f}: '
                f"“{esc(short(near[1], limit))}”</div>"
            )
    return ""


def render_html(comparison: Any, *, title: str | None = None, **_: Any) -> str:
    sources = comparison.sources
    lab = labels([s.id for s in sources])
    color = {s.id: PALETTE[i % len(PALETTE)] for i, s in enumerate(sources)}
    claims = {c.id: c for c in comparison.claims}
    topic_of = {g: t for t in comparison.topics for g in t.groups}
    omitted = {(f.group, s) for f in comparison.findings_of("omission") for s in f.sources}
    by_group: dict[str, list[Any]] = {}
    for f in comparison.findings:
        by_group.setdefault(f.group, []).append(f)
    n_shared = sum(1 for g in comparison.groups if len(g.sources) > 1)
    page_title = title or "divergence report: " + " vs ".join(s.name for s in sources)

    out: list[str] = [
        "<!doctype html>",
        '<html lang="en"><head><meta charset="utf-8">',
        f'<meta http-equiv="Content-Security-Policy" content="{esc(_csp())}">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        '<meta name="referrer" content="no-referrer">',
        f"<title>{esc(short(page_title, 160))}</title>",
        f"<style>{CSS}</style></head><body>",
        '<header class="top"><h1>divergence report</h1>',
        f'<div class="meta">{len(sources)} sources · {len(comparison.claims)} claims · '
        f"{len(comparison.groups)} claim groups, {n_shared} carried by more than one source · "
        f"{len(comparison.topics)} topics</div>",
        f'<div class="sig">{esc(comparison.signature)}</div></header><main>',
    ]

    # -- summary ---------------------------------------------------------------------------
    out.append('<section id="summary"><h2>Sources</h2><div class="card">')
    out.append('<table class="summary"><thead><tr><th class="l"></th><th class="l">Source</th>')
    out.append('<th class="l">Title</th>')
    for col in ("Claims", "Carried", "Omits", "Unique", "Emphasis", "Conflicts", "Dropped"):
        out.append(f"<th>{col}</th>")
    out.append("</tr></thead><tbody>")
    by_id = {s.id: s for s in sources}
    for row in comparison.summary():
        s = by_id[row["source"]]
        out.append(
            f'<tr data-source="{esc(s.id)}"><td class="l">{_badge(lab[s.id], color[s.id])}</td>'
            f'<td class="l"><b>{esc(s.name)}</b>'
            + (f'<div class="small muted">{esc(s.date)}</div>' if s.date else "")
            + f'</td><td class="l title">{esc(short(s.title or "", 200))}</td>'
            f"<td>{row['claims']}</td><td>{row['carried']}</td>"
            f'<td class="num-omit"><b>{row["omitted"]}</b></td>'
            f'<td class="num-uniq"><b>{row["unique"]}</b></td>'
            f"<td>{row['emphasis']}</td>"
            f'<td class="num-conf"><b>{row["conflicts"]}</b></td>'
            f"<td>{row['dropped']}</td></tr>"
        )
    out.append("</tbody></table>")
    out.append(
        '<p class="small muted" style="margin:10px 0 0"><b>Carried</b>: claim groups the source '
        "carries. <b>Omits</b>: groups other sources carry that it lacks. <b>Unique</b>: groups "
        "only it carries. <b>Emphasis</b>: groups it leads with, buries or skips while another "
        "leads with them.</p></div></section>"
    )

    # -- charts ----------------------------------------------------------------------------
    out.append('<section id="charts" class="charts">')
    n_groups = len(comparison.groups)
    cell_h = 40 if len(sources) <= 3 else 30 if len(sources) <= 6 else 20
    out.append(
        '<div class="card" id="coverage"><h3>Coverage: claim groups × sources</h3>'
        '<p class="small muted" style="margin:0 0 10px">Each column is a claim group in story '
        "order; darker means more prominent (title, lede). Click a cell to jump to the row.</p>"
        f'<div class="matrix" style="grid-template-columns:28px '
        f'repeat({n_groups},minmax(4px,1fr));--h:{cell_h}px">'
    )
    for s in sources:
        out.append(f'<span class="lab" style="color:{color[s.id]}">{esc(lab[s.id])}</span>')
        for g in comparison.groups:
            if s.id in g.sources:
                p = g.prominence.get(s.id, 0.0)
                alpha = 0.25 + 0.75 * p
                tip = f"{g.id}: carried by {lab[s.id]} (prominence {p:.2f})"
                out.append(
                    f'<a class="m on" href="#{esc(g.id)}" style="--a:{alpha:.2f}" '
                    f'title="{esc(tip)}"></a>'
                )
            elif (g.id, s.id) in omitted:
                out.append(
                    f'<a class="m omit" href="#{esc(g.id)}" '
                    f'title="{esc(g.id)}: omitted by {esc(lab[s.id])}"></a>'
                )
            else:
                out.append(
                    f'<a class="m" href="#{esc(g.id)}" '
                    f'title="{esc(g.id)}: not in {esc(lab[s.id])}"></a>'
                )
    out.append("</div>")
    out.append(
        '<div class="legend"><span><i style="background:rgba(37,99,235,.9)"></i>carried, '
        'prominent</span><span><i style="background:rgba(37,99,235,.3)"></i>carried, buried'
        '</span><span><i style="background:repeating-linear-gradient(135deg,#fecaca 0 3px,'
        '#fff 3px 6px);outline:1px solid #fca5a5"></i>omitted</span><span><i style="background:'
        "#eef2f7\"></i>not carried (another source's unique claim)</span></div>"
    )
    by_support: dict[int, int] = {}
    for g in comparison.groups:
        by_support[len(g.sources)] = by_support.get(len(g.sources), 0) + 1
    out.append('<div class="support"><div class="bar">')
    for k in sorted(by_support, reverse=True):
        share = by_support[k] / max(n_groups, 1)
        shade = 0.25 + 0.75 * (k - 1) / max(len(sources) - 1, 1)
        out.append(
            f'<span style="flex:{by_support[k]};--a:{shade:.2f}" '
            f'title="{by_support[k]} claim groups carried by {k} of {len(sources)} sources">'
            f"{by_support[k] if share >= 0.06 else ''}</span>"
        )
    words = ", ".join(
        f"{by_support[k]} by {'all ' + str(k) if k == len(sources) else k}"
        for k in sorted(by_support, reverse=True)
    )
    out.append(f'</div><div class="small muted">Claim groups carried: {words}.</div></div></div>')
    out.append(
        '<div class="card" id="topics"><h3>Topics: share of each source\'s sentences</h3>'
        '<p class="small muted" style="margin:0 0 10px">Claim groups clustered by meaning; each '
        "topic is labelled by its most characteristic words.</p>"
    )
    if comparison.topics:
        out.append('<table class="heat"><thead><tr><th>Topic</th>')
        for s in sources:
            out.append(f'<th class="s" title="{esc(s.name)}">{_badge(lab[s.id], color[s.id])}</th>')
        out.append("</tr></thead><tbody>")
        for t in comparison.topics:
            out.append(
                f'<tr data-topic="{esc(t.id)}"><td class="t">{esc(t.label)}'
                f"<small>{len(t.groups)} claim groups</small></td>"
            )
            for s in sources:
                x = t.share.get(s.id, 0.0)
                alpha = min(1.0, 0.06 + 0.94 * min(x / 0.5, 1.0))
                fg = "#fff" if alpha > 0.55 else "#1f2937"
                out.append(
                    f'<td class="h" style="--a:{alpha:.2f};--fg:{fg}" '
                    f'title="{esc(s.name)}: {pct(x)} of its sentences">{pct(x)}</td>'
                )
            out.append("</tr>")
        out.append("</tbody></table>")
    else:
        out.append('<p class="muted">No topics were computed for this comparison.</p>')
    out.append("</div></section>")

    if getattr(comparison, "derivations", ()):
        from .derivation_html import derivation_section

        out += derivation_section(comparison, lab, color)

    # -- headline findings -----------------------------------------------------------------
    out.append('<section id="findings"><h2>What each source leaves out</h2>')
    out.append('<div class="findings">')
    for s in sources:
        omissions = comparison.omissions(s.id)
        check = check_first(omissions, s.id)
        out.append(
            f'<div class="card" data-source="{esc(s.id)}"><h3>{_badge(lab[s.id], color[s.id])} '
            f'{esc(s.name)} <span class="muted small">omits {len(omissions)}, '
            f"unique {len(comparison.unique(s.id))}</span></h3>"
            + (f'<p class="muted small">Omissions: {esc(check)}.</p>' if check else "")
            + "<ol>"
        )
        for f in omissions[:HEADLINE]:
            ev = f.evidence[0]
            carriers = " ".join(lab[c] for c in f.carried_by)
            out.append(
                f'<li><a href="#{esc(f.group)}"><span class="chip omit">carried by {esc(carriers)}'
                f" ({f.support}/{f.of})</span>"
                f'<span class="q">“{esc(short(as_read(ev.claim, ev.text), 200))}”</span></a>'
                + _nearest_html([f], s.id, lab)
                + "</li>"
            )
        if not omissions:
            out.append('<li class="muted">Nothing that other sources carry.</li>')
        out.append("</ol>")
        for g, p in comparison.partly(s.id)[:HEADLINE]:
            lacks = ", ".join(f"<mark>{esc(w)}</mark>" for w in p["missing"]) or "(no word)"
            out.append(
                f'<div class="small"><a href="#{esc(g.id)}">{esc(g.id)}</a> partly carried: '
                f"lacks {lacks}</div>"
            )
        if len(omissions) > HEADLINE:
            out.append(
                f'<div class="small muted">… and {len(omissions) - HEADLINE} more, '
                "marked in the side-by-side view below.</div>"
            )
        out.append("</div>")
    out.append("</div></section>")

    # -- side by side ----------------------------------------------------------------------
    out.append(
        '<section id="aligned"><h2>Side by side</h2>'
        '<p class="small muted" style="margin:-4px 0 10px">One row per claim group, in story '
        "order. Hatched red cells are omissions; teal rows are unique to one source. Hover a row "
        "to see the group across sources; click to pin it (Esc to close).</p>"
        '<div class="legend" style="margin:0 0 10px"><span class="chip omit">omitted</span>'
        '<span class="chip uniq">unique</span><span class="chip lede">lede</span>'
        '<span class="chip buried">buried</span><span class="chip conf">conflict</span></div>'
    )
    cols = f"170px repeat({len(sources)},minmax(240px,1fr))"
    out.append(f'<div class="align"><div class="grid" style="grid-template-columns:{cols}">')
    out.append('<div class="hd">Claim group</div>')
    for s in sources:
        out.append(
            f'<div class="hd" data-source="{esc(s.id)}">{_badge(lab[s.id], color[s.id])} '
            f'{esc(s.name)}<span class="t">{esc(short(s.title or "", 140))}</span></div>'
        )
    data_groups: dict[str, Any] = {}
    for g in comparison.groups:
        fs = by_group.get(g.id, [])
        kinds = {f.kind for f in fs}
        buried = {b for f in fs if f.kind == "emphasis" for b in f.buried}
        row_cls = ["row"]
        if "unique" in kinds:
            row_cls.append("unique")
        if "emphasis" in kinds:
            row_cls.append("emphasis")
        if "conflict" in kinds:
            row_cls.append("conflict")
        topic = topic_of.get(g.id)
        out.append(f'<div class="{" ".join(row_cls)}" data-group="{esc(g.id)}">')
        side = [f"<b>{esc(g.id)}</b> · {len(g.sources)}/{len(sources)}<br>"]
        if topic:
            side.append(f'<span class="chip topic">{esc(short(topic.label, 48))}</span>')
        for f in fs:
            if f.kind == "unique":
                side.append(f'<span class="chip uniq">only {esc(lab[f.sources[0]])}</span>')
            elif f.kind == "emphasis":
                side.append(
                    f'<span class="chip lede" title="{esc(emphasis_words(f, lab))}">'
                    "emphasis differs</span>"
                )
            elif f.kind == "conflict":
                side.append(
                    f'<span class="chip conf" title="{esc(conflict_words(f))}">conflict</span>'
                )
        out.append(f'<div class="c g" id="{esc(g.id)}">{"".join(side)}</div>')
        for s in sources:
            mine = [claims[cid] for cid in g.claims if claims[cid].source == s.id]
            if mine:
                lede = any(c.lede for c in mine)
                cls = "c claim" + (" lede" if lede else "")
                parts = []
                for c in mine:
                    parts.append(f"<p>{esc(as_read(c.id, c.text))}</p>")
                chips = []
                if lede:
                    chips.append('<span class="chip lede">lede</span>')
                if s.id in buried:
                    chips.append('<span class="chip buried">buried</span>')
                if "unique" in kinds:
                    chips.append('<span class="chip uniq">unique</span>')
                out.append(
                    f'<div class="{cls}" data-source="{esc(s.id)}">{"".join(parts)}'
                    f"{''.join(chips)}</div>"
                )
            elif (g.id, s.id) in omitted:
                out.append(
                    f'<div class="c gap omitted" data-source="{esc(s.id)}" '
                    f'title="{esc(s.name)} omits this claim">omitted'
                    f"{_nearest_html(fs, s.id, limit=160)}</div>"
                )
            else:
                out.append(
                    f'<div class="c gap" data-source="{esc(s.id)}">not carried'
                    f"{_nearest_html(fs, s.id, limit=160)}</div>"
                )
        out.append("</div>")
        data_groups[g.id] = {
            "support": len(g.sources),
            "of": len(sources),
            "topic": topic.label if topic else "",
            "findings": sorted(
                {
                    (
                        f"{f.kind}: {emphasis_words(f, lab)}"
                        if f.kind == "emphasis"
                        else f"{f.kind}: {conflict_words(f)}"
                        if f.kind == "conflict"
                        else f"omitted by {', '.join(lab[x] for x in f.sources)}"
                        if f.kind == "omission"
                        else f"unique to {lab[f.sources[0]]}"
                    )
                    for f in fs
                }
            ),
            "omitted": [s for s in g.missing_from if (g.id, s) in omitted],
            "claims": [
                {
                    "source": claims[cid].source,
                    "text": claims[cid].text,
                    "lede": claims[cid].lede,
                    "prominence": f"{g.prominence.get(claims[cid].source, 0.0):.2f}",
                }
                for cid in g.claims
            ],
        }
    out.append("</div></div></section></main>")
    foot = []
    if comparison.dropped:
        foot.append(
            f"{len(comparison.dropped)} non-article line(s) left out (related links, bylines, "
            "captions, footers); listed under <code>dropped</code> in <code>--format json</code>."
        )
    foot.append("Made with divergence. This page loads nothing from the network.")
    out.append(f"<footer>{' '.join(foot)}</footer>")
    out.append('<aside id="detail" aria-live="polite"></aside>')
    data = {
        "sources": [
            {"id": s.id, "name": s.name, "label": lab[s.id], "color": color[s.id]} for s in sources
        ],
        "groups": data_groups,
    }
    out.append(
        f'<script type="application/json" id="divergence-data">{json_for_script(data)}</script>'
    )
    out.append(f"<script>{JS}</script>")
    out.append("</body></html>")
    return "\n".join(out) + "\n"
