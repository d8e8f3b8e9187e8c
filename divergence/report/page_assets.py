"""The HTML report's page assets: its stylesheet (``CSS``), its script (``JS``) and the
Content-Security-Policy that lets only that script run (:func:`csp`, by the script's sha256).

:mod:`divergence.report.html` builds the markup around them. The script reads the page's data
from ``<script type="application/json" id="divergence-data">`` and inserts text with
``textContent`` only.

    >>> "script-src 'sha256-" in csp() and "default-src 'none'" in csp()
    True
"""

from __future__ import annotations

import base64
import hashlib

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


def csp() -> str:
    """The page's Content-Security-Policy: no fetch, inline styles, only ``JS`` may run."""
    digest = base64.b64encode(hashlib.sha256(JS.encode("utf-8")).digest()).decode("ascii")
    return (
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
        f"script-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    )
