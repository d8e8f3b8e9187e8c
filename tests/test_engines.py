"""Engines: a small corpus gives identical tables locally and on a Dask LocalCluster."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from divergence.corpus import TABLES, run_corpus
from divergence.corpus.engines import DaskEngine, LocalEngine, get_engine
from divergence.errors import UsageError

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


def rows():
    out = []
    for cluster in ("first-call", "ukraine-calls"):
        for f in sorted((FIXTURES / cluster).glob("*.txt")):
            out.append({"event": cluster, "source": f.stem, "text": f.read_text()})
            # a syndicated copy of each story under a second event
            out.append({"event": cluster + "-wire", "source": f.stem, "text": f.read_text()})
    out.append({"event": "alone", "source": "AP", "text": "A storm hit Texas."})
    return out


def test_get_engine():
    assert isinstance(get_engine("local"), LocalEngine)
    assert isinstance(get_engine("dask", n_workers=1), DaskEngine)
    with pytest.raises(UsageError):
        get_engine("spark")


def test_dask_local_cluster_gives_identical_tables(tmp_path):
    pytest.importorskip("dask.distributed")
    from dask.distributed import Client, LocalCluster

    settings = {"embedder": "hashing", "threshold": 0.5}
    run_corpus(rows(), tmp_path / "local", chunk_events=2, **settings)
    with (
        LocalCluster(
            n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None
        ) as cluster,
        Client(cluster) as client,
    ):
        engine = DaskEngine(client=client)
        run = run_corpus(rows(), tmp_path / "dask", engine=engine, chunk_events=2, **settings)
        assert len(client.scheduler_info()["workers"]) == 2
    assert run.events == 5 and run.single_source == 1
    for t in TABLES:
        a = (tmp_path / "local" / f"{t}.jsonl").read_bytes()
        b = (tmp_path / "dask" / f"{t}.jsonl").read_bytes()
        assert a == b, t
    m1 = json.loads((tmp_path / "local" / "manifest.json").read_text())
    m2 = json.loads((tmp_path / "dask" / "manifest.json").read_text())
    assert m1["signature"] == m2["signature"]


def test_worker_comparer_built_once():
    from divergence.corpus.engines import _WORKER_COMPARERS, _worker_comparer

    a = _worker_comparer("k-test", {"embedder": "hashing"})
    b = _worker_comparer("k-test", {"embedder": "hashing"})
    assert a is b
    _WORKER_COMPARERS.pop("k-test")


def test_dask_engine_refuses_a_prebuilt_comparer():
    from divergence import Comparer

    with pytest.raises(UsageError, match="settings"):
        DaskEngine().comparer_for(Comparer(embedder="hashing"), {})
