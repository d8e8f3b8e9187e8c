"""Resource limits: what is refused, and memory bounds measured in a separate process.

Memory is measured as the growth of the process's peak resident set (``ru_maxrss``) over a
baseline taken in the same process after the imports, or as tracemalloc's peak for the reading
stage alone, so that the bound says what the input costs, not what the interpreter costs. The
bounds are the ones docs/reliability.md states (figures: docs/benchmarks.md).
"""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from divergence import compare
from divergence.errors import InputError, UsageError
from divergence.ingest import MAX_CHARS, MAX_SOURCES, MAX_TOTAL_CHARS, load_sources
from divergence.pipeline import MAX_CLAIMS

ROOT = Path(__file__).resolve().parent.parent
MB = 2**20


def run_probe(code: str, tmp_path: Path) -> dict:
    """Run ``code`` in a fresh interpreter (repo on the path); it prints one JSON line."""
    script = tmp_path / "probe.py"
    script.write_text(textwrap.dedent(code), encoding="utf-8")
    out = subprocess.run(
        [sys.executable, str(script), str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={"PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "PATH": "/usr/bin:/bin"},
        timeout=300,
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_documented_defaults():
    assert (MAX_SOURCES, MAX_CHARS, MAX_TOTAL_CHARS, MAX_CLAIMS) == (
        1000,
        2_000_000,
        4_000_000,
        25_000,
    )


def test_20mb_text_file_is_refused_without_being_read(tmp_path):
    """A 20 MB article is refused from its size: reading it costs under 1 MB."""
    result = run_probe(
        """
        import json, sys, tracemalloc
        from pathlib import Path
        from divergence.errors import InputError
        from divergence.ingest import load_sources

        p = Path(sys.argv[1]) / "huge.txt"
        with open(p, "wb") as fh:
            fh.write(b"The minister spoke at length. " * 700_000)  # 21 MB
        tracemalloc.start()
        try:
            load_sources([p])
            message = None
        except InputError as exc:
            message = str(exc)
        peak = tracemalloc.get_traced_memory()[1]
        print(json.dumps({"message": message, "peak": peak, "size": p.stat().st_size}))
        """,
        tmp_path,
    )
    assert result["size"] > 20 * MB
    assert "over the limit of 2,000,000 characters per source" in result["message"]
    assert result["peak"] < 1 * MB


def test_20mb_jsonl_is_read_once_then_refused_within_4x_its_size(tmp_path):
    """A 20 MB JSONL of ten sources, each under the per-source limit, is parsed and refused by
    the total-characters limit; the reading stage's peak stays under 4x the file's size."""
    result = run_probe(
        """
        import json, sys, tracemalloc
        from pathlib import Path
        from divergence.errors import InputError
        from divergence.ingest import load_sources

        p = Path(sys.argv[1]) / "big.jsonl"
        rows = [{"id": f"s{i}", "text": "The minister spoke at length. " * 66_000} for i in range(11)]
        p.write_text("\\n".join(json.dumps(r) for r in rows), encoding="utf-8")
        del rows
        tracemalloc.start()
        try:
            load_sources([p])
            message = None
        except InputError as exc:
            message = str(exc)
        peak = tracemalloc.get_traced_memory()[1]
        print(json.dumps({"message": message, "peak": peak, "size": p.stat().st_size}))
        """,
        tmp_path,
    )
    assert result["size"] > 20 * MB
    assert "add up to over 4,000,000 characters" in result["message"]
    assert result["peak"] < 4 * result["size"]


def test_5000_sentence_article_is_processed_within_its_memory_bound(tmp_path):
    """5,000 sentences against a short article, hashing embedder: processed, and the peak RSS
    grows by at most 32 bytes per claim pair plus 64 MB (measured: about 23 with the calibrated
    pair scorer, whose feature tensor is built in row blocks; see docs/benchmarks.md "Limits")."""
    result = run_probe(
        """
        import json, random, resource, sys, time
        import sklearn.feature_extraction.text, syntok.segmenter  # noqa: F401 (baseline imports)
        from divergence import compare

        def rss():
            return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024

        rng = random.Random(7)
        words = ("the minister said that talks would continue next week after a long meeting "
                 "in the capital city with officials from both sides").split()
        body = "\\n".join(
            " ".join(rng.choice(words) for _ in range(rng.randint(8, 20))).capitalize() + "."
            for _ in range(5000)
        )
        short = "Talks continue\\nThe minister said that talks would continue next week.\\n"
        compare(["Warm up. It is short.", "Warm up two. Short too."], embedder="hashing")
        base = rss()
        t0 = time.perf_counter()
        c = compare(["Long report\\n" + body, short], embedder="hashing")
        print(json.dumps({"claims": len(c.claims), "growth": rss() - base,
                          "seconds": time.perf_counter() - t0}))
        """,
        tmp_path,
    )
    n = result["claims"]
    assert n == 1 + 5000 + 2
    assert result["growth"] < 32 * n * n + 64 * MB, result


def test_claims_limit_is_checked_before_embedding():
    class Exploding:
        name = "exploding"

        def encode(self, texts):  # pragma: no cover - must not be reached
            raise AssertionError("embedded past the claims limit")

    text = "Title\n" + "One short sentence here. " * 30
    with pytest.raises(InputError, match=r"62 claims is over the limit of 40"):
        compare([text, text], embedder=Exploding(), max_claims=40)


def test_limits_must_be_positive():
    with pytest.raises(UsageError, match="max_chars must be a positive whole number"):
        load_sources(["A text."], max_chars=0)
    with pytest.raises(UsageError, match="max_claims must be a whole number of at least 2"):
        compare(["A b c.", "D e f."], embedder="hashing", max_claims=1)


def test_html_page_may_be_larger_than_its_text(tmp_path):
    """Markup counts against 8 x --max-chars; the extracted text against --max-chars."""
    page = "<html><body><article><p>" + "Talks went on for hours. " * 60 + "</p>"
    page += "<div class='ad'></div>" * 200 + "</article></body></html>"
    (tmp_path / "p.html").write_text(page, encoding="utf-8")
    (src,) = load_sources([tmp_path / "p.html"], max_chars=2000)
    assert len(page) > 2000 > len(src.text) >= 1499
    with pytest.raises(InputError, match="over the limit of 1,000 per source"):
        load_sources([tmp_path / "p.html"], max_chars=1000)
    with pytest.raises(InputError, match="over the limit of 800 characters per HTML page"):
        load_sources([tmp_path / "p.html"], max_chars=100)
