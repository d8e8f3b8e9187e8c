"""Corpus runs: compare every event (the library iterator) or write the tables, resumably.

    >>> from divergence.corpus.run import compare_corpus
    >>> rows = [{"event": "e1", "source": "AP", "text": "Biden called Putin."},
    ...         {"event": "e1", "source": "AFP", "text": "Putin took a call."}]
    >>> [len(c.sources) for c in compare_corpus(rows, embedder="hashing", check_event=False)]
    [2]

:func:`run_corpus` keeps each finished event in ``parts/<key>.json`` (resume) and, with a cache,
in the store keyed by :func:`_result_kind` (rows, settings, model revision, limits, code hash).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import DivergenceWarning, InputError
from .chunk import EventResult, compare_chunk
from .coworker import CoWorker
from .engines import get_engine, make_comparer
from .progress import _Bar
from .rows import Event, group_rows, read_rows
from .tables import TABLES, TableWriter, atomic_write, have_parquet

PARTS = "parts"
MANIFEST = "manifest.json"


def _chunks(events: list[Event], size: int) -> Iterator[list[Event]]:
    for i in range(0, len(events), size):
        yield events[i : i + size]


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
    comp = make_comparer(comparer, settings)
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


def _part_path(out: Path, event: str) -> Path:
    return out / PARTS / (hashlib.sha256(event.encode("utf-8")).hexdigest()[:20] + ".json")


def _load_part(path: Path) -> dict[str, Any] | None:
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError):
        return None


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
    """Compare every event and write the tables to ``out`` (see :mod:`divergence.corpus`).

    ``engine``: ``"local"``, ``"dask"`` or an engine object from :mod:`divergence.corpus.engines`.
    ``resume``: skip events already finished by an earlier run with the same signature.
    ``progress``: a rich progress bar on stderr (events, sentences embedded, rate, ETA).
    """
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
                counts_t[t] += len(tables.get(t, ()))
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
    root = Path(__file__).parent.parent  # the divergence package
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
