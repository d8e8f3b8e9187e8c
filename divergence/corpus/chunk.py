"""Chunked comparing: one embedding pass over a chunk of events, then each event compared.

    >>> from divergence import Comparer
    >>> from divergence.corpus.chunk import compare_chunk
    >>> from divergence.corpus.rows import group_rows
    >>> events = group_rows([{"event": "e1", "source": "AP", "text": "Biden called Putin."},
    ...                      {"event": "e1", "source": "AFP", "text": "Putin took a call."}])
    >>> [r.status for r in compare_chunk(Comparer(embedder="hashing"), events)]
    ['ok']

A chunk's distinct normalised sentences are embedded in one call (:class:`_Prefetched` answers
each event's comparison from those vectors); with a :class:`~divergence.corpus.coworker.CoWorker`
the other process segments, parses (spaCy) and compares some of the events. The functions named
``_worker_*`` run in that process.
"""

from __future__ import annotations

import contextlib
import copy
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ..cache import normalise_text
from ..clean import clean
from ..errors import DivergenceError
from ..segment import segment
from .coworker import _WORKER_CHUNK, CoWorker, _one_blas_thread, _result
from .rows import Event
from .tables import COLUMNS, _empty_tables, comparison_tables


class _Prefetched:
    """An embedder answering from vectors computed for a whole chunk of events."""

    def __init__(self, name: str, table: dict[str, np.ndarray], inner, tokens=None):
        self.name = name
        self._table = table
        self._inner = inner
        self._tokens = tokens if tokens is not None else {}

    def encode_tokens(self, texts: list[str]) -> list[np.ndarray]:
        """Token vectors for the judge from the chunk's table (so a co-worker process never
        needs the model); texts not in it are asked of the wrapped embedder."""
        from ..tokens import encode_tokens

        keys = [normalise_text(t) for t in texts]
        missing = sorted({k for k in keys if k not in self._tokens})
        if missing:
            for k, v in zip(missing, encode_tokens(self._inner, missing), strict=True):
                self._tokens[k] = v
        return [self._tokens[k] for k in keys]

    def encode(self, texts: list[str]) -> np.ndarray:
        keys = [normalise_text(t) for t in texts]
        missing = sorted({k for k in keys if k not in self._table})
        if missing:  # not expected: the chunk pre-pass segments exactly as compare does
            for k, v in zip(missing, self._inner.encode(missing), strict=True):
                self._table[k] = v
        if not keys:
            return np.zeros((0, 0), dtype=np.float32)
        return np.stack([self._table[k] for k in keys]).astype(np.float32, copy=False)


def with_embedder(comparer, embedder):
    """A shallow copy of ``comparer`` that embeds with ``embedder``; a scorer that reads token
    vectors from the embedder (the judge) is rebound to it."""
    local = copy.copy(comparer)
    local.embedder = embedder
    if hasattr(comparer.scorer, "bind"):
        local.scorer = copy.copy(comparer.scorer).bind(embedder)
    return local


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
    from ..ingest import load_sources

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
                from ..clauses import split_clauses

                claims = split_clauses(s, claims, method=comparer.clause_method)
            for c in claims:
                texts.add(normalise_text(c.text))
    return sorted(texts, key=lambda t: (len(t), t)), list(exact)


_WARM_UP = (
    "Officials said 12 people were hurt in the storm on Monday. The governor declared an "
    "emergency. Schools were closed across the county. Power was back in most homes by Tuesday.",
    "The storm injured 15 people, police said. An emergency was declared by the governor on "
    "Monday. Schools did not open. Most homes had power again by Tuesday, the utility said.",
)


def _worker_warm(comparer) -> None:
    """While the parent segments and embeds: import and initialise what comparing needs
    (scikit-learn, scipy, spaCy, the stages, the pair model) by comparing two tiny articles with
    the run's settings and a hashing embedder. Nothing of it is kept or stored."""
    from ..embed import HashingEmbedder

    warm = with_embedder(comparer, HashingEmbedder())
    warm.store = None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            warm.compare([{"id": f"warm-{k}", "text": t} for k, t in enumerate(_WARM_UP)])
        except Exception:  # noqa: BLE001 - only a warm-up
            pass


def _worker_prepass(comparer, events: list[Event]) -> tuple[list[str], list[str], dict]:
    """:func:`_chunk_texts` of a chunk, with the segmenter's memo of split lines, done here while
    the parent loads the embedding model."""
    texts, exact = _chunk_texts(comparer, events)
    _WORKER_CHUNK["exact"] = exact  # for the _worker_frames call queued right behind
    return texts, exact, comparer.segmenter._memo


def _worker_frames(store) -> dict:
    """Attribution frames of the sentences the last :func:`_worker_prepass` found, parsed here
    straight after it (before the parent has even received the sentences)."""
    from ..attribution import frames_to_parse, parse_frames

    todo = frames_to_parse(_WORKER_CHUNK.pop("exact"), store)
    return parse_frames(todo) if todo else {}


def _model_load_ahead(embedder) -> Any | None:
    """The sentence-transformers embedder that embedding this chunk will surely load: not loaded
    yet, and no cache could answer instead (none, or one without a vector of this model). Loading
    it takes seconds of import in this process, time in which the co-worker can segment."""
    from ..embed import SentenceTransformerEmbedder

    inner = getattr(embedder, "inner", embedder)
    if not isinstance(inner, SentenceTransformerEmbedder) or inner.loaded:
        return None
    cache = getattr(embedder, "cache", None)
    if cache is not None and cache.count(embedder.model_key) > 0:
        return None
    return inner


def _worker_compare(token: str, ev: Event, keep: bool) -> EventResult:
    return _compare_event(_WORKER_CHUNK[token], ev, keep=keep)


class _Frames:
    """Frames from the worker, answering the attribution stage as a store would (no cache)."""

    def __init__(self, frames: dict[bytes, Any]):
        self._frames = frames

    def get_json(self, kind: str, keys: list[bytes]) -> dict[bytes, Any]:
        return {k: self._frames[k] for k in keys if k in self._frames}

    def put_json(self, kind: str, items: dict[bytes, Any]) -> None:
        self._frames.update(items)


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
        from ..attribution import frames_to_parse, parse_frames

        todo = frames_to_parse(exact, comparer.store)
        if helper.wants_frames(comparer, len(todo)):
            job = helper.submit(parse_frames, todo)
    if share and not helper.warmed:
        helper.warmed = helper.submit(_worker_warm, comparer) is not None
    stats = getattr(comparer.embedder, "stats", None)
    before = stats["embedded"] if stats else 0
    vecs = comparer.embedder.encode(texts) if texts else np.zeros((0, 0), dtype=np.float32)
    embedded = (stats["embedded"] - before) if stats else len(texts)
    tokens = None
    if texts and hasattr(comparer.scorer, "bind"):  # the judge: token vectors travel too
        from ..tokens import encode_tokens

        tokens = dict(zip(texts, encode_tokens(comparer.embedder, texts), strict=True))
    local = with_embedder(
        comparer,
        _Prefetched(
            comparer.embedder.name, dict(zip(texts, vecs, strict=True)), comparer.embedder, tokens
        ),
    )
    if job is not None:
        parsed = _result(job) or {}  # on failure the comparisons parse what is missing
        if comparer.store is not None:
            from ..attribution import store_frames

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
