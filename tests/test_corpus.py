"""Corpus mode: grouping by event, tables, resumability, atomic output, CLI."""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from divergence.attribution import spacy_available
from divergence.cli import app
from divergence.corpus import (
    TABLES,
    compare_chunk,
    compare_corpus,
    group_rows,
    read_rows,
    run_corpus,
)
from divergence.errors import InputError

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
SETTINGS = {"embedder": "hashing", "threshold": 0.5}


def fixture_rows() -> list[dict]:
    rows = []
    for cluster in ("first-call", "ukraine-calls"):
        for f in sorted((FIXTURES / cluster).glob("*.txt")):
            rows.append({"event": cluster, "source": f.stem, "text": f.read_text()})
    rows.append({"event": "lonely", "source": "AP", "text": "A storm hit Texas on Monday."})
    return rows


def write_jsonl(path: Path, rows: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    return path


def test_compare_corpus_yields_one_comparison_per_multi_source_event():
    skipped = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        comps = list(
            compare_corpus(fixture_rows(), on_skip=lambda e, r: skipped.append(e), **SETTINGS)
        )
    assert [len(c.sources) for c in comps] == [3, 2]
    assert {s.meta["event"] for s in comps[0].sources} == {"first-call"}
    assert skipped == ["lonely"]
    assert any("lonely" in str(w.message) for w in caught)


def test_corpus_results_equal_single_comparisons():
    from divergence import Comparer

    comparer = Comparer(**SETTINGS)
    comps = list(compare_corpus(fixture_rows()[:5], comparer=comparer))
    for comp, cluster in zip(comps, ("first-call", "ukraine-calls"), strict=True):
        rows = [r for r in fixture_rows() if r["event"] == cluster]
        alone = comparer.compare([{**r, "id": r["source"]} for r in rows])
        assert [g.claims for g in comp.groups] == [g.claims for g in alone.groups]
        assert [f.to_dict() for f in comp.findings] == [f.to_dict() for f in alone.findings]


def test_chunk_embeds_each_distinct_sentence_once():
    from divergence import Comparer

    class Counting:
        name = "counting"

        def __init__(self):
            from divergence.embed import HashingEmbedder

            self.inner, self.texts = HashingEmbedder(), []

        def encode(self, texts):
            self.texts.extend(texts)
            return self.inner.encode(texts)

    counting = Counting()
    rows = fixture_rows()
    # syndication: the same wire story under a second event, with different whitespace
    rows += [{**r, "event": "copy", "text": r["text"].replace(" ", "  ")} for r in rows[:2]]
    events = group_rows(rows)
    results = compare_chunk(Comparer(embedder=counting, threshold=0.5), events)
    assert len(counting.texts) == len(set(counting.texts))  # one call, no repeats
    assert [r.status for r in results] == ["ok", "ok", "single_source", "ok"]


def test_run_corpus_writes_tables_and_resumes(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", fixture_rows())
    out = tmp_path / "out"
    first = run_corpus(src, out, **SETTINGS)
    assert (first.events, first.compared, first.single_source) == (3, 3, 1)
    for t in TABLES:
        assert (out / f"{t}.jsonl").exists()
        assert (out / f"{t}.parquet").exists() or pytest.importorskip("pyarrow") is None
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["signature"] == first.signature and manifest["events"] == 3
    events = [json.loads(line) for line in (out / "events.jsonl").open()]
    assert [e["status"] for e in events] == ["ok", "ok", "single_source"]
    claims = [json.loads(line) for line in (out / "claims.jsonl").open()]
    assert all(c["group"] for c in claims) and {c["event"] for c in claims} == {
        "first-call",
        "ukraine-calls",
    }
    before = {t: (out / f"{t}.jsonl").read_bytes() for t in TABLES}
    second = run_corpus(src, out, **SETTINGS)
    assert (second.compared, second.skipped_done) == (0, 3)
    assert {t: (out / f"{t}.jsonl").read_bytes() for t in TABLES} == before


def test_killed_run_resumes_and_loses_nothing(tmp_path):
    """Simulate a kill after the first event: only that part file exists; the re-run computes
    the rest and the tables equal an uninterrupted run's."""
    src = write_jsonl(tmp_path / "in.jsonl", fixture_rows())
    full = tmp_path / "full"
    run_corpus(src, full, **SETTINGS)
    partial = tmp_path / "partial"
    run_corpus(src, partial, **SETTINGS)
    parts = sorted((partial / "parts").iterdir())
    for p in parts[1:]:
        p.unlink()
    for t in TABLES:
        (partial / f"{t}.jsonl").unlink()
    (partial / "parts" / ".junk.json.123.tmp").write_text("{half")  # a torn temporary file
    again = run_corpus(src, partial, **SETTINGS)
    assert (again.compared, again.skipped_done) == (2, 1)
    for t in TABLES:
        assert (partial / f"{t}.jsonl").read_bytes() == (full / f"{t}.jsonl").read_bytes()


def test_changed_settings_recompute(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", fixture_rows())
    run_corpus(src, tmp_path / "o", **SETTINGS)
    again = run_corpus(src, tmp_path / "o", embedder="hashing", threshold=0.6)
    assert again.compared == 3


def test_parquet_input_and_tables_load_with_pyarrow(tmp_path):
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    rows = fixture_rows()
    pq.write_table(pa.Table.from_pylist(rows), tmp_path / "in.parquet")
    assert len(read_rows(tmp_path / "in.parquet")) == len(rows)
    run_corpus(tmp_path / "in.parquet", tmp_path / "out", **SETTINGS)
    groups = pq.read_table(tmp_path / "out" / "groups.parquet").to_pylist()
    jsonl = [json.loads(line) for line in (tmp_path / "out" / "groups.jsonl").open()]
    assert groups == jsonl
    findings = pq.read_table(tmp_path / "out" / "findings.parquet")
    assert findings.num_rows > 0 and "detail" in findings.column_names


def test_bad_rows_are_one_line_errors(tmp_path):
    with pytest.raises(InputError, match="no 'text'"):
        group_rows([{"event": "e", "source": "a"}])
    with pytest.raises(InputError, match="no 'source'"):
        group_rows([{"event": "e", "text": "x"}])
    with pytest.raises(InputError, match="have no 'event'"):
        group_rows([{"event": "e", "source": "a", "text": "x"}, {"source": "b", "text": "y"}])
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"event": "e", "source": "a", "text": "x"}\n{oops\n')
    with pytest.raises(InputError, match=r"bad.jsonl:2: malformed JSON"):
        read_rows(bad)


def test_event_errors_are_reported_not_lost(tmp_path):
    rows = fixture_rows()[:3] + [
        {"event": "junk", "source": "a", "text": "Advertisement\nShare this article"},
        {"event": "junk", "source": "b", "text": "Advertisement"},
    ]
    run = run_corpus(rows, tmp_path / "o", **SETTINGS)
    events = [json.loads(line) for line in (tmp_path / "o" / "events.jsonl").open()]
    assert run.errors == 1 and events[-1]["status"] == "error"
    assert "no article text left" in events[-1]["message"]


def test_cli_corpus(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", fixture_rows())
    res = CliRunner().invoke(
        app, ["corpus", str(src), "--out", str(tmp_path / "o"), "-m", "hashing"]
    )
    assert res.exit_code == 0, res.output
    assert "3 events" in res.output
    assert not list((tmp_path / "o").glob(".*.tmp"))
    res = CliRunner().invoke(
        app, ["corpus", str(tmp_path / "nope.jsonl"), "--out", str(tmp_path / "o")]
    )
    assert res.exit_code == 1 and "no such file" in res.output
    res = CliRunner().invoke(
        app, ["corpus", str(src), "--out", str(tmp_path / "o"), "-m", "hashing", "--engine", "ray"]
    )
    assert res.exit_code == 2 and "unknown engine" in res.output


def test_no_event_column_groups_automatically(tmp_path):
    rows = [{k: v for k, v in r.items() if k != "event"} for r in fixture_rows()]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        run = run_corpus(rows, tmp_path / "o", **SETTINGS)
    events = [json.loads(line) for line in (tmp_path / "o" / "events.jsonl").open()]
    ok = [sorted(e["sources"]) for e in events if e["status"] == "ok"]
    assert sorted(ok) == [
        ["000_9371d010681fa504", "001_153bc2bf3a5df949", "002_d7e7bc8bb337f97c"],
        ["003_a18e85e05d343b14", "004_67a3a8f0f8aff6ce"],
    ]
    assert [e["status"] for e in events if e["status"] != "ok"] == ["unmatched"]
    assert run.events == 3
    assert any("match no other article" in str(w.message) for w in caught)
    assert os.path.exists(tmp_path / "o" / "manifest.json")


def test_identical_rerun_into_new_out_reuses_cached_event_results(tmp_path):
    """With a cache, a second run with the same rows and settings writes the same tables to a
    new directory without comparing again; changed settings or rows are compared afresh."""
    src = write_jsonl(tmp_path / "in.jsonl", fixture_rows())
    cache = tmp_path / "cache"
    first = run_corpus(src, tmp_path / "a", cache=cache, **SETTINGS)
    assert (first.compared, first.from_cache) == (3, 0)
    second = run_corpus(src, tmp_path / "b", cache=cache, **SETTINGS)
    assert (second.compared, second.from_cache) == (0, 3)
    for t in TABLES:
        assert (tmp_path / "b" / f"{t}.jsonl").read_bytes() == (
            tmp_path / "a" / f"{t}.jsonl"
        ).read_bytes()
    other = run_corpus(src, tmp_path / "c", cache=cache, embedder="hashing", threshold=0.6)
    assert (other.compared, other.from_cache) == (3, 0)
    rows = fixture_rows()
    rows[0] = {**rows[0], "text": rows[0]["text"] + "\nA late update said talks would resume."}
    changed = run_corpus(
        write_jsonl(tmp_path / "in2.jsonl", rows), tmp_path / "d", cache=cache, **SETTINGS
    )
    assert (changed.compared, changed.from_cache) == (1, 2)  # only the edited event


def test_no_cache_means_no_result_reuse(tmp_path):
    src = write_jsonl(tmp_path / "in.jsonl", fixture_rows())
    run_corpus(src, tmp_path / "a", **SETTINGS)
    again = run_corpus(src, tmp_path / "b", **SETTINGS)
    assert (again.compared, again.from_cache) == (3, 0)


def test_cli_corpus_clause_unit(tmp_path):
    """`--unit clause` reaches corpus mode: the manifest records it and cut sentences have
    clause ids (`<source>#<sentence>.<clause>`)."""
    src = write_jsonl(tmp_path / "in.jsonl", fixture_rows())
    res = CliRunner().invoke(
        app, ["corpus", str(src), "--out", str(tmp_path / "o"), "-m", "hashing", "--unit", "clause"]
    )
    assert res.exit_code == 0, res.output
    manifest = json.loads((tmp_path / "o" / "manifest.json").read_text())
    assert manifest["settings"]["unit"] == "clause" and "unit:clause" in manifest["signature"]
    claims = [json.loads(line) for line in (tmp_path / "o" / "claims.jsonl").open()]
    assert any("." in c["claim"].split("#")[1] for c in claims)
    res = CliRunner().invoke(
        app, ["corpus", str(src), "--out", str(tmp_path / "p"), "-m", "hashing", "--unit", "word"]
    )
    assert res.exit_code == 2 and "unit must be" in res.output


def _frame_chunks(tmp_path, cache: bool):
    from divergence import Comparer

    kw = {"cache": tmp_path / "frames.sqlite"} if cache else {}
    return Comparer(embedder="hashing", threshold=0.5, attribution="spacy", **kw), group_rows(
        fixture_rows()
    )


@pytest.mark.skipif(not spacy_available(), reason="spaCy model not installed")
@pytest.mark.parametrize("cache", [False, True])
def test_coworker_parses_and_compares_in_another_process_with_identical_tables(
    tmp_path, monkeypatch, cache
):
    from divergence import attribution
    from divergence.corpus import CoWorker

    comp, events = _frame_chunks(tmp_path / "plain", cache)
    plain = [r.tables for r in compare_chunk(comp, events)]
    comp, events = _frame_chunks(tmp_path / "worker", cache)

    def no_parse(texts):  # every frame must come from the worker process
        raise AssertionError(f"parsed in the main process: {list(texts)[:1]}")

    monkeypatch.setattr(attribution, "parse", no_parse)
    monkeypatch.setattr("divergence.corpus.coworker._usable_cores", lambda: 2)
    with CoWorker(min_frames=1, min_events=1) as helper:
        results = compare_chunk(comp, events, helper=helper)
    assert [r.tables for r in results] == plain
    assert [r.event for r in results] == [e.key for e in events]  # input order
    speakers = {c["attribution"] for r in results for c in r.tables["claims"]}
    assert len(speakers - {None}) >= 3  # frames really were found


def test_coworker_compares_events_identically_and_keeps_comparisons(monkeypatch):
    from divergence import Comparer
    from divergence.corpus import CoWorker

    rows = fixture_rows()
    rows += [{**r, "event": f"copy-{k}"} for k in range(3) for r in rows[:3]]
    comp = Comparer(embedder="hashing", threshold=0.5, attribution="rules")
    plain = compare_chunk(comp, group_rows(rows), keep=True)
    monkeypatch.setattr("divergence.corpus.coworker._usable_cores", lambda: 2)
    served = []
    with CoWorker(min_events=1) as helper:
        real_submit = helper.submit

        def submit(fn, *args):
            served.append(fn.__name__)
            return real_submit(fn, *args)

        helper.submit = submit
        shared = compare_chunk(comp, group_rows(rows), keep=True, helper=helper)
    assert "_worker_compare" in served  # some events really were compared over there
    assert [r.tables for r in shared] == [r.tables for r in plain]
    assert [r.comparison.to_dict() for r in shared if r.comparison] == [
        r.comparison.to_dict() for r in plain if r.comparison
    ]


@pytest.mark.skipif(not spacy_available(), reason="spaCy model not installed")
def test_failed_coworker_falls_back_to_this_process(tmp_path, monkeypatch):
    from concurrent.futures import Future

    from divergence.corpus import CoWorker

    class Broken(CoWorker):
        submitted: list[str] = []

        def submit(self, fn, *args):
            Broken.submitted.append(fn.__name__)
            fut = Future()
            fut.set_exception(RuntimeError("worker died"))
            return fut

    comp, events = _frame_chunks(tmp_path, cache=False)
    plain = [r.tables for r in compare_chunk(comp, events)]
    monkeypatch.setattr("divergence.corpus.coworker._usable_cores", lambda: 2)
    with Broken(min_frames=1, min_events=1) as helper:
        assert [r.tables for r in compare_chunk(comp, events, helper=helper)] == plain
    assert {"parse_frames", "_worker_compare"} <= set(Broken.submitted)


def test_coworker_not_used_for_small_chunks_one_core_or_other_methods(monkeypatch):
    from divergence import Comparer
    from divergence.corpus import CoWorker

    monkeypatch.setattr("divergence.corpus.coworker._usable_cores", lambda: 2)
    helper = CoWorker(min_frames=10, min_events=4)
    spacy_comp = Comparer(embedder="hashing", attribution="spacy")
    assert helper.wants_frames(spacy_comp, 10) and not helper.wants_frames(spacy_comp, 9)
    assert not helper.wants_frames(Comparer(embedder="hashing", attribution="rules"), 10)
    clause = Comparer(embedder="hashing", attribution="spacy", unit="clause")
    assert not helper.wants_frames(clause, 10)
    assert helper.wants_events(4) and not helper.wants_events(3)
    helper.warmed = True  # running and warm: any number of sentences goes there
    assert helper.wants_frames(spacy_comp, 1) and not helper.wants_frames(spacy_comp, 0)
    monkeypatch.setattr("divergence.corpus.coworker._usable_cores", lambda: 1)
    assert not helper.wants_frames(spacy_comp, 10) and not helper.wants_events(100)


def test_coworker_does_not_rerun_a_script_without_main_guard(tmp_path):
    import subprocess
    import sys

    script = tmp_path / "noguard.py"
    script.write_text(
        "import divergence.corpus.coworker as c\n"
        "print('TOP-LEVEL', flush=True)\n"
        "c._usable_cores = lambda: 2\n"
        "with c.CoWorker() as h:\n"
        "    fut = h.submit(c._worker_take, 't', 42)\n"
        "    print('worker answered', fut.result(timeout=120), flush=True)\n"
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1"}
    out = subprocess.run(
        [sys.executable, str(script)], capture_output=True, text=True, env=env, timeout=300
    )
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.splitlines() == ["TOP-LEVEL", "worker answered None"]


def test_no_co_worker_option_keeps_everything_in_this_process(tmp_path, monkeypatch):
    from divergence.corpus import CoWorker
    from divergence.corpus.engines import get_engine

    def refuse(self, fn, *args):
        raise AssertionError("the co-worker was asked to work")

    monkeypatch.setattr(CoWorker, "submit", refuse)
    monkeypatch.setattr("divergence.corpus.coworker._usable_cores", lambda: 2)
    rows = fixture_rows() + [
        {**r, "event": f"copy-{k}"} for k in range(3) for r in fixture_rows()[:3]
    ]
    src = write_jsonl(tmp_path / "in.jsonl", rows)
    run = run_corpus(src, tmp_path / "out", engine=get_engine("local", co_worker=False), **SETTINGS)
    assert run.compared == 6 and run.errors == 0
    assert list(compare_corpus(rows, co_worker=False, **SETTINGS))
    result = CliRunner().invoke(
        app,
        [
            "corpus",
            str(src),
            "--out",
            str(tmp_path / "cli"),
            "-m",
            "hashing",
            "-q",
            "--no-co-worker",
        ],
    )
    assert result.exit_code == 0, result.output


@pytest.mark.skipif(not spacy_available(), reason="spaCy model not installed")
def test_coworker_segments_and_parses_while_this_process_loads_the_model(tmp_path, monkeypatch):
    from divergence import attribution
    from divergence.corpus import CoWorker

    comp, events = _frame_chunks(tmp_path, cache=False)
    plain = [r.tables for r in compare_chunk(comp, events)]
    loads = []

    class Model:  # stands for a sentence-transformers model not loaded yet
        def load(self):
            loads.append(1)

    def refuse(*a, **k):
        raise AssertionError("this process segmented or parsed the chunk itself")

    monkeypatch.setattr("divergence.corpus.chunk._model_load_ahead", lambda embedder: Model())
    monkeypatch.setattr("divergence.corpus.chunk._chunk_texts", refuse)
    monkeypatch.setattr(attribution, "parse", refuse)
    monkeypatch.setattr("divergence.corpus.coworker._usable_cores", lambda: 2)
    with CoWorker(min_events=1) as helper:
        ahead = [r.tables for r in compare_chunk(comp, events, helper=helper)]
    assert ahead == plain and loads == [1]


def test_model_is_loaded_ahead_only_when_embedding_surely_needs_it(tmp_path, monkeypatch):
    from divergence import embed
    from divergence.cache import CachedEmbedder, EmbeddingCache
    from divergence.corpus.chunk import _model_load_ahead

    st = embed.SentenceTransformerEmbedder()
    monkeypatch.setattr(embed, "_MODELS", {})
    assert _model_load_ahead(embed.HashingEmbedder()) is None
    assert _model_load_ahead(st) is st  # no cache: it will be loaded
    cached = CachedEmbedder(st, EmbeddingCache(tmp_path / "c.sqlite"))
    assert _model_load_ahead(cached) is st  # empty cache
    cached.cache.put(cached.model_key, [b"k" * 32], np.zeros((1, 384), dtype=np.float32))
    assert _model_load_ahead(cached) is None  # it may answer everything
    monkeypatch.setattr(embed, "_MODELS", {st._key(): object()})
    assert _model_load_ahead(st) is None  # loaded already
