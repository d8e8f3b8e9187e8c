"""Bad and awkward input through the CLI: one test per case, each asserting the exact outcome.

Errors: one line on stderr naming the input, the right exit code (1 input, 2 usage, 3 internal),
nothing on stdout, no traceback unless ``--debug``. Awkward but valid input: exit 0 and output
whose offsets still index the text as decoded. docs/reliability.md lists these.
"""

from __future__ import annotations

import json
import os

import pytest
from typer.testing import CliRunner

from divergence.cli import app
from divergence.errors import InputError

runner = CliRunner()
FAST = ["-m", "hashing", "-t", "0.5"]
GOOD = (
    "Biden calls Putin\n"
    "President Joe Biden spoke with Vladimir Putin on Tuesday, the White House said.\n"
    "They discussed the New START treaty and the arrest of Alexei Navalny.\n"
)
OTHER = (
    "Kremlin readout\n"
    "Vladimir Putin spoke with Joe Biden by phone on Tuesday, the Kremlin said.\n"
    "The presidents agreed to extend the New START treaty for five years.\n"
)


def compare(*args, quiet=True, fmt="json"):
    extra = ["-q"] if quiet else []
    return runner.invoke(app, ["compare", *map(str, args), *FAST, "-f", fmt, *extra])


def assert_error(result, code: int, *parts: str) -> str:
    """The command failed with ``code``, one stderr line holding every part, no stdout."""
    assert result.exit_code == code, (result.exit_code, result.output)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines
    for part in parts:
        assert part in lines[0], (part, lines[0])
    assert lines[0].startswith("divergence: ")
    assert "Traceback" not in result.output and result.stdout == ""
    return lines[0]


def ok_json(result) -> dict:
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    data = json.loads(result.stdout)
    texts = {s["id"]: s for s in data["sources"]}
    assert texts
    return data


def write(tmp_path, name, data):
    p = tmp_path / name
    if isinstance(data, str):
        p.write_text(data, encoding="utf-8", newline="")
    else:
        p.write_bytes(data)
    return p


@pytest.fixture
def good(tmp_path):
    return write(tmp_path, "good.txt", GOOD)


# -- missing, empty, binary ------------------------------------------------------------------
def test_missing_path(tmp_path, good):
    assert_error(
        compare(tmp_path / "nope.txt", good),
        1,
        f"{tmp_path / 'nope.txt'}: no such file or directory",
    )


def test_directory_with_no_text_files(tmp_path, good):
    d = tmp_path / "empty"
    d.mkdir()
    (d / "notes.json").write_text("{}", encoding="utf-8")
    (d / "scan.png").write_bytes(b"\x89PNG")
    result = compare(d, good, quiet=False)
    assert result.exit_code == 1
    warning, error = result.stderr.strip().splitlines()
    assert (
        "warning:" in warning
        and "skipped 2 file(s)" in warning
        and "notes.json, scan.png" in warning
    )
    assert error == (
        f"divergence: {d}: no .txt, .md, .html, .jsonl, .pdf or .docx files in this directory"
    )


def test_empty_directory(tmp_path, good):
    d = tmp_path / "nothing"
    d.mkdir()
    assert_error(
        compare(d, good), 1, "no .txt, .md, .html, .jsonl, .pdf or .docx files in this directory"
    )


def test_empty_file(tmp_path, good):
    p = write(tmp_path, "empty.txt", b"")
    assert_error(compare(p, good), 1, f"{p}: empty (no text to compare)")


def test_whitespace_only_file(tmp_path, good):
    p = write(tmp_path, "blank.txt", " \n\t\r\n\u00a0\u2003\n")
    assert_error(compare(p, good), 1, f"{p}: empty (no text to compare)")


def test_file_of_junk_lines_only(tmp_path, good):
    p = write(
        tmp_path,
        "junk.txt",
        "READ MORE: Another story entirely\nSign up for our newsletter\nBy Associated Press\n",
    )
    line = assert_error(compare(p, good), 1, "no article text left after cleaning")
    assert "junk (1 byline, 1 page-chrome, 1 related-link)" in line


def test_pdf_file(tmp_path, good):
    p = write(tmp_path, "report.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj <<>>")
    assert_error(compare(p, good), 1, f"{p}: looks like a binary file (PDF document), not text")


def test_pdf_suffix_truncated(tmp_path, good):
    p = write(tmp_path, "report.pdf", b"%PDF-1.7\n")
    assert_error(compare(p, good), 1, f"{p}: cannot read this PDF")


def test_png_file(tmp_path, good):
    p = write(tmp_path, "photo.png", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    assert_error(compare(p, good), 1, f"{p}: looks like a binary file (PNG image), not text")


def test_device_file(good):
    assert_error(compare("/dev/null", good), 1, "/dev/null: not a regular file or directory")


# -- encodings and line ends -------------------------------------------------------------------
def test_utf16_with_bom(tmp_path, good):
    p = write(tmp_path, "u16.txt", OTHER.encode("utf-16"))
    data = ok_json(compare(p, good))
    claims = [c for c in data["claims"] if c["source"] == "u16"]
    assert claims[0]["text"] == "Kremlin readout"
    assert any("five years." in c["text"] for c in claims)


def test_utf16_without_bom(tmp_path, good):
    p = write(tmp_path, "u16.txt", OTHER.encode("utf-16-le"))
    assert_error(compare(p, good), 1, "looks like UTF-16 text without a byte-order mark")


def test_cp1252_smart_quotes(tmp_path, good):
    text = "Talks\n\u201cWe agreed,\u201d he said \u2014 at last, on Tuesday\u2019s call.\n"
    p = write(tmp_path, "win.txt", text.encode("cp1252"))
    result = compare(p, good, quiet=False)
    assert result.exit_code == 0, result.output
    assert f"warning: {p}: not valid UTF-8; decoded as cp1252" in result.stderr
    data = json.loads(result.stdout)
    assert "\u201cWe agreed,\u201d he said \u2014 at last, on Tuesday\u2019s call." in [
        c["text"] for c in data["claims"]
    ]


def test_mixed_line_ends(tmp_path, good):
    text = "Title line\r\nOne sentence is here now.\nTwo sentences are here now.\r\n\rThree is here now.\r"
    p = write(tmp_path, "crlf.txt", text)
    data = ok_json(compare(p, good))
    claims = [c for c in data["claims"] if c["source"] == "crlf"]
    assert [c["text"] for c in claims] == [
        "Title line",
        "One sentence is here now.",
        "Two sentences are here now.",
        "Three is here now.",
    ]
    for c in claims:  # offsets index the file as decoded, \r kept
        assert text[c["start"] : c["end"]] == c["text"]


def test_unpaired_surrogate_in_jsonl(tmp_path):
    p = write(
        tmp_path,
        "s.jsonl",
        '{"text": "Broken \\ud800 escape in a scraped article today."}\n'
        '{"text": "Another scraped article arrived today intact."}\n',
    )
    result = compare(p, quiet=False)
    assert result.exit_code == 0, result.output
    assert "replaced 1 unpaired surrogate(s)" in result.stderr
    data = json.loads(result.stdout)
    assert "Broken \ufffd escape in a scraped article today." in [c["text"] for c in data["claims"]]


# -- size and count ------------------------------------------------------------------------------
def test_20mb_article_is_refused_before_reading(tmp_path, good):
    p = tmp_path / "huge.txt"
    with open(p, "wb") as fh:
        fh.write(b"The minister spoke at length. " * (20_000_000 // 30) + b"x" * 20)
    line = assert_error(compare(p, good), 1, f"{p}: 20,000,000 bytes is over the limit")
    assert "2,000,000 characters per source" in line and "--max-chars" in line


def test_over_long_source_with_lowered_limit(tmp_path, good):
    p = write(tmp_path, "long.txt", "Title\n" + "A sentence of some length. " * 100)
    result = runner.invoke(app, ["compare", str(p), str(good), *FAST, "-q", "--max-chars", "1000"])
    assert_error(result, 1, "2,706 characters is over the limit of 1,000 per source")


def test_too_many_sources(tmp_path, good):
    result = runner.invoke(
        app, ["compare", str(good), str(good), str(good), *FAST, "-q", "--max-sources", "2"]
    )
    assert_error(result, 1, "more than 2 sources, the limit for one comparison", "--max-sources")


def test_total_characters_limit(tmp_path, good):
    result = runner.invoke(
        app, ["compare", str(good), str(good), *FAST, "-q", "--max-total-chars", "300"]
    )
    assert_error(
        result, 1, "over 300 characters, the limit for one comparison", "--max-total-chars"
    )


def test_claims_limit(tmp_path, good):
    other = write(tmp_path, "other.txt", OTHER)
    result = runner.invoke(
        app, ["compare", str(good), str(other), *FAST, "-q", "--max-claims", "5"]
    )
    assert_error(result, 1, "6 claims is over the limit of 5", "--max-claims")


@pytest.mark.parametrize("option", ["--max-chars", "--max-sources", "--max-total-chars"])
def test_non_positive_limit_is_a_usage_error(good, option):
    result = runner.invoke(app, ["compare", str(good), str(good), *FAST, "-q", option, "0"])
    assert_error(result, 2, "must be a positive whole number, got 0")


def test_one_source_only(good):
    assert_error(compare(good), 1, "need at least two sources to compare, got 1 (good)")


def test_two_identical_sources(tmp_path, good):
    twin = write(tmp_path, "twin.txt", GOOD)
    data = ok_json(compare(good, twin))
    assert [s["id"] for s in data["sources"]] == ["good", "twin"]
    assert [f for f in data["findings"] if f["kind"] in ("omission", "unique")] == []
    assert all(g["sources"] == ["good", "twin"] for g in data["groups"])


def test_same_file_twice_gets_a_second_id(good):
    result = compare(good, good, quiet=False)
    assert result.exit_code == 0, result.output
    assert "warning: two sources share the id 'good'; the later one is 'good~2'" in result.stderr
    assert [s["id"] for s in json.loads(result.stdout)["sources"]] == ["good", "good~2"]


def test_fifty_sources(tmp_path):
    rows = [
        {"id": f"o{i:02d}", "source": f"Outlet {i}", "text": GOOD if i % 2 else OTHER}
        for i in range(50)
    ]
    p = write(tmp_path, "fifty.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n")
    data = ok_json(compare(p))
    assert len(data["sources"]) == 50
    assert len({c["id"] for c in data["claims"]}) == len(data["claims"]) == 50 * 3


# -- JSONL -----------------------------------------------------------------------------------------
def test_jsonl_duplicate_ids_and_names(tmp_path):
    p = write(
        tmp_path,
        "dup.jsonl",
        json.dumps({"id": "ap", "source": "AP", "text": GOOD})
        + "\n"
        + json.dumps({"id": "ap", "source": "AP", "text": OTHER})
        + "\n",
    )
    result = compare(p, quiet=False)
    assert result.exit_code == 0, result.output
    assert "two sources share the id 'ap'; the later one is 'ap~2'" in result.stderr
    data = json.loads(result.stdout)
    assert [(s["id"], s["name"]) for s in data["sources"]] == [("ap", "AP"), ("ap~2", "AP")]


def test_jsonl_malformed_line_names_its_number(tmp_path):
    p = write(tmp_path, "bad.jsonl", json.dumps({"text": GOOD}) + "\n\n" + '{"text": "oops\n')
    assert_error(compare(p), 1, f"{p}:3: malformed JSON at column 10: Unterminated string")


def test_jsonl_missing_text(tmp_path):
    p = write(
        tmp_path, "m.jsonl", json.dumps({"text": GOOD}) + "\n" + '{"id": "x", "title": "T"}\n'
    )
    assert_error(compare(p), 1, f"{p}:2: no 'text' field (nor 'html')")


@pytest.mark.parametrize(
    "row,message",
    [
        ({"text": 42}, "field 'text' must be a string, not int"),
        ({"text": None}, "field 'text' must be a string, not null"),
        ({"text": ["a", "b"]}, "field 'text' must be a string, not list"),
        ({"text": "Fine text here.", "source": 7}, "field 'source' must be a string, not int"),
        (
            {"text": "Fine text here.", "title": {"a": 1}},
            "field 'title' must be a string, not dict",
        ),
        ({"text": "Fine text here.", "id": True}, "field 'id' must be a string, not bool"),
    ],
)
def test_jsonl_non_string_fields(tmp_path, row, message):
    p = write(tmp_path, "n.jsonl", json.dumps(row) + "\n")
    assert_error(compare(p), 1, f"{p}:1: {message}")


def test_jsonl_line_that_is_not_an_object(tmp_path):
    p = write(tmp_path, "a.jsonl", '["text"]\n')
    assert_error(compare(p), 1, f"{p}:1: expected a JSON object, got list")


def test_jsonl_deeply_nested_line(tmp_path):
    p = write(tmp_path, "deep.jsonl", "[" * 100_000 + "\n")
    assert_error(compare(p), 1, f"{p}:1: malformed JSON")


def test_jsonl_line_separator_inside_a_string(tmp_path):
    # U+2028 is a line break for str.splitlines() but not for JSONL: the record stays whole.
    rows = [{"text": "Talks went on\u2028for hours, officials said."}, {"text": GOOD}]
    p = write(tmp_path, "ls.jsonl", "\n".join(json.dumps(r, ensure_ascii=False) for r in rows))
    data = ok_json(compare(p))
    assert len(data["sources"]) == 2


# -- HTML ------------------------------------------------------------------------------------------
PAGE = """<!DOCTYPE html>
<html><head><title>Biden calls Putin | Example News</title>
<script>var tracking = "SCRIPT-TEXT-MUST-NOT-APPEAR";</script>
<style>.nav { color: red }</style></head>
<body>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">NAV-WORLD-LINK</a></li></ul></nav>
<header><h1>Biden calls Putin in first talks</h1></header>
<article>
<p>President Joe Biden spoke with Vladimir Putin on Tuesday, the White House said in a statement.</p>
<p>The two leaders discussed the extension of the New START treaty and the arrest of Alexei Navalny.</p>
<script>document.write("INLINE-SCRIPT-MUST-NOT-APPEAR")</script>
<p>Biden raised the SolarWinds hack, officials said, and both sides agreed to keep talking.</p>
</article>
<footer>FOOTER-TEXT 2021 Example News. Subscribe to our newsletter.</footer>
</body></html>
"""


def _assert_article_only(source: dict, claims: list[dict]) -> None:
    text = " ".join(c["text"] for c in claims)
    assert "New START treaty" in text and "SolarWinds" in text
    for junk in ("SCRIPT-TEXT", "INLINE-SCRIPT", "NAV-WORLD-LINK", "FOOTER-TEXT", "color: red"):
        assert junk not in text
    assert source["meta"]["extracted_from"] == "html"
    assert source["meta"]["extractor"].startswith("trafilatura ")


def test_html_file_with_scripts_and_navigation(tmp_path, good):
    p = write(tmp_path, "page.html", PAGE)
    data = ok_json(compare(p, good))
    src = next(s for s in data["sources"] if s["id"] == "page")
    claims = [c for c in data["claims"] if c["source"] == "page"]
    _assert_article_only(src, claims)
    assert src["title"] == "Biden calls Putin in first talks"
    assert claims[0]["is_title"] and claims[0]["text"] == "Biden calls Putin in first talks"


def test_htm_and_sniffed_html_in_a_directory(tmp_path):
    write(tmp_path, "a.htm", PAGE)
    write(tmp_path, "b.txt", PAGE)  # a saved page with the wrong suffix is sniffed
    data = ok_json(compare(tmp_path))
    for sid in ("a", "b"):
        src = next(s for s in data["sources"] if s["id"] == sid)
        _assert_article_only(src, [c for c in data["claims"] if c["source"] == sid])


def test_html_offsets_index_the_extracted_text(tmp_path, good):
    from divergence import compare as library_compare

    p = write(tmp_path, "page.html", PAGE)
    result = library_compare([p, good], embedder="hashing", threshold=0.5)
    src = result.source("page")
    assert "<p>" not in src.text and src.text.startswith("Biden calls Putin in first talks\n")
    for c in result.claims_of("page"):
        assert src.text[c.start : c.end] == c.text


def test_jsonl_html_field(tmp_path):
    rows = [{"id": "web", "source": "Example", "html": PAGE}, {"id": "wire", "text": OTHER}]
    p = write(tmp_path, "h.jsonl", "\n".join(json.dumps(r) for r in rows) + "\n")
    data = ok_json(compare(p))
    src = next(s for s in data["sources"] if s["id"] == "web")
    _assert_article_only(src, [c for c in data["claims"] if c["source"] == "web"])
    assert src["name"] == "Example"


def test_html_without_an_article(tmp_path, good):
    page = "<html><head><script>x()</script><style>p {}</style></head><body></body></html>"
    p = write(tmp_path, "empty.html", page)
    assert_error(compare(p, good), 1, f"{p}: no article text found in this HTML page")


# -- awkward text ------------------------------------------------------------------------------------
def test_emoji_rtl_and_combining_characters(tmp_path, good):
    text = (
        "Peace talks \U0001f54a\ufe0f resume\n"
        "\u0642\u0627\u0644 \u0627\u0644\u0648\u0632\u064a\u0631 \u0625\u0646 \u0627\u0644\u0645\u062d\u0627\u062f\u062b\u0627\u062a \u0633\u062a\u0633\u062a\u0645\u0631 \u063a\u062f\u0627. "
        "\u05d4\u05e9\u05e8 \u05d0\u05de\u05e8 \u05e9\u05d4\u05e9\u05d9\u05d7\u05d5\u05ea \u05d9\u05de\u05e9\u05db\u05d5.\n"
        "The caf\u0065\u0301 owner \U0001f468\u200d\U0001f469\u200d\U0001f467 said Zo\u00eb and Zoe\u0308 both came.\n"
    )
    p = write(tmp_path, "intl.txt", text)
    data = ok_json(compare(p, good))
    claims = [c for c in data["claims"] if c["source"] == "intl"]
    for c in claims:
        assert text[c["start"] : c["end"]] == c["text"]
    joined = "".join(c["text"] for c in claims)
    assert "\U0001f468\u200d\U0001f469\u200d\U0001f467" in joined and "e\u0301" in joined
    assert len(claims) == 4  # title, Arabic sentence, Hebrew sentence, English sentence


def test_ten_thousand_character_sentence_without_punctuation(tmp_path, good):
    words = ("talks continued between the delegations without any pause " * 200)[:10_000]
    p = write(tmp_path, "runon.txt", "Run on\n" + words + "\n")
    data = ok_json(compare(p, good))
    claims = [c for c in data["claims"] if c["source"] == "runon"]
    assert max(len(c["text"]) for c in claims) <= 1500
    assert "".join(c["text"] for c in claims[1:]).replace(" ", "") == words.replace(" ", "")


def test_ten_thousand_characters_without_any_space(tmp_path, good):
    p = write(tmp_path, "blob.txt", "Blob\n" + "x" * 10_000 + "\n")
    data = ok_json(compare(p, good))
    claims = [c for c in data["claims"] if c["source"] == "blob"]
    assert [len(c["text"]) for c in claims[1:]] == [1500] * 6 + [1000]


# -- errors and output ------------------------------------------------------------------------------
def test_debug_shows_the_traceback(tmp_path, good):
    result = runner.invoke(
        app, ["compare", str(tmp_path / "nope.txt"), str(good), *FAST, "--debug"]
    )
    assert result.exit_code != 0
    assert isinstance(result.exception, InputError)


def test_internal_error_is_one_line_with_exit_3(monkeypatch, tmp_path, good):
    import divergence.pipeline

    def boom(*_a, **_k):
        raise RuntimeError("boom")

    monkeypatch.setattr(divergence.pipeline, "segment", boom)
    other = write(tmp_path, "other.txt", OTHER)
    assert_error(
        compare(good, other), 3, "internal error: RuntimeError: boom (run with --debug for details)"
    )


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_output(tmp_path, good):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    other = write(tmp_path, "other.txt", OTHER)
    result = runner.invoke(
        app, ["compare", str(good), str(other), *FAST, "-q", "-o", str(locked / "r.json")]
    )
    assert_error(result, 1, "cannot write")


def test_output_under_a_file_is_an_input_error(tmp_path, good):
    other = write(tmp_path, "other.txt", OTHER)
    result = runner.invoke(
        app, ["compare", str(good), str(other), *FAST, "-q", "-o", str(good / "r.json")]
    )
    assert_error(result, 1, "cannot write")


# -- library-level regressions found while writing these tests ---------------------------------------
def test_empty_string_is_an_empty_source_not_the_current_directory():
    from divergence.ingest import load_sources

    with pytest.raises(InputError, match=r"source #1: empty"):
        load_sources(["", "A real sentence is here."])


def test_renamed_duplicate_never_collides_with_a_given_id():
    import warnings

    from divergence.ingest import load_sources
    from divergence.records import Source

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out = load_sources(
            [Source("a", "A", "One."), Source("a", "A", "Two."), Source("a~2", "A", "Three.")]
        )
    assert [s.id for s in out] == ["a", "a~3", "a~2"]


def test_numeric_zero_id_is_kept():
    from divergence.ingest import load_sources

    (s,) = load_sources([{"id": 0, "text": "Body text."}])
    assert s.id == "0"


def test_string_with_a_nul_byte_is_text_not_a_path():
    from divergence.ingest import load_sources

    (s,) = load_sources(["a\x00b"])
    assert s.text == "a\x00b"


def test_mapping_with_a_value_json_cannot_hold():
    import datetime

    from divergence.ingest import load_sources

    with pytest.raises(InputError, match=r"source #1: field 'when' cannot be written as JSON"):
        load_sources([{"text": "Body text.", "when": datetime.date(2021, 1, 26)}])


def test_jsonl_nan_in_an_extra_field_becomes_null_with_a_warning(tmp_path):
    p = write(
        tmp_path,
        "nan.jsonl",
        '{"text": "Body text here.", "score": NaN, "x": [1, -Infinity, "NaN text"]}\n',
    )
    from divergence.errors import DivergenceWarning
    from divergence.ingest import load_sources

    with pytest.warns(DivergenceWarning, match="field 'score' holds NaN or Infinity"):
        (s,) = load_sources([p])
    assert s.meta["score"] is None and s.meta["x"] == [1, None, "NaN text"]
