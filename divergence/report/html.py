"""HTML report: one self-contained page, the sources side by side, each claim group one row.

    >>> import divergence
    >>> c = divergence.compare(["Biden called Putin. <b>Arms</b> came up.",
    ...                         "Biden called Putin."], embedder="hashing")
    >>> page = render_html(c)
    >>> page.startswith("<!doctype html>"), "<b>Arms" in page, "&lt;b&gt;Arms" in page
    (True, False, True)

The page makes no network request: CSS and JS are inline, there is no font, image or CDN, and a
Content-Security-Policy forbids any fetch and lets only the page's own script run (by its hash).
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

import base64
import hashlib
import json
from html import escape
from typing import Any

from ._common import conflict_words, emphasis_words, labels, pct, short

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


CSS = """
:root{--ink:#1f2937;--muted:#6b7280;--line:#e5e7eb;--bg:#f8fafc;--card:#fff;
--omit:#dc2626;--omit-bg:#fef2f2;--uniq:#0e7490;--uniq-bg:#ecfeff;--emph:#a21caf;
--conf:#b91c1c;--hl:#fef9c3}
*{box-sizing:border-box}
body{margin:0;background:var(--bg);color:var(--ink);
font:14px/1.5 -apple-system,"Segoe UI",Roboto,"Helvetica Neue",Arial,"DejaVu Sans",sans-serif}
header.top{background:#0f172a;color:#f8fafc;padding:22px 32px 18px}
header.top h1{margin:0 0 4px;font-size:22px;font-weight:650;letter-spacing:.2px}
header.top .meta{color:#cbd5e1;font-size:13px}
header.top .sig{color:#94a3b8;font:11px/1.4 ui-monospace,Menlo,Consolas,monospace;margin-top:6px;
word-break:break-all}
main{padding:20px 32px 48px;max-width:1800px;margin:0 auto}
section{margin:0 0 26px}
h2{font-size:16px;margin:0 0 10px;font-weight:650}
h3{font-size:14px;margin:0 0 8px;font-weight:650}
.card{background:var(--card);border:1px solid var(--line);border-radius:10px;padding:16px 18px;
box-shadow:0 1px 2px rgba(15,23,42,.04)}
.muted{color:var(--muted)} .small{font-size:12px}
.badge{display:inline-flex;align-items:center;justify-content:center;min-width:22px;height:22px;
padding:0 6px;border-radius:6px;color:#fff;font-weight:700;font-size:12px}
table.summary{border-collapse:collapse;width:100%}
table.summary th,table.summary td{padding:7px 10px;border-bottom:1px solid var(--line);
text-align:right;white-space:nowrap}
table.summary th{font-size:12px;color:var(--muted);font-weight:600;text-transform:uppercase;
letter-spacing:.04em}
table.summary td.l,table.summary th.l{text-align:left}
table.summary td.title{white-space:normal;color:var(--muted);max-width:420px}
td.num-omit b{color:var(--omit)} td.num-uniq b{color:var(--uniq)} td.num-conf b{color:var(--conf)}
.charts{display:grid;grid-template-columns:minmax(0,3fr) minmax(0,2fr);gap:18px}
.matrix{display:grid;gap:2px;align-items:center}
.matrix .lab{font-weight:700;font-size:12px;padding-right:6px}
.matrix a.m{display:block;height:var(--h,22px);border-radius:3px;background:#eef2f7}
.matrix a.m.on{background:rgba(37,99,235,var(--a))}
.matrix a.m.omit{background:repeating-linear-gradient(135deg,#fecaca 0 3px,#fff 3px 6px);
outline:1px solid #fca5a5}
.matrix a.m:hover{outline:2px solid var(--ink)}
.legend{display:flex;flex-wrap:wrap;gap:14px;margin-top:10px;font-size:12px;color:var(--muted)}
.legend i{display:inline-block;width:14px;height:14px;border-radius:3px;vertical-align:-2px;
margin-right:5px}
.support{margin-top:16px}
.support .bar{display:flex;height:26px;border-radius:6px;overflow:hidden;margin-bottom:6px;gap:2px}
.support .bar span{background:rgba(15,118,110,var(--a));color:#fff;font-size:12px;font-weight:700;
display:flex;align-items:center;justify-content:center}
table.heat{border-collapse:separate;border-spacing:3px;width:100%}
table.heat th{font-size:12px;font-weight:600;color:var(--muted);text-align:left;padding:2px 6px}
table.heat th.s{text-align:center}
table.heat td.t{font-size:13px;padding:4px 6px;max-width:260px}
table.heat td.t small{display:block;color:var(--muted);font-size:11px}
table.heat td.h{text-align:center;border-radius:5px;font-weight:600;font-size:12px;min-width:58px;
background:rgba(124,58,237,var(--a));color:var(--fg)}
.findings{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:16px;
align-items:start}
.findings ol{margin:0;padding-left:20px}
.findings li{margin:0 0 8px}
.findings li a{color:inherit;text-decoration:none}
.findings li a:hover .q{text-decoration:underline}
.q{font-style:italic}
.chip{display:inline-block;font-size:11px;font-weight:600;padding:1px 7px;border-radius:999px;
margin:0 4px 2px 0;white-space:nowrap;border:1px solid transparent}
.chip.omit{background:var(--omit-bg);color:var(--omit);border-color:#fecaca}
.chip.uniq{background:var(--uniq-bg);color:var(--uniq);border-color:#a5f3fc}
.chip.lede{background:#fdf4ff;color:var(--emph);border-color:#f5d0fe}
.chip.buried{background:#f5f3ff;color:#6d28d9;border-color:#ddd6fe}
.chip.conf{background:#fee2e2;color:var(--conf);border-color:#fca5a5}
.chip.topic{background:#f1f5f9;color:#334155;border-color:#e2e8f0;white-space:normal}
.align{border:1px solid var(--line);border-radius:10px;background:var(--card)}
.grid{display:grid;min-width:720px}
.grid .hd{position:sticky;top:0;z-index:2;background:#f1f5f9;border-bottom:1px solid var(--line);
padding:10px 12px;font-weight:650}
.grid .hd .t{display:block;font-weight:400;color:var(--muted);font-size:12px;line-height:1.35;
margin-top:2px}
.grid .row{display:contents}
.grid .c{padding:9px 12px;border-bottom:1px solid var(--line);border-left:1px solid var(--line);
min-height:40px}
.grid .g{border-left:none;font-size:12px;color:var(--muted)}
.grid .g b{color:var(--ink);font-size:13px}
.grid .c.claim p{margin:0 0 4px}
.grid .c.gap{background:repeating-linear-gradient(135deg,#fff 0 6px,#f8fafc 6px 12px);
color:#9ca3af;font-size:12px;display:flex;align-items:center;justify-content:center}
.grid .c.gap.omitted{background:repeating-linear-gradient(135deg,#fff5f5 0 6px,#fee2e2 6px 12px);
color:var(--omit);font-weight:600;box-shadow:inset 3px 0 0 var(--omit)}
.grid .row.unique .c.claim{background:var(--uniq-bg);box-shadow:inset 3px 0 0 var(--uniq)}
.grid .row.conflict .c{box-shadow:inset 0 0 0 2px #fca5a5}
.grid .c.claim.lede{box-shadow:inset 3px 0 0 var(--emph)}
.grid .row:hover .c,.grid .row.active .c{background-color:var(--hl)}
.grid .row.pinned .c{background-color:#fde68a}
.grid .row{cursor:pointer}
aside#detail{position:fixed;right:18px;bottom:18px;width:420px;max-height:55vh;overflow:auto;
background:#fff;border:1px solid #cbd5e1;border-radius:10px;padding:14px 16px;
box-shadow:0 10px 30px rgba(15,23,42,.18);display:none;z-index:5}
aside#detail.show{display:block}
aside#detail h3{margin:0 0 6px}
aside#detail .item{margin:8px 0;padding-left:10px;border-left:3px solid var(--line)}
aside#detail .item.missing{color:var(--omit)}
aside#detail .x{float:right;cursor:pointer;color:var(--muted);border:none;background:none;
font-size:16px}
footer{color:var(--muted);font-size:12px;padding:0 32px 32px}
@media (max-width:1000px){.charts{grid-template-columns:1fr}}
@media print{aside#detail{display:none!important}.grid .hd{position:static}}
"""

JS = """
(function(){
  var data = JSON.parse(document.getElementById('divergence-data').textContent);
  var panel = document.getElementById('detail');
  var pinned = null;
  function el(tag, cls, text){
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }
  function show(gid){
    var g = data.groups[gid];
    if (!g) return;
    panel.textContent = '';
    var close = el('button', 'x', '\\u00d7');
    close.setAttribute('aria-label', 'close');
    close.addEventListener('click', function(ev){ ev.stopPropagation(); unpin(); hide(); });
    panel.appendChild(close);
    panel.appendChild(el('h3', '', gid + ' \\u00b7 carried by ' + g.support + ' of ' + g.of));
    if (g.topic) panel.appendChild(el('div', 'small muted', 'topic: ' + g.topic));
    if (g.findings.length) panel.appendChild(el('div', 'small', g.findings.join(' \\u00b7 ')));
    data.sources.forEach(function(s){
      var mine = g.claims.filter(function(c){ return c.source === s.id; });
      if (!mine.length){
        panel.appendChild(el('div', 'item missing',
          s.label + ' ' + s.name + ': ' + (g.omitted.indexOf(s.id) >= 0 ? 'omits it' : 'absent')));
        return;
      }
      mine.forEach(function(c){
        var d = el('div', 'item');
        d.style.borderLeftColor = s.color;
        d.appendChild(el('b', '', s.label + ' '));
        d.appendChild(document.createTextNode('\\u201c' + c.text + '\\u201d'));
        var note = 'prominence ' + c.prominence + (c.lede ? ' \\u00b7 lede' : '');
        d.appendChild(el('div', 'small muted', note));
        panel.appendChild(d);
      });
    });
    panel.classList.add('show');
  }
  function hide(){ if (!pinned) panel.classList.remove('show'); }
  function unpin(){ if (pinned) pinned.classList.remove('pinned'); pinned = null; }
  document.querySelectorAll('.grid .row').forEach(function(row){
    var gid = row.getAttribute('data-group');
    row.addEventListener('mouseenter', function(){
      row.classList.add('active'); if (!pinned) show(gid);
    });
    row.addEventListener('mouseleave', function(){ row.classList.remove('active'); hide(); });
    row.addEventListener('click', function(){
      var same = pinned === row; unpin();
      if (!same){ pinned = row; row.classList.add('pinned'); show(gid); } else { hide(); }
    });
  });
  document.addEventListener('keydown', function(ev){
    if (ev.key === 'Escape'){ unpin(); panel.classList.remove('show'); }
  });
})();
"""


def _csp() -> str:
    digest = base64.b64encode(hashlib.sha256(JS.encode("utf-8")).digest()).decode("ascii")
    return (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    )


def _badge(label: str, color: str) -> str:
    return f'<span class="badge" style="background:{color}">{esc(label)}</span>'


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
        out.append(
            f'<div class="card" data-source="{esc(s.id)}"><h3>{_badge(lab[s.id], color[s.id])} '
            f'{esc(s.name)} <span class="muted small">omits {len(omissions)}, '
            f"unique {len(comparison.unique(s.id))}</span></h3><ol>"
        )
        for f in omissions[:HEADLINE]:
            ev = f.evidence[0]
            carriers = " ".join(lab[c] for c in f.carried_by)
            out.append(
                f'<li><a href="#{esc(f.group)}"><span class="chip omit">carried by {esc(carriers)}'
                f" ({f.support}/{f.of})</span>"
                f'<span class="q">“{esc(short(ev.text, 200))}”</span></a></li>'
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
                    parts.append(f"<p>{esc(c.text)}</p>")
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
                    f'title="{esc(s.name)} omits this claim">omitted</div>'
                )
            else:
                out.append(f'<div class="c gap" data-source="{esc(s.id)}">not carried</div>')
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
