import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from divergence.bench.data import BenchMissing, find_bench_dir, load_pairs
from divergence.bench.quality import BenchResult, afternoon_compare, regex_sentences
from divergence.cli import app
from divergence.embed import HashingEmbedder

from .conftest import FIXTURES, ROOT

BENCH = Path(os.environ.get("DIVERGENCE_BENCH") or ROOT.parent / "shared" / "bench")
needs_bench = pytest.mark.skipif(not BENCH.exists(), reason="../shared/bench absent")


def test_regex_sentences_keep_offsets():
    text = 'Title line\nBiden called. "Yes," Putin said! Then they spoke.\n\n  Last one'
    spans = regex_sentences(text)
    assert [text[a:b] for a, b in spans] == [
        "Title line",
        "Biden called.",
        '"Yes," Putin said!',
        "Then they spoke.",
        "Last one",
    ]


def test_afternoon_baseline_is_connected_components_of_cosine():
    comp = afternoon_compare(sorted((FIXTURES / "first-call").glob("*.txt")), HashingEmbedder())
    assert comp.signature.startswith("afternoon|regex")
    # a partition: every claim in exactly one group, offsets index the text
    assert sorted(c for g in comp.groups for c in g.claims) == sorted(c.id for c in comp.claims)
    for c in comp.claims:
        assert comp.source(c.source).text[c.start : c.end] == c.text


def test_render_puts_methods_side_by_side():
    r = BenchResult()
    r.add("metric a", {"afternoon": 0.5, "ours": 0.75})
    r.notes.append("a note")
    text = r.render()
    assert "afternoon" in text.splitlines()[0] and "ours" in text.splitlines()[0]
    assert "0.750" in text and "a note" in text


def test_missing_bench_dir_raises_and_cli_skips(tmp_path):
    with pytest.raises(BenchMissing):
        find_bench_dir(tmp_path)
    res = CliRunner().invoke(app, ["bench", "--bench-dir", str(tmp_path)])
    assert res.exit_code == 0
    assert "skipped" in res.output


@needs_bench
@pytest.mark.bench
def test_loaders_read_the_splits():
    sts = load_pairs(BENCH, "stsb", split="test", news_only=True)
    assert len(sts) == 500 and sts.label.max() <= 5
    ecb = load_pairs(BENCH, "ecbplus", split="dev")
    assert len(ecb) == 3907 and set(ecb.clusters) <= set(ecb.cluster_texts)
    msrp = load_pairs(BENCH, "msrp", split="test")
    assert len(msrp) == 1725


@needs_bench
@pytest.mark.bench
@pytest.mark.model
def test_training_script_reproduces_the_shipped_model(tmp_path):
    """Re-fit from the bench data (embeddings cached under ~/.cache/divergence after the first
    run) and compare with the shipped parameters."""
    import json
    import subprocess
    import sys

    out = tmp_path / "m.json"
    env = dict(os.environ, PYTHONPATH=str(ROOT), HF_HUB_OFFLINE="1")
    subprocess.run(
        [
            sys.executable,
            str(ROOT / "experiments" / "train_pair_model.py"),
            "--bench",
            str(BENCH),
            "--out",
            str(out),
        ],
        check=True,
        env=env,
        capture_output=True,
        timeout=1800,
    )
    new = json.loads(out.read_text())
    shipped = json.loads((ROOT / "divergence" / "data" / "pair_model.json").read_text())
    assert new["training"]["files_sha256"] == shipped["training"]["files_sha256"]
    assert new["coef"] == pytest.approx(shipped["coef"], abs=1e-4)
    assert (new["threshold"], new["align"]) == (shipped["threshold"], shipped["align"])
