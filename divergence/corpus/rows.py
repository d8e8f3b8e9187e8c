"""Corpus rows: read a JSONL or Parquet file and group its rows into events.

    >>> from divergence.corpus.rows import group_rows
    >>> events = group_rows([{"event": "e1", "source": "AP", "text": "A storm hit Texas."},
    ...                      {"event": "e1", "source": "AFP", "text": "Texas was hit."}])
    >>> [(e.key, len(e.rows)) for e in events]
    [('e1', 2)]

Rows need ``text`` and ``source`` (or ``name``/``id``); ``event`` or ``cluster`` names the
event, or no row has one and the articles are grouped automatically
(:func:`divergence.events.group_events`).
"""

from __future__ import annotations

import hashlib
import json
import warnings
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..errors import DivergenceWarning, InputError

EVENT_KEYS = ("event", "cluster")


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
        from ..events import group_events

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
