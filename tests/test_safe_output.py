"""Determinism across processes, and output that shows hostile source text literally.

The hostile fixture lives in :mod:`tests.hostile` so that every report format can reuse it
(``FORBIDDEN`` says, per format, what must never appear raw).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import jsonschema
import pytest
from typer.testing import CliRunner

import divergence
from divergence import compare
from divergence.cli import app
from divergence.report import render

from .conftest import FIXTURES
from .hostile import ESC, FORBIDDEN, HOSTILE_SOURCES, LINES, MARKERS

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads(
    (Path(divergence.__file__).parent / "data" / "comparison.schema.json").read_text(
        encoding="utf-8"
    )
)


def run_cli_json(args: list[str]) -> bytes:
    out = subprocess.run(
        [sys.executable, "-m", "divergence.cli", "compare", *args, "-f", "json", "-q"],
        capture_output=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"},
        timeout=300,
    )
    assert out.returncode == 0, out.stderr.decode()
    return out.stdout


def test_json_is_byte_identical_across_processes(tmp_path):
    """Same input and settings, two separate interpreters (different hash seeds): same bytes."""
    rows = "\n".join(json.dumps(s, ensure_ascii=False) for s in HOSTILE_SOURCES)
    (tmp_path / "hostile.jsonl").write_text(rows + "\n", encoding="utf-8")
    args = [str(FIXTURES / "first-call"), str(tmp_path / "hostile.jsonl"), "-m", "hashing"]
    first = run_cli_json(args)
    second = subprocess.run(  # a different PYTHONHASHSEED makes set/dict order bugs show
        [sys.executable, "-m", "divergence.cli", "compare", *args, "-f", "json", "-q"],
        capture_output=True,
        cwd=ROOT,
        env={
            "PYTHONPATH": str(ROOT),
            "HF_HUB_OFFLINE": "1",
            "PATH": "/usr/bin:/bin",
            "PYTHONHASHSEED": "12345",
        },
        timeout=300,
    ).stdout
    assert first == second
    assert len(json.loads(first)["sources"]) == 5


@pytest.fixture(scope="module")
def hostile():
    return compare(HOSTILE_SOURCES, embedder="hashing", threshold=0.5, scorer="lr")


def test_text_report_prints_markup_literally(hostile):
    out = render(hostile, "text", color=False, width=400)
    for marker in MARKERS:
        assert marker in out, marker
    assert "[bold]Evil[/] <i>News</i> =cmd" in out  # the source name, unstyled


@pytest.mark.parametrize("color", [False, True])
def test_text_report_has_no_raw_control_or_bidi_characters(hostile, color):
    out = render(hostile, "text", color=color, width=400)
    # rich emits its own colour codes only when color=True; the article's must be escaped
    assert f"{ESC}]0;title" not in out and f"{ESC}[31mred" not in out
    assert "\\x1b[31mred\\x1b[0m" in out and "\\x07" in out and "\\u202eoverride" in out
    if not color:
        for bad in FORBIDDEN["text"]:
            assert bad not in out, repr(bad)


def test_text_report_through_the_cli(tmp_path):
    rows = "\n".join(json.dumps(s) for s in HOSTILE_SOURCES)
    (tmp_path / "h.jsonl").write_text(rows + "\n", encoding="utf-8")
    result = CliRunner().invoke(
        app,
        [
            "compare",
            str(tmp_path / "h.jsonl"),
            "-m",
            "hashing",
            "-t",
            "0.5",
            "--scorer",
            "lr",
            "-q",
        ],
    )
    assert result.exit_code == 0, result.output
    assert "[link=http://evil.example]talks[/link]" in result.stdout
    assert ESC not in result.stdout


def test_json_escapes_and_round_trips_hostile_text(hostile):
    out = render(hostile, "json")
    data = json.loads(out)
    jsonschema.validate(data, SCHEMA)
    for bad in FORBIDDEN["json"]:
        assert bad not in out
    assert ESC not in out and "\\u001b" in out  # control characters are escaped
    texts = {c["text"] for c in data["claims"]}
    assert LINES[5] in texts and LINES[6] in texts  # escape sequences, quotes, U+2028 intact
    by_id = {s["id"]: s for s in data["sources"]}
    assert by_id["evil[/]"]["name"] == "[bold]Evil[/] <i>News</i> =cmd"
    src = {s["id"]: s["text"] for s in HOSTILE_SOURCES}
    for c in data["claims"]:
        assert src[c["source"]][c["start"] : c["end"]] == c["text"]
