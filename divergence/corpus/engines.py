"""Engines: where corpus mode compares its chunks of events - this process, or a Dask cluster.

    >>> from divergence.corpus.engines import get_engine
    >>> get_engine("local").name
    'local'

An engine has ``comparer_for(comparer, settings)`` (the Comparer whose signature names the run)
and ``run(comparer, chunks) -> iterator of EventResult``. Results come back in input order, so
the tables are identical whichever engine ran them.

* :class:`LocalEngine` - compares chunk after chunk in this process.
* :class:`DaskEngine` - ships each chunk to a ``dask.distributed`` cluster. The comparer's
  *settings* travel, not the model: each worker builds its Comparer (and loads the model) once
  and keeps it in a worker-level cache (:func:`_worker_comparer`). With no address it starts a
  ``LocalCluster``; give ``address="tcp://scheduler:8786"`` (CLI ``--scheduler``) to use a real
  cluster, whose workers need ``divergence`` (and its model packages) installed. The persistent
  embedding cache is per machine (``DIVERGENCE_CACHE_DIR`` on each worker); SQLite files on NFS
  are not safe to share between machines.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from typing import Any

from ..errors import InputError, UsageError
from .chunk import compare_chunk
from .coworker import CoWorker

ENGINES = ("local", "dask")
_WORKER_COMPARERS: dict[str, Any] = {}
_WORKER_LOCK = threading.Lock()


def make_comparer(comparer, settings: dict[str, Any]):
    """``comparer`` as given, or a new Comparer built from ``settings`` (not both)."""
    if comparer is not None:
        if settings:
            raise InputError("give either comparer= or settings, not both")
        return comparer
    from ..pipeline import Comparer

    return Comparer(**settings)


class LocalEngine:
    """Compares chunk after chunk in this process, with a
    :class:`~divergence.corpus.coworker.CoWorker` beside it when ``co_worker`` and two or more
    cores are usable."""

    name = "local"

    def __init__(self, *, co_worker: bool = True):
        self.co_worker = co_worker

    def comparer_for(self, comparer, settings: dict[str, Any]):
        return make_comparer(comparer, settings)

    def run(self, comparer, chunks) -> Iterator:
        chunks = list(chunks)
        if not self.co_worker:
            for chunk in chunks:
                yield from compare_chunk(comparer, chunk)
            return
        with CoWorker() as helper:  # a second process parses and compares beside this one
            helper.start(sum(len(c) for c in chunks))
            for chunk in chunks:
                yield from compare_chunk(comparer, chunk, helper=helper)


def _worker_comparer(settings_key: str, settings: dict[str, Any]):
    """The Comparer for ``settings`` in this worker process, built (model loaded) once."""
    with _WORKER_LOCK:
        comp = _WORKER_COMPARERS.get(settings_key)
        if comp is None:
            from ..pipeline import Comparer

            comp = Comparer(**settings)
            _WORKER_COMPARERS[settings_key] = comp
        return comp


def _dask_task(settings_key: str, settings: dict[str, Any], chunk) -> list:
    return compare_chunk(_worker_comparer(settings_key, settings), chunk)


class DaskEngine:
    """Run chunks on dask.distributed (``address`` of a scheduler, or a LocalCluster)."""

    name = "dask"

    def __init__(
        self,
        *,
        address: str | None = None,
        client=None,
        n_workers: int = 2,
        threads_per_worker: int = 1,
        processes: bool = True,
        max_in_flight: int | None = None,
    ):
        self.address = address
        self.client = client
        self.n_workers = n_workers
        self.threads_per_worker = threads_per_worker
        self.processes = processes
        self.max_in_flight = max_in_flight
        self._settings: dict[str, Any] | None = None

    def comparer_for(self, comparer, settings: dict[str, Any]):
        if comparer is not None:
            raise UsageError(
                "the dask engine builds its Comparer on each worker: pass settings "
                "(embedder='hashing', backend='onnx', cache=..., ...), not comparer="
            )
        for k, v in settings.items():
            if not isinstance(v, (str, int, float, bool, type(None))) and k != "cache":
                raise UsageError(f"dask engine: setting {k}= must be a plain value, not {v!r}")
        from ..pipeline import Comparer

        self._settings = dict(settings)
        return Comparer(**settings)  # the client-side one only names the run (signature)

    def _client(self):
        try:
            from dask.distributed import Client, LocalCluster
        except ImportError:
            raise UsageError(
                "the dask engine needs dask.distributed: pip install 'divergence[dask]'"
            ) from None
        if self.client is not None:
            return self.client, None
        if self.address:
            return Client(self.address), None
        cluster = LocalCluster(
            n_workers=self.n_workers,
            threads_per_worker=self.threads_per_worker,
            processes=self.processes,
            dashboard_address=None,
        )
        return Client(cluster), cluster

    def run(self, comparer, chunks) -> Iterator:
        import json

        from dask.distributed import as_completed

        chunks = list(chunks)
        if not chunks:
            return
        settings = self._settings or {}
        key = json.dumps(settings, sort_keys=True, default=str)
        client, cluster = self._client()
        try:
            limit = self.max_in_flight or max(2, 2 * len(client.scheduler_info()["workers"]))
            pending: dict[Any, int] = {}
            results: dict[int, list] = {}
            nxt_submit, nxt_yield = 0, 0
            ac = as_completed()
            while nxt_yield < len(chunks):
                while nxt_submit < len(chunks) and len(pending) < limit:
                    fut = client.submit(_dask_task, key, settings, chunks[nxt_submit], pure=False)
                    pending[fut] = nxt_submit
                    ac.add(fut)
                    nxt_submit += 1
                fut = next(ac)
                results[pending.pop(fut)] = fut.result()
                while nxt_yield in results:  # yield in input order
                    yield from results.pop(nxt_yield)
                    nxt_yield += 1
        finally:
            if cluster is not None:
                client.close()
                cluster.close()


def get_engine(spec: str | Any = "local", **options: Any):
    """``"local"`` -> :class:`LocalEngine(**options)`; ``"dask"`` -> :class:`DaskEngine(**options)`;
    an engine object is returned as is."""
    if not isinstance(spec, str):
        return spec
    if spec == "local":
        return LocalEngine(**options)
    if spec == "dask":
        return DaskEngine(**options)
    raise UsageError(f"unknown engine '{spec}' (choose from {', '.join(ENGINES)})")
