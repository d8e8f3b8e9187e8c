"""The co-worker: one spawned process working beside this one, and the process plumbing it needs.

    >>> from divergence.corpus.coworker import CoWorker
    >>> CoWorker().min_events
    4

* :class:`CoWorker` - the process pool of one ``spawn``-ed worker; :meth:`CoWorker.submit` runs a
  function there by its import path (everything it runs lives in this package).
* The worker's state is :data:`_WORKER_CHUNK`: the comparer of the chunk in hand, sent once per
  chunk (:func:`_worker_take`); the tasks that use it live in :mod:`divergence.corpus.chunk`.
* Plumbing: usable cores (affinity and the cgroup v2 CPU quota), one BLAS thread per process
  while the two share the cores, and a ``__main__`` that a spawned child does not re-run.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

#: Fewest sentences to parse for which a chunk hands spaCy to the :class:`CoWorker` (its
#: start-up, ~3 s to import spaCy and load the model, runs on the other core meanwhile).
MIN_FRAMES_IN_WORKER = 200
#: Fewest events in a chunk for which the :class:`CoWorker` also compares some of them.
MIN_EVENTS_IN_WORKER = 4


def _usable_cores() -> int:
    """CPUs this process may run on: its affinity, capped by a cgroup v2 CPU quota (a container
    started with ``--cpus=1`` on a 16-core host has one usable core)."""
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        cores = os.cpu_count() or 1
    try:
        quota, period = Path("/sys/fs/cgroup/cpu.max").read_text().split()[:2]
        if quota != "max":
            cores = min(cores, max(1, int(-(-int(quota) // int(period)))))
    except (OSError, ValueError):
        pass
    return cores


@contextlib.contextmanager
def _main_not_rerun() -> Iterator[None]:
    """While a worker process is spawned, hide where ``__main__`` came from, so the child does
    not re-run the caller's script (a script calling :func:`~divergence.corpus.run_corpus` at
    top level, without an ``if __name__ == "__main__"`` guard, would otherwise run twice).
    Everything the worker runs lives in this package and is imported by name."""
    main = sys.modules.get("__main__")
    if main is None:
        yield
        return
    spec = getattr(main, "__spec__", None)
    had_file = "__file__" in main.__dict__
    path = main.__dict__.pop("__file__", None)
    main.__spec__ = None
    try:
        yield
    finally:
        main.__spec__ = spec
        if had_file:
            main.__file__ = path


_ONE_THREAD = {k: "1" for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")}


@contextlib.contextmanager
def _environ(values: dict[str, str]) -> Iterator[None]:
    """``os.environ`` with ``values`` set (a spawned child inherits them), restored after."""
    saved = {k: os.environ.get(k) for k in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for k, v in saved.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v


@contextlib.contextmanager
def _one_blas_thread() -> Iterator[None]:
    """This process's BLAS on one thread while it shares the cores with the co-worker: the
    comparisons' matrix products are small (a few hundred rows), and two threads per process on
    two cores cost more in hand-offs than they gain. OpenBLAS splits a product into blocks of
    the output, not along the summed dimension, so a thread count should not change a result;
    the co-worker tests check the tables against a one-process run."""
    try:
        from threadpoolctl import threadpool_limits
    except ImportError:  # pragma: no cover - installed with scikit-learn
        yield
        return
    with threadpool_limits(limits=1, user_api="blas"):
        yield


# state of a CoWorker process: the comparer of the chunk in hand (sent once per chunk)
_WORKER_CHUNK: dict[str, Any] = {}


def _worker_init() -> None:
    """In the co-worker: exit without tearing the interpreter down (about a second with spaCy
    and scikit-learn loaded). It runs last at exit, after the executor's own clean-up; the
    worker holds no unwritten output (its store writes are committed transactions)."""
    import atexit

    def bye() -> None:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(0)

    atexit.register(bye)


def _worker_take(token: str, comparer) -> None:
    _WORKER_CHUNK.clear()
    _WORKER_CHUNK[token] = comparer


def _worker_boot() -> None:
    """Nothing: the first task starts the process (interpreter, this package)."""


class CoWorker:
    """One spawned process working beside this one on each chunk of a corpus:

    1. while this process imports torch and loads the model (single-threaded, 6-8 s; only when
       the cache is cold, see :func:`~divergence.corpus.chunk._model_load_ahead`), it segments
       the chunk and parses its sentences for spaCy attribution frames; otherwise it parses
       them while this process embeds. Then it warms up (imports, a tiny comparison);
    2. once the vectors are in, it compares events of the chunk while this process compares
       others (one event at a time from the back of the chunk, this process from the front).

        >>> with CoWorker() as helper:  # doctest: +SKIP
        ...     results = compare_chunk(comparer, events, helper=helper)

    Results are identical to comparing in one process (the frames are those an in-process parse
    finds, keyed as the store keeps them; the comparison is deterministic) and come back in input
    order. Used only with two or more usable cores. If the worker fails for any reason, this
    process parses and compares what it left, so a failure costs time, never results. ``spawn``,
    not ``fork``: the parent may already hold torch's threads.
    """

    def __init__(
        self, *, min_frames: int = MIN_FRAMES_IN_WORKER, min_events: int = MIN_EVENTS_IN_WORKER
    ):
        self.min_frames = min_frames
        self.min_events = min_events
        self._pool = None
        self._chunks = 0
        self.warmed = False

    @property
    def usable(self) -> bool:
        return self._pool is not False and _usable_cores() >= 2

    def wants_frames(self, comparer, n_texts: int) -> bool:
        """Whether to parse ``n_texts`` there: enough to pay for starting spaCy, or any number
        once the worker runs (it loaded spaCy warming up; this process then never loads it)."""
        return (
            self.usable
            and getattr(comparer, "attribution", None) == "spacy"
            and getattr(comparer, "unit", "sentence") == "sentence"
            and n_texts > 0
            and (n_texts >= self.min_frames or self.warmed)
        )

    def wants_events(self, n_events: int) -> bool:
        return self.usable and n_events >= self.min_events

    def submit(self, fn, *args):
        """``fn(*args)`` in the worker process (started on first use); None if it is broken."""
        if self._pool is False:
            return None
        first = self._pool is None
        if first:
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            self._pool = ProcessPoolExecutor(
                max_workers=1,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_worker_init,
            )
        try:
            if first:  # the process starts now, with one BLAS thread (two processes, two cores)
                with _main_not_rerun(), _environ(_ONE_THREAD):
                    return self._pool.submit(fn, *args)
            return self._pool.submit(fn, *args)
        except Exception:  # noqa: BLE001 - a broken pool: carry on in this process
            self.close()
            self._pool = False
            return None

    def start(self, n_events: int) -> None:
        """Start the process now, before the first chunk is segmented, when a run of
        ``n_events`` will share events with it (so it is up when the first chunk's work comes)."""
        if self._pool is None and self.wants_events(n_events):
            self.submit(_worker_boot)  # warm-up follows the first chunk's pre-pass and frames

    def new_chunk(self, comparer) -> str | None:
        """Send the chunk's comparer (with its vectors) once; the token that names it there."""
        self._chunks += 1
        token = f"{os.getpid()}-{self._chunks}"
        fut = self.submit(_worker_take, token, comparer)
        return token if fut is not None else None

    def close(self) -> None:
        if self._pool:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def __enter__(self) -> CoWorker:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()


def _result(fut) -> Any:
    try:
        return fut.result()
    except Exception:  # noqa: BLE001 - redone in this process
        return None
