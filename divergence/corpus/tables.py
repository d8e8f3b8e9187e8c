"""Corpus tables: the schema of the six tables, one Comparison as table rows, the writer.

    >>> from divergence.corpus.tables import COLUMNS, TABLES
    >>> TABLES
    ('events', 'sources', 'claims', 'groups', 'findings', 'derivations')
    >>> COLUMNS["findings"]
    ['event', 'kind', 'group', 'sources', 'detail']

:func:`comparison_tables` turns one event's :class:`~divergence.Comparison` into rows (lists
native, dicts as JSON strings); :class:`TableWriter` streams rows to ``<table>.jsonl`` (and
``.parquet`` with pyarrow) and renames them into place when closed; :func:`atomic_write` writes
one file through a temporary file and a rename.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

TABLES = ("events", "sources", "claims", "groups", "findings", "derivations")


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
    # text reuse between two sources of an event (divergence.derivation); evidence as JSON
    "derivations": [
        "event",
        "source",
        "from",
        "relation",
        "direction",
        "basis",
        "reused",
        "taken",
        "claims",
        "words_changed",
        "in_order",
        "evidence",
    ],
}


def _empty_tables(event_row: dict[str, Any]) -> dict[str, list[dict[str, Any]]]:
    tables: dict[str, list[dict[str, Any]]] = {t: [] for t in TABLES}
    tables["events"] = [event_row]
    return tables


def comparison_tables(event: str, comp) -> dict[str, list[dict[str, Any]]]:
    """One event's Comparison as table rows (lists native, dicts as JSON strings)."""
    from ..events import source_overlap

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
    derivations = [
        {"event": event, **row, "evidence": _dumps([dict(e) for e in d.evidence])}
        for d, row in zip(getattr(comp, "derivations", ()), _derivation_rows(comp), strict=True)
    ]
    return {
        "events": events,
        "sources": sources,
        "claims": claims,
        "groups": groups,
        "findings": findings,
        "derivations": derivations,
    }


def _derivation_rows(comp) -> list[dict[str, Any]]:
    from ..derivation import to_rows

    return to_rows(getattr(comp, "derivations", ()))


def _dumps(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, default=str)


def atomic_write(path: Path, data: bytes | str) -> None:
    """Write to ``path`` via a temporary file in the same folder and a rename."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    with open(tmp, "wb") as fh:
        fh.write(data.encode("utf-8") if isinstance(data, str) else data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, path)


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
        "derivations": [s, s, s, s, s, s, f, i, i, i, f, s],
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
            rows = tables.get(name, [])  # a part written before a table was added has none
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
