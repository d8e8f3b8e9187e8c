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

The package, in import order (each module imports only those above it):

* :mod:`~divergence.corpus.rows` - reading rows, grouping them into events;
* :mod:`~divergence.corpus.tables` - the tables' schema, a Comparison as rows, the writer;
* :mod:`~divergence.corpus.coworker` - the co-worker process and its plumbing (usable cores,
  BLAS threads, spawning);
* :mod:`~divergence.corpus.chunk` - one chunk: one embedding pass, then each event compared;
* :mod:`~divergence.corpus.engines` - where chunks run: this process or a Dask cluster;
* :mod:`~divergence.corpus.progress` - the progress bar;
* :mod:`~divergence.corpus.run` - :func:`compare_corpus`, :func:`run_corpus`, the result cache.
"""

from __future__ import annotations

from .chunk import EventResult, compare_chunk
from .coworker import MIN_EVENTS_IN_WORKER, MIN_FRAMES_IN_WORKER, CoWorker
from .engines import ENGINES, DaskEngine, LocalEngine, get_engine, make_comparer
from .rows import EVENT_KEYS, Event, group_rows, read_rows
from .run import MANIFEST, PARTS, CorpusRun, compare_corpus, run_corpus
from .tables import COLUMNS, TABLES, TableWriter, atomic_write, comparison_tables, have_parquet

__all__ = [
    "COLUMNS",
    "ENGINES",
    "EVENT_KEYS",
    "MANIFEST",
    "MIN_EVENTS_IN_WORKER",
    "MIN_FRAMES_IN_WORKER",
    "PARTS",
    "TABLES",
    "CoWorker",
    "CorpusRun",
    "DaskEngine",
    "Event",
    "EventResult",
    "LocalEngine",
    "TableWriter",
    "atomic_write",
    "compare_chunk",
    "compare_corpus",
    "comparison_tables",
    "get_engine",
    "group_rows",
    "have_parquet",
    "make_comparer",
    "read_rows",
    "run_corpus",
]
