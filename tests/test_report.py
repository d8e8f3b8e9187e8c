"""Renderers: golden Markdown/CSV, escaping of hostile text in every format, text layout, CLI.

Golden files live in tests/golden/ and are made with the hashing embedder (deterministic, no
model). After an intended change to a renderer, regenerate them and review the diff:

    UPDATE_GOLDEN=1 PYTHONPATH=$PWD .venv/bin/python -m pytest -q tests/test_report.py
"""

from __future__ import annotations

import ast
import base64
import csv
import hashlib
import html
import io
import json
import os
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

import divergence
from divergence import compare
from divergence.cli import app
from divergence.records import clause_of
from divergence.report import FORMATS, render

from .conftest import CLUSTERS, FIXTURES

GOLDEN = Path(__file__).parent / "golden"
REPORT_DIR = Path(divergence.__file__).parent / "report"
HOSTILE = (
    "Officials met <script>window.__pwned=1</script> on Tuesday to discuss the treaty. "
    'The envoy said " onmouseover="window.__pwned=1" x=" nothing else. '
    "=cmd() | pipes | and `ticks` were typed into the record."
)
PLAIN = "The ministry declined to comment on the weather forecast for the coming weekend."


def _golden(name: str, text: str) -> None:
    path = GOLDEN / name
    if os.environ.get("UPDATE_GOLDEN") == "1" or not path.exists():
        path.parent.mkdir(exist_ok=True)
        path.write_text(text, encoding="utf-8", newline="")
    assert text == path.read_text(encoding="utf-8"), (
        f"{name} differs from the golden file; if intended: UPDATE_GOLDEN=1 pytest {__file__}"
    )


@pytest.mark.parametrize("cluster", CLUSTERS)
def test_markdown_golden(fake_comparisons, cluster):
    _golden(f"{cluster}.md", render(fake_comparisons[cluster], "markdown"))


@pytest.mark.parametrize("cluster", CLUSTERS)
def test_csv_golden(fake_comparisons, cluster):
    _golden(f"{cluster}.csv", render(fake_comparisons[cluster], "csv"))


@pytest.fixture(scope="module")
def hostile():
    return compare(
        [
            {"id": "evil", "source": 'Evil <b>"|', "title": "=HYPERLINK()", "text": HOSTILE},
            {"id": "plain", "source": "Plain", "text": PLAIN},
        ],
        embedder="hashing",
        threshold=0.5,
    )


def test_every_format_renders(fake_comparisons):
    comp = fake_comparisons["first-call"]
    for fmt in FORMATS:
        out = render(comp, fmt)
        assert out.endswith("\n") and len(out) > 500, fmt


def test_html_escapes_hostile_text(hostile):
    page = render(hostile, "html")
    assert "<script>window" not in page and "Evil <b>" not in page
    assert 'onmouseover="window' not in page
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in page
    assert "&quot; onmouseover=&quot;window.__pwned=1&quot;" in page
    # only the page's own two script elements, the data one not executable
    assert page.count("<script") == 2
    assert '<script type="application/json" id="divergence-data">' in page
    data = re.search(r'id="divergence-data">(.*?)</script>', page, re.S).group(1)
    assert "<" not in data and ">" not in data and "&" not in data
    assert any(
        "<script>" in c["text"] for g in json.loads(data)["groups"].values() for c in g["claims"]
    )
    # the Content-Security-Policy lets exactly the page's script run, and nothing be fetched
    from divergence.report.html import JS

    digest = base64.b64encode(hashlib.sha256(JS.encode()).digest()).decode()
    csp = html.unescape(re.search(r'Content-Security-Policy" content="([^"]*)"', page).group(1))
    assert f"script-src 'sha256-{digest}'" in csp and "default-src 'none'" in csp
    assert not re.search(r"""(src|href)\s*=\s*["']?(https?:)?//""", page)


def test_markdown_escapes_hostile_text(hostile):
    md = render(hostile, "markdown")
    assert "<script>" not in md and "Evil <b>" not in md
    assert "&lt;script&gt;" in md
    assert "\\`ticks\\`" in md and "\\| pipes \\|" in md
    tables: list[list[str]] = [[]]
    for line in md.splitlines():
        if line.startswith("|"):
            tables[-1].append(line)
        elif tables[-1]:
            tables.append([])
    for table in filter(None, tables):  # every row of a table keeps the header's column count
        counts = {len(re.findall(r"(?<!\\)\|", line)) for line in table}
        assert len(counts) == 1, table


def test_md_escape_leading_syntax():
    from divergence.report.markdown import md_escape

    assert md_escape("# head") == "\\# head"
    assert md_escape("- item") == "\\- item"
    assert md_escape("+ item") == "\\+ item"
    assert md_escape("> quote") == "&gt; quote"
    assert md_escape("1. first") == "1\\. first"
    assert md_escape("12) first") == "12\\) first"
    assert md_escape("2021 was") == "2021 was"
    assert md_escape("[x](javascript:y)") == "\\[x\\](javascript:y)"


def test_csv_neutralises_formulas_and_round_trips(hostile):
    text = render(hostile, "csv")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == len(hostile.groups) * len(hostile.sources)
    bad = ("=", "+", "-", "@", "\t", "\r")
    for row in rows:
        for value in row.values():
            assert not value.startswith(bad), value
    cells = [r["claims"] for r in rows]
    assert "'=cmd() | pipes | and `ticks` were typed into the record." in cells
    assert any("<script>window.__pwned=1</script>" in c for c in cells)  # CSV is data, kept


def test_text_and_json_keep_hostile_text_inert(hostile):
    text = render(hostile, "text", color=True)
    assert "<script>window.__pwned=1</script>" in text  # plain text, shown as is
    assert "\x1b]" not in text  # no terminal hyperlink/OSC sequences from the article
    texts = [c["text"] for c in json.loads(render(hostile, "json"))["claims"]]
    assert any("<script>window.__pwned=1</script>" in t for t in texts)  # JSON: exact data


def test_text_plain_unless_color_and_width_aware(fake_comparisons):
    comp = fake_comparisons["first-call"]
    plain = render(comp, "text")
    assert "\x1b[" not in plain
    assert "\x1b[" in render(comp, "text", color=True)
    for width in (60, 80, 120):
        out = render(comp, "text", width=width)
        assert max(len(line) for line in out.splitlines()) <= width
        assert all(line == line.rstrip() for line in out.splitlines())


def test_text_ranks_omissions_with_evidence(fake_comparisons):
    comp = fake_comparisons["first-call"]
    out = render(comp, "text", width=200)
    source = max(comp.sources, key=lambda s: len(comp.omissions(s.id)))
    section = out.split(source.name, 2)[-1]
    ranked = [f.group for f in comp.omissions(source.id)]
    shown = re.findall(r"• (g\d+): carried by", section.split("Only ")[0])
    assert shown == ranked[: len(shown)] and shown
    first = comp.omissions(source.id)[0].detail["evidence"][0]["text"]
    assert first.split()[0] in section


def test_two_sources_list_the_mirror_once(fake_comparisons):
    comp = fake_comparisons["ukraine-calls"]
    out = render(comp, "text", width=200, max_items=1000)
    assert "Omits" not in out and "Only in A, missing from B" in out
    assert "Only in B, missing from A" in out
    for f in comp.unique():
        assert out.count(f"• {f.group} ") == 1
    md = render(comp, "markdown")
    assert "Omits" not in md.split("## Topics")[-1] and "Only in A, missing from B" in md


def test_topics_shown_in_every_format(fake_comparisons):
    comp = fake_comparisons["first-call"]
    label = comp.topics[0].label
    for fmt in ("text", "markdown", "csv", "json"):
        assert label in render(comp, fmt, width=200), fmt
    assert label.replace(",", ",") in render(comp, "html")
    assert 'class="heat"' in render(comp, "html")


FORBIDDEN_IMPORTS = {
    "numpy",
    "scipy",
    "sklearn",
    "torch",
    "sentence_transformers",
    "divergence.pipeline",
    "divergence.embed",
    "divergence.align",
    "divergence.findings",
    "divergence.pairs",
    "divergence.topics",
}


@pytest.mark.parametrize("path", sorted(REPORT_DIR.glob("*.py")), ids=lambda p: p.name)
def test_renderers_import_no_computation(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names = [a.name for a in node.names]
        elif isinstance(node, ast.ImportFrom):
            mod = node.module or ""
            names = [("divergence." + mod) if node.level == 2 else mod]
        else:
            continue
        for name in names:
            assert name.split(".")[0] not in FORBIDDEN_IMPORTS and name not in FORBIDDEN_IMPORTS


def test_renderers_only_read_the_comparison(fake_comparisons, monkeypatch):
    """Rendering needs nothing but the Comparison: no embedder, no pipeline stage runs."""
    import divergence.embed as embed
    import divergence.topics as topics

    def boom(*_a, **_k):
        raise AssertionError("a renderer computed something")

    monkeypatch.setattr(embed.HashingEmbedder, "encode", boom)
    monkeypatch.setattr(embed.SentenceTransformerEmbedder, "encode", boom)
    monkeypatch.setattr(topics, "find_topics", boom)
    monkeypatch.setattr(topics, "choose_clusters", boom)
    comp = fake_comparisons["ukraine-calls"]
    before = comp.to_json()
    for fmt in FORMATS:
        render(comp, fmt)
    assert comp.to_json() == before


def test_render_without_topics(fake_comparisons):
    from dataclasses import replace

    comp = replace(fake_comparisons["ukraine-calls"], topics=())
    for fmt in FORMATS:
        assert render(comp, fmt)


runner = CliRunner()
FAST = ["-m", "hashing", "-t", "0.5", "-q"]


@pytest.mark.parametrize(
    "fmt,check",
    [("markdown", "# divergence report"), ("csv", "group,topic"), ("html", "<!doctype html>")],
)
def test_cli_formats(tmp_path, fmt, check):
    out = tmp_path / f"r.{fmt}"
    result = runner.invoke(
        app, ["compare", str(FIXTURES / "ukraine-calls"), *FAST, "-f", fmt, "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith(check)


def test_cli_no_color_and_bad_format():
    result = runner.invoke(app, ["compare", str(FIXTURES / "ukraine-calls"), *FAST, "--no-color"])
    assert result.exit_code == 0 and "\x1b[" not in result.stdout
    result = runner.invoke(app, ["compare", str(FIXTURES / "ukraine-calls"), *FAST, "-f", "pdf"])
    assert result.exit_code == 2 and "unknown format" in result.output


def test_cli_open(tmp_path, monkeypatch):
    import webbrowser

    opened = []
    monkeypatch.setattr(webbrowser, "open", lambda url: opened.append(url) or True)
    out = tmp_path / "report.html"
    args = ["compare", str(FIXTURES / "ukraine-calls"), *FAST, "-f", "html", "-o", str(out)]
    result = runner.invoke(app, [*args, "--open"])
    assert result.exit_code == 0, result.output
    assert opened == [out.resolve().as_uri()]
    # no browser: still exit 0, with a one-line warning
    monkeypatch.setattr(webbrowser, "open", lambda url: False)
    result = runner.invoke(
        app,
        [
            "compare",
            str(FIXTURES / "ukraine-calls"),
            "-m",
            "hashing",
            "-f",
            "html",
            "-o",
            str(out),
            "--open",
        ],
    )
    assert result.exit_code == 0 and "no web browser available" in result.output


def test_conflicts_are_shown_in_every_format(fake_comparisons):
    """Conflict findings (from a later scoring stage) render with their type and evidence."""
    from dataclasses import replace

    from divergence.records import Conflict, Quote

    comp = fake_comparisons["first-call"]
    group = next(g for g in comp.groups if len(g.sources) >= 2)
    evidence = tuple(Quote(c, comp.claim(c).source, comp.claim(c).text) for c in group.claims)
    conflict = Conflict(
        group.id,
        tuple(group.sources[:2]),
        type="number",
        explanation="two <hours> vs 90 minutes",
        evidence=evidence,
    )
    comp = replace(comp, findings=(*comp.findings, conflict))
    assert "number: two <hours> vs 90 minutes" in render(comp, "text", width=200)
    assert "number: two &lt;hours&gt; vs 90 minutes" in render(comp, "markdown")
    page = render(comp, "html")
    assert 'class="chip conf"' in page and "two &lt;hours&gt;" in page and "<hours>" not in page
    rows = list(csv.DictReader(io.StringIO(render(comp, "csv"))))
    assert any("conflict" in r["findings"] for r in rows if r["group"] == group.id)


def test_two_sources_list_emphasis_once(fake_comparisons):
    comp = fake_comparisons["ukraine-calls"]
    out = render(comp, "text", width=200, max_items=1000)
    for f in comp.emphasis():
        assert out.count(f"• {f.group}: lede in") == 1


def test_reports_mark_clause_fragments_and_json_keeps_exact_text():
    """With clause claims a quoted clause cut from a longer sentence opens or ends with "…"
    in the text, Markdown and HTML reports, so it is not read as a whole sentence; the JSON
    evidence keeps each claim's exact text."""
    comp = compare(
        [FIXTURES / "first-call"], embedder="hashing", scorer="lr", threshold=0.5, unit="clause"
    )
    later = [
        q
        for f in comp.findings
        for q in f.evidence
        if (clause_of(q.claim)[1] or 0) > 0  # a clause after its sentence's first
    ]
    assert later, "the fixture should quote at least one later clause"
    for fmt in ("text", "markdown", "html"):
        out = render(comp, fmt, width=200) if fmt == "text" else render(comp, fmt)
        assert "“…" in out or "<p>…" in out, fmt  # a quote, or a claim in the HTML table
    data = json.loads(render(comp, "json"))
    texts = {c["id"]: c["text"] for c in data["claims"]}
    for f in data["findings"]:
        for q in f["detail"].get("evidence", []):
            assert q["text"] == texts[q["claim"]] and not q["text"].startswith("…")


def test_omissions_show_the_omitting_sources_nearest_claim(fake_comparisons):
    """An omission whose source has a claim on the same topic (``related``: scored under the
    threshold) shows it, with its score, in the text, Markdown and HTML reports, so a reader
    can check whether the source states the claim in other words; without one, no line."""
    from dataclasses import replace

    from divergence.finding_kinds import Omission, Related

    comp = fake_comparisons["first-call"]
    omitting = next(s.id for s in comp.sources if comp.omissions(s.id))
    f = comp.omissions(omitting)[0]  # first in its list, so in the HTML card too
    assert isinstance(f, Omission)
    own = next(c for c in comp.claims if c.source == omitting)
    near = Related(own.id, omitting, "The toll <is> expected to rise.", 0.3125)
    marked = replace(f, related=(near,))
    plain = replace(f, related=())
    with_near = replace(comp, findings=tuple(marked if x is f else x for x in comp.findings))
    without = replace(comp, findings=tuple(plain if x is f else x for x in comp.findings))
    text = render(with_near, "text", width=200, max_items=1000)
    assert "score 0.31: “The toll <is> expected to rise.”" in text
    md = render(with_near, "markdown", max_items=1000)
    assert "score 0.31:* “The toll &lt;is&gt; expected to rise.”" in md
    page = render(with_near, "html")
    assert "score 0.31: “The toll &lt;is&gt; expected to rise.”" in page
    for fmt in ("text", "markdown", "html"):
        out = render(without, fmt, width=200) if fmt == "text" else render(without, fmt)
        assert "The toll" not in out


def test_unique_claims_show_another_sources_nearest_claim(fake_comparisons):
    """A claim only one source carries shows the nearest claim another source has on the topic
    (text, Markdown, and the HTML side-by-side view under that source's gap), so a reader can
    check that no other source states it."""
    from dataclasses import replace

    from divergence.finding_kinds import Related, Unique

    comp = fake_comparisons["first-call"]
    owner = next(s.id for s in comp.sources if comp.unique(s.id))
    f = comp.unique(owner)[0]
    assert isinstance(f, Unique)
    other = next(c for c in comp.claims if c.source != owner)
    near = Related(other.id, other.source, "Another outlet, <nearest> sentence.", 0.2875)
    comp = replace(
        comp, findings=tuple(replace(x, related=(near,)) if x is f else x for x in comp.findings)
    )
    label = {s.id: chr(65 + i) for i, s in enumerate(comp.sources)}[other.source]
    text = render(comp, "text", width=200, max_items=1000)
    assert f"nearest in {label}, score 0.29: “Another outlet, <nearest> sentence.”" in text
    md = render(comp, "markdown", max_items=1000)
    assert f"*nearest in {label}, score 0.29:* “Another outlet, &lt;nearest&gt; sentence.”" in md
    # the side-by-side view shows it under that source's gap in the row
    page = render(comp, "html")
    assert "nearest, score 0.29: “Another outlet, &lt;nearest&gt; sentence.”" in page
