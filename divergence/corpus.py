"""Corpus mode: compare every event of an archive (one article per row), resumably, to tables.

    >>> from divergence.corpus import compare_corpus
    >>> rows = [{"event": "e1", "source": "AP", "text": "Biden called Putin. They spoke."},
    ...         {"event": "e1", "source": "AFP", "text": "Biden called Putin. It was long."},
    ...         {"event": "e2", "source": "AP", "text": "A storm hit Texas."}]
    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     [len(c.sources) for c in compare_corpus(rows, embedder="hashing", check_event=False)]
    [2]

Input rows (JSONL, or Parquet with pyarrow installed, or any iterable of mappings): ``event`` or
``cluster``, ``source``, ``text``, optional ``title``, ``date``, ``url``, ``id``; other keys are
kept in ``Source.meta``. Without an event column, articles are grouped into events automatically
(:func:`divergence.events.group_events`); articles matching no other are reported.

* :func:`compare_corpus` - the library call: an iterator of :class:`~divergence.Comparison`, one
  per event with two or more sources. Single-source events are reported (a warning, and the
  ``on_skip`` callback), never silently lost.
* :func:`run_corpus` - the ``divergence corpus`` command: writes tables (``events``,
  ``sources``, ``claims``, ``groups``, ``findings``) as JSONL, and Parquet when pyarrow is
  installed, plus ``manifest.json`` with the signature. Each finished event is written
  atomically to ``parts/<key>.json`` first, so a killed run resumes where it stopped: a re-run
  skips events whose part file has the same input digest and signature. With a cache, finished
  events' tables are also kept there (keyed by rows, settings, model revision, limits and a hash
  of the package code), so an identical run into another ``out`` copies them instead of comparing.

Speed: events are processed in chunks; each chunk's distinct normalised sentences are embedded
in one call (sorted by length by the embedder), through the persistent cache when the comparer
has one, so wire copy repeated across outlets and events is embedded once.
"""

from __future__ import annotations

import contextlib
import copy
import hashlib
import json
import os
import sys
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np

from .cache import normalise_text
from .clean import clean
from .errors import DivergenceError, InputError
from .ingest import DivergenceWarning
from .segment import segment

EVENT_KEYS = ("event", "cluster")
TABLES = ("events", "sources", "claims", "groups", "findings")
PARTS = "parts"
MANIFEST = "manifest.json"
#: Columns of each table (also used to write empty tables with a schema).
COLUMNS = {
    "events": [
        "event",
        "status",
        "message",
        "n_sources",
        "sources",
        "n_claims",
        "n_groups",
        "n_shared_groups",
        "omissions",
        "unique",
        "emphasis",
        "conflicts",
        "min_overlap",
        "signature",
    ],
    "sources": ["event", "source", "name", "title", "date", "url", "n_claims", "n_dropped"],
    "claims": [
        "event",
        "claim",
        "source",
        "text",
        "start",
        "end",
        "index",
        "position",
        "is_title",
        "lede",
        "group",
        "attribution",
        "hedges",
    ],
    "groups": [
        "event",
        "group",
        "support",
        "sources",
        "missing_from",
        "claims",
        "cohesion",
        "prominence",
    ],
    "findings": ["event", "kind", "group", "sources", "detail"],
}


# -- reading -------------------------------------------------------------------------------------
def read_rows(path: str | Path) -> list[dict[str, Any]]:
    """Rows of a JSONL (``.jsonl``/``.ndjson``/``.json`` lines) or Parquet file."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"{p}: no such file")
    if p.suffix.lower() == ".parquet":
        try:
            import pyarrow.parquet as pq
        except ImportError:
            raise InputError(f"{p}: reading Parquet needs pyarrow (pip install pyarrow)") from None
        try:
            return pq.read_table(p).to_pylist()
        except Exception as exc:
            raise InputError(f"{p}: cannot read Parquet ({type(exc).__name__}: {exc})") from None
    rows = []
    try:
        fh = p.open(encoding="utf-8-sig")
    except OSError as exc:
        raise InputError(f"{p}: cannot read ({exc.strerror})") from None
    with fh:
        try:
            for lineno, line in enumerate(fh, start=1):
                if not line.strip():
                    continue
                try:
                    row = json.loads(line)
                except json.JSONDecodeError as exc:
                    raise InputError(f"{p}:{lineno}: malformed JSON ({exc.msg})") from None
                if not isinstance(row, dict):
                    raise InputError(f"{p}:{lineno}: expected a JSON object")
                row.setdefault("_line", lineno)
                rows.append(row)
        except UnicodeDecodeError:
            raise InputError(f"{p}: not UTF-8 text") from None
    if not rows:
        raise InputError(f"{p}: empty (no rows)")
    return rows


def _event_of(row: Mapping[str, Any]) -> Any:
    for k in EVENT_KEYS:
        if row.get(k) not in (None, ""):
            return row[k]
    return None


@dataclass(frozen=True)
class Event:
    """One event's rows (``rows`` are source mappings ready for :func:`divergence.compare`)."""

    key: str
    rows: tuple[dict[str, Any], ...]

    @property
    def digest(self) -> str:
        h = hashlib.sha256()
        for r in self.rows:
            h.update(json.dumps(r, sort_keys=True, default=str).encode("utf-8"))
        return h.hexdigest()[:24]


def group_rows(
    rows: Iterable[Mapping[str, Any]],
    *,
    label: str = "input",
    on_unmatched: Callable[[list[dict[str, Any]]], None] | None = None,
) -> list[Event]:
    """Validate rows and group them into events (automatically when no row has an event)."""
    rows = list(rows)
    if not rows:
        raise InputError(f"{label}: no rows")
    cleaned: list[dict[str, Any]] = []
    for n, row in enumerate(rows, start=1):
        where = f"{label}:{row.get('_line', n)}" if isinstance(row, Mapping) else f"{label}:{n}"
        if not isinstance(row, Mapping):
            raise InputError(f"{where}: expected a mapping, got {type(row).__name__}")
        text = row.get("text")
        if not isinstance(text, str) or not text.strip():
            raise InputError(f"{where}: no 'text'")
        src = row.get("source") or row.get("name") or row.get("id")
        if src is None or not str(src).strip():
            raise InputError(f"{where}: no 'source'")
        r = {k: v for k, v in row.items() if k != "_line" and v is not None}
        r["source"] = str(src)
        r.setdefault("id", str(src))
        r["id"] = str(r["id"])
        cleaned.append(r)
    has_event = [_event_of(r) is not None for r in cleaned]
    if any(has_event) and not all(has_event):
        missing = [i + 1 for i, ok in enumerate(has_event) if not ok]
        raise InputError(
            f"{label}: {len(missing)} row(s) have no 'event'/'cluster' (first: row {missing[0]}); "
            "give every row one, or none for automatic grouping"
        )
    if not any(has_event):
        from .events import group_events

        grouping = group_events(cleaned)
        for r, lab in zip(cleaned, grouping.labels, strict=True):
            r["event"] = lab
        if grouping.unmatched:
            lost = [cleaned[i] for i in grouping.unmatched]
            warnings.warn(
                f"{label}: {len(lost)} article(s) match no other article and form no event: "
                + ", ".join(f"{r['source']}:{(r.get('title') or r['text'])[:40]!r}" for r in lost),
                DivergenceWarning,
                stacklevel=2,
            )
            if on_unmatched:
                on_unmatched(lost)
    events: dict[str, list[dict[str, Any]]] = {}
    for r in cleaned:
        key = str(_event_of(r))
        r.pop("cluster", None) if "event" in r else None
        r["event"] = key
        events.setdefault(key, []).append(r)
    return [Event(key=k, rows=tuple(v)) for k, v in events.items()]


# -- comparing -----------------------------------------------------------------------------------
class _Prefetched:
    """An embedder answering from vectors computed for a whole chunk of events."""

    def __init__(self, name: str, table: dict[str, np.ndarray], inner):
        self.name = name
        self._table = table
        self._inner = inner

    def encode(self, texts: list[str]) -> np.ndarray:
        keys = [normalise_text(t) for t in texts]
        missing = sorted({k for k in keys if k not in self._table})
        if missing:  # not expected: the chunk pre-pass segments exactly as compare does
            for k, v in zip(missing, self._inner.encode(missing), strict=True):
                self._table[k] = v
        if not keys:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([self._table[k] for k in keys]).astype(np.float32, copy=False)


@dataclass
class EventResult:
    """What comparing one event produced: its tables, and the Comparison when kept."""

    event: str
    digest: str
    tables: dict[str, list[dict[str, Any]]]
    comparison: Any = None
    status: str = "ok"
    embedded: int = 0
    meta: dict[str, Any] = field(default_factory=dict)


class _MemoSegmenter:
    """A segmenter remembering the spans of each line it split (one chunk's lifetime): the
    pre-pass and the comparison split each line once, and wire copy repeated across outlets
    shares its lines. Same ``signature`` as the wrapped segmenter, same spans."""

    def __init__(self, inner):
        self._inner = inner
        self._memo: dict[str, list[tuple[int, int]]] = {}

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):  # not delegated (pickling looks these up before __dict__ is set)
            raise AttributeError(name)
        return getattr(self._inner, name)

    @property
    def signature(self) -> str:
        return self._inner.signature

    def split(self, text: str) -> list[tuple[int, int]]:
        spans = self._memo.get(text)
        if spans is None:
            spans = self._memo[text] = self._inner.split(text)
        return list(spans)


def _chunk_texts(comparer, events: list[Event]) -> tuple[list[str], list[str]]:
    """(distinct normalised claim texts to embed, sorted by length; distinct exact claim texts,
    which the attribution stage looks up frames by) of a chunk, segmented as compare will."""
    from .ingest import load_sources

    texts: set[str] = set()
    exact: dict[str, None] = {}
    for ev in events:
        if len(ev.rows) < 2:
            continue
        try:
            loaded = load_sources(
                list(ev.rows), max_chars=comparer.max_chars, max_sources=comparer.max_sources
            )
        except DivergenceError:
            continue  # reported when the event itself is compared
        for s in loaded:
            claims = segment(clean(s), comparer.segmenter)
            exact.update(dict.fromkeys(c.text for c in claims))
            if getattr(comparer, "unit", "sentence") == "clause":
                from .clauses import split_clauses

                claims = split_clauses(s, claims, method=comparer.clause_method)
            for c in claims:
                texts.add(normalise_text(c.text))
    return sorted(texts, key=lambda t: (len(t), t)), list(exact)


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
    not re-run the caller's script (a script calling :func:`run_corpus` at top level, without an
    ``if __name__ == "__main__"`` guard, would otherwise run twice). Everything the worker runs
    lives in this package and is imported by name."""
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


_WARM_UP = (
    "Officials said 12 people were hurt in the storm on Monday. The governor declared an "
    "emergency. Schools were closed across the county. Power was back in most homes by Tuesday.",
    "The storm injured 15 people, police said. An emergency was declared by the governor on "
    "Monday. Schools did not open. Most homes had power again by Tuesday, the utility said.",
)


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


def _worker_warm(comparer) -> None:
    """While the parent segments and embeds: import and initialise what comparing needs
    (scikit-learn, scipy, spaCy, the stages, the pair model) by comparing two tiny articles with
    the run's settings and a hashing embedder. Nothing of it is kept or stored."""
    from .embed import HashingEmbedder

    warm = copy.copy(comparer)
    warm.embedder, warm.store = HashingEmbedder(), None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            warm.compare([{"id": f"warm-{k}", "text": t} for k, t in enumerate(_WARM_UP)])
        except Exception:  # noqa: BLE001 - only a warm-up
            pass


def _worker_take(token: str, comparer) -> None:
    _WORKER_CHUNK.clear()
    _WORKER_CHUNK[token] = comparer


def _worker_prepass(comparer, events: list[Event]) -> tuple[list[str], list[str], dict]:
    """:func:`_chunk_texts` of a chunk, with the segmenter's memo of split lines, done here while
    the parent loads the embedding model."""
    texts, exact = _chunk_texts(comparer, events)
    _WORKER_CHUNK["exact"] = exact  # for the _worker_frames call queued right behind
    return texts, exact, comparer.segmenter._memo


def _worker_frames(store) -> dict:
    """Attribution frames of the sentences the last :func:`_worker_prepass` found, parsed here
    straight after it (before the parent has even received the sentences)."""
    from .attribution import frames_to_parse, parse_frames

    todo = frames_to_parse(_WORKER_CHUNK.pop("exact"), store)
    return parse_frames(todo) if todo else {}


def _worker_boot() -> None:
    """Nothing: the first task starts the process (interpreter, this package)."""


def _model_load_ahead(embedder) -> Any | None:
    """The sentence-transformers embedder that embedding this chunk will surely load: not loaded
    yet, and no cache could answer instead (none, or one without a vector of this model). Loading
    it takes seconds of import in this process, time in which the co-worker can segment."""
    from .embed import SentenceTransformerEmbedder

    inner = getattr(embedder, "inner", embedder)
    if not isinstance(inner, SentenceTransformerEmbedder) or inner.loaded:
        return None
    cache = getattr(embedder, "cache", None)
    if cache is not None and cache.count(embedder.model_key) > 0:
        return None
    return inner


def _worker_compare(token: str, ev: Event, keep: bool) -> EventResult:
    return _compare_event(_WORKER_CHUNK[token], ev, keep=keep)


class CoWorker:
    """One spawned process working beside this one on each chunk of a corpus:

    1. while this process imports torch and loads the model (single-threaded, 6-8 s; only when
       the cache is cold, see :func:`_model_load_ahead`), it segments the chunk and parses its
       sentences for spaCy attribution frames; otherwise it parses them while this process
       embeds. Then it warms up (imports, a tiny comparison);
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


class _Frames:
    """Frames from the worker, answering the attribution stage as a store would (no cache)."""

    def __init__(self, frames: dict[bytes, Any]):
        self._frames = frames

    def get_json(self, kind: str, keys: list[bytes]) -> dict[bytes, Any]:
        return {k: self._frames[k] for k in keys if k in self._frames}

    def put_json(self, kind: str, items: dict[bytes, Any]) -> None:
        self._frames.update(items)


def _result(fut) -> Any:
    try:
        return fut.result()
    except Exception:  # noqa: BLE001 - redone in this process
        return None


def compare_chunk(
    comparer, events: list[Event], *, keep: bool = False, helper: CoWorker | None = None
) -> list[EventResult]:
    """Compare a chunk of events with one embedding pass over their distinct sentences; with a
    ``helper`` (:class:`CoWorker`), that process segments and parses (spaCy) while this one loads
    the model and embeds, and the two then share the comparisons."""
    comparer = copy.copy(comparer)
    comparer.segmenter = _MemoSegmenter(comparer.segmenter)
    spacy_frames = getattr(comparer, "attribution", None) == "spacy"
    share = helper is not None and helper.wants_events(len(events))
    ahead = prepass = got = job = None
    if share and getattr(comparer, "unit", "sentence") == "sentence":  # clause cuts parse here
        ahead = _model_load_ahead(comparer.embedder)
    if ahead is not None:  # the co-worker segments and parses while this process loads
        prepass = helper.submit(_worker_prepass, comparer, events)
        if prepass is not None and spacy_frames:
            job = helper.submit(_worker_frames, comparer.store)
    if prepass is not None:
        ahead.load()
        got = _result(prepass)
    if got is not None:
        texts, exact, memo = got
        comparer.segmenter._memo.update(memo)
    else:
        texts, exact = _chunk_texts(comparer, events)
        job = None
    if job is None and helper is not None and spacy_frames:
        from .attribution import frames_to_parse, parse_frames

        todo = frames_to_parse(exact, comparer.store)
        if helper.wants_frames(comparer, len(todo)):
            job = helper.submit(parse_frames, todo)
    if share and not helper.warmed:
        helper.warmed = helper.submit(_worker_warm, comparer) is not None
    stats = getattr(comparer.embedder, "stats", None)
    before = stats["embedded"] if stats else 0
    vecs = comparer.embedder.encode(texts) if texts else np.zeros((0, 0), dtype=np.float32)
    embedded = (stats["embedded"] - before) if stats else len(texts)
    local = copy.copy(comparer)
    local.embedder = _Prefetched(
        comparer.embedder.name, dict(zip(texts, vecs, strict=True)), comparer.embedder
    )
    if job is not None:
        parsed = _result(job) or {}  # on failure the comparisons parse what is missing
        if comparer.store is not None:
            from .attribution import store_frames

            store_frames(comparer.store, parsed)
        else:
            local.store = _Frames(parsed)
    results: list[EventResult | None] = [None] * len(events)
    token = helper.new_chunk(local) if share else None
    front, back = 0, len(events)  # this process takes events from the front, the worker the back
    pending: tuple[int, Any] | None = None
    with _one_blas_thread() if token is not None else contextlib.nullcontext():
        while front < back or pending is not None:
            if pending is not None and (pending[1].done() or front >= back):
                i, fut = pending
                results[i] = _result(fut)
                pending = None
                if results[i] is None:  # the worker failed: compare that event here
                    results[i] = _compare_event(local, events[i], keep=keep)
                continue
            if pending is None and token is not None and back - front >= 2:
                back -= 1
                fut = helper.submit(_worker_compare, token, events[back], keep)
                if fut is None:
                    token, back = None, back + 1
                else:
                    pending = (back, fut)
                continue
            results[front] = _compare_event(local, events[front], keep=keep)
            front += 1
    for k, res in enumerate(results):
        res.embedded = embedded if k == 0 else 0
    return results


def _compare_event(comparer, ev: Event, *, keep: bool) -> EventResult:
    srcs = sorted({r["source"] for r in ev.rows})
    base = {c: None for c in COLUMNS["events"]}
    base.update(event=ev.key, n_sources=len(ev.rows), sources=srcs, signature=comparer.signature)
    if len(ev.rows) < 2:
        base.update(status="single_source", message="only one source: nothing to compare")
        return EventResult(ev.key, ev.digest, _empty_tables(base), status="single_source")
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            comp = comparer.compare(list(ev.rows))
    except DivergenceError as exc:
        base.update(status="error", message=str(exc))
        return EventResult(ev.key, ev.digest, _empty_tables(base), status="error")
    tables = comparison_tables(ev.key, comp)
    msgs = [str(w.message) for w in caught]
    if msgs:
        tables["events"][0]["message"] = " | ".join(msgs)
    return EventResult(ev.key, ev.digest, tables, comparison=comp if keep else None)


def _empty_tables(event_row: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    tables: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
    tables["events"] = [event_row]
    return tables


def comparison_tables(event: str, comp) -> dict[str, list[dict[str, Any]]]:
    """One event's Comparison as table rows (lists native, dicts as JSON strings)."""
    from .events import source_overlap

    group_of = {cid: g.id for g in comp.groups for cid in g.claims}
    overlap = source_overlap(comp)
    kinds = [f.kind for f in comp.findings]
    events = [
        {
            "event": event,
            "status": "ok",
            "message": None,
            "n_sources": len(comp.sources),
            "sources": [s.id for s in comp.sources],
            "n_claims": len(comp.claims),
            "n_groups": len(comp.groups),
            "n_shared_groups": sum(1 for g in comp.groups if len(g.sources) > 1),
            "omissions": kinds.count("omission"),
            "unique": kinds.count("unique"),
            "emphasis": kinds.count("emphasis"),
            "conflicts": kinds.count("conflict"),
            "min_overlap": round(min(overlap.values()), 4) if overlap else None,
            "signature": comp.signature,
        }
    ]
    n_claims: dict[str, int] = {}
    for c in comp.claims:
        n_claims[c.source] = n_claims.get(c.source, 0) + 1
    sources = [
        {
            "event": event,
            "source": s.id,
            "name": s.name,
            "title": s.title,
            "date": s.date,
            "url": s.meta.get("url"),
            "n_claims": n_claims.get(s.id, 0),
            "n_dropped": sum(1 for d in comp.dropped if d.source == s.id),
        }
        for s in comp.sources
    ]
    claims = []
    for c in comp.claims:
        d = c.to_dict()
        claims.append(
            {
                "event": event,
                "claim": d["id"],
                "source": d["source"],
                "text": d["text"],
                "start": d["start"],
                "end": d["end"],
                "index": d["index"],
                "position": d["position"],
                "is_title": d["is_title"],
                "lede": d["lede"],
                "group": group_of.get(c.id),
                "attribution": _dumps(d["attribution"]) if d["attribution"] else None,
                "hedges": list(d["hedges"]),
            }
        )
    groups = []
    for g in comp.groups:
        d = g.to_dict()
        groups.append(
            {
                "event": event,
                "group": d["id"],
                "support": len(d["sources"]),
                "sources": d["sources"],
                "missing_from": d["missing_from"],
                "claims": d["claims"],
                "cohesion": d["cohesion"],
                "prominence": _dumps(d["prominence"]),
            }
        )
    findings = [
        {
            "event": event,
            "kind": f.kind,
            "group": f.group,
            "sources": list(f.sources),
            "detail": _dumps(f.detail),
        }
        for f in comp.findings
    ]
    return {
        "events": events,
        "sources": sources,
        "claims": claims,
        "groups": groups,
        "findings": findings,
    }


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def _chunks(events: list[Event], size: int) -> Iterator[list[Event]]:
    for i in range(0, len(events), size):
        yield events[i : i + size]


def _make_comparer(comparer, settings: dict[str, Any]):
    if comparer is not None:
        if settings:
            raise InputError("give either comparer= or settings, not both")
        return comparer
    from .pipeline import Comparer

    return Comparer(**settings)


def _events_from(rows_or_path, label: str | None, on_unmatched) -> tuple[list[Event], str]:
    if isinstance(rows_or_path, (str, Path)):
        return group_rows(
            read_rows(rows_or_path), label=str(rows_or_path), on_unmatched=on_unmatched
        ), str(rows_or_path)
    return group_rows(rows_or_path, label=label or "rows", on_unmatched=on_unmatched), label or ""


def compare_corpus(
    rows_or_path: Iterable[Mapping[str, Any]] | str | Path,
    *,
    comparer=None,
    chunk_events: int = 64,
    on_skip: Callable[[str, str], None] | None = None,
    co_worker: bool = True,
    **settings: Any,
) -> Iterator:
    """Compare each event of a corpus; yield one :class:`~divergence.Comparison` per event with
    two or more sources, in input order. ``settings`` are :class:`~divergence.Comparer`'s (or
    pass ``comparer=``). Skipped events (one source, or unusable input) are warned about and
    passed to ``on_skip(event, reason)``. Each source's ``meta["event"]`` names its event.
    ``co_worker``: let a second process parse and compare beside this one (:class:`CoWorker`,
    used only with two or more usable cores)."""
    comp = _make_comparer(comparer, settings)
    events, _ = _events_from(rows_or_path, None, None)
    with CoWorker() if co_worker else contextlib.nullcontext() as helper:
        if helper is not None:
            helper.start(len(events))
        for chunk in _chunks(events, chunk_events):
            for res in compare_chunk(comp, chunk, keep=True, helper=helper):
                if res.comparison is not None:
                    yield res.comparison
                    continue
                reason = res.tables["events"][0]["message"]
                warnings.warn(
                    f"event '{res.event}' skipped: {reason}", DivergenceWarning, stacklevel=2
                )
                if on_skip:
                    on_skip(res.event, reason)


# -- writing -------------------------------------------------------------------------------------
def atomic_write(path: Path, data: bytes | str) -> None:
    """Write to ``path`` via a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


def _part_path(out: Path, event: str) -> Path:
    return out / PARTS / (hashlib.sha256(event.encode("utf-8")).hexdigest()[:20] + ".json")


def _load_part(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None


def have_parquet() -> bool:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


def _arrow_schema(name: str):
    import pyarrow as pa

    s, i, f, b, ls = pa.string(), pa.int64(), pa.float64(), pa.bool_(), pa.list_(pa.string())
    types = {
        "events": [s, s, s, i, ls, i, i, i, i, i, i, i, f, s],
        "sources": [s, s, s, s, s, s, i, i],
        "claims": [s, s, s, s, i, i, i, f, b, b, s, s, ls],
        "groups": [s, s, i, ls, ls, ls, f, s],
        "findings": [s, s, s, ls, s],
    }[name]
    return pa.schema(list(zip(COLUMNS[name], types, strict=True)))


class TableWriter:
    """Streams table rows to ``<name>.jsonl`` (and ``<name>.parquet``) in ``out``: rows are
    appended event by event (memory stays flat in the number of events) to temporary files
    that :meth:`close` renames into place, so a reader never sees a half-written table."""

    def __init__(self, out: Path, *, parquet: bool):
        self.out, self.parquet = out, parquet
        self._tmp: dict[Path, Path] = {}
        self._jsonl = {}
        self._pq = {}
        out.mkdir(parents=True, exist_ok=True)
        for name in TABLES:
            self._jsonl[name] = open(self._temp(out / f"{name}.jsonl"), "w", encoding="utf-8")
            if parquet:
                import pyarrow.parquet as pq

                self._pq[name] = pq.ParquetWriter(
                    self._temp(out / f"{name}.parquet"), _arrow_schema(name)
                )

    def _temp(self, final: Path) -> Path:
        tmp = final.with_name(f".{final.name}.{os.getpid()}.tmp")
        self._tmp[final] = tmp
        return tmp

    def write(self, tables: dict[str, list[dict[str, Any]]]) -> None:
        for name in TABLES:
            rows = tables[name]
            if not rows:
                continue
            fh = self._jsonl[name]
            for r in rows:
                fh.write(json.dumps(r, ensure_ascii=False, sort_keys=True) + "\n")
            if self.parquet:
                import pyarrow as pa

                schema = _arrow_schema(name)
                cols = {c: [r.get(c) for r in rows] for c in COLUMNS[name]}
                self._pq[name].write_table(pa.Table.from_pydict(cols, schema=schema))

    def close(self) -> list[Path]:
        for fh in self._jsonl.values():
            fh.flush()
            os.fsync(fh.fileno())
            fh.close()
        for w in self._pq.values():
            w.close()
        for final, tmp in self._tmp.items():
            os.replace(tmp, final)
        return sorted(self._tmp, key=lambda p: (TABLES.index(p.name.split(".")[0]), p.suffix))

    def abort(self) -> None:
        for fh in self._jsonl.values():
            fh.close()
        for w in self._pq.values():
            try:
                w.close()
            except Exception:  # noqa: BLE001 - best effort clean-up
                pass
        for tmp in self._tmp.values():
            tmp.unlink(missing_ok=True)


@dataclass(frozen=True)
class CorpusRun:
    """What :func:`run_corpus` did."""

    out: Path
    events: int
    compared: int
    skipped_done: int
    single_source: int
    errors: int
    embedded: int
    signature: str
    files: tuple[Path, ...]
    from_cache: int = 0


def run_corpus(
    rows_or_path: Iterable[Mapping[str, Any]] | str | Path,
    out: str | Path,
    *,
    comparer=None,
    engine: str | Any = "local",
    chunk_events: int = 64,
    resume: bool = True,
    parquet: bool | None = None,
    progress: bool = False,
    **settings: Any,
) -> CorpusRun:
    """Compare every event and write the tables to ``out`` (see the module docstring).

    ``engine``: ``"local"``, ``"dask"`` or an engine object from :mod:`divergence.engines`.
    ``resume``: skip events already finished by an earlier run with the same signature.
    ``progress``: a rich progress bar on stderr (events, sentences embedded, rate, ETA).
    """
    from .engines import get_engine

    out = Path(out)
    if out.exists() and not out.is_dir():
        raise InputError(f"{out}: exists and is not a directory")
    eng = get_engine(engine)
    comp = eng.comparer_for(comparer, settings)
    unmatched: list[dict[str, Any]] = []
    events, label = _events_from(rows_or_path, None, unmatched.extend)
    signature = comp.signature
    todo, done = [], 0
    for ev in events:
        part = _load_part(_part_path(out, ev.key)) if resume else None
        if part and part.get("digest") == ev.digest and part.get("signature") == signature:
            done += 1
        else:
            todo.append(ev)
    (out / PARTS).mkdir(parents=True, exist_ok=True)
    counts = {"single_source": 0, "error": 0, "ok": 0}
    embedded = 0
    store = getattr(comp, "store", None)
    kind = _result_kind(comp) if store is not None else ""

    def keep(event: str, digest: str, tables: dict[str, Any]) -> None:
        part = {"event": event, "digest": digest, "signature": signature, "tables": tables}
        atomic_write(_part_path(out, event), json.dumps(part, ensure_ascii=False))

    # results of an identical earlier run (same event rows, settings and code), from the cache
    keys = {ev.key: _result_key(ev) for ev in todo} if store is not None else {}
    known = store.get_json(kind, list(keys.values())) if keys else {}
    cached = [ev for ev in todo if keys.get(ev.key) in known]
    todo = [ev for ev in todo if keys.get(ev.key) not in known]
    bar = _Bar(total=len(events), done=done, enabled=progress)
    with bar:
        for ev in cached:
            tables = known[keys[ev.key]]
            keep(ev.key, ev.digest, tables)
            status = tables["events"][0].get("status") or "ok"
            counts[status] = counts.get(status, 0) + 1
            bar.advance(0)
        for res in eng.run(comp, list(_chunks(todo, chunk_events))):
            keep(res.event, res.digest, res.tables)
            if store is not None and res.status != "error":
                store.put_json(kind, {_result_key(res): res.tables})
            counts[res.status] = counts.get(res.status, 0) + 1
            embedded += res.embedded
            bar.advance(res.embedded)
    # consolidate every event's part, in input order (finished earlier or now), streaming
    use_parquet = have_parquet() if parquet is None else parquet
    if use_parquet and not have_parquet():
        raise InputError("Parquet output needs pyarrow (pip install pyarrow)")
    lone = {r["event"] for r in unmatched}
    counts_t = {t: 0 for t in TABLES}
    single = errors = 0
    writer = TableWriter(out, parquet=use_parquet)
    try:
        for ev in events:
            part = _load_part(_part_path(out, ev.key))
            if part is None:  # pragma: no cover - written above
                raise InputError(f"{out}: part file for event '{ev.key}' is missing or damaged")
            tables = part["tables"]
            row = tables["events"][0]
            if row["event"] in lone:  # automatic grouping found no other article for it
                row["status"] = "unmatched"
                row["message"] = "article matches no other article (automatic event grouping)"
            single += row["status"] == "single_source"
            errors += row["status"] == "error"
            for t in TABLES:
                counts_t[t] += len(tables[t])
            writer.write(tables)
    except BaseException:
        writer.abort()
        raise
    files = writer.close()
    manifest = {
        "signature": signature,
        "settings": comp.settings(),
        "input": label,
        "events": len(events),
        "single_source": single,
        "errors": errors,
        "unmatched_articles": len(unmatched),
        "tables": counts_t,
        "files": sorted(p.name for p in files),
    }
    atomic_write(out / MANIFEST, json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    return CorpusRun(
        out=out,
        events=len(events),
        compared=len(todo),
        skipped_done=done,
        single_source=single,
        errors=errors,
        embedded=embedded,
        signature=signature,
        files=tuple(files) + (out / MANIFEST,),
        from_cache=len(cached),
    )


def _result_key(ev: Event | EventResult) -> bytes:
    key = ev.event if isinstance(ev, EventResult) else ev.key
    return hashlib.sha256(f"{key}\x00{ev.digest}".encode()).digest()


@lru_cache(maxsize=1)
def _code_hash() -> str:
    """sha256 over this package's source files: a result cached by other code is never reused."""
    h = hashlib.sha256()
    root = Path(__file__).parent
    for p in sorted(root.rglob("*")):
        if p.is_file() and p.suffix in {".py", ".json"}:
            h.update(p.relative_to(root).as_posix().encode() + b"\x00" + p.read_bytes())
    return h.hexdigest()[:16]


def _result_kind(comp) -> str:
    """Cache kind of one event's tables: everything that can change them (signature, settings,
    the exact model revision, the limits, the code)."""
    model = getattr(comp.embedder, "model_key", comp.embedder.name)
    limits = [
        getattr(comp, a, None)
        for a in ("max_chars", "max_sources", "max_total_chars", "max_claims", "check_event")
    ]
    blob = json.dumps([comp.signature, comp.settings(), model, limits], sort_keys=True, default=str)
    return f"corpus-event|{_code_hash()}|{hashlib.sha256(blob.encode()).hexdigest()[:24]}"


class _Bar:
    """rich progress on stderr: events done, sentences embedded, rate, ETA (off if not a TTY)."""

    def __init__(self, *, total: int, done: int, enabled: bool):
        self.enabled = enabled and sys.stderr.isatty()
        self.total, self.done = total, done
        self.sentences = 0

    def __enter__(self):
        if self.enabled:
            from rich.console import Console
            from rich.progress import (
                BarColumn,
                MofNCompleteColumn,
                Progress,
                TextColumn,
                TimeElapsedColumn,
                TimeRemainingColumn,
            )

            self._p = Progress(
                TextColumn("events"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[sent]} sentences embedded"),
                TextColumn("{task.fields[rate]} ev/s"),
                TimeElapsedColumn(),
                TextColumn("ETA"),
                TimeRemainingColumn(),
                console=Console(stderr=True),
                transient=False,
            )
            self._p.__enter__()
            self._task = self._p.add_task(
                "corpus", total=self.total, completed=self.done, sent=0, rate="-"
            )
        return self

    def advance(self, sentences: int) -> None:
        self.sentences += sentences
        if self.enabled:
            task = self._p.tasks[0]
            rate = f"{task.speed:.1f}" if task.speed else "-"
            self._p.update(self._task, advance=1, sent=self.sentences, rate=rate)

    def __exit__(self, *exc):
        if self.enabled:
            self._p.__exit__(*exc)
        return False
